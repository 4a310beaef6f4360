"""Drawing the blank form (or one unit's pre-filled copy) with openpyxl.

Everything drawn comes from the ``FormSpec``: labels, row and column order, cell kinds, sum
rules, notes. Where each part lands is ``template_layout``; the copies for a whole roster are
``unit_copies``.

The workbook is fill-safe (only input cells unlocked, the sheet protected, numeric inputs
validated, totals as formulas) and print-ready (A4 landscape, one page wide, header rows
repeated). A very hidden sheet records the form's identity.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import (
    CellKind,
    Column,
    ColumnRole,
    Field,
    FormSpec,
    Row,
    ValueKind,
    a1,
    col_letter,
    identity,
)
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.cell_text import set_text
from shuangyong_cli.writing.styles import (
    BODY_SIZE,
    BOX,
    CALC_FILL,
    COUNT_FORMAT,
    DATE_FORMAT,
    MONEY_FORMAT,
    NA_FILL,
    TEXT_FORMAT,
    UNDERLINE,
    font,
    solid_fill,
)
from shuangyong_cli.writing.template_layout import TemplatePositions, template_positions

__all__ = ["add_identity", "build_template", "input_validation", "protect", "write_template"]

TITLE_SIZE = 16

NA_TEXT = "—"

#: The field a pre-filled copy writes the unit's name into (falls back to the first header field).
UNIT_FIELD = "unit"

_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)


# -- drawing ------------------------------------------------------------------------------------


def build_template(spec: FormSpec, *, unit: str = "", password: str | None = None) -> Workbook:
    """The blank form as an openpyxl workbook; ``unit`` pre-fills 填报单位."""
    pos = template_positions(spec)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = spec.sheet
    wb.properties.title = spec.title
    wb.properties.creator = "shuangyong"
    wb.calculation.fullCalcOnLoad = True

    for i, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[col_letter(i)].width = column.width
    # Every cell of the print area in the form's font, so empty cells print alike.
    for r in range(1, pos.last_row + 1):
        for c in range(1, pos.last_col + 1):
            ws.cell(r, c).font = font()

    _draw_title(ws, spec, pos)
    _draw_fields(ws, spec.header_fields, pos)
    _draw_header(ws, spec, pos)
    _draw_body(ws, spec, pos)
    _draw_notes(ws, spec, pos)
    _draw_fields(ws, spec.footer_fields, pos)
    _add_validations(ws, spec, pos)
    if unit:
        unit_field = _unit_field(spec)
        if unit_field is not None:
            set_text(ws[pos.field_cell(unit_field.id)], unit)
    _set_print(ws, pos)
    protect(ws, password)
    add_identity(wb, spec, password, issued_to=unit)
    return wb


def _unit_field(spec: FormSpec) -> Field | None:
    for f in spec.header_fields:
        if f.id == UNIT_FIELD:
            return f
    return spec.header_fields[0] if spec.header_fields else None


def _merge(ws: Worksheet, row1: int, col1: int, row2: int, col2: int) -> None:
    if (row1, col1) != (row2, col2):
        ws.merge_cells(start_row=row1, start_column=col1, end_row=row2, end_column=col2)


def _draw_title(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    if spec.attachment:
        cell = ws.cell(pos.attachment_row, 1)
        set_text(cell, spec.attachment)
        cell.font = font(bold=True)
    cell = ws.cell(pos.title_row, 1)
    set_text(cell, spec.title)
    cell.font = font(bold=True, size=TITLE_SIZE)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _merge(ws, pos.title_row, 1, pos.title_row, pos.last_col)
    lines = _lines_needed(spec.title, _total_width(spec) * BODY_SIZE / TITLE_SIZE)
    ws.row_dimensions[pos.title_row].height = 8 + 22 * lines


def _draw_fields(ws: Worksheet, fields: tuple[Field, ...], pos: TemplatePositions) -> None:
    for f in fields:
        slot = pos.fields[f.id]
        label = ws.cell(slot.row, slot.label_cols[0])
        set_text(label, f"{f.label}：")
        label.alignment = Alignment(horizontal="right", vertical="center", shrink_to_fit=True)
        _merge(ws, slot.row, slot.label_cols[0], slot.row, slot.label_cols[1])
        for c in range(slot.input_cols[0], slot.input_cols[1] + 1):
            cell = ws.cell(slot.row, c)
            cell.border = UNDERLINE
            cell.protection = _UNLOCKED
            cell.number_format = DATE_FORMAT if f.kind == "date" else TEXT_FORMAT
            cell.alignment = Alignment(horizontal="left", vertical="center", shrink_to_fit=True)
        _merge(ws, slot.row, slot.input_cols[0], slot.row, slot.input_cols[1])
        ws.row_dimensions[slot.row].height = 22


def _draw_header(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    top, bottom = pos.header_rows
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in (top, bottom):
        ws.row_dimensions[r].height = 20
        for c in range(1, pos.last_col + 1):
            cell = ws.cell(r, c)
            cell.font = font(bold=True)
            cell.alignment = centre
            cell.border = BOX
    i = 0
    while i < len(spec.columns):
        column = spec.columns[i]
        col = i + 1
        if column.group is None:
            set_text(ws.cell(top, col), column.label)
            _merge(ws, top, col, bottom, col)
            i += 1
            continue
        j = i
        while j + 1 < len(spec.columns) and spec.columns[j + 1].group == column.group:
            j += 1
        set_text(ws.cell(top, col), column.group)
        _merge(ws, top, col, top, j + 1)
        for k in range(i, j + 1):
            set_text(ws.cell(bottom, k + 1), spec.columns[k].label)
        i = j + 1


def _draw_body(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    by_role = {c.role: c for c in spec.columns if c.role is not ColumnRole.VALUE}
    seq, item, measure = (by_role.get(r) for r in ColumnRole if r is not ColumnRole.VALUE)
    for row in spec.rows:
        r = pos.row[row.id]
        for c in range(1, pos.last_col + 1):
            cell = ws.cell(r, c)
            cell.border = BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.protection = _LOCKED
        lines = 1
        if seq is not None:
            cell = ws.cell(r, pos.column[seq.id])
            set_text(cell, row.seq)
            cell.font = font(bold=row.total)
        if item is not None:
            cell = ws.cell(r, pos.column[item.id])
            set_text(cell, row.label)
            cell.alignment = Alignment(
                horizontal="left", vertical="center", wrap_text=True, indent=row.indent * 2
            )
            lines = _lines_needed(row.label, item.width - 2 * row.indent)
        if measure is not None:
            set_text(ws.cell(r, pos.column[measure.id]), row.measure)
        for column in spec.value_columns:
            _draw_value_cell(ws, spec, pos, row, column)
        ws.row_dimensions[r].height = max(18, 4 + 14.5 * lines)


def _draw_value_cell(
    ws: Worksheet, spec: FormSpec, pos: TemplatePositions, row: Row, column: Column
) -> None:
    cell = ws.cell(pos.row[row.id], pos.column[column.id])
    kind = row.kind(column.id)
    fmt = {ValueKind.COUNT: COUNT_FORMAT, ValueKind.MONEY: MONEY_FORMAT}.get(
        column.kind or ValueKind.TEXT, TEXT_FORMAT
    )
    if kind is CellKind.NA:
        set_text(cell, NA_TEXT)
        cell.fill = solid_fill(NA_FILL)
        return
    cell.number_format = fmt
    if fmt != TEXT_FORMAT:
        cell.alignment = Alignment(horizontal="right", vertical="center")
    else:
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    if kind is CellKind.CALC:
        cell.value = _formula(spec, pos, row.id, column.id)
        cell.fill = solid_fill(CALC_FILL)
    else:
        cell.protection = _UNLOCKED


def _formula(spec: FormSpec, pos: TemplatePositions, row_id: str, column_id: str) -> str:
    """``=E6+F6``, or ``=SUM(D8:D14)`` when the sources are three or more adjacent cells."""
    cells = sorted((pos.row[r], pos.column[c]) for r, c in spec.sources(row_id, column_id))
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    if len(cells) >= 3:
        same_col = len(set(cols)) == 1 and rows == list(range(rows[0], rows[0] + len(rows)))
        same_row = len(set(rows)) == 1 and cols == list(range(cols[0], cols[0] + len(cols)))
        if same_col or same_row:
            return f"=SUM({a1(*cells[0])}:{a1(*cells[-1])})"
    return "=" + "+".join(a1(r, c) for r, c in cells)


def _draw_notes(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    prefix = f"{spec.notes_label}：" if spec.notes_label else ""
    pad = "\u3000" * len(prefix)
    for i, (r, line) in enumerate(zip(pos.notes_rows, spec.notes, strict=True)):
        text = (prefix if i == 0 else pad) + line
        cell = ws.cell(r, 1)
        set_text(cell, text)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        _merge(ws, r, 1, r, pos.last_col)
        ws.row_dimensions[r].height = 3 + 15 * _lines_needed(text, _total_width(spec))


def _add_validations(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    for column in spec.numeric_columns:
        cells = [pos.cell(r.id, column.id) for r, c in spec.input_cells() if c.id == column.id]
        if not cells:
            continue
        dv = input_validation(column, column.kind)
        ws.add_data_validation(dv)
        for ref in cells:
            dv.add(ref)
    for f in spec.fields:
        if f.kind != "date":
            continue
        hint = DataValidation(
            showInputMessage=True,
            allow_blank=True,
            promptTitle=f.label[:32],
            prompt=f"请填写{f.label}，如 2020-08-10。",
        )
        ws.add_data_validation(hint)
        hint.add(pos.field_cell(f.id))


def input_validation(column: Column, kind: ValueKind | None) -> DataValidation:
    """The in-cell validation of a numeric input cell of ``column`` holding a ``kind`` value:
    a whole number (count) or a number (money), not below 0, with a prompt and an error text."""
    if kind is ValueKind.COUNT:
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop",
            promptTitle=column.label[:32],
            prompt=f"请填写{column.label}：不小于 0 的整数，如 12；没有请留空。",
            errorTitle=f"{column.label}应为整数"[:32],
            error=f"{column.label}只能填写不小于 0 的整数，如 12；请不要填写单位或文字。",
        )
    unit = _money_unit(column)
    in_unit = f"（单位：{unit}）" if unit else ""
    return DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
        promptTitle=f"{column.label}{in_unit}"[:32],
        prompt=f"请填写{column.label}{in_unit}：不小于 0 的数字，保留两位小数，如 1.50；"
        "没有请留空。",
        errorTitle=f"{column.label}应为数字"[:32],
        error=f"{column.label}只能填写不小于 0 的数字{in_unit}，如 1.50；"
        "请不要填写“元”“约”等文字。",
    )


def _money_unit(column: Column) -> str:
    """The unit a money column's header names, e.g. 万元 from 慰问款物（万元）."""
    for text in (column.label, column.group or ""):
        m = re.search(r"[（(]([^（）()]+)[）)]\s*$", text)
        if m:
            return m.group(1)
    return ""


