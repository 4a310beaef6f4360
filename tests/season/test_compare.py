"""compare.py (and the 同比 sheet): last season against this season, per unit and category.

Two seasons of eight units are built in code. Between them: a unit's 慰问金 grows 4.5 times, a
row drops to 0, 光荣牌 falls to under a third, a row rises from 0, a count triples exactly (not
flagged), one unit stops reporting, one now sends a return with an error, one is new. The last
season is written as a summary workbook and read back; every expected number below is written
out by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from scenarios import make_result, make_return
from seasons import LAST, ROSTER, THIS, THIS_ERRORS, D, Inputs, season
from shuangyong_cli.cli.app import cli
from shuangyong_cli.cli.compare_tables import screen_tables
from shuangyong_cli.model.errors import CompareError
from shuangyong_cli.model.form import FormSpec
from shuangyong_cli.model.form_file import builtin_form_path, load_form, parse_form
from shuangyong_cli.model.identity import META_SHEET
from shuangyong_cli.model.returns import CellKey
from shuangyong_cli.season.comparison import (
    Comparison,
    Level,
    SwingKind,
    compare,
    headline_cells,
)
from shuangyong_cli.season.earlier import Earlier, read_earlier
from shuangyong_cli.season.layout import (
    COMPARE_SHEET,
    DETAIL_SHEET,
    META_DETAIL_CELL,
    META_FAMILY,
    META_SUMMARY_DATE,
    detail_columns,
)
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.sums import numeric_cells
from shuangyong_cli.season.totals import Summary
from shuangyong_cli.writing.summary import build_summary, write_summary
from shuangyong_cli.writing.template_layout import template_positions

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SPEC = load_form()


@pytest.fixture(scope="module")
def last_summary() -> Summary:
    return season(LAST, date=dt.date(2019, 8, 12))


@pytest.fixture(scope="module")
def this_summary() -> Summary:
    return season(THIS, errors=THIS_ERRORS)


@pytest.fixture(scope="module")
def last_file(last_summary: Summary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("上次") / "2019年汇总.xlsx"
    write_summary(last_summary, SPEC, out, force=False, inputs=[])
    return out


@pytest.fixture(scope="module")
def earlier(last_file: Path) -> Earlier:
    return read_earlier(last_file, SPEC)


@pytest.fixture(scope="module")
def comparison(earlier: Earlier, this_summary: Summary) -> Comparison:
    return compare(earlier, this_summary, SPEC, ROSTER)


def values(**cells: str | int) -> dict[CellKey, Decimal]:
    """``troops_qty=2`` → {("troops", "qty"): Decimal(2)}."""
    out = {}
    for key, v in cells.items():
        row, col = key.rsplit("_", 1)
        out[(row, col)] = D(str(v))
    return out


def headline(v: Mapping[CellKey, Decimal] | None) -> dict[CellKey, Decimal] | None:
    """The non-zero headline cells of a line's values."""
    if v is None:
        return None
    return {c: v[c] for c in headline_cells(SPEC) if v.get(c, D(0)) != 0}


# -- reading the earlier summary -------------------------------------------------------------------


def test_summary_records_family_date_and_detail_ids(last_file: Path) -> None:
    wb = openpyxl.load_workbook(last_file)
    meta = wb[META_SHEET]
    rows = [tuple(c.value for c in row[:4]) for row in meta.iter_rows()]
    assert (META_FAMILY, "bayi-weiwen", None, None) in rows
    assert (META_SUMMARY_DATE, "2019-08-12", None, None) in rows
    recorded = [r[1:] for r in rows if r[0] == META_DETAIL_CELL]
    assert recorded == [(f"{r}.{c}", top, sub) for (r, c), top, sub in detail_columns(SPEC)]
    assert recorded[0] == ("troops.qty", "一、走访慰问驻黔部队", "数量（个）")
    assert recorded[-1] == ("total.subtotal", "合计", "小计")
    assert len(recorded) == len(numeric_cells(SPEC)) == 47


