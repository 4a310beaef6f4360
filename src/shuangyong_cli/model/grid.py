"""What a reader hands on: the cells of every sheet at 1-based (row, column) positions.

A ``Grid`` is format-free: an .xlsx, an .xls read by calamine, or a sheet built in a test all look
the same. Only non-empty cells are stored, so a stray cell at XFD1048576 costs one dict entry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


class CellError(str):
    """An error value shown in a cell (``#DIV/0!``, ``#N/A``)."""


class FormulaNoValue(str):
    """A formula cell saved without a computed value; the string is the formula text."""


CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | CellError | FormulaNoValue

MAX_COL = 16384


def col_letter(col: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def parse_a1(ref: str) -> tuple[int, int]:
    """``"C7"`` → (7, 3)."""
    letters = "".join(ch for ch in ref if ch.isalpha()).upper()
    digits = "".join(ch for ch in ref if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return int(digits), col


@dataclass
class Sheet:
    name: str
    cells: dict[tuple[int, int], CellValue] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first row, first col, last row, last col), 1-based inclusive."""
    visibility: str = "visible"  # "visible", "hidden" or "veryhidden"

    def get(self, row: int, col: int) -> CellValue | None:
        return self.cells.get((row, col))


@dataclass
class Grid:
    """A workbook as read: its format ("xlsx" or "xls") and its sheets in workbook order."""

    path: Path
    format: str
    sheets: list[Sheet]
    size: int = 0
    sha256: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """File-level observations from opening, as (finding code, Chinese message)."""

    def sheet(self, name: str) -> Sheet | None:
        for s in self.sheets:
            if s.name == name:
                return s
        return None
