"""xlsx_copy: a sheet drawn with openpyxl, copied into XlsxWriter, reads back as it was drawn."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from xlsxwriter.workbook import Workbook as XlsxBook

from scenarios import SPEC
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.template import build_template
from shuangyong_cli.writing.xlsx_copy import FormatCache, copy_sheet


def _sheet(wb: openpyxl.Workbook, name: str) -> Worksheet:
    ws = wb[name]
    assert isinstance(ws, Worksheet)
    return ws


@pytest.fixture(scope="module")
def pair() -> tuple[Worksheet, Worksheet]:
    """The blank form saved by openpyxl, and copied into XlsxWriter; both read back."""
    drawn = build_template(SPEC, unit="黔江区")
    src = _sheet(drawn, SPEC.sheet)
    src["B20"].value = "=SUM(1,2)"  # a text cell that starts like a formula
    src["B20"].data_type = "s"
    src["B20"].quotePrefix = True
    buf = io.BytesIO()
    book = XlsxBook(buf, {"in_memory": True})
    copy_sheet(src, book.add_worksheet(SPEC.sheet), FormatCache(book))
    book.close()
    before = openpyxl.load_workbook(io.BytesIO(atomic.workbook_bytes(drawn)))
    after = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    return _sheet(before, SPEC.sheet), _sheet(after, SPEC.sheet)


def _look(ws: Worksheet, r: int, c: int) -> tuple[object, ...]:
    cell = ws.cell(r, c)
    f, al, b = cell.font, cell.alignment, cell.border
    fill = cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type else None
    return (
        cell.number_format,
        (f.name, f.sz, f.b, f.charset),
        fill,
        tuple(
            getattr(b, s).style if getattr(b, s) else None
            for s in ("left", "right", "top", "bottom")
        ),
        (al.horizontal, al.vertical, bool(al.wrap_text), bool(al.shrink_to_fit), al.indent),
        cell.quotePrefix,
        cell.protection.locked,
    )


def test_values_and_looks_of_every_cell(pair: tuple[Worksheet, Worksheet]) -> None:
    before, after = pair
    assert (after.max_row, after.max_column) == (before.max_row, before.max_column)
    for r in range(1, before.max_row + 1):
        for c in range(1, before.max_column + 1):
            p, q = before.cell(r, c), after.cell(r, c)
            assert (p.value or None) == (q.value or None), p.coordinate
            assert _look(before, r, c) == _look(after, r, c), p.coordinate
    assert after["B20"].data_type == "s" and after["B20"].value == "=SUM(1,2)"


def _widths(ws: Worksheet) -> dict[int, float]:
    out = {}
    for dim in ws.column_dimensions.values():
        if dim.customWidth:
            for col in range(dim.min, dim.max + 1):
                out[col] = dim.width
    return out


def test_merges_widths_heights(pair: tuple[Worksheet, Worksheet]) -> None:
    before, after = pair
    assert sorted(map(str, after.merged_cells.ranges)) == sorted(
        map(str, before.merged_cells.ranges)
    )
    assert _widths(after) == _widths(before)
    for r in range(1, before.max_row + 1):
        h = before.row_dimensions[r].height
        got = after.row_dimensions[r].height
        # XlsxWriter stores a height in whole pixels (0.75 pt), as Excel does
        assert (h is None and got is None) or abs(got - h) <= 0.375, r


def test_validations_print_setup_and_protection(pair: tuple[Worksheet, Worksheet]) -> None:
    before, after = pair

    def rules(ws: Worksheet) -> list[tuple[object, ...]]:
        return sorted(
            (
                str(d.type), str(d.operator), str(d.formula1), d.allow_blank,
                d.showErrorMessage, d.showInputMessage, d.promptTitle, d.prompt,
                d.errorTitle, d.error, " ".join(sorted(str(d.sqref).split())),
            )
            for d in ws.data_validations.dataValidation
        )  # fmt: skip

    assert rules(after) == rules(before) and len(rules(after)) == 4
    for attr in ("print_title_rows", "print_area"):
        assert getattr(after, attr) == getattr(before, attr)
    assert after.page_setup.orientation == "landscape"
    assert int(after.page_setup.paperSize) == 9
    assert (after.page_setup.fitToWidth or 1, after.page_setup.fitToHeight) == (1, 0)
    assert after.sheet_properties.pageSetUpPr.fitToPage
    assert after.print_options.horizontalCentered
    m, n = before.page_margins, after.page_margins
    assert (m.left, m.right, m.top, m.bottom, m.header, m.footer) == (
        n.left, n.right, n.top, n.bottom, n.header, n.footer,
    )  # fmt: skip
    assert str(after.oddFooter) == str(before.oddFooter) == "&C第 &P 页，共 &N 页"
    assert after.protection.sheet and before.protection.sheet
    assert not after.protection.formatColumns and not after.protection.formatRows