def _set_print(ws: Worksheet, pos: TemplatePositions) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.5, bottom=0.5, header=0.2, footer=0.2)
    ws.print_area = pos.print_area
    ws.print_title_rows = pos.print_title_rows
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页，共 &N 页"


def protect(ws: Worksheet, password: str | None) -> None:
    """Protect ``ws`` (only unlocked cells can be typed in); rows and columns may be resized."""
    ws.protection.sheet = True
    # Units may still widen a column or row to read what they typed.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if password:
        ws.protection.password = password


def add_identity(wb: Workbook, spec: FormSpec, password: str | None, issued_to: str) -> None:
    """The very hidden sheet saying which form this is and which unit it was issued to."""
    meta = wb.create_sheet(identity.META_SHEET)
    rows = identity.identity_rows(spec, "template", issued_to=issued_to)
    for r, (key, value) in enumerate(rows, start=1):
        set_text(meta.cell(r, 1), key)
        set_text(meta.cell(r, 2), value)
    meta.sheet_state = "veryHidden"
    protect(meta, password)


def _display_width(text: str) -> float:
    """Width in Excel character units at the body size: CJK characters count about 2."""
    return sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def _total_width(spec: FormSpec) -> float:
    return sum(c.width for c in spec.columns)


def _lines_needed(text: str, width: float) -> int:
    usable = max(width - 1.5, 1.0)
    return max(1, -int(-_display_width(text) // usable))


# -- writing ------------------------------------------------------------------------------------


def write_template(
    spec: FormSpec,
    out: Path,
    *,
    force: bool = False,
    password: str | None = None,
    unit: str = "",
    build: Callable[[str], Workbook] | None = None,
) -> Path:
    """Write the blank form (or one unit's copy) to ``out``; returns the path written.
    ``build`` (the unit's name → the workbook) replaces the drawing, as for a clerk's own blank."""
    target = atomic.check_output(out, force=force, what="统计表")
    if build is not None:
        atomic.save_workbook_atomic(build(unit), target)
        return target
    atomic.save_workbook_atomic(build_template(spec, unit=unit, password=password), target)
    return target
