"""Reading a blank form for learning: the values and merged ranges every format has (a ``Grid``
from ``reading.returned_file``), and for an .xlsx what only its styling says: formulas, grey
cells, column widths, font sizes and indents.

The file is opened through ``reading.returned_file.read_grid`` first, which checks its size and,
for an .xlsx, every part of the zip (sizes, ratios, no DOCTYPE); only a file that passed is handed
to openpyxl, from the same bytes (their SHA-256 must match what was checked).
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from shuangyong_cli.model.grid import FormulaNoValue, Grid, Sheet
from shuangyong_cli.reading.limits import DEFAULT_LIMITS
from shuangyong_cli.reading.returned_file import read_grid

#: Above this many cells a blank is not styled (openpyxl would take long); values still work.
MAX_STYLED_CELLS = 50_000

Pos = tuple[int, int]


@dataclass
class Blank:
    """One sheet of a blank form, with what its styling says where the format has it."""

    path: Path
    format: str
    sheet: Sheet
    sheet_names: tuple[str, ...]
    """Every visible sheet holding something, in workbook order."""
    formulas: dict[Pos, str] = field(default_factory=dict)
    grey: set[Pos] = field(default_factory=set)
    widths: dict[int, float] = field(default_factory=dict)
    font_size: dict[Pos, float] = field(default_factory=dict)
    indent: dict[Pos, float] = field(default_factory=dict)
    styled: bool = False
    """True when formulas and fills were read (an .xlsx within the size bound)."""
    notes: list[str] = field(default_factory=list)
    """What could not be read, in Chinese (shown as inference notes)."""


def read_blank(path: Path, sheet_name: str | None = None) -> Blank:
    """Read ``path`` (raises ``UnreadableFileError`` as ``read_grid`` does)."""
    grid = read_grid(path)
    return blank_from_grid(grid, sheet_name)


def blank_from_grid(grid: Grid, sheet_name: str | None = None) -> Blank:
    visible = [s for s in grid.sheets if s.visibility == "visible" and s.cells]
    if sheet_name is not None:
        chosen = grid.sheet(sheet_name)
        if chosen is None:
            from shuangyong_cli.model.errors import UsageError

            raise UsageError(f"“{grid.path.name}”中没有名为“{sheet_name}”的工作表")
    elif visible:
        chosen = max(visible, key=lambda s: len(s.cells))
    else:
        from shuangyong_cli.model.errors import UsageError

        raise UsageError(f"“{grid.path.name}”中没有任何有内容的可见工作表，不像是一张空白表")
    blank = Blank(
        path=grid.path,
        format=grid.format,
        sheet=chosen,
        sheet_names=tuple(s.name for s in visible),
    )
    for pos, value in chosen.cells.items():
        if isinstance(value, FormulaNoValue):
            blank.formulas[pos] = str(value)
    if grid.format == "xlsx":
        if len(chosen.cells) > MAX_STYLED_CELLS:
            blank.notes.append(
                f"工作表有 {len(chosen.cells)} 个非空单元格，未读取公式和底色（上限 "
                f"{MAX_STYLED_CELLS}）"
            )
        else:
            _read_styles(blank, grid)
    else:
        blank.notes.append(
            ".xls 文件只读取了单元格的值和合并区域：公式和底色读不到，"
            "计算格、不适用格只能从文字（合计、—、/）推断"
        )
    return blank


def _read_styles(blank: Blank, grid: Grid) -> None:
    from openpyxl import load_workbook

    data = grid.path.read_bytes()[: DEFAULT_LIMITS.max_file_bytes + 1]
    if hashlib.sha256(data).hexdigest() != grid.sha256:
        blank.notes.append("文件在读取过程中被改动，未读取公式和底色")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
        try:
            wb = load_workbook(io.BytesIO(data), data_only=False, read_only=False)
        except Exception as exc:  # a file calamine-style reading accepted, openpyxl not
            blank.notes.append(f"无法读取样式（{type(exc).__name__}），未读取公式和底色")
            return
    try:
        ws = wb[blank.sheet.name]
    except KeyError:
        blank.notes.append("未找到工作表的样式，未读取公式和底色")
        return
    blank.styled = True
    for dim in ws.column_dimensions.values():
        if dim.width and dim.customWidth and dim.min and dim.max:
            for c in range(dim.min, min(dim.max, 200) + 1):
                blank.widths[c] = float(dim.width)
    for row in ws.iter_rows():
        for cell in row:
            col = getattr(cell, "column", None)
            if not isinstance(col, int) or not isinstance(cell.row, int):
                continue
            pos = (cell.row, col)
            value = cell.value
            if isinstance(value, str) and value.startswith("=") and cell.data_type == "f":
                blank.formulas[pos] = value
            if is_grey(cell.fill):
                blank.grey.add(pos)
            size = cell.font.sz if cell.font is not None else None
            if size:
                blank.font_size[pos] = float(size)
            indent = cell.alignment.indent if cell.alignment is not None else 0
            if indent:
                blank.indent[pos] = float(indent)
    wb.close()


_GREY_INDEXED = {22, 23, 55}  # C0C0C0, 808080, 969696 in the default palette


def is_grey(fill: object) -> bool:
    """A solid fill of a grey colour: an RGB with equal channels between 80 and F2, the theme's
    background darkened or its text lightened, or a grey of the default palette."""
    if getattr(fill, "fill_type", None) != "solid":
        return False
    colour = getattr(fill, "fgColor", None)
    kind = getattr(colour, "type", None)
    if kind == "rgb":
        rgb = str(getattr(colour, "rgb", ""))
        if not re.fullmatch(r"[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}", rgb):
            return False
        r, g, b = (int(rgb[-6:][i : i + 2], 16) for i in (0, 2, 4))
        return max(r, g, b) - min(r, g, b) <= 12 and 0x80 <= r <= 0xF2
    tint = float(getattr(colour, "tint", 0.0) or 0.0)
    if kind == "theme":
        theme = getattr(colour, "theme", None)
        return (theme in (0, 2) and tint < -0.04) or (theme in (1, 3) and tint > 0.3)
    if kind == "indexed":
        return getattr(colour, "indexed", None) in _GREY_INDEXED
    return False
