"""`shuangyong merge`: consolidate every usable return into one summary workbook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import click

from shuangyong_cli.cli.exitcodes import ExitStatus, merge_exit
from shuangyong_cli.cli.options import (
    DateType,
    accept_option,
    force_option,
    form_option,
    jobs_option,
    json_option,
    output_options,
    paths_argument,
    read_limit_options,
    roster_option,
)
from shuangyong_cli.cli.usage import ChineseCommand

if TYPE_CHECKING:
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.learn.own_blank import MatchedBlank
    from shuangyong_cli.model import FormSpec
    from shuangyong_cli.season import Acceptance, Comparison, Summary


def _swing(ctx: click.Context, param: click.Parameter, value: str | None) -> Decimal | None:
    """``--swing``: an exact ratio above 1."""
    if value is None:
        return None
    try:
        ratio = Decimal(value.strip())
    except InvalidOperation:
        ratio = Decimal(0)
    if not ratio.is_finite() or ratio <= 1:
        raise click.BadParameter(f"“{value}”应为大于 1 的倍数，如 3 或 2.5。", ctx, param)
    return ratio


#: ``--help`` of the command (click dedents it; \b keeps a paragraph unwrapped).
HELP = """汇总所有报表：先逐一校验（与 validate 相同），再把可用的报表相加，写出汇总表。

    \b
    汇总表包含以下工作表：
      汇总表      与下发的统计表同样格式，填的是全部合计（可再次上报、再次汇总）
      分单位明细  每个单位一行，按单位类别分组，含各类小计和合计
      报送情况    名册中每个单位的状态：已报/未报/逾期/有误/重复，附联系人和电话
      校验问题    每个文件的每条校验意见
      来源文件    读到的每个文件：sha256、大小、是否计入及原因
      图表        各类别合计的柱形图

    有错误的文件不计入汇总（在屏幕和“来源文件”中列出原因）；同一单位有多份时，
    完全相同的只计一次，不同的以日期较晚者为准，并给出警告。

    \b
    示例：
      shuangyong merge 回收/ --roster 名册.csv -o 汇总.xlsx --name 黔江区
      shuangyong merge 回收/ --roster 名册.csv -o 汇总.xlsx --compare 2019年汇总.xlsx

    \b
    退出码：0 全部汇总；1 已写出，但有文件未计入或名册中有单位未报；
            2 用法或配置错误；3 没有写出任何文件。
            与上次比较的结果（变化较大、上次报了本次未计入）不影响退出码。
    """


@click.command("merge", cls=ChineseCommand, help=HELP)
@paths_argument
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="汇总表文件名，如 汇总.xlsx（不能放在正在读取的文件夹里）。",
)
@roster_option
@click.option("--name", default="", help="汇总表的“填报单位”，如 黔江区；默认为“汇总”。")
@click.option(
    "--date",
    "date",
    type=DateType(),
    default=None,
    help="汇总表的“日期”，如 2020-08-15；默认为今天（汇总之日）。",
)
@click.option(
    "--strict", is_flag=True, help="只要有任何一个文件有错误，就不写出汇总表（退出码 3）。"
)
@click.option(
    "--compare",
    "compare_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="与上次用本工具生成的汇总表比较：逐单位、逐类别列出上次、本次和增减，标出变化较大的数"
    "和上次报了本次未计入的单位；汇总表中另加“同比”表。不是汇总表、或汇总表有错误时报错退出。",
)
@click.option(
    "--swing",
    metavar="倍数",
    default=None,
    callback=_swing,
    help="与 --compare 一起使用：本次是上次的几倍以上（或不到几分之一）算变化较大；默认 3。"
    "降为 0 的数总是标出。",
)
@accept_option
@form_option
@json_option
@force_option
@jobs_option
@read_limit_options
@output_options
def merge_command(
    paths: tuple[Path, ...],
    acceptances: tuple[Acceptance, ...],
    output: Path,
    roster_path: Path | None,
    name: str,
    date: dt.date | None,
    strict: bool,
    compare_path: Path | None,
    swing: Decimal | None,
    form_path: Path | None,
    as_json: bool,
    force: bool,
    jobs: int,
    max_file_mb: float,
    max_cells: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """``shuangyong merge``; the help text is ``HELP``. Long because click passes every option
    as a parameter; the steps are the core's and the helpers below."""
    from shuangyong_cli.cli.commands.checking import check_paths, collector_paused, read_limits
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.model import load_form
    from shuangyong_cli.season import (
        SWING_DEFAULT,
        compare,
        load_roster,
        merge_results,
        read_earlier,
    )
    from shuangyong_cli.writing import check_output

    out = Output(quiet=quiet, verbose=verbose)
    spec = load_form(form_path)
    roster = load_roster(roster_path, spec) if roster_path else None
    if swing is not None and compare_path is None:
        raise click.UsageError("--swing 需要与 --compare 一起使用。")
    inputs = [*paths, *([roster_path] if roster_path else [])]
    inputs += [compare_path] if compare_path else []
    target = check_output(output, inputs=inputs, force=force, what="汇总表")
    own_blank: MatchedBlank | None = None
    blank_notes: list[str] = []
    if spec.blank:  # the clerk's own blank, for 汇总表: refused now, not after the reading
        from shuangyong_cli.learn import own_summary_blank

        own_blank, blank_notes = own_summary_blank(spec)
    limits = read_limits(max_file_mb, max_cells)
    earlier = read_earlier(compare_path, spec, limits=limits) if compare_path else None
    # Paused to the end of the command: the merge and the summary workbook come after.
    click.get_current_context().with_resource(collector_paused())
    report = check_paths(
        out,
        paths,
        spec,
        roster=roster,
        limits=limits,
        jobs=jobs,
        while_reading=_load_writer,
        acceptances=acceptances,
    )
    # The summary is dated the day it is made, as any return is: dated by its latest return,
    # it would look late to the level above whenever one unit was late.
    summary_date = date or dt.date.today()
    summary = merge_results(
        report.files, spec, roster, name=name or "汇总", date=summary_date, general=report.general
    )
    comparison = None
    if earlier is not None:
        comparison = compare(earlier, summary, spec, roster, threshold=swing or SWING_DEFAULT)
    status = merge_exit(summary, strict=strict)
    refused = strict and summary.has_errors
    _show(out, summary, spec, comparison, as_json=as_json, refused=refused)
    if status is not ExitStatus.NOTHING_WRITTEN:
        from shuangyong_cli.writing import write_summary

        form_sheet = None
        if own_blank is not None:
            from shuangyong_cli.learn import own_summary_form

            form_sheet = own_summary_form(
                own_blank, spec, summary.total, summary.name, summary.date
            )
        for note in blank_notes:
            out.warn(note)
        write_summary(
            summary,
            spec,
            target,
            force=force,
            inputs=inputs,
            comparison=comparison,
            form_sheet=form_sheet,
        )
        how = "--date 指定" if date is not None else "今天，可用 --date 另定"
        out.info(f"汇总表日期：{summary_date.isoformat()}（{how}）。")
        out.print_written([target])
    elif not refused:  # with --strict the closing line has said it
        out.warn("未写出汇总表：没有可以计入的报表。")
    click.get_current_context().exit(status)


