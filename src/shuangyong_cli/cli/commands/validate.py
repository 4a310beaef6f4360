"""`shuangyong validate`: check returned workbooks cell by cell."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from shuangyong_cli.cli.exitcodes import ExitStatus
from shuangyong_cli.cli.options import (
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
    from shuangyong_cli.season import Acceptance


#: ``--help`` of the command (click dedents it; \b keeps a paragraph unwrapped).
HELP = """逐格校验收回的统计表，用中文指出错在哪个单元格、应该怎么改。

    可以给出文件，也可以给出文件夹（包括其中的子文件夹）；Excel/WPS 的临时锁定文件
    （~$ 开头等）自动跳过。格式按文件内容识别，.xlsx、.xls、.et 均可。

    \b
    示例：
      shuangyong validate 回收/
      shuangyong validate 回收/ --roster 名册.csv --annotate 退回/
      shuangyong validate 城东街道.xlsx --json

    \b
    退出码：0 没有错误（可以有警告）；1 有错误；2 用法或配置错误。
    """


@click.command("validate", cls=ChineseCommand, help=HELP)
@paths_argument
@accept_option
@form_option
@roster_option
@json_option
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="把全部校验结果另存为 Excel 表（如 校验结果.xlsx）。",
)
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(path_type=Path),
    default=None,
    metavar="文件夹",
    help="为每个有问题的文件在此文件夹写一份“校验意见”副本：问题单元格标色并加批注，"
    "可直接退回填报单位。原文件不改动。",
)
@force_option
@jobs_option
@read_limit_options
@output_options
def validate_command(
    paths: tuple[Path, ...],
    acceptances: tuple[Acceptance, ...],
    form_path: Path | None,
    roster_path: Path | None,
    as_json: bool,
    report_path: Path | None,
    annotate_dir: Path | None,
    force: bool,
    jobs: int,
    max_file_mb: float,
    max_cells: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """``shuangyong validate``; the help text is ``HELP``. Long because click passes every option
    as a parameter; the steps are the core's and the helpers below."""
    from shuangyong_cli.cli.commands.checking import check_paths, collector_paused, read_limits
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.cli.report_view import render_report
    from shuangyong_cli.model import load_form
    from shuangyong_cli.season import load_roster

    out = Output(quiet=quiet, verbose=verbose)
    spec = load_form(form_path)
    roster = load_roster(roster_path, spec) if roster_path else None
    inputs = [*paths, *([roster_path] if roster_path else [])]
    report_target = None
    if report_path is not None:
        from shuangyong_cli.writing import check_output

        report_target = check_output(report_path, inputs=inputs, force=force, what="校验结果文件")
    if annotate_dir is not None:
        _check_annotate_dir(annotate_dir, inputs)
    limits = read_limits(max_file_mb, max_cells)
    with collector_paused():  # not while --annotate makes a workbook per file
        report = check_paths(
            out,
            paths,
            spec,
            roster=roster,
            limits=limits,
            jobs=jobs,
            label="校验",
            acceptances=acceptances,
            before_reading=(
                None if annotate_dir is None or force else partial(_no_copies_yet, annotate_dir)
            ),
        )
    if as_json:
        out.print_json(report.to_json())
    else:
        render_report(report, out)
    written: list[Path] = []
    if report_target is not None:
        from shuangyong_cli.writing import write_report_xlsx

        write_report_xlsx(report, report_target, force=force, inputs=inputs)
        written.append(report_target)
    if annotate_dir is not None:
        from shuangyong_cli.writing import annotate_report

        written.extend(
            annotate_report(report, annotate_dir, force=force, limits=limits, inputs=inputs)
        )
    out.print_written(written)
    click.get_current_context().exit(ExitStatus.FINDINGS if report.has_errors else ExitStatus.OK)


def _check_annotate_dir(annotate_dir: Path, inputs: list[Path]) -> None:
    from shuangyong_cli.model import OutputError

    target = annotate_dir.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise OutputError(f"--annotate 应为文件夹，但 {annotate_dir} 是一个文件；请另选文件夹")
    for src in inputs:
        s = src.expanduser().resolve()
        if s.is_dir() and (s == target or s in target.parents):
            raise OutputError(
                f"批注副本文件夹 {annotate_dir} 位于正在读取的文件夹 {src} 中，"
                "下次会被当作报表读入；请另选文件夹"
            )


def _no_copies_yet(annotate_dir: Path, files: list[Path]) -> None:
    """Refuse, before reading anything, a folder that already holds copies this run would
    write (without --force): found after every file was read, the refusal cost the wait."""
    from shuangyong_cli.model import OutputError
    from shuangyong_cli.writing import annotated_names

    there = [n for n in annotated_names(files).values() if (annotate_dir / n).exists()]
    if there:
        shown = "、".join(there[:3]) + (f" 等 {len(there)} 个" if len(there) > 3 else "")
        raise OutputError(
            f"批注副本文件夹 {annotate_dir} 中已有上次的批注副本（{shown}）；"
            "如要覆盖，请加 --force，或另选一个文件夹"
        )
