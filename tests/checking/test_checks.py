from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from formgrid import (
    SAMPLE,
    SAMPLE_FIELDS,
    SPEC,
    FormGrid,
    all_inputs,
    blank,
    expected_totals,
    filled,
    sample_decimal,
)
from shuangyong_cli.checking.rules import check_return
from shuangyong_cli.model.findings import CODES, Finding
from shuangyong_cli.model.form import CellKind
from shuangyong_cli.model.grid import CellError, FormulaNoValue, Grid, Sheet
from shuangyong_cli.model.identity import META_SHEET, Identity, identity_rows
from shuangyong_cli.model.returns import ReturnData

PATH = "乡镇/黔江区民政局.xlsx"
D = Decimal


def check(fg: FormGrid | Grid, mtime: float = 0.0) -> tuple[list[Finding], ReturnData | None]:
    grid = fg.grid() if isinstance(fg, FormGrid) else fg
    return check_return(grid, SPEC, display_path=PATH, mtime=mtime)


def brief(findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.code, f.cell, f.severity.value) for f in findings]


def only(fg: FormGrid) -> Finding:
    findings, _ = check(fg)
    assert len(findings) == 1, brief(findings)
    return findings[0]


# -- a clean return ----------------------------------------------------------------------------


def test_a_clean_return_has_no_findings_and_exact_data() -> None:
    fg = filled()
    grid = fg.grid()
    findings, data = check_return(grid, SPEC, display_path=PATH, mtime=1597046400.0)
    assert findings == []
    assert data is not None
    inputs = {key: sample_decimal(key) for key in all_inputs() if key[1] != "remark"}
    assert data.values == expected_totals(inputs)
    assert data.values[("objects", "qty")] == D(73)
    assert data.values[("objects", "cash")] == D("4.8")
    assert data.values[("objects", "goods")] == D("2.55")
    assert data.values[("total", "cash")] == D("7.5")
    assert data.values[("total", "goods")] == D("3.35")
    assert data.values[("total", "subtotal")] == D("10.85")
    assert ("merit_notices", "cash") not in data.values  # not applicable
    assert data.remarks == {"troops": "含慰问信", "services": "医疗巡诊"}
    assert data.unit == "黔江区民政局"
    assert data.date == dt.date(2020, 8, 10)
    assert data.fields == {
        "unit": "黔江区民政局",
        "date": "2020-08-10",
        "filler": "张三",
        "reviewer": "李四",
        "phone": "023-79223456",
    }
    assert data.field_addresses == {
        "unit": "C3",
        "date": "G3",
        "filler": "B25",
        "reviewer": "D25",
        "phone": "G25",
    }
    assert data.addresses[("troops", "cash")] == "E6"
    assert data.addresses[("total", "subtotal")] == "G20"
    assert data.addresses[("merit_notices", "cash")] == "E16"
    assert len(data.addresses) == len(SPEC.rows) * len(SPEC.value_columns)
    assert data.empty is False
    assert data.identity == Identity(
        form_id="bayi-2020", form_version="1", fingerprint=SPEC.fingerprint, kind="template"
    )
    assert (data.path, data.sheet) == (PATH, "统计表")
    assert (data.sha256, data.size, data.mtime) == (grid.sha256, grid.size, 1597046400.0)


@pytest.mark.parametrize("calc", ["value", "formula", "blank"])
def test_computed_cells_as_formulas_or_blank_are_recomputed_silently(calc: str) -> None:
    findings, data = check(filled(calc=calc))
    assert findings == []
    assert data is not None
    assert data.values[("total", "subtotal")] == D("10.85")


@pytest.mark.parametrize("na_text", ["—", None, "-", "无", "/"])
def test_not_applicable_cells_may_show_a_dash_or_be_empty(na_text: str | None) -> None:
    assert check(filled(na_text=na_text))[0] == []


def test_zero_in_a_not_applicable_cell_is_fine() -> None:
    assert check(filled().set("merit_notices", "cash", 0))[0] == []


def test_sums_are_exact_decimals() -> None:
    fg = filled().set("troops", "cash", 0.1).set("troops", "goods", 0.2)
    fg.set("hardship", "cash", 0.1).set("hardship", "goods", 0.2)
    findings, data = check(fg)
    assert findings == []
    assert data is not None
    assert data.values[("troops", "subtotal")] == D("0.3")
    assert str(data.values[("troops", "subtotal")]) == "0.3"
    assert data.values[("total", "cash")] == D("0.1") + D("4.8") + D("0.1")
    assert str(data.values[("total", "subtotal")]) == "7.95"


def test_a_return_of_explicit_zeros_is_not_empty() -> None:
    fg = blank()
    for key in all_inputs():
        fg.set(*key, "无" if key[1] != "remark" else None)
    fg.field("unit", "黔江区民政局").field("date", "2020-08-10")
    findings, data = check(fg)
    assert findings == []
    assert data is not None and data.empty is False
    assert set(data.values.values()) == {D(0)}