def test_earlier_summary_reads_back_exactly(earlier: Earlier, last_summary: Summary) -> None:
    assert (earlier.name, earlier.date, earlier.form_id) == (
        "黔江区",
        dt.date(2019, 8, 12),
        SPEC.id,
    )
    assert earlier.is_summary and earlier.notes == ()
    assert earlier.cells == tuple(numeric_cells(SPEC))
    assert earlier.total == dict(last_summary.total)
    assert [(u.name, u.category, dict(u.values)) for u in earlier.units] == [
        (u.name, u.category, dict(u.values)) for u in last_summary.units
    ]
    assert [(n, dict(v)) for n, v in earlier.categories] == [
        (c.name, dict(c.values)) for c in last_summary.categories
    ]
    assert [n for n, _ in earlier.categories] == [
        "乡镇", "街道", "区级国家机关各部门", "人民团体", "驻黔部队",
    ]  # fmt: skip
    assert earlier.total is not None
    assert earlier.total[("total", "cash")] == D("3.30")
    assert earlier.total[("honor_plaques", "qty")] == 100


def test_headline_cells_are_top_counts_and_total_money() -> None:
    assert headline_cells(SPEC) == [
        ("troops", "qty"),
        ("objects", "qty"),
        ("hardship", "qty"),
        ("merit_notices", "qty"),
        ("honor_plaques", "qty"),
        ("gatherings", "qty"),
        ("services", "qty"),
        ("total", "cash"),
        ("total", "goods"),
        ("total", "subtotal"),
    ]


# -- the comparison ------------------------------------------------------------------------------


def test_lines_in_order(comparison: Comparison) -> None:
    assert [(line.level, line.category, line.name) for line in comparison.lines] == [
        (Level.TOTAL, "合计", "合计"),
        (Level.CATEGORY, "乡镇", "乡镇"),
        (Level.UNIT, "乡镇", "石会镇"),
        (Level.UNIT, "乡镇", "黑溪镇"),
        (Level.CATEGORY, "街道", "街道"),
        (Level.UNIT, "街道", "城东街道"),
        (Level.UNIT, "街道", "城南街道"),
        (Level.CATEGORY, "区级国家机关各部门", "区级国家机关各部门"),
        (Level.UNIT, "区级国家机关各部门", "黔江区财政局"),
        (Level.UNIT, "区级国家机关各部门", "黔江区民政局"),
        (Level.CATEGORY, "人民团体", "人民团体"),
        (Level.UNIT, "人民团体", "黔江区总工会"),
        (Level.CATEGORY, "驻黔部队", "驻黔部队"),
        (Level.UNIT, "驻黔部队", "武警黔江中队"),
    ]


def test_total_last_this_and_change(comparison: Comparison) -> None:
    total = comparison.line("合计", Level.TOTAL)
    assert headline(total.last) == values(
        troops_qty=4, objects_qty=16, hardship_qty=3, merit_notices_qty=2, honor_plaques_qty=100,
        gatherings_qty=3, total_cash="3.30", total_goods="0.50", total_subtotal="3.80",
    )  # fmt: skip
    assert headline(total.this) == values(
        troops_qty=4, objects_qty=11, merit_notices_qty=6, honor_plaques_qty=30, gatherings_qty=5,
        total_cash="6.10", total_goods="0.50", total_subtotal="6.60",
    )  # fmt: skip
    assert total.change(("total", "cash")) == D("2.80")
    assert total.change(("honor_plaques", "qty")) == -70
    assert total.change(("services", "qty")) == 0


def swings_of(comparison: Comparison) -> list[tuple[str, CellKey, SwingKind, Decimal, Decimal]]:
    return [(s.name, s.cell, s.kind, s.last, s.this) for s in comparison.swings]


