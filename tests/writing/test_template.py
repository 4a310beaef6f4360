from __future__ import annotations

import copy
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hostile.builders import libreoffice_convert
from shuangyong_cli.model.errors import OutputError
from shuangyong_cli.model.form import CellKind, FormSpec
from shuangyong_cli.model.form_file import load_form, parse_form
from shuangyong_cli.model.grid import Grid, Sheet
from shuangyong_cli.model.identity import META_SHEET, read_identity
from shuangyong_cli.season.roster import Roster, RosterUnit
from shuangyong_cli.writing.cell_text import set_text
from shuangyong_cli.writing.template import write_template
from shuangyong_cli.writing.template_layout import template_positions
from shuangyong_cli.writing.unit_copies import safe_filename, unit_copy_names, write_unit_copies

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
SPEC = load_form()

INPUT_ROWS = {
    "troops": 6,
    "anti_japanese": 8,
    "korean_war": 9,
    "martyr_family": 10,
    "military_family": 11,
    "disabled": 12,
    "veterans": 13,
    "other_objects": 14,
    "hardship": 15,
}


def saved(tmp_path: Path, spec: FormSpec = SPEC, **kw: object) -> openpyxl.Workbook:
    out = write_template(spec, tmp_path / "统计表.xlsx", **kw)  # type: ignore[arg-type]
    return openpyxl.load_workbook(out)


def form_sheet(wb: openpyxl.Workbook) -> Worksheet:
    ws = wb[SPEC.sheet]
    assert isinstance(ws, Worksheet)
    return ws


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Worksheet:
    return form_sheet(saved(tmp_path_factory.mktemp("tpl")))


def roster_of(*names: str) -> Roster:
    units = tuple(RosterUnit(name=n, category="乡镇", line=i + 2) for i, n in enumerate(names))
    return Roster(units=units, categories=("乡镇",))


# -- positions --------------------------------------------------------------------------------


def test_positions_are_the_documented_layout() -> None:
    pos = template_positions(SPEC)
    assert pos.sheet == "统计表"
    assert pos.header_rows == (4, 5)
    assert pos.first_body_row == 6
    assert [pos.row[r.id] for r in SPEC.rows] == list(range(6, 21))
    assert [pos.column[c.id] for c in SPEC.columns] == list(range(1, 9))
    assert pos.cell("troops", "qty") == "D6"
    assert pos.cell("total", "subtotal") == "G20"
    assert {f: pos.field_cell(f) for f in ("unit", "date", "filler", "reviewer", "phone")} == {
        "unit": "C3",
        "date": "G3",
        "filler": "B25",
        "reviewer": "D25",
        "phone": "G25",
    }
    assert pos.fields["unit"].label_cell == "A3"
    assert pos.fields["unit"].input_range == "C3:E3"
    assert pos.fields["phone"].label_cell == "F25"
    assert pos.notes_rows == (21, 22, 23)
    assert pos.print_area == "A1:H25"
    assert pos.print_title_rows == "4:5"


# -- what is drawn ----------------------------------------------------------------------------


def test_labels_in_form_order(ws: Worksheet) -> None:
    assert ws["A1"].value == "附件"
    assert ws["A2"].value == SPEC.title
    assert ws["A3"].value == "填报单位："
    assert ws["F3"].value == "日期："
    assert [ws.cell(4, c).value for c in range(1, 9)] == [
        "序号",
        "项目",
        "计量单位",
        "数量",
        "慰问款物（万元）",
        None,
        None,
        "备注",
    ]
    assert [ws.cell(5, c).value for c in (5, 6, 7)] == ["慰问金", "物资折款", "小计"]
    for r in SPEC.rows:
        row = template_positions(SPEC).row[r.id]
        assert (
            ws.cell(row, 1).value,
            ws.cell(row, 2).value or "",
            ws.cell(row, 3).value or "",
        ) == (
            r.seq,
            r.label,
            r.measure,
        )
    assert ws["A20"].value == "合计"
    assert ws["A21"].value == "说明：" + SPEC.notes[0]
    assert ws["A22"].value == "\u3000\u3000\u3000" + SPEC.notes[1]
    assert ws["A23"].value == "\u3000\u3000\u3000" + SPEC.notes[2]
    assert (ws["A25"].value, ws["C25"].value, ws["F25"].value) == (
        "填表人：",
        "审核人：",
        "联系电话：",
    )


