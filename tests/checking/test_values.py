from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuangyong_cli.checking.dates import parse_date
from shuangyong_cli.checking.display import plain, shown
from shuangyong_cli.checking.text_cells import clean_text
from shuangyong_cli.checking.values import Parsed, parse_number
from shuangyong_cli.model.findings import CODES
from shuangyong_cli.model.form import ValueKind
from shuangyong_cli.model.grid import CellError, FormulaNoValue

M, C = ValueKind.MONEY, ValueKind.COUNT
D = Decimal


def codes(p: Parsed) -> list[str]:
    return [code for code, _ in p.notes]


# -- parse_number: every form a clerk types -----------------------------------------------------

ACCEPTED = [
    # raw, kind, measure, value, blank, note codes
    pytest.param(None, M, "", D(0), True, [], id="none"),
    pytest.param("", M, "", D(0), True, [], id="empty-string"),
    pytest.param("   ", C, "人次", D(0), True, [], id="spaces"),
    pytest.param("\u3000", C, "人次", D(0), True, [], id="ideographic-space"),
    pytest.param("—", M, "", D(0), False, [], id="em-dash"),
    pytest.param("——", M, "", D(0), False, [], id="double-em-dash"),
    pytest.param("-", C, "人次", D(0), False, [], id="hyphen"),
    pytest.param("－", C, "人次", D(0), False, [], id="fullwidth-hyphen"),
    pytest.param("/", M, "", D(0), False, [], id="slash"),
    pytest.param("／", M, "", D(0), False, [], id="fullwidth-slash"),
    pytest.param("无", C, "人次", D(0), False, [], id="wu"),
    pytest.param(" — ", M, "", D(0), False, [], id="dash-with-spaces"),
    pytest.param(0, C, "人次", D(0), False, [], id="int-zero"),
    pytest.param(12, C, "人次", D(12), False, [], id="int"),
    pytest.param(3.0, C, "人次", D(3), False, [], id="float-whole-count"),
    pytest.param(0.1, M, "", D("0.1"), False, [], id="float-0.1"),
    pytest.param(1.25, M, "", D("1.25"), False, [], id="float-two-decimals"),
    pytest.param(0.1 + 0.2, M, "", D("0.3"), False, [], id="float-noise-of-a-formula"),
    pytest.param(99999999999999.0, M, "", D("99999999999999"), False, [], id="float-14-digits"),
    pytest.param("12", C, "人次", D(12), False, ["value.converted"], id="text-number"),
    pytest.param("0.50", M, "", D("0.50"), False, ["value.converted"], id="text-money"),
    pytest.param("5.", C, "", D(5), False, ["value.converted"], id="trailing-point"),
    pytest.param("+5", C, "", D(5), False, ["value.converted"], id="plus-sign"),
    pytest.param("5.00", C, "人次", D(5), False, ["value.converted"], id="whole-with-zeros"),
    pytest.param("１２", C, "人次", D(12), False, ["value.converted"], id="fullwidth"),
    pytest.param("０．５", M, "", D("0.5"), False, ["value.converted"], id="fullwidth-point"),
    pytest.param("1,200", C, "人次", D(1200), False, ["value.converted"], id="thousands"),
    pytest.param("1，200", C, "人次", D(1200), False, ["value.converted"], id="thousands-cn"),
    pytest.param("1,234.5", M, "", D("1234.5"), False, ["value.converted"], id="thousands-dec"),
    pytest.param("3人", C, "人次", D(3), False, ["value.converted"], id="unit-ren"),
    pytest.param("3人次", C, "人次", D(3), False, ["value.converted"], id="unit-renci"),
    pytest.param("3 名", C, "人次", D(3), False, ["value.converted"], id="unit-ming"),
    pytest.param("3次", C, "人次", D(3), False, ["value.converted"], id="unit-ci-in-renci"),
    pytest.param("2个", C, "个", D(2), False, ["value.converted"], id="unit-ge"),
    pytest.param("8份", C, "份", D(8), False, ["value.converted"], id="unit-fen"),
    pytest.param("15块", C, "块", D(15), False, ["value.converted"], id="unit-kuai"),
    pytest.param("2场", C, "场次", D(2), False, ["value.converted"], id="unit-chang"),
    pytest.param("2场次", C, "场次", D(2), False, ["value.converted"], id="unit-changci"),
    pytest.param("4户", C, "户", D(4), False, ["value.converted"], id="unit-hu"),
    pytest.param("3辆", C, "辆", D(3), False, ["value.converted"], id="unit-of-the-row"),
    pytest.param("3人", C, "", D(3), False, ["value.converted"], id="unit-no-measure"),
    pytest.param("0.5万元", M, "", D("0.5"), False, ["value.converted"], id="wanyuan"),
    pytest.param("0.5万", M, "", D("0.5"), False, ["value.converted"], id="wan"),
    pytest.param("5000元", M, "", D("0.5"), False, ["value.yuan_converted"], id="yuan"),
    pytest.param("5,000元", M, "", D("0.5"), False, ["value.yuan_converted"], id="yuan-thousands"),
    pytest.param("1234元", M, "", D("0.1234"), False, ["value.yuan_converted"], id="yuan-4dp"),
    pytest.param("三", C, "人次", D(3), False, ["value.converted"], id="cn-san"),
    pytest.param("十二", C, "人次", D(12), False, ["value.converted"], id="cn-twelve"),
    pytest.param("两千", C, "人次", D(2000), False, ["value.converted"], id="cn-liangqian"),
    pytest.param("一百零五", C, "人次", D(105), False, ["value.converted"], id="cn-105"),
    pytest.param("三万五千", C, "人次", D(35000), False, ["value.converted"], id="cn-35000"),
    pytest.param("五千元", M, "", D("0.5"), False, ["value.yuan_converted"], id="cn-yuan"),
    pytest.param(0.123, M, "", D("0.123"), False, ["value.too_many_decimals"], id="3dp-float"),
    pytest.param(
        "0.123",
        M,
        "",
        D("0.123"),
        False,
        ["value.converted", "value.too_many_decimals"],
        id="3dp-text",
    ),
    pytest.param("0.500", M, "", D("0.500"), False, ["value.converted"], id="3dp-trailing-zero"),
]


