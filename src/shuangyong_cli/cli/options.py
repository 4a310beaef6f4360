"""Options shared by several commands, defined once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

form_option = click.option(
    "--form",
    "form_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="表式定义文件（TOML）；默认使用内置的 2020 年“八一”统计表。",
)

paths_argument = click.argument(
    "paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件或文件夹..."
)
"""The returns to read: files, or folders read with everything below them."""


def _roster(*, required: bool) -> Callable[[F], F]:
    return click.option(
        "--roster",
        "roster_path",
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,  # no default=None: click 8.3+ takes an explicit None as given
        help="单位名册（CSV 或 xlsx，列：单位名称、单位类别，可选 别名、联系人、联系电话）。",
    )


roster_option = _roster(required=False)
required_roster_option = _roster(required=True)

force_option = click.option("--force", is_flag=True, help="输出文件已存在时覆盖它。")

json_option = click.option(
    "--json", "as_json", is_flag=True, help="以 JSON 输出结果（供其他程序读取）。"
)

quiet_option = click.option("-q", "--quiet", is_flag=True, help="只输出最后的统计行和错误。")

verbose_option = click.option("-v", "--verbose", is_flag=True, help="同时列出“提示”级别的发现。")


def _acceptances(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    from shuangyong_cli.model import UsageError
    from shuangyong_cli.season import parse_acceptance

    try:
        return tuple(dict.fromkeys(parse_acceptance(v) for v in value))  # each cell once
    except UsageError as e:
        raise click.BadParameter(str(e).replace("--accept ", "", 1), ctx, param) from None


def accept_option(f: F) -> F:
    """``--accept 文件:单元格`` (repeatable): see ``accept``."""
    return click.option(
        "--accept",
        "acceptances",
        multiple=True,
        metavar="文件:单元格",
        callback=_acceptances,
        help="已与单位核实、确认无误的“金额偏大”：该格按所填的数计入，并在结果中注明（merge 还记入"
        "汇总表的“来源文件”），如 --accept 区民政局.xlsx:E11；可多次使用。默认不确认任何一格。",
    )(f)


def jobs_option(f: F) -> F:
    return click.option(
        "-j",
        "--jobs",
        type=AtLeast(0),
        default=0,
        metavar="整数",
        help="并行读取的进程数；默认 0，即按 CPU 核数（文件少于 8 个时不开进程）。[不小于 0]",
    )(f)


def read_limit_options(f: F) -> F:
    """``--max-file-mb`` and ``--max-cells``: the reader's bounds (see README「读取限制」)."""
    f = click.option(
        "--max-cells",
        type=AtLeast(100),
        default=200_000,
        metavar="整数",
        help="每个工作表最多读取的非空单元格数，超过即拒绝该文件。默认 200000。[不小于 100]",
    )(f)
    return click.option(
        "--max-file-mb",
        type=AtLeast(0.01),
        default=20.0,
        metavar="数",
        help="单个文件的大小上限（MB），超过即拒绝该文件。默认 20。[不小于 0.01]",
    )(f)


def output_options(f: F) -> F:
    """``-q/--quiet`` and ``-v/--verbose``."""
    return quiet_option(verbose_option(f))


if TYPE_CHECKING:
    _DateParam = click.ParamType[dt.date]
else:  # click < 8.4 has no generic ParamType
    _DateParam = click.ParamType


class DateType(_DateParam):
    """A date typed the way a clerk types it: 2020-08-15, 2020.8.15, 2020年8月15日."""

    name = "日期"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from shuangyong_cli.checking import parse_date

        parsed, _problem = parse_date(str(value))
        if parsed is None:
            self.fail(f"“{value}”不是日期；请写成 2020-08-15 这样的形式。", param, ctx)
        return parsed


if TYPE_CHECKING:
    _NumberParam = click.ParamType[float]
else:  # click < 8.4 has no generic ParamType
    _NumberParam = click.ParamType


class AtLeast(_NumberParam):
    """A number not below ``least``: a whole number when ``least`` is an ``int``, else any
    number. Says so in Chinese (the option's help says the bound too)."""

    def __init__(self, least: float) -> None:
        self.least = least
        self.whole = isinstance(least, int)
        self.name = "整数" if self.whole else "数"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            number: float = value
        else:
            try:
                number = int(str(value)) if self.whole else float(str(value))
            except ValueError:
                number = float("nan")
        if not number >= self.least:  # also refuses nan
            kind = "整数" if self.whole else "数"
            self.fail(f"应为不小于 {self.least:g} 的{kind}", param, ctx)
        return number