# -- the empty return and the header -----------------------------------------------------------


def test_an_empty_return() -> None:
    findings, data = check(blank())
    assert brief(findings) == [
        ("header.unit_missing", "C3", "error"),
        ("header.date_missing", "G3", "warning"),
        ("return.empty", "", "error"),
    ]
    assert [f.message for f in findings] == [
        "单元格 C3「填报单位」未填写；请填写本单位全称（与名册一致），如“黔江区民政局”。",
        "单元格 G3「日期」未填写；请填写报送日期，如 2020-08-10。",
        "表中应填的格全部为空（空表），不能当作全部为 0 计入；"
        "如本单位确无此项工作，请在各项“数量”栏填 0 或“无”后重新报送。",
    ]
    assert all(f.file == PATH and f.sheet == "统计表" for f in findings)
    assert data is not None and data.empty is True


def test_a_remark_alone_makes_a_return_not_empty() -> None:
    fg = blank().field("unit", "x").field("date", "2020-08-10")
    fg.set("troops", "remark", "本期无走访")
    findings, data = check(fg)
    assert findings == []
    assert data is not None and data.empty is False


def test_unit_missing_is_reported_where_it_should_be_typed() -> None:
    f = only(filled().field("unit", "   "))
    assert (f.code, f.cell, f.field, f.severity.value) == (
        "header.unit_missing",
        "C3",
        "填报单位",
        "error",
    )


def test_unit_in_the_label_cell() -> None:
    fg = filled().field("unit", None).relabel("填报单位：", "填报单位：黔江区民政局（盖章）")
    findings, data = check(fg)
    assert findings == []
    assert data is not None
    assert data.unit == "黔江区民政局（盖章）"
    assert data.field_addresses["unit"] == "A3"


@pytest.mark.parametrize(
    "typed",
    [
        dt.datetime(2020, 8, 14),
        "2020.8.10",
        "2020年8月10日",
        "8月10日",
        44053,
        "２０２０－０８－１０",
    ],
)
def test_dates_on_or_before_the_deadline(typed: object) -> None:
    findings, data = check(filled().field("date", typed))
    assert findings == []
    assert data is not None and data.date is not None
    assert data.date <= dt.date(2020, 8, 14)


def test_late() -> None:
    f = only(filled().field("date", "2020年8月17日"))
    assert (f.code, f.cell, f.field, f.value, f.severity.value) == (
        "header.late",
        "G3",
        "日期",
        "2020年8月17日",
        "warning",
    )
    assert f.message == (
        "单元格 G3「日期」为 2020-08-17，晚于报送截止日期 2020-08-14，逾期 3 天。"
        "如日期填错，请改正。"
    )


def test_date_invalid() -> None:
    f = only(filled().field("date", "八月中旬"))
    assert (f.code, f.cell, f.severity.value) == ("header.date_invalid", "G3", "warning")
    assert f.message == (
        "单元格 G3「日期」应为日期，实际为“八月中旬”；请填写如 2020-08-10 或 2020年8月10日。"
    )


def test_date_a_year_off() -> None:
    f = only(filled().field("date", "2002-08-10"))
    assert (f.code, f.cell) == ("header.date_invalid", "G3")
    assert f.message == (
        "单元格 G3「日期」为 2002-08-10，与本次报送截止日期 2020-08-14 相差一年以上；请核对年份。"
    )


def test_date_label_missing() -> None:
    fg = filled().put("F3", None).field("date", None)
    f = only(fg)
    assert (f.code, f.cell, f.severity.value) == ("header.date_missing", "", "warning")
    assert f.message == "找不到“日期”一栏；请保留“日期：”，并在其后填写报送日期，如 2020-08-10。"


@pytest.mark.parametrize(
    "field, cell, typed, severity",
    [
        ("unit", "C3", FormulaNoValue("=封面!A1"), "error"),
        ("date", "G3", FormulaNoValue("=TODAY()"), "warning"),
        ("phone", "G25", CellError("#N/A"), "warning"),
    ],
)
def test_unreadable_fields(field: str, cell: str, typed: object, severity: str) -> None:
    f = only(filled().field(field, typed))
    assert (f.cell, f.severity.value) == (cell, severity)


def test_unreadable_remark_is_a_warning() -> None:
    f = only(filled().set("troops", "remark", CellError("#REF!")))
    assert (f.code, f.cell, f.severity.value) == ("value.error_cell", "H6", "warning")


def test_control_characters_in_a_field() -> None:
    findings, data = check(filled().field("unit", "黔江区\u200b民政局"))
    assert brief(findings) == [("value.control_chars", "C3", "warning")]
    assert data is not None and data.unit == "黔江区民政局"


# -- one value at a time -------------------------------------------------------------------------


