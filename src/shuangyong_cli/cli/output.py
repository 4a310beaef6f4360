"""All terminal output: the findings report, tables, progress bars and short messages.

Nothing else in shuangyong prints. Commands make one ``Output`` from their flags and hand it what
the core returned. The report, tables and JSON go to stdout; progress bars and short messages
(files written, notes) go to stderr, so ``--json`` output stays clean for other programs.
Error messages of exceptions are printed by ``cli.py``.

Colour is off with ``--no-color``, the ``NO_COLOR`` variable, ``TERM=dumb``, or when the stream
is not a terminal; off a terminal the width is fixed (120 columns) so output is stable. The
symbols ✔ ✘ ⚠ are replaced by ones the stream's encoding can hold (√ × ! on a GBK console), and
nothing written here raises ``UnicodeEncodeError``: what the encoding cannot hold becomes ``?``.

Import this module inside command functions: it imports rich.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TextIO, cast

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from shuangyong_cli.model import FileResult, Finding, Report, Severity

#: The width used when output does not go to a terminal.
FIXED_WIDTH = 120

#: The findings table is never wider than this, however wide the terminal.
MAX_TABLE_WIDTH = 140

#: One style per severity, used everywhere a severity is shown.
SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}
OK_STYLE = "green"


@dataclass(frozen=True)
class Symbols:
    ok: str
    error: str
    warning: str
    info: str

    def for_severity(self, severity: Severity) -> str:
        return {
            Severity.ERROR: self.error,
            Severity.WARNING: self.warning,
            Severity.INFO: self.info,
        }[severity]


UNICODE_SYMBOLS = Symbols(ok="✔", error="✘", warning="⚠", info="·")
CJK_SYMBOLS = Symbols(ok="√", error="×", warning="!", info="·")
"""For GBK/GB18030/Big5 consoles (Windows cmd in Chinese): ✔ ✘ ⚠ are not in GBK."""
ASCII_SYMBOLS = Symbols(ok="+", error="x", warning="!", info="-")


def symbols_for(encoding: str) -> Symbols:
    """The richest symbol set every character of which ``encoding`` can hold."""
    for symbols in (UNICODE_SYMBOLS, CJK_SYMBOLS):
        text = symbols.ok + symbols.error + symbols.warning + symbols.info
        try:
            text.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            continue
        return symbols
    return ASCII_SYMBOLS


class SafeStream:
    """A text stream wrapper that never raises ``UnicodeEncodeError``.

    What the underlying stream's encoding cannot hold (an emoji on a GBK console, a lone surrogate
    from an undecodable file name) is written as ``?``.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "".encode(encoding)
        except LookupError:
            encoding = "utf-8"
        self.encoding: str = encoding

    def safe(self, text: str, errors: str = "replace") -> str:
        return text.encode(self.encoding, errors=errors).decode(self.encoding, errors="replace")

    def write(self, text: str) -> int:
        self._stream.write(self.safe(text))
        return len(text)

    def write_json(self, text: str) -> None:
        """Write JSON text, escaping what the encoding cannot hold as ``\\uXXXX`` (still JSON)."""
        try:
            text.encode(self.encoding)
        except UnicodeEncodeError:
            text = "".join(_json_char(ch, self.encoding) for ch in text)
        self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        try:
            return bool(self._stream.isatty())
        except (AttributeError, ValueError, OSError):
            return False

    def fileno(self) -> int:
        # rich's legacy Windows console renderer needs the real handle.
        return self._stream.fileno()


def _json_char(ch: str, encoding: str) -> str:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
        return f"\\u{code:04x}"
    return ch


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(value: str) -> str:
    """``value`` safe to print on a terminal: line breaks kept, tabs as spaces, every other
    control character (and bidi override) shown as ``�``, so a cell cannot drive the terminal."""
    text = value.replace("\r\n", "\n").replace("\t", " ")
    return _CONTROL.sub("\ufffd", text)


def _colour_allowed(stream: SafeStream, no_color: bool, environ: Mapping[str, str]) -> bool:
    if no_color or environ.get("NO_COLOR", "") != "":
        return False
    if environ.get("TERM", "").lower() == "dumb":
        return False
    return stream.isatty()


def _noop(_label: str) -> None:
    return None


