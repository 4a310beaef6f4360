"""Writing the summary workbook: the form filled with the totals, and the sheets that explain them.

Sheets, in order:

- 汇总表: the form as ``template.build_template`` draws it, 填报单位 = the summary's name, every
  numeric cell the exact total. Computed cells hold their **values**, not formulas: a formula
  written by openpyxl has no cached result, so pandas, WPS previews and our own reader would see an
  empty cell; values are what every program reads, and they are consistent by construction (the
  merge recomputes them from the summed inputs). The identity sheet records ``kind = summary``,
  the summary's name and every unit it includes, so the summary can be merged again (roll-up) and
  a unit counted twice is caught.
- 分单位明细: one row per return that counts, with every numeric cell under a two-level header
  (row item over 数量 / 慰问金 / 物资折款 / 小计); a 合计 row first, then each category's 小计 row
  followed by its units, categories in the form's order, then 未列入名册. These rows are the
  provenance of every number in 汇总表.
- 报送情况: every roster unit with its status, file, date, contact and phone.
- 校验问题: every finding of every file, merge findings included.
- 来源文件: every file seen, with size, sha256, unit, and whether it counts and why not.
- 图表: the per-category totals and native bar charts of them.
- 同比 (only with a ``compare.Comparison``): last time, this time and the change per unit and
  per category on the headline cells, big swings marked.

The identity sheet also records, for ``compare`` to read this summary next season: the form
family (``form_family``), the summary's date (``summary_date``) and, for every numeric column of
分单位明细, its form row and column ids with its two header labels (``detail_cell``, columns A–D).
A later form that keeps the ids but rewords a label still finds each number by id.

The workbook is written with XlsxWriter. 汇总表 is the form as ``build_template`` draws it (with
openpyxl), filled with the totals, and copied cell by cell (``xlsx_copy``); the other sheets are
written straight to XlsxWriter, one format per distinct look. Money is written as the float of
its ``Decimal`` (XlsxWriter writes 16 significant digits, so any total of up to 15 significant
digits reads back exactly). All text goes in as a string (``write_string``, cleaned by
``xlsx_text.clean_text``; text that starts like a formula gets a quote prefix): a 备注 of
``=HYPERLINK(…)`` stays text. The document's dates are fixed, and XlsxWriter stamps every zip
entry alike, so the same summary gives the same bytes; the file is written atomically
(``atomic``). ``build_summary`` gives the file read back by openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook as XlsxBook
from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.model import CellKey, CellKind, FormSpec, Severity, ValueKind, identity
from shuangyong_cli.model import count as count_findings
from shuangyong_cli.season import (
    CHART_SHEET,
    COMPARE_SHEET,
    DETAIL_LEAD,
    DETAIL_SHEET,
    DETAIL_TAIL,
    FILES_SHEET,
    FINDINGS_SHEET,
    META_DETAIL_CELL,
    META_FAMILY,
    META_SUMMARY_DATE,
    STATUS_SHEET,
    SUMMARY_SHEET,
    UNLISTED,
    Status,
    Summary,
    UnitRow,
    detail_columns,
    numeric_cells,
)
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.cell_text import clean_text, column_width, display_width
from shuangyong_cli.writing.report import FINDINGS_COLUMNS, SEVERITY_FILL, finding_rows
from shuangyong_cli.writing.template import (
    FONT_CHARSET,
    FONT_NAME,
    build_template,
    template_positions,
)
from shuangyong_cli.writing.xlsx_copy import WIDTH_PADDING, FormatCache, copy_sheet

if TYPE_CHECKING:
    from shuangyong_cli.season import Comparison, Line


COUNT_FORMAT = "0"
MONEY_FORMAT = "0.00"
DATE_FORMAT = "yyyy-mm-dd"
GENERAL = "General"

#: How many column-width units an A4 landscape page holds at a readable scale (about 75 %).
PAGE_WIDTH_UNITS = 170.0

#: Fills, as ``#RRGGBB``.
TOTAL_FILL = "#FCE4D6"
SUBTOTAL_FILL = "#FFF2CC"
HEADER_FILL = "#DDEBF7"
RED_FILL = "#F8CBAD"
YELLOW_FILL = "#FFE699"
STATUS_FILLS = {
    Status.MISSING: RED_FILL,
    Status.ERRORS: RED_FILL,
    Status.LATE: YELLOW_FILL,
    Status.DUPLICATE: YELLOW_FILL,
}
SEVERITY_FILLS = {severity: f"#{colour[-6:]}" for severity, colour in SEVERITY_FILL.items()}

#: Alignments, as XlsxWriter format properties.
Align = tuple[tuple[str, Any], ...]
_CENTRE: Align = (("align", "center"), ("valign", "vcenter"), ("text_wrap", True))
_TITLE_ALIGN: Align = (("align", "left"), ("valign", "vcenter"))
_MIDDLE: Align = (("valign", "vcenter"),)
_MIDDLE_WRAP: Align = (("valign", "vcenter"), ("text_wrap", True))

_FONT = {"font_name": FONT_NAME, "font_size": 11, "font_charset": FONT_CHARSET}
_BOX = {"left": 1, "right": 1, "top": 1, "bottom": 1}

_FORMULA_START = ("=", "+", "-", "@")

#: Chart sizes are given in centimetres, as openpyxl took them; XlsxWriter takes pixels.
_PX_PER_CM = 96 / 2.54


# -- entry points ---------------------------------------------------------------------------------


def write_summary(
    summary: Summary,
    spec: FormSpec,
    out: Path,
    *,
    force: bool,
    inputs: Sequence[Path],
    comparison: Comparison | None = None,
) -> Path:
    """Write the summary workbook to ``out`` atomically; returns the path written.

    Refuses (``OutputError``) an output that is one of ``inputs``, lies inside a folder in
    ``inputs``, or exists without ``force``; nothing is written then."""
    target = atomic.check_output(out, inputs=inputs, force=force, what="汇总表")
    data = summary_bytes(summary, spec, comparison)
    atomic.write_bytes_atomic(target, data)
    return target


def build_summary(
    summary: Summary, spec: FormSpec, comparison: Comparison | None = None
) -> Workbook:
    """The summary workbook as written, read back by openpyxl; with ``comparison``, a 同比
    sheet after 图表."""
    return openpyxl.load_workbook(io.BytesIO(summary_bytes(summary, spec, comparison)))


def summary_bytes(summary: Summary, spec: FormSpec, comparison: Comparison | None = None) -> bytes:
    """The summary workbook's file, written by XlsxWriter in memory."""
    buf = io.BytesIO()
    book = XlsxBook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    _build(book, summary, spec, comparison)
    book.close()
    return buf.getvalue()


