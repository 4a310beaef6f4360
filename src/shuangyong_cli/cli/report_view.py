"""The findings report on the terminal: one line per file, a table of its findings (errors and
warnings; 提示 with ``--verbose``), and the closing count line.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from shuangyong_cli.cli.output import MAX_TABLE_WIDTH, OK_STYLE, SEVERITY_STYLE, Output
from shuangyong_cli.cli.wrap import Wrapped
from shuangyong_cli.model import FileResult, Finding, Report, Severity

# -- the findings report ---------------------------------------------------------------------


def _unit_of(result: FileResult) -> str:
    """The unit a file's line names; for a file with none, why: it could not be read, the form
    is not in it, or its 填报单位 is blank."""
    unit = result.roster_unit or result.unit
    if unit:
        return unit
    errors = [f.code for f in result.findings if f.severity is Severity.ERROR]
    if any(code.startswith("file.") for code in errors):
        return "（无法读取）"
    if "form.not_found" in errors:
        return "（未找到统计表）"
    return "（未填单位）"


def _file_line(result: FileResult, out: Output) -> Text:
    sym = out.symbols
    if result.errors:
        symbol, style = sym.error, SEVERITY_STYLE[Severity.ERROR]
        status = f"{result.errors} 个错误 / {result.warnings} 个警告"
    elif result.warnings:
        symbol, style = sym.warning, SEVERITY_STYLE[Severity.WARNING]
        status = f"通过（{result.warnings} 个警告）"
    else:
        symbol, style = sym.ok, OK_STYLE
        status = "通过"
    if result.included is False:
        status += "，未计入汇总"
    return Text.assemble(
        out.text(symbol + " ", style),
        out.text(result.path),
        "  ",
        out.text(_unit_of(result)),
        "  ",
        out.text(status, style),
    )


def _shown(finding: Finding, out: Output) -> bool:
    if out.quiet:
        return finding.severity is Severity.ERROR
    return out.verbose or finding.severity is not Severity.INFO


def _problem(finding: Finding, out: Output) -> Text:
    style = SEVERITY_STYLE[finding.severity]
    return out.text(finding.severity.label + "：", style) + out.text(finding.message)


def _findings_table(rows: Sequence[tuple[str, Finding]], out: Output) -> Table:
    """(file shown, finding) pairs as a table, in the order given."""
    # Ratios and maximum widths, never minimum widths: when minimums overflow the console,
    # rich crops the last column and wide (CJK) characters are lost at the edge.
    table = Table(
        box=out._box,
        header_style="bold",
        show_edge=False,
        show_lines=True,
        pad_edge=False,
        collapse_padding=True,
        expand=True,
        width=min(out.console.width, MAX_TABLE_WIDTH),
    )
    table.add_column("文件", overflow="fold", ratio=2)
    table.add_column("工作表", overflow="fold", max_width=10)
    table.add_column("单元格", overflow="fold", max_width=12)
    table.add_column("项目", overflow="fold", ratio=2)
    table.add_column("填写内容", overflow="fold", max_width=14)
    table.add_column("问题", overflow="fold", ratio=5)
    previous = None
    for file, f in rows:
        # The file is named on the first of its rows only.
        shown = file if file != previous else ""
        previous = file
        cells = (shown, f.sheet, f.cell, f.field, f.value)
        table.add_row(*(Wrapped(out.text(c)) for c in cells), Wrapped(_problem(f, out)))
    return table


def summary_line(report: Report) -> str:
    """The last line of a validation run."""
    total = len(report.files)
    passed = sum(1 for r in report.files if r.ok)
    return (
        f"共 {total} 个文件：{passed} 个通过，{total - passed} 个有错误；"
        f"错误 {report.count(Severity.ERROR)} 个，警告 {report.count(Severity.WARNING)} 个。"
    )


def render_report(report: Report, out: Output) -> None:
    """The report on stdout, in blocks separated by a blank line: a line per file; the findings
    table; the findings about no single file (units not reported); one last line of counts.

    Within a file, findings are listed errors first, then warnings (then 提示 with
    ``--verbose``), each group in the order the checks found them. ``--quiet``: only the errors
    and the last line.
    """
    blocks: list[list[Text | Table]] = []
    if not out.quiet and report.files:
        blocks.append([_file_line(result, out) for result in report.files])

    rows = [
        (f.file or result.path, f)
        for result in report.files
        for f in sorted(result.findings, key=lambda f: f.severity.rank)
        if _shown(f, out)
    ]
    if rows:
        blocks.append([_findings_table(rows, out)])

    general = [f for f in sorted(report.general, key=lambda f: f.severity.rank) if _shown(f, out)]
    if general:
        blocks.append(
            [
                out.text(out.symbols.for_severity(f.severity) + " ", SEVERITY_STYLE[f.severity])
                + _problem(f, out)
                for f in general
            ]
        )

    last: list[Text | Table] = []
    hidden_infos = 0 if out.verbose or out.quiet else report.count(Severity.INFO)
    if hidden_infos:
        last.append(out.text(f"另有 {hidden_infos} 条提示，加 -v 显示。", "dim"))
    blocks.append(last)

    for i, block in enumerate(blocks):
        if i:
            out.console.print()
        for item in block:
            out.console.print(Wrapped(item) if isinstance(item, Text) else item)
    out.final_line(summary_line(report), failed=report.has_errors)
