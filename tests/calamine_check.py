"""The reader checked against python-calamine: the same values, cell by cell."""

from __future__ import annotations

from pathlib import Path

import python_calamine

from shuangyong_cli.model.grid import CellError, FormulaNoValue, Grid
from shuangyong_cli.reading.calamine import calamine_sheet
from shuangyong_cli.reading.returned_file import read_grid


def assert_same_as_calamine(path: Path) -> Grid:
    grid = read_grid(path)
    assert grid.format == "xlsx"
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for sheet in grid.sheets:
        cells, merged = calamine_sheet(book, sheet.name)
        own = {
            k: v for k, v in sheet.cells.items() if not isinstance(v, CellError | FormulaNoValue)
        }
        theirs = {k: v for k, v in cells.items() if k not in sheet.cells or k in own}
        assert own == theirs, sheet.name
        assert {k: type(v) for k, v in own.items()} == {k: type(v) for k, v in theirs.items()}
        assert sorted(sheet.merged) == sorted(merged), sheet.name
    return grid