@pytest.mark.parametrize("raw, kind, measure, value, blank, note_codes", ACCEPTED)
def test_accepted(raw, kind, measure, value, blank, note_codes) -> None:
    p = parse_number(raw, kind, measure=measure)
    assert p.value == value
    assert str(p.value) == str(value)  # exactly, exponent included
    assert p.blank is blank
    assert codes(p) == note_codes


REFUSED = [
    pytest.param(1e20, M, "", "value.too_long", id="float-over-15-digits"),
    pytest.param(123456789012345678.0, C, "人次", "value.too_long", id="18-digit-count"),
    pytest.param("123456789012345678", C, "人次", "value.too_long", id="18-digit-text"),
    pytest.param("约5", M, "", "value.guess", id="yue"),
    pytest.param("大约5", M, "", "value.guess", id="dayue"),
    pytest.param("若干", C, "人次", "value.guess", id="ruogan"),
    pytest.param("若干人", C, "人次", "value.guess", id="ruogan-ren"),
    pytest.param("5左右", C, "人次", "value.guess", id="zuoyou"),
    pytest.param("5多", C, "人次", "value.guess", id="duo"),
    pytest.param("10多人", C, "人次", "value.guess", id="duo-ren"),
    pytest.param("50余", C, "人次", "value.guess", id="yu"),
    pytest.param("5-6", C, "人次", "value.guess", id="range-hyphen"),
    pytest.param("5~6", C, "人次", "value.guess", id="range-tilde"),
    pytest.param("5～6", C, "人次", "value.guess", id="range-fullwidth-tilde"),
    pytest.param("5至6", C, "人次", "value.guess", id="range-zhi"),
    pytest.param("不详", M, "", "value.guess", id="buxiang"),
    pytest.param("待定", M, "", "value.guess", id="daiding"),
    pytest.param("?", M, "", "value.guess", id="question"),
    pytest.param("？", M, "", "value.guess", id="fullwidth-question"),
    pytest.param("一", C, "人次", "value.guess", id="lone-yi"),
    pytest.param("三四", C, "人次", "value.guess", id="cn-three-or-four"),
    pytest.param("abc", M, "", "value.not_number", id="letters"),
    pytest.param("见附件", M, "", "value.not_number", id="words"),
    pytest.param("50%", M, "", "value.not_number", id="percent"),
    pytest.param("1,2", M, "", "value.not_number", id="decimal-comma"),
    pytest.param("¥5000", M, "", "value.not_number", id="currency-sign"),
    pytest.param("3人", M, "", "value.not_number", id="count-unit-in-money"),
    pytest.param("5元", C, "人次", "value.not_number", id="yuan-in-count"),
    pytest.param("3户", C, "人次", "value.not_number", id="unit-not-fitting"),
    pytest.param("3人", C, "个", "value.not_number", id="ren-in-ge"),
    pytest.param("2020-08-10", M, "", "value.not_number", id="date-text"),
    pytest.param("2020年8月", C, "", "value.not_number", id="year-month-text"),
    pytest.param(dt.datetime(2020, 8, 10), M, "", "value.not_number", id="datetime"),
    pytest.param(dt.date(2020, 8, 10), M, "", "value.not_number", id="date"),
    pytest.param(dt.time(10, 30), M, "", "value.not_number", id="time"),
    pytest.param(True, C, "", "value.not_number", id="bool"),
    pytest.param(float("nan"), M, "", "value.not_number", id="nan"),
    pytest.param(float("inf"), M, "", "value.not_number", id="inf"),
    pytest.param("-5", M, "", "value.negative", id="negative-text"),
    pytest.param(-5, C, "", "value.negative", id="negative-int"),
    pytest.param(-0.5, M, "", "value.negative", id="negative-float"),
    pytest.param("−5", M, "", "value.negative", id="minus-sign"),
    pytest.param("-5000元", M, "", "value.negative", id="negative-yuan"),
    pytest.param(2.5, C, "人次", "value.not_whole", id="not-whole-float"),
    pytest.param("2.5人次", C, "人次", "value.not_whole", id="not-whole-unit"),
    pytest.param(CellError("#DIV/0!"), M, "", "value.error_cell", id="error"),
    pytest.param(FormulaNoValue("=E6+F6"), M, "", "value.formula_no_cache", id="formula"),
]