def test_yuan_converted_message() -> None:
    findings, data = check(filled().set("anti_japanese", "cash", "5000元"))
    f, differs = findings
    assert (differs.code, differs.cell) == ("calc.sheet_differs", "G20")
    assert f == Finding(
        code="value.yuan_converted",
        severity=CODES["value.yuan_converted"].severity,
        message="单元格 E8「抗战老战士 / 慰问金」填的是“5000元”，已按 0.5 万元计；"
        "今后请直接填写万元数。",
        file=PATH,
        sheet="统计表",
        cell="E8",
        field="抗战老战士 / 慰问金",
        value="5000元",
    )
    assert f.severity.value == "warning"
    assert data is not None
    assert data.values[("anti_japanese", "cash")] == D("0.5")
    assert data.values[("objects", "cash")] == D("5.1")


def test_a_guess_is_refused_with_its_cell() -> None:
    findings, data = check(filled().set("troops", "cash", "约5"))
    (f,) = findings
    assert (f.code, f.cell, f.severity.value, f.value) == ("value.guess", "E6", "error", "约5")
    assert f.message == (
        "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字，实际为“约5”；"
        "请填写确切金额（万元），如 5 或 5.00。"
    )
    assert data is not None  # the merge leaves files with errors out
    assert data.values[("troops", "cash")] == D(0)


@pytest.mark.parametrize(
    "key, typed, code, cell, severity",
    [
        (("troops", "qty"), "若干", "value.guess", "D6", "error"),
        (("troops", "qty"), "3-4", "value.guess", "D6", "error"),
        (("korean_war", "goods"), "见附件", "value.not_number", "F9", "error"),
        (("korean_war", "goods"), dt.datetime(2020, 8, 1), "value.not_number", "F9", "error"),
        (("korean_war", "goods"), True, "value.not_number", "F9", "error"),
        (("korean_war", "cash"), -0.5, "value.negative", "E9", "error"),
        (("martyr_family", "qty"), 2.5, "value.not_whole", "D10", "error"),
        (("martyr_family", "qty"), "2.5人次", "value.not_whole", "D10", "error"),
        (("veterans", "cash"), 0.125, "value.too_many_decimals", "E13", "warning"),
        (("veterans", "qty"), "20", "value.converted", "D13", "info"),
        (("veterans", "qty"), "２０", "value.converted", "D13", "info"),
        (("veterans", "qty"), "20人", "value.converted", "D13", "info"),
        (("veterans", "cash"), "1万元", "value.converted", "E13", "info"),
        (("gatherings", "qty"), "2场", "value.converted", "D18", "info"),
        (("gatherings", "qty"), "2户", "value.not_number", "D18", "error"),
        (("hardship", "cash"), CellError("#REF!"), "value.error_cell", "E15", "error"),
        (("hardship", "cash"), FormulaNoValue("=1.2"), "value.formula_no_cache", "E15", "error"),
        (("troops", "remark"), '=HYPERLINK("x")', "value.formula_text", "H6", "info"),
        (("troops", "remark"), "含\x07慰问信", "value.control_chars", "H6", "warning"),
    ],
)
def test_one_finding_per_bad_value(key, typed, code, cell, severity) -> None:
    findings, _ = check(filled().set(*key, typed))
    if code == "value.converted" and key[0] != "gatherings":  # no total adds 六
        # the sheet's own totals leave the text out: said apart
        assert [x.code for x in findings[1:]] == ["calc.sheet_differs"]
        findings = findings[:1]
    assert len(findings) == 1, brief(findings)
    f = findings[0]
    assert (f.code, f.cell, f.severity.value) == (code, cell, severity)
    row, column = SPEC.row(key[0]), SPEC.column(key[1])
    assert f.field == f"{row.label} / {column.label}"
    assert f.message.startswith(f"单元格 {cell}「{row.label} / {column.label}」")
    assert f.file == PATH and f.sheet == "统计表"


def test_conversions_keep_the_value_for_the_sums() -> None:
    fg = filled().set("veterans", "qty", "２０人").set("veterans", "cash", "10,000元")
    findings, data = check(fg)
    assert brief(findings) == [
        ("value.converted", "D13", "info"),
        ("value.yuan_converted", "E13", "warning"),
        ("calc.sheet_differs", "D7", "warning"),
        ("calc.sheet_differs", "G20", "warning"),
    ]
    assert [f.message.split("」", 1)[1].split("：")[0] for f in findings[2:]] == [
        "表内合计显示 53，按转换后的数值计为 73",
        "表内合计显示 9.85，按转换后的数值计为 10.85",
    ]
    assert data is not None
    assert data.values[("veterans", "qty")] == D(20)
    assert data.values[("veterans", "cash")] == D(1)


