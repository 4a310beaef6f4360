"""The command line: a thin click layer. Commands parse options, call the core, render results.

Core modules are imported inside the commands, so ``shuangyong --help`` does not pay for
openpyxl or pandas.
"""

from __future__ import annotations

from typing import Any

import click

from shuangyong_cli import __version__
from shuangyong_cli.cli.commands.form import form_group
from shuangyong_cli.cli.commands.merge import merge_command
from shuangyong_cli.cli.commands.status import status_command
from shuangyong_cli.cli.commands.template import template_command
from shuangyong_cli.cli.commands.validate import validate_command
from shuangyong_cli.cli.exitcodes import ExitStatus
from shuangyong_cli.cli.usage import (
    SUBCOMMAND_METAVAR,
    ChineseGroup,
    chinese,
    chinese_help,
)
from shuangyong_cli.model import ShuangyongError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class CliError(click.ClickException):
    """A ShuangyongError as click shows it: one Chinese line on stderr, exit code 2."""

    exit_code = ExitStatus.USAGE

    def show(self, file: object = None) -> None:
        click.echo(f"错误：{self.format_message()}", err=True)


class InternalError(CliError):
    """An unexpected failure, shown as one line with exit code 4 (the traceback with --debug)."""

    exit_code = ExitStatus.INTERNAL


class Interrupted(CliError):
    """Ctrl-C: one Chinese line, exit code 130 (as shells report an interrupt)."""

    exit_code = ExitStatus.INTERRUPTED


class ShuangyongGroup(ChineseGroup):
    """Converts expected errors into CliError in one place; ``--debug`` shows the traceback.
    click's usage errors are shown in Chinese (``usage``)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as e:
            raise chinese(e) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as e:  # a subcommand's arguments, or no such command
            raise chinese(e) from None
        except ShuangyongError as e:
            if ctx.params.get("debug"):
                raise
            raise CliError(str(e)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            raise Interrupted("已中断；正在写出的文件没有写出，原有文件不受影响。") from None
        except Exception as e:
            if ctx.params.get("debug"):
                raise
            what = "内存不足" if isinstance(e, MemoryError) else f"{type(e).__name__}: {e}"
            raise InternalError(
                f"程序内部出错（{what}）。已写出的文件不受影响；"
                "请加 --debug 重新运行（shuangyong --debug …），把显示的内容发给维护人员。"
            ) from None


@click.group(cls=ShuangyongGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(
    __version__,
    "-V",
    "--version",
    prog_name="shuangyong",
    message="%(prog)s %(version)s",
    help="显示版本号并退出。",
)
@click.option("--debug", is_flag=True, help="出错时显示完整的程序调用栈（供开发人员排查）。")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """双拥统计表工具：发表、校验、汇总。

    \b
    shuangyong template   生成空白统计表（可按名册为每个单位各生成一份）
    shuangyong validate   逐格校验收回的报表，指出错在哪里、怎么改
    shuangyong merge      汇总所有报表，列出未报单位和每个数的来源
    shuangyong status     截止前看报送进度和未报名单
    shuangyong form       从空白表推断表式定义，检查、查看表式定义

    \b
    退出码：0 正常；1 有错误（merge：已写出，但有报表未计入或单位未报）；
            2 用法或配置错误；3 merge 未写出任何文件；4 程序内部错误。
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


cli.add_command(template_command)
cli.add_command(validate_command)
cli.add_command(merge_command)
cli.add_command(status_command)
cli.add_command(form_group)


for _command in (cli, *cli.commands.values()):
    chinese_help(_command)
cli.subcommand_metavar = SUBCOMMAND_METAVAR


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="shuangyong")