@pytest.mark.parametrize("raw, kind, measure, code", REFUSED)
def test_refused(raw, kind, measure, code) -> None:
    p = parse_number(raw, kind, measure=measure)
    assert p.value is None
    assert p.refused
    assert p.blank is False
    assert codes(p) == [code]
    detail = p.notes[0][1]
    assert detail.endswith("。")
    assert "请" in detail  # every refusal says what to type instead


def test_every_note_code_is_in_the_catalogue() -> None:
    for param in ACCEPTED + REFUSED:
        raw, kind, measure = param.values[:3]
        for code in codes(parse_number(raw, kind, measure=measure)):
            assert code in CODES


@pytest.mark.parametrize(
    "raw, kind, measure, detail",
    [
        (
            "约5",
            M,
            "",
            "应为数字，实际为“约5”；请填写确切金额（万元），如 5 或 5.00。",
        ),
        ("若干", C, "人次", "应为数字，实际为“若干”；请填写确切的人次数（整数），如 5。"),
        ("5000元", M, "", "填的是“5000元”，已按 0.5 万元计；今后请直接填写万元数。"),
        ("0.5万元", M, "", "填的是“0.5万元”，已按 0.5 万元计；本栏单位已是万元，请只填数字。"),
        ("3人", C, "人次", "填的是“3人”，已按 3 计；请只填数字，不带单位。"),
        ("１２", C, "人次", "填的是“１２”，已按 12 计；请用半角数字填写（关闭全角输入）。"),
        ("1,200", C, "人次", "填的是“1,200”，已按 1200 计；请不要加千位分隔符。"),
        ("三", C, "人次", "填的是“三”，已按 3 计；请填写阿拉伯数字。"),
        (
            "12",
            C,
            "人次",
            "填的是“12”，该格是文本格式，已按数字 12 读取；今后可设为数值格式。",
        ),
        ("-5", M, "", "不能为负数，实际为“-5”；请填写 0 或正数。"),
        (2.5, C, "人次", "人次数应为整数，实际为“2.5”；请填写整数，如 2 或 3。"),
        (
            0.123,
            M,
            "",
            "超过两位小数，实际为“0.123”，已按所填的 0.123 读取（未四舍五入）；"
            "请保留两位小数，如 0.12。",
        ),
        (
            "3户",
            C,
            "人次",
            "填的是“3户”，但本项的计量单位是“人次”；请按人次数填写，只填数字。",
        ),
        (
            "一",
            C,
            "人次",
            "填的是“一”，不能确定是数字 1 还是表示“没有”的横线；请填写 1 或 0。",
        ),
        (
            dt.datetime(2020, 8, 10),
            M,
            "",
            "应为数字，实际显示为日期“2020-08-10”（单元格格式为日期）；"
            "请把单元格格式改为“常规”或“数值”后重新填写数字。",
        ),
        (CellError("#DIV/0!"), M, "", "显示错误值“#DIV/0!”；请改正公式，或直接填写数字。"),
        (
            FormulaNoValue("=E6+F6"),
            M,
            "",
            "是公式“=E6+F6”，但文件中没有保存计算结果（常见于程序生成或未重新计算的文件）；"
            "请在 Excel 或 WPS 中打开并保存后再报送，或直接填写数字。",
        ),
        ("50%", M, "", "应为数字，实际为“50%”（百分数）；请填写确切金额（万元），如 50 或 50.00。"),
        # 元 typed in a 万元 cell: the example is in 万元 (5000 would be refused as too large)
        ("￥5000", M, "", "应为数字，实际为“￥5000”；请填写确切金额（万元），如 0.5 或 0.50。"),
        ("约5000元", M, "", "应为数字，实际为“约5000元”；请填写确切金额（万元），如 0.5 或 0.50。"),
        # one example when two decimals would round it, or say the same
        ("￥12345", M, "", "应为数字，实际为“￥12345”；请填写确切金额（万元），如 1.2345。"),
        ("￥1500", M, "", "应为数字，实际为“￥1500”；请填写确切金额（万元），如 0.15。"),
        # 万 typed: already in 万元; a Chinese numeral with 元: the plain example
        (
            "约1500万",
            M,
            "",
            "应为数字，实际为“约1500万”；请填写确切金额（万元），如 1500 或 1500.00。",
        ),
        (
            "五千元左右",
            M,
            "",
            "应为数字，实际为“五千元左右”；请填写确切金额（万元），如 0.5 或 0.50。",
        ),
        # a Chinese full stop for the decimal point: the example keeps the decimals (of money)
        ("1。5", M, "", "应为数字，实际为“1。5”；请填写确切金额（万元），如 1.5 或 1.50。"),
        ("1。5人", C, "人次", "应为数字，实际为“1。5人”；请填写确切的人次数（整数），如 1。"),
        # 千 and 万 after the number, and a thousands separator: the example in the cell's unit
        ("约3千元", M, "", "应为数字，实际为“约3千元”；请填写确切金额（万元），如 0.3 或 0.30。"),
        ("约¥5,000", M, "", "应为数字，实际为“约¥5,000”；请填写确切金额（万元），如 0.5 或 0.50。"),
        ("1,500元左右", M, "", "应为数字，实际为“1,500元左右”；请填写确切金额（万元），如 0.15。"),
        ("约5百元", M, "", "应为数字，实际为“约5百元”；请填写确切金额（万元），如 0.05。"),
        (
            "约3-4千元",
            M,
            "",
            "应为数字，实际为“约3-4千元”；请填写确切金额（万元），如 0.3 或 0.30。",
        ),
        ("１２ｋ", M, "", "应为数字，实际为“１２ｋ”；请填写确切金额（万元），如 1.2 或 1.20。"),
        ("约3k元", M, "", "应为数字，实际为“约3k元”；请填写确切金额（万元），如 0.3 或 0.30。"),
        (
            "0.5亿元",
            M,
            "",
            "应为数字，实际为“0.5亿元”；请填写确切金额（万元），如 5000 或 5000.00。",
        ),
        (
            "约1.5万人",
            C,
            "人次",
            "应为数字，实际为“约1.5万人”；请填写确切的人次数（整数），如 15000。",
        ),
        (
            "约2千万",
            M,
            "",
            "应为数字，实际为“约2千万”；请填写确切金额（万元），如 2000 或 2000.00。",
        ),
        (
            "1,500人左右",
            C,
            "人次",
            "应为数字，实际为“1,500人左右”；请填写确切的人次数（整数），如 1500。",
        ),
    ],
)
def test_details_are_exact(raw, kind, measure, detail) -> None:
    p = parse_number(raw, kind, measure=measure)
    assert [d for _, d in p.notes] == [detail]