def test_merges(ws: Worksheet) -> None:
    assert {str(m) for m in ws.merged_cells.ranges} == {
        "A2:H2",
        "A3:B3",
        "C3:E3",
        "G3:H3",
        "A4:A5",
        "B4:B5",
        "C4:C5",
        "D4:D5",
        "E4:G4",
        "H4:H5",
        "A21:H21",
        "A22:H22",
        "A23:H23",
        "G25:H25",
    }


def test_fonts_title_and_body(ws: Worksheet) -> None:
    assert (ws["A2"].font.name, ws["A2"].font.sz, ws["A2"].font.b) == ("宋体", 16, True)
    assert (ws["B6"].font.name, ws["B6"].font.sz) == ("宋体", 11)
    assert ws["A4"].font.b is True
    assert ws["B8"].alignment.indent == 2  # indent = 1 rows are indented
    assert ws["B6"].alignment.indent == 0
    assert ws["D6"].border.left.style == "thin"
    assert ws["H20"].border.bottom.style == "thin"


def test_only_input_cells_are_unlocked(ws: Worksheet) -> None:
    unlocked = {
        cell.coordinate
        for row in ws.iter_rows(min_row=1, max_row=25, max_col=8)
        for cell in row
        if not cell.protection.locked
    }
    pos = template_positions(SPEC)
    body = {pos.cell(r.id, c.id) for r, c in SPEC.input_cells()}
    rows = INPUT_ROWS.values()
    assert body == (
        {f"{c}{r}" for c in "DEF" for r in rows}
        | {f"D{r}" for r in (16, 17, 18, 19)}
        | {f"H{r}" for r in range(6, 20)}
    )
    assert unlocked == body | {"C3", "D3", "E3", "G3", "H3", "B25", "D25", "G25", "H25"}
    assert ws.protection.sheet is True
    assert not ws.protection.password


def test_password_protects(tmp_path: Path) -> None:
    ws = form_sheet(saved(tmp_path, password="双拥2020"))
    assert ws.protection.sheet is True
    assert ws.protection.password  # stored as Excel's hash, not the text
    assert ws.protection.password != "双拥2020"


def test_validations_cover_exactly_the_numeric_inputs(ws: Worksheet) -> None:
    dvs = ws.data_validations.dataValidation
    by_type: dict[str, set[str]] = {}
    for dv in dvs:
        by_type.setdefault(dv.type or "none", set()).update(
            f"{get_column_letter(col)}{row}" for rng in dv.sqref.ranges for row, col in rng.cells
        )
        if dv.type in ("whole", "decimal"):
            assert dv.operator == "greaterThanOrEqual"
            assert dv.formula1 == "0"
            assert dv.allow_blank is True
            assert dv.showErrorMessage is True and dv.showInputMessage is True
            assert dv.errorStyle == "stop"
    rows = INPUT_ROWS.values()
    qty = {f"D{r}" for r in rows} | {"D16", "D17", "D18", "D19"}
    money = {f"{c}{r}" for c in "EF" for r in rows}
    assert by_type == {"whole": qty, "decimal": money, "none": {"G3"}}
    whole = next(dv for dv in dvs if dv.type == "whole")
    assert whole.error == "数量只能填写不小于 0 的整数，如 12；请不要填写单位或文字。"
    assert whole.promptTitle == "数量"
    cash = next(dv for dv in dvs if dv.type == "decimal" and "E6" in str(dv.sqref))
    assert cash.promptTitle == "慰问金（单位：万元）"
    assert cash.error == (
        "慰问金只能填写不小于 0 的数字（单位：万元），如 1.50；请不要填写“元”“约”等文字。"
    )


