"""Every reading case of issue 16 (``reader_cases.CASES``) reads as written down, and as
calamine reads it where it is the reference; where it is not, calamine indeed reads it otherwise
(the written reason stays true)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from reader_cases import CASES, Case
from shuangyong_cli.model.grid import Grid
from shuangyong_cli.reading.calamine import calamine_sheet
from shuangyong_cli.reading.returned_file import read_grid

python_calamine = pytest.importorskip("python_calamine")


def _ids(case: Case) -> str:
    return case.name + case.suffix


def _write(tmp_path: Path, case: Case, data: bytes | None = None) -> Path:
    path = tmp_path / f"{case.name}{case.suffix}"
    path.write_bytes(case.build() if data is None else data)
    return path


def _typed(cells: dict[tuple[int, int], object]) -> dict[tuple[int, int], tuple[type, object]]:
    return {pos: (type(value), value) for pos, value in cells.items()}


def calamine_cells(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    """What calamine reads, sheet by sheet, as Grid values (its failures are not caught)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: dict(calamine_sheet(book, name)[0]) for name in book.sheet_names}


@pytest.mark.parametrize("scan", ["fast", "expat"])
@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_each_case_reads_as_written_down(
    tmp_path: Path, case: Case, scan: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if scan == "expat":  # every sheet through the careful path
        monkeypatch.setattr("shuangyong_cli.reading.ooxml.package.fast_scan", lambda *_args: None)
    grid: Grid = read_grid(_write(tmp_path, case))
    got = {sheet.name: _typed(sheet.cells) for sheet in grid.sheets}
    assert got == {name: _typed(dict(cells)) for name, cells in case.expected.items()}
    assert tuple(code for code, _ in grid.notes) == case.notes


@pytest.mark.parametrize("case", [c for c in CASES if c.reference == "calamine"], ids=_ids)
def test_calamine_reads_each_case_alike(tmp_path: Path, case: Case) -> None:
    data = case.twin() if case.twin is not None else None
    theirs = calamine_cells(_write(tmp_path, case, data))
    expected = {name: dict(cells) for name, cells in case.expected.items()}
    if case.twin is not None:  # the twin lacks the far cells only
        expected = {n: {p: v for p, v in c.items() if p in theirs[n]} for n, c in expected.items()}
        assert all(len(expected[n]) >= len(c) - 1 for n, c in case.expected.items())
    assert {n: _typed(c) for n, c in theirs.items()} == {n: _typed(c) for n, c in expected.items()}


@pytest.mark.parametrize("case", [c for c in CASES if c.differs], ids=_ids)
def test_where_calamine_differs_the_reason_holds(tmp_path: Path, case: Case) -> None:
    path = _write(tmp_path, case)
    if case.name == "workbook_part_elsewhere":
        with pytest.raises(python_calamine.CalamineError, match=r"book/_rels/workbook\.xml\.rels"):
            python_calamine.CalamineWorkbook.from_path(str(path))
        # openpyxl finds the workbook from _rels/.rels and reads what we read
        ws = openpyxl.load_workbook(path).worksheets[0]
        assert {(c.row, c.column): c.value for row in ws.iter_rows() for c in row} == dict(
            case.expected["Sheet1"]
        )
        return
    assert case.name == "surrogate_pair_escapes"
    theirs = calamine_cells(path)["Sheet1"]
    assert theirs[(1, 1)] == "慰问_xD83D__xDE00_"  # left as written
    assert theirs[(1, 2)] == "军属_xD83C__xDF96_"
    others = {p: v for p, v in theirs.items() if p not in ((1, 1), (1, 2))}
    assert others == {p: v for p, v in case.expected["Sheet1"].items() if p in others}


def test_xlrd_reads_a_duration_as_a_date_where_calamine_reads_a_duration(tmp_path: Path) -> None:
    """Far cells send an .xls to xlrd, which calls [h]:mm:ss a date: the style decides here."""
    xlrd = pytest.importorskip("xlrd")
    case = next(c for c in CASES if c.name == "xls_far_cells_durations")
    book = xlrd.open_workbook(file_contents=case.build(), formatting_info=True)
    row = book.sheet_by_index(0).row(0)
    assert [cell.ctype for cell in row[:3]] == [xlrd.XL_CELL_DATE] * 3
    grid = read_grid(_write(tmp_path, case))
    assert grid.sheets[0].get(1, 1) == 1.5 and grid.sheets[0].get(1, 3) == dt.date(2020, 8, 10)
