"""Terminal rendering: exact text off a terminal (no colour, fixed width), quiet/verbose, GBK."""

from __future__ import annotations

import io
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from shuangyong_cli.cli.output import (
    ASCII_SYMBOLS,
    CJK_SYMBOLS,
    FIXED_WIDTH,
    UNICODE_SYMBOLS,
    Output,
    symbols_for,
)
from shuangyong_cli.cli.report_view import render_report, summary_line
from shuangyong_cli.cli.wrap import break_offsets
from shuangyong_cli.model.findings import FileResult, Report, finding

E6_MESSAGE = (
    "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字，实际为“约5”；"
    "请填写确切金额（万元），如 5 或 5.00。"
)


def sample_report() -> Report:
    mz = "民政局.xlsx"
    return Report(
        files=[
            FileResult(
                mz,
                unit="黔江区民政局",
                roster_unit="区民政局",
                findings=[
                    finding(
                        "header.date_missing",
                        "单元格 G3「日期」未填写；请填写报送日期，如 2020-08-10。",
                        file=mz,
                        sheet="统计表",
                        cell="G3",
                        field="日期",
                    ),
                    finding(
                        "value.converted",
                        "单元格 D8「抗战老战士 / 数量」填的是“１２”，已按 12 读取。",
                        file=mz,
                        sheet="统计表",
                        cell="D8",
                        field="抗战老战士 / 数量",
                        value="１２",
                    ),
                    finding(
                        "value.not_number",
                        E6_MESSAGE,
                        file=mz,
                        sheet="统计表",
                        cell="E6",
                        field="走访慰问驻黔部队 / 慰问金",
                        value="约5",
                    ),
                ],
            ),
            FileResult("石会镇.xlsx", unit="石会镇"),
            FileResult(
                "人武部.xls",
                findings=[
                    finding(
                        "header.unit_missing",
                        "单元格 C3「填报单位」未填写；请填写单位全称。",
                        file="人武部.xls",
                        sheet="统计表",
                        cell="C3",
                        field="填报单位",
                    )
                ],
            ),
            FileResult(
                "财政局.xlsx",
                unit="区财政局",
                findings=[
                    finding(
                        "header.late",
                        "日期 2020-08-20 晚于截止日期 2020-08-14。",
                        file="财政局.xlsx",
                        sheet="统计表",
                        cell="G3",
                        field="日期",
                        value="2020-08-20",
                    )
                ],
            ),
        ],
        general=[finding("roster.not_reported", "区教委（区级国家机关各部门）未报送。")],
    )


def make_output(**kwargs: object) -> tuple[Output, io.StringIO, io.StringIO]:
    stdout, stderr = io.StringIO(), io.StringIO()
    out = Output(stdout=stdout, stderr=stderr, environ={}, **kwargs)  # type: ignore[arg-type]
    return out, stdout, stderr


def from_cell(line: str, column: int) -> str:
    """The part of ``line`` from screen column ``column`` on (wide characters take two)."""
    at = 0
    for i, ch in enumerate(line):
        if at >= column:
            return line[i:]
        at += cell_len(ch)
    return ""


def lines(stream: io.StringIO) -> list[str]:
    return [line.rstrip() for line in stream.getvalue().splitlines()]


REPORT_100 = """\
✘ 民政局.xlsx  区民政局  1 个错误 / 1 个警告
✔ 石会镇.xlsx  石会镇  通过
✘ 人武部.xls  （未填单位）  1 个错误 / 0 个警告
⚠ 财政局.xlsx  区财政局  通过（1 个警告）

文件             工作表  单元格  项目             填写内容    问题
────────────────────────────────────────────────────────────────────────────────────────────────────
民政局.xlsx      统计表  E6      走访慰问驻黔部   约5         错误：单元格 E6「走访慰问驻黔部队 / 慰
                                 队 / 慰问金                  问金」应为数字，实际为“约5”；请填写确
                                                              切金额（万元），如 5 或 5.00。

                 统计表  G3      日期                         警告：单元格 G3「日期」未填写；请填写
                                                              报送日期，如 2020-08-10。

人武部.xls       统计表  C3      填报单位                     错误：单元格 C3「填报单位」未填写；请
                                                              填写单位全称。

财政局.xlsx      统计表  G3      日期             2020-08-20  警告：日期 2020-08-20 晚于截止日期
                                                              2020-08-14。

⚠ 警告：区教委（区级国家机关各部门）未报送。

另有 1 条提示，加 -v 显示。
共 4 个文件：2 个通过，2 个有错误；错误 2 个，警告 3 个。
"""