def test_calc_cells_are_formulas(ws: Worksheet) -> None:
    assert ws["G6"].value == "=E6+F6"
    assert ws["D7"].value == "=SUM(D8:D14)"
    assert ws["E7"].value == "=SUM(E8:E14)"
    assert ws["F7"].value == "=SUM(F8:F14)"
    assert ws["G7"].value == "=E7+F7"
    assert ws["G15"].value == "=E15+F15"
    assert ws["E20"].value == "=E6+E7+E15"
    assert ws["F20"].value == "=F6+F7+F15"
    assert ws["G20"].value == "=E20+F20"
    pos = template_positions(SPEC)
    calc = [(r, c) for r, c, k in SPEC.cells() if k is CellKind.CALC]
    for r, c in calc:
        cell = ws[pos.cell(r.id, c.id)]
        assert str(cell.value).startswith("=")
        assert cell.protection.locked is True
        assert cell.fill.fgColor.rgb == "00DDEBF7"


def test_na_cells_grey_dash_locked(ws: Worksheet) -> None:
    pos = template_positions(SPEC)
    na = [pos.cell(r.id, c.id) for r, c, k in SPEC.cells() if k is CellKind.NA]
    assert na == [f"{c}{r}" for r in (16, 17, 18, 19) for c in "EFG"] + ["D20", "H20"]
    for ref in na:
        assert ws[ref].value == "—"
        assert ws[ref].fill.fill_type == "solid"
        assert ws[ref].fill.fgColor.rgb == "00D9D9D9"
        assert ws[ref].protection.locked is True


def test_number_formats(ws: Worksheet) -> None:
    assert ws["D6"].number_format == "0"
    assert ws["D7"].number_format == "0"
    assert ws["E6"].number_format == "0.00"
    assert ws["G20"].number_format == "0.00"
    assert ws["H6"].number_format == "@"
    assert ws["G3"].number_format == "yyyy-mm-dd"
    assert ws["C3"].number_format == "@"
    assert ws["G25"].number_format == "@"  # a phone number stays text


def test_print_settings(ws: Worksheet) -> None:
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_options.horizontalCentered is True
    assert ws.print_title_rows == "$4:$5"
    assert ws.print_area == "'统计表'!$A$1:$H$25"
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGH"]
    assert widths == [c.width for c in SPEC.columns]


def test_identity_sheet(tmp_path: Path) -> None:
    wb = saved(tmp_path)
    assert wb.sheetnames == ["统计表", META_SHEET]
    assert wb.active.title == "统计表"  # type: ignore[union-attr]
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    rows = [(r[0].value, r[1].value) for r in meta.iter_rows(max_col=2)]
    assert rows == [
        ("form_id", "bayi-2020"),
        ("form_version", "1"),
        ("fingerprint", SPEC.fingerprint),
        ("kind", "template"),
    ]
    assert all(r[1].data_type == "s" for r in meta.iter_rows(max_col=2))
    grid = Grid(
        path=tmp_path / "统计表.xlsx",
        format="xlsx",
        sheets=[
            Sheet(
                META_SHEET,
                {(i, j): v for i, row in enumerate(rows, 1) for j, v in enumerate(row, 1)},
                visibility="veryhidden",
            )
        ],
    )
    ident = read_identity(grid)
    assert ident is not None
    assert (ident.form_id, ident.fingerprint, ident.kind) == (
        "bayi-2020",
        SPEC.fingerprint,
        "template",
    )


def test_unit_prefill_is_text_never_formula(tmp_path: Path) -> None:
    ws = form_sheet(saved(tmp_path, unit='=HYPERLINK("http://x","黔江区民政局")'))
    assert ws["C3"].value == '=HYPERLINK("http://x","黔江区民政局")'
    assert ws["C3"].data_type == "s"
    assert ws["C3"].protection.locked is False  # still an input cell


def test_set_text_strips_illegal_characters_and_keeps_equals() -> None:
    wb = openpyxl.Workbook()
    cell = wb.active["A1"]  # type: ignore[index]
    set_text(cell, "=1+1\x07")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1\ufffd", "s", True)
    set_text(cell, 12)
    assert (cell.value, cell.data_type) == ("12", "s")


def test_same_bytes_every_run(tmp_path: Path) -> None:
    a = write_template(SPEC, tmp_path / "a.xlsx", unit="城西街道")
    b = write_template(SPEC, tmp_path / "b.xlsx", unit="城西街道")
    assert a.read_bytes() == b.read_bytes()


