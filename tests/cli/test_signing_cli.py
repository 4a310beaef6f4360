"""What a clerk signs: a copy used by another unit, an empty inbox, the summary's date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from returnfiles import SPEC
from shuangyong_cli.cli.app import cli
from shuangyong_cli.writing.template_layout import template_positions

POS = template_positions(SPEC)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


def fill(copy: Path, out: Path, unit: str, qty: int = 2) -> Path:
    """A unit fills in a copy made by ``template --roster``: 填报单位 typed over, one number."""
    wb = openpyxl.load_workbook(copy)
    ws = wb[SPEC.sheet]
    ws[POS.field_cell("unit")] = unit
    ws[POS.cell("troops", "qty")] = qty
    ws[POS.field_cell("date")] = dt.datetime(2020, 8, 10)
    wb.save(out)
    return out


def test_a_copy_made_for_one_unit_filled_in_by_another(tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n濯水镇,乡镇\n石家镇,乡镇\n", encoding="utf-8")
    assert run("template", "--roster", roster, "--out-dir", tmp_path / "下发").exit_code == 0
    inbox = tmp_path / "回收"
    inbox.mkdir()
    fill(tmp_path / "下发" / "濯水镇-统计表.xlsx", inbox / "濯水镇.xlsx", "石家镇")
    result = run("validate", inbox, "--roster", roster, "--json")
    (f,) = [f for r in json.loads(result.stdout)["files"] for f in r["findings"]]
    assert (f["code"], f["severity"], f["cell"]) == ("roster.other_units_copy", "warning", "C3")
    assert f["message"] == (
        "这份表是按名册发给“濯水镇”的，填报单位却是“石家镇”。请核实是哪个单位的报表：如是“石家镇”"
        "的，今后请用发给本单位的表；如是“濯水镇”的，请改正填报单位。"
    )
    out = tmp_path / "汇总.xlsx"
    assert run("merge", inbox, "--roster", roster, "-o", out).exit_code == 1  # 濯水镇 未报
    rows = {r[2]: r for r in openpyxl.load_workbook(out)["报送情况"].iter_rows(values_only=True)}
    assert rows["濯水镇"][3] == "未报"
    assert rows["濯水镇"][8] == "濯水镇.xlsx 用的是发给本单位的表，填报单位却是“石家镇”，请核实"
    assert rows["石家镇"][3] == "已报"
    assert rows["石家镇"][8] == "所用的表是发给“濯水镇”的，请核实"


def test_a_file_named_for_another_unit_is_a_weaker_hint(tmp_path: Path, blank_form: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n濯水镇,乡镇\n石家镇,乡镇\n", encoding="utf-8")
    blank = blank_form
    inbox = tmp_path / "回收"
    inbox.mkdir()
    fill(blank, inbox / "濯水镇八一统计表.xlsx", "石家镇")
    fill(blank, inbox / "石家镇.xlsx", "石家镇")
    result = run("validate", inbox, "--roster", roster, "--json", "-v")
    found = {
        r["path"]: [f["code"] for f in r["findings"]] for r in json.loads(result.stdout)["files"]
    }
    assert found["濯水镇八一统计表.xlsx"] == ["roster.duplicate", "roster.file_name_other"]
    assert found["石家镇.xlsx"] == ["roster.duplicate"]


def test_a_return_sent_again_with_its_name_corrected_counts_once(tmp_path: Path) -> None:
    """黄溪镇 typed 黄西镇 (in no roster) in its own copy, then sent it again with the name
    corrected: the same numbers on a copy issued to 黄溪镇 are 黄溪镇's return, counted once
    (they were counted twice, once under 未列入名册)."""
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n黄溪镇,乡镇\n黎水镇,乡镇\n", encoding="utf-8")
    assert run("template", "--roster", roster, "--out-dir", tmp_path / "下发").exit_code == 0
    inbox = tmp_path / "回收"
    inbox.mkdir()
    copy = tmp_path / "下发" / "黄溪镇-统计表.xlsx"
    fill(copy, inbox / "黄溪镇-统计表.xlsx", "黄西镇")
    fill(copy, inbox / "黄溪镇-统计表（更正）.xlsx", "黄溪镇")
    result = run("validate", inbox, "--roster", roster, "--json")
    got = {r["path"]: r for r in json.loads(result.stdout)["files"]}
    slip = got["黄溪镇-统计表.xlsx"]
    assert slip["roster_unit"] == "黄溪镇"
    assert [(f["code"], f["message"]) for f in slip["findings"]] == [
        (
            "roster.near_match",
            "填报单位“黄西镇”与名册不完全一致，这份表是按名册发给“黄溪镇”的，数值与其报表 "
            "黄溪镇-统计表（更正）.xlsx 完全相同，按“黄溪镇”处理；今后请填写全称“黄溪镇”。",
        ),
        (
            "roster.duplicate",
            "“黄溪镇”报送了不止一份报表（另见：黄溪镇-统计表（更正）.xlsx）；汇总时只计一份，"
            "请确认哪一份为准。",
        ),
    ]
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--json")
    assert json.loads(result.stdout)["totals"]["total"]["troops.qty"] == "2"  # once, not 4
    rows = {r[2]: r for r in openpyxl.load_workbook(out)["报送情况"].iter_rows(values_only=True)}
    assert rows["黄溪镇"][3] == "重复"  # two files for it; one counts
    assert "黄西镇" not in rows


def test_a_file_named_for_a_unit_with_its_numbers_is_that_units(
    tmp_path: Path, blank_form: Path
) -> None:
    """No record of whom a blank was sent to: the file's name (黄溪镇八一统计表) is the clue,
    and the same numbers as 黄溪镇's own return make it the same return. Alone, or with other
    numbers, a name in no roster is a unit of its own."""
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n黄溪镇,乡镇\n黎水镇,乡镇\n", encoding="utf-8")
    inbox = tmp_path / "回收"
    inbox.mkdir()
    fill(blank_form, inbox / "黄溪镇八一统计表.xlsx", "黄西镇")
    fill(blank_form, inbox / "黄溪镇.xlsx", "黄溪镇")
    fill(blank_form, inbox / "黎水镇八一统计表.xlsx", "黎小镇", qty=3)
    fill(blank_form, inbox / "黎水镇.xlsx", "黎水镇")
    result = run("validate", inbox, "--roster", roster, "--json")
    got = {r["path"]: r for r in json.loads(result.stdout)["files"]}
    assert got["黄溪镇八一统计表.xlsx"]["roster_unit"] == "黄溪镇"
    assert got["黄溪镇八一统计表.xlsx"]["findings"][0]["message"] == (
        "填报单位“黄西镇”与名册不完全一致，文件名中是“黄溪镇”，数值与其报表 黄溪镇.xlsx 完全相同，"
        "按“黄溪镇”处理；今后请填写全称“黄溪镇”。"
    )
    other = got["黎水镇八一统计表.xlsx"]
    assert other["roster_unit"] == ""
    assert [(f["code"], f["severity"]) for f in other["findings"]] == [
        ("roster.unknown_unit", "warning"),
        ("roster.file_name_other", "warning"),  # a 提示, but 黎水镇 sent its own return too
    ]
    assert other["findings"][1]["message"].endswith(
        "“黎水镇”另有报表 黎水镇.xlsx；如这份也是“黎水镇”的，汇总时会重复计算，"
        "请只保留一份后重新汇总。"
    )


def test_the_same_numbers_are_not_claimed_over_a_refused_cell(
    tmp_path: Path, blank_form: Path
) -> None:
    """A refused cell counts 0: a return with one (an error) is not said to hold the same
    numbers as another, and neither is taken for the other."""
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n城东街道,街道\n城西街道,街道\n", encoding="utf-8")
    inbox = tmp_path / "回收"
    inbox.mkdir()
    own = fill(blank_form, inbox / "城东街道（更正）.xlsx", "城东街道")
    wb = openpyxl.load_workbook(own)
    wb[SPEC.sheet][POS.cell("veterans", "qty")] = "约3"
    wb.save(own)
    fill(blank_form, inbox / "城东街道八一统计表.xlsx", "城冬街道")
    result = run("validate", inbox, "--roster", roster, "--json")
    got = {r["path"]: r for r in json.loads(result.stdout)["files"]}
    assert got["城东街道八一统计表.xlsx"]["roster_unit"] == ""
    assert "roster.near_match" not in {
        f["code"] for f in got["城东街道八一统计表.xlsx"]["findings"]
    }


def test_another_unit_in_a_copy_passed_on_is_counted_on_its_own(tmp_path: Path) -> None:
    """城南街道 (not in the roster) filled in the copy 城东街道 passed on, with its own numbers,
    and 城东街道 sent its own: both count, and the copy's warning says both were counted."""
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n城东街道,街道\n城西街道,街道\n", encoding="utf-8")
    assert run("template", "--roster", roster, "--out-dir", tmp_path / "下发").exit_code == 0
    inbox = tmp_path / "回收"
    inbox.mkdir()
    copy = tmp_path / "下发" / "城东街道-统计表.xlsx"
    fill(copy, inbox / "城南街道.xlsx", "城南街道", qty=5)
    fill(copy, inbox / "城东街道.xlsx", "城东街道")
    result = run("validate", inbox, "--roster", roster, "--json")
    got = {r["path"]: r for r in json.loads(result.stdout)["files"]}
    assert got["城南街道.xlsx"]["roster_unit"] == ""
    copy_warning = next(
        f for f in got["城南街道.xlsx"]["findings"] if f["code"] == "roster.other_units_copy"
    )
    assert copy_warning["message"].endswith(
        "“城东街道”另有报表 城东街道.xlsx；如这份也是“城东街道”的，汇总时会重复计算，"
        "请只保留一份后重新汇总。"
    )
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--json")
    assert json.loads(result.stdout)["totals"]["total"]["troops.qty"] == "7"