def test_render_report_exact_text() -> None:
    out, stdout, stderr = make_output(width=100)
    render_report(sample_report(), out)
    assert "\n".join(lines(stdout)) + "\n" == REPORT_100
    assert stderr.getvalue() == ""
    assert "\x1b" not in stdout.getvalue()


def test_render_report_at_80_columns_keeps_every_character() -> None:
    out, stdout, _ = make_output(width=80)
    render_report(sample_report(), out)
    text = stdout.getvalue()
    assert lines(stdout)[5:12] == [
        "文件         工作表  单元格  项目        填写内容    问题",
        "─" * 80,
        "民政局.xlsx  统计表  E6      走访慰问驻  约5         错误：单元格 E6「走访慰问驻",
        "                             黔部队 /                黔部队 / 慰问金」应为数字，",
        "                             慰问金                  实际为“约5”；请填写确切金额",
        "                                                     （万元），如 5 或 5.00。",
        "",
    ]
    # Every character of the message is printed, in order, across the wrapped lines.
    problem_column = "".join(from_cell(line, 53) for line in lines(stdout)[7:11])
    assert problem_column.replace(" ", "") == ("错误：" + E6_MESSAGE).replace(" ", "")
    assert text.endswith("共 4 个文件：2 个通过，2 个有错误；错误 2 个，警告 3 个。\n")


def test_verbose_lists_infos_and_drops_the_hint() -> None:
    out, stdout, _ = make_output(verbose=True)
    render_report(sample_report(), out)
    got = lines(stdout)
    info = next(i for i, line in enumerate(got) if "提示：" in line)
    assert got[info].split()[:7] == [
        "统计表",
        "D8",
        "抗战老战士",
        "/",
        "数量",
        "１２",
        "提示：单元格",
    ]
    assert got[info + 1].split() == ["已按", "12", "读取。"]
    assert not any("另有" in line for line in got)
    # Within a file: errors, then warnings, then 提示.
    order = [line.split("：")[0].split()[-1] for line in got if "单元格 " in line and "：" in line]
    assert order[:3] == ["错误", "警告", "提示"]


def test_quiet_prints_only_errors_and_the_last_line() -> None:
    out, stdout, _ = make_output(quiet=True)
    render_report(sample_report(), out)
    got = lines(stdout)
    assert got[0].split() == ["文件", "工作表", "单元格", "项目", "填写内容", "问题"]
    assert [line.split()[0] for line in got if "错误：" in line] == ["民政局.xlsx", "人武部.xls"]
    assert not any(w in line for line in got for w in ("警告：", "提示：", "通过（", "另有"))
    assert got[-1] == "共 4 个文件：2 个通过，2 个有错误；错误 2 个，警告 3 个。"
    assert got[-2] == ""


def test_quiet_with_nothing_wrong_is_one_line() -> None:
    out, stdout, _ = make_output(quiet=True)
    render_report(Report(files=[FileResult("a.xlsx", unit="石会镇")]), out)
    assert stdout.getvalue() == "共 1 个文件：1 个通过，0 个有错误；错误 0 个，警告 0 个。\n"


def test_all_passed() -> None:
    out, stdout, _ = make_output()
    render_report(Report(files=[FileResult("a.xlsx", unit="石会镇")]), out)
    assert stdout.getvalue() == (
        "✔ a.xlsx  石会镇  通过\n\n共 1 个文件：1 个通过，0 个有错误；错误 0 个，警告 0 个。\n"
    )


def test_empty_report() -> None:
    out, stdout, _ = make_output()
    render_report(Report(), out)
    assert stdout.getvalue() == "共 0 个文件：0 个通过，0 个有错误；错误 0 个，警告 0 个。\n"
    assert summary_line(Report()) == "共 0 个文件：0 个通过，0 个有错误；错误 0 个，警告 0 个。"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "no_color", "coloured"),
    [
        ({"TERM": "xterm-256color"}, False, True),
        ({"TERM": "xterm-256color", "NO_COLOR": "1"}, False, False),
        ({"TERM": "dumb"}, False, False),
        ({"TERM": "xterm-256color"}, True, False),
    ],
)
def test_colour_only_on_a_terminal_that_wants_it(
    env: dict[str, str], no_color: bool, coloured: bool
) -> None:
    stdout = FakeTerminal()
    out = Output(stdout=stdout, stderr=FakeTerminal(), environ=env, no_color=no_color, width=100)
    render_report(sample_report(), out)
    assert ("\x1b[" in stdout.getvalue()) is coloured
    assert "共 4 个文件" in stdout.getvalue()


