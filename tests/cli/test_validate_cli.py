"""`shuangyong validate` as a whole command: exit codes, output, JSON, report, annotate."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from conftest import Season
from returnfiles import RETURNS, ROSTER_CSV, SPEC, plausible, write_return
from shuangyong_cli.cli.app import cli
from shuangyong_cli.season.inbox import validate_paths
from shuangyong_cli.season.roster import load_roster


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def inbox(season_folder: Season) -> Path:
    """Two clean returns (the shared season's), read without their roster."""
    return season_folder.inbox


def test_clean_returns_pass_with_exit_0(inbox: Path) -> None:
    result = run("validate", inbox)
    assert result.exit_code == 0, result.output
    assert (
        result.stdout.splitlines()[-1]
        == "共 2 个文件：2 个通过，0 个有错误；错误 0 个，警告 0 个。"
    )


def test_an_error_gives_exit_1_with_cell_and_fix(inbox: Path) -> None:
    values = plausible(3, "乡镇")
    values[("troops", "cash")] = "约5"
    write_return(inbox / "石会镇.xlsx", "石会镇", values)
    result = run("validate", inbox)
    assert result.exit_code == 1, result.output
    assert "E6" in result.stdout
    assert "约5" in result.stdout
    assert (
        result.stdout.splitlines()[-1]
        == "共 3 个文件：2 个通过，1 个有错误；错误 1 个，警告 0 个。"
    )


def test_unreadable_files_are_named_and_the_run_goes_on(inbox: Path) -> None:
    (inbox / "空文件.xlsx").write_bytes(b"")
    (inbox / "截断.xlsx").write_bytes((inbox / "城东街道.xlsx").read_bytes()[:500])
    (inbox / "导出.xls").write_text("单位,数量\n民政局,3\n", encoding="gbk")
    (inbox / "~$城东街道.xlsx").write_bytes(b"lock")
    result = run("validate", inbox, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    codes = {f["path"]: [x["code"] for x in f["findings"]] for f in data["files"]}
    assert codes == {
        "城东街道.xlsx": [],
        "导出.xls": ["file.not_workbook"],
        "截断.xlsx": ["file.truncated"],
        "濯水镇.xlsx": [],
        "空文件.xlsx": ["file.empty"],
    }
    assert data["summary"] == {
        "files": 5,
        "files_with_errors": 3,
        "errors": 3,
        "warnings": 0,
        "infos": 0,
    }


def test_json_equals_the_library_report() -> None:
    result = run("validate", RETURNS, "--roster", ROSTER_CSV, "--json")
    assert result.exit_code == 1
    report = validate_paths([RETURNS], SPEC, roster=load_roster(ROSTER_CSV, SPEC))
    assert json.loads(result.stdout) == report.to_dict()


def test_inputs_unchanged_after_report_and_annotate(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    shutil.copytree(RETURNS, inbox)
    before = snapshot(inbox)
    out = tmp_path / "退回"
    report = tmp_path / "校验结果.xlsx"
    result = run(
        "validate", inbox, "--roster", ROSTER_CSV, "--report", report, "--annotate", out, "-q"
    )
    assert result.exit_code == 1, result.output
    assert snapshot(inbox) == before
    wb = openpyxl.load_workbook(report)
    assert wb.sheetnames[0] == "校验结果"
    copies = sorted(p.name for p in out.iterdir())
    assert "城西街道-八一统计表-校验意见.xlsx" in copies
    flagged = openpyxl.load_workbook(out / "城西街道-八一统计表-校验意见.xlsx")
    assert flagged.sheetnames[0] == "校验意见"
    ws = flagged["统计表"]
    commented = [c.coordinate for row in ws.iter_rows() for c in row if c.comment]
    assert commented, "the flagged cell carries a comment"


def test_annotate_dir_inside_the_inbox_is_refused(inbox: Path) -> None:
    result = run("validate", inbox, "--annotate", inbox / "退回")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：批注副本文件夹")
    assert not (inbox / "退回").exists()


def test_report_over_an_input_is_refused(inbox: Path) -> None:
    target = inbox / "城东街道.xlsx"
    before = target.read_bytes()
    result = run("validate", target, "--report", target, "--force")
    assert result.exit_code == 2
    assert "就是输入文件" in result.stderr
    assert target.read_bytes() == before


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "没有这个文件夹")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"错误：找不到文件或文件夹：{tmp_path / '没有这个文件夹'}"


def test_read_only_inputs_are_read(inbox: Path) -> None:
    for p in inbox.iterdir():
        os.chmod(p, 0o444)
    result = run("validate", inbox)
    assert result.exit_code == 0, result.output


def test_jobs_give_the_same_report(inbox: Path) -> None:
    for i in range(10):
        write_return(inbox / f"单位{i}.xlsx", f"单位{i}", plausible(i + 10, "乡镇"))
    one = run("validate", inbox, "--json", "-j", "1")
    two = run("validate", inbox, "--json", "-j", "2")
    assert one.exit_code == two.exit_code == 0
    assert json.loads(one.stdout) == json.loads(two.stdout)


def test_the_installed_command_flushes_all_output_and_keeps_the_exit_code() -> None:
    """The installed entry point (``python -m shuangyong_cli``) writes every byte of the output
    and exits with the command's code."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    command = [sys.executable, "-m", "shuangyong_cli", "validate", str(RETURNS)]
    piped = subprocess.run([*command, "--json"], capture_output=True, env=env, check=False)
    assert piped.returncode == 1
    assert json.loads(piped.stdout) == json.loads(run("validate", RETURNS, "--json").output)
    text = subprocess.run(command, capture_output=True, env=env, check=False)
    assert text.returncode == 1
    assert text.stdout.decode().rstrip().endswith(run("validate", RETURNS).output.rstrip())
    usage = subprocess.run([*command, "--jobs", "x"], capture_output=True, env=env, check=False)
    assert usage.returncode == 2
    assert usage.stderr.decode().rstrip().endswith("应为不小于 0 的整数")
    clean = subprocess.run(
        [sys.executable, "-m", "shuangyong_cli", "--version"], capture_output=True, check=False
    )
    assert (clean.returncode, clean.stdout.decode().split()[0]) == (0, "shuangyong")


def test_one_file_given_by_name(filled_return: Path) -> None:
    result = run("validate", filled_return)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"✔ {filled_return}  城东街道  通过",  # a file named on the command line: as given
        "",
        "共 1 个文件：1 个通过，0 个有错误；错误 0 个，警告 0 个。",
    ]


def test_annotate_into_last_runs_copies_is_refused_before_reading(
    tmp_path: Path, season_folder: Season
) -> None:
    bad = season_folder.inbox / "石会镇.xlsx"
    write_return(bad, "石会镇", {("troops", "qty"): "约5"})
    back = tmp_path / "退回"
    assert run("validate", season_folder.inbox, "--annotate", back).exit_code == 1
    assert sorted(p.name for p in back.iterdir()) == ["石会镇-校验意见.xlsx"]
    earlier = (back / "石会镇-校验意见.xlsx").read_bytes()
    again = run("validate", season_folder.inbox, "--annotate", back)
    assert again.exit_code == 2
    assert again.stdout == ""  # refused before any file was read
    assert again.stderr == (
        f"错误：批注副本文件夹 {back} 中已有上次的批注副本（石会镇-校验意见.xlsx）；"
        "如要覆盖，请加 --force，或另选一个文件夹\n"
    )
    assert (back / "石会镇-校验意见.xlsx").read_bytes() == earlier
    assert run("validate", season_folder.inbox, "--annotate", back, "--force").exit_code == 1