def _build(book: XlsxBook, summary: Summary, spec: FormSpec, comparison: Comparison | None) -> None:
    formats = FormatCache(book)
    p = _Painter(formats)
    form = build_template(spec, unit=summary.name)[spec.sheet]
    assert isinstance(form, Worksheet)
    _fill_form(form, summary, spec)
    copy_sheet(form, book.add_worksheet(SUMMARY_SHEET), formats)
    _write_detail(p, book.add_worksheet(DETAIL_SHEET), summary, spec)
    _write_statuses(p, book.add_worksheet(STATUS_SHEET), summary)
    _write_findings(p, book.add_worksheet(FINDINGS_SHEET), summary)
    _write_files(p, book.add_worksheet(FILES_SHEET), summary)
    _write_chart(p, book, book.add_worksheet(CHART_SHEET), summary, spec)
    if comparison is not None:
        _write_comparison(p, book.add_worksheet(COMPARE_SHEET), summary, comparison, spec)
    _write_identity(book.add_worksheet(identity.META_SHEET), summary, spec)
    book.set_properties(
        {
            "title": f"{spec.title}（{summary.name}汇总）",
            "author": "shuangyong",
            "created": atomic.FIXED_DOC_DATETIME,
        }
    )


# -- 汇总表 ----------------------------------------------------------------------------------------