def test_swings_exactly(comparison: Comparison) -> None:
    up, down = SwingKind.UP, SwingKind.DOWN
    zero, rise = SwingKind.TO_ZERO, SwingKind.FROM_ZERO
    assert swings_of(comparison) == [
        ("合计", ("hardship", "qty"), zero, D(3), D(0)),
        ("合计", ("honor_plaques", "qty"), down, D(100), D(30)),
        ("乡镇", ("troops", "qty"), zero, D(1), D(0)),
        ("乡镇", ("honor_plaques", "qty"), down, D(100), D(30)),
        ("乡镇", ("gatherings", "qty"), rise, D(0), D(2)),
        # 慰问金 0.30 → 0.10 is exactly a third: not flagged.
        ("石会镇", ("honor_plaques", "qty"), down, D(100), D(30)),
        ("石会镇", ("gatherings", "qty"), rise, D(0), D(2)),
        ("街道", ("hardship", "qty"), zero, D(3), D(0)),
        ("城东街道", ("total", "cash"), up, D("1.00"), D("4.50")),
        ("城东街道", ("total", "subtotal"), up, D("1.50"), D("5.00")),
        ("城南街道", ("hardship", "qty"), zero, D(3), D(0)),
        ("区级国家机关各部门", ("objects", "qty"), zero, D(5), D(0)),
        # 区财政局 喜报 2 → 6 is exactly 3 times: not flagged.
        ("人民团体", ("troops", "qty"), rise, D(0), D(1)),
        ("人民团体", ("total", "cash"), rise, D(0), D("0.30")),
        ("人民团体", ("total", "subtotal"), rise, D(0), D("0.30")),
    ]
    assert [s.level for s in comparison.swings][:3] == [Level.TOTAL, Level.TOTAL, Level.CATEGORY]
    assert len(comparison.warnings) == 10


def test_swing_messages(comparison: Comparison) -> None:
    by = {(s.name, s.cell): s for s in comparison.swings}
    assert by[("城东街道", ("total", "cash"))].message == (
        "城东街道「合计 / 慰问金」由上次的 1 万元 增至 4.5 万元，是上次的 4.5 倍（超过 3 倍）；"
        "请核实，是否把“元”当作“万元”填写。"
    )
    assert by[("石会镇", ("honor_plaques", "qty"))].message == (
        "石会镇「悬挂光荣牌 / 数量」由上次的 100 块 降至 30 块，只有上次的 1/3.3"
        "（变化超过 3 倍）；请核实是否漏填或填错单位。"
    )
    assert by[("街道", ("hardship", "qty"))].message == (
        "街道（小计）「帮扶困难优抚对象 / 数量」上次为 3 人次，本次为 0；请核实是否漏填。"
    )
    assert by[("合计", ("hardship", "qty"))].message.startswith("合计「帮扶困难优抚对象 / 数量」")
    assert by[("石会镇", ("gatherings", "qty"))].message == (
        "石会镇「座谈交流、军民联谊活动 / 数量」上次为 0，本次为 2 场次。"
    )
    assert by[("城东街道", ("total", "cash"))].short == "「合计 / 慰问金」增至 4.5 倍"
    assert by[("石会镇", ("honor_plaques", "qty"))].short == "「悬挂光荣牌 / 数量」降至 1/3.3"
    assert by[("城南街道", ("hardship", "qty"))].short == "「帮扶困难优抚对象 / 数量」降为 0"


def test_dropped_units_with_their_status_now(comparison: Comparison) -> None:
    dropped = [
        (x.name, x.category, x.status, x.contact, x.phone, x.note) for x in comparison.dropped
    ]
    assert dropped == [
        ("黑溪镇", "乡镇", "未报", "向静", "023-79220002", "上次已报，本次未报"),
        (
            "黔江区民政局",
            "区级国家机关各部门",
            "有误",
            "王芳",
            "023-79220005",
            "上次已报，本次报表有误，未计入",
        ),
    ]
    gone = comparison.line("黑溪镇")
    assert gone.this is None and gone.change(("troops", "qty")) is None
    assert headline(gone.last) == values(troops_qty=1, total_cash="0.20", total_subtotal="0.20")


def test_new_units(comparison: Comparison) -> None:
    assert [x.name for x in comparison.new_units] == ["黔江区总工会"]
    new = comparison.line("黔江区总工会")
    assert new.last is None and new.note == "上次未报" and new.status == "已报"
    assert new.swings == ()


