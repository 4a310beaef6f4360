"""The “其中” rules: a row that is part of another (其中：女性 under 慰问人数) is at most that row,
in each column the rule names. Parts may overlap, so only each part is held to the whole, never
their sum."""

from __future__ import annotations

from decimal import Decimal

from shuangyong_cli.checking.cell_plan import CheckPlan, row_name
from shuangyong_cli.checking.display import plain
from shuangyong_cli.checking.sink import Sink, at
from shuangyong_cli.model import CellKey, CellKind, message

MSG_SUBSET = message("calc.subset_exceeds")


def check_subsets(
    out: Sink,
    plan: CheckPlan,
    values: dict[CellKey, Decimal],
    unknown: set[CellKey],
    addresses: dict[CellKey, str],
) -> None:
    """A finding for every part larger than its whole, at the cells the unit typed (cells that
    could not be read are not judged: their own finding says what to fix; a computed cell of
    the part adds typed cells that are each held to the whole already)."""
    spec = plan.spec
    for subset in spec.subsets:
        parent = spec.row(subset.parent)
        for column_id in subset.columns:
            whole_key = (parent.id, column_id)
            if whole_key in unknown or whole_key not in values:
                continue
            whole = values[whole_key]
            for row_id in subset.rows:
                key = (row_id, column_id)
                if key in unknown or key not in values or values[key] <= whole:
                    continue
                if spec.row(row_id).kind(column_id) is CellKind.CALC:
                    continue  # a sum of the part's own cells, each already held to the whole
                cell = addresses.get(key, "")
                name = plan.names[key]
                out.add(
                    "calc.subset_exceeds",
                    at(cell, name)
                    + MSG_SUBSET.format(
                        part=plain(values[key]),
                        whole_name=row_name(parent),
                        whole=plain(whole),
                        whole_cell=addresses.get(whole_key, ""),
                    ),
                    cell=cell,
                    name=name,
                    value=plain(values[key]),
                )
