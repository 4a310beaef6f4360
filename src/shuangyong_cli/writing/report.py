"""The findings report as a workbook (``--report 校验结果.xlsx``) to filter and print.

Sheet 校验结果 has one row per finding (findings about no single file too), sorted by file and
then by severity; sheet 文件汇总 has one row per file with its counts and 结论. Every text is
written as a string (a value like ``=HYPERLINK(…)`` typed by a unit stays text), and the same
report gives the same bytes. Both sheets print on A4 landscape, one page wide, at a readable
size, with long texts wrapped and the header on every page (``printing``).

openpyxl is imported at the top: commands import this module inside their functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import FileResult, Finding, Report, Severity
from shuangyong_cli.writing.atomic import check_output, save_workbook_atomic
from shuangyong_cli.writing.cell_text import set_text
from shuangyong_cli.writing.printing import fit_row, print_on_a4, set_widths
from shuangyong_cli.writing.styles import font, severity_fill

FINDINGS_SHEET = "校验结果"
FILES_SHEET = "文件汇总"

#: (header, width in characters) of the findings table, as the summary's 校验问题 shows it.
FINDINGS_COLUMNS = (
    ("文件", 28),
    ("单位", 20),
    ("工作表", 10),
    ("单元格", 8),
    ("项目", 26),
    ("填写内容", 16),
    ("级别", 6),
    ("代码", 22),
    ("问题说明", 60),
)
#: The widths of 校验结果: narrower, with long texts wrapped, to print on one page width (the
#: widths add up to ``printing.PAGE_UNITS``).
FINDINGS_WIDTHS = (16, 11, 7, 7, 14, 10, 5, 18, 42)
#: The columns of 校验结果 that wrap (文件, 单位, 工作表, 项目, 填写内容, 代码, 问题说明).
FINDINGS_WRAPPED = frozenset({1, 2, 3, 5, 6, 8, 9})
FILES_COLUMNS = (("文件", 36), ("单位", 24), ("错误数", 8), ("警告数", 8), ("结论", 10))

_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_BODY = font()
_BOLD = font(bold=True)


def unit_of(result: FileResult) -> str:
    """The unit a file is from: the roster's name when matched, else as typed."""
    return result.roster_unit or result.unit


def finding_rows(report: Report) -> list[tuple[str, str, Finding]]:
    """(file, unit, finding) for every finding: files sorted by name, within a file errors
    first, then warnings, then 提示 (each in the order found); findings about no single file
    last."""
    rows: list[tuple[str, str, Finding]] = []
    for result in sorted(report.files, key=lambda r: r.path):
        for f in sorted(result.findings, key=lambda f: f.severity.rank):
            rows.append((f.file or result.path, unit_of(result), f))
    for f in sorted(report.general, key=lambda f: f.severity.rank):
        rows.append((f.file, "", f))
    return rows


def write_report_xlsx(
    report: Report, out: Path, *, force: bool = False, inputs: Sequence[Path] = ()
) -> Path:
    """Write the findings workbook to ``out`` (refusing to overwrite an input, or an existing
    file without ``force``). Returns the path written."""
    target = check_output(out, inputs=inputs, force=force, what="校验结果文件")
    wb = build_report_workbook(report)
    save_workbook_atomic(wb, target)
    return target


def build_report_workbook(report: Report) -> Workbook:
    wb = Workbook()
    wb.properties.creator = "shuangyong"
    ws = wb.worksheets[0]
    ws.title = FINDINGS_SHEET
    _header(ws, [name for name, _ in FINDINGS_COLUMNS])
    row = 1
    for row, (file, unit, f) in enumerate(finding_rows(report), start=2):
        texts = (file, unit, f.sheet, f.cell, f.field, f.value, f.severity.label, f.code, f.message)
        for c, text in enumerate(texts, start=1):
            cell = ws.cell(row, c)
            set_text(cell, text)
            cell.font = _BODY
            cell.alignment = _WRAP if c in FINDINGS_WRAPPED else _TOP
        ws.cell(row, 7).fill = severity_fill(f.severity)
        fit_row(ws, row, _wrapped(texts, FINDINGS_WIDTHS, FINDINGS_WRAPPED))
    _finish(ws, FINDINGS_WIDTHS, row)

    files = wb.create_sheet(FILES_SHEET)
    _header(files, [name for name, _ in FILES_COLUMNS])
    widths = [width for _, width in FILES_COLUMNS]
    row = 1
    for row, result in enumerate(sorted(report.files, key=lambda r: r.path), start=2):
        verdict = "通过" if result.ok else "有错误"
        names = (result.path, unit_of(result))
        for c, value in enumerate(names, start=1):
            cell = files.cell(row, c)
            set_text(cell, value)
            cell.alignment = _WRAP
        files.cell(row, 3, result.errors)
        files.cell(row, 4, result.warnings)
        set_text(files.cell(row, 5), verdict)
        for c in range(1, 6):
            files.cell(row, c).font = _BODY
        if not result.ok:
            files.cell(row, 5).fill = severity_fill(Severity.ERROR)
        fit_row(files, row, zip(names, widths[:2], strict=True))
    _finish(files, widths, row)
    return wb


def _wrapped(
    texts: Sequence[str], widths: Sequence[float], columns: frozenset[int]
) -> list[tuple[str, float]]:
    return [(t, w) for c, (t, w) in enumerate(zip(texts, widths, strict=True), 1) if c in columns]


def _header(ws: Worksheet, names: Sequence[str]) -> None:
    for c, name in enumerate(names, start=1):
        cell = ws.cell(1, c)
        set_text(cell, name)
        cell.font = _BOLD
        cell.alignment = _TOP


def _finish(ws: Worksheet, widths: Sequence[float], last_row: int) -> None:
    """Widths, frozen header, filter, and printing (A4 landscape, one page wide, the header on
    every page, grid lines)."""
    set_widths(ws, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(last_row, 1)}"
    print_on_a4(ws, columns=len(widths), last_row=last_row, title_rows="1:1")
    ws.print_options.gridLines = True