def test_threshold_is_configurable_and_strict(earlier: Earlier, this_summary: Summary) -> None:
    loose = compare(earlier, this_summary, SPEC, ROSTER, threshold=D("2.9"))
    extra = {(s.name, s.cell) for s in loose.swings} - {
        (s.name, s.cell) for s in compare(earlier, this_summary, SPEC, ROSTER).swings
    }
    # Now exactly 3 times (喜报 2 → 6, 慰问金 0.30 → 0.10) counts, and 3.3 … stays.
    assert extra == {
        ("合计", ("merit_notices", "qty")),
        ("乡镇", ("total", "cash")),
        ("乡镇", ("total", "subtotal")),
        ("黔江区财政局", ("merit_notices", "qty")),
        ("区级国家机关各部门", ("merit_notices", "qty")),
    }
    strict = compare(earlier, this_summary, SPEC, ROSTER, threshold=D(5))
    assert {s.kind for s in strict.swings} == {SwingKind.TO_ZERO, SwingKind.FROM_ZERO}
    with pytest.raises(ValueError):
        compare(earlier, this_summary, SPEC, ROSTER, threshold=D(1))


def test_units_match_by_roster_name(last_summary: Summary, tmp_path: Path) -> None:
    """Last year's summary named units differently (no roster then): matched by the roster."""
    renamed = dict(LAST)
    renamed["区财政局（盖章）"] = renamed.pop("黔江区财政局")
    results = []
    for name, inputs in renamed.items():
        data = make_return(f"{name}.xlsx", name, inputs, dt.date(2019, 8, 12))
        results.append(make_result(data, f"{name}.xlsx"))
    old = merge_results(results, SPEC, None, name="黔江区", date=None)
    out = tmp_path / "旧.xlsx"
    write_summary(old, SPEC, out, force=False, inputs=[])
    e = read_earlier(out, SPEC)
    c = compare(e, season(THIS, errors=THIS_ERRORS), SPEC, ROSTER)
    finance = c.line("黔江区财政局")
    assert finance.earlier_name == "区财政局（盖章）"
    assert finance.last is not None and finance.last[("merit_notices", "qty")] == 2
    # No roster last time: every unit was 未列入名册; this time they have categories.
    assert [x.name for x in c.lines if x.level is Level.CATEGORY] == [
        "乡镇", "街道", "区级国家机关各部门", "人民团体", "驻黔部队", "未列入名册",
    ]  # fmt: skip
    assert c.line("未列入名册", Level.CATEGORY).this is None
    # Every 上次 of a category is the sum of the unit lines under it, as grouped now: last
    # year's 未列入名册 total moved to the categories its units belong to.
    for cat in (x for x in c.lines if x.level is Level.CATEGORY):
        units = [x for x in c.lines if x.level is Level.UNIT and x.category == cat.name]
        lasts = [u.last for u in units if u.last is not None]
        if not lasts and cat.name not in dict(e.categories):
            assert cat.last is None, cat.name  # new this year: nothing last time
            continue
        assert cat.last == {
            cell: sum((last.get(cell, D(0)) for last in lasts), D(0)) for cell in e.cells
        }, cat.name
    notices = ("merit_notices", "qty")
    towns = sum(LAST[u].get(notices, D(0)) for u in ("石会镇", "黑溪镇"))
    assert c.line("乡镇", Level.CATEGORY).last[notices] == towns  # type: ignore[index]
    assert set(c.line("未列入名册", Level.CATEGORY).last.values()) == {D(0)}  # type: ignore[union-attr]
    assert c.line("黑溪镇").category == "乡镇" and c.line("黑溪镇").dropped


def test_to_dict_is_json_with_exact_strings(comparison: Comparison) -> None:
    d = json.loads(json.dumps(comparison.to_dict(), ensure_ascii=False))
    assert d["earlier"]["name"] == "黔江区" and d["earlier"]["kind"] == "summary"
    assert d["earlier"]["date"] == "2019-08-12" and d["earlier"]["units"] == 7
    assert d["threshold"] == "3"
    assert d["cells"][0] == {"row": "troops", "column": "qty"}
    east = next(x for x in d["lines"] if x["name"] == "城东街道")
    assert D(east["last"]["total.cash"]) == 1 and east["this"]["total.cash"] == "4.50"
    assert D(east["change"]["total.cash"]) == D("3.5")
    assert len(east["last"]) == len(east["this"]) == len(east["change"]) == 47
    assert d["swings"][0]["kind"] == "to_zero" and d["swings"][0]["severity"] == "warning"
    assert [x["name"] for x in d["dropped"]] == ["黑溪镇", "黔江区民政局"]
    assert d["new_units"] == ["黔江区总工会"]


