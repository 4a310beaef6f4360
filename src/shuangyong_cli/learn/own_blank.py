"""Writing into a copy of the clerk's *own* blank (.xlsx): the 汇总表 ``merge`` writes and the
copies ``template`` hands out look exactly like the form the city sent, not like the tool's
drawing of it.

The blank is learned again and matched with the definition label for label (``check.compare``);
only then is anything written, each value where the blank has that row and column. Not-applicable
cells are left as drawn; header fields are written in the next cell or after the colon, as the
definition says. ``fill_own_blank`` keeps the blank's formulas (Excel and WPS recompute on
opening) unless told to write every total as a value (the summary: see ``writing.summary``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from shuangyong_cli.learn.blank import read_blank
from shuangyong_cli.learn.check import Places, compare
from shuangyong_cli.learn.model import DField
from shuangyong_cli.model.errors import UsageError
from shuangyong_cli.model.form import CellKind, FormSpec
from shuangyong_cli.writing.cell_text import set_text
from shuangyong_cli.writing.styles import DATE_FORMAT

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

CellKey = tuple[str, str]

_PLACEHOLDER = r"[\s_＿\u3000年月日.．]*"


@dataclass(frozen=True)
class MatchedBlank:
    """A clerk's .xlsx blank matched with a definition: where each of its rows, columns and
    fields is, and the bytes it was read from (each copy is loaded from them)."""

    path: Path
    data: bytes
    sheet: str
    row_at: Mapping[str, int]
    col_at: Mapping[str, int]
    fields: Mapping[str, DField]
    """Field id of the definition → the field as found on the blank."""

    def workbook(self) -> Workbook:
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return load_workbook(io.BytesIO(self.data), data_only=False)

    def cell(self, ws: Worksheet, row_id: str, column_id: str) -> Cell | MergedCell:
        return ws.cell(self.row_at[row_id], self.col_at[column_id])

    def field_cell(self, ws: Worksheet, field_id: str) -> Cell | MergedCell:
        """The cell a field's value goes in: the next cell, or the label's own (after “：”)."""
        found = self.fields[field_id]
        if found.value == "after_colon":
            return ws.cell(found.row, found.col)
        from openpyxl.utils.cell import coordinate_to_tuple

        return ws.cell(*coordinate_to_tuple(found.value_cell))


def own_blank_of(spec: FormSpec) -> tuple[Path | None, list[str]]:
    """The clerk's own blank a definition names (``[form] blank``), with what to tell the clerk
    about it; ``None`` when it names none. Raises ``UsageError`` when the file is not there."""
    if not spec.blank:
        return None, []
    path = Path(spec.blank)
    if not path.is_file():
        raise UsageError(
            f"找不到表式定义 {Path(spec.source).name} 中的空白表：{path}；"
            "请把空白表放回原处，或改正表式定义中 [form] 的 blank"
        )
    notes = []
    if spec.blank_sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != spec.blank_sha256:
        notes.append(
            f"空白表“{path.name}”在生成表式定义之后改动过（SHA-256 不同）；"
            "已逐项核对，与表式定义仍然一致，照常使用"
        )
    return path, notes


def is_xls(path: Path) -> bool:
    """Whether the blank is an .xls (by its bytes): openpyxl cannot copy one."""
    with path.open("rb") as f:
        return f.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def match_blank(blank: Path, spec: FormSpec) -> MatchedBlank:
    """Learn ``blank`` again and match it with ``spec``. Raises ``UsageError`` when the blank is
    an .xls (no writer for it) or does not match the definition."""
    from shuangyong_cli.learn.learner import learn_blank

    data = blank.read_bytes()
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
    by_label = {f.label: f for f in draft.fields}
    return MatchedBlank(
        path=blank,
        data=data,
        sheet=draft.sheet,
        row_at={r.id: draft.rows[i].row for i, r in enumerate(spec.rows)},
        col_at={c.id: draft.columns[j].col for j, c in enumerate(spec.columns)},
        fields={f.id: by_label[f.label] for f in spec.fields if f.label in by_label},
    )


def fill_own_blank(
    blank: Path | MatchedBlank,
    spec: FormSpec,
    values: Mapping[CellKey, Decimal | int],
    fields: Mapping[str, str | dt.date] | None = None,
    *,
    keep_formulas: bool = True,
) -> Workbook:
    """A copy of ``blank`` with ``values`` (by (row id, column id) of ``spec``) and ``fields``
    (by field id) written in. A cell where the blank has a formula keeps it, unless
    ``keep_formulas`` is false (then it holds its value, as every other cell). Raises
    ``UsageError`` as ``match_blank`` does."""
    matched = blank if isinstance(blank, MatchedBlank) else match_blank(blank, spec)
    wb = matched.workbook()
    ws = wb[matched.sheet]
    for (row_id, column_id), value in values.items():
        if spec.row(row_id).kind(column_id) is CellKind.NA:
            continue
        cell = matched.cell(ws, row_id, column_id)
        if keep_formulas and isinstance(cell.value, str) and cell.value.startswith("="):
            continue  # the blank's own formula computes it
        cell.value = value
    write_fields(ws, matched, spec, fields or {})
    wb.calculation.fullCalcOnLoad = True
    return wb


def write_fields(
    ws: Worksheet, matched: MatchedBlank, spec: FormSpec, fields: Mapping[str, str | dt.date]
) -> None:
    """Each given field's value where the blank has it: a date in the next cell as a date, any
    other value as text; after the label's colon as text (``2021年3月1日``)."""
    for field in spec.fields:
        value = fields.get(field.id)
        if not value or field.id not in matched.fields:
            continue
        cell = matched.field_cell(ws, field.id)
        if matched.fields[field.id].value == "after_colon":
            text = _date_text(value) if isinstance(value, dt.date) else value
            set_text(cell, after_colon(str(cell.value or ""), field.label, text))
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = DATE_FORMAT
        else:
            set_text(cell, value)


def _date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


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
