"""Annotated copies: marks on the cells, a first 校验意见 sheet, the original untouched."""

from __future__ import annotations

import colorsys
import datetime as dt
import hashlib
import itertools
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from shuangyong_cli.model.errors import OutputError
from shuangyong_cli.model.findings import FileResult, Report, Severity, finding
from shuangyong_cli.model.form import CellKind
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.model.grid import CellError, FormulaNoValue, Grid, Sheet
from shuangyong_cli.writing.annotate import (
    annotate,
    annotate_report,
    annotated_name,
    annotated_names,
)
from shuangyong_cli.writing.annotation_marks import parse_cell
from shuangyong_cli.writing.annotation_sheet import ANNOTATION_SHEET, FORM_FILLS, LEGEND
from shuangyong_cli.writing.styles import CALC_FILL, NA_FILL, SEVERITY_FILL
from shuangyong_cli.writing.template import write_template
from shuangyong_cli.writing.template_layout import template_positions

SHEET = "统计表"


def make_return(path: Path) -> Path:
    """A small protected return: unit in merged C3:E3, a few body values, a formula."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws["A3"] = "填报单位："
    ws["C3"] = "区民政局"
    ws.merge_cells("C3:E3")
    ws["B6"] = "走访慰问驻黔部队"
    ws["B6"].font = Font(bold=True)
    ws["E6"] = "约5"
    ws["F6"] = 2
    ws["G6"] = "=E6+F6"
    ws["D8"] = "１２"
    ws["H8"] = "已有说明"
    ws["H8"].comment = Comment("单位自己的批注", "某人")
    ws.protection.sheet = True
    ws.protection.password = "secret"
    wb.create_sheet("_shuangyong").sheet_state = "veryHidden"
    wb.save(path)
    return path


def findings_for(name: str) -> FileResult:
    return FileResult(
        name,
        unit="区民政局",
        findings=[
            finding(
                "header.date_missing",
                "单元格 G3「日期」未填写；请填写报送日期，如 2020-08-10。",
                file=name,
                sheet=SHEET,
                cell="G3",
                field="日期",
            ),
            finding(
                "value.not_number",
                "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字，实际为“约5”。",
                file=name,
                sheet=SHEET,
                cell="E6",
                field="走访慰问驻黔部队 / 慰问金",
                value="约5",
            ),
            finding(
                "value.converted",
                "单元格 D8「抗战老战士 / 数量」填的是“１２”，已按 12 读取。",
                file=name,
                sheet=SHEET,
                cell="D8",
                field="抗战老战士 / 数量",
                value="１２",
            ),
            finding(
                "value.implausible",
                "单元格 E6 金额偏大。",
                file=name,
                sheet=SHEET,
                cell="E6",
                field="走访慰问驻黔部队 / 慰问金",
                value="约5",
            ),
            finding(
                "roster.near_match",
                "单元格 D3 的单位名称与名册不完全一致。",
                file=name,
                sheet=SHEET,
                cell="D3",
                field="填报单位",
                value="区民政局",
            ),
            finding(
                "value.outside_form",
                "单元格 H8 在表格外有数值。",
                file=name,
                sheet=SHEET,
                cell="H8",
                value="已有说明",
            ),
            finding("form.other_sheets", "另有工作表 草稿。", file=name),
        ],
    )


def xlsx_grid(path: Path) -> Grid:
    return Grid(path=path, format="xlsx", sheets=[Sheet(SHEET)])


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def rgb(cell: object) -> str:
    return str(cell.fill.start_color.rgb)[-6:]  # type: ignore[attr-defined]


def test_xlsx_copy_marks_cells_and_leaves_the_original(tmp_path: Path) -> None:
    src = make_return(tmp_path / "区民政局.xlsx")
    os.utime(src, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = fingerprint(src)
    out = annotate(src, findings_for("区民政局.xlsx"), xlsx_grid(src), tmp_path / "意见")
    assert out == (tmp_path / "意见" / "区民政局-校验意见.xlsx").resolve()
    assert fingerprint(src) == before

    wb = load_workbook(out)
    assert wb.sheetnames == [ANNOTATION_SHEET, SHEET, "_shuangyong"]
    assert wb.active.title == ANNOTATION_SHEET  # type: ignore[union-attr]
    ws = wb[SHEET]
    # Fills by the worst finding on each cell.
    assert rgb(ws["E6"]) == SEVERITY_FILL[finding("value.guess", "").severity]
    assert rgb(ws["G3"]) == "FFEB9C"
    assert rgb(ws["D8"]) == "C6EFCE"
    assert rgb(ws["C3"]) == "FFEB9C"  # D3 lies in the merged C3:E3
    assert rgb(ws["E6"]) == "FFC7CE"
    # Comments: every message on the cell, by shuangyong; a unit's own comment kept below.
    assert ws["E6"].comment.author == "shuangyong"
    assert ws["E6"].comment.text == (
        "【错误】单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字，实际为“约5”。\n"
        "【错误】单元格 E6 金额偏大。"
    )
    assert ws["C3"].comment.text == "【警告】单元格 D3 的单位名称与名册不完全一致。"
    assert ws["H8"].comment.text == (
        "【警告】单元格 H8 在表格外有数值。\n——原批注——\n单位自己的批注"
    )
    assert ws["B6"].comment is None and ws["B6"].fill.fill_type is None
    # The rest of the copy is the unit's file: formats, formula, merge, hidden meta sheet.
    assert ws["B6"].font.bold
    assert ws["G6"].value == "=E6+F6"
    assert "C3:E3" in {str(r) for r in ws.merged_cells.ranges}
    assert wb["_shuangyong"].sheet_state == "veryHidden"
    # Protection is off in the copy, so the marks can be seen and edited.
    assert not ws.protection.sheet


def test_annotation_sheet_lists_the_findings(tmp_path: Path) -> None:
    src = make_return(tmp_path / "区民政局.xlsx")
    out = annotate(src, findings_for("区民政局.xlsx"), xlsx_grid(src), tmp_path)
    ws = load_workbook(out)[ANNOTATION_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "校验意见：区民政局.xlsx"
    assert rows[1][0] == "填报单位：区民政局　错误 2 个，警告 3 个，提示 2 个。"
    assert rows[2][0] == "结论：有错误，请按下表逐项修改后重新报送。"
    assert rows[3] == ["错误", "警告", "提示", LEGEND + FORM_FILLS, None, None]
    assert rows[4] == [None] * 6
    assert rows[5] == ["级别", "工作表", "单元格", "项目", "填写内容", "问题"]
    assert rows[6] == [
        "错误",
        SHEET,
        "E6",
        "走访慰问驻黔部队 / 慰问金",
        "约5",
        "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字，实际为“约5”。",
    ]
    assert [r[0] for r in rows[6:]] == ["错误", "错误", "警告", "警告", "警告", "提示", "提示"]
    assert [r[2] for r in rows[6:]] == ["E6", "E6", "G3", "D3", "H8", "D8", None]
    # 单元格 links to the marked cell (the merge's anchor for D3).
    assert ws["C7"].hyperlink.location == "'统计表'!E6"
    assert ws["C10"].hyperlink.location == "'统计表'!C3"
    assert ws["C13"].hyperlink is None  # a finding about the whole file
    assert ws.freeze_panes == "A7"
    assert ws.print_title_rows == "$6:$6"
    assert ws.print_area == "'校验意见'!$A$1:$F$13"
    assert ws.sheet_view.tabSelected
    assert not load_workbook(out)[SHEET].sheet_view.tabSelected


def test_clean_file_says_passed(tmp_path: Path) -> None:
    src = make_return(tmp_path / "a.xlsx")
    out = annotate(src, FileResult("a.xlsx", unit="区民政局"), xlsx_grid(src), tmp_path / "o")
    ws = load_workbook(out)[ANNOTATION_SHEET]
    assert ws["A3"].value == "结论：通过。"
    assert ws["A4"].value is None  # no marks, no legend
    assert ws["A6"].value == "级别"
    assert ws["F7"].value == "没有发现问题。"


def test_xls_source_is_rebuilt_from_the_grid(tmp_path: Path) -> None:
    src = tmp_path / "石会镇.xls"
    src.write_bytes(b"\xd0\xcf\x11\xe0 not really read")
    before = fingerprint(src)
    grid = Grid(
        path=src,
        format="xls",
        sheets=[
            Sheet(
                SHEET,
                cells={
                    (3, 1): "填报单位：",
                    (3, 3): "石会镇",
                    (6, 2): "走访慰问驻黔部队",
                    (6, 4): 3,
                    (6, 5): 1.5,
                    (6, 6): CellError("#DIV/0!"),
                    (6, 7): FormulaNoValue("=E6+F6"),
                    (3, 7): dt.date(2020, 8, 10),
                    (7, 5): '=HYPERLINK("http://x")',
                    (9, 2): "bell\x07",
                },
                merged=[(3, 3, 3, 5), (2, 1, 2, 8), (3, 4, 3, 6)],
            ),
            Sheet("备用", cells={(1, 1): "x"}, visibility="hidden"),
        ],
    )
    result = FileResult(
        "石会镇.xls",
        unit="石会镇",
        findings=[
            finding(
                "value.error_cell",
                "单元格 F6 显示错误值 #DIV/0!。",
                file="石会镇.xls",
                sheet=SHEET,
                cell="F6",
                value="#DIV/0!",
            )
        ],
    )
    out = annotate(src, result, grid, tmp_path / "out")
    assert out.name == "石会镇-校验意见.xlsx"
    assert fingerprint(src) == before
    wb = load_workbook(out)
    assert wb.sheetnames == [ANNOTATION_SHEET, SHEET, "备用"]
    assert wb[ANNOTATION_SHEET]["A4"].value == (
        "说明：原文件为 .xls 格式，本副本另存为 .xlsx，只保留了各单元格的值，格式和公式未保留。"
    )
    assert wb[ANNOTATION_SHEET]["D5"].value == LEGEND  # no grey or blue of the form to explain
    ws = wb[SHEET]
    assert [ws["C3"].value, ws["D6"].value, ws["E6"].value] == ["石会镇", 3, 1.5]
    assert ws["G3"].value == dt.datetime(2020, 8, 10)
    # Markers and formula-like text are text, never formulas.
    for ref, text in (("F6", "#DIV/0!"), ("G6", "=E6+F6"), ("E7", '=HYPERLINK("http://x")')):
        assert ws[ref].value == text
        assert ws[ref].data_type == "s"
    assert ws["B9"].value == "bell\ufffd"
    # Only the sane merge is copied (the second one overlaps it).
    assert {str(r) for r in ws.merged_cells.ranges} == {"C3:E3", "A2:H2"}
    assert wb["备用"].sheet_state == "hidden"
    assert rgb(ws["F6"]) == "FFC7CE"
    assert ws["F6"].comment.text == "【错误】单元格 F6 显示错误值 #DIV/0!。"


def test_broken_xlsx_falls_back_to_the_grid(tmp_path: Path) -> None:
    src = tmp_path / "坏.xlsx"
    src.write_bytes(b"PK\x03\x04 broken zip")
    grid = Grid(path=src, format="xlsx", sheets=[Sheet(SHEET, cells={(6, 5): "约5"})])
    result = FileResult(
        "坏.xlsx",
        findings=[finding("value.guess", "单元格 E6 数值不确定。", sheet=SHEET, cell="E6")],
    )
    out = annotate(src, result, grid, tmp_path / "o")
    wb = load_workbook(out)
    note = wb[ANNOTATION_SHEET]["A4"].value
    assert note == (
        "说明：原文件无法按原样复制，本副本按读取到的内容重建，只保留了各单元格的值，格式和公式未保留。"
    )
    assert wb[ANNOTATION_SHEET]["A2"].value.startswith("填报单位：（未填）")
    assert wb[SHEET]["E6"].value == "约5"
    assert wb[SHEET]["E6"].comment.text == "【错误】单元格 E6 数值不确定。"


def test_given_bytes_are_used_instead_of_reading_again(tmp_path: Path) -> None:
    real = make_return(tmp_path / "real.xlsx")
    missing = tmp_path / "gone.xlsx"  # the bytes were read; the file has gone since
    out = annotate(
        missing,
        findings_for("gone.xlsx"),
        xlsx_grid(missing),
        tmp_path / "o",
        data=real.read_bytes(),
    )
    assert load_workbook(out)[SHEET]["E6"].comment is not None


def test_existing_annotation_sheet_gets_a_new_name(tmp_path: Path) -> None:
    src = make_return(tmp_path / "a.xlsx")
    first = annotate(src, findings_for("a.xlsx"), xlsx_grid(src), tmp_path / "1")
    again = annotate(first, findings_for("a.xlsx"), xlsx_grid(first), tmp_path / "2")
    assert again.name == "a-校验意见-校验意见.xlsx"
    assert load_workbook(again).sheetnames[:2] == ["校验意见（2）", ANNOTATION_SHEET]


def test_refuses_to_overwrite_and_to_write_among_inputs(tmp_path: Path) -> None:
    src = make_return(tmp_path / "a.xlsx")
    result = findings_for("a.xlsx")
    out = annotate(src, result, xlsx_grid(src), tmp_path / "o")
    with pytest.raises(OutputError, match="已存在；如要覆盖，请加 --force"):
        annotate(src, result, xlsx_grid(src), tmp_path / "o")
    assert annotate(src, result, xlsx_grid(src), tmp_path / "o", force=True) == out
    with pytest.raises(OutputError, match="就是输入文件"):
        annotate(src, result, xlsx_grid(src), tmp_path, name="a.xlsx", force=True)
    with pytest.raises(OutputError, match="正在读取的文件夹"):
        annotate(src, result, xlsx_grid(src), tmp_path / "sub", inputs=[tmp_path])
    assert not (tmp_path / "sub").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="是一个文件"):
        annotate(src, result, xlsx_grid(src), tmp_path / "file")


def test_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    src = make_return(tmp_path / "a.xlsx")
    a = annotate(src, findings_for("a.xlsx"), xlsx_grid(src), tmp_path / "1")
    b = annotate(src, findings_for("a.xlsx"), xlsx_grid(src), tmp_path / "2")
    assert a.read_bytes() == b.read_bytes()


def test_names_are_safe_and_distinct() -> None:
    assert annotated_name(Path("x/石会镇.xls")) == "石会镇-校验意见.xlsx"
    assert annotated_name(Path("CON.xlsx")) == "_CON-校验意见.xlsx"
    assert annotated_name(Path('a:b?"c".xlsx')) == "abc-校验意见.xlsx"
    names = annotated_names([Path("a/民政局.xlsx"), Path("b/民政局.xls"), Path("c/民政局.xlsx")])
    assert list(names.values()) == [
        "民政局-校验意见.xlsx",
        "民政局-校验意见（2）.xlsx",
        "民政局-校验意见（3）.xlsx",
    ]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("E6", (6, 5)),
        ("$e$6", (6, 5)),
        ("C3:E3", (3, 3)),
        ("XFD1048576", (1048576, 16384)),
        ("XFE1", None),
        ("A0", None),
        ("", None),
        ("统计表!E6", None),
    ],
)
def test_parse_cell(ref: str, expected: tuple[int, int] | None) -> None:
    assert parse_cell(ref) == expected


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_the_copy_with_its_comments(tmp_path: Path) -> None:
    src = make_return(tmp_path / "a.xlsx")
    out = annotate(src, findings_for("a.xlsx"), xlsx_grid(src), tmp_path / "o")
    conv = tmp_path / "conv"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo_profile",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(conv),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    wb = load_workbook(conv / out.name)
    assert wb.sheetnames[0] == ANNOTATION_SHEET
    assert wb[SHEET]["E6"].comment.text.startswith("【错误】单元格 E6")


def test_annotate_report_writes_copies_for_files_to_fix(tmp_path: Path) -> None:
    returns = tmp_path / "回收"
    (returns / "a").mkdir(parents=True)
    (returns / "b").mkdir()
    one = make_return(returns / "a" / "民政局.xlsx")
    two = make_return(returns / "b" / "民政局.xlsx")
    clean = make_return(returns / "石会镇.xlsx")
    broken = returns / "坏.xlsx"
    broken.write_bytes(b"")

    def result(path: Path, display: str, **kw: object) -> FileResult:
        r = findings_for(display) if kw.get("bad", True) else FileResult(display)
        r.source = str(path)
        return r

    bad_file = FileResult(
        "坏.xlsx",
        source=str(broken),
        findings=[finding("file.empty", "文件为空。", file="坏.xlsx")],
    )
    report = Report(
        files=[
            result(one, "a/民政局.xlsx"),
            result(clean, "石会镇.xlsx", bad=False),
            bad_file,
            result(two, "b/民政局.xlsx"),
        ]
    )
    read: list[Path] = []

    def read_grid(path: Path) -> Grid:
        read.append(path)
        return xlsx_grid(path)

    out = tmp_path / "退回"
    written = annotate_report(report, out, inputs=[returns], read_grid=read_grid)
    assert [p.name for p in written] == ["民政局-校验意见.xlsx", "民政局-校验意见（2）.xlsx"]
    assert read == [one, two]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)
    assert load_workbook(written[1])[ANNOTATION_SHEET]["A1"].value == "校验意见：b/民政局.xlsx"
    with pytest.raises(OutputError, match="正在读取的文件夹"):
        annotate_report(report, returns / "退回", inputs=[returns], read_grid=read_grid)


def test_annotate_report_skips_a_file_changed_since_it_was_checked(tmp_path: Path) -> None:
    src = make_return(tmp_path / "a.xlsx")
    result = findings_for("a.xlsx")
    result.source = str(src)

    def stale_grid(path: Path) -> Grid:
        return Grid(path=path, format="xlsx", sheets=[Sheet(SHEET)], sha256="0" * 64)

    assert annotate_report(Report(files=[result]), tmp_path / "o", read_grid=stale_grid) == []


def test_annotate_report_with_the_real_reader(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    src = make_return(tmp_path / "in" / "a.xlsx")
    result = findings_for("a.xlsx")
    result.source = str(src)
    (written,) = annotate_report(Report(files=[result]), tmp_path / "out")
    ws = load_workbook(written)[SHEET]
    assert ws["E6"].comment.text.startswith("【错误】")


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_annotate_report_on_a_real_xls(tmp_path: Path) -> None:
    src = make_return(tmp_path / "a.xlsx")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo_profile",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path / "in"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    xls = tmp_path / "in" / "a.xls"
    before = fingerprint(xls)
    result = findings_for("a.xls")
    result.source = str(xls)
    (written,) = annotate_report(Report(files=[result]), tmp_path / "out")
    assert fingerprint(xls) == before
    wb = load_workbook(written)
    assert wb[ANNOTATION_SHEET]["A4"].value.startswith("说明：原文件为 .xls 格式")
    assert wb[SHEET]["E6"].value == "约5"
    assert wb[SHEET]["E6"].comment.text.startswith("【错误】")
    assert wb[SHEET]["C3"].value == "区民政局"


# -- the colours of the marks ------------------------------------------------------------------


def solid_fills(wb: Workbook) -> set[str]:
    return {
        rgb(cell)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.fill.fill_type == "solid"
    }


def hue_and_saturation(colour: str) -> tuple[float, float]:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, s, _ = colorsys.rgb_to_hsv(r, g, b)
    return h * 360, s


def hue_distance(a: float, b: float) -> float:
    return min(abs(a - b), 360 - abs(a - b))


def test_marks_are_not_colours_of_the_form_and_a_legend_explains_them(tmp_path: Path) -> None:
    """A unit's copy of the blank form has grey 不适用 cells and light blue computed cells; a
    mark on its copy must not look like either, and the 校验意见 sheet says which colour is
    which."""
    spec = load_form()
    blank = write_template(spec, tmp_path / "表.xlsx", unit="城西街道")
    form_fills = solid_fills(load_workbook(blank))
    assert form_fills == {NA_FILL, CALC_FILL}
    pos = template_positions(spec)
    calc = next((r.id, c.id) for r, c, k in spec.cells() if k is CellKind.CALC)
    na = next((r.id, c.id) for r, c, k in spec.cells() if k is CellKind.NA)
    given = next(iter(spec.input_cells()))
    marked = {
        pos.cell(*calc): Severity.ERROR,
        pos.cell(*na): Severity.WARNING,
        pos.cell(given[0].id, given[1].id): Severity.INFO,
    }
    codes = {Severity.ERROR: "value.formula_no_cache", Severity.WARNING: "value.control_chars",
             Severity.INFO: "value.converted"}  # fmt: skip
    result = FileResult(
        "表.xlsx",
        unit="城西街道",
        findings=[
            finding(codes[sev], f"单元格 {ref} 有问题。", sheet=spec.sheet, cell=ref)
            for ref, sev in marked.items()
        ],
    )
    assert [f.severity for f in result.findings] == list(marked.values())
    grid = Grid(path=blank, format="xlsx", sheets=[Sheet(spec.sheet)])
    wb = load_workbook(annotate(blank, result, grid, tmp_path / "退回"))
    ws = wb[spec.sheet]

    marks = {rgb(ws[ref]) for ref in marked}
    assert {ref: rgb(ws[ref]) for ref in marked} == {
        ref: SEVERITY_FILL[sev] for ref, sev in marked.items()
    }
    assert marks.isdisjoint(form_fills)
    for mark in marks:
        hue, saturation = hue_and_saturation(mark)
        for own in form_fills:
            own_hue, own_saturation = hue_and_saturation(own)
            if own_saturation < 0.05:  # a grey: a mark is clearly coloured
                assert saturation >= 0.15, (mark, own)
            else:  # a colour: a mark is of another hue
                assert hue_distance(hue, own_hue) >= 60, (mark, own)
    hues = sorted(hue_and_saturation(m)[0] for m in marks)
    assert min(hue_distance(a, b) for a, b in itertools.combinations(hues, 2)) >= 45
    # The cells no finding points at keep the form's own colours.
    other_calc = next(
        pos.cell(r.id, c.id)
        for r, c, k in spec.cells()
        if k is CellKind.CALC and pos.cell(r.id, c.id) not in marked
    )
    assert rgb(ws[other_calc]) == CALC_FILL

    # The legend: a cell of each colour, named, above the list; its words name the colours.
    sheet = wb[ANNOTATION_SHEET]
    legend = [sheet.cell(4, c) for c in (1, 2, 3)]
    assert [c.value for c in legend] == ["错误", "警告", "提示"]
    assert [rgb(c) for c in legend] == [
        SEVERITY_FILL[Severity.ERROR], SEVERITY_FILL[Severity.WARNING], SEVERITY_FILL[Severity.INFO]
    ]  # fmt: skip
    assert sheet["D4"].value == (
        "标色说明：原表中有问题的单元格标为浅红色（错误）、浅黄色（警告）或浅绿色（提示），"
        "一格有几条意见时按最重的一条；鼠标移到单元格上可看批注。"
        "统计表本身的灰色（不填写的格）和浅蓝色（公式计算的格）不是校验意见。"
    )
    assert "D4:F4" in {str(r) for r in sheet.merged_cells.ranges}
    # 级别 in the list has the same colours.
    assert {sheet.cell(r, 1).value: rgb(sheet.cell(r, 1)) for r in (7, 8, 9)} == {
        sev.label: SEVERITY_FILL[sev] for sev in Severity
    }
