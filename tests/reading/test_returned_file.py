"""Reading good workbooks: every value at its place, with its type, as the unit typed it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hostile.builders import (
    MERGED,
    edit_sheet,
    expected_form_grid,
    form_cells,
    form_workbook,
    form_xlsx,
    libreoffice_xls,
    rezip,
    set_cells_xml,
    soffice,
    xlsx_bytes,
)
from shuangyong_cli.model.errors import UnreadableFileError
from shuangyong_cli.model.grid import CellError, FormulaNoValue, parse_a1
from shuangyong_cli.reading.returned_file import ReadLimits, detect_format, read_grid

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def merged_ranges(refs: list[str]) -> list[tuple[int, int, int, int]]:
    out = []
    for ref in refs:
        first, last = ref.split(":")
        out.append((*parse_a1(first), *parse_a1(last)))
    return sorted(out)


def xlsxwriter_book(build: Callable[[Any], None]) -> bytes:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    build(wb.add_worksheet("统计表"))
    wb.close()
    return buf.getvalue()


# -- .xlsx -----------------------------------------------------------------------------------


def test_form_xlsx_is_read_exactly(tmp_path: Path) -> None:
    data = form_xlsx()
    grid = read_grid(write(tmp_path, "黔江区民政局.xlsx", data))

    assert grid.format == "xlsx"
    assert grid.size == len(data)
    assert grid.sha256 == hashlib.sha256(data).hexdigest()
    assert grid.notes == []
    assert [(s.name, s.visibility) for s in grid.sheets] == [
        ("统计表", "visible"),
        ("填表说明", "hidden"),
        ("_shuangyong", "veryhidden"),
    ]
    form = grid.sheets[0]
    assert form.cells == expected_form_grid()
    assert sorted(form.merged) == merged_ranges(MERGED)
    assert grid.sheets[1].cells == {(1, 1): "金额单位：万元"}
    assert grid.sheets[2].cells == {(1, 1): "form_id", (1, 2): "bayi-2020"}


def test_value_types_are_kept(tmp_path: Path) -> None:
    grid = read_grid(write(tmp_path, "f.xlsx", form_xlsx()))
    form = grid.sheets[0]
    assert type(form.get(6, 4)) is int  # D6 = 1
    assert form.get(6, 5) == 0.5 and type(form.get(6, 5)) is float
    assert form.get(3, 7) == dt.date(2020, 8, 10) and type(form.get(3, 7)) is dt.date
    total = form.get(7, 4)
    assert isinstance(total, FormulaNoValue) and total == "=SUM(D8:D14)"
    assert form.get(16, 5) is None  # grey, styled, empty: no cell


def test_first_cell_at_c5_keeps_absolute_positions(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["C5"] = "起点"
    ws["E9"] = 7
    ws.merge_cells("C5:D6")
    grid = read_grid(write(tmp_path, "c5.xlsx", xlsx_bytes(wb)))
    assert grid.sheets[0].cells == {(5, 3): "起点", (9, 5): 7}
    assert grid.sheets[0].merged == [(5, 3, 6, 4)]


def test_cached_formula_values_errors_and_odd_strings(tmp_path: Path) -> None:
    def build(ws: Any) -> None:
        ws.write_number("D8", 3)
        ws.write_formula("D7", "=SUM(D8:D14)", None, 15)
        ws.write_formula("E7", "=1/0", None, "#DIV/0!")
        ws.write_formula("F7", "=NA()", None, "#N/A")
        ws.write_string("B9", "抗战\x01老战士\x1f")
        ws.write_string("B10", "_x0041_ 原样")
        ws.write_string("C11", "123456789012345678")
        ws.write_number("D11", 123456789012345678)
        ws.write_boolean("E11", True)
        ws.write_number("F11", -0.125)

    grid = read_grid(write(tmp_path, "x.xlsx", xlsxwriter_book(build)))
    cells = grid.sheets[0].cells
    assert cells == {
        (8, 4): 3,
        (7, 4): 15,
        (7, 5): "#DIV/0!",
        (7, 6): "#N/A",
        (9, 2): "抗战\x01老战士\x1f",
        (10, 2): "_x0041_ 原样",
        (11, 3): "123456789012345678",
        (11, 4): 1.234567890123457e17,
        (11, 5): True,
        (11, 6): -0.125,
    }
    assert isinstance(cells[(7, 5)], CellError) and isinstance(cells[(7, 6)], CellError)
    assert not isinstance(cells[(7, 4)], FormulaNoValue)
    # 18 digits typed as a number keep 16 of them in the file; as text, all 18
    assert isinstance(cells[(11, 4)], float) and cells[(11, 4)] != 123456789012345678


def test_formula_without_value_written_by_hand(tmp_path: Path) -> None:
    data = set_cells_xml(
        form_xlsx(),
        30,
        '<c r="A30"><f>SUM(D8:D14)&amp;"&lt;元&gt;"</f></c>'
        '<c r="B30" t="str"><f>A1</f></c>'
        '<c r="C30"><f t="shared" ref="C30:D30" si="7">A1+B1</f><v></v></c>'
        '<c r="D30"><f t="shared" si="7"/><v></v></c>'
        '<c r="E30" t="e"><v>#REF!</v></c>'
        '<c r="F30" t="str"><f>IF(1,"","x")</f><v></v></c>',
    )
    cells = read_grid(write(tmp_path, "f.xlsx", data)).sheets[0].cells
    assert cells[(30, 1)] == FormulaNoValue('=SUM(D8:D14)&"<元>"')
    assert cells[(30, 2)] == FormulaNoValue("=A1")
    assert cells[(30, 3)] == FormulaNoValue("=A1+B1")
    assert cells[(30, 4)] == FormulaNoValue("=B1+C1")
    assert cells[(30, 5)] == CellError("#REF!")
    assert all(isinstance(cells[(30, c)], FormulaNoValue) for c in range(1, 5))
    assert (30, 6) not in cells  # a formula whose saved value is the empty text


def test_cells_without_r_are_placed_like_excel(tmp_path: Path) -> None:
    data = edit_sheet(
        form_xlsx(),
        lambda x: x.replace(
            "</sheetData>",
            '<row r="40"><c t="n"><v>1</v></c><c><v>2</v></c><c r="E40"><v>3</v></c>'
            "<c><v>4</v></c></row><row><c><v>5</v></c></row></sheetData>",
        ),
    )
    cells = read_grid(write(tmp_path, "r.xlsx", data)).sheets[0].cells
    assert {k: v for k, v in cells.items() if k[0] >= 40} == {
        (40, 1): 1,
        (40, 2): 2,
        (40, 5): 3,
        (40, 6): 4,
        (41, 1): 5,
    }


def test_far_cell_sheet_is_read_sparsely_with_the_same_values(tmp_path: Path) -> None:
    """The slow path (own XML reading) gives what calamine gives, dates included."""
    far = set_cells_xml(
        form_xlsx(), 1048576, '<c r="XFD1048576" t="inlineStr"><is><t>误填</t></is></c>'
    )
    grid = read_grid(write(tmp_path, "far.xlsx", far))
    expected = expected_form_grid()
    expected[(1048576, 16384)] = "误填"
    form = grid.sheets[0]
    assert form.cells == expected
    assert sorted(form.merged) == merged_ranges(MERGED)
    assert type(form.get(3, 7)) is dt.date
    assert grid.notes == [
        (
            "file.far_cells",
            "工作表「统计表」的 XFD1048576（“误填”）有内容，远在表格之外；已读取。"
            "如非有意填写，请删除这些单元格的内容后保存",
        )
    ]
    assert grid.sheets[1].cells == {(1, 1): "金额单位：万元"}  # other sheets still by calamine


def test_sparse_path_decodes_shared_strings_rich_text_and_phonetics(tmp_path: Path) -> None:
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>普通</t></si>"
        "<si><r><t>富</t></r><r><rPr><b/></rPr><t>文本</t></r>"
        '<rPh sb="0" eb="1"><t>ふ</t></rPh></si>'
        "<si><t>a_x0009_b</t></si>"
        "</sst>"
    )
    data = set_cells_xml(
        form_xlsx(),
        1048576,
        '<c r="A1048576" t="s"><v>0</v></c><c r="B1048576" t="s"><v>1</v></c>'
        '<c r="C1048576" t="s"><v>2</v></c><c r="D1048576" t="b"><v>0</v></c>'
        '<c r="E1048576" t="d"><v>2020-08-10T09:30:00</v></c><c r="F1048576"><v>2.5</v></c>',
    )
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()
    data = rezip(data, add={"xl/sharedStrings.xml": strings.encode()})
    cells = read_grid(write(tmp_path, "s.xlsx", data)).sheets[0].cells
    assert {k: v for k, v in cells.items() if k[0] == 1048576} == {
        (1048576, 1): "普通",
        (1048576, 2): "富文本",
        (1048576, 3): "a\tb",
        (1048576, 4): False,
        (1048576, 5): dt.datetime(2020, 8, 10, 9, 30),
        (1048576, 6): 2.5,
    }


@pytest.mark.parametrize("limit", [None, 7000])
def test_a_file_longer_than_its_size_said_is_read_whole_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    """The reader asks for as many bytes as the file's size says; a file that grew since (its
    size said 100 bytes) is still read to its end, and still refused above the limit."""
    data = form_xlsx()
    path = write(tmp_path, "f.xlsx", data)
    real = path.stat()
    shrunk = os.stat_result((*real[:6], 100, *real[7:]))
    original = Path.stat

    def stat(self: Path, **kwargs: Any) -> os.stat_result:
        return shrunk if self == path else original(self, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    limits = ReadLimits() if limit is None else ReadLimits(max_file_bytes=limit)
    assert len(data) > 7000
    if limit is None:
        assert read_grid(path, limits).sheets[0].cells == expected_form_grid()
    else:
        with pytest.raises(UnreadableFileError) as info:
            read_grid(path, limits)
        assert info.value.code == "file.too_large"


def test_limits_are_parameters(tmp_path: Path) -> None:
    path = write(tmp_path, "f.xlsx", form_xlsx())
    grid = read_grid(path, ReadLimits(max_rows=10))
    assert grid.sheets[0].cells == expected_form_grid()
    assert grid.notes == [
        (
            "file.far_cells",
            "工作表「统计表」的 A11（“4”）、B11（“军属”）、C11（“人次”）等 62 处有内容，"
            "远在表格之外；已读取。如非有意填写，请删除这些单元格的内容后保存",
        )
    ]


# -- .xls ----------------------------------------------------------------------------------------


def test_hand_made_xls_in_the_mini_stream(tmp_path: Path) -> None:
    from hostile.builders import boolerr, formula_error, label, mulrk, number, tiny_xls

    data = tiny_xls(
        [
            (
                "统计表",
                0,
                [
                    label(2, 2, "黔江区民政局"),
                    number(5, 3, 12.5),
                    boolerr(6, 3, 0x07, True),
                    boolerr(6, 4, 1, False),
                    formula_error(7, 3, 0x2A),
                    mulrk(8, 1, [1, 2, 3]),
                ],
            ),
            ("说明", 1, [label(0, 0, "万元")]),
            ("_shuangyong", 2, [label(0, 0, "form_id")]),
        ]
    )
    assert len(data) < 4096
    grid = read_grid(write(tmp_path, "小.xls", data))
    assert grid.format == "xls"
    assert [(s.name, s.visibility) for s in grid.sheets] == [
        ("统计表", "visible"),
        ("说明", "hidden"),
        ("_shuangyong", "veryhidden"),
    ]
    cells = grid.sheets[0].cells
    assert cells == {
        (3, 3): "黔江区民政局",
        (6, 4): 12.5,
        (7, 4): "#DIV/0!",
        (7, 5): True,
        (8, 4): "#N/A",
        (9, 2): 1,
        (9, 3): 2,
        (9, 4): 3,
    }
    assert isinstance(cells[(7, 4)], CellError) and isinstance(cells[(8, 4)], CellError)


# -- .xls (LibreOffice) ------------------------------------------------------------------------


def evaluate(cells: dict[str, object], ref: str) -> object:
    """The value of a form cell, computing the form's formulas (SUM of a column range, a+b+c)."""
    value = cells.get(ref)
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    expr = value[1:]
    span = re.fullmatch(r"SUM\(([A-Z])(\d+):\1(\d+)\)", expr)
    if span:
        refs = [f"{span[1]}{r}" for r in range(int(span[2]), int(span[3]) + 1)]
    else:
        refs = expr.split("+")
    total: float = 0
    for part in refs:
        number = evaluate(cells, part)
        assert number is None or isinstance(number, int | float)
        total += number or 0
    return int(total) if float(total).is_integer() else total


