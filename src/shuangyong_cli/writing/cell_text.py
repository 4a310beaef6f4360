"""Writing text into a workbook cell safely: always a string, never a formula, never a crash.

Values in returns are typed by units and may be anything: ``=HYPERLINK("http://…")``, ``+1``,
a bell character pasted from a web page, a lone surrogate from an odd file name. Every writer
puts user text into a cell through ``set_text``, which

- stores it as a string (``data_type = "s"``), so Excel never evaluates it, and marks text that
  starts like a formula with a quote prefix, so editing the cell later does not turn it into one;
- replaces characters XML or Excel refuse (control characters, lone surrogates, U+FFFE/U+FFFF)
  with a visible ``�``;
- cuts text longer than Excel's cell limit (32,767 characters), ending it with ``…``.

openpyxl is imported lazily by the callers' modules; this module only needs its regex.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

#: Shown in place of a character a workbook cannot hold.
REPLACEMENT = "\ufffd"

#: Excel's limit on the characters in one cell.
MAX_CELL_CHARS = 32767

# openpyxl's ILLEGAL_CHARACTERS_RE, plus what XML 1.0 also forbids: lone surrogates and
# the two non-characters U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: What text starts with when a spreadsheet program would take it for a formula.
FORMULA_START = ("=", "+", "-", "@")


def clean_text(value: str) -> str:
    """``value`` with every character a workbook cannot hold replaced by ``�``, cut to fit."""
    text = _ILLEGAL.sub(REPLACEMENT, value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def set_text(cell: Any, value: str) -> None:
    """Write ``value`` into an openpyxl ``cell`` as a plain string (never a formula)."""
    text = clean_text(str(value))
    cell.value = text
    # openpyxl infers a formula from a leading "="; a string cell is written as <c t="s">.
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


def display_width(text: str) -> int:
    """How many columns ``text`` takes on a screen or in a column of a sheet (a Chinese
    character takes two, as wide as two digits)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def column_width(texts: Iterable[str], least: float, most: float) -> float:
    """A column width (in Excel's units, about one digit each) that shows the longest of
    ``texts`` whole, between ``least`` and ``most``."""
    longest = max((display_width(t) for t in texts), default=0)
    return float(min(max(longest + 2, least), most))