@pytest.mark.parametrize(
    ("raw", "unit", "detail"),
    [
        # in a 元 or 千元 cell (a learned form): money typed in 万元 or 元 shown in the cell's unit
        (
            "约0.5万元",
            "元",
            "应为数字，实际为“约0.5万元”；请填写确切金额（元），如 5000 或 5000.00。",
        ),
        ("约3千元", "千元", "应为数字，实际为“约3千元”；请填写确切金额（千元），如 3 或 3.00。"),
        (
            "约1500元",
            "千元",
            "应为数字，实际为“约1500元”；请填写确切金额（千元），如 1.5 或 1.50。",
        ),
        ("约800", "元", "应为数字，实际为“约800”；请填写确切金额（元），如 800 或 800.00。"),
    ],
)
def test_money_examples_are_in_the_cells_unit(raw, unit, detail) -> None:
    p = parse_number(raw, M, unit=unit)
    assert [d for _, d in p.notes] == [detail]


def test_floats_are_cached_per_kind_and_measure() -> None:
    assert parse_number(2.5, M).value == D("2.5")
    assert codes(parse_number(2.5, C, measure="人次")) == ["value.not_whole"]
    assert "个数" in parse_number(2.5, C, measure="个").notes[0][1]


# -- parse_date ------------------------------------------------------------------------------