def _fill_form(ws: Worksheet, summary: Summary, spec: FormSpec) -> None:
    pos = template_positions(spec)
    ws.title = SUMMARY_SHEET
    # The summary is the office's own document: not protected, totals as values (see above).
    ws.protection.sheet = False
    for cell in numeric_cells(spec):
        ws[pos.cell(*cell)].value = summary.total[cell]
    date_field = next((f for f in spec.header_fields if f.kind == "date"), None)
    if date_field is not None and summary.date is not None:
        c = ws[pos.field_cell(date_field.id)]
        c.value = summary.date
        c.number_format = DATE_FORMAT


def _write_identity(meta: XlsxSheet, summary: Summary, spec: FormSpec) -> None:
    rows = identity.identity_rows(
        spec, "summary", summary_name=summary.name, included=summary.included_units
    )
    rows.append((META_FAMILY, spec.family))
    if summary.date is not None:
        rows.append((META_SUMMARY_DATE, summary.date.isoformat()))
    for r, (key, value) in enumerate(rows):
        meta.write_string(r, 0, clean_text(str(key)))
        meta.write_string(r, 1, clean_text(str(value)))
    # Which form cell each column of 分单位明细 holds, by id and by its two header labels.
    for r, ((row_id, col_id), top, sub) in enumerate(detail_columns(spec), start=len(rows)):
        for col, text in enumerate((META_DETAIL_CELL, f"{row_id}.{col_id}", top, sub)):
            meta.write_string(r, col, clean_text(text))
    meta.very_hidden()
    meta.protect()


# -- writing cells --------------------------------------------------------------------------------


class _Painter:
    """Writes styled cells into XlsxWriter worksheets, at 1-based rows and columns as the
    sheets are laid out; one format per combination of the look's parts. Table cells get a
    thin box border. Text is always a string; text that starts like a formula gets a quote
    prefix, as ``xlsx_text.set_text`` gives it."""

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
        props: dict[str, Any] = {**_FONT, "font_size": size}
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
            props.update(_BOX)
        if quote:
            props["quote_prefix"] = True
        made = self._cache[key] = self._formats.get(props)
        return made

    def put_text(self, ws: XlsxSheet, row: int, col: int, value: str, **look: Any) -> None:
        """``value`` as a string at (``row``, ``col``), 1-based, styled by ``look``."""
        text = clean_text(str(value))
        quote = text.startswith(_FORMULA_START)
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
        self.put_text(ws, row, col, label, bold=True, fill=HEADER_FILL, align=_CENTRE)

    def header_row(self, ws: XlsxSheet, row: int, labels: Sequence[str]) -> None:
        for col, label in enumerate(labels, start=1):
            self.header(ws, row, col, label)

    def merged_header(
        self, ws: XlsxSheet, row1: int, col1: int, row2: int, col2: int, label: str
    ) -> None:
        """A header cell over rows ``row1``–``row2`` and columns ``col1``–``col2``."""
        if (row1, col1) != (row2, col2):
            fmt = self.format(bold=True, fill=HEADER_FILL, align=_CENTRE)
            ws.merge_range(row1 - 1, col1 - 1, row2 - 1, col2 - 1, "", fmt)
        self.header(ws, row1, col1, label)


