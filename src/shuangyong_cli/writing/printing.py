"""Printing a list of findings on A4 at a readable size: 校验结果 (``--report``) and 校验意见
(the first sheet of each ``--annotate`` copy).

A sheet fitted to one page wide is shrunk until its columns fit: with wide columns a printed
list came out at 6 pt. Here the columns are chosen to fit A4 landscape as they are, in Excel
and WPS (Calibri or 宋体 as the workbook's default font) and in LibreOffice with a wider
default font, where the page is shrunk by about 0.85 (11-pt text prints at 9.5 pt or more). Long
texts wrap, and each row is made high enough for its wrapped text: spreadsheet programs do not
grow a row when they open a file, so a row left at its default height cuts the text off.

openpyxl is imported at the top: commands import the modules using this one inside their
functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.writing.cell_text import display_width
from shuangyong_cli.writing.styles import BODY_SIZE

#: Points per line of 11-point text (Excel gives a row of 宋体 11 14.25 points).
LINE_HEIGHT = 14.5
#: Points above and below the lines of a row.
ROW_PADDING = 3.0
#: The highest row Excel allows, in points.
MAX_ROW_HEIGHT = 409.0

#: How many column-width units the columns of a list may take in all: A4 landscape less the
#: margins below holds about 145 units in Excel (Calibri 11: 7 pixels a unit) and 113 in
#: LibreOffice with DejaVu Sans as the default font, which then prints 11-point text at
#: 11 × 113 / 130 ≈ 9.6 points.
PAGE_UNITS = 130

FOOTER = "第 &P 页，共 &N 页"


def line_capacity(width: float, size: float = BODY_SIZE) -> int:
    """How many display columns (a Chinese character takes two) fit on one line of a column
    ``width`` units wide, at ``size`` points, counted low: Excel's narrowest rendering (a unit
    is 7 pixels, a Chinese character of 11 points 14.7), less a tenth for breaks at words."""
    pixels = width * 7
    per_column = size * 96 / 72 / 2
    return max(1, int(pixels / per_column * 0.9))


def text_lines(text: str, width: float, size: float = BODY_SIZE) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide (at least one)."""
    capacity = line_capacity(width, size)
    return sum(max(1, math.ceil(display_width(part) / capacity)) for part in text.split("\n"))


def row_height(lines: int, size: float = BODY_SIZE) -> float:
    """The height in points of a row of ``lines`` lines of ``size``-point text."""
    return min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT * size / BODY_SIZE + ROW_PADDING)


def fit_row(ws: Worksheet, row: int, cells: Iterable[tuple[str, float]]) -> None:
    """Make ``row`` high enough for each (text, column width) of its wrapped cells; a row of one
    line keeps the default height."""
    lines = max((text_lines(text, width) for text, width in cells if text), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = row_height(lines)


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def print_on_a4(
    ws: Worksheet, *, columns: int, last_row: int, title_rows: str, landscape: bool = True
) -> None:
    """A4 landscape (or portrait), one page wide, the header row(s) ``title_rows`` repeated on
    every page, page numbers at the foot. The print area is the table itself (a long text beside
    it would otherwise widen the page and shrink the print)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_area = f"A1:{get_column_letter(columns)}{max(last_row, 1)}"
    ws.print_title_rows = title_rows
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = FOOTER
        footer.center.size = BODY_SIZE
