"""Marking the cells of an annotated copy: each cell a finding points at filled by its worst
severity and given a comment, by "shuangyong", with the findings' messages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import Finding
from shuangyong_cli.writing.cell_text import clean_text, display_width
from shuangyong_cli.writing.styles import severity_fill

AUTHOR = "shuangyong"

#: The last row and column of a sheet in Excel.
MAX_ROW = 1_048_576
MAX_COL = 16_384

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::.*)?$")


def parse_cell(ref: str) -> tuple[int, int] | None:
    """``"E6"``/``"$E$6"``/``"E6:G6"`` → (6, 5), the (first) cell; None when not an address
    inside a sheet."""
    m = _A1.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col


def _anchor(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The top-left cell of the merged range holding (row, col), or the cell itself."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def mark_cells(
    wb: Workbook, sheet_names: dict[str, str], findings: Sequence[Finding]
) -> dict[int, tuple[str, str]]:
    """Fill and comment every cell a finding points at. Returns, by finding index, the
    (sheet title, A1) of the cell marked, for the links on the 校验意见 sheet."""
    sheets = {ws.title: ws for ws in wb.worksheets if isinstance(ws, Worksheet)}
    by_cell: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    marked: dict[int, tuple[str, str]] = {}
    for i, f in enumerate(findings):
        ws = sheets.get(sheet_names.get(f.sheet, ""))
        pos = parse_cell(f.cell) if f.cell else None
        if ws is None or pos is None:
            continue
        row, col = _anchor(ws, *pos)
        by_cell[(ws.title, row, col)].append(i)
        marked[i] = (ws.title, f"{get_column_letter(col)}{row}")

    for (title, row, col), indexes in by_cell.items():
        cell = sheets[title].cell(row, col)
        group = [findings[i] for i in indexes]
        worst = min(group, key=lambda f: f.severity.rank).severity
        cell.fill = severity_fill(worst)
        text = "\n".join(f"【{f.severity.label}】{f.message}" for f in group)
        old = cell.comment
        if old is not None and old.text:
            text += f"\n——原批注——\n{old.text}"
        text = clean_text(text)
        width, height = _comment_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    return marked


def _comment_size(text: str) -> tuple[int, int]:
    """(width, height) in pixels of a comment box that shows ``text`` without scrolling."""
    width = 320
    per_line = 48  # narrow characters per line at that width
    lines = sum(max(1, -(-display_width(line) // per_line)) for line in text.split("\n"))
    return width, min(24 + 17 * lines, 480)
