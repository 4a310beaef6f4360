"""Writing the summary's sheets with XlsxWriter: styled cells (``Painter``, one format per
distinct look), and what every list sheet of the summary shares: its title line, column widths,
frozen header and filter, and how it prints.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.writing.cell_text import FORMULA_START, clean_text, display_width
from shuangyong_cli.writing.styles import (
    DATE_FORMAT,
    GENERAL,
    XLSX_BOX,
    XLSX_FONT,
    XLSX_HEADER_FILL,
)
from shuangyong_cli.writing.xlsx_copy import WIDTH_PADDING, FormatCache

#: How many column-width units an A4 landscape page holds at a readable scale (about 75 %).
PAGE_WIDTH_UNITS = 170.0

#: Alignments, as XlsxWriter format properties.
Align = tuple[tuple[str, Any], ...]
CENTRE: Align = (("align", "center"), ("valign", "vcenter"), ("text_wrap", True))
TITLE_ALIGN: Align = (("align", "left"), ("valign", "vcenter"))
MIDDLE: Align = (("valign", "vcenter"),)
MIDDLE_WRAP: Align = (("valign", "vcenter"), ("text_wrap", True))

LINE_HEIGHT = 15.0
"""Points per line of 11-point text."""


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` wide (an estimate)."""
    return max(1, math.ceil(display_width(text) / (width - 2)))


class Painter:
    """Writes styled cells into XlsxWriter worksheets, at 1-based rows and columns as the
    sheets are laid out; one format per combination of the look's parts. Table cells get a
    thin box border. Text is always a string; text that starts like a formula gets a quote
    prefix, as ``cell_text.set_text`` gives it."""

    def __init__(self, formats: FormatCache) -> None:
        self._formats = formats
        self._cache: dict[tuple[object, ...], Format | None] = {}

    def format(
        self,
        *,
        bold: bool = False,
        fill: str | None = None,
        fmt: str = GENERAL,
        align: Align | None = None,
        border: bool = True,
        size: int = 11,
        quote: bool = False,
    ) -> Format | None:
        key = (bold, fill, fmt, align, border, size, quote)
        if key in self._cache:
            return self._cache[key]
        props: dict[str, Any] = {**XLSX_FONT, "font_size": size}
        if bold:
            props["bold"] = True
        if fill is not None:
            props["pattern"] = 1
            props["fg_color"] = fill
        if fmt != GENERAL:
            props["num_format"] = fmt
        if align is not None:
            props.update(align)
        if border:
            props.update(XLSX_BOX)
        if quote:
            props["quote_prefix"] = True
        made = self._cache[key] = self._formats.get(props)
        return made

    def put_text(self, ws: XlsxSheet, row: int, col: int, value: str, **look: Any) -> None:
        """``value`` as a string at (``row``, ``col``), 1-based, styled by ``look``."""
        text = clean_text(str(value))
        quote = text.startswith(FORMULA_START)
        fmt = self.format(quote=quote, **look)
        if text:
            ws.write_string(row - 1, col - 1, text, fmt)
        elif fmt is not None:
            ws.write_blank(row - 1, col - 1, None, fmt)

    def text(
        self,
        ws: XlsxSheet,
        row: int,
        col: int,
        value: str,
        *,
        bold: bool = False,
        fill: str | None = None,
        align: Align | None = None,
    ) -> None:
        self.put_text(ws, row, col, value, bold=bold, fill=fill, align=align)

    def number(
        self,
        ws: XlsxSheet,
        row: int,
        col: int,
        value: Decimal | int,
        fmt: str = GENERAL,
        *,
        bold: bool = False,
        fill: str | None = None,
        align: Align | None = None,
    ) -> None:
        look = self.format(bold=bold, fill=fill, fmt=fmt, align=align)
        ws.write_number(row - 1, col - 1, float(value), look)

    def row_height(self, ws: XlsxSheet, row: int, height: float) -> None:
        """A body row's height in points (a row of wrapped text: spreadsheet programs do not
        grow rows to fit it when they open a file)."""
        ws.set_row(row - 1, height)

    def numbers(
        self,
        ws: XlsxSheet,
        row: int,
        col: int,
        values: Sequence[Decimal | int],
        formats: Sequence[str],
        *,
        bold: bool = False,
        fill: str | None = None,
    ) -> None:
        """``number`` for each of ``values`` (with its format), from column ``col`` on."""
        looks = {fmt: self.format(bold=bold, fill=fill, fmt=fmt) for fmt in set(formats)}
        write = ws.write_number
        for i, (value, fmt) in enumerate(zip(values, formats, strict=True), start=col - 1):
            write(row - 1, i, float(value), looks[fmt])

    def date(
        self,
        ws: XlsxSheet,
        row: int,
        col: int,
        value: dt.date | None,
        align: Align | None = None,
    ) -> None:
        look = self.format(fmt=DATE_FORMAT, align=align)
        if value is None:
            ws.write_blank(row - 1, col - 1, None, look)
        else:
            ws.write_datetime(row - 1, col - 1, value, look)

    def header(self, ws: XlsxSheet, row: int, col: int, label: str) -> None:
        self.put_text(ws, row, col, label, bold=True, fill=XLSX_HEADER_FILL, align=CENTRE)

    def header_row(self, ws: XlsxSheet, row: int, labels: Sequence[str]) -> None:
        for col, label in enumerate(labels, start=1):
            self.header(ws, row, col, label)

    def merged_header(
        self, ws: XlsxSheet, row1: int, col1: int, row2: int, col2: int, label: str
    ) -> None:
        """A header cell over rows ``row1``–``row2`` and columns ``col1``–``col2``."""
        if (row1, col1) != (row2, col2):
            fmt = self.format(bold=True, fill=XLSX_HEADER_FILL, align=CENTRE)
            ws.merge_range(row1 - 1, col1 - 1, row2 - 1, col2 - 1, "", fmt)
        self.header(ws, row1, col1, label)