def test_screen_tables(comparison: Comparison) -> None:
    overview, swings, dropped = screen_tables(SPEC, comparison)
    assert overview.columns == (
        "单位类别", "上次小计", "本次小计", "增减", "上次人次", "本次人次", "增减",
    )  # fmt: skip
    assert overview.rows[0] == ("合计", D("3.80"), D("6.60"), D("2.80"), D(16), D(11), D(-5))
    assert [r[0] for r in overview.rows] == [
        "合计", "乡镇", "街道", "区级国家机关各部门", "人民团体", "驻黔部队",
    ]  # fmt: skip
    assert swings.title == "变化较大（超过 3 倍或降为 0）：10 处"
    assert len(swings.rows) == 10  # rises from 0 only with verbose
    assert swings.rows[0] == ("合计", "帮扶困难优抚对象 / 数量", "3 人次", "0 人次", "降为 0")
    assert len(screen_tables(SPEC, comparison, verbose=True)[1].rows) == 15
    assert [r[1] for r in dropped.rows] == ["黑溪镇", "黔江区民政局"]


# -- the 同比 sheet --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compare_sheet(this_summary: Summary, comparison: Comparison) -> openpyxl.Workbook:
    return build_summary(this_summary, SPEC, comparison)


def test_compare_sheet_layout(compare_sheet: openpyxl.Workbook, earlier: Earlier) -> None:
    wb = compare_sheet
    assert wb.sheetnames[-2:] == [COMPARE_SHEET, META_SHEET]
    ws = wb[COMPARE_SHEET]
    assert ws["A1"].value == (
        f"与上次比较：上次为 黔江区（{earlier.path}，2019-08-12），本次为 黔江区；"
        "金额单位：万元；标黄的是变化超过 3 倍或降为 0 的数"
    )
    assert ws["A2"].value == "单位类别" and ws["B2"].value == "单位名称"
    assert ws["C2"].value == "走访慰问驻黔部队 / 数量"
    assert [ws.cell(3, c).value for c in range(3, 6)] == ["上次", "本次", "增减"]
    last_col = 2 + 3 * 10 + 2
    assert ws.cell(2, last_col - 1).value == "本次状态" and ws.cell(2, last_col).value == "说明"
    assert ws.cell(2, 3 + 3 * 9).value == "合计 / 小计"
    assert ws.freeze_panes == "C4"
    assert ws.print_title_rows == "$2:$3" and ws.page_setup.orientation == "landscape"


def sheet_lines(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, list[object]]:
    out = {}
    for row in ws.iter_rows(min_row=4, values_only=True):
        key = str(row[1] or row[0]) if row[1] != "小计" else f"{row[0]}小计"
        out[key] = list(row)
    return out


def test_compare_sheet_numbers(compare_sheet: openpyxl.Workbook, comparison: Comparison) -> None:
    ws = compare_sheet[COMPARE_SHEET]
    lines = sheet_lines(ws)
    assert list(lines) == [
        "合计", "乡镇小计", "石会镇", "黑溪镇", "街道小计", "城东街道", "城南街道",
        "区级国家机关各部门小计", "黔江区财政局", "黔江区民政局", "人民团体小计", "黔江区总工会",
        "驻黔部队小计", "武警黔江中队",
    ]  # fmt: skip
    cash = 2 + 3 * 7  # 0-based index of 合计 / 慰问金 上次
    east = lines["城东街道"]
    assert east[cash : cash + 3] == [1, 4.5, 3.5]
    assert east[-2:] == ["已报", "「合计 / 慰问金」增至 4.5 倍；「合计 / 小计」增至 3.3 倍"]
    gone = lines["黑溪镇"]
    assert gone[cash : cash + 3] == [0.2, None, None]
    assert gone[-2:] == ["未报", "上次已报，本次未报"]
    new = lines["黔江区总工会"]
    assert new[cash : cash + 3] == [None, 0.3, None]
    assert new[-1] == "上次未报"
    assert lines["合计"][2:5] == [4, 4, 0]
    # The flagged cells (本次 and 增减) are yellow; the 上次 beside them is not.
    row = 4 + list(lines).index("城东街道")
    fills = [ws.cell(row, cash + 1 + k).fill.fgColor.rgb for k in range(3)]
    assert fills == ["00000000", "FFFFE699", "FFFFE699"]
    assert ws.cell(4 + list(lines).index("黑溪镇"), len(gone) - 1).fill.fgColor.rgb == "FFF8CBAD"


