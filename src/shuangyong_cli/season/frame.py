"""The returns that count, as a pandas DataFrame: for analysis in Python or a notebook.

Needs the ``pandas`` extra (``pip install 'shuangyong-cli[pandas]'``); nothing on the command
line imports this module, so the tool itself runs without pandas.

    >>> from shuangyong_cli.season.frame import returns_frame
    >>> df = returns_frame(["回收/"], roster="名册.csv")
    >>> cash = df[df["栏目"] == "慰问款物（万元）/慰问金"]
    >>> cash.groupby("单位类别")["数值"].sum()

The returns are read, checked and chosen exactly as ``shuangyong merge`` chooses them (files
with errors, empty returns, older copies of a unit's return are left out); one row per unit and
numeric cell of the form, computed cells included.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from shuangyong_cli.model import load_form
from shuangyong_cli.reading import ReadLimits
from shuangyong_cli.season.inbox import validate_paths
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.roster import load_roster
from shuangyong_cli.season.sums import numeric_cells

if TYPE_CHECKING:
    import pandas

#: The columns of ``returns_frame``, in order.
COLUMNS = ("单位", "单位类别", "项目", "栏目", "数值", "来源文件", "行", "列")


def returns_frame(
    paths: Sequence[str | Path],
    *,
    roster: str | Path | None = None,
    form: str | Path | None = None,
    jobs: int = 1,
) -> pandas.DataFrame:
    """The returns below ``paths`` that a merge would count, as a long table.

    Columns: 单位 (the roster name, or the 填报单位 typed when there is no roster), 单位类别,
    项目 (the row's label), 栏目 (the column's label, under its group: ``慰问款物（万元）/慰问金``),
    数值 (an exact ``decimal.Decimal``: ``sum`` of a column gives the summary's total to the
    cent), 来源文件, and the form's ids of the row and the column (行, 列).

    ``form``: a form definition file (the built-in 八一 form without it); ``jobs``: worker
    processes reading the files. Raises ``FormDefinitionError`` or ``RosterError`` as the
    command line does."""
    import pandas

    spec = load_form(form)
    the_roster = load_roster(Path(roster), spec) if roster is not None else None
    report = validate_paths(
        [Path(p) for p in paths], spec, roster=the_roster, limits=ReadLimits(), jobs=jobs
    )
    summary = merge_results(
        report.files, spec, the_roster, name="", date=None, general=report.general
    )
    cells = numeric_cells(spec)
    rows = []
    for category in summary.categories:
        for unit in category.units:
            for row_id, col_id in cells:
                column = spec.column(col_id)
                rows.append(
                    (
                        unit.name,
                        category.name,
                        spec.row(row_id).label or spec.row(row_id).seq,
                        f"{column.group}/{column.label}" if column.group else column.label,
                        unit.values[(row_id, col_id)],
                        unit.file,
                        row_id,
                        col_id,
                    )
                )
    return pandas.DataFrame.from_records(rows, columns=list(COLUMNS))
