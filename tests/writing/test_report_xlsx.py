"""The findings workbook: rows, exact values, text never a formula, stable bytes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from shuangyong_cli.model.errors import OutputError
from shuangyong_cli.model.findings import FileResult, Report, finding
from shuangyong_cli.writing.cell_text import MAX_CELL_CHARS, clean_text, set_text
from shuangyong_cli.writing.printing import PAGE_UNITS
from shuangyong_cli.writing.report import write_report_xlsx
from shuangyong_cli.writing.styles import SEVERITY_FILL

HEADER = ["文件", "单位", "工作表", "单元格", "项目", "填写内容", "级别", "代码", "问题说明"]


def sample_report() -> Report:
    return Report(
        files=[
            FileResult(
                "石会镇.xlsx",
                unit="石会镇人民政府",
                roster_unit="石会镇",
                findings=[
                    finding(
                        "header.date_missing",
                        "单元格 G3「日期」未填写；请填写报送日期，如 2020-08-10。",
                        file="石会镇.xlsx",
                        sheet="统计表",
                        cell="G3",
                        field="日期",
                    ),
                    finding(
                        "value.not_number",
                        "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字。",
                        file="石会镇.xlsx",
                        sheet="统计表",
                        cell="E6",
                        field="走访慰问驻黔部队 / 慰问金",
                        value='=HYPERLINK("http://example.com","点我")',
                    ),
                ],
            ),
            FileResult(
                "民政局.xlsx",
                unit="区民政局",
                findings=[
                    finding(
                        "value.control_chars",
                        "单元格 B7 含有不可见字符。",
                        file="民政局.xlsx",
                        sheet="统计表",
                        cell="B7",
                        value="5\x07万\x00",
                    )
                ],
            ),
            FileResult("阿蓬江镇.xls", unit="阿蓬江镇"),
        ],
        general=[finding("roster.not_reported", "区教委（区级国家机关各部门）未报送。")],
    )


def values(ws: object) -> list[list[object]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def test_findings_sheet_rows_and_exact_values(tmp_path: Path) -> None:
    out = write_report_xlsx(sample_report(), tmp_path / "校验结果.xlsx")
    assert out == (tmp_path / "校验结果.xlsx").resolve()
    wb = load_workbook(out)
    assert wb.sheetnames == ["校验结果", "文件汇总"]
    ws = wb["校验结果"]
    assert values(ws) == [
        HEADER,
        [
            "民政局.xlsx",
            "区民政局",
            "统计表",
            "B7",
            None,
            "5\ufffd万\ufffd",
            "警告",
            "value.control_chars",
            "单元格 B7 含有不可见字符。",
        ],
        [
            "石会镇.xlsx",
            "石会镇",
            "统计表",
            "E6",
            "走访慰问驻黔部队 / 慰问金",
            '=HYPERLINK("http://example.com","点我")',
            "错误",
            "value.not_number",
            "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字。",
        ],
        [
            "石会镇.xlsx",
            "石会镇",
            "统计表",
            "G3",
            "日期",
            None,
            "警告",
            "header.date_missing",
            "单元格 G3「日期」未填写；请填写报送日期，如 2020-08-10。",
        ],
        [
            None,
            None,
            None,
            None,
            None,
            None,
            "警告",
            "roster.not_reported",
            "区教委（区级国家机关各部门）未报送。",
        ],
    ]
    # Layout: bold frozen header, filter over the table, wrapped message, A4 landscape.
    assert ws["A1"].font.bold
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I5"
    assert ws["I2"].alignment.wrap_text
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert widths == [16, 11, 7, 7, 14, 10, 5, 18, 42] and sum(widths) == PAGE_UNITS
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert (
        ws["G3"].fill.start_color.rgb == "00" + SEVERITY_FILL[finding("value.guess", "").severity]
    )


def test_files_sheet(tmp_path: Path) -> None:
    out = write_report_xlsx(sample_report(), tmp_path / "r.xlsx")
    ws = load_workbook(out)["文件汇总"]
    assert values(ws) == [
        ["文件", "单位", "错误数", "警告数", "结论"],
        ["民政局.xlsx", "区民政局", 0, 1, "通过"],
        ["石会镇.xlsx", "石会镇", 1, 1, "有错误"],
        ["阿蓬江镇.xls", "阿蓬江镇", 0, 0, "通过"],
    ]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:E4"


def test_formula_like_value_stays_a_string(tmp_path: Path) -> None:
    out = write_report_xlsx(sample_report(), tmp_path / "r.xlsx")
    cell = load_workbook(out)["校验结果"]["F3"]
    assert cell.value == '=HYPERLINK("http://example.com","点我")'
    assert cell.data_type == "s"
    assert cell.quotePrefix
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_deterministic_bytes(tmp_path: Path) -> None:
    a = write_report_xlsx(sample_report(), tmp_path / "a.xlsx")
    b = write_report_xlsx(sample_report(), tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def test_refuses_existing_without_force_and_never_an_input(tmp_path: Path) -> None:
    out = tmp_path / "校验结果.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="已存在；如要覆盖，请加 --force"):
        write_report_xlsx(sample_report(), out)
    assert out.read_bytes() == b"old"
    write_report_xlsx(sample_report(), out, force=True)
    assert load_workbook(out).sheetnames == ["校验结果", "文件汇总"]

    returns = tmp_path / "returns"
    returns.mkdir()
    with pytest.raises(OutputError, match="正在读取的文件夹"):
        write_report_xlsx(sample_report(), returns / "r.xlsx", inputs=[returns])
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"x")
    with pytest.raises(OutputError, match="就是输入文件"):
        write_report_xlsx(sample_report(), src, inputs=[src], force=True)
    assert src.read_bytes() == b"x"


def test_empty_report_is_a_header_only_sheet(tmp_path: Path) -> None:
    out = write_report_xlsx(Report(), tmp_path / "r.xlsx")
    wb = load_workbook(out)
    assert values(wb["校验结果"]) == [HEADER]
    assert values(wb["文件汇总"]) == [["文件", "单位", "错误数", "警告数", "结论"]]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("约5", "约5"),
        ("a\x00b\x08c\x0bd\x1fe", "a\ufffdb\ufffdc\ufffdd\ufffde"),
        ("tab\tnew\nline\r", "tab\tnew\nline\r"),
        ("\ud800x\uffff", "\ufffdx\ufffd"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_set_text_never_writes_a_formula_and_cuts_long_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    set_text(ws["A1"], "=1+1")
    set_text(ws["A2"], "+86 023")
    set_text(ws["A3"], "x" * (MAX_CELL_CHARS + 10))
    set_text(ws["A4"], "普通文字")
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx").active
    assert back is not None
    assert [back[f"A{i}"].data_type for i in range(1, 5)] == ["s", "s", "s", "s"]
    assert back["A1"].value == "=1+1"
    assert back["A2"].value == "+86 023"
    assert back["A1"].quotePrefix and back["A2"].quotePrefix
    assert not back["A4"].quotePrefix
    assert len(back["A3"].value) == MAX_CELL_CHARS
    assert back["A3"].value.endswith("…")