def test_no_comparison_no_sheet(this_summary: Summary) -> None:
    assert COMPARE_SHEET not in build_summary(this_summary, SPEC).sheetnames


def test_a_summary_with_a_compare_sheet_compares_again(
    this_summary: Summary, comparison: Comparison, tmp_path: Path
) -> None:
    out = tmp_path / "本次.xlsx"
    write_summary(this_summary, SPEC, out, force=False, inputs=[], comparison=comparison)
    again = read_earlier(out, SPEC)
    assert again.total == dict(this_summary.total)
    assert [u.name for u in again.units] == [u.name for u in this_summary.units]


# -- form families ---------------------------------------------------------------------------------


def spec_2021(**changes: str) -> FormSpec:
    """Next year's form: the same ids, some labels worded differently."""
    text = builtin_form_path().read_text(encoding="utf-8").replace("2020", "2021")
    for old, new in changes.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    return parse_form(tomllib.loads(text), "bayi-2021.toml")


RELABELLED = {"走访慰问驻黔部队": "走访慰问驻黔部队官兵", "物资折款": "物资（折款）"}


def test_next_years_form_compares_by_id(last_file: Path) -> None:
    spec = spec_2021(**RELABELLED)
    assert spec.id == "bayi-2021" and spec.family == SPEC.family
    assert spec.row("troops").label == "走访慰问驻黔部队官兵"
    e = read_earlier(last_file, spec)
    assert e.cells == tuple(numeric_cells(spec))
    assert e.notes == (
        "上次文件的表式为 bayi-2020，本次为 bayi-2021；按项目编号（或项目名称）逐项对应比较。",
    )
    now = season(THIS, spec=spec, errors=THIS_ERRORS)
    c = compare(e, now, spec, ROSTER)
    east = c.line("城东街道")
    assert east.last is not None and east.last[("troops", "goods")] == D("0.50")
    assert [(s.item, s.kind) for s in east.swings] == [
        ("合计 / 慰问金", SwingKind.UP),
        ("合计 / 小计", SwingKind.UP),
    ]
    assert c.line("合计", Level.TOTAL).change(("troops", "qty")) == 0


def without_recorded_ids(src: Path, dst: Path) -> Path:
    wb = openpyxl.load_workbook(src)
    meta = wb[META_SHEET]
    rows = [r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == META_DETAIL_CELL]
    meta.delete_rows(rows[0], len(rows))
    wb.save(dst)
    return dst


def test_without_recorded_ids_labels_are_matched(last_file: Path, tmp_path: Path) -> None:
    old = without_recorded_ids(last_file, tmp_path / "旧版汇总.xlsx")
    same = read_earlier(old, SPEC)
    assert same.cells == tuple(numeric_cells(SPEC)) and same.notes == ()
    assert same.total == read_earlier(last_file, SPEC).total
    # Labels changed and no ids recorded: what cannot be matched is said, the rest compared.
    e = read_earlier(old, spec_2021(**RELABELLED))
    lost = [c for c in numeric_cells(SPEC) if c not in e.cells]
    assert lost == [
        ("troops", "qty"), ("troops", "cash"), ("troops", "goods"), ("troops", "subtotal"),
        *[(r, "goods") for r in (
            "objects", "anti_japanese", "korean_war", "martyr_family", "military_family",
            "disabled", "veterans", "other_objects", "hardship", "total",
        )],
    ]  # fmt: skip
    assert e.notes[1] == (
        "上次文件中没有以下项目，只比较本次："
        "走访慰问驻黔部队官兵 / 数量、走访慰问驻黔部队官兵 / 慰问金、"
        "走访慰问驻黔部队官兵 / 物资（折款）、走访慰问驻黔部队官兵 / 小计、"
        + "、".join(
            f"{r} / 物资（折款）"
            for r in (
                "走访慰问优抚对象", "抗战老战士", "抗美援朝老战士", "烈属", "军属", "残疾军人",
                "退役军人", "其他优抚对象", "帮扶困难优抚对象", "合计",
            )
        )
        + "。"
    )  # fmt: skip
    c = compare(e, season(THIS, spec=spec_2021(**RELABELLED)), spec_2021(**RELABELLED), ROSTER)
    assert ("total", "goods") not in c.cells and ("total", "cash") in c.cells


