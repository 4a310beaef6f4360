"""Our OOXML reader gives what calamine gives.

The .xlsx path decodes cells itself (``reading.ooxml``) instead of handing the sheet to calamine a
second time; calamine stays the reference. Every cell that is neither an error nor a formula saved
without a value must come out the same, of the same type (a date stays a date, a whole number an
int), and so must the merged ranges; for workbooks written by openpyxl, xlsxwriter (shared
strings, its own XML shape) and LibreOffice, and for every return in ``examples/``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calamine_check import assert_same_as_calamine
from hostile.builders import libreoffice_convert
from shuangyong_cli.model.errors import UnreadableFileError
from shuangyong_cli.model.grid import CellError
from shuangyong_cli.reading.returned_file import read_grid

python_calamine = pytest.importorskip("python_calamine")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "回收"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in EXAMPLES.glob("*.xlsx") if not p.name.startswith("~$")),
    ids=lambda p: p.name,
)
def test_every_example_return_reads_as_calamine_reads_it(path: Path) -> None:
    try:
        read_grid(path)
    except UnreadableFileError:
        # a deliberately broken example: calamine must refuse it too (any error of its own)
        with pytest.raises(Exception):  # noqa: B017
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
        return
    assert_same_as_calamine(path)


FORMATS = [
    "General",
    "yyyy-mm-dd",
    'yyyy"年"m"月"d"日"',
    "[$-804]yyyy年m月d日",
    "m/d/yy h:mm",
    "h:mm:ss",
    "0.00%",
    '"¥"#,##0.00;[Red]\\-"¥"#,##0.00',
    "0.00_);[Red](0.00)",
    "@",
    "#,##0",
    "[h]:mm:ss",
    "h:mm AM/PM",
    "#,##0*y",
]
VALUES: list[Any] = [
    12,
    -3.25,
    0.1 + 0.2,
    1e20,
    123456789012345,
    60,
    59.5,
    0.999999999,
    44053.0000001,
    2958466,
    dt.date(2020, 8, 10),
    dt.datetime(2020, 8, 10, 9, 30),
    dt.time(14, 5),
    True,
    False,
    "黔江区民政局",
    "  前后空格  ",
    "a & b < c > d \"e\" 'f'",
    "第一行\n第二行",
    "制表\t符",
    "约5",
    "=SUM(1,2)",
]


def too_long_for_calamine(value: Any, fmt: str) -> bool:
    """A duration of more than about 2.7 million years: calamine refuses the whole sheet."""
    return fmt.startswith("[h]") and isinstance(value, int | float) and abs(value) > 1e8


def rich_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计表"
    for i, value in enumerate(VALUES, start=1):
        for j, fmt in enumerate(FORMATS, start=1):
            if too_long_for_calamine(value, fmt):
                continue
            cell = ws.cell(row=i, column=j, value=value)
            if not isinstance(value, str) or not value.startswith("="):
                cell.number_format = fmt
    ws.merge_cells("A30:H30")
    ws["A30"] = "合并"
    ws.merge_cells("B32:B35")
    other = wb.create_sheet("填表说明")
    other["A1"] = "说明"
    other["B2"] = 1.5
    return wb


@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
def test_openpyxl_workbook_reads_as_calamine_reads_it(tmp_path: Path, date1904: bool) -> None:
    path = tmp_path / "openpyxl.xlsx"
    wb = rich_workbook()
    if date1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        wb.epoch = CALENDAR_MAC_1904
    wb.save(path)
    grid = assert_same_as_calamine(path)
    form = grid.sheets[0]
    row = VALUES.index(dt.date(2020, 8, 10)) + 1
    assert form.get(row, 2) == dt.date(2020, 8, 10)  # a date format makes it a date
    assert form.get(row, 1) == (42591 if date1904 else 44053)  # General leaves the serial
    assert form.get(1, 1) == 12 and type(form.get(1, 1)) is int


def test_a_duration_too_long_for_calamine_is_read_as_the_number(tmp_path: Path) -> None:
    """calamine refuses the whole sheet (a timedelta overflow); the number is what was typed."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = 1e20
    ws["A1"].number_format = "[h]:mm:ss"
    ws["A2"] = 1.5
    ws["A2"].number_format = "[h]:mm:ss"
    wb.save(tmp_path / "d.xlsx")
    assert read_grid(tmp_path / "d.xlsx").sheets[0].cells == {(1, 1): 1e20, (2, 1): 1.5}


def _xlsxwriter(path: Path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("统计表")
    for i, value in enumerate(VALUES):
        for j, code in enumerate(FORMATS):
            if too_long_for_calamine(value, code):
                continue
            fmt = wb.add_format({"num_format": code})
            if isinstance(value, str) and value.startswith("="):
                ws.write_formula(i, j, value, fmt, 3)
            elif isinstance(value, dt.date | dt.time):
                ws.write_datetime(i, j, value, fmt)
            else:
                ws.write(i, j, value, fmt)
    ws.merge_range("A30:H30", "合并")
    ws.write_formula("J1", "=1/0", None, "#DIV/0!")
    wb.close()


def test_xlsxwriter_workbook_reads_as_calamine_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "xlsxwriter.xlsx"
    _xlsxwriter(path)
    grid = assert_same_as_calamine(path)
    assert grid.sheets[0].get(1, 10) == CellError("#DIV/0!")


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_resaved_workbook_reads_as_calamine_reads_it(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    rich_workbook().save(src / "openpyxl.xlsx")
    _xlsxwriter(src / "xlsxwriter.xlsx")
    out = tmp_path / "out"
    files = [src / "openpyxl.xlsx", src / "xlsxwriter.xlsx"]
    libreoffice_convert(files, "xlsx", out, tmp_path / "lo_profile").check_returncode()
    for name in ("openpyxl.xlsx", "xlsxwriter.xlsx"):
        assert_same_as_calamine(out / name)


_text = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)
_cell = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    _text,
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.tuples(st.integers(0, 40), st.integers(0, 12)), _cell, max_size=30))
def test_random_cells_read_as_calamine_reads_them(
    tmp_path: Path, cells: dict[tuple[int, int], Any]
) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("统计表")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for (row, col), value in cells.items():
        if isinstance(value, dt.date):
            ws.write_datetime(row, col, value, date_fmt)
        elif isinstance(value, str):
            ws.write_string(row, col, value)
        else:
            ws.write(row, col, value)
    wb.close()
    path = tmp_path / "random.xlsx"
    path.write_bytes(buf.getvalue())
    assert_same_as_calamine(path)