def _widths(ws: XlsxSheet, widths: Sequence[float]) -> None:
    """Column widths in characters, written as openpyxl wrote them (see ``WIDTH_PADDING``)."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width - WIDTH_PADDING)


def _title(p: _Painter, ws: XlsxSheet, text: str, last_col: int) -> None:
    look = p.format(bold=True, size=14, align=_TITLE_ALIGN, border=False)
    if last_col > 1:
        ws.merge_range(0, 0, 0, last_col - 1, "", look)
    p.put_text(ws, 1, 1, text, bold=True, size=14, align=_TITLE_ALIGN, border=False)
    ws.set_row(0, 24)


def _print(
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


def _table(
    ws: XlsxSheet, header_row: int, last_row: int, last_col: int, freeze: tuple[int, int]
) -> None:
    """Frozen header (above and left of the 1-based cell ``freeze``) and a filter over the
    table."""
    ws.freeze_panes(freeze[0] - 1, freeze[1] - 1)
    ws.autofilter(header_row - 1, 0, max(last_row, header_row) - 1, last_col - 1)


# -- 分单位明细 ------------------------------------------------------------------------------------


def _remarks(unit: UnitRow, spec: FormSpec) -> str:
    parts = [f"{spec.row(r).seq}：{text.strip()}" for r, text in unit.remarks.items()]
    if unit.is_summary:
        parts.insert(0, f"汇总表，含 {len(unit.includes)} 个单位")
    return "；".join(parts)


def _write_detail(p: _Painter, ws: XlsxSheet, summary: Summary, spec: FormSpec) -> None:
    cols = detail_columns(spec)
    first_num = len(DETAIL_LEAD) + 1
    last_num = first_num + len(cols) - 1
    last_col = last_num + len(DETAIL_TAIL)
    _title(p, ws, f"{summary.name} 分单位明细（金额单位：万元）", last_col)
    top, sub = 2, 3
    # The two-level header: text columns over both rows; each row item over its cells.
    for i, label in enumerate(DETAIL_LEAD + DETAIL_TAIL):
        col = i + 1 if i < len(DETAIL_LEAD) else last_num + 1 + i - len(DETAIL_LEAD)
        p.merged_header(ws, top, col, sub, col, label)
    start = first_num
    for i, (_, heading, label) in enumerate(cols):
        col = first_num + i
        p.header(ws, sub, col, label)
        if i + 1 == len(cols) or cols[i + 1][1] != heading:
            p.merged_header(ws, top, start, top, col, heading)
            start = col + 1
    ws.set_row(top - 1, 42)
    ws.set_row(sub - 1, 30)

    formats = [
        COUNT_FORMAT if spec.column(c).kind is ValueKind.COUNT else MONEY_FORMAT
        for (_, c), _, _ in cols
    ]
    tail = last_num + 1
    row = sub + 1

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
    names = column_width((u.name for c in summary.categories for u in c.units), 22, 40)
    widths = [18, names, *[11.0 if f == MONEY_FORMAT else 10.0 for f in formats], 30, 24, 11, 34]
    _widths(ws, widths)
    _table(ws, sub, row, last_col, freeze=(sub + 1, first_num))
    _print(ws, widths, title_rows=(top, sub), title_cols=(1, 2), wide=True)


# -- 报送情况 --------------------------------------------------------------------------------------

STATUS_HEADER = (
    "序号", "单位类别", "单位名称", "状态", "文件", "日期", "联系人", "联系电话", "说明",
)  # fmt: skip


def _status_line(summary: Summary) -> str:
    on_roster = [s for s in summary.statuses if s.on_roster]
    others = len(summary.statuses) - len(on_roster)
    if not summary.roster_given:
        return f"未提供名册：下列为报送了报表的 {others} 个单位"
    counts = "，".join(
        f"{st.value} {n}" for st in Status if (n := sum(1 for s in on_roster if s.status is st))
    )
    line = f"名册共 {len(on_roster)} 个单位：{counts}"
    if others:
        line += f"；另有未列入名册的单位 {others} 个"
    if summary.deadline is not None:
        line += f"（截止日期 {summary.deadline.isoformat()}）"
    return line


FILE_WIDTH = 24
NOTE_WIDTH = 36
LINE_HEIGHT = 15.0
"""Points per line of 11-point text."""


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` wide (an estimate)."""
    return max(1, math.ceil(display_width(text) / (width - 2)))


