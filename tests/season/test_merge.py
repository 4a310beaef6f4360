"""merge.py: which returns count, exact sums, roster statuses. Returns are built in code.

The district of ``scenarios.py``: 35 roster units over all seven categories, with every case the
merge must handle; ``test_summary.py`` writes the same scenario to a workbook.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from scenarios import (
    MISSING,
    ROSTER_NAMES,
    SPEC,
    add_up,
    independent_cells,
    make_result,
    make_return,
    merged,
    scenario,
)
from shuangyong_cli.cli.exitcodes import ExitStatus, merge_exit
from shuangyong_cli.model.findings import FileResult, Severity, finding
from shuangyong_cli.model.identity import Identity
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.roster import Roster, RosterUnit
from shuangyong_cli.season.sums import compute_cells, numeric_cells
from shuangyong_cli.season.totals import UNLISTED, Status, Summary

# -- totals -------------------------------------------------------------------------------------


def test_scenario_has_enough_units() -> None:
    sc = scenario()
    assert len(sc.roster) == 35
    assert len(sc.included) >= 30
    assert {c for c in sc.included.values()} == {*ROSTER_NAMES, UNLISTED}


def test_included_files_are_exactly_the_expected() -> None:
    sc = scenario()
    s = merged(sc)
    assert {u.file for u in s.units} == set(sc.included)
    assert {f.path for f in s.files if f.included} == set(sc.included)
    assert len(s.files) == len(sc.results)


def test_grand_total_is_the_exact_independent_sum() -> None:
    sc = scenario()
    s = merged(sc)
    expected = sc.expected_total()
    assert dict(s.total) == {k: expected[k] for k in numeric_cells(SPEC)}
    assert all(isinstance(x, Decimal) for x in s.total.values())
    # 合计 = 一 + 二 + 三; never 个 + 人次.
    assert ("total", "qty") not in s.total


def test_category_totals_and_their_sum() -> None:
    sc = scenario()
    s = merged(sc)
    assert [c.name for c in s.categories] == [*ROSTER_NAMES, UNLISTED]
    for c in s.categories:
        assert dict(c.values) == {k: sc.expected_total(c.name)[k] for k in numeric_cells(SPEC)}
        assert dict(c.values) == add_up(u.values for u in c.units) | {}
        assert c.roster_units == (len(ROSTER_NAMES[c.name]) if c.name != UNLISTED else 0)
    for cell in numeric_cells(SPEC):
        assert sum((c.values[cell] for c in s.categories), Decimal(0)) == s.total[cell]


def test_units_follow_roster_order_within_category() -> None:
    s = merged(scenario())
    town = next(c for c in s.categories if c.name == "乡镇")
    assert [u.name for u in town.units] == ["石会镇", "黑溪镇", "黄溪镇", "金溪镇"]
    unlisted = next(c for c in s.categories if c.name == UNLISTED)
    assert [(u.name, u.on_roster) for u in unlisted.units] == [("区融媒体中心", False)]


def test_typed_calc_values_are_recomputed() -> None:
    sc = scenario()
    s = merged(sc)
    row = next(u for u in s.units if u.name == "金溪镇")
    assert row.typed == "金溪镇人民政府（盖章）"
    expected = independent_cells(sc.inputs[row.file])
    assert row.values[("total", "cash")] == expected[("total", "cash")] != Decimal("999")


def test_sources_of_a_cell_are_the_contributing_units() -> None:
    sc = scenario()
    s = merged(sc)
    cell = ("troops", "cash")
    sources = s.sources_of(cell)
    assert sum((x for _, x in sources), Decimal(0)) == s.total[cell]
    assert all(x != 0 for _, x in sources)


def test_more_than_two_decimals_are_kept_exactly() -> None:
    a = make_return("a.xlsx", "甲", {("troops", "cash"): Decimal("1.125")}, None)
    b = make_return("b.xlsx", "乙", {("troops", "cash"): Decimal("0.0001")}, None)
    s = merge_results(
        [make_result(a, "a.xlsx"), make_result(b, "b.xlsx")], SPEC, None, name="汇总", date=None
    )
    assert s.total[("troops", "cash")] == Decimal("1.1251")
    assert s.total[("total", "subtotal")] == Decimal("1.1251")


def test_compute_cells_fills_calc_from_inputs() -> None:
    inputs = {("anti_japanese", "qty"): Decimal(2), ("veterans", "qty"): Decimal(3)}
    inputs[("troops", "goods")] = Decimal("0.1")
    inputs[("hardship", "cash")] = Decimal("0.2")
    v = compute_cells(SPEC, inputs)
    assert v[("objects", "qty")] == 5
    assert v[("total", "subtotal")] == Decimal("0.3")
    assert list(v) == numeric_cells(SPEC)


# -- which files count --------------------------------------------------------------------------


def reasons(s: Summary) -> dict[str, str]:
    return {f.path: f.reason for f in s.files}


def codes(s: Summary, path: str) -> list[str]:
    f = next(f for f in s.files if f.path == path)
    return [x.code for x in f.findings]


def test_files_with_errors_are_excluded_and_say_why() -> None:
    s = merged(scenario())
    r = reasons(s)
    edu = next(f for f in s.files if f.path.endswith("区教委.xlsx"))
    assert not edu.included
    assert r[edu.path] == "有 1 个错误（不是数字），未计入"
    assert codes(s, edu.path) == ["value.not_number", "merge.excluded"]
    excluded = next(x for x in edu.findings if x.code == "merge.excluded")
    # what follows from the file's own error: said, not counted as a second error
    assert excluded.severity is Severity.INFO
    assert excluded.message.startswith(f"{edu.path} 有 1 个错误（不是数字），未计入汇总；")
    empty = next(f for f in s.files if f.path.endswith("正阳街道.xlsx"))
    assert r[empty.path] == "有 1 个错误（空表），未计入"
    bad = next(f for f in s.files if f.path == "99_坏文件.xlsx")
    assert r[bad.path] == "无法作为统计表读取（文件已损坏），未计入"
    assert (bad.sha256, bad.size, bad.unit) == ("", 0, "")


def test_empty_return_without_error_is_excluded() -> None:
    data = make_return("a.xlsx", "甲", {}, None, empty=True)
    s = merge_results([make_result(data, "a.xlsx")], SPEC, None, name="汇总", date=None)
    assert s.files[0].reason == "空表（所有数值格均未填写），未计入"
    assert s.units == ()
    assert merge_exit(s) is ExitStatus.NOTHING_WRITTEN


def test_identical_copies_count_once_with_an_info() -> None:
    sc = scenario()
    s = merged(sc)
    civil = [f for f in s.files if f.path.endswith("区民政局.xlsx")]
    assert [f.included for f in civil] == [False, True]
    assert civil[0].reason == f"与 {civil[1].path} 内容完全相同，只计一次"
    assert civil[0].copy_of == civil[1].path
    info = civil[0].findings[-1]
    assert (info.code, info.severity) == ("merge.duplicate_identical", Severity.INFO)
    east = [f for f in s.files if f.path.endswith("城东街道.xlsx")]
    assert [f.included for f in east] == [False, True]
    assert east[0].reason == f"与 {east[1].path} 数值和备注相同，只计一次"


def test_different_copies_later_date_wins_and_both_are_warned() -> None:
    s = merged(scenario())
    fin = [f for f in s.files if f.path.endswith("区财政局.xlsx")]
    assert [f.included for f in fin] == [True, False]
    assert (
        fin[1].reason
        == f"同一单位另有不同的报表 {fin[0].path}（日期 2020-08-13），以其为准，未计入"
    )
    for f in fin:
        w = f.findings[-1]
        assert (w.code, w.severity) == ("merge.duplicate_replaced", Severity.WARNING)
        assert f"计入的是 {fin[0].path}" in w.message or "计入本表" in w.message
    assert "以日期较晚者为准" in fin[0].findings[-1].message


def test_same_date_later_modification_time_wins() -> None:
    s = merged(scenario())
    union = [f for f in s.files if f.path.endswith("区总工会.xlsx")]
    assert [f.included for f in union] == [True, False]


def test_full_tie_takes_the_later_file_and_says_so() -> None:
    a = make_return("a.xlsx", "甲", {("troops", "qty"): Decimal(1)}, None, mtime=1.0)
    b = make_return("b.xlsx", "甲", {("troops", "qty"): Decimal(2)}, None, mtime=1.0)
    s = merge_results(
        [make_result(a, "a.xlsx"), make_result(b, "b.xlsx")], SPEC, None, name="汇总", date=None
    )
    assert [f.included for f in s.files] == [False, True]
    assert "日期和修改时间都相同，按文件名顺序取后者" in s.files[0].findings[-1].message


def test_without_roster_duplicates_are_found_by_normalised_name() -> None:
    one, two = {("troops", "qty"): Decimal(1)}, {("troops", "qty"): Decimal(2)}
    a = make_return("a.xlsx", "黔江区民政局", one, dt.date(2020, 8, 1))
    b = make_return("b.xlsx", "民政局（盖章）", two, dt.date(2020, 8, 2))
    s = merge_results(
        [make_result(a, "a.xlsx"), make_result(b, "b.xlsx")], SPEC, None, name="汇总", date=None
    )
    assert [f.included for f in s.files] == [False, True]
    assert [c.name for c in s.categories] == [UNLISTED]
    assert s.total[("troops", "qty")] == 2
    assert [(x.name, x.status) for x in s.statuses] == [("黔江区民政局", Status.DUPLICATE)]


# -- summaries inside summaries -----------------------------------------------------------------


def test_unit_inside_a_summary_is_not_counted_twice() -> None:
    sc = scenario()
    s = merged(sc)
    own = next(f for f in s.files if f.path.endswith("社区甲.xlsx"))
    street = next(f for f in s.files if f.path.endswith("城西街道.xlsx"))
    assert not own.included and street.included and street.is_summary
    assert own.reason == f"已含在汇总表 {street.path}（城西街道）中，未单独计入"
    err = own.findings[-1]  # a decision of the merge about a file that passed its checks
    assert (err.code, err.severity) == ("merge.double_counted", Severity.WARNING)
    assert "为免重复计算，本表未单独计入" in err.message
    warn = street.findings[-1]
    assert (warn.code, warn.severity) == ("merge.double_counted", Severity.WARNING)
    assert s.total == {k: sc.expected_total()[k] for k in numeric_cells(SPEC)}


def test_included_units_flatten_summaries_as_paths() -> None:
    s = merged(scenario())
    inc = s.included_units
    assert "城西街道/社区甲" in inc and "城西街道/社区乙" in inc
    assert "区融媒体中心" in inc and "石会镇" in inc
    assert "城西街道" not in inc
    assert len(inc) == len(set(inc)) == len(s.units) + 1


def summary_return(path: str, name: str, included: tuple[str, ...], qty: int) -> FileResult:
    ident = Identity(form_id=SPEC.id, kind="summary", summary_name=name, included=included)
    data = make_return(path, name, {("troops", "qty"): Decimal(qty)}, None, identity=ident)
    return make_result(data, path)


def test_two_summaries_sharing_a_unit_keep_the_larger() -> None:
    a = summary_return("a.xlsx", "城西街道", ("社区一", "社区二"), 1)
    b = summary_return(
        "b.xlsx", "西片区", ("城西街道/社区二", "城北街道/社区三", "城北街道/社区四"), 2
    )
    s = merge_results([a, b], SPEC, None, name="区", date=None)
    assert [f.included for f in s.files] == [False, True]
    assert s.files[0].reason == (
        "所含单位与已计入的汇总 b.xlsx（西片区）重复：西片区/城西街道/社区二，未计入"
    )
    assert s.total[("troops", "qty")] == 2
    assert s.files[0].findings[-1].code == "merge.double_counted"
    assert merge_exit(s) is ExitStatus.FINDINGS


def test_same_community_name_in_two_streets_is_two_units() -> None:
    a = summary_return("a.xlsx", "城西街道", ("社区一", "社区二"), 1)
    b = summary_return("b.xlsx", "城北街道", ("社区二", "社区三"), 2)
    s = merge_results([a, b], SPEC, None, name="区", date=None)
    assert [f.included for f in s.files] == [True, True]
    assert s.files[0].findings == s.files[1].findings == ()
    assert merge_exit(s) is ExitStatus.OK


def test_roll_up_does_not_confuse_same_names_in_different_districts() -> None:
    a = summary_return("a.xlsx", "黔江区", ("区民政局", "城西街道/社区甲"), 1)
    b = summary_return("b.xlsx", "武隆区", ("区民政局", "城西街道/社区甲"), 2)
    s = merge_results([a, b], SPEC, None, name="重庆市", date=None)
    assert [f.included for f in s.files] == [True, True]
    assert s.total[("troops", "qty")] == 3
    assert s.included_units == (
        "黔江区/区民政局",
        "黔江区/城西街道/社区甲",
        "武隆区/区民政局",
        "武隆区/城西街道/社区甲",
    )
    assert merge_exit(s) is ExitStatus.OK


def test_roll_up_catches_a_district_beside_the_city_that_includes_it() -> None:
    city = summary_return("city.xlsx", "重庆市", ("黔江区/区民政局", "武隆区/区民政局"), 5)
    district = summary_return("qj.xlsx", "黔江区", ("区民政局",), 1)
    s = merge_results([city, district], SPEC, None, name="省", date=None)
    assert [f.included for f in s.files] == [True, False]
    assert "黔江区/区民政局" in s.files[1].reason


# -- statuses -----------------------------------------------------------------------------------


def test_every_roster_unit_has_its_expected_status() -> None:
    sc = scenario()
    s = merged(sc)
    got = {x.name: x.status for x in s.statuses}
    assert got == sc.statuses
    roster_part = [x.name for x in s.statuses if x.on_roster]
    assert roster_part == [u.name for u in sc.roster.units]
    assert [x.name for x in s.statuses if not x.on_roster] == ["区融媒体中心", "社区甲"]
    assert [x.name for x in s.missing] == MISSING


def test_status_lines_carry_file_date_and_contact() -> None:
    s = merged(scenario())
    by = {x.name: x for x in s.statuses}
    late = by["消防救援大队"]
    assert late.note == "逾期 2 天（日期 2020-08-16，截止 2020-08-14）"
    assert late.date == dt.date(2020, 8, 16) and late.file.endswith("消防救援大队.xlsx")
    assert late.contact == "援大队联络员" and late.phone.startswith("138")
    missing = by["黎水镇"]
    assert (missing.file, missing.files, missing.date) == ("", (), None)
    assert missing.contact == "黎水镇联络员"
    # Contact taken from the return when the roster has none.
    gold = by["金溪镇"]
    assert (gold.contact, gold.phone) == ("王五", "023-79222222")
    edu = by["区教委"]
    assert edu.file == "" and edu.note.endswith("有 1 个错误（不是数字），未计入")
    black = by["黑溪镇"]
    assert black.note.startswith(f"共 2 份，计入 {black.file}；")
    fin = by["区财政局"]
    assert fin.date == dt.date(2020, 8, 13)


def test_summary_date_defaults_to_the_latest_included_date() -> None:
    sc = scenario()
    assert merged(sc).date == dt.date(2020, 8, 16)
    s = merge_results(sc.results, SPEC, sc.roster, name="黔江区", date=dt.date(2020, 8, 20))
    assert s.date == dt.date(2020, 8, 20)


def test_late_return_is_counted_with_a_note() -> None:
    s = merged(scenario())
    late = next(f for f in s.files if f.path.endswith("消防救援大队.xlsx"))
    assert late.included and late.reason == "逾期（日期 2020-08-16，截止 2020-08-14）"


# -- outcome ------------------------------------------------------------------------------------


def test_exit_status_mapping() -> None:
    sc = scenario()
    s = merged(sc)
    assert merge_exit(s) is ExitStatus.FINDINGS
    assert merge_exit(s, strict=True) is ExitStatus.NOTHING_WRITTEN
    assert merge_exit(merge_results([], SPEC, None, name="区", date=None)) is (
        ExitStatus.NOTHING_WRITTEN
    )
    a = make_return("a.xlsx", "甲", {("troops", "qty"): Decimal(1)}, None, sha="1" * 64)
    b = dataclasses.replace(a, path="b.xlsx")
    ok = merge_results(
        [make_result(a, "a.xlsx"), make_result(b, "b.xlsx")], SPEC, None, name="区", date=None
    )
    assert merge_exit(ok) is ExitStatus.OK  # an identical copy loses nothing
    assert merge_exit(ok, strict=True) is ExitStatus.OK


def test_general_findings_and_report() -> None:
    sc = scenario()
    general = [finding("roster.not_reported", "黎水镇（乡镇）未报送。")]
    s = merged(sc, general=general)
    assert s.findings()[-1] == general[0]
    report = s.to_report()
    assert report.general == general
    assert [r.path for r in report.files] == [r.path for r in sc.results]
    assert sum(len(r.findings) for r in report.files) + 1 == len(s.findings())
    # The inputs are left as they were.
    assert all(not any(f.code.startswith("merge.") for f in r.findings) for r in sc.results)


def test_unreadable_file_is_hashed_from_disk(tmp_path: Path) -> None:
    p = tmp_path / "坏.xlsx"
    p.write_bytes(b"not a workbook")
    r = FileResult(path="坏.xlsx", findings=[finding("file.corrupt", "坏。")], source=str(p))
    s = merge_results([r], SPEC, None, name="区", date=None)
    assert (s.files[0].sha256, s.files[0].size) == (
        hashlib.sha256(b"not a workbook").hexdigest(),
        14,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_total_exactly(seed: int) -> None:
    sc = scenario(seed)
    s = merged(sc)
    assert dict(s.total) == {k: sc.expected_total()[k] for k in numeric_cells(SPEC)}


def test_roster_unit_inside_a_summary_counts_as_reported() -> None:
    roster = Roster(
        units=(
            RosterUnit("城西街道", "街道", line=2),
            RosterUnit("社区甲", "街道", contact="李四", line=3),
            RosterUnit("社区乙", "街道", line=4),
        ),
        categories=tuple(c.name for c in SPEC.categories),
    )
    street = summary_return("s.xlsx", "城西街道", ("社区甲", "社区乙"), 5)
    street.roster_unit, street.category = "城西街道", "街道"
    own = make_result(
        make_return("a.xlsx", "社区甲", {("troops", "qty"): Decimal(2)}, dt.date(2020, 8, 1)),
        "a.xlsx",
        roster_unit="社区甲",
        category="街道",
    )
    s = merge_results([street, own], SPEC, roster, name="区", date=None)
    assert [f.included for f in s.files] == [True, False]
    assert s.total[("troops", "qty")] == 5
    by = {x.name: x for x in s.statuses}
    assert (by["城西街道"].status, by["城西街道"].file) == (Status.REPORTED, "s.xlsx")
    assert (by["社区甲"].status, by["社区甲"].contact) == (Status.DUPLICATE, "李四")
    assert by["社区甲"].note == "已含在汇总表 s.xlsx（城西街道）中，未单独计入"
    assert (by["社区乙"].status, by["社区乙"].file) == (Status.REPORTED, "s.xlsx")
    assert by["社区乙"].note == "含在“城西街道”的汇总表中"
    assert s.missing == ()
    assert merge_exit(s) is ExitStatus.FINDINGS  # 社区甲's own return does not count


def test_the_closing_line_says_totals_exactly() -> None:
    from shuangyong_cli.season.totals import money_text

    assert [money_text(Decimal(x)) for x in ("197.293", "197.3", "0", "12.50", "1E+2")] == [
        "197.293",
        "197.30",
        "0.00",
        "12.50",
        "100.00",
    ]


def test_of_identical_files_the_one_not_named_as_a_copy_counts() -> None:
    """庚镇 sent a correction, and the clerk's folder has it twice (``… - 副本`` from copying
    the attachment, saved later): the numbers are the same either way, but 报送情况 and 来源文件
    name the file the unit sent, and the copy is the one said to count once."""
    values = {("troops", "qty"): Decimal(3)}
    sha = "ab" * 32
    sent = make_return("庚镇（更正）.xlsx", "甲", values, dt.date(2020, 8, 12), mtime=1.0, sha=sha)
    copy = make_return(
        "庚镇（更正） - 副本.xlsx", "甲", values, dt.date(2020, 8, 12), mtime=2.0, sha=sha
    )
    s = merge_results(
        [make_result(copy, copy.path), make_result(sent, sent.path)],
        SPEC,
        None,
        name="汇总",
        date=None,
    )
    assert [(f.path, f.included) for f in s.files] == [
        ("庚镇（更正） - 副本.xlsx", False),
        ("庚镇（更正）.xlsx", True),
    ]
    assert s.files[0].reason == "与 庚镇（更正）.xlsx 内容完全相同，只计一次"
    # only copies byte for byte: a later file with other bytes is still the later file
    other = make_return("庚镇 - 副本.xlsx", "甲", values, dt.date(2020, 8, 13), mtime=3.0)
    s = merge_results(
        [make_result(sent, sent.path), make_result(other, other.path)],
        SPEC,
        None,
        name="汇总",
        date=None,
    )
    assert [(f.path, f.included) for f in s.files] == [
        ("庚镇（更正）.xlsx", False),
        ("庚镇 - 副本.xlsx", True),
    ]


def test_a_copys_original_counts_only_when_it_still_comes_after_the_other_files() -> None:
    """庚镇.xlsx (modified first), a different 庚镇（更正）.xlsx (then), and a copy of the first
    saved last: the copy's contents are the latest; counting the original by its name would
    make 以修改时间较晚者为准 false for 更正, so the copy counts."""
    first = make_return("庚镇.xlsx", "甲", {("troops", "qty"): Decimal(1)}, None, mtime=1.0)
    fixed = make_return("庚镇（更正）.xlsx", "甲", {("troops", "qty"): Decimal(2)}, None, mtime=2.0)
    copy = make_return(
        "庚镇 - 副本.xlsx", "甲", {("troops", "qty"): Decimal(1)}, None, mtime=3.0, sha=first.sha256
    )
    s = merge_results(
        [make_result(d, d.path) for d in (first, fixed, copy)],
        SPEC,
        None,
        name="汇总",
        date=None,
    )
    assert [(f.path, f.included) for f in s.files] == [
        ("庚镇.xlsx", False),
        ("庚镇（更正）.xlsx", False),
        ("庚镇 - 副本.xlsx", True),
    ]
