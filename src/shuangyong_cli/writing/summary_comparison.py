"""The summary's 同比 sheet: last time, this time and the change per unit and per category on
the headline cells, big swings marked (only when there is a ``season.Comparison``).
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.model import FormSpec, Severity, ValueKind
from shuangyong_cli.season import Comparison, Level, Line, Summary, item_name
from shuangyong_cli.writing.styles import (
    COUNT_FORMAT,
    MONEY_FORMAT,
    RED_FILL,
    SUBTOTAL_FILL,
    TOTAL_FILL,
    YELLOW_FILL,
)
from shuangyong_cli.writing.summary_painter import (
    Painter,
    set_print,
    set_table,
    set_widths,
    write_title,
)

COMPARE_LEAD = ("单位类别", "单位名称")
COMPARE_PARTS = ("上次", "本次", "增减")
COMPARE_TAIL = ("本次状态", "说明")


def _compare_note(line: Line) -> str:
    parts = [line.note] if line.note else []
    if line.earlier_name:
        parts.append(f"上次名称为“{line.earlier_name}”")
    parts.extend(s.short for s in line.swings)
    return "；".join(parts)


def write_comparison(
    p: Painter, ws: XlsxSheet, summary: Summary, comparison: Comparison, spec: FormSpec
) -> None:
    e = comparison.earlier
    cells = comparison.cells
    first_num = len(COMPARE_LEAD) + 1
    tail = first_num + len(COMPARE_PARTS) * len(cells)
    last_col = tail + len(COMPARE_TAIL) - 1
    when = f"，{e.date.isoformat()}" if e.date else ""
    write_title(
        p,
        ws,
        f"与上次比较：上次为 {e.name}（{e.path}{when}），本次为 {summary.name}；"
        f"金额单位：万元；标黄的是变化超过 {comparison.threshold.normalize():f} 倍或降为 0 的数",
        last_col,
    )
    top, sub = 2, 3
    for i, label in enumerate(COMPARE_LEAD + COMPARE_TAIL):
        col = i + 1 if i < len(COMPARE_LEAD) else tail + i - len(COMPARE_LEAD)
        p.merged_header(ws, top, col, sub, col, label)
    for i, cell in enumerate(cells):
        col = first_num + len(COMPARE_PARTS) * i
        p.merged_header(ws, top, col, top, col + len(COMPARE_PARTS) - 1, item_name(spec, cell))
        for k, part in enumerate(COMPARE_PARTS):
            p.header(ws, sub, col + k, part)
    ws.set_row(top - 1, 42)
    formats = [
        COUNT_FORMAT if spec.column(c).kind is ValueKind.COUNT else MONEY_FORMAT for _, c in cells
    ]
    row = sub
    for line in comparison.lines:
        row += 1
        fill = {Level.TOTAL: TOTAL_FILL, Level.CATEGORY: SUBTOTAL_FILL}.get(line.level)
        bold = line.level is not Level.UNIT
        name = {Level.TOTAL: "", Level.CATEGORY: "小计"}.get(line.level, line.name)
        p.text(ws, row, 1, line.category, bold=bold, fill=fill)
        p.text(ws, row, 2, name, bold=bold, fill=fill)
        flagged = {s.cell for s in line.swings if s.severity is Severity.WARNING}
        for i, (cell, fmt) in enumerate(zip(cells, formats, strict=True)):
            col = first_num + len(COMPARE_PARTS) * i
            last = line.last.get(cell) if line.last is not None else None
            this = line.this.get(cell) if line.this is not None else None
            change = line.change(cell)
            for k, value in enumerate((last, this, change)):
                mark = YELLOW_FILL if cell in flagged and k else fill
                if value is None:
                    p.text(ws, row, col + k, "", bold=bold, fill=mark)
                else:
                    p.number(ws, row, col + k, value, fmt, bold=bold, fill=mark)
        status_fill = RED_FILL if line.dropped else fill
        p.text(ws, row, tail, line.status, bold=line.dropped, fill=status_fill)
        p.text(ws, row, tail + 1, _compare_note(line), fill=fill)
    numbers = [11.0 if f == MONEY_FORMAT else 9.0 for f in formats for _ in COMPARE_PARTS]
    widths = [18, 22, *numbers, 9, 50]
    set_widths(ws, widths)
    set_table(ws, sub, row, last_col, freeze=(sub + 1, first_num))
    set_print(ws, widths, title_rows=(top, sub), title_cols=(1, 2), wide=True)