def _write_statuses(p: _Painter, ws: XlsxSheet, summary: Summary) -> None:
    _title(p, ws, _status_line(summary), len(STATUS_HEADER))
    p.header_row(ws, 2, STATUS_HEADER)
    row = 2
    mid, wrap = _MIDDLE, _MIDDLE_WRAP  # 文件 and 说明 wrap, so that the sheet prints readably
    for n, s in enumerate(summary.statuses, start=1):
        row += 1
        p.number(ws, row, 1, n, align=mid)
        p.text(ws, row, 2, s.category, align=mid)
        p.text(ws, row, 3, s.name, align=mid)
        flagged = s.status is not Status.REPORTED
        fill = STATUS_FILLS.get(s.status)
        p.text(ws, row, 4, s.status.value, bold=flagged, fill=fill, align=mid)
        p.text(ws, row, 5, s.file or "、".join(s.files), align=wrap)
        p.date(ws, row, 6, s.date, align=mid)
        p.text(ws, row, 7, s.contact, align=mid)
        p.text(ws, row, 8, s.phone, align=mid)
        p.text(ws, row, 9, s.note, align=wrap)
        lines = max(_lines(s.file or "、".join(s.files), FILE_WIDTH), _lines(s.note, NOTE_WIDTH))
        if lines > 1:
            p.row_height(ws, row, LINE_HEIGHT * lines)
    categories = column_width((s.category for s in summary.statuses), 10, 20)
    names = column_width((s.name for s in summary.statuses), 12, 40)
    widths = [6, categories, names, 8, FILE_WIDTH, 11, 10, 14, NOTE_WIDTH]
    _widths(ws, widths)
    _table(ws, 2, row, len(STATUS_HEADER), freeze=(3, 4))
    _print(ws, widths, title_rows=(2, 2))


# -- 校验问题 --------------------------------------------------------------------------------------


def _write_findings(p: _Painter, ws: XlsxSheet, summary: Summary) -> None:
    """The same rows and columns as ``validate --report`` (report_xlsx): by file, errors first."""
    rows = finding_rows(summary.to_report())
    # counted as validate and the terminal count them (the merge's own decisions not again)
    count = {sev: count_findings((f for _, _, f in rows), sev) for sev in Severity}
    header = [name for name, _ in FINDINGS_COLUMNS]
    _title(
        p,
        ws,
        f"校验问题：错误 {count[Severity.ERROR]} 个，警告 {count[Severity.WARNING]} 个，"
        f"提示 {count[Severity.INFO]} 个",
        len(header),
    )
    p.header_row(ws, 2, header)
    row = 2
    for file, unit, f in rows:
        row += 1
        texts = (file, unit, f.sheet, f.cell, f.field, f.value, f.severity.label, f.code, f.message)
        for col, text in enumerate(texts, start=1):
            fill = SEVERITY_FILLS[f.severity] if col == 7 else None
            p.text(ws, row, col, text, fill=fill, align=_MIDDLE_WRAP if col in (1, 9) else None)
        lines = max(_lines(file, FINDINGS_COLUMNS[0][1]), _lines(f.message, FINDINGS_COLUMNS[8][1]))
        if lines > 1:  # wrapped texts print whole only in rows as high as they are
            p.row_height(ws, row, LINE_HEIGHT * lines)
    widths = [width for _, width in FINDINGS_COLUMNS]
    _widths(ws, widths)
    _table(ws, 2, row, len(header), freeze=(3, 3))
    _print(ws, widths, title_rows=(2, 2))


# -- 来源文件 --------------------------------------------------------------------------------------