AUG10 = dt.date(2020, 8, 10)


@pytest.mark.parametrize(
    "raw",
    [
        dt.datetime(2020, 8, 10),
        dt.datetime(2020, 8, 10, 15, 30),
        AUG10,
        44053,
        44053.0,
        44053.75,
        "2020-08-10",
        "2020-8-10",
        "2020/8/10",
        "2020.8.10",
        "2020.08.10",
        "2020年8月10日",
        "2020年08月10日",
        "2020年8月10号",
        "2020 年 8 月 10 日",
        "２０２０年８月１０日",
        "２０２０－０８－１０",
        "2020．8．10",
        "20200810",
        20200810,
        "二〇二〇年八月十日",
        "2020-08-10 00:00:00",
        "2020-08-10T09:00",
        " 2020-08-10 ",
    ],
)
def test_parse_date_accepts(raw) -> None:
    assert parse_date(raw) == (AUG10, None)


def test_parse_date_without_year_uses_the_default() -> None:
    assert parse_date("8月10日", default_year=2020) == (AUG10, None)
    assert parse_date("8月10日") == (
        None,
        "应为日期，实际为“8月10日”（缺少年份）；请填写如 2020-08-10 或 2020年8月10日。",
    )


@pytest.mark.parametrize(
    "raw, detail",
    [
        ("昨天", "应为日期，实际为“昨天”；请填写如 2020-08-10 或 2020年8月10日。"),
        (
            "2020-02-30",
            "应为日期，实际为“2020-02-30”（没有这一天）；请填写如 2020-08-10 或 2020年8月10日。",
        ),
        ("2020年8月", "应为日期，实际为“2020年8月”；请填写如 2020-08-10 或 2020年8月10日。"),
        (5, "应为日期，实际为“5”；请填写如 2020-08-10 或 2020年8月10日。"),
        (True, "应为日期，实际为“TRUE”；请填写如 2020-08-10 或 2020年8月10日。"),
        (
            dt.time(9),
            "应为日期，实际为“09:00:00”（只有时间）；请填写如 2020-08-10 或 2020年8月10日。",
        ),
        (CellError("#VALUE!"), "显示错误值“#VALUE!”；请填写日期，如 2020-08-10。"),
        (
            FormulaNoValue("=TODAY()"),
            "是公式“=TODAY()”，但文件中没有保存计算结果；请直接填写日期，如 2020-08-10。",
        ),
    ],
)
def test_parse_date_refuses(raw, detail) -> None:
    assert parse_date(raw) == (None, detail)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_parse_date_blank(raw) -> None:
    assert parse_date(raw) == (None, None)


