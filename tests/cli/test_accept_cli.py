"""元 typed in a 万元 cell: an error that keeps the return out until the unit corrects it, or
the clerk accepts that one cell with ``--accept 文件:单元格``."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from returnfiles import SPEC, write_return
from shuangyong_cli.cli.app import cli
from shuangyong_cli.writing.template_layout import template_positions

POS = template_positions(SPEC)
CELL = POS.cell("military_family", "cash")  # E11


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture
def season(tmp_path: Path) -> tuple[Path, Path]:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    good = {("military_family", "qty"): 10, ("military_family", "cash"): Decimal("2.4")}
    write_return(inbox / "甲镇.xlsx", "甲镇", good)
    typed_in_yuan = {("military_family", "qty"): 12, ("military_family", "cash"): 24000}
    write_return(inbox / "乙镇.xlsx", "乙镇", typed_in_yuan)
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,单位类别,联系人,联系电话\n甲镇,乡镇,张三,1\n乙镇,乡镇,李四,2\n", "utf-8"
    )
    return inbox, roster


def test_yuan_in_a_wan_cell_keeps_the_return_out_of_the_totals(
    season: tuple[Path, Path], tmp_path: Path
) -> None:
    inbox, roster = season
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    yi = next(f for f in data["files"] if f["path"] == "乙镇.xlsx")
    assert yi["included"] is False
    (error,) = [f for f in yi["findings"] if f["severity"] == "error"]
    assert (error["code"], error["cell"]) == ("value.implausible", CELL)
    assert "24000 元 = 2.4 万元，请改为 2.4（万元）" in error["message"]
    ws = openpyxl.load_workbook(out)["汇总表"]
    assert ws[POS.cell("total", "cash")].value == 2.4  # 甲镇 alone, not 24002.4
    # the chase list names the file and the fix
    chase = tmp_path / "催报名单.xlsx"
    run("status", inbox, "--roster", roster, "--export", chase, "--today", "2020-08-12")
    texts = [
        str(c)
        for row in openpyxl.load_workbook(chase).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert any("乙镇" in t for t in texts)
    assert any("请改为 2.4（万元）" in t for t in texts)


def test_accept_counts_the_cell_and_records_the_decision(
    season: tuple[Path, Path], tmp_path: Path
) -> None:
    inbox, roster = season
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--accept", f"乙镇.xlsx:{CELL}")
    assert result.exit_code == 0, result.output
    assert f"已确认（--accept）：乙镇.xlsx {CELL}「军属 / 慰问金」= 24000，按所填的数计入。" in (
        result.stderr.replace("\n", "")
    )
    wb = openpyxl.load_workbook(out)
    assert wb["汇总表"][POS.cell("total", "cash")].value == 24002.4
    files = {row[1]: row for row in wb["来源文件"].iter_rows(min_row=3, values_only=True)}
    assert files["乙镇.xlsx"][7] == "计入"
    assert files["乙镇.xlsx"][8] == f"经办人已核实确认（--accept）：{CELL}＝24000"
    # validate says the same: a warning now, not an error
    accept = (
        f"{inbox.name}\\乙镇.xlsx:{CELL.lower()}"  # a folder, a Windows path, a lower-case cell
    )
    checked = run("validate", inbox, "--accept", accept, "--json")
    assert checked.exit_code == 0, checked.output
    codes = [f["code"] for r in json.loads(checked.stdout)["files"] for f in r["findings"]]
    assert "value.accepted" in codes and "value.implausible" not in codes


@pytest.mark.parametrize(
    "accept, says",
    [
        ("乙镇.xlsx:E12", "没有对应的“金额偏大”错误"),
        ("丙镇.xlsx:E11", "没有对应的“金额偏大”错误"),
        ("乙镇.xlsx", "应为 文件名:单元格"),
    ],
)
def test_an_accept_that_matches_nothing_stops_the_run(
    season: tuple[Path, Path], tmp_path: Path, accept: str, says: str
) -> None:
    inbox, _ = season
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "-o", out, "--accept", accept)
    assert result.exit_code == 2
    assert says in result.stderr
    assert not out.exists()


def test_the_same_cell_accepted_twice_is_one_acceptance(
    season: tuple[Path, Path], tmp_path: Path
) -> None:
    inbox, _ = season
    twice = ("--accept", f"乙镇.xlsx:{CELL}", "--accept", f"乙镇.xlsx:{CELL.lower()}")
    result = run("merge", inbox, "-o", tmp_path / "汇总.xlsx", *twice)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("已确认（--accept）") == 1