def test_refuses_existing_output_without_force(tmp_path: Path) -> None:
    out = tmp_path / "统计表.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="已存在；如要覆盖，请加 --force"):
        write_template(SPEC, out)
    assert out.read_bytes() == b"old"
    write_template(SPEC, out, force=True)
    assert openpyxl.load_workbook(out).sheetnames == ["统计表", META_SHEET]


def test_drawn_from_the_spec_not_hard_coded(tmp_path: Path) -> None:
    data = copy.deepcopy(tomllib.loads((ROOT / "templates/bayi-2020.toml").read_text("utf-8")))
    data["form"]["title"] = "2021年春节走访慰问统计表"
    data["form"]["sheet"] = "春节"
    data["columns"] = [c for c in data["columns"] if c["id"] != "remark"]
    for row in data["rows"]:
        row["cells"].pop("remark", None)
    data["rows"][0]["label"] = "慰问驻区部队"
    data["footer_fields"] = data["footer_fields"][:1]
    spec = parse_form(data, "test")
    pos = template_positions(spec)
    assert pos.last_col == 7
    assert pos.field_cell("unit") == "B3" and pos.fields["unit"].label_cell == "A3"
    assert pos.field_cell("date") == "E3" and pos.fields["date"].input_range == "E3:G3"
    assert pos.field_cell("filler") == "B25" and pos.fields["filler"].input_range == "B25:G25"
    wb = saved(tmp_path, spec)
    ws = wb["春节"]
    assert ws["A2"].value == "2021年春节走访慰问统计表"
    assert ws["B6"].value == "慰问驻区部队"
    assert ws["G6"].value == "=E6+F6"
    assert ws.print_area == "'春节'!$A$1:$G$25"
    assert "A2:G2" in {str(m) for m in ws.merged_cells.ranges}


# -- file names and unit copies ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("黔江区民政局", "黔江区民政局"),
        ('区委/组织部:*?"<>|\\', "区委组织部"),
        ("  城西\t街道. . ", "城西 街道"),
        ("a\x00b\u200bc", "abc"),
        ("CON", "_CON"),
        ("com1.txt", "_com1.txt"),
        ("...", "未命名单位"),
        ("长" * 100, "长" * 60),
    ],
)
def test_safe_filename(text: str, expected: str) -> None:
    assert safe_filename(text) == expected


def test_colliding_names_are_disambiguated() -> None:
    roster = roster_of("甲/乙", "甲乙", "甲:乙")
    assert [n for _, n in unit_copy_names(SPEC, roster)] == [
        "甲乙-统计表.xlsx",
        "甲乙-统计表（2）.xlsx",
        "甲乙-统计表（3）.xlsx",
    ]


def test_write_unit_copies(tmp_path: Path) -> None:
    roster = roster_of("城西街道", "黔江区民政局", "=危险")
    out = tmp_path / "下发" / "八一"
    written = write_unit_copies(SPEC, roster, out)
    assert [(u.name, p.name) for u, p in written] == [
        ("城西街道", "城西街道-统计表.xlsx"),
        ("黔江区民政局", "黔江区民政局-统计表.xlsx"),
        ("=危险", "=危险-统计表.xlsx"),
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for _, p in written)
    for unit, path in written:
        ws = form_sheet(openpyxl.load_workbook(path))
        assert ws["C3"].value == unit.name
        assert ws["C3"].data_type == "s"