def test_implausible_money_is_an_error_with_the_fix() -> None:
    fg = filled().set("anti_japanese", "cash", 5000)
    findings, _ = check(fg)
    assert brief(findings) == [("value.implausible", "E8", "error")]
    assert findings[0].message == (
        "单元格 E8「抗战老战士 / 慰问金」为 5000 万元，超过每格 100 万元的合理上限，可能按“元”"
        "填写了；5000 元 = 0.5 万元，请改为 0.5（万元）。在改正之前，这份报表不计入汇总。"
    )


def test_implausible_money_too_large_even_in_yuan_only_asks_to_check() -> None:
    findings, _ = check(filled().set("anti_japanese", "cash", 5_000_000))
    assert brief(findings) == [("value.implausible", "E8", "error")]
    assert findings[0].message.endswith(
        "可能按“元”填写了；请核对后按万元填写。在改正之前，这份报表不计入汇总。"
    )


def test_a_summary_has_a_higher_bound_of_its_own() -> None:
    # 300 万元 is a district's total, not a typing slip; 150,000 万元 in one cell is.
    assert SPEC.limits.summary_money_plausible_max == D(100000)
    rows = identity_rows(SPEC, "summary", summary_name="黔江区", included=("黔江区民政局",))
    fg = filled().set("anti_japanese", "cash", 300).field("date", "2020-08-20")
    fg.identity = rows
    assert check(fg)[0] == []
    fg.set("anti_japanese", "cash", 150_000)
    findings, _ = check(fg)
    assert brief(findings) == [("value.implausible", "E8", "error")]
    assert "超过每格 100000 万元的合理上限" in findings[0].message
    assert "请改为 15（万元）" in findings[0].message


def test_the_plausible_bound_itself_is_fine() -> None:
    assert check(filled().set("anti_japanese", "cash", 100))[0] == []


def test_money_without_quantity() -> None:
    findings, _ = check(filled().set("anti_japanese", "qty", None))
    assert brief(findings) == [("value.money_without_qty", "D8", "warning")]
    assert findings[0].message == (
        "单元格 D8「抗战老战士 / 数量」为 0（未填），"
        "但慰问金填了 0.2 万元（E8）、物资折款填了 0.1 万元（F8）；"
        "请补填人次数，或核对金额是否填错了行。"
    )
    findings, _ = check(filled().set("troops", "qty", 0).set("troops", "goods", None))
    assert [f.message for f in findings] == [
        "单元格 D6「走访慰问驻黔部队 / 数量」为 0（填的是 0），但慰问金填了 1.5 万元（E6）；"
        "请补填个数，或核对金额是否填错了行。"
    ]


def test_a_value_in_a_not_applicable_cell_is_reported_and_not_counted() -> None:
    findings, data = check(filled().set("merit_notices", "cash", 0.5))
    assert brief(findings) == [("value.in_na_cell", "E16", "error")]
    assert findings[0].message == (
        "单元格 E16「送达立功受奖喜报 / 慰问金」不适用，不应填写，实际填了“0.5”；该数未计入汇总。"
        "请删除此格内容，如需说明请写在备注中。"
    )
    assert data is not None
    assert ("merit_notices", "cash") not in data.values
    assert data.values[("total", "cash")] == D("7.5")


@pytest.mark.parametrize(
    "key, typed, cell",
    [
        (("total", "qty"), 73, "D20"),
        (("total", "remark"), "见说明", "H20"),
        (("services", "subtotal"), "约1", "G19"),
    ],
)
def test_other_not_applicable_cells(key, typed, cell) -> None:
    f = only(filled().set(*key, typed))
    assert (f.code, f.cell) == ("value.in_na_cell", cell)


# -- computed cells ----------------------------------------------------------------------------


def test_a_wrong_total_typed_by_hand() -> None:
    findings, data = check(filled().set("troops", "subtotal", 9.99))
    assert brief(findings) == [("calc.mismatch", "G6", "error")]
    assert findings[0].message == (
        "单元格 G6「走访慰问驻黔部队 / 小计」应为 2.3（＝慰问金＋物资折款），实际为 9.99；"
        "本工具不采信手填的合计，按各项重新计算为 2.3。请改正该格，或恢复原来的公式。"
    )
    assert findings[0].value == "9.99"
    assert data is not None and data.values[("troops", "subtotal")] == D("2.3")


def test_a_wrong_row_total_names_its_sources() -> None:
    findings, _ = check(filled().set("total", "cash", 7))
    assert brief(findings) == [("calc.mismatch", "E20", "error")]
    assert findings[0].field == "合计 / 慰问金"
    assert "应为 7.5（＝走访慰问驻黔部队＋走访慰问优抚对象＋帮扶困难优抚对象），实际为 7；" in (
        findings[0].message
    )


@pytest.mark.parametrize("typed, mismatch", [(2.304, False), (2.296, False), (2.306, True)])
def test_calc_tolerance(typed: float, mismatch: bool) -> None:
    findings, _ = check(filled().set("troops", "subtotal", typed))
    assert brief(findings) == ([("calc.mismatch", "G6", "error")] if mismatch else [])