def test_another_family_is_refused(last_file: Path) -> None:
    other = dataclasses.replace(SPEC, family="chunjie-weiwen", id="chunjie-2021")
    with pytest.raises(CompareError, match="是另一类统计表（表式 bayi-2020，类别 bayi-weiwen）"):
        read_earlier(last_file, other)


# -- other earlier files ---------------------------------------------------------------------------


def test_a_single_return_is_not_an_earlier_summary(tmp_path: Path) -> None:
    from returnfiles import write_return

    inputs = LAST["城东街道"]
    typed = {k: int(v) if k[1] == "qty" else v for k, v in inputs.items()}
    path = write_return(tmp_path / "城东街道2019.xlsx", "城东街道", typed)
    with pytest.raises(CompareError, match=r"城东街道2019\.xlsx 不是本工具生成的汇总表"):
        read_earlier(path, SPEC)


def test_an_earlier_summary_with_errors_is_refused(last_file: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(last_file)
    ws = wb["汇总表"]
    pos = template_positions(SPEC)
    ws[pos.cell("troops", "cash")] = "约5"  # typed over after it was written
    path = tmp_path / "改过的汇总.xlsx"
    wb.save(path)
    with pytest.raises(
        CompareError, match="作为汇总表校验未通过：单元格 E6「走访慰问驻黔部队 / 慰问金」"
    ):
        read_earlier(path, SPEC)


def test_merge_compare_with_a_file_that_is_not_a_summary_is_exit_2(tmp_path: Path) -> None:
    from returnfiles import write_return

    inbox = tmp_path / "回收"
    inbox.mkdir()
    write_return(inbox / "甲.xlsx", "甲", {("troops", "qty"): 1})
    other = write_return(tmp_path / "一份报表.xlsx", "乙", {("troops", "qty"): 2})
    result = run("merge", inbox, "-o", tmp_path / "汇总.xlsx", "--compare", other)
    assert result.exit_code == 2
    assert "一份报表.xlsx 不是本工具生成的汇总表" in result.stderr
    assert not (tmp_path / "汇总.xlsx").exists()


def test_a_summary_without_its_detail_sheet_compares_the_total(
    last_file: Path, tmp_path: Path, this_summary: Summary
) -> None:
    wb = openpyxl.load_workbook(last_file)
    del wb[DETAIL_SHEET]
    path = tmp_path / "只有汇总表.xlsx"
    wb.save(path)
    e = read_earlier(path, SPEC)
    assert e.is_summary and e.units == () and e.name == "黔江区"
    assert e.total == read_earlier(last_file, SPEC).total
    c = compare(e, this_summary, SPEC, ROSTER)
    assert [line.level for line in c.lines] == [Level.TOTAL]
    assert [(s.cell, s.kind) for s in c.swings] == [
        (("hardship", "qty"), SwingKind.TO_ZERO),
        (("honor_plaques", "qty"), SwingKind.DOWN),
    ]


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "去年.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CompareError, match=r"^无法读取要比较的文件 .*去年\.xlsx："):
        read_earlier(bad, SPEC)
    with pytest.raises(CompareError, match="找不到要比较的文件"):
        read_earlier(tmp_path / "没有.xlsx", SPEC)
    sheet = openpyxl.Workbook()
    sheet.active.append(["随便", "一张表"])  # type: ignore[union-attr]
    sheet.save(tmp_path / "别的表.xlsx")
    with pytest.raises(CompareError, match="不是本工具生成的汇总表"):
        read_earlier(tmp_path / "别的表.xlsx", SPEC)


# -- merge --compare -----------------------------------------------------------------------------


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


def write_season(folder: Path, returns: Mapping[str, Inputs], errors: set[str]) -> Path:
    from returnfiles import write_return

    folder.mkdir()
    for name, inputs in returns.items():
        typed: dict[CellKey, object] = {
            k: int(v) if k[1] == "qty" else v for k, v in inputs.items()
        }
        if name in errors:
            typed[("troops", "qty")] = "若干"
        write_return(folder / f"{name}.xlsx", name, typed)
    return folder


@pytest.fixture(scope="module")
def seasons(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("两年")
    roster = root / "名册.csv"
    lines = ["单位名称,单位类别,别名,联系人,联系电话"]
    lines += [f"{u.name},{u.category},{'、'.join(u.aliases)},{u.contact},{u.phone}" for u in ROSTER]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    last_inbox = write_season(root / "2019", LAST, set())
    this_inbox = write_season(root / "2020", THIS, THIS_ERRORS)
    last = root / "2019年汇总.xlsx"
    result = run(
        "merge", last_inbox, "--roster", roster, "-o", last, "--name", "黔江区", "-q",
        "--date", "2020-08-10",
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # 黔江区总工会 did not report in 2019
    return roster, this_inbox, last


def test_merge_compare_on_screen_and_in_the_workbook(
    seasons: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    roster, inbox, last = seasons
    out = tmp_path / "2020年汇总.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--compare", last)
    assert result.exit_code == 1, result.output
    text = result.stdout
    assert "与上次比较（上次：黔江区，2020-08-10，" in text
    assert "变化较大（超过 3 倍或降为 0）：10 处" in text
    assert "上次已报、本次未计入的单位：2 个" in text
    assert text.rstrip().endswith(
        "与上次比较：变化较大 10 处，上次已报、本次未计入 2 个单位，本次新增 1 个单位。"
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[-2:] == [COMPARE_SHEET, META_SHEET]
    lines = sheet_lines(wb[COMPARE_SHEET])
    assert lines["城东街道"][2 + 3 * 7 : 2 + 3 * 7 + 3] == [1, 4.5, 3.5]


def test_merge_compare_json_is_the_librarys(
    seasons: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    from shuangyong_cli.season.inbox import validate_paths
    from shuangyong_cli.season.roster import load_roster

    roster_path, inbox, last = seasons
    out = tmp_path / "2020年汇总.xlsx"
    result = run(
        "merge", inbox, "--roster", roster_path, "-o", out, "--compare", last, "--swing", "2.5",
        "--json",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    roster = load_roster(roster_path, SPEC)
    report = validate_paths([inbox], SPEC, roster=roster)
    summary = merge_results(
        report.files, SPEC, roster, name="汇总", date=None, general=report.general
    )
    expected = compare(read_earlier(last, SPEC), summary, SPEC, roster, threshold=D("2.5"))
    assert data["comparison"] == json.loads(json.dumps(expected.to_dict(), ensure_ascii=False))
    assert data["comparison"]["threshold"] == "2.5"
    assert set(data) == {"files", "general", "summary", "totals", "comparison"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--swing", "1"], "“1”应为大于 1 的倍数"),
        (["--swing", "三"], "“三”应为大于 1 的倍数"),
        (["--swing", "nan"], "“nan”应为大于 1 的倍数"),
    ],
)
def test_merge_swing_must_be_above_one(
    seasons: tuple[Path, Path, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    roster, inbox, last = seasons
    out = tmp_path / "x.xlsx"
    result = run("merge", inbox, "--roster", roster, "-o", out, "--compare", last, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not out.exists()


def test_merge_compare_usage_errors(seasons: tuple[Path, Path, Path], tmp_path: Path) -> None:
    roster, inbox, last = seasons
    out = tmp_path / "x.xlsx"
    result = run("merge", inbox, "-o", out, "--swing", "4")
    assert result.exit_code == 2 and "--swing 需要与 --compare 一起使用" in result.stderr
    before = last.read_bytes()
    result = run("merge", inbox, "--roster", roster, "-o", last, "--compare", last, "--force")
    assert result.exit_code == 2 and "就是输入文件" in result.stderr
    assert last.read_bytes() == before
    result = run("merge", inbox, "-o", out, "--compare", tmp_path / "没有.xlsx")
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：找不到要比较的文件")
    assert not out.exists()