FILES_HEADER = (
    "序号", "文件", "类型", "填报单位", "名册单位", "单位类别", "日期", "是否计入", "说明",
    "错误", "警告", "大小（字节）", "SHA-256",
)  # fmt: skip


def _write_files(p: _Painter, ws: XlsxSheet, summary: Summary) -> None:
    included = sum(1 for f in summary.files if f.included)
    _title(
        p,
        ws,
        f"来源文件：共 {len(summary.files)} 个，计入 {included} 个，"
        f"未计入 {len(summary.files) - included} 个",
        len(FILES_HEADER),
    )
    p.header_row(ws, 2, FILES_HEADER)
    row = 2
    for n, f in enumerate(summary.files, start=1):
        row += 1
        p.number(ws, row, 1, n)
        p.text(ws, row, 2, f.path)
        p.text(ws, row, 3, "汇总表" if f.is_summary else ("报表" if f.unit else ""))
        p.text(ws, row, 4, f.unit)
        p.text(ws, row, 5, f.roster_unit)
        p.text(ws, row, 6, f.category or (UNLISTED if f.included and not f.roster_unit else ""))
        p.date(ws, row, 7, f.date)
        if f.included:
            p.text(ws, row, 8, "计入")
        else:
            p.text(ws, row, 8, "未计入", bold=True, fill=RED_FILL)
        p.text(ws, row, 9, f.reason)
        p.number(ws, row, 10, f.errors)
        p.number(ws, row, 11, f.warnings)
        p.number(ws, row, 12, f.size)
        p.text(ws, row, 13, f.sha256)
    widths = [6, 34, 8, 24, 20, 16, 11, 9, 60, 6, 6, 12, 66]
    _widths(ws, widths)
    _table(ws, 2, row, len(FILES_HEADER), freeze=(3, 3))
    _print(ws, widths, title_rows=(2, 2))


# -- 图表 ------------------------------------------------------------------------------------------


def chart_cells(spec: FormSpec) -> tuple[list[CellKey], CellKey | None]:
    """What the chart shows: the money cells of the 合计 row (慰问金, 物资折款, 小计), and the
    first computed count (二、走访慰问优抚对象 / 数量, the 人次 visited) when the form has one."""
    total_row = next((r for r in spec.rows if r.total), None)
    money = [
        (r, c)
        for r, c in numeric_cells(spec)
        if total_row is not None and r == total_row.id and spec.column(c).kind is ValueKind.MONEY
    ]
    count = next(
        (
            (r, c)
            for r, c in numeric_cells(spec)
            if spec.column(c).kind is ValueKind.COUNT and spec.row(r).kind(c) is CellKind.CALC
        ),
        None,
    )
    return money, count


def _stacked_columns(spec: FormSpec, columns: list[str]) -> list[str]:
    """When one money column is the sum of the others (小计 = 慰问金 + 物资折款), the parts."""
    for rule in spec.rules:
        if rule.target_column in columns and set(rule.source_columns) <= set(columns):
            return list(rule.source_columns)
    return []