def test_an_error_value_in_a_total_is_a_warning() -> None:
    findings, data = check(filled().set("objects", "cash", CellError("#VALUE!")))
    assert brief(findings) == [("value.error_cell", "E7", "warning")]
    assert findings[0].message == (
        "单元格 E7「走访慰问优抚对象 / 慰问金」显示错误值“#VALUE!”；"
        "本工具已按各项重新计算为 4.8，请检查该格的公式。"
    )
    assert data is not None and data.values[("objects", "cash")] == D("4.8")


def test_a_wrong_subtotal_is_reported_once_not_in_every_total_above_it() -> None:
    # Excel's 二 row and 合计 add the wrong G8 as it stands: only G8 is the mistake.
    findings, data = check(filled().set("anti_japanese", "subtotal", 9.99))
    assert brief(findings) == [("calc.mismatch", "G8", "error")]
    assert data is not None and data.values[("objects", "subtotal")] == D("7.35")


def test_totals_over_text_that_excel_leaves_out_are_not_mismatches_but_are_said() -> None:
    # D8 as text: Excel's SUM(D8:D14) in D7 shows 71, not 73. Not a wrong total (no error), but
    # the unit's sheet shows another number than the one counted: a warning names both.
    findings, data = check(filled().set("anti_japanese", "qty", "2"))
    assert brief(findings) == [
        ("value.converted", "D8", "info"),
        ("calc.sheet_differs", "D7", "warning"),
    ]
    assert findings[1].message == (
        "单元格 D7「走访慰问优抚对象 / 数量」表内合计显示 71，按转换后的数值计为 73：D8 填的是"
        "文字，本工具已按数字读取，Excel/WPS 的公式却不计算文字。请在这些格中直接填写数字，"
        "使表内合计与上报的数一致。"
    )
    assert data is not None and data.values[("objects", "qty")] == D(73)


def test_a_total_showing_value_error_over_converted_text_is_said_once_at_the_top() -> None:
    # "0.5万元" in E8 is text: =E8+F8 shows #VALUE! in G8, and so do the totals over it; the
    # tool says it once, at the 合计 that includes the others.
    findings, _ = check(filled(calc="formula").set("anti_japanese", "cash", "0.5万元"))
    assert brief(findings) == [
        ("value.converted", "E8", "info"),
        ("calc.sheet_differs", "G20", "warning"),
    ]
    # saved without results (as a program writes it): what Excel shows once it computes them
    assert "表内合计显示 #VALUE!，按转换后的数值计为" in findings[1].message


def test_a_total_saved_without_its_result_takes_a_plain_number_typed_as_text() -> None:
    """``+`` takes text that is a plain number (12, 1,200, １２) for it: such a total shows what
    the tool counts, nothing to say; ``SUM`` leaves the text out, and that is said."""
    for typed in ("20", "1,200", "２０"):
        findings, _ = check(filled(calc="formula").set("veterans", "qty", typed))
        assert [f.code for f in findings] == ["value.converted"], typed
    fg = filled(calc="formula").set("veterans", "qty", "20")
    fg.set("objects", "qty", FormulaNoValue("=SUM(D8:D14)"))
    findings, _ = check(fg)
    assert brief(findings) == [
        ("value.converted", "D13", "info"),
        ("calc.sheet_differs", "D7", "warning"),
    ]
    assert "表内合计显示 53，按转换后的数值计为 73" in findings[1].message


@pytest.mark.parametrize(
    "formula",
    [
        "=SUM(D8+D9+D10+D11+D12+D13+D14)",
        "=SUM(D8:D12)+D13+D14",
        "=(D8+D9+D10+D11+D12+D13+D14)",
        "=D8+D9+D10+D11+D12+D14",  # not the cells the form adds
        "=Sheet2!D8+D9",
        "=SUM(D8:D14,D8)",  # a cell named twice
        "=D8+D8+D9+D10+D11+D12+D13+D14",
    ],
)
def test_what_a_formula_of_another_shape_will_show_is_not_claimed(formula: str) -> None:
    """Only a template's own shapes, over the form's own cells, are judged (=SUM(range),
    =D8+D9+…): for any other, what the sheet will show is not said."""
    fg = filled(calc="formula").set("veterans", "qty", "20人")
    fg.set("objects", "qty", FormulaNoValue(formula))
    findings, _ = check(fg)
    assert ("calc.sheet_differs", "D7", "warning") not in brief(findings)


def test_a_dash_or_none_is_no_conversion_to_speak_of() -> None:
    findings, _ = check(
        filled().set("anti_japanese", "qty", "无").set("anti_japanese", "cash", "—")
    )
    assert "calc.sheet_differs" not in {f.code for f in findings}


