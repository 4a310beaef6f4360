"""`shuangyong status`: the board before the deadline (reads and checks, writes nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from shuangyong_cli.cli.options import (
    DateType,
    accept_option,
    force_option,
    form_option,
    jobs_option,
    json_option,
    paths_argument,
    read_limit_options,
    required_roster_option,
)
from shuangyong_cli.cli.usage import ChineseCommand

if TYPE_CHECKING:
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.season import Acceptance, Board


#: ``--help`` of the command (click dedents it; \b keeps a paragraph unwrapped).
HELP = """截止前看报送进度：已报、未报、有误、逾期、重复各多少个单位，未报单位的联系人和电话，
    离截止日期还有几天。

    与 merge 一样逐一读取和校验收到的报表（状态的判断与汇总表“报送情况”相同），
    但不写出任何文件；加 --export 时只写出催报名单。

    \b
    状态：已报  报表可以计入汇总
          未报  没有收到这个单位可以使用的文件（收到了但无法读取、未填单位的，
                在说明中写出是哪个文件、为什么）
          有误  收到了文件，但都有错误，不能计入（需改正后重新报送）
          逾期  报表日期晚于截止日期
          重复  同一单位报送了多份（或已含在另一份汇总表中）

    \b
    示例：
      shuangyong status 回收/ --roster 名册.csv
      shuangyong status 回收/ --roster 名册.csv --deadline 2020-08-14 --export 催报名单.xlsx
      shuangyong status 回收/ --roster 名册.csv --json

    \b
    退出码：0 名册中每个单位都已报送且可以计入；1 还有单位未报或有误；
            2 用法或配置错误。
    """


@click.command("status", cls=ChineseCommand, help=HELP)
@paths_argument
@required_roster_option
@click.option(
    "--deadline",
    type=DateType(),
    default=None,
    help="截止日期，如 2020-08-14；默认取表式定义中的截止日期。",
)
@click.option(
    "--today",
    type=DateType(),
    default=None,
    help="按这一天计算剩余天数（默认今天），如 2020-08-12。",
)
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="把未报和有误的单位（含联系人、联系电话）另存为可直接打印的催报名单，如 催报名单.xlsx。",
)
@accept_option
@form_option
@json_option
@force_option
@jobs_option
@read_limit_options
@click.option("-q", "--quiet", is_flag=True, help="只输出最后一行。")
def status_command(
    paths: tuple[Path, ...],
    acceptances: tuple[Acceptance, ...],
    roster_path: Path,
    deadline: dt.date | None,
    today: dt.date | None,
    export_path: Path | None,
    form_path: Path | None,
    as_json: bool,
    force: bool,
    jobs: int,
    max_file_mb: float,
    max_cells: int,
    quiet: bool,
) -> None:
    """``shuangyong status``; the help text is ``HELP``. Long because click passes every option
    as a parameter; the steps are the core's and the helpers below."""
    from shuangyong_cli.cli.commands.checking import check_paths, collector_paused, read_limits
    from shuangyong_cli.cli.exitcodes import status_exit
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.model import load_form
    from shuangyong_cli.season import build_board, load_roster
    from shuangyong_cli.writing import check_output

    out = Output(quiet=quiet)
    spec = load_form(form_path)
    if deadline is not None:
        # 逾期 in the checks and on the board are judged against the same date.
        import dataclasses

        spec = dataclasses.replace(spec, deadline=deadline)
    roster = load_roster(roster_path, spec)
    inputs = [*paths, roster_path]
    target = (
        check_output(export_path, inputs=inputs, force=force, what="催报名单")
        if export_path is not None
        else None
    )
    limits = read_limits(max_file_mb, max_cells)
    with collector_paused():
        # Before anyone has reported, an empty folder is the state of things: all 未报.
        report = check_paths(
            out,
            paths,
            spec,
            roster=roster,
            limits=limits,
            jobs=jobs,
            acceptances=acceptances,
            allow_empty=True,
        )
    board = build_board(report, spec, roster, today=today or dt.date.today())
    if as_json:
        import json

        out.print_json(json.dumps(board.to_dict(), ensure_ascii=False, indent=2))
    else:
        _show(out, board, quiet=quiet)
    if target is not None:
        from shuangyong_cli.writing.chase_list import write_chase_list

        write_chase_list(board, target, force=force, inputs=inputs)
        out.print_written([target])
    click.get_current_context().exit(status_exit(board))


def _show(out: Output, board: Board, *, quiet: bool) -> None:
    """The board on the terminal: the counts, the units to chase and the notes."""
    from shuangyong_cli.cli.wrap import Wrapped

    if not quiet:
        heading = f"报送进度（截至 {board.today.isoformat()}；{board.deadline_line()}）"
        out.console.print(Wrapped(out.text(heading, "bold")))
        out.print_table(
            "",
            ["名册单位", *(st.value for st in board.counts), "未列入名册"],
            [[len(board.statuses), *board.counts.values(), len(board.unlisted)]],
        )
        if board.to_chase:
            out.console.print()
            out.print_table(
                f"未报和有误的单位：{len(board.to_chase)} 个",
                ["序号", "单位类别", "单位名称", "状态", "联系人", "联系电话", "说明"],
                [[n, *texts] for n, texts in enumerate(board.chase_rows(), start=1)],
            )
        for note in board.notes():
            out.console.print()
            out.console.print(Wrapped(out.text(note)))
        out.console.print()
    out.final_line(board.final_line(), failed=not board.complete)