def test_error_label_is_red_and_warning_yellow_on_a_terminal() -> None:
    stdout = FakeTerminal()
    out = Output(stdout=stdout, stderr=FakeTerminal(), environ={"TERM": "xterm"}, width=120)
    render_report(sample_report(), out)
    text = stdout.getvalue()
    assert "\x1b[1;31m错误：\x1b[0m" in text
    assert "\x1b[33m警告：\x1b[0m" in text


def test_not_a_terminal_means_fixed_width_even_if_columns_is_set(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    stdout = io.StringIO()
    out = Output(stdout=stdout, stderr=io.StringIO())
    assert out.console.width == FIXED_WIDTH == 120
    render_report(sample_report(), out)
    assert "─" * 120 in lines(stdout)
    assert max(cell_len(line) for line in lines(stdout)) == 120


def test_symbols_follow_the_encoding() -> None:
    assert symbols_for("utf-8") == UNICODE_SYMBOLS
    assert symbols_for("gbk") == CJK_SYMBOLS
    assert symbols_for("cp936") == CJK_SYMBOLS
    assert symbols_for("gb18030") == UNICODE_SYMBOLS  # GB18030 encodes all of Unicode
    assert symbols_for("ascii") == ASCII_SYMBOLS
    assert symbols_for("no-such-codec") == ASCII_SYMBOLS
    with pytest.raises(UnicodeEncodeError):
        "✔".encode("gbk")
    assert (CJK_SYMBOLS.ok + CJK_SYMBOLS.error + CJK_SYMBOLS.warning).encode("gbk")


def gbk_stream() -> tuple[io.BytesIO, io.TextIOWrapper]:
    raw = io.BytesIO()
    return raw, io.TextIOWrapper(raw, encoding="gbk", errors="strict", newline="\n")


def test_gbk_console_gets_fallback_symbols_and_never_an_encode_error() -> None:
    raw, stream = gbk_stream()
    err_raw, err_stream = gbk_stream()
    out = Output(stdout=stream, stderr=err_stream, environ={})
    report = sample_report()
    report.files.append(
        FileResult(
            "表😀.xlsx",
            unit="区民政局✔",
            findings=[
                finding(
                    "value.not_number",
                    "单元格 E6 应为数字，实际为“✔5”。",
                    file="表😀.xlsx",
                    sheet="统计表",
                    cell="E6",
                    value="✔5",
                )
            ],
        )
    )
    render_report(report, out)
    out.print_written([Path("汇总\udcff.xlsx")])
    out.warn("名册中没有 ✘ 单位")
    stream.flush()
    err_stream.flush()
    text = raw.getvalue().decode("gbk")
    got = text.splitlines()
    assert got[0] == "× 民政局.xlsx  区民政局  1 个错误 / 1 个警告"
    assert got[1] == "√ 石会镇.xlsx  石会镇  通过"
    assert got[3] == "! 财政局.xlsx  区财政局  通过（1 个警告）"
    assert got[4] == "× 表?.xlsx  区民政局?  1 个错误 / 0 个警告"
    assert "! 警告：区教委（区级国家机关各部门）未报送。" in got
    assert got[-1] == "共 5 个文件：2 个通过，3 个有错误；错误 3 个，警告 3 个。"
    # ASCII rules under the header, and the columns still line up after the replacement.
    rule = next(line for line in got if line.startswith("---"))
    assert set(rule) == {"-"}
    row = next(line for line in got if line.startswith("表?.xlsx"))
    header = got[got.index(rule) - 1]
    assert cell_len(row[: row.index("统计表")]) == cell_len(header[: header.index("工作表")])
    assert err_raw.getvalue().decode("gbk").splitlines() == [
        "已写出：汇总?.xlsx",
        "注意：名册中没有 ? 单位",
    ]


def test_json_on_gbk_stays_valid_json_with_the_same_content() -> None:
    raw, stream = gbk_stream()
    out = Output(stdout=stream, stderr=io.StringIO(), environ={})
    data = {"unit": "区民政局✔😀", "n": 1}
    out.print_json(json.dumps(data, ensure_ascii=False))
    stream.flush()
    text = raw.getvalue().decode("gbk")
    assert text.endswith("}\n")
    assert "\\u2714\\ud83d\\ude00" in text
    assert json.loads(text) == data


def test_json_on_utf8_is_written_as_is() -> None:
    out, stdout, _ = make_output()
    out.print_json('{"a": "✔"}')
    assert stdout.getvalue() == '{"a": "✔"}\n'


def test_control_characters_in_a_cell_cannot_drive_the_terminal() -> None:
    out, stdout, _ = make_output()
    report = Report(
        files=[
            FileResult(
                "a.xlsx",
                unit="镇\x1b[2J",
                findings=[
                    finding(
                        "value.control_chars",
                        "单元格 B7 含有不可见字符。",
                        file="a.xlsx",
                        sheet="统计表",
                        cell="B7",
                        value="5\x07\u202e",
                    )
                ],
            )
        ]
    )
    render_report(report, out)
    text = stdout.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert lines(stdout)[0] == "⚠ a.xlsx  镇�[2J  通过（1 个警告）"
    assert "5��" in text


def test_messages_go_to_stderr_and_respect_quiet() -> None:
    out, stdout, stderr = make_output()
    out.info("读取 3 个文件")
    out.warn("名册没有“单位类别”列")
    out.print_written([Path("汇总.xlsx"), "校验结果.xlsx"])
    assert stdout.getvalue() == ""
    assert lines(stderr) == [
        "读取 3 个文件",
        "注意：名册没有“单位类别”列",
        "已写出：汇总.xlsx",
        "已写出：校验结果.xlsx",
    ]
    out, stdout, stderr = make_output(quiet=True)
    out.info("读取 3 个文件")
    out.print_written([Path("汇总.xlsx")])
    out.warn("名册没有“单位类别”列")
    assert lines(stderr) == ["注意：名册没有“单位类别”列"]


def test_print_table_right_aligns_numbers() -> None:
    out, stdout, _ = make_output()
    out.print_table(
        "报送进度",
        ["单位类别", "应报", "已报", "金额"],
        iter([("乡镇", 30, 28, Decimal("12.50")), ("驻黔部队", 5, None, Decimal("3.00"))]),
    )
    assert lines(stdout) == [
        "报送进度",
        "单位类别  应报  已报   金额",
        "─" * 27,
        "乡镇        30    28  12.50",
        "驻黔部队     5         3.00",
    ]


def test_final_line_is_printed_even_when_quiet() -> None:
    out, stdout, _ = make_output(quiet=True)
    out.final_line("已汇总 3 个单位。", failed=False)
    assert stdout.getvalue() == "已汇总 3 个单位。\n"


def test_progress_is_a_plain_callable_and_silent_off_a_terminal() -> None:
    out, stdout, stderr = make_output()
    with out.progress(2, "读取报表") as advance:
        advance("a.xlsx")
        advance("b.xlsx")
    assert stdout.getvalue() == stderr.getvalue() == ""


def test_progress_draws_on_a_terminal_and_not_when_quiet() -> None:
    err = FakeTerminal()
    out = Output(stdout=io.StringIO(), stderr=err, environ={"TERM": "xterm"}, width=80)
    with out.progress(2, "读取报表") as advance:
        advance("a.xlsx")
        advance("b.xlsx")
    assert "读取报表" in err.getvalue()
    err = FakeTerminal()
    out = Output(stdout=io.StringIO(), stderr=err, environ={"TERM": "xterm"}, quiet=True)
    with out.progress(2, "读取报表") as advance:
        advance("a.xlsx")
    assert err.getvalue() == ""


def test_no_progress_bar_on_a_dumb_terminal() -> None:
    err = FakeTerminal()
    out = Output(stdout=io.StringIO(), stderr=err, environ={"TERM": "dumb"})
    with out.progress(1, "读取报表") as advance:
        advance("a.xlsx")
    assert err.getvalue() == ""


@given(
    text=st.text(alphabet="走访慰问，。（）「」“”ab1. -/\n", max_size=60),
    width=st.integers(min_value=2, max_value=30),
)
def test_break_offsets_never_exceed_the_width_and_lose_nothing(text: str, width: int) -> None:
    offsets = break_offsets(text, width)
    assert offsets == sorted(set(offsets))
    assert all(0 < o < len(text) for o in offsets)
    bounds = [0, *offsets, len(text)]
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    assert "".join(pieces) == text
    for piece in pieces:
        assert cell_len(piece.rstrip(" \n")) <= width


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("file.truncated", "（无法读取）"),
        ("file.not_workbook", "（无法读取）"),
        ("form.not_found", "（未找到统计表）"),
        ("header.unit_missing", "（未填单位）"),
    ],
)
def test_a_file_without_a_unit_says_why_on_its_line(code: str, shown: str) -> None:
    """A file that could not be read has no 填报单位 to show, but it was not left blank."""
    report = Report(
        files=[FileResult("壬镇.xlsx", findings=[finding(code, "……", file="壬镇.xlsx")])]
    )
    out, stdout, _ = make_output(width=100)
    render_report(report, out)
    assert lines(stdout)[0] == f"✘ 壬镇.xlsx  {shown}  1 个错误 / 0 个警告"
