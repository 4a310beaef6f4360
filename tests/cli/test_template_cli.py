from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from shuangyong_cli.cli.app import cli
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.model.identity import META_SHEET

SPEC = load_form()
TITLE_FILE = f"{SPEC.title}.xlsx"

ROSTER = """单位名称,单位类别,别名,联系人,联系电话
城西街道,街道,,张三,023-79222222
黔江区民政局,区级部门,区民政局,李四,13800000000
濯水镇,乡镇,,赵六,
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"NO_COLOR": "1", "TERM": "dumb"})


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：")
    return lines[0]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def roster_file(tmp_path: Path, text: str = ROSTER) -> Path:
    path = tmp_path / "名册.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_help_is_chinese() -> None:
    result = run("template", "--help")
    assert result.exit_code == 0
    assert "生成空白统计表" in result.output
    assert "--out-dir" in result.output
    assert "默认在当前文件夹写“表名.xlsx”" in result.output


def test_default_run_writes_the_title_file(tmp_path: Path) -> None:
    result = run("template")
    assert result.exit_code == 0, result.output
    out = tmp_path / TITLE_FILE
    assert result.stdout == f"已生成空白统计表：{out}\n"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["统计表", META_SHEET]
    assert wb["统计表"]["A2"].value == SPEC.title
    assert wb["统计表"]["C3"].value is None


def test_output_option_and_password(tmp_path: Path) -> None:
    result = run("template", "-o", "八一统计表.xlsx", "--password", "pw")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(tmp_path / "八一统计表.xlsx")["统计表"]
    assert ws.protection.sheet is True and ws.protection.password


def test_existing_output_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "统计表.xlsx"
    out.write_bytes(b"old")
    line = one_error_line(run("template", "-o", "统计表.xlsx"))
    assert line == "错误：统计表 统计表.xlsx 已存在；如要覆盖，请加 --force"
    assert out.read_bytes() == b"old"
    result = run("template", "-o", "统计表.xlsx", "--force")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == ["统计表", META_SHEET]


def test_roster_writes_one_copy_per_unit(tmp_path: Path) -> None:
    roster = roster_file(tmp_path)
    result = run("template", "--roster", str(roster), "--out-dir", "下发")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "已为 3 个单位生成统计表，保存在 下发：",
        "  城西街道\t城西街道-统计表.xlsx",
        "  黔江区民政局\t黔江区民政局-统计表.xlsx",
        "  濯水镇\t濯水镇-统计表.xlsx",
    ]
    files = sorted((tmp_path / "下发").iterdir())
    assert [p.name for p in files] == [
        "城西街道-统计表.xlsx",
        "濯水镇-统计表.xlsx",
        "黔江区民政局-统计表.xlsx",
    ]
    for p in files:
        assert openpyxl.load_workbook(p)["统计表"]["C3"].value == p.name.split("-")[0]


def test_roster_copies_need_force_to_overwrite(tmp_path: Path) -> None:
    roster = roster_file(tmp_path)
    assert run("template", "--roster", str(roster), "--out-dir", "下发").exit_code == 0
    line = one_error_line(run("template", "--roster", str(roster), "--out-dir", "下发"))
    assert (
        line == "错误：文件夹 下发 中已有 城西街道-统计表.xlsx 等 3 个文件；如要覆盖，请加 --force"
    )
    result = run("template", "--roster", str(roster), "--out-dir", "下发", "--force")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--roster", "名册.csv"), "使用 --roster 时请用 --out-dir 指定存放各单位统计表的文件夹"),
        (("--out-dir", "下发"), "--out-dir 需要与 --roster 一起使用"),
        (("--roster", "名册.csv", "--out-dir", "下发", "-o", "a.xlsx"), "-o 用于生成一份空白表"),
    ],
)
def test_option_combinations(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    roster_file(tmp_path)
    result = run("template", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["名册.csv"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "名称,类别\n城西街道,街道\n",
            "缺少“单位名称”列（第 1 行的列为：名称、类别）；表头应包含 单位名称、单位类别",
        ),
        ("单位名称,单位类别\n城西街道,街道\n,乡镇\n", "第 3 行：单位名称为空"),
        (
            "单位名称,单位类别\n城西街道,街道\n濯水镇,乡镇\n城西街道,街道\n",
            "第 2 行和第 4 行的单位名称“城西街道”重复；每个单位只能列一次",
        ),
        ("单位名称,单位类别\n城西街道,街办\n", "第 2 行（城西街道）：单位类别为“街办”"),
    ],
)
def test_bad_roster_writes_nothing(tmp_path: Path, text: str, message: str) -> None:
    roster = roster_file(tmp_path, text)
    line = one_error_line(run("template", "--roster", str(roster), "--out-dir", "下发"))
    assert line.startswith(f"错误：名册 {roster} ")
    assert message in line
    assert not (tmp_path / "下发").exists()


def test_out_dir_under_a_file_writes_nothing(tmp_path: Path) -> None:
    roster = roster_file(tmp_path)
    line = one_error_line(run("template", "--roster", str(roster), "--out-dir", "名册.csv/下发"))
    assert line == "错误：无法创建文件夹 名册.csv/下发：名册.csv 是一个文件，不是文件夹"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["名册.csv"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_unwritable_out_dir_writes_nothing(tmp_path: Path) -> None:
    roster = roster_file(tmp_path)
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        line = one_error_line(run("template", "--roster", str(roster), "--out-dir", "只读"))
        assert line.startswith("错误：无法在文件夹 只读 中写入文件")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_bad_form_definition(tmp_path: Path) -> None:
    form = tmp_path / "表.toml"
    form.write_text("[form]\n", encoding="utf-8")
    line = one_error_line(run("template", "--form", str(form)))
    assert line.startswith(f"错误：表式定义 {form} 中 ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["表.toml"]
