"""The copies ``template`` hands out when the definition names the clerk's own blank: the blank
itself (its layout, styles, merged cells, print setup and formulas kept), with the unit's name
where the definition's 填报单位 is, only the cells a unit types unlocked, the sheet protected,
the numeric input cells validated as in the tool's own template, and the identity sheet.

``own_summary_blank`` (before the reading) and ``own_summary_form`` give the 汇总表 ``merge``
writes for such a definition: the blank with every total written as a value (its formulas too:
see ``writing.summary``), 填报单位 = the summary's name, the date field = the summary's date.

An .xls blank cannot be copied (openpyxl writes .xlsx only): its copies are drawn from the
definition, as the built-in form is, and written as .xlsx; ``own_copies`` says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl.styles import Protection

from shuangyong_cli.learn.own_blank import (
    MatchedBlank,
    fill_own_blank,
    is_xls,
    match_blank,
    own_blank_of,
)
from shuangyong_cli.learn.own_blank import write_fields as write_blank_fields
from shuangyong_cli.model.form import CellKind, FormSpec, ValueKind
from shuangyong_cli.writing.template import UNIT_FIELD, add_identity, input_validation, protect

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


def own_copies(
    spec: FormSpec, password: str | None
) -> tuple[Callable[[str], Workbook] | None, list[str]]:
    """What ``template`` writes for ``spec``: a unit's name → its copy of the clerk's own blank
    (``None``: draw the form from the definition), and what to tell the clerk."""
    path, notes = own_blank_of(spec)
    if path is None:
        return None, notes
    if is_xls(path):
        notes.append(
            f"空白表“{path.name}”是 .xls 文件，无法原样复制：各单位的表按表式定义重新绘制，"
            "写成 .xlsx（栏目、行和计算关系相同，样式与原表不同）。"
            "如要原样下发，请在 Excel/WPS 中把空白表另存为 .xlsx，再运行 form new"
        )
        return None, notes
    matched = match_blank(path, spec)

    def build(unit: str) -> Workbook:
        return own_copy(matched, spec, unit=unit, password=password)

    return build, notes


def own_summary_blank(spec: FormSpec) -> tuple[MatchedBlank | None, list[str]]:
    """The clerk's own blank a merge with ``spec`` fills as 汇总表, found and matched with the
    definition before any return is read (``UsageError`` when it is missing or no longer
    matches), and what to tell the clerk; ``None``: draw the form from the definition."""
    path, notes = own_blank_of(spec)
    if path is None:
        return None, notes
    if is_xls(path):
        notes.append(
            f"空白表“{path.name}”是 .xls 文件，无法原样填写：汇总表按表式定义重新绘制。"
            "如要原样上报，请在 Excel/WPS 中把空白表另存为 .xlsx，再运行 form new"
        )
        return None, notes
    return match_blank(path, spec), notes


def own_summary_form(
    matched: MatchedBlank,
    spec: FormSpec,
    totals: Mapping[tuple[str, str], Decimal | int],
    name: str,
    date: dt.date | None,
) -> Worksheet:
    """The 汇总表 of a merge with ``spec``: the clerk's own blank with ``totals`` in it."""
    fields: dict[str, str | dt.date] = {_unit_field_id(spec): name} if spec.header_fields else {}
    date_field = next((f for f in spec.header_fields if f.kind == "date"), None)
    if date_field is not None and date is not None:
        fields[date_field.id] = date
    wb = fill_own_blank(matched, spec, totals, fields, keep_formulas=False)
    return wb[matched.sheet]


def _unit_field_id(spec: FormSpec) -> str:
    """The field a unit's (or a summary's) name goes in: 填报单位, else the first header field."""
    ids = [f.id for f in spec.header_fields]
    return UNIT_FIELD if UNIT_FIELD in ids else ids[0]


def own_copy(matched: MatchedBlank, spec: FormSpec, *, unit: str, password: str | None) -> Workbook:
    """One copy of the blank, 填报单位 filled with ``unit`` (none when empty)."""
    wb = matched.workbook()
    ws = wb[matched.sheet]
    for row in ws.iter_rows():
        for cell in row:
            if cell.protection.locked is False:
                cell.protection = LOCKED
    for r, c in spec.input_cells():
        matched.cell(ws, r.id, c.id).protection = UNLOCKED
    for f in spec.fields:
        if f.id in matched.fields:
            matched.field_cell(ws, f.id).protection = UNLOCKED
    _add_validations(ws, matched, spec)
    if unit and spec.header_fields:
        write_blank_fields(ws, matched, spec, {_unit_field_id(spec): unit})
    protect(ws, password)
    add_identity(wb, spec, password, issued_to=unit)
    wb.calculation.fullCalcOnLoad = True
    return wb


def _add_validations(ws: Worksheet, matched: MatchedBlank, spec: FormSpec) -> None:
    """Each numeric column's input cells validated as whole numbers or numbers: by the row's
    kind where its 计量单位 decides it (a 万元 row in a count column), else the column's."""
    for column in spec.numeric_columns:
        by_kind: dict[ValueKind, list[str]] = {}
        for row in spec.rows:
            if row.kind(column.id) is not CellKind.INPUT:
                continue
            kind = row.value_kind or column.kind or ValueKind.MONEY
            by_kind.setdefault(kind, []).append(matched.cell(ws, row.id, column.id).coordinate)
        for kind, refs in by_kind.items():
            dv = input_validation(column, kind)
            ws.add_data_validation(dv)
            for ref in refs:
                dv.add(ref)