def test_value_errors_from_a_dash_in_an_input_are_not_reported() -> None:
    # =E8+F8 shows #VALUE! when F8 holds "—"; the dash means 0 and the tool recomputes.
    fg = filled().set("anti_japanese", "goods", "—")
    assert fg.grid().sheets[0].cells[(8, 7)] == CellError("#VALUE!")
    findings, data = check(fg)
    assert findings == []
    assert data is not None and data.values[("anti_japanese", "subtotal")] == D("0.2")


def test_text_in_a_total_is_a_warning() -> None:
    findings, _ = check(filled().set("objects", "qty", "约70"))
    assert brief(findings) == [("value.guess", "D7", "warning")]
    assert findings[0].message.endswith("（该格为计算格，本工具已按各项重新计算为 73。）")


def test_a_total_typed_with_a_unit_is_converted_and_compared() -> None:
    findings, _ = check(filled().set("objects", "qty", "73人次"))
    assert brief(findings) == [("value.converted", "D7", "info")]


def test_a_refused_input_does_not_make_its_totals_mismatch() -> None:
    findings, _ = check(filled().set("korean_war", "cash", "约0.5").set("objects", "cash", 4.8))
    assert brief(findings) == [("value.guess", "E9", "error")]


# -- numbers outside the form ------------------------------------------------------------------


def test_numbers_outside_the_form_are_never_dropped() -> None:
    fg = filled().put("I8", 5).put("C9", 3).put("A30", "12").put("J2", 0.5)
    findings, _ = check(fg)
    assert brief(findings) == [
        ("value.outside_form", "J2", "warning"),
        ("value.outside_form", "I8", "warning"),
        ("value.outside_form", "C9", "warning"),
        ("value.outside_form", "A30", "warning"),
    ]
    assert findings[1].field == "抗战老战士"
    assert findings[1].message == (
        "单元格 I8（「抗战老战士」行）不在表中任何一格内，却填了数值“5”，未计入汇总；"
        "如属本表数据，请移到对应的格内，否则请删除。"
    )
    assert findings[0].message.startswith("单元格 J2不在表中任何一格内") is False
    assert findings[0].message.startswith("单元格 J2 不在表中任何一格内，却填了数值“0.5”")


def test_a_number_in_a_blank_row_between_body_rows() -> None:
    fg = filled().insert_rows(before=9).put((9, 5), None)
    fg.cells[(8, 5)] = 0.2  # unchanged 抗战老战士
    grid = fg.grid()
    grid.sheets[0].cells[(9, 5)] = 0.3  # typed into the inserted blank row
    findings, _ = check(grid)
    assert brief(findings) == [("value.outside_form", "E9", "warning")]
    assert findings[0].field == ""


def test_a_number_in_a_row_the_unit_added_names_that_row() -> None:
    """A row the form does not have, inserted with its own 项目 (复员军人): the number beside it
    is reported with the row's label, so the unit knows which line is meant."""
    fg = filled().insert_rows(before=9)
    grid = fg.grid()
    grid.sheets[0].cells[(9, 2)] = " 复员军人 "
    grid.sheets[0].cells[(9, 4)] = 5
    findings, _ = check(grid)
    assert brief(findings) == [("value.outside_form", "D9", "warning")]
    assert findings[0].message == (
        "单元格 D9（「复员军人」行，不是表中的项目）不在表中任何一格内，却填了数值“5”，"
        "未计入汇总；如属本表数据，请移到对应的格内，否则请删除。"
    )
    assert findings[0].field == ""


def test_a_number_in_a_form_row_typed_twice_and_under_the_table() -> None:
    """A form row entered a second time is not called a row the form lacks; a line under the
    table (负责人：张三) is no row of it: the number is said by its cell alone."""
    fg = filled().insert_rows(before=9)
    grid = fg.grid()
    grid.sheets[0].cells[(9, 2)] = "抗战老战士"
    grid.sheets[0].cells[(9, 4)] = 5
    grid.sheets[0].cells[(30, 2)] = "负责人：张三"
    grid.sheets[0].cells[(30, 4)] = 7
    findings, _ = check(grid)
    assert [f.message.split("不在表中")[0] for f in findings] == [
        "单元格 D9（「抗战老战士」行，与表中的同名行重复）",
        "单元格 D30 ",
    ]


@pytest.mark.parametrize(
    "label", ["1.抗战老战士", "(1)抗战老战士", "其中：抗战老战士", "二、走访慰问优抚对象", "合计"]
)
def test_a_form_row_typed_twice_with_its_numbering_is_still_the_forms(label: str) -> None:
    """Numbering before the label (as the locator reads it), and the 合计 row (found by its
    序号), are rows of the form: typed again, they are not called rows the form lacks."""
    fg = filled().insert_rows(before=9)
    grid = fg.grid()
    grid.sheets[0].cells[(9, 2)] = label
    grid.sheets[0].cells[(9, 4)] = 5
    findings, _ = check(grid)
    assert [f.message.split("不在表中")[0] for f in findings] == [
        f"单元格 D9（「{label}」行，与表中的同名行重复）"
    ]