def set_widths(ws: XlsxSheet, widths: Sequence[float]) -> None:
    """Column widths in characters, written as openpyxl wrote them (see ``WIDTH_PADDING``)."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width - WIDTH_PADDING)


def write_title(p: Painter, ws: XlsxSheet, text: str, last_col: int) -> None:
    look = p.format(bold=True, size=14, align=TITLE_ALIGN, border=False)
    if last_col > 1:
        ws.merge_range(0, 0, 0, last_col - 1, "", look)
    p.put_text(ws, 1, 1, text, bold=True, size=14, align=TITLE_ALIGN, border=False)
    ws.set_row(0, 24)


def set_print(
    ws: XlsxSheet,
    widths: Sequence[float],
    *,
    title_rows: tuple[int, int],
    title_cols: tuple[int, int] | None = None,
    wide: bool = False,
) -> None:
    """A4 landscape, fit to the page width, header rows (and columns) repeated on every page.

    A ``wide`` sheet (分单位明细 has a column per form cell) is fitted to as many pages across
    as keep the text readable, with the ``title_cols`` (单位类别, 单位名称) on each. Rows and
    columns are 1-based."""
    pages = 1
    if wide:
        pages = max(1, math.ceil(sum(widths) / PAGE_WIDTH_UNITS))
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(pages, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("", {"margin": 0.3})
    ws.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})
    ws.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)
    if title_cols:
        ws.repeat_columns(title_cols[0] - 1, title_cols[1] - 1)


def set_table(
    ws: XlsxSheet, header_row: int, last_row: int, last_col: int, freeze: tuple[int, int]
) -> None:
    """Frozen header (above and left of the 1-based cell ``freeze``) and a filter over the
    table."""
    ws.freeze_panes(freeze[0] - 1, freeze[1] - 1)
    ws.autofilter(header_row - 1, 0, max(last_row, header_row) - 1, last_col - 1)
