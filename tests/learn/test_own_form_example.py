"""The example of README「用自己的表」 (examples/自己的表, written by examples/make_own_form.py):
the definition is what ``form new`` learns from the blank today, and the season's numbers are
exactly the hand sums of the returns."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from shuangyong_cli.cli import cli

HERE = Path(__file__).resolve().parents[2] / "examples" / "自己的表"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


def test_the_definition_is_what_form_new_learns_today(tmp_path: Path) -> None:
    out = HERE / "春节慰问.toml"
    again = tmp_path / "春节慰问.toml"
    assert run("form", "new", HERE / "春节慰问统计表.xlsx", "-o", again, "-q").exit_code == 0
    mine = [x for x in again.read_text("utf-8").splitlines() if not x.startswith("blank =")]
    committed = [x for x in out.read_text("utf-8").splitlines() if not x.startswith("blank =")]
    assert mine == committed
    assert 'blank = "春节慰问统计表.xlsx"' in out.read_text("utf-8")


def test_the_season_on_the_own_blank(tmp_path: Path) -> None:
    form, roster = HERE / "春节慰问.toml", HERE / "名册.csv"
    summary, inbox = tmp_path / "汇总.xlsx", HERE / "回收"
    result = run("merge", "--form", form, inbox, "--roster", roster, "-o", summary, "--json")
    assert result.exit_code == 1, result.output  # 黑溪镇's return does not count; two not reported
    data = json.loads(result.stdout)
    found = {f["path"]: [(x["code"], x["cell"]) for x in f["findings"]] for f in data["files"]}
    assert found == {
        "城东街道.xlsx": [],  # 女 0 in a row with 男 and money: the money has its quantity
        "城南街道.xlsx": [],
        "石会镇.xlsx": [],
        "黑溪镇.xlsx": [("value.guess", "F6"), ("calc.mismatch", "E5"), ("merge.excluded", "")],
    }
    wb = openpyxl.load_workbook(summary)
    assert wb["分单位明细"]["A1"].value == "汇总 分单位明细（金额单位：元）"
    chart = wb["图表"]
    assert chart["A1"].value == "汇总 各类单位金额（元）"
    assert [c.value for c in chart[2]] == [
        "单位类别",
        "单位数",
        "慰问金（元）",
        "慰问人数（人）合计",
    ]
    rows = [list(r) for r in chart.iter_rows(min_row=3, max_col=4, values_only=True) if r[0]]
    assert rows[-1] == ["合计", 3, 39200, 50]
    # The returns that count (examples/make_own_form.py), summed by hand: rows 1-4 of
    # 城东街道, 城南街道 and 石会镇 as (男, 女, 慰问金).
    counted = [
        [(3, 1, 2400), (2, 2, 3200), (1, 0, 800), (4, 2, 4800)],
        [(2, 0, 1600), (1, 1, 1600), (0, 1, 800), (3, 3, 4800)],
        [(5, 2, 5600), (3, 1, 3200), (2, 1, 2400), (6, 4, 8000)],
    ]
    total = data["totals"]["total"]
    for i in range(4):
        assert total[f"r{i + 1}.male"] == str(sum(unit[i][0] for unit in counted))
        assert total[f"r{i + 1}.c6"] == str(sum(unit[i][2] for unit in counted))
    assert total["total.sum"] == str(sum(m + w for unit in counted for m, w, _ in unit)) == "50"
    assert total["total.c6"] == str(sum(y for unit in counted for _, _, y in unit)) == "39200"
    text = run("merge", "--form", form, inbox, "--roster", roster, "-o", summary, "--force")
    closing = text.stdout.split("错误 2 个，警告 2 个。\n")[-1]
    assert " ".join(closing.split()) == (
        "计入汇总 3 份报表（3 个单位）；未计入 1 份；名册 6 个单位中未报 2 个。"
        "合计：男 32 人，女 18 人，合计 50 人，慰问金（元） 39200.00。"
    )  # the closing line, joined where the terminal wrapped it