def test_labels_and_text_outside_are_not_numbers() -> None:
    fg = filled().put("I8", "备注见后").put("A30", "以上数据已核实").put("I9", "—")
    assert check(fg)[0] == []


# -- shifted layouts -----------------------------------------------------------------------------


def test_findings_follow_inserted_rows_and_columns() -> None:
    fg = filled().insert_rows(before=1, n=2).insert_cols(before=5)
    fg.set("troops", "cash", "约5").set("merit_notices", "goods", 1).field("unit", None)
    findings, data = check(fg)
    assert brief(findings) == [
        ("header.unit_missing", "C5", "error"),
        ("value.guess", "F8", "error"),
        ("value.in_na_cell", "G18", "error"),
    ]
    assert [f.cell for f in findings[1:]] == [
        fg.addr("troops", "cash"),
        fg.addr("merit_notices", "goods"),
    ]
    assert data is not None and data.addresses[("troops", "cash")] == "F8"


def test_another_sheet_in_front_and_a_hidden_form_sheet() -> None:
    fg = filled().sheet_before("填表说明", {(1, 1): "说明"})
    fg.visibility = "hidden"
    findings, data = check(fg)
    assert brief(findings) == [("form.other_sheets", "", "info")]
    assert findings[0].sheet == "填表说明"
    assert data is not None and data.sheet == "统计表"


def test_spaced_and_fullwidth_labels_give_no_findings() -> None:
    fg = filled().map_labels(lambda t: " ".join(t).replace("：", ":"))
    assert check(fg)[0] == []


# -- what cannot be checked ----------------------------------------------------------------------


def test_a_missing_label_gives_no_data_but_still_checks_the_rest() -> None:
    fg = filled().delete_row("veterans").set("troops", "cash", "约5")
    findings, data = check(fg)
    assert brief(findings) == [
        ("form.label_missing", "", "error"),
        ("value.guess", "E6", "error"),
    ]
    assert "退役军人" in findings[0].message
    assert data is None


def test_form_not_found() -> None:
    grid = Grid(path=filled().path, format="xlsx", sheets=[Sheet("Sheet1", {(1, 1): "你好"})])
    findings, data = check(grid)
    assert brief(findings) == [("form.not_found", "", "error")]
    assert findings[0].file == PATH
    assert data is None


def test_grid_notes_are_left_to_the_caller() -> None:
    grid = filled().grid()
    grid.notes.append(("file.extension_mismatch", "扩展名是 .xls，实际是 xlsx"))
    assert check(grid)[0] == []


# -- identity ----------------------------------------------------------------------------------


def _with_identity(rows: list[tuple[str, str]] | None) -> FormGrid:
    fg = filled()
    fg.identity = rows
    return fg


def test_no_identity_sheet_is_fine() -> None:
    findings, data = check(_with_identity(None))
    assert findings == []
    assert data is not None and data.identity is None


def test_another_version_of_the_form() -> None:
    rows = [("form_id", "bayi-2020"), ("form_version", "0"), ("fingerprint", "0" * 16)]
    f = only(_with_identity(rows))
    assert (f.code, f.severity.value) == ("form.identity_mismatch", "warning")
    assert f.message == (
        "此文件由本表另一版本的模板（第 0 版）生成，表格结构与本次下发的模板（第 1 版）不一致；"
        "已按项目名称读取，请核对，今后请用本次下发的模板。"
    )


def test_another_form() -> None:
    f = only(_with_identity([("form_id", "chunjie-2021"), ("form_version", "1")]))
    assert f.code == "form.identity_mismatch"
    assert f.message.startswith("此文件由表式“chunjie-2021”（第 1 版）生成")


def test_changed_layout_under_the_same_version() -> None:
    rows = [r for r in identity_rows(SPEC, "template") if r[0] != "fingerprint"]
    rows.append(("fingerprint", "ffffffffffffffff"))
    assert only(_with_identity(rows)).code == "form.identity_mismatch"


def test_a_summary_is_the_form_filled_with_totals() -> None:
    fg = filled().set("anti_japanese", "cash", 250).field("date", "2020-08-20")
    fg.sheet_after("分单位明细", {(1, 1): "分单位明细", (3, 2): 1.5})
    rows = identity_rows(SPEC, "summary", summary_name="黔江区", included=("黔江区民政局",))
    fg.identity = rows
    findings, data = check(fg)
    assert findings == []
    assert data is not None and data.identity is not None and data.identity.is_summary
    # The same cells in a unit's return are reported.
    fg.identity = identity_rows(SPEC, "template")
    assert brief(check(fg)[0]) == [
        ("form.other_sheets", "", "info"),
        ("header.late", "G3", "warning"),
        ("value.implausible", "E8", "error"),
    ]