# -- clean_text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, text, note_codes",
    [
        (None, "", []),
        ("  黔江区民政局 ", "黔江区民政局", []),
        ("黔江区\n民政局", "黔江区\n民政局", []),
        ("黔江区\r\n民政局", "黔江区\n民政局", []),
        ("黔江区\t民政局", "黔江区 民政局", []),
        ("黔江区\u200b民政局", "黔江区民政局", ["value.control_chars"]),
        ("\ufeff黔江区民政局", "黔江区民政局", ["value.control_chars"]),
        ("黔江区\x07民政局", "黔江区民政局", ["value.control_chars"]),
        (13800000000.0, "13800000000", []),
        (12, "12", []),
        (0.5, "0.5", []),
        (dt.datetime(2020, 8, 10), "2020-08-10", []),
        (dt.datetime(2020, 8, 10, 9, 30), "2020-08-10 09:30:00", []),
        (True, "TRUE", []),
        ("=SUM(A1:A3)", "=SUM(A1:A3)", ["value.formula_text"]),
        ("@cmd", "@cmd", ["value.formula_text"]),
        ("-张三", "-张三", ["value.formula_text"]),
        ("\t=1+1", "=1+1", ["value.formula_text"]),
        ("\r=1+1", "=1+1", ["value.formula_text"]),
        ("+86 138 0000 0000", "+86 138 0000 0000", []),
        ("-5", "-5", []),
        (CellError("#N/A"), "", ["value.error_cell"]),
        (FormulaNoValue("=A1"), "", ["value.formula_no_cache"]),
    ],
)
def test_clean_text(raw, text, note_codes) -> None:
    got, notes = clean_text(raw)
    assert got == text
    assert [c for c, _ in notes] == note_codes


def _clean_text_char_by_char(raw: str) -> str:
    """What ``clean_text`` keeps of a string, character by character (its slow path)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(
        ch
        for ch in text
        if ch in "\n\t" or not (unicodedata.category(ch) in ("Cc", "Cf") or ch in "\u2028\u2029")
    )
    return kept.replace("\t", " ").strip()


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        st.sampled_from(" \t\r\n\u3000\u00a0\u200b\ufeff\u2028\x07黔江区=+-@1.") | st.characters()
    )
)
def test_clean_text_fast_path_is_the_character_loop(raw: str) -> None:
    """A printable string skips the character loop: the result is the loop's all the same."""
    text, notes = clean_text(raw)
    assert text == _clean_text_char_by_char(raw)
    assert ("value.control_chars" in [c for c, _ in notes]) == (
        text != raw.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()
    )


def test_clean_text_messages() -> None:
    assert clean_text("黔江区\u200b民政局")[1] == [
        (
            "value.control_chars",
            "含有看不见的控制字符，已删除，按“黔江区民政局”读取；请检查是否从别处复制粘贴而来。",
        )
    ]
    assert clean_text("=1+1")[1] == [
        (
            "value.formula_text",
            "文字“=1+1”以“=”开头，看起来像公式；本工具按文字原样保存，不会计算。",
        )
    ]


# -- showing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, text",
    [
        (None, ""),
        (5.0, "5"),
        (0.1 + 0.2, "0.3"),
        (1e-05, "1e-05"),
        (True, "TRUE"),
        (dt.datetime(2020, 8, 10), "2020-08-10"),
        ("约5", "约5"),
    ],
)
def test_shown(raw, text) -> None:
    assert shown(raw) == text


@pytest.mark.parametrize(
    "d, text", [(D("0.50"), "0.5"), (D("1E+2"), "100"), (D("0"), "0"), (D("0.00"), "0")]
)
def test_plain(d, text) -> None:
    assert plain(d) == text


def test_long_number_in_a_text_cell_is_shown_as_excel_shows_it() -> None:
    text, notes = clean_text(500239199001011234.0)
    assert text == "500239199001011000"
    assert [code for code, _ in notes] == ["value.long_number_text"]