def test_the_same_cell_xml_reads_by_each_workbooks_own_styles(tmp_path: Path) -> None:
    """Cells already read are remembered by their XML; a styled number still depends on the
    styles of the workbook it is in (here s="1" is a date in one and a number in the other)."""
    paths = []
    for fmt in ("yyyy-mm-dd", "0.00"):
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws["D9"] = 44053
        ws["D9"].number_format = fmt
        paths.append(tmp_path / f"{fmt}.xlsx")
        wb.save(paths[-1])
    xml = [
        zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml").split(b"<sheetData>")[1] for p in paths
    ]
    assert xml[0] == xml[1]
    assert read_grid(paths[0]).sheets[0].cells == {(9, 4): dt.date(2020, 8, 10)}
    assert read_grid(paths[1]).sheets[0].cells == {(9, 4): 44053}
    assert read_grid(paths[0]).sheets[0].cells == {(9, 4): dt.date(2020, 8, 10)}


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A1" s = "1"><v>44053</v></c>',  # blanks around =
        "<c r=\"A1\" s='1'><v>44053</v></c>",  # single quotes
        '<c r="A1" t="n" s="1"><v>44053</v></c>',  # t before s
        '<c r="A1" foo="x>y" s="1"><v>44053</v></c>',  # > inside a value
    ],
)
def test_attributes_written_otherwise_are_still_read(tmp_path: Path, cell: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = 1
    ws["A1"].number_format = "yyyy-mm-dd"
    wb.save(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as src:
        parts = {n: src.read(n) for n in src.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start, end = sheet.index("<sheetData>"), sheet.index("</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = (
        sheet[:start] + f'<sheetData><row r="1">{cell}</row>' + sheet[end:]
    ).encode()
    with zipfile.ZipFile(tmp_path / "b.xlsx", "w") as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    assert assert_same_as_calamine(tmp_path / "b.xlsx").sheets[0].cells == {
        (1, 1): dt.date(2020, 8, 10)
    }


def _reshaped(xml: str, rng: random.Random) -> str:
    """The same sheet written another way: blanks between tags (an empty <v></v> becomes
    <v> </v>), attributes in another order or quoted with ', an unknown attribute, new lines,
    a namespace prefix on every element, cells without r (placed after the one before), an
    empty row, numbers written 5E0, +5 or 5.000."""
    kinds = ["blanks", "order", "quotes", "extra", "pretty", "newlines"]
    ops = rng.sample([*kinds, "prefix", "no_r", "empty_row", "numbers"], k=3)
    if "prefix" in ops:
        xml = re.sub(r"<(/?)(?!\?)([A-Za-z])", r"<\1x:\2", xml)
        main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        xml = xml.replace(main, main.replace("xmlns=", "xmlns:x="), 1)
    if "no_r" in ops:
        xml = re.sub(r'(</c>)<c r="[A-Z]+\d+"', r"\1<c", xml, count=rng.randint(1, 30))
    if "empty_row" in ops:
        xml = xml.replace("</sheetData>", '<row r="200"/></sheetData>')
    if "numbers" in ops:
        forms = ["{}", "{}E0", "+{}", "{}.000"]
        xml = re.sub(r"<v>(\d+)</v>", lambda m: f"<v>{rng.choice(forms).format(m[1])}</v>", xml)
    if "blanks" in ops:
        xml = re.sub(r"><", lambda _m: ">" + rng.choice(["", " ", "\n", "\t"]) + "<", xml)
    if "order" in ops:
        xml = re.sub(r'<c r="([A-Z]+\d+)" s="(\d+)" t="(\w+)"', r'<c t="\3" r="\1" s="\2"', xml)
    if "quotes" in ops:
        xml = re.sub(r' s="(\d+)"', r" s='\1'", xml)
    if "extra" in ops:
        xml = xml.replace('<c r="', '<c cm="1" r="', 5)
    if "pretty" in ops:
        xml = xml.replace("<row ", "\n  <row ").replace("<c ", "\n    <c ")
    if "newlines" in ops:
        xml = re.sub(r' (s|t)="', r'\n \1="', xml)
    return xml


@pytest.mark.parametrize("seed", range(40))
def test_returns_written_another_way_read_as_calamine_reads_them(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    sources = [p for p in sorted(EXAMPLES.glob("*.xlsx")) if zipfile.is_zipfile(p)]
    with zipfile.ZipFile(rng.choice(sources)) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = _reshaped(parts[sheet].decode("utf-8"), rng).encode("utf-8")
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in parts.items():
            dst.writestr(name, content)
    assert_same_as_calamine(path)
