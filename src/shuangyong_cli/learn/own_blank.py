"""Writing values into a copy of the clerk's *own* blank (.xlsx): for a 汇总表 that looks exactly
like the form the city sent, not like the tool's drawing of it.

The blank is learned again and matched with the definition label for label (``check.compare``);
only then is each value written where the blank has that row and column. Cells holding a formula
keep it (Excel and WPS recompute on opening); not-applicable cells are left as drawn; header
fields are written in the next cell or after the colon, as the definition says.

Not yet called by ``merge`` (see ``CHANGES_TO_EXISTING.md``): ``fill_own_blank`` takes the
totals a merge computes (``Summary.total``) and returns the workbook to save.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from shuangyong_cli.learn.blank import read_blank
from shuangyong_cli.learn.check import Places, compare
from shuangyong_cli.model.errors import UsageError
from shuangyong_cli.model.form import CellKind, FormSpec
from shuangyong_cli.writing.cell_text import set_text

if TYPE_CHECKING:
    from openpyxl import Workbook

CellKey = tuple[str, str]

_PLACEHOLDER = r"[\s_＿\u3000年月日.．]*"


def fill_own_blank(
    blank: Path,
    spec: FormSpec,
    values: Mapping[CellKey, Decimal | int],
    fields: Mapping[str, str] | None = None,
) -> Workbook:
    """A copy of ``blank`` with ``values`` (by (row id, column id) of ``spec``) and ``fields``
    (by field id) written in. Raises ``UsageError`` when the blank is an .xls (no writer for it)
    or does not match the definition."""
    from openpyxl import load_workbook

    from shuangyong_cli.learn.learner import learn_blank

    read = read_blank(blank)
    if read.format != "xlsx":
        raise UsageError(
            f"“{blank.name}”是 .xls 文件，无法按原样写入；请在 Excel/WPS 中另存为 .xlsx 后再用"
        )
    learned = learn_blank(read, spec.id)
    problems = compare(spec, learned.spec, Places.of(learned.draft))
    if problems:
        more = f" 等 {len(problems)} 处" if len(problems) > 1 else ""
        raise UsageError(f"空白表“{blank.name}”与表式定义不一致：{problems[0]}{more}")
    draft = learned.draft
    row_at = {r.id: draft.rows[i].row for i, r in enumerate(spec.rows)}
    col_at = {c.id: draft.columns[j].col for j, c in enumerate(spec.columns)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(blank.read_bytes()), data_only=False)
    ws = wb[draft.sheet]
    for (row_id, column_id), value in values.items():
        if spec.row(row_id).kind(column_id) is CellKind.NA:
            continue
        cell = ws.cell(row_at[row_id], col_at[column_id])
        if isinstance(cell.value, str) and cell.value.startswith("="):
            continue  # the blank's own formula computes it
        cell.value = value
    for field in spec.fields:
        text = (fields or {}).get(field.id)
        if not text:
            continue
        found = next(f for f in draft.fields if f.label == field.label)
        if field.value == "after_colon":
            label_cell = ws.cell(found.row, found.col)
            set_text(label_cell, after_colon(str(label_cell.value or ""), field.label, text))
        else:
            set_text(ws[found.value_cell], text)
    wb.calculation.fullCalcOnLoad = True
    return wb


def after_colon(cell_text: str, label: str, value: str) -> str:
    """``填报单位：______   日期：`` with ``value`` in place of the blank after ``label：`` (the
    spaces before a following label kept)."""
    m = re.search(re.escape(label) + r"([：:])(" + _PLACEHOLDER + ")", cell_text)
    if m is None:
        return cell_text
    run = m.group(2)
    keep = re.search(r"\s*$", run)
    tail = keep.group() if keep is not None and m.end() < len(cell_text) else ""
    return f"{cell_text[: m.start()]}{label}{m.group(1)}{value}{tail}{cell_text[m.end() :]}"