class Output:
    """Where and how this run writes to the terminal, made once from the command's flags.

    ``width`` and ``environ`` are for tests; by default the width is the terminal's (120 off a
    terminal) and the environment is ``os.environ``.
    """

    def __init__(
        self,
        *,
        quiet: bool = False,
        verbose: bool = False,
        no_color: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        width: int | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.quiet = quiet
        self.verbose = verbose and not quiet
        env = os.environ if environ is None else environ
        dumb = env.get("TERM", "").lower() == "dumb"
        self._out = SafeStream(stdout if stdout is not None else sys.stdout)
        self._err = SafeStream(stderr if stderr is not None else sys.stderr)
        self.console = _make_console(self._out, no_color, width, env)
        self.err_console = _make_console(self._err, no_color, width, env)
        self.symbols = symbols_for(self._out.encoding)
        self._box = box.SIMPLE_HEAD if _is_utf(self._out.encoding) else ASCII_SIMPLE_HEAD
        self._progress_bars = self._err.isatty() and not dumb and not quiet

    def text(self, value: str, style: str = "") -> Text:
        """``value`` as stdout can show it: control characters (a unit's cell may hold an escape
        sequence) become ``�``, and what the encoding lacks becomes ``?`` up front, so rich
        measures the widths of what is really printed."""
        return _styled(self._out.safe(printable(value)), style)

    def _err_text(self, value: str, style: str = "") -> Text:
        return _styled(self._err.safe(printable(value)), style)

    # -- short messages (stderr) -------------------------------------------------------------

    def info(self, message: str) -> None:
        """A note for the user on stderr; silent with ``--quiet``."""
        if not self.quiet:
            self.err_console.print(Wrapped(self._err_text(message)))

    def warn(self, message: str) -> None:
        """Something the user should know even with ``--quiet`` (stderr)."""
        line = self._err_text("注意：", "bold yellow") + self._err_text(message)
        self.err_console.print(Wrapped(line))

    def print_written(self, paths: Iterable[Path | str]) -> None:
        """One line per file written (stderr); silent with ``--quiet``."""
        if self.quiet:
            return
        for path in paths:
            line = self._err_text("已写出：", OK_STYLE) + self._err_text(str(path))
            self.err_console.print(Wrapped(line))

    # -- results (stdout) --------------------------------------------------------------------

    def final_line(self, message: str, *, failed: bool) -> None:
        """The one last line of a command, printed even with ``--quiet``."""
        line = self.text(message, "bold red" if failed else f"bold {OK_STYLE}")
        self.console.print(Wrapped(line))

    def print_json(self, text: str) -> None:
        """JSON as is on stdout: no wrapping, no colour; characters the encoding lacks are
        written as ``\\uXXXX`` escapes, so it stays valid JSON with the same content."""
        self._out.write_json(text if text.endswith("\n") else text + "\n")
        self._out.flush()

    def print_table(
        self,
        title: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
        *,
        styles: Sequence[str | None] | None = None,
    ) -> None:
        """A plain table on stdout, printed even with ``--quiet`` (it is the command's result).

        Columns whose values are all numbers (int, Decimal) are right-aligned; ``None`` shows as
        blank. ``styles`` gives an optional rich style per row (e.g. ``"red"``).
        """
        raw = [list(row) for row in rows]
        table = Table(
            title=self.text(title) if title else None,
            box=self._box,
            header_style="bold",
            title_justify="left",
            title_style="bold",
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
        )
        for i, name in enumerate(columns):
            numeric = all(_is_number(row[i]) for row in raw if row[i] is not None and row[i] != "")
            table.add_column(self.text(name), justify="right" if numeric and raw else "left")
        for i, row in enumerate(raw):
            style = styles[i] if styles is not None and i < len(styles) else None
            table.add_row(*(Wrapped(self.text(_cell_str(v))) for v in row), style=style)
        self.console.print(table)

    # -- progress (stderr) -------------------------------------------------------------------

    @contextmanager
    def progress(self, total: int, description: str) -> Iterator[Callable[[str], None]]:
        """Yield ``advance(label)``: one step done, ``label`` naming it (e.g. the file read).

        A bar is drawn on stderr only when stderr is a terminal (not ``TERM=dumb``) and not
        ``--quiet``; otherwise ``advance`` does nothing. The core receives ``advance`` as a plain
        callable and never sees rich.
        """
        if not self._progress_bars:
            yield _noop
            return
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[item]}", style="dim"),
            console=self.err_console,
            transient=True,
        )
        with bar:
            task = bar.add_task(self._err.safe(description), total=total, item="")

            def advance(label: str) -> None:
                bar.update(task, advance=1, item=self._err.safe(label))

            yield advance


ASCII_SIMPLE_HEAD = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)
"""rich's SIMPLE_HEAD drawn with ASCII, for consoles whose encoding is not UTF."""


