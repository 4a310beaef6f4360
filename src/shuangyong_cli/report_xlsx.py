"""The findings report as a workbook (``--report 校验结果.xlsx``) to filter and print.

Sheet 校验结果 has one row per finding (findings about no single file too), sorted by file and
then by severity; sheet 文件汇总 has one row per file with its counts and 结论. Every text is
written as a string (a value like ``=HYPERLINK(…)`` typed by a unit stays text), and the same
report gives the same bytes.

openpyxl is imported at the top: commands import this module inside their functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .atomic import check_output, save_workbook_atomic
from .findings import FileResult, Finding, Report, Severity
from .xlsx_text import set_text

#: Light fills per severity, shared with the annotated copies.
SEVERITY_FILL = {
    Severity.ERROR: "FFC7CE",
    Severity.WARNING: "FFEB9C",
    Severity.INFO: "DDEBF7",
}

FINDINGS_SHEET = "校验结果"
FILES_SHEET = "文件汇总"

#: (header, width in characters) of 校验结果.
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
FILES_COLUMNS = (("文件", 36), ("单位", 24), ("错误数", 8), ("警告数", 8), ("结论", 10))

_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_BOLD = Font(bold=True)


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
    _header(ws, FINDINGS_COLUMNS)
    for r, (file, unit, f) in enumerate(finding_rows(report), start=2):
        texts = (file, unit, f.sheet, f.cell, f.field, f.value, f.severity.label, f.code, f.message)
        for c, text in enumerate(texts, start=1):
            cell = ws.cell(r, c)
            set_text(cell, text)
            cell.alignment = _WRAP if c in (1, 5, 6, 9) else _TOP
        ws.cell(r, 7).fill = _fill(f.severity)
    _finish(ws, FINDINGS_COLUMNS)

    files = wb.create_sheet(FILES_SHEET)
    _header(files, FILES_COLUMNS)
    for r, result in enumerate(sorted(report.files, key=lambda r: r.path), start=2):
        set_text(files.cell(r, 1), result.path)
        set_text(files.cell(r, 2), unit_of(result))
        files.cell(r, 3, result.errors)
        files.cell(r, 4, result.warnings)
        verdict = files.cell(r, 5)
        set_text(verdict, "通过" if result.ok else "有错误")
        if not result.ok:
            verdict.fill = _fill(Severity.ERROR)
    _finish(files, FILES_COLUMNS)
    return wb


def _fill(severity: Severity) -> PatternFill:
    colour = SEVERITY_FILL[severity]
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _header(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    for c, (name, width) in enumerate(columns, start=1):
        cell = ws.cell(1, c)
        set_text(cell, name)
        cell.font = _BOLD
        cell.alignment = _TOP
        ws.column_dimensions[get_column_letter(c)].width = width


def _finish(ws: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    """Frozen header, filter, and A4 landscape printing one page wide with the header repeated."""
    last = get_column_letter(len(columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