@pytest.mark.parametrize("command", ["validate", "merge"])
@pytest.mark.parametrize("content", [[], ["~$甲.xlsx", "Thumbs.db"]])
def test_no_returns_found_is_exit_2_naming_the_folder(
    tmp_path: Path, command: str, content: list[str]
) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    for name in content:
        (inbox / name).write_bytes(b"x")
    args = ["-o", tmp_path / "汇总.xlsx"] if command == "merge" else []
    result = run(command, inbox, *args)
    assert result.exit_code == 2
    message = result.stderr.replace("\n", "")
    assert message.startswith(f"错误：在 {inbox} 中没有找到报表：")
    assert "不读 ~$…、.~lock.…#" in message
    assert ("只有 2 个锁定文件或系统文件，已跳过" in message) == bool(content)


def test_status_on_an_empty_inbox_shows_everyone_missing(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n濯水镇,乡镇\n", encoding="utf-8")
    result = run("status", inbox, "--roster", roster, "--json", "--today", "2020-08-01")
    assert result.exit_code == 1
    assert [u["name"] for u in json.loads(result.stdout)["missing"]] == ["濯水镇"]


def test_the_summary_is_dated_the_day_of_the_merge(tmp_path: Path, blank_form: Path) -> None:
    blank = blank_form
    inbox = tmp_path / "回收"
    inbox.mkdir()
    fill(blank, inbox / "石家镇.xlsx", "石家镇")  # dated 2020-08-10
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "-o", out)
    assert result.exit_code == 0, result.output
    today = dt.date.today()
    assert f"汇总表日期：{today.isoformat()}（今天，可用 --date 另定）。" in result.stderr
    ws = openpyxl.load_workbook(out)["汇总表"]
    assert ws[POS.field_cell("date")].value.date() == today
    result = run("merge", inbox, "-o", out, "--force", "--date", "2020.8.15")
    assert "汇总表日期：2020-08-15（--date 指定）。" in result.stderr
    ws = openpyxl.load_workbook(out)["汇总表"]
    assert ws[POS.field_cell("date")].value.date() == dt.date(2020, 8, 15)
