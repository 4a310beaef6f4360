"""click's own messages in Chinese: usage errors exactly as a clerk sees them, and help pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shuangyong_cli.cli.app import cli
from shuangyong_cli.cli.usage import short_help
from shuangyong_cli.writing.cell_text import display_width


def run(*args: str | Path) -> Result:
    env = {"NO_COLOR": "1", "TERM": "dumb"}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, prog_name="shuangyong")


MERGE_USAGE = (
    "用法：shuangyong merge [选项] 文件或文件夹...\n运行“shuangyong merge -h”查看说明。\n\n"
)
GROUP_USAGE = "用法：shuangyong [选项] 命令 [参数]...\n运行“shuangyong -h”查看说明。\n\n"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (["merge"], MERGE_USAGE + "错误：缺少参数“文件或文件夹...”\n"),
        (
            ["merge", "回收", "--rostr", "名册.csv"],
            MERGE_USAGE
            + "错误：没有“--rostr”这个选项；是不是要用“--roster”、“--strict”或“--verbose”？\n",
        ),
        (["merge", "回收"], MERGE_USAGE + "错误：缺少选项“-o/--output”\n"),
        (
            ["merge", "回收", "-o", "汇总.xlsx", "-j", "-1"],
            MERGE_USAGE + "错误：“-j/--jobs”的值不对：应为不小于 0 的整数\n",
        ),
        (
            ["merge", "回收", "-o", "汇总.xlsx", "--max-file-mb", "0"],
            MERGE_USAGE + "错误：“--max-file-mb”的值不对：应为不小于 0.01 的数\n",
        ),
        (
            ["merge", "回收", "-o", "汇总.xlsx", "--date", "八月"],
            MERGE_USAGE + "错误：“--date”的值不对：“八月”不是日期；请写成 2020-08-15 这样的形式\n",
        ),
        (
            ["merge", "回收", "-o", "汇总.xlsx", "--swing", "3"],
            MERGE_USAGE + "错误：--swing 需要与 --compare 一起使用。\n",
        ),
        (["merge", "回收", "--roster"], "错误：选项“--roster”后面要写上它的值\n"),
        (
            ["hebing"],
            GROUP_USAGE
            + "错误：没有“hebing”这个命令；可用的命令：form、merge、status、template、validate\n",
        ),
        (["--bad"], GROUP_USAGE + "错误：没有“--bad”这个选项\n"),
        (
            ["merge", "回收", "-o", "汇总.xlsx", "--debug"],
            MERGE_USAGE + "错误：“--debug”要写在命令名之前，如 shuangyong --debug merge …\n",
        ),
        (
            ["template", "统计表.xlsx"],
            "用法：shuangyong template [选项]\n运行“shuangyong template -h”查看说明。\n\n"
            "错误：多出了参数：统计表.xlsx；文件名中有空格时请加引号\n",
        ),
        (
            ["validate", "回收", "--name", "黔江区"],
            "用法：shuangyong validate [选项] 文件或文件夹...\n"
            "运行“shuangyong validate -h”查看说明。\n\n"
            "错误：没有“--name”这个选项\n",
        ),
    ],
)
def test_usage_errors_are_in_chinese(args: list[str], stderr: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == stderr
    assert result.stdout == ""


def test_a_file_where_a_folder_is_wanted(tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n城西街道,街道\n", encoding="utf-8")
    result = run("template", "--out-dir", roster, "--roster", roster)
    assert result.exit_code == 2
    assert result.stderr.endswith("错误：“--out-dir”的值不对：应为文件夹，不能是文件\n")


def test_help_pages_speak_chinese_and_line_up() -> None:
    text = run("merge", "-h").stdout
    assert text.startswith("用法：shuangyong merge [选项] 文件或文件夹...\n")
    assert "\n选项：\n" in text
    assert "  -o, --output 文件     汇总表文件名，如 汇总.xlsx" in text
    assert "[必填]" in text and "[required]" not in text and "Options" not in text
    assert "[不小于 0]" in text and "x>=" not in text
    # every option's help starts in the same terminal column, Chinese names of values included
    rows = [line for line in text.split("\n选项：\n")[1].splitlines() if line.startswith("  -")]
    prefixes = [re.match(r"(\s+\S.*?\s{2,})\S", row) for row in rows]
    assert {display_width(m.group(1)) for m in prefixes if m} == {24}, rows
    group = run("-h").stdout
    assert "\n命令：\n" in group
    unwrapped = re.sub(r"\n +", "", group)  # lines joined again, whatever the width
    assert "status    截止前看报送进度：已报、未报、有误、逾期、重复各多少个单位，" in unwrapped
    assert "未报单位的联系人和电话，离截止日期还有几天。" in unwrapped


def test_short_help_joins_chinese_lines_without_a_space() -> None:
    assert short_help("第一行，\n    第二行。\n\n    另一段") == "第一行，第二行。"
    assert short_help("Read the\n    files") == "Read the files"


# -- help pages: Chinese punctuation and the names of values ---------------------------------------

HELP_PAGES = [
    [],
    ["template"],
    ["validate"],
    ["merge"],
    ["status"],
    ["form"],
    ["form", "new"],
    ["form", "check"],
    ["form", "show"],
]
FULL_WIDTH_PUNCTUATION = "，。；：、）！？"
#: What a value may be called on a help page (click's FILE, INTEGER… in Chinese, and our own).
METAVARS = {"文件", "文件夹", "文件或文件夹", "文字", "整数", "数", "日期", "倍数", "文件:单元格"}
ARGUMENT_METAVARS = {
    "[选项]",
    "文件或文件夹...",
    "命令",
    "[参数]...",
    "空白表",
    "[空白表]",
    "表式定义.toml",
    "[表式定义.toml]",
}


def help_page(args: list[str], width: int) -> str:
    result = CliRunner().invoke(
        cli, [*args, "--help"], env={"NO_COLOR": "1"}, prog_name="shuangyong", terminal_width=width
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_help_page_is_covered() -> None:
    assert sorted({a[0] for a in HELP_PAGES if a}) == sorted(cli.commands)


@pytest.mark.parametrize("width", [60, 80, 100])
@pytest.mark.parametrize("args", HELP_PAGES, ids=lambda a: a[0] if a else "shuangyong")
def test_no_space_after_full_width_punctuation(args: list[str], width: int) -> None:
    text = help_page(args, width)
    stray = [
        line
        for line in text.splitlines()
        if re.search(f"[{FULL_WIDTH_PUNCTUATION}][ \u3000]+\\S", line)
    ]
    assert stray == []


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("args", HELP_PAGES, ids=lambda a: a[0] if a else "shuangyong")
def test_help_lines_fit_the_terminal(args: list[str], width: int) -> None:
    """Wrapped by display width (a Chinese character takes two columns): no line is wider than
    the terminal, except the examples (a command line is not broken)."""
    wide = [
        line
        for line in help_page(args, width).splitlines()
        if display_width(line) > width and not line.lstrip().startswith("shuangyong ")
    ]
    assert wide == []


def test_a_paragraph_of_the_help_is_joined_without_a_space() -> None:
    assert help_page(["status"], 80).split("\n\n")[1:3] == [
        "  截止前看报送进度：已报、未报、有误、逾期、重复各多少个单位，未报单位的联系人和\n"
        "  电话，离截止日期还有几天。",
        "  与 merge 一样逐一读取和校验收到的报表（状态的判断与汇总表“报送情况”相同），但\n"
        "  不写出任何文件；加 --export 时只写出催报名单。",
    ]
    validate = help_page(["validate"], 100).splitlines()
    assert validate[4:6] == [
        "  可以给出文件，也可以给出文件夹（包括其中的子文件夹）；Excel/WPS 的临时锁定文件（~$ "
        "开头等）自动跳",
        "  过。格式按文件内容识别，.xlsx、.xls、.et 均可。",
    ]
    jobs = next(i for i, line in enumerate(validate) if line.startswith("  -j, --jobs 整数"))
    joined = validate[jobs] + validate[jobs + 1].strip()  # wrapped where the terminal ends
    assert joined.endswith("（文件少于 8 个时不开进程）。[不小于 0]")


def test_opening_punctuation_does_not_end_a_line() -> None:
    for args in HELP_PAGES:
        for width in (60, 80, 100):
            lines = help_page(args, width).splitlines()
            assert [line for line in lines if line.endswith(("（", "“", "《"))] == []


@pytest.mark.parametrize("args", HELP_PAGES, ids=lambda a: a[0] if a else "shuangyong")
def test_every_value_has_a_chinese_name(args: list[str]) -> None:
    text = help_page(args, 100)
    usage = text.splitlines()[0]
    assert usage.startswith(f"用法：{' '.join(['shuangyong', *args])} ")
    assert set(usage.split(" ")[1 + len(args) :]) <= ARGUMENT_METAVARS
    options = text.split("\n选项：\n", 1)[1].split("\n\n", 1)[0]
    shown = set()
    for line in options.splitlines():
        if not line.startswith("  -"):
            continue
        term = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        shown.update(w for w in re.split(r",? ", term) if not w.startswith("-"))
    assert shown <= METAVARS, shown - METAVARS
    if args and args[0] != "form":  # form's subcommands take the definition as an argument
        assert "文件" in shown  # --form
    if args == ["validate"]:
        assert "  --annotate 文件夹  " in text


def test_a_value_given_to_an_on_off_option() -> None:
    result = run("merge", "回收", "-o", "汇总.xlsx", "--strict=yes")
    assert result.exit_code == 2
    assert result.stderr.endswith("错误：选项“--strict”后面不能带值\n")