@pytest.mark.soffice
@needs_soffice
def test_form_xls_matches_the_xlsx(tmp_path: Path) -> None:
    data = libreoffice_xls()["form"]
    grid = read_grid(write(tmp_path, "黔江区民政局.xls", data))
    assert grid.format == "xls"
    assert grid.notes == []
    # LibreOffice writes a very hidden sheet as hidden in .xls
    assert [(s.name, s.visibility) for s in grid.sheets] == [
        ("统计表", "visible"),
        ("填表说明", "hidden"),
        ("_shuangyong", "hidden"),
    ]
    form = grid.sheets[0]
    typed = form_cells()
    # LibreOffice computes the formulas when it converts: the .xls carries their values
    expected = {parse_a1(ref): evaluate(typed, ref) for ref in typed}
    assert form.cells == expected
    assert sorted(form.merged) == merged_ranges(MERGED)
    assert type(form.get(3, 7)) is dt.date


@pytest.mark.soffice
@needs_soffice
def test_xls_error_cells(tmp_path: Path) -> None:
    grid = read_grid(write(tmp_path, "e.xls", libreoffice_xls()["errors"]))
    assert grid.sheets[0].cells == {(5, 3): 3, (5, 4): "#DIV/0!", (5, 5): "#N/A", (5, 6): 6}
    assert isinstance(grid.sheets[0].cells[(5, 4)], CellError)
    assert isinstance(grid.sheets[0].cells[(5, 5)], CellError)


