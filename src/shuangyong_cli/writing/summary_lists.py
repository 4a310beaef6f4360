"""The summary's three lists: 报送情况 (every roster unit and its status), 校验问题 (every
finding, as ``validate --report`` lists them) and 来源文件 (every file seen, and whether it counts).
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.model import Severity
from shuangyong_cli.model import count as count_findings
from shuangyong_cli.season import UNLISTED, Status, Summary
from shuangyong_cli.writing.cell_text import column_width
from shuangyong_cli.writing.report import FINDINGS_COLUMNS, finding_rows
from shuangyong_cli.writing.styles import RED_FILL, XLSX_SEVERITY_FILL, YELLOW_FILL
from shuangyong_cli.writing.summary_painter import (
    LINE_HEIGHT,
    MIDDLE,
    MIDDLE_WRAP,
    Painter,
    set_print,
    set_table,
    set_widths,
    wrapped_lines,
    write_title,
)

STATUS_FILLS = {
    Status.MISSING: RED_FILL,
    Status.ERRORS: RED_FILL,
    Status.LATE: YELLOW_FILL,
    Status.DUPLICATE: YELLOW_FILL,
}

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


def write_statuses(p: Painter, ws: XlsxSheet, summary: Summary) -> None:
    write_title(p, ws, _status_line(summary), len(STATUS_HEADER))
    p.header_row(ws, 2, STATUS_HEADER)
    row = 2
    mid, wrap = MIDDLE, MIDDLE_WRAP  # 文件 and 说明 wrap, so that the sheet prints readably
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
        lines = max(
            wrapped_lines(s.file or "、".join(s.files), FILE_WIDTH),
            wrapped_lines(s.note, NOTE_WIDTH),
        )
        if lines > 1:
            p.row_height(ws, row, LINE_HEIGHT * lines)
    categories = column_width((s.category for s in summary.statuses), 10, 20)
    names = column_width((s.name for s in summary.statuses), 12, 40)
    widths = [6, categories, names, 8, FILE_WIDTH, 11, 10, 14, NOTE_WIDTH]
    set_widths(ws, widths)
    set_table(ws, 2, row, len(STATUS_HEADER), freeze=(3, 4))
    set_print(ws, widths, title_rows=(2, 2))


# -- 校验问题 --------------------------------------------------------------------------------------


def write_findings(p: Painter, ws: XlsxSheet, summary: Summary) -> None:
    """The same rows and columns as ``validate --report`` (report_xlsx): by file, errors first."""
    rows = finding_rows(summary.to_report())
    # counted as validate and the terminal count them (the merge's own decisions not again)
    count = {sev: count_findings((f for _, _, f in rows), sev) for sev in Severity}
    header = [name for name, _ in FINDINGS_COLUMNS]
    write_title(
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
            fill = XLSX_SEVERITY_FILL[f.severity] if col == 7 else None
            p.text(ws, row, col, text, fill=fill, align=MIDDLE_WRAP if col in (1, 9) else None)
        lines = max(
            wrapped_lines(file, FINDINGS_COLUMNS[0][1]),
            wrapped_lines(f.message, FINDINGS_COLUMNS[8][1]),
        )
        if lines > 1:  # wrapped texts print whole only in rows as high as they are
            p.row_height(ws, row, LINE_HEIGHT * lines)
    widths = [width for _, width in FINDINGS_COLUMNS]
    set_widths(ws, widths)
    set_table(ws, 2, row, len(header), freeze=(3, 3))
    set_print(ws, widths, title_rows=(2, 2))


# -- 来源文件 --------------------------------------------------------------------------------------

FILES_HEADER = (
    "序号", "文件", "类型", "填报单位", "名册单位", "单位类别", "日期", "是否计入", "说明",
    "错误", "警告", "大小（字节）", "SHA-256",
)  # fmt: skip


def write_files(p: Painter, ws: XlsxSheet, summary: Summary) -> None:
    included = sum(1 for f in summary.files if f.included)
    write_title(
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
    set_widths(ws, widths)
    set_table(ws, 2, row, len(FILES_HEADER), freeze=(3, 3))
    set_print(ws, widths, title_rows=(2, 2))