def test_unit_copies_refuse_existing_and_write_nothing(tmp_path: Path) -> None:
    roster = roster_of("城西街道", "黔江区民政局")
    (tmp_path / "黔江区民政局-统计表.xlsx").write_bytes(b"old")
    with pytest.raises(OutputError) as e:
        write_unit_copies(SPEC, roster, tmp_path)
    assert str(e.value) == (
        f"文件夹 {tmp_path} 中已有 黔江区民政局-统计表.xlsx；如要覆盖，请加 --force"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["黔江区民政局-统计表.xlsx"]
    assert (tmp_path / "黔江区民政局-统计表.xlsx").read_bytes() == b"old"
    write_unit_copies(SPEC, roster, tmp_path, force=True)
    assert len(list(tmp_path.iterdir())) == 2
    assert form_sheet(openpyxl.load_workbook(tmp_path / "黔江区民政局-统计表.xlsx"))[
        "C3"
    ].value == ("黔江区民政局")


def test_unit_copies_under_a_file_write_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "名册.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="是一个文件，不是文件夹"):
        write_unit_copies(SPEC, roster_of("城西街道"), blocker / "下发")
    with pytest.raises(OutputError, match="是一个文件，不是文件夹"):
        write_unit_copies(SPEC, roster_of("城西街道"), blocker)
    assert [p.name for p in tmp_path.iterdir()] == ["名册.txt"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_unit_copies_unwritable_folder(tmp_path: Path) -> None:
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="无法在文件夹"):
            write_unit_copies(SPEC, roster_of("城西街道"), folder)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


DENIED = "没有权限（文件可能正被 Excel/WPS 打开，或文件夹不允许写入）"


def test_unit_copies_unwritable_folder_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("shuangyong_cli.writing.unit_copies.tempfile.TemporaryFile", refuse)
    with pytest.raises(OutputError) as e:
        write_unit_copies(SPEC, roster_of("城西街道"), tmp_path)
    assert str(e.value) == f"无法在文件夹 {tmp_path} 中写入文件：{DENIED}"
    with pytest.raises(OutputError) as e:
        write_unit_copies(SPEC, roster_of("城西街道"), tmp_path / "新" / "下发")
    assert str(e.value) == f"无法在文件夹 {tmp_path / '新' / '下发'} 中写入文件：{DENIED}"
    assert list(tmp_path.iterdir()) == []  # the folders it created are removed again
    monkeypatch.setattr("shuangyong_cli.writing.unit_copies.os.access", lambda *a: False)
    with pytest.raises(OutputError) as e:
        write_unit_copies(SPEC, roster_of("城西街道"), tmp_path / "下发")
    assert str(e.value) == f"无法创建文件夹 {tmp_path / '下发'}：没有在 {tmp_path} 中写入的权限"
    assert list(tmp_path.iterdir()) == []


def test_unit_copies_never_overwrite_the_roster(tmp_path: Path) -> None:
    roster_file = tmp_path / "城西街道-统计表.xlsx"
    roster_file.write_bytes(b"roster")
    roster = Roster(units=roster_of("城西街道").units, categories=("乡镇",), source=roster_file)
    with pytest.raises(OutputError, match="就是输入文件"):
        write_unit_copies(SPEC, roster, tmp_path, force=True)
    assert roster_file.read_bytes() == b"roster"


# -- LibreOffice computes the totals ----------------------------------------------------------


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_computes_totals(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    path = write_template(SPEC, src / "填好.xlsx", unit="城西街道")
    wb = openpyxl.load_workbook(path)
    ws = form_sheet(wb)
    pos = template_positions(SPEC)
    filled = {
        ("troops", "qty"): 2,
        ("troops", "cash"): 1.5,
        ("troops", "goods"): 0.25,
        ("anti_japanese", "qty"): 3,
        ("anti_japanese", "cash"): 0.3,
        ("veterans", "qty"): 10,
        ("veterans", "goods"): 1.2,
        ("hardship", "cash"): 0.05,
    }
    for (r, c), v in filled.items():
        ws[pos.cell(r, c)] = v
    wb.save(path)
    out = tmp_path / "out"
    proc = libreoffice_convert([path], "xlsx", out, tmp_path / "lo_profile")
    result = out / "填好.xlsx"
    assert result.exists(), proc.stderr.decode(errors="replace")
    values = form_sheet(openpyxl.load_workbook(result, data_only=True))

    def val(row_id: str, col_id: str) -> Decimal:
        return Decimal(repr(values[pos.cell(row_id, col_id)].value)).quantize(Decimal("0.01"))

    assert val("troops", "subtotal") == Decimal("1.75")
    assert val("objects", "qty") == Decimal("13")
    assert val("objects", "cash") == Decimal("0.30")
    assert val("objects", "goods") == Decimal("1.20")
    assert val("objects", "subtotal") == Decimal("1.50")
    assert val("hardship", "subtotal") == Decimal("0.05")
    assert val("total", "cash") == Decimal("1.85")
    assert val("total", "goods") == Decimal("1.45")
    assert val("total", "subtotal") == Decimal("3.30")
    assert values["C3"].value == "城西街道"