def test_a_summary_keeps_the_decimals_units_typed_and_its_own_date() -> None:
    # a sum of units' 0.333 keeps three decimals; a summary is dated when the tool makes it
    rows = identity_rows(SPEC, "summary", summary_name="黔江区", included=("黔江区民政局",))
    fg = filled().set("veterans", "cash", 30.553).field("date", "2026-12-04")
    fg.identity = rows
    assert check(fg)[0] == []
    fg.identity = identity_rows(SPEC, "template")
    assert {f.code for f in check(fg)[0]} == {"value.too_many_decimals", "header.date_invalid"}


def test_identity_sheet_itself_is_not_another_sheet() -> None:
    grid = filled().grid()
    assert grid.sheets[-1].name == META_SHEET
    assert check(grid)[0] == []


# -- the catalogue and speed -------------------------------------------------------------------


def test_every_code_raised_here_is_catalogued() -> None:
    fg = filled().set("troops", "cash", "约5").set("merit_notices", "cash", 1).put("I8", 1)
    for f in check(fg)[0]:
        assert f.code in CODES
        assert f.severity is CODES[f.code].severity


def test_every_input_cell_is_checked() -> None:
    fg = blank().field("unit", "x").field("date", "2020-08-10")
    for r, c in SPEC.input_cells():
        if c.kind is not None and c.kind.value != "text":
            fg.set(r.id, c.id, "?")
    findings, _ = check(fg)
    expected = [
        (r.id, c.id) for r, c, k in SPEC.cells() if k is CellKind.INPUT and c.kind.value != "text"
    ]
    assert [f.cell for f in findings] == [fg.addr(*key) for key in expected]
    assert {f.code for f in findings} == {"value.guess"}


def test_sample_is_what_formgrid_fills() -> None:
    fg = filled()
    for key, value in SAMPLE.items():
        assert fg.cells[(fg.row[key[0]], fg.col[key[1]])] == value


# -- end to end: the real template, filled with openpyxl, read by read_grid --------------------


def _write_filled_template(path: Path, values: dict, fields: dict) -> Path:
    template = pytest.importorskip("shuangyong_cli.writing.template")
    wb = template.build_template(SPEC)
    pos = template.template_positions(SPEC)
    ws = wb[SPEC.sheet]
    for (rid, cid), value in values.items():
        ws[pos.cell(rid, cid)] = value
    for fid, value in fields.items():
        ws[pos.field_cell(fid)] = value
    wb.save(path)
    return path


def test_end_to_end_a_filled_template_read_from_disk(tmp_path: Path) -> None:
    reading = pytest.importorskip("shuangyong_cli.reading.returned_file")
    path = _write_filled_template(tmp_path / "黔江区民政局.xlsx", SAMPLE, SAMPLE_FIELDS)
    grid = reading.read_grid(path)
    findings, data = check_return(grid, SPEC, display_path="黔江区民政局.xlsx")
    assert findings == []
    assert data is not None
    inputs = {key: sample_decimal(key) for key in all_inputs() if key[1] != "remark"}
    assert data.values == expected_totals(inputs)
    assert data.values[("total", "subtotal")] == D("10.85")
    assert data.unit == "黔江区民政局"
    assert data.date == dt.date(2020, 8, 10)
    assert data.identity is not None and data.identity.fingerprint == SPEC.fingerprint


def test_end_to_end_typing_mistakes_in_the_template(tmp_path: Path) -> None:
    reading = pytest.importorskip("shuangyong_cli.reading.returned_file")
    values = {**SAMPLE, ("troops", "cash"): "约5", ("anti_japanese", "cash"): "5000元"}
    path = _write_filled_template(tmp_path / "有误.xlsx", values, {"date": "2020年8月17日"})
    findings, data = check_return(reading.read_grid(path), SPEC, display_path="有误.xlsx")
    assert brief(findings) == [
        ("header.unit_missing", "C3", "error"),
        ("header.late", "G3", "warning"),
        ("value.guess", "E6", "error"),
        ("value.yuan_converted", "E8", "warning"),
        ("calc.sheet_differs", "G7", "warning"),
    ]
    assert data is not None and data.values[("anti_japanese", "cash")] == D("0.5")


@pytest.mark.soffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("fmt", ["xls", "xlsx"])
def test_end_to_end_after_libreoffice_saves_it(tmp_path: Path, fmt: str) -> None:
    reading = pytest.importorskip("shuangyong_cli.reading.returned_file")
    src = _write_filled_template(tmp_path / "填好.xlsx", SAMPLE, SAMPLE_FIELDS)
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo_profile",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    grid = reading.read_grid(out / f"填好.{fmt}")
    # LibreOffice computed and saved every total: each is compared with the recomputation.
    cells = grid.sheet(SPEC.sheet).cells  # type: ignore[union-attr]
    assert cells[(20, 7)] == pytest.approx(10.85)
    findings, data = check_return(grid, SPEC, display_path=f"填好.{fmt}")
    assert findings == []
    assert data is not None and data.values[("total", "subtotal")] == D("10.85")
