"""click's own messages in Chinese: usage errors exactly as a clerk sees them, and help pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from shuangyong_cli.cli import cli
from shuangyong_cli.usage import short_help
from shuangyong_cli.xlsx_text import display_width


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
            + "错误：没有“hebing”这个命令；可用的命令：merge、status、template、validate\n",
        ),
        (["--bad"], GROUP_USAGE + "错误：没有“--bad”这个选项\n"),
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
