"""Writing the summary workbook: the form filled with the totals, and the sheets that explain them.

Sheets, in order:

- 汇总表: the form as ``template.build_template`` draws it, 填报单位 = the summary's name, every
  numeric cell the exact total; or, for a definition learned from the clerk's own blank, that
  blank filled in the same way (``form_sheet``, filled by ``learn.own_template``). Computed
  cells hold their **values**, not formulas (the blank's own formulas too): a formula written by
  openpyxl has no cached result, so pandas, WPS previews and our own reader would see an empty
  cell; values are what every program reads, and they are consistent by construction (the merge
  recomputes them from the summed inputs). The identity sheet records ``kind = summary``,
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
written straight to XlsxWriter, one format per distinct look (``summary_painter``), each by a
module of its own: ``summary_detail``, ``summary_lists`` (报送情况, 校验问题, 来源文件),
``summary_chart``, ``summary_comparison``. Money is written as the float of
its ``Decimal`` (XlsxWriter writes 16 significant digits, so any total of up to 15 significant
digits reads back exactly). All text goes in as a string (``write_string``, cleaned by
``cell_text.clean_text``; text that starts like a formula gets a quote prefix): a 备注 of
``=HYPERLINK(…)`` stays text. The document's dates are fixed, and XlsxWriter stamps every zip
entry alike, so the same summary gives the same bytes; the file is written atomically
(``atomic``). ``build_summary`` gives the file read back by openpyxl.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.workbook import Workbook as XlsxBook
from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.model import FormSpec, identity
from shuangyong_cli.season import (
    CHART_SHEET,
    COMPARE_SHEET,
    DETAIL_SHEET,
    FILES_SHEET,
    FINDINGS_SHEET,
    META_DETAIL_CELL,
    META_FAMILY,
    META_SUMMARY_DATE,
    STATUS_SHEET,
    SUMMARY_SHEET,
    Summary,
    detail_columns,
    numeric_cells,
)
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.cell_text import clean_text
from shuangyong_cli.writing.styles import DATE_FORMAT
from shuangyong_cli.writing.summary_chart import write_chart
from shuangyong_cli.writing.summary_comparison import write_comparison
from shuangyong_cli.writing.summary_detail import write_detail
from shuangyong_cli.writing.summary_lists import write_files, write_findings, write_statuses
from shuangyong_cli.writing.summary_painter import Painter
from shuangyong_cli.writing.template import build_template
from shuangyong_cli.writing.template_layout import template_positions
from shuangyong_cli.writing.xlsx_copy import FormatCache, copy_sheet

if TYPE_CHECKING:
    from shuangyong_cli.season import Comparison


# -- entry points ---------------------------------------------------------------------------------


def write_summary(
    summary: Summary,
    spec: FormSpec,
    out: Path,
    *,
    force: bool,
    inputs: Sequence[Path],
    comparison: Comparison | None = None,
    form_sheet: Worksheet | None = None,
) -> Path:
    """Write the summary workbook to ``out`` atomically; returns the path written.

    Refuses (``OutputError``) an output that is one of ``inputs``, lies inside a folder in
    ``inputs``, or exists without ``force``; nothing is written then. ``form_sheet``: the
    汇总表 already filled (the clerk's own blank with the totals), instead of the drawn form."""
    target = atomic.check_output(out, inputs=inputs, force=force, what="汇总表")
    data = summary_bytes(summary, spec, comparison, form_sheet)
    atomic.write_bytes_atomic(target, data)
    return target


def build_summary(
    summary: Summary,
    spec: FormSpec,
    comparison: Comparison | None = None,
    form_sheet: Worksheet | None = None,
) -> Workbook:
    """The summary workbook as written, read back by openpyxl; with ``comparison``, a 同比
    sheet after 图表."""
    data = summary_bytes(summary, spec, comparison, form_sheet)
    return openpyxl.load_workbook(io.BytesIO(data))


def summary_bytes(
    summary: Summary,
    spec: FormSpec,
    comparison: Comparison | None = None,
    form_sheet: Worksheet | None = None,
) -> bytes:
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
    _build(book, summary, spec, comparison, form_sheet)
    book.close()
    return buf.getvalue()


def _build(
    book: XlsxBook,
    summary: Summary,
    spec: FormSpec,
    comparison: Comparison | None,
    form_sheet: Worksheet | None,
) -> None:
    formats = FormatCache(book)
    p = Painter(formats)
    form = form_sheet
    if form is None:
        drawn = build_template(spec, unit=summary.name)[spec.sheet]
        assert isinstance(drawn, Worksheet)
        _fill_form(drawn, summary, spec)
        form = drawn
    else:
        form.protection.sheet = False  # the office's own document, as the drawn one
    copy_sheet(form, book.add_worksheet(SUMMARY_SHEET), formats)
    write_detail(p, book.add_worksheet(DETAIL_SHEET), summary, spec)
    write_statuses(p, book.add_worksheet(STATUS_SHEET), summary)
    write_findings(p, book.add_worksheet(FINDINGS_SHEET), summary)
    write_files(p, book.add_worksheet(FILES_SHEET), summary)
    write_chart(p, book, book.add_worksheet(CHART_SHEET), summary, spec)
    if comparison is not None:
        write_comparison(p, book.add_worksheet(COMPARE_SHEET), summary, comparison, spec)
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
