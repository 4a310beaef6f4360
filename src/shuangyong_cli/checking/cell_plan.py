"""The form's cells as the checks walk them, prepared once per ``FormSpec``: each cell with its
「项目 / 栏目」 name, the computed cells in the order they are computed (with the formula in the
form's words), and the rows whose money needs a quantity; the unit and date fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shuangyong_cli.model import (
    CellKey,
    CellKind,
    Column,
    Field,
    FormSpec,
    Row,
    ValueKind,
    per_form,
)

_ZERO = Decimal(0)


@dataclass(frozen=True)
class PlanCell:
    key: CellKey
    row: Row
    column: Column
    kind: CellKind
    name: str
    """「项目 / 栏目」 in the form's words."""
    value_kind: ValueKind | None
    """The cell's own kind (``FormSpec.value_kind``: a 万元 row in a count column is money)."""
    measure: str
    money_unit: str
    """For a money cell, the unit it is in (元, 千元, 万元)."""


@dataclass(frozen=True)
class Calc:
    key: CellKey
    sources: tuple[CellKey, ...]
    formula: str
    zeros: tuple[Decimal, ...]
    """A 0 for each source: what a source missing from the values counts as."""


@dataclass(frozen=True)
class QtyRow:
    row: Row
    qty: CellKey
    money: tuple[tuple[CellKey, str, str], ...]
    """(cell, column label, money unit) of each money input of the row."""
    others: tuple[CellKey, ...] = ()
    """The row's other count cells: any of them above 0 is the quantity the money is for."""


@dataclass(frozen=True)
class CheckPlan:
    spec: FormSpec
    cells: tuple[PlanCell, ...]
    calcs: tuple[Calc, ...]
    qty_rows: tuple[QtyRow, ...]
    unit_field: Field | None
    date_field: Field | None
    example_date: str
    fingerprint: str
    row_names: dict[str, str]
    formulas: dict[CellKey, str]
    names: dict[CellKey, str]
    """Each cell's 「项目 / 栏目」."""


def row_name(row: Row) -> str:
    """A row in the form's words: its label, or its 序号 (合计) when it has none."""
    return row.label or row.seq


@per_form
def check_plan(spec: FormSpec) -> CheckPlan:
    cells = tuple(
        PlanCell(
            (r.id, c.id),
            r,
            c,
            k,
            f"{row_name(r)} / {c.label}",
            spec.value_kind(r.id, c.id),
            r.measure,
            spec.money_unit(r.id, c.id),
        )
        for r, c, k in spec.cells()
    )
    calcs = []
    for rid, cid in spec.calc_order():
        sources = tuple(spec.sources(rid, cid))
        if spec.rule_for(rid, cid).is_row_rule:
            parts = [row_name(spec.row(r)) for r, _ in sources]
            formula = "＝" + "＋".join(parts)
        else:
            parts = [spec.column(c).label for _, c in sources]
            formula = "＝" + "＋".join(parts)
        calcs.append(Calc((rid, cid), sources, formula, (_ZERO,) * len(sources)))
    qty_rows = []
    for r in spec.rows:
        counts = [c for c in spec.value_columns if spec.value_kind(r.id, c.id) is ValueKind.COUNT]
        money = tuple(
            ((r.id, c.id), c.label, spec.money_unit(r.id, c.id))
            for c in spec.value_columns
            if spec.value_kind(r.id, c.id) is ValueKind.MONEY and r.kind(c.id) is CellKind.INPUT
        )
        inputs = [c for c in counts if r.kind(c.id) is CellKind.INPUT]
        if inputs and money:
            # Several counts (男, 女 and their 合计): the money needs one of them, not each.
            others = tuple(
                (r.id, c.id)
                for c in counts
                if c is not inputs[0] and r.kind(c.id) is not CellKind.NA
            )
            qty_rows.append(QtyRow(r, (r.id, inputs[0].id), money, others))
    unit_field = next((f for f in spec.fields if f.id == "unit"), None) or next(
        (f for f in spec.header_fields if f.required and f.kind == "text"), None
    )
    date_field = next((f for f in spec.fields if f.kind == "date"), None)
    example = spec.deadline - dt.timedelta(days=4) if spec.deadline else dt.date(2020, 8, 10)
    plan = CheckPlan(
        spec=spec,
        cells=cells,
        calcs=tuple(calcs),
        qty_rows=tuple(qty_rows),
        unit_field=unit_field,
        date_field=date_field,
        example_date=example.isoformat(),
        fingerprint=spec.fingerprint,
        row_names={r.id: row_name(r) for r in spec.rows},
        formulas={c.key: c.formula for c in calcs},
        names={c.key: c.name for c in cells},
    )
    return plan