def _write_chart(
    p: _Painter, book: XlsxBook, ws: XlsxSheet, summary: Summary, spec: FormSpec
) -> None:
    money, people = chart_cells(spec)
    cells = money + ([people] if people else [])
    labels = [spec.column(c).label for _, c in money]
    if people is not None:
        visited = spec.row(people[0])
        labels.append(f"{visited.label}（{visited.measure}）")
    header = ["单位类别", "单位数", *labels]
    _title(p, ws, f"{summary.name} 各类单位慰问款物（万元）", len(header))
    p.header_row(ws, 2, header)
    row = 2
    for category in summary.categories:
        row += 1
        p.text(ws, row, 1, category.name)
        p.number(ws, row, 2, len(category.units))
        for i, cell in enumerate(cells):
            fmt = MONEY_FORMAT if cell in money else COUNT_FORMAT
            p.number(ws, row, 3 + i, category.values[cell], fmt)
    last = row
    row += 1
    p.text(ws, row, 1, "合计", bold=True, fill=TOTAL_FILL)
    p.number(ws, row, 2, len(summary.units), bold=True, fill=TOTAL_FILL)
    for i, cell in enumerate(cells):
        fmt = MONEY_FORMAT if cell in money else COUNT_FORMAT
        p.number(ws, row, 3 + i, summary.total[cell], fmt, bold=True, fill=TOTAL_FILL)
    widths = [20, 8, *[14] * len(cells)]
    _widths(ws, widths)
    _print(ws, widths, title_rows=(2, 2))
    if last < 3 or not money:
        return
    # Rows and columns of the series, 0-based as XlsxWriter takes them: the header in row 2,
    # the categories in rows 3 to ``last``.
    categories = [CHART_SHEET, 2, 0, last - 1, 0]
    stack = _stacked_columns(spec, [c for _, c in money])
    # The parts stacked (each bar as long as their sum, 小计), or side by side.
    chart = book.add_chart({"type": "bar", "subtype": "stacked"} if stack else {"type": "bar"})
    assert chart is not None
    chart.set_title({"name": "各类单位慰问款物（万元）"})
    # In a bar chart XlsxWriter's x axis is the value axis, the y axis the categories.
    chart.set_x_axis({"name": "万元", "num_format": MONEY_FORMAT})
    chart.set_y_axis({"reverse": True})  # categories top to bottom, in the form's order
    for i, (_, col) in enumerate(money):
        if stack and col not in stack:
            continue
        series: dict[str, Any] = {
            "name": [CHART_SHEET, 1, 2 + i],
            "categories": categories,
            "values": [CHART_SHEET, 2, 2 + i, last - 1, 2 + i],
        }
        if stack:
            series["overlap"] = 100
        chart.add_series(series)
    height_cm = 2 + 1.1 * (last - 2)
    size = {"width": 18 * _PX_PER_CM, "height": height_cm * _PX_PER_CM}
    chart.set_size(size)
    anchor_col = len(header) + 1  # 0-based: one column left free after the table
    ws.insert_chart(1, anchor_col, chart)
    if people is not None:
        visits = book.add_chart({"type": "bar"})
        assert visits is not None
        visits.set_title({"name": labels[-1]})
        visits.set_legend({"none": True})
        column = 2 + len(money)
        visits.add_series(
            {
                "name": [CHART_SHEET, 1, column],
                "categories": categories,
                "values": [CHART_SHEET, 2, column, last - 1, column],
            }
        )
        visits.set_y_axis({"reverse": True})
        visits.set_size(size)
        ws.insert_chart(int(height_cm * 2) + 3, anchor_col, visits)


# -- 同比 ------------------------------------------------------------------------------------------

COMPARE_LEAD = ("单位类别", "单位名称")
COMPARE_PARTS = ("上次", "本次", "增减")
COMPARE_TAIL = ("本次状态", "说明")


def _compare_note(line: Line) -> str:
    parts = [line.note] if line.note else []
    if line.earlier_name:
        parts.append(f"上次名称为“{line.earlier_name}”")
    parts.extend(s.short for s in line.swings)
    return "；".join(parts)


def _write_comparison(
    p: _Painter, ws: XlsxSheet, summary: Summary, comparison: Comparison, spec: FormSpec
) -> None:
    from shuangyong_cli.season import Level, item_name

    e = comparison.earlier
    cells = comparison.cells
    first_num = len(COMPARE_LEAD) + 1
    tail = first_num + len(COMPARE_PARTS) * len(cells)
    last_col = tail + len(COMPARE_TAIL) - 1
    when = f"，{e.date.isoformat()}" if e.date else ""
    _title(
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
    _widths(ws, widths)
    _table(ws, sub, row, last_col, freeze=(sub + 1, first_num))
    _print(ws, widths, title_rows=(top, sub), title_cols=(1, 2), wide=True)