def _show(
    out: Output,
    summary: Summary,
    spec: FormSpec,
    comparison: Comparison | None,
    *,
    as_json: bool,
    refused: bool,
) -> None:
    """The merge's report on the terminal (or as JSON), with the comparison when there is one.
    ``refused``: ``--strict`` and a file has an error, so nothing will be written: the closing
    line says that, not what would have counted."""
    merged = summary.to_report()
    if as_json:
        import json

        data = merged.to_dict() | {"totals": summary.totals_to_dict()}
        if comparison is not None:
            data["comparison"] = comparison.to_dict()
        out.print_json(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from shuangyong_cli.cli.report_view import render_report

        render_report(merged, out)
        if refused:
            from shuangyong_cli.model import Severity, count

            with_errors = sum(1 for f in summary.files if count(f.findings, Severity.ERROR))
            out.final_line(
                f"未写出汇总表：{with_errors} 个文件有错误（--strict）；改正后重新汇总，"
                "或不加 --strict 汇总其余的报表。",
                failed=True,
            )
        else:
            out.final_line(summary.headline(spec), failed=not summary.complete)
        if comparison is not None:
            _render_comparison(out, spec, comparison)


def _load_writer() -> None:
    """Import the summary writer (openpyxl and XlsxWriter) while the workers read the returns."""
    from shuangyong_cli.writing import summary  # noqa: F401


def _render_comparison(out: Output, spec: FormSpec, comparison: Comparison) -> None:
    from shuangyong_cli.cli.compare_tables import final_line, screen_tables

    if not out.quiet:
        for note in comparison.notes:
            out.info(note)
        for table in screen_tables(spec, comparison, verbose=out.verbose):
            out.console.print()
            out.print_table(table.title, table.columns, table.rows, styles=table.styles)
    out.final_line(final_line(comparison), failed=bool(comparison.warnings or comparison.dropped))
