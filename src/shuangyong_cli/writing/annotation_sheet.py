"""The 校验意见 sheet, first in an annotated copy: the file, its counts and 结论, a legend of the
colours, and the findings (each 单元格 linked to the cell), printed on A4 (``printing``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import FileResult, Severity
from shuangyong_cli.writing.cell_text import set_text
from shuangyong_cli.writing.grid_copy import unique_title
from shuangyong_cli.writing.printing import fit_row, print_on_a4, row_height, set_widths, text_lines
from shuangyong_cli.writing.styles import (
    ALERT_COLOUR,
    BOX,
    LINK_COLOUR,
    SEVERITY_COLOUR,
    font,
    severity_fill,
)

ANNOTATION_SHEET = "校验意见"

#: (header, width) of the findings table on the 校验意见 sheet; the widths add up to
#: ``printing.PAGE_UNITS``, one page wide on A4 landscape.
COLUMNS = (
    ("级别", 6),
    ("工作表", 10),
    ("单元格", 8),
    ("项目", 22),
    ("填写内容", 16),
    ("问题", 68),
)
#: The columns of the table that wrap (工作表, 项目, 填写内容, 问题).
WRAPPED = frozenset({2, 4, 5, 6})
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
TITLE_SIZE = 14

#: What the colours of the legend mean, beside the three coloured cells 错误, 警告, 提示.
LEGEND = (
    "标色说明：原表中有问题的单元格标为"
    + "、".join(f"{SEVERITY_COLOUR[s]}（{s.label}）" for s in SEVERITY_ORDER[:-1])
    + f"或{SEVERITY_COLOUR[SEVERITY_ORDER[-1]]}（{SEVERITY_ORDER[-1].label}），"
    "一格有几条意见时按最重的一条；鼠标移到单元格上可看批注。"
)
#: Said too in a copy that keeps the formats of the unit's file.
FORM_FILLS = "统计表本身的灰色（不填写的格）和浅蓝色（公式计算的格）不是校验意见。"

_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_CENTRE = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(horizontal="center", vertical="center")
_TOP = Alignment(vertical="top")
_BODY = font()
_BOLD = font(bold=True)
_LINK_FONT = font(color=LINK_COLOUR, underline="single")


def add_annotation_sheet(
    wb: Workbook,
    source: Path,
    result: FileResult,
    note: str,
    marked: dict[int, tuple[str, str]],
    sheet_names: dict[str, str],
) -> None:
    """Add the 校验意见 sheet to ``wb``, first and selected. ``marked`` gives, by finding index,
    the (sheet title, A1) of the cell marked; ``sheet_names`` the title each sheet got."""
    ws = _first_sheet(wb)
    widths = [width for _, width in COLUMNS]
    header_row = _write_heading(ws, source, result, note, widths)
    row = _write_findings(ws, result, header_row, widths, marked, sheet_names)
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    print_on_a4(ws, columns=len(COLUMNS), last_row=row, title_rows=f"{header_row}:{header_row}")


def _first_sheet(wb: Workbook) -> Worksheet:
    """A new sheet 校验意见 (a title no other sheet has), first, and the one selected."""
    ws: Worksheet = wb.create_sheet(unique_title(ANNOTATION_SHEET, wb.sheetnames), 0)
    for other in wb.worksheets:
        if isinstance(other, Worksheet) and other is not ws:
            other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    if wb.views:
        wb.views[0].firstSheet = 0
    return ws


def _write_heading(
    ws: Worksheet, source: Path, result: FileResult, note: str, widths: Sequence[float]
) -> int:
    """The lines above the table (file, counts, 结论, ``note``), the legend and the table's
    header row; returns the header row."""
    infos = sum(1 for f in result.findings if f.severity is Severity.INFO)
    shown = result.path or source.name
    lines = [
        f"校验意见：{shown}",
        f"填报单位：{result.unit or '（未填）'}　错误 {result.errors} 个，"
        f"警告 {result.warnings} 个，提示 {infos} 个。",
        _conclusion(result),
    ]
    if note:
        lines.append(note)
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(r, 1)
        set_text(cell, text)
        size = TITLE_SIZE if r == 1 else None
        if r == 1:
            cell.font = font(bold=True, size=TITLE_SIZE)
        elif r == 3 and not result.ok:
            cell.font = font(bold=True, color=ALERT_COLOUR)
        else:
            cell.font = _BODY
        _merge_line(ws, r, text, sum(widths), size)

    legend_row = len(lines) + 1
    if result.findings:
        _legend(ws, legend_row, widths, rebuilt=bool(note))
    header_row = legend_row + 2
    for c, (title, _width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(header_row, c)
        set_text(cell, title)
        cell.font = _BOLD
        cell.alignment = _TOP
        cell.border = BOX
    set_widths(ws, widths)
    return header_row


def _write_findings(
    ws: Worksheet,
    result: FileResult,
    header_row: int,
    widths: Sequence[float],
    marked: dict[int, tuple[str, str]],
    sheet_names: dict[str, str],
) -> int:
    """One row per finding under ``header_row``, errors first, each 单元格 linked to the cell
    marked (or a line saying there is none); returns the last row."""
    order = sorted(range(len(result.findings)), key=lambda i: result.findings[i].severity.rank)
    row = header_row
    for row, i in enumerate(order, start=header_row + 1):
        f = result.findings[i]
        shown_sheet = sheet_names.get(f.sheet, f.sheet)
        texts = (f.severity.label, shown_sheet, f.cell, f.field, f.value, f.message)
        for c, text in enumerate(texts, start=1):
            cell = ws.cell(row, c)
            set_text(cell, text)
            cell.font = _BODY
            cell.alignment = _WRAP if c in WRAPPED else _TOP
            cell.border = BOX
        ws.cell(row, 1).fill = severity_fill(f.severity)
        fit_row(ws, row, [(texts[c - 1], widths[c - 1]) for c in sorted(WRAPPED)])
        if i in marked:
            title, ref = marked[i]
            link = ws.cell(row, 3)
            quoted = title.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{ref}")
            link.font = _LINK_FONT
    if not result.findings:
        row = header_row + 1
        set_text(ws.cell(row, len(COLUMNS)), "没有发现问题。")
        ws.cell(row, len(COLUMNS)).font = _BODY
    return row


def _merge_line(ws: Worksheet, row: int, text: str, width: float, size: float | None) -> None:
    """A line above the table, across its whole width, wrapped, its row as high as it needs."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    ws.cell(row, 1).alignment = _WRAP_CENTRE
    if size is None:
        lines = text_lines(text, width)
        if lines > 1:
            ws.row_dimensions[row].height = row_height(lines)
    else:
        ws.row_dimensions[row].height = row_height(text_lines(text, width, size), size)


def _legend(ws: Worksheet, row: int, widths: Sequence[float], *, rebuilt: bool) -> None:
    """The colours of the marks, each on a cell of its own: 错误, 警告, 提示; beside them what
    they mean (and, in a copy with the form's formats, that its grey and blue are not marks)."""
    for col, severity in enumerate(SEVERITY_ORDER, start=1):
        cell = ws.cell(row, col)
        set_text(cell, severity.label)
        cell.font = _BOLD
        cell.fill = severity_fill(severity)
        cell.alignment = _CENTRE
        cell.border = BOX
    text = LEGEND if rebuilt else LEGEND + FORM_FILLS
    cell = ws.cell(row, 4)
    set_text(cell, text)
    cell.font = _BODY
    cell.alignment = _WRAP_CENTRE
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=len(COLUMNS))
    ws.row_dimensions[row].height = row_height(max(1, text_lines(text, sum(widths[3:]))))


def _conclusion(result: FileResult) -> str:
    if not result.ok:
        return "结论：有错误，请按下表逐项修改后重新报送。"
    if result.findings:
        return "结论：通过。请核对下表所列事项。"
    return "结论：通过。"
