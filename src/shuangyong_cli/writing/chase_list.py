"""The 催报名单: the units to chase (未报 and 有误), with 联系人, 联系电话 and what to fix, as a
print-ready A4 workbook drawn from ``season.Board``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.season import CHASE_HEADER, CHASE_SHEET, Board
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.cell_text import set_text
from shuangyong_cli.writing.printing import print_on_a4
from shuangyong_cli.writing.styles import BOX, HEADER_FILL, font, solid_fill


def write_chase_list(board: Board, out: Path, *, force: bool, inputs: Sequence[Path]) -> Path:
    """Write the 催报名单 (units 未报 and 有误, with contacts) as an A4 workbook; returns the path.

    Refuses (``OutputError``) to overwrite an input, to write into a folder being read, or to
    replace an existing file without ``force``. Text goes through ``set_text``; the bytes are the
    same for the same board."""
    target = atomic.check_output(out, inputs=inputs, force=force, what="催报名单")
    atomic.save_workbook_atomic(build_chase_list(board), target)
    return target


#: Column widths: 序号 and then the columns of ``CHASE_HEADER``.
WIDTHS = (6, 16, 28, 7, 10, 16, 40)
_WRAP = Alignment(vertical="center", wrap_text=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def build_chase_list(board: Board) -> Workbook:
    """The 催报名单 workbook (openpyxl), in memory."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = CHASE_SHEET
    _draw_heading(ws, board)
    row = _draw_rows(ws, board)
    row = _draw_notes(ws, board, row)
    for letter, w in zip("ABCDEFG", WIDTHS, strict=True):
        ws.column_dimensions[letter].width = w
    ws.freeze_panes = "A4"
    print_on_a4(
        ws, columns=len(CHASE_HEADER), last_row=max(row, 4), title_rows="3:3", landscape=False
    )
    wb.properties.title = f"催报名单（截至 {board.today.isoformat()}）"
    return wb


def _draw_heading(ws: Worksheet, board: Board) -> None:
    """The title, the line of counts and deadline, and the header row (rows 1–3)."""
    width = len(CHASE_HEADER)
    title = ws.cell(1, 1)
    set_text(title, f"催报名单（截至 {board.today.isoformat()}）")
    title.font = font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30
    info = ws.cell(2, 1)
    set_text(info, f"{board.headline()}；{board.deadline_line()}。")
    info.font = font()
    info.alignment = _WRAP
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.row_dimensions[2].height = 32
    for col, label in enumerate(CHASE_HEADER, start=1):
        c = ws.cell(3, col)
        set_text(c, label)
        c.font = font(bold=True)
        c.fill = solid_fill(HEADER_FILL)
        c.alignment = _CENTRE
        c.border = BOX


def _draw_rows(ws: Worksheet, board: Board) -> int:
    """One row per unit to chase, from row 4 (or a line saying there is none); returns the
    last row of units."""
    row = 3
    for n, texts in enumerate(board.chase_rows(), start=1):
        row += 1
        # Rows high enough for wrapped text: spreadsheet programs do not grow them on opening.
        lines = max(_lines(t, w) for t, w in zip(texts, WIDTHS[1:], strict=True))
        ws.row_dimensions[row].height = 16 * lines + 4
        number = ws.cell(row, 1, n)
        number.font = font()
        number.alignment = _CENTRE
        number.border = BOX
        for col, text in enumerate(texts, start=2):
            c = ws.cell(row, col)
            if text:
                set_text(c, text)
            c.font = font(bold=col == 4)
            c.alignment = _CENTRE if col == 4 else _WRAP
            c.border = BOX
    if row == 3:
        c = ws.cell(4, 1)
        set_text(c, "名册中的单位均已报送，无需催报。")
        c.font = font()
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(CHASE_HEADER))
    return row


def _draw_notes(ws: Worksheet, board: Board, row: int) -> int:
    """The board's notes below the table, a blank row before each; returns the last row."""
    for note in board.notes():
        row += 2
        c = ws.cell(row, 1)
        set_text(c, note)
        c.font = font()
        c.alignment = _WRAP
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(CHASE_HEADER))
        ws.row_dimensions[row].height = 16 * _lines(note, sum(WIDTHS)) + 4
    return row


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a column ``width`` units wide (a Chinese
    character is about 1.7 units of 宋体 11)."""
    used = sum(1.7 if ord(ch) > 0x2E7F else 1.0 for ch in text)
    return max(1, math.ceil(used / width))
