"""Wrapping Chinese text for the terminal: break between any two characters, never before closing
punctuation or after opening punctuation, keep Latin words and numbers whole.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

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