@pytest.mark.soffice
@needs_soffice
def test_xls_with_a_cell_at_iv65536_is_read_sparsely(tmp_path: Path) -> None:
    grid = read_grid(write(tmp_path, "far.xls", libreoffice_xls()["far"]))
    assert grid.sheets[0].cells == {
        (1, 1): "填报单位：",
        (1, 2): "黔江区民政局",
        (8, 4): 12,
        (65536, 256): "误填",
    }
    assert grid.notes == [
        (
            "file.far_cells",
            "工作表「统计表」的 IV65536（“误填”）有内容，远在表格之外；已读取。"
            "如非有意填写，请删除这些单元格的内容后保存",
        )
    ]


# -- detect_format -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"", "empty"),
        (b"\x00\x00\x00", "empty"),
        (b"PK\x03\x04rest", "xlsx"),
        (b"PK\x05\x06" + bytes(18), "xlsx"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(8), "xls"),
        ("序号,项目,数量\r\n一,走访慰问驻黔部队,3\r\n".encode("gbk"), "csv"),
        ("\ufeff序号\t项目\n".encode(), "csv"),
        ("序号\t项目\n".encode("utf-16"), "csv"),
        (b"  \r\n<html><body><table>", "html"),
        (b"<!DOCTYPE html>\n<html>", "html"),
        ("<table><tr><td>填报单位</td></tr></table>".encode("gbk"), "html"),
        (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x", "html"),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "xml",
        ),
        ("这是一段说明文字。".encode(), "text"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"Rar!\x1a\x07\x01\x00", "archive"),
        (bytes(range(256)), "unknown"),
    ],
)
def test_detect_format(head: bytes, kind: str) -> None:
    assert detect_format(head) == kind