def _is_utf(encoding: str) -> bool:
    return encoding.lower().replace("_", "-").startswith("utf")


def _make_console(
    stream: SafeStream, no_color: bool, width: int | None, env: Mapping[str, str]
) -> Console:
    tty = stream.isatty()
    colour = _colour_allowed(stream, no_color, env)
    return Console(
        file=cast(IO[str], stream),
        force_terminal=tty and env.get("TERM", "").lower() != "dumb",
        color_system="auto" if colour else None,
        no_color=not colour,
        width=width if width is not None else (None if tty else FIXED_WIDTH),
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )


def _styled(value: str, style: str) -> Text:
    # A span, not the Text's base style: a base style would spread over text appended later.
    text = Text(value)
    if style:
        text.stylize(style)
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _cell_str(value: object) -> str:
    return "" if value is None else str(value)


# -- the findings report ---------------------------------------------------------------------


def _unit_of(result: FileResult) -> str:
    return result.roster_unit or result.unit or "（未填单位）"


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


# -- wrapping Chinese text -------------------------------------------------------------------

#: Characters that must not begin a line (closing punctuation), per Chinese typesetting.
_NO_LINE_START = frozenset("，。、；：！？）」』”’》〉】…,.;:!?)]}%")
#: Characters that must not end a line (opening punctuation).
_NO_LINE_END = frozenset("（「『“‘《〈【([{")


def _tokens(text: str) -> list[tuple[int, int, int]]:
    """Break opportunities in one line of ``text``: (start, end without trailing spaces, end).

    A wide (CJK) character is a token of its own; a run of narrow characters is one token, like
    a word; spaces stick to the token before them.
    """
    out: list[tuple[int, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        start = i
        if cell_len(text[i]) == 2:
            i += 1
        else:
            while i < n and text[i] != " " and cell_len(text[i]) != 2:
                i += 1
        end = i
        while i < n and text[i] == " ":
            i += 1
        out.append((start, end, i))
    return out


def break_offsets(text: str, width: int) -> list[int]:
    """Where to break ``text`` so no line is wider than ``width`` cells: between Chinese
    characters, at spaces, inside a too-long narrow word, and at every newline. As Chinese
    typesetting asks, a line does not start with closing punctuation (，。）」) or end with
    opening punctuation (（「“) when that can be helped."""
    width = max(width, 2)
    offsets: list[int] = []
    base = 0
    for k, line in enumerate(text.split("\n")):
        if k:
            offsets.append(base)
        used = 0  # cells on the current line, trailing spaces included
        on_line: list[tuple[int, int, int]] = []  # tokens on the current line
        for token in _tokens(line):
            start, end, stop = token
            if used + cell_len(line[start:end]) <= width:
                used += cell_len(line[start:stop])
                on_line.append(token)
                continue
            if on_line:
                # Break before the latest token that may start a line, keeping one on this line.
                candidates = [*on_line, token]
                at = len(on_line)
                for i in range(len(on_line), 0, -1):
                    if _may_break_before(line, candidates, i):
                        at = i
                        break
                start = candidates[at][0]
                offsets.append(base + start)
                used = 0
            on_line = []
            # Fold a narrow word wider than a whole line.
            chunk = start
            for j in range(start, end):
                w = cell_len(line[j])
                if used + w > width and j > chunk:
                    offsets.append(base + j)
                    chunk, used = j, 0
                used += w
            used += cell_len(line[end:stop])
            on_line.append((chunk, end, stop))
        base += len(line) + 1
    return sorted({o for o in offsets if 0 < o < len(text)})


def _may_break_before(line: str, tokens: list[tuple[int, int, int]], i: int) -> bool:
    first = line[tokens[i][0]]
    previous = tokens[i - 1]
    last = line[previous[1] - 1] if previous[1] > previous[0] else " "
    return first not in _NO_LINE_START and last not in _NO_LINE_END


class Wrapped:
    """A ``Text`` that wraps the way Chinese is wrapped (rich breaks only at spaces, which
    leaves a half-empty line before every long run of Chinese)."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        lines = plain.split("\n")
        widest = max(cell_len(line) for line in lines)
        tokens = [line[s:e] for line in lines for s, e, _ in _tokens(line)]
        narrowest = max((cell_len(t) for t in tokens), default=0)
        return Measurement(min(narrowest, 16), widest)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for line in self.text.divide(break_offsets(self.text.plain, width)):
            line.rstrip()
            line.end = "\n"
            yield line
