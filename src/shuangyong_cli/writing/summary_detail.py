"""The summary's 分单位明细 sheet: one row per return that counts, every numeric cell under a
two-level header (row item over 数量 / 慰问金 / 物资折款 / 小计); a 合计 row first, then each
category's 小计 row followed by its units. These rows are the provenance of every number in 汇总表.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.model import CellKey, FormSpec, ValueKind
from shuangyong_cli.season import (
    DETAIL_LEAD,
    DETAIL_TAIL,
    UNLISTED,
    Summary,
    UnitRow,
    detail_columns,
)
from shuangyong_cli.writing.cell_text import column_width
from shuangyong_cli.writing.styles import COUNT_FORMAT, MONEY_FORMAT, SUBTOTAL_FILL, TOTAL_FILL
from shuangyong_cli.writing.summary_painter import (
    Painter,
    set_print,
    set_table,
    set_widths,
    write_title,
)


def _remarks(unit: UnitRow, spec: FormSpec) -> str:
    parts = [f"{spec.row(r).seq}：{text.strip()}" for r, text in unit.remarks.items()]
    if unit.is_summary:
        parts.insert(0, f"汇总表，含 {len(unit.includes)} 个单位")
    return "；".join(parts)


#: The two rows of the header (1-based): row items above, their cells' labels below.
TOP, SUB = 2, 3

DetailColumns = Sequence[tuple[CellKey, str, str]]


def write_detail(p: Painter, ws: XlsxSheet, summary: Summary, spec: FormSpec) -> None:
    """分单位明细 (see the module's docstring); the title names the money's unit when the form
    has one (万元), and each value has its cell's format (a 万元 row in a count column is money)."""
    cols = detail_columns(spec)
    first_num = len(DETAIL_LEAD) + 1
    last_col = first_num + len(cols) - 1 + len(DETAIL_TAIL)
    units = {
        spec.money_unit(*cell) for cell, _, _ in cols if spec.value_kind(*cell) is ValueKind.MONEY
    }
    said = f"（金额单位：{units.pop()}）" if len(units) == 1 else ""
    write_title(p, ws, f"{summary.name} 分单位明细{said}", last_col)
    _write_header(p, ws, cols, first_num)
    formats = [
        COUNT_FORMAT if spec.value_kind(r, c) is ValueKind.COUNT else MONEY_FORMAT
        for (r, c), _, _ in cols
    ]
    row = _write_rows(p, ws, summary, spec, cols, formats, first_num)
    names = column_width((u.name for c in summary.categories for u in c.units), 22, 40)
    widths = [18, names, *[11.0 if f == MONEY_FORMAT else 10.0 for f in formats], 30, 24, 11, 34]
    set_widths(ws, widths)
    set_table(ws, SUB, row, last_col, freeze=(SUB + 1, first_num))
    set_print(ws, widths, title_rows=(TOP, SUB), title_cols=(1, 2), wide=True)


def _write_header(p: Painter, ws: XlsxSheet, cols: DetailColumns, first_num: int) -> None:
    """The two-level header: text columns over both rows; each row item over its cells."""
    last_num = first_num + len(cols) - 1
    for i, label in enumerate(DETAIL_LEAD + DETAIL_TAIL):
        col = i + 1 if i < len(DETAIL_LEAD) else last_num + 1 + i - len(DETAIL_LEAD)
        p.merged_header(ws, TOP, col, SUB, col, label)
    start = first_num
    for i, (_, heading, label) in enumerate(cols):
        col = first_num + i
        p.header(ws, SUB, col, label)
        if i + 1 == len(cols) or cols[i + 1][1] != heading:
            p.merged_header(ws, TOP, start, TOP, col, heading)
            start = col + 1
    ws.set_row(TOP - 1, 42)
    ws.set_row(SUB - 1, 30)


def _write_rows(
    p: Painter,
    ws: XlsxSheet,
    summary: Summary,
    spec: FormSpec,
    cols: DetailColumns,
    formats: Sequence[str],
    first_num: int,
) -> int:
    """The 合计 row under the header, then each category's 小计 row followed by its units (the
    numbers from column ``first_num`` on, in ``formats``); returns the last row written."""
    tail = first_num + len(cols)
    row = SUB + 1

    def line(
        category: str,
        name: str,
        values: Mapping[CellKey, Decimal],
        fill: str | None,
        unit: UnitRow | None = None,
    ) -> None:
        bold = unit is None
        p.text(ws, row, 1, category, bold=bold, fill=fill)
        p.text(ws, row, 2, name, bold=bold, fill=fill)
        numbers = [values[cell] for cell, _, _ in cols]
        p.numbers(ws, row, first_num, numbers, formats, bold=bold, fill=fill)
        p.text(ws, row, tail, _remarks(unit, spec) if unit else "", fill=fill)
        p.text(ws, row, tail + 1, unit.typed if unit else "", fill=fill)
        if unit is not None:
            p.date(ws, row, tail + 2, unit.date)
        else:
            p.text(ws, row, tail + 2, "", fill=fill)
        p.text(ws, row, tail + 3, unit.file if unit else "", fill=fill)

    line("合计", f"{len(summary.units)} 个单位", summary.total, TOTAL_FILL)
    for category in summary.categories:
        row += 1
        counted = len(category.units)
        of = f"（{counted}/{category.roster_units} 个单位）" if category.roster_units else ""
        if category.name == UNLISTED:
            of = f"（{counted} 个单位）"
        line(category.name, f"小计{of}", category.values, SUBTOTAL_FILL)
        for unit in category.units:
            row += 1
            line(category.name, unit.name, unit.values, None, unit)
    return row