def test_form_workbook_builder_is_what_the_tests_think() -> None:
    wb = form_workbook()
    assert wb.sheetnames == ["统计表", "填表说明", "_shuangyong"]


# -- the fast scan agrees with the careful one -------------------------------------------------

PLAIN_CELLS = (
    '<c r="A30"><f>SUM(D8:D14)&amp;"x"</f></c>'
    '<c r="B30" t="str"><f>A1</f><v></v></c>'
    '<c r="C30" t="str"><f>A1</f></c>'
    '<c r="D30"><f t="shared" ref="D30:E30" si="3">A1+B1</f><v></v></c>'
    '<c r="E30"><f t="shared" si="3"/><v/></c>'
    '<c r="F30" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="G30" t="e"><v>#N/A</v></c>'
    '<c r="H30" s="2"/><c r="I30" s="2"></c>'
    '<c r="J30" t="inlineStr"><is><t xml:space="preserve"> 军属 </t></is></c>'
    '<c r="K30"><f>K1</f><v>0</v></c>'
)


def excel_style(data: bytes) -> bytes:
    """Rows and cells as Excel 2010+ writes them: spans, heights, x14ac:dyDescent."""

    def edit(xml: str) -> str:
        xml = xml.replace(
            "<worksheet ",
            '<worksheet xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
            'mc:Ignorable="x14ac" ',
            1,
        )
        return re.sub(
            r'<row r="(\d+)">',
            r'<row r="\1" spans="1:8" ht="20.25" customHeight="1" x14ac:dyDescent="0.25">',
            xml,
        )

    return edit_sheet(data, edit)


def sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def _xlsxwriter_sample() -> bytes:
    return xlsxwriter_book(
        lambda ws: (
            ws.write_formula("D7", "=SUM(D8:D14)", None, 15),
            ws.write_formula("E7", "=1/0", None, "#DIV/0!"),
            ws.write_string("B9", "抗战\x01老战士"),
            ws.merge_range("A2:H2", "标题"),
        )
    )


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(form_xlsx, id="openpyxl form"),
        pytest.param(lambda: set_cells_xml(form_xlsx(), 30, PLAIN_CELLS), id="formulas and errors"),
        pytest.param(
            lambda: excel_style(set_cells_xml(form_xlsx(), 30, PLAIN_CELLS)), id="Excel rows"
        ),
        pytest.param(_xlsxwriter_sample, id="xlsxwriter"),
    ],
)
def test_fast_scan_matches_expat_scan(make: Callable[[], bytes]) -> None:
    assert_fast_scan_matches_expat_scan(sheet_xml(make()))


def assert_fast_scan_matches_expat_scan(xml: bytes) -> None:
    from shuangyong_cli.reading.limits import DEFAULT_LIMITS
    from shuangyong_cli.reading.ooxml.cell_values import CellDecoder
    from shuangyong_cli.reading.ooxml.sheet_expat import SheetScan
    from shuangyong_cli.reading.ooxml.sheet_regex import fast_scan

    decoder = CellDecoder([f"文字{i}" for i in range(100)], {1: "date"})
    fast = fast_scan(xml, "统计表", DEFAULT_LIMITS, decoder)
    careful = SheetScan("统计表", DEFAULT_LIMITS, decoder)
    careful.run(xml)
    assert fast is not None, "a plain sheet must take the fast path"
    assert (fast.count, fast.min_row, fast.max_row, fast.min_col, fast.max_col) == (
        careful.count,
        careful.min_row,
        careful.max_row,
        careful.min_col,
        careful.max_col,
    )
    assert fast.formulas == careful.formulas
    assert fast.errors == careful.errors
    assert fast.values == careful.values
    assert {k: type(v) for k, v in fast.values.items()} == {
        k: type(v) for k, v in careful.values.items()
    }
    assert sorted(fast.merged) == sorted(careful.merged)


