"""click's own words in Chinese: usage errors (a missing argument, an unknown option, a bad
value) and the headings of the help pages.

click writes these in English; a clerk who mistypes ``--rostr`` should read, in the language of
the rest of the tool, what is wrong and what to type instead. ``chinese(error)`` turns any
``click.UsageError`` into a ``ChineseUsageError`` (exit code 2), shown as::

    用法：shuangyong merge [选项] 文件或文件夹...
    运行“shuangyong merge -h”查看说明。

    错误：没有“--rostr”这个选项；是不是要用“--roster”？

Messages the tool already writes in Chinese (its own ``click.UsageError``) are kept as they are.
Errors are told apart by click's exception types and the parameters they name, never by
matching click's English text: an unknown command is caught where the group resolves it, extra
arguments where ``ChineseCommand`` parses them, and numbers are checked by the tool's own
``options.AtLeast``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

import click

from shuangyong_cli.cli.exitcodes import ExitStatus
from shuangyong_cli.writing import display_width

OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
_HEADINGS = {"Options": "选项", "Commands": "命令", "Arguments": "参数"}


class ChineseHelpFormatter(click.HelpFormatter):
    """Help pages with 用法/选项/命令 for click's Usage/Options/Commands, Chinese names for the
    kinds of values (文件 for FILE), and columns lined up by how wide characters show (a Chinese
    character takes two columns of a terminal; click counts one).

    A command's help is a docstring wrapped at 100 columns. click joins the lines of a paragraph
    with a space and rewraps it at spaces, which put a stray space into Chinese text (“电话，
    离截止日期”) and left lines longer than the terminal. Here the lines of a paragraph are
    joined as Chinese is written (``join_lines``) and wrapped by display width (``_wrap``)."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        out: list[str] = []
        for block in _paragraphs(text):
            if out:
                out.append("")
            lines = [line.rstrip() for line in block]
            if lines and lines[0].strip() == "\b":  # click's mark: keep these lines as written
                out.extend(indent + line if line else "" for line in lines[1:])
                continue
            own = len(lines[0]) - len(lines[0].lstrip())
            width = max(self.width - self.current_indent - own, 20)
            for line in _wrap(join_lines(lines), width):
                out.append(indent + " " * own + line if line else "")
        self.write("\n".join(out) + "\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_HEADINGS.get(heading, heading)}：\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        terms = [(_METAVAR.sub(lambda m: _METAVARS[m.group(0)], a), _text(b)) for a, b in rows]
        first_col = min(max((display_width(a) for a, _ in terms), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        text_width = max(self.width - first_col - self.current_indent, 20)
        for term, text in terms:
            self.write(indent + term)
            if not text:
                self.write("\n")
                continue
            if display_width(term) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(term)))
            else:
                self.write("\n" + indent + " " * first_col)
            lines = _wrap(text, text_width)
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(indent + " " * first_col + line + "\n")


#: What the value of an option is called, by click's name for its type. An option with its own
#: ``metavar`` uses one of these words too (``-j 整数``); tests hold every help page to them.
_METAVARS = {
    "FILE": "文件",
    "DIRECTORY": "文件夹",
    "PATH": "文件或文件夹",
    "TEXT": "文字",
    "INTEGER": "整数",
    "FLOAT": "数",
}
_METAVAR = re.compile(r"\b(?:" + "|".join(_METAVARS) + r")\b")


def _text(help_text: str) -> str:
    """An option's or command's help with click's English additions in Chinese. click puts two
    spaces before them; after Chinese punctuation they follow without one (“。[必填]”)."""
    text = help_text.replace("[required]", "[必填]")
    return _SPACE_AFTER_PUNCTUATION.sub(r"\1", text)


def short_help(help_text: str) -> str:
    """A command's first paragraph on one line, for the list of commands."""
    return join_lines(help_text.strip().split("\n\n")[0].splitlines())


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one paragraph as one line, joined as Chinese is written: without a space,
    except between two Latin words or numbers (“--roster” at the end of one line and “名册” at
    the start of the next meet without one; “Excel” and “files” get one). click joins them with
    a space, which Chinese does not put between characters."""
    joined = ""
    for line in (line.strip() for line in lines):
        if not line:
            continue
        latin = joined[-1:].isascii() and joined[-1:].isalnum() and line[:1].isascii()
        joined += (" " if latin else "") + line
    return joined


def _paragraphs(text: str) -> list[list[str]]:
    """``text`` split at blank lines into paragraphs, each a list of its lines."""
    blocks: list[list[str]] = [[]]
    for line in text.expandtabs().splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _wrap(text: str, limit: int) -> list[str]:
    """``text`` in lines of at most ``limit`` columns: Chinese breaks anywhere, a run of Latin
    letters or digits (an option name, a number) is kept whole when it fits on a line. Closing
    punctuation does not start a line and opening punctuation does not end one: the character
    before a closing mark goes to the next line with it (a line never grows past ``limit`` for
    a mark, so the terminal does not wrap it again)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        pieces: list[str] = []
        used = 0
        for word in _PIECES.findall(paragraph):
            w = display_width(word)
            if used + w > limit and "".join(pieces).strip():
                carried = _carried(pieces, word)
                if not carried and word.lstrip()[:1] in _CLOSING:  # a line of one character
                    pieces.append(word)
                    used += w
                    continue
                lines.append("".join(pieces).rstrip())
                pieces = [*carried, word]
                pieces[0] = pieces[0].lstrip()
                used = sum(display_width(p) for p in pieces)
                continue
            pieces.append(word)
            used += w
        lines.append("".join(pieces).rstrip())
    return lines or [""]


def _carried(pieces: list[str], word: str) -> list[str]:
    """The pieces at the end of a full line that go to the next line with ``word``: the one
    before a closing mark (with the marks between), and opening marks. Taken off ``pieces``;
    none when that would leave the line empty."""
    take = 0
    if word.lstrip()[:1] in _NO_LINE_START:
        while take < len(pieces) and pieces[-1 - take].strip() in _CLOSING:
            take += 1
        take += 1
    while take < len(pieces) and pieces[-1 - take].strip() in _OPENING:
        take += 1
    if take >= len(pieces) or not "".join(pieces[: len(pieces) - take]).strip():
        return []
    carried = pieces[len(pieces) - take :]
    del pieces[len(pieces) - take :]
    return carried


_PIECES = re.compile(r"\s*\[[^\]]*\]|\s*[\x21-\x7e]+|\s*.", re.DOTALL)
_SPACE_AFTER_PUNCTUATION = re.compile(r"([，。；：、）！？”])[ \u3000]+(?=\[)")
_NO_LINE_START = "。，、；：）》」』”’！？"
"""Punctuation that does not begin a line in Chinese."""
_CLOSING = frozenset(_NO_LINE_START)
_OPENING = frozenset("（《「『“‘")
"""Punctuation that does not end a line in Chinese: it goes to the start of the next line."""


class ChineseContext(click.Context):
    formatter_class = ChineseHelpFormatter


class ChineseUsageError(click.UsageError):
    """A usage error shown in Chinese: the usage line, where to find help, what is wrong."""

    exit_code = ExitStatus.USAGE

    def show(self, file: IO[Any] | None = None) -> None:
        if self.ctx is not None:
            click.echo(self.ctx.get_usage(), file=file, err=file is None)
            click.echo(f"运行“{self.ctx.command_path} -h”查看说明。\n", file=file, err=file is None)
        click.echo(f"错误：{self.format_message()}", file=file, err=file is None)


def chinese(error: click.UsageError) -> ChineseUsageError:
    """``error`` with its message in Chinese."""
    if isinstance(error, ChineseUsageError):
        return error
    return ChineseUsageError(_message(error), ctx=error.ctx)


def _message(error: click.UsageError) -> str:
    text = error.message
    if isinstance(error, click.NoSuchOption):
        said = f"没有“{error.option_name}”这个选项"
        parent = error.ctx.parent if error.ctx is not None else None
        if parent is not None and _takes(parent.command, error.option_name):
            # shuangyong merge … --debug: an option of the tool itself, typed after the command
            command = error.ctx.info_name if error.ctx is not None else "命令"
            return (
                f"“{error.option_name}”要写在命令名之前，"
                f"如 shuangyong {error.option_name} {command} …"
            )
        if error.possibilities:
            names = [f"“{p}”" for p in sorted(error.possibilities)]
            either = names[0] if len(names) == 1 else "、".join(names[:-1]) + "或" + names[-1]
            said += f"；是不是要用{either}？"
        return said
    if isinstance(error, click.MissingParameter):
        param = error.param
        if param is None:
            return "缺少必填的参数"
        kind = "选项" if isinstance(param, click.Option) else "参数"
        return f"缺少{kind}“{_name(param, error.ctx)}”"
    if isinstance(error, click.BadOptionUsage):
        return _option_message(error, error.ctx.command if error.ctx is not None else None)
    if isinstance(error, click.BadParameter):
        name = _name(error.param, error.ctx) if error.param is not None else "参数"
        return f"“{name}”的值不对：{_why(error)}"
    return text  # the tool's own words (raised as click.UsageError by a command)


def _takes(command: click.Command, option_name: str) -> bool:
    """Whether ``command`` itself has the option ``option_name``."""
    return any(isinstance(p, click.Option) and option_name in p.opts for p in command.params)


def _is_flag(option_name: str, command: click.Command | None) -> bool:
    """Whether ``option_name`` is an on/off option (one that takes no value) of ``command``."""
    params = command.params if command is not None else []
    return any(isinstance(p, click.Option) and p.is_flag and option_name in p.opts for p in params)


def _option_message(error: click.BadOptionUsage, command: click.Command | None) -> str:
    if _is_flag(error.option_name, command):
        return f"选项“{error.option_name}”后面不能带值"
    return f"选项“{error.option_name}”后面要写上它的值"


def no_such_command(name: str, ctx: click.Context, group: click.Group) -> ChineseUsageError:
    """``shuangyong hebing``: the error, with the commands there are."""
    commands = "、".join(group.list_commands(ctx))
    return ChineseUsageError(f"没有“{name}”这个命令；可用的命令：{commands}", ctx=ctx)


def extra_arguments(args: list[str], ctx: click.Context) -> ChineseUsageError:
    """Arguments a command does not take: usually a file name with a space, unquoted."""
    shown = " ".join(args)
    return ChineseUsageError(f"多出了参数：{shown}；文件名中有空格时请加引号", ctx=ctx)


class ChineseCommand(click.Command):
    """A command that says in Chinese when it is given arguments it does not take (click
    would say it in English): it takes them all, then refuses what is left over."""

    context_class = ChineseContext

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        except click.BadOptionUsage as e:  # click's parser does not say which command
            raise ChineseUsageError(_option_message(e, self), ctx=e.ctx) from None
        if ctx.args and not ctx.resilient_parsing:
            raise extra_arguments(ctx.args, ctx)
        return rest


class ChineseGroup(click.Group):
    """A group of commands whose help and usage errors are in Chinese: an unknown command is
    named with the commands there are (``shuangyong hebing``, ``shuangyong form xin``)."""

    context_class = ChineseContext

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        unknown = not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            raise no_such_command(name, ctx, self)
        return super().resolve_command(ctx, args)


def chinese_help(command: click.Command) -> None:
    """Give a command Chinese help: the -h/--help option's text, Chinese headings, ``[选项]``
    for the options and a short help cut from its help text."""
    original = command.get_help_option

    def get_help_option(ctx: click.Context) -> click.Option | None:
        option = original(ctx)
        if option is not None:
            option.help = "显示此帮助并退出。"
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]
    command.context_class = ChineseContext
    command.options_metavar = OPTIONS_METAVAR
    if command.help and command.short_help is None:
        command.short_help = short_help(command.help)


def _name(param: click.Parameter, ctx: click.Context | None) -> str:
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return param.human_readable_name if ctx is None else param.get_error_hint(ctx).strip("'")


def _why(error: click.BadParameter) -> str:
    kind = error.param.type if error.param is not None else None
    if kind is not None and type(kind).__module__.startswith(__package__ or "shuangyong_cli"):
        return error.message.rstrip("。")  # the tool's own parameter types say it in Chinese
    if isinstance(kind, click.types.IntParamType):
        return "应为整数"
    if isinstance(kind, click.types.FloatParamType):
        return "应为数字"
    if isinstance(kind, click.Path):
        if not kind.dir_okay:
            return "应为文件，不能是文件夹"
        if not kind.file_okay:
            return "应为文件夹，不能是文件"
    return error.message
