"""All terminal output: the findings report, tables, progress bars and short messages.

Nothing else in shuangyong prints. Commands make one ``Output`` from their flags and hand it what
the core returned. The report, tables and JSON go to stdout; progress bars and short messages
(files written, notes) go to stderr, so ``--json`` output stays clean for other programs.
Error messages of exceptions are printed by ``cli.app``. The findings report is drawn by
``cli.report_view``; Chinese text is wrapped by ``cli.wrap``.

Colour is off with the ``NO_COLOR`` variable, ``TERM=dumb``, or when the stream is not a
terminal; off a terminal the width is fixed (120 columns) so output is stable. The
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
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from shuangyong_cli.cli.wrap import Wrapped
from shuangyong_cli.model import Severity

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