@pytest.mark.parametrize(
    "cells",
    [
        '<c  r="A30"><v>1</v></c>',  # two spaces
        "<c><v>1</v></c><c><v>2</v></c>",  # no r: after the row's last cell
        '<c r="C30"><v>1</v></c><c s="1"><v>44053</v></c><c/><c></c><c><v>3</v></c>',
        "<c r=\"A30\" s='1'><v>1</v></c>",  # single quotes
        '<c s="1" t="n" r="A30" ><v >44053</v ></c >',  # order, blanks inside tags
        '<c r="A30" s="1" t="n" /><c r="B30" t="s"><v>3</v></c>',  # etree's self-closing
        '<c r="A30"><v /></c><c r="B30"><f>1+1</f><v /></c>',  # etree's empty <v />
        '\n  <c r="A30"\n   t="inlineStr">\n <is>\n<t xml:space="preserve"> a </t></is></c>\n',
        '<c r="A30"><f t="shared" ref="A30:A31" si="0">B30</f></c>'
        '<c r="A31"><f t="shared" si="0"/></c>',  # shared formulas saved without values
        '<c r="A30" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
    ],
)
def test_other_shapes_take_the_fast_path_too(cells: str) -> None:
    xml = sheet_xml(set_cells_xml(form_xlsx(), 30, cells))
    assert_fast_scan_matches_expat_scan(xml)


def test_a_sheet_prefixed_throughout_and_rows_without_r_take_the_fast_path() -> None:
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    xml = sheet_xml(form_xlsx()).decode()
    xml = re.sub(r"<(/?)(?!\?)([A-Za-z])", r"<\1x:\2", xml).replace(
        main, main[:5] + ":x" + main[5:]
    )
    xml = re.sub(r'<x:row r="\d+"', "<x:row", xml)
    assert_fast_scan_matches_expat_scan(xml.encode())


@pytest.mark.parametrize(
    "cells",
    [
        '<x:c r="A30"><x:v>1</x:v></x:c>',  # another prefix than sheetData's
        '<c r="A30"><!-- note --><v>1</v></c>',  # comment
        '<c r="A30" t="inlineStr"><is><r><t>富</t></r></is></c>',  # rich inline text
        '<c r="A30" foo="x>y"><v>1</v></c>',  # > inside a value
        '<c r="A30"><v>1</v><extLst/></c>',  # anything else inside a cell
    ],
)
def test_other_shapes_take_the_careful_path(cells: str, tmp_path: Path) -> None:
    from shuangyong_cli.reading.limits import DEFAULT_LIMITS
    from shuangyong_cli.reading.ooxml.sheet_regex import fast_scan

    data = set_cells_xml(form_xlsx(), 30, cells)
    assert fast_scan(sheet_xml(data), "统计表", DEFAULT_LIMITS) is None
    grid = read_grid(write(tmp_path, "s.xlsx", data))
    assert grid.sheets[0].cells[(3, 3)] == "黔江区民政局"


def test_reading_in_threads_gives_stderr_back(tmp_path: Path) -> None:
    import os
    from concurrent.futures import ThreadPoolExecutor

    paths = [write(tmp_path, f"u{i}.xlsx", form_xlsx(f"单位{i}", seed=i)) for i in range(8)]
    before = os.fstat(2)
    with ThreadPoolExecutor(8) as pool:
        grids = list(pool.map(read_grid, paths * 5))
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert [g.sheets[0].get(3, 3) for g in grids[:8]] == [f"单位{i}" for i in range(8)]
