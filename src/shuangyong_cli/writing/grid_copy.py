"""A workbook rebuilt from the cells as read, for an annotated copy of a file openpyxl cannot
copy (an .xls, a broken .xlsx): values at their positions, sane merged ranges, no formats; and
the sheet titles Excel accepts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import CellValue, Grid
from shuangyong_cli.writing.annotation_marks import MAX_COL, MAX_ROW
from shuangyong_cli.writing.cell_text import clean_text, display_width, set_text

#: Bounds on the merged ranges copied into a rebuilt workbook.
MAX_MERGES = 10_000
MAX_MERGE_AREA = 10_000
MAX_MERGED_CELLS = 200_000

_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")


def unique_title(wanted: str, taken: Iterable[str]) -> str:
    """``wanted``, or ``wanted（2）``, ``（3）``… when a sheet (any case) has that title."""
    used = {t.casefold() for t in taken}
    title, n = wanted, 1
    while title.casefold() in used:
        n += 1
        title = f"{wanted}（{n}）"
    return title


def workbook_from_grid(grid: Grid) -> tuple[Workbook, dict[str, str]]:
    """A new workbook holding the values of ``grid`` at the same positions (no formats, no
    formulas: a formula without a value is written as its text). Returns the workbook and the
    title each sheet got (a title Excel refuses is cleaned)."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    names: dict[str, str] = {}
    for sheet in grid.sheets:
        title = unique_title(_safe_title(sheet.name), wb.sheetnames)
        ws = wb.create_sheet(title)
        names[sheet.name] = title
        widths: dict[int, int] = {}
        for (row, col), value in sorted(sheet.cells.items()):
            if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
                continue
            cell = ws.cell(row, col)
            _put(cell, value)
            if col <= 60:
                widths[col] = max(widths.get(col, 0), display_width(str(cell.value)))
        for col, w in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 8), 50)
        _copy_merges(ws, sheet.merged, sheet.cells)
        if sheet.visibility == "hidden":
            ws.sheet_state = "hidden"
        elif sheet.visibility == "veryhidden":
            ws.sheet_state = "veryHidden"
    return wb, names


def _safe_title(name: str) -> str:
    title = _BAD_TITLE.sub("_", clean_text(name)).strip("'")[:31]
    return title or "Sheet"


def _put(cell: Cell, value: CellValue) -> None:
    if isinstance(value, str):  # text, and the CellError / FormulaNoValue markers
        set_text(cell, value)
    elif isinstance(value, bool | int):
        cell.value = value
    elif isinstance(value, float):
        if math.isfinite(value):
            cell.value = value
        else:
            set_text(cell, repr(value))
    elif isinstance(value, datetime | time):
        cell.value = value.replace(tzinfo=None)
    elif isinstance(value, date):
        cell.value = value
    else:
        set_text(cell, str(value))


def _copy_merges(
    ws: Worksheet,
    merged: Sequence[tuple[int, int, int, int]],
    cells: dict[tuple[int, int], CellValue],
) -> None:
    """Merge the ranges that are sane: inside the sheet, not overlapping one another, and with
    empty hidden cells (merging would drop their values). A hostile file may list millions."""
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merged[:MAX_MERGES]:
        if not (1 <= r1 <= r2 <= MAX_ROW and 1 <= c1 <= c2 <= MAX_COL):
            continue
        area = (
            [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
            if ((r2 - r1 + 1) * (c2 - c1 + 1) <= MAX_MERGE_AREA)
            else []
        )
        if len(area) < 2 or len(covered) + len(area) > MAX_MERGED_CELLS:
            continue
        if any(pos in covered for pos in area) or any(pos in cells for pos in area[1:]):
            continue
        covered.update(area)
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
