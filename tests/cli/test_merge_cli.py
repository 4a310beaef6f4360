"""`shuangyong merge` as a whole command: totals, statuses, safety, exit codes, roll-up."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from conftest import Season
from returnfiles import SPEC, input_sum, plausible, write_return
from shuangyong_cli.cli.app import cli
from shuangyong_cli.writing.template_layout import template_positions

CATEGORIES = [
    "乡镇",
    "街道",
    "区委各部委",
    "区级国家机关各部门",
    "人民团体",
    "区属企事业单位",
    "驻黔部队",
]
POS = template_positions(SPEC)


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


@pytest.fixture
def season(tmp_path: Path) -> tuple[Path, Path, list[dict[tuple[str, str], object]]]:
    """35 roster units in every category; 32 returns, of which one has an error and one is an
    identical duplicate; three roster units have not reported."""
    inbox = tmp_path / "回收"
    inbox.mkdir()
    lines = ["单位名称,单位类别,别名,联系人,联系电话"]
    good: list[dict[tuple[str, str], object]] = []
    for i in range(35):
        category = CATEGORIES[i % len(CATEGORIES)]
        unit = f"测试单位{i:02d}"
        lines.append(f"{unit},{category},,联系人{i},023-7922{i:04d}")
        if i >= 32:
            continue  # 未报
        values = plausible(i, category)
        if i == 5:
            values[("troops", "qty")] = "若干"  # an error: excluded
        else:
            good.append(values)
        write_return(inbox / f"{unit}.xlsx", unit, values)
    (inbox / "测试单位01（重发）.xlsx").write_bytes((inbox / "测试单位01.xlsx").read_bytes())
    roster = tmp_path / "名册.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return inbox, roster, good


def totals_sheet(path: Path) -> dict[tuple[str, str], Decimal]:
    ws = openpyxl.load_workbook(path)["汇总表"]
    out = {}
    for row, col, kind in SPEC.cells():
        if col.kind is None or col.kind.value == "text" or kind.value == "na":
            continue
        v = ws[POS.cell(row.id, col.id)].value
        out[(row.id, col.id)] = Decimal(repr(v)) if isinstance(v, float) else Decimal(v or 0)
    return out


def test_totals_equal_the_hand_sum(season, tmp_path: Path) -> None:
    inbox, roster, good = season
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--name", "黔江区", "-q")
    assert result.exit_code == 1, result.output  # written; one file excluded, three units missing
    totals = totals_sheet(out)
    for cell in SPEC.input_cells():
        key = (cell[0].id, cell[1].id)
        if cell[1].kind is not None and cell[1].kind.value != "text":
            assert totals[key] == input_sum(good, key), key
    cash = sum((input_sum(good, (r, "cash")) for r in _money_rows()), Decimal(0))
    goods = sum((input_sum(good, (r, "goods")) for r in _money_rows()), Decimal(0))
    assert totals[("total", "cash")] == cash
    assert totals[("total", "subtotal")] == cash + goods
    assert "".join(result.stdout.splitlines()).endswith(
        "计入汇总 31 份报表（31 个单位）；未计入 2 份；名册 35 个单位中未报 3 个。"
        f"合计（万元）：慰问金 {cash:.2f}，物资折款 {goods:.2f}，小计 {cash + goods:.2f}。"
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:5] == ["汇总表", "分单位明细", "报送情况", "校验问题", "来源文件"]
    status = {r[0]: r for r in wb["报送情况"].iter_rows(values_only=True) if r and r[0]}
    text = "\n".join(" ".join(str(c) for c in r if c is not None) for r in status.values())
    for missing in ("测试单位32", "测试单位33", "测试单位34"):
        assert f"{missing}" in text
    assert "未报" in text and "有误" in text


def _money_rows() -> list[str]:
    return [r.id for r in SPEC.rows if r.kind("cash").value == "in"]


def test_same_inputs_give_identical_bytes(season, tmp_path: Path) -> None:
    inbox, roster, _ = season
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run("merge", inbox, "--roster", roster, "-o", a, "-q").exit_code == 1
    assert run("merge", inbox, "--roster", roster, "-o", b, "-q").exit_code == 1
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def test_strict_writes_nothing(season, tmp_path: Path) -> None:
    inbox, roster, _ = season
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--strict", "-q")
    assert result.exit_code == 3
    assert not out.exists()
    assert result.stdout.splitlines()[-1] == (
        "未写出汇总表：1 个文件有错误（--strict）；改正后重新汇总，或不加 --strict 汇总其余的报表。"
    )
    assert "计入汇总" not in result.stdout and result.stderr == ""


def test_nothing_usable_is_exit_3(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    (inbox / "坏.xlsx").write_bytes(b"PK\x03\x04broken")
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "-o", out)
    assert result.exit_code == 3
    assert not out.exists()


def test_output_inside_the_inbox_or_existing_is_refused(season, tmp_path: Path) -> None:
    inbox, _roster, _ = season
    result = run("merge", inbox, "-o", inbox / "汇总.xlsx")
    assert result.exit_code == 2
    assert "位于正在读取的文件夹" in result.stderr
    existing = tmp_path / "旧.xlsx"
    existing.write_bytes(b"old")
    result = run("merge", inbox, "-o", existing)
    assert result.exit_code == 2
    assert existing.read_bytes() == b"old"


def test_all_reported_is_exit_0(tmp_path: Path, season_folder: Season) -> None:
    roster = tmp_path / "全部已报.csv"
    roster.write_text("单位名称,单位类别\n城东街道,街道\n濯水镇,乡镇\n", encoding="utf-8")
    result = run("merge", season_folder.inbox, "--roster", roster, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 0, result.output


def test_a_unit_not_reported_is_exit_1(tmp_path: Path, season_folder: Season) -> None:
    out = tmp_path / "汇总.xlsx"
    result = run("merge", season_folder.inbox, "--roster", season_folder.roster, "-o", out)
    assert result.exit_code == 1, result.output
    assert out.exists()
    assert "⚠ 警告：黎水镇（乡镇）未报送。" in result.stdout
    assert "名册 3 个单位中未报 1 个。" in result.stdout


def test_formula_text_in_a_return_stays_text(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    values = plausible("x", "街道")
    values[("troops", "remark")] = '=HYPERLINK("http://example.com","点击")'
    write_return(inbox / "甲.xlsx", '=cmd|" /C calc"!A0', values)
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "-o", out, "-q")
    assert result.exit_code in (0, 1), result.output
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name
    wb = openpyxl.load_workbook(out)
    found = [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert '=HYPERLINK("http://example.com","点击")' in found
    assert '=cmd|" /C calc"!A0' in found


def test_roll_up_of_two_district_summaries(tmp_path: Path) -> None:
    sums: list[Path] = []
    everything: list[dict[tuple[str, str], object]] = []
    for district in ("甲区", "乙区"):
        inbox = tmp_path / district
        inbox.mkdir()
        for i in range(3):
            values = plausible(f"{district}{i}", "乡镇")
            everything.append(values)
            write_return(inbox / f"{i}.xlsx", f"{district}镇{i}", values)
        out = tmp_path / f"{district}汇总.xlsx"
        assert run("merge", inbox, "-o", out, "--name", district, "-q").exit_code == 0
        sums.append(out)
    city = tmp_path / "市汇总.xlsx"
    result = run("merge", *sums, "-o", city, "--name", "市", "-q")
    assert result.exit_code == 0, result.output
    totals = totals_sheet(city)
    for row, col in SPEC.input_cells():
        if col.kind is not None and col.kind.value != "text":
            assert totals[(row.id, col.id)] == input_sum(everything, (row.id, col.id))
    # a unit counted on its own and inside a summary is reported
    again = tmp_path / "再汇总.xlsx"
    result = run("merge", sums[0], tmp_path / "甲区" / "0.xlsx", "-o", again, "--json")
    assert "merge.double_counted" in result.stdout


def test_json_carries_the_totals_exactly(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    write_return(inbox / "甲.xlsx", "城东街道", {("troops", "qty"): 2, ("troops", "cash"): "1.05"})
    write_return(inbox / "乙.xlsx", "濯水镇", {("troops", "qty"): 1, ("troops", "cash"): "0.10"})
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位类别\n城东街道,街道\n濯水镇,乡镇\n", encoding="utf-8")
    result = run("merge", inbox, "--roster", roster, "-o", tmp_path / "汇总.xlsx", "--json")
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)["totals"]
    assert totals["total"]["troops.cash"] == "1.15"
    assert totals["total"]["total.subtotal"] == "1.15"
    assert totals["total"]["troops.qty"] == "3"
    assert [(c["name"], c["units"], c["values"]["troops.cash"]) for c in totals["categories"]] == [
        ("乡镇", 1, "0.10"),
        ("街道", 1, "1.05"),
    ]
    assert [(u["name"], u["file"], u["values"]["troops.qty"]) for u in totals["units"]] == [
        ("濯水镇", "乙.xlsx", "1"),
        ("城东街道", "甲.xlsx", "2"),
    ]
