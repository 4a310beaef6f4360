"""status.py: the board before the deadline, and the 催报名单 workbook.

The returns are the scenario of ``scenarios.py`` (35 roster units over all seven categories:
3 未报, 3 有误, 1 逾期, 5 重复, 2 units off the roster, one unreadable file), so the board's
statuses are the ones the merge tests already pin down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest

from scenarios import SPEC, Scenario, scenario
from shuangyong_cli.cli.exitcodes import ExitStatus, status_exit
from shuangyong_cli.model.errors import OutputError
from shuangyong_cli.model.findings import Report
from shuangyong_cli.season.roster import Roster, RosterUnit
from shuangyong_cli.season.status import (
    CHASE_HEADER,
    CHASE_SHEET,
    Board,
    build_board,
    chase_note,
)
from shuangyong_cli.season.totals import Status, UnitStatus
from shuangyong_cli.writing.chase_list import build_chase_list, write_chase_list

TODAY = dt.date(2020, 8, 12)


@pytest.fixture(scope="module")
def sc() -> Scenario:
    return scenario()


def board_of(sc: Scenario, **kw: object) -> Board:
    options: dict[str, object] = {"today": TODAY, **kw}
    return build_board(Report(files=sc.results), SPEC, sc.roster, **options)  # type: ignore[arg-type]


def test_counts_are_the_merge_statuses(sc: Scenario) -> None:
    board = board_of(sc)
    assert board.counts == {
        Status.REPORTED: 23,
        Status.MISSING: 3,
        Status.ERRORS: 3,
        Status.LATE: 1,
        Status.DUPLICATE: 5,
    }
    assert list(board.counts) == [
        Status.REPORTED, Status.MISSING, Status.ERRORS, Status.LATE, Status.DUPLICATE,
    ]  # fmt: skip
    on_roster = {k: v for k, v in sc.statuses.items() if sc.roster.get(k) is not None}
    assert {s.name: s.status for s in board.statuses} == on_roster
    assert [s.name for s in board.unlisted] == ["区融媒体中心", "社区甲"]
    assert board.unattributed == ("99_坏文件.xlsx",)
    assert board.files == len(sc.results)
    assert board.headline() == (
        "名册共 35 个单位：已报 23，未报 3，有误 3，逾期 1，重复 5；另有未列入名册的单位 2 个"
    )


@pytest.mark.parametrize(
    ("today", "days", "line"),
    [
        (dt.date(2020, 8, 12), 2, "截止日期 2020-08-14，还有 2 天"),
        (dt.date(2020, 8, 14), 0, "截止日期 2020-08-14，今天截止"),
        (dt.date(2020, 8, 17), -3, "截止日期 2020-08-14，已过截止日期 3 天"),
    ],
)
def test_days_left(sc: Scenario, today: dt.date, days: int, line: str) -> None:
    board = board_of(sc, today=today)
    assert board.days_left == days
    assert board.deadline_line() == line
    assert board.final_line() == f"截至 {today.isoformat()}：未报 3 个，有误 3 个；{line}。"


def test_no_deadline(sc: Scenario) -> None:
    spec = dataclasses.replace(SPEC, deadline=None)
    board = build_board(Report(files=sc.results), spec, sc.roster, today=TODAY)
    assert board.days_left is None and board.deadline is None
    assert board.deadline_line() == "表式未规定截止日期（可用 --deadline 指定）"
    # Without a deadline nothing is late.
    assert board.counts[Status.LATE] == 0 and board.counts[Status.REPORTED] == 24


def test_deadline_overrides_the_form_and_decides_late(sc: Scenario) -> None:
    board = board_of(sc, deadline=dt.date(2020, 8, 10))
    assert board.deadline == dt.date(2020, 8, 10) and board.days_left == -2
    assert board.counts[Status.LATE] == 12
    assert board.counts[Status.REPORTED] == 12
    late = next(s for s in board.statuses if s.name == "消防救援大队")
    assert late.note == "逾期 6 天（日期 2020-08-16，截止 2020-08-10）"


def test_missing_and_errors_lists_with_contacts(sc: Scenario) -> None:
    board = board_of(sc)
    assert [(s.name, s.category, s.contact, s.phone) for s in board.missing] == [
        ("黎水镇", "乡镇", "黎水镇联络员", "13800000005"),
        ("区委政法委", "区委各部委", "政法委联络员", "13800000016"),
        ("区科协", "人民团体", "区科协联络员", "13800000025"),
    ]
    assert [s.name for s in board.errors] == ["正阳街道", "区教委", "区中医院"]
    assert [(s.name, s.status) for s in board.to_chase] == [
        ("黎水镇", Status.MISSING),
        ("正阳街道", Status.ERRORS),
        ("区委政法委", Status.MISSING),
        ("区教委", Status.ERRORS),
        ("区科协", Status.MISSING),
        ("区中医院", Status.ERRORS),
    ]
    assert not board.complete and status_exit(board) is ExitStatus.FINDINGS
    assert chase_note(board.missing[0]) == "未收到报表"
    assert chase_note(board.errors[1]) == (
        "报表有误，需改正后重新报送（23_区教委.xlsx：有 1 个错误（不是数字），未计入）"
    )


def test_lists_follow_category_order_not_roster_order(sc: Scenario) -> None:
    shuffled = Roster(units=tuple(reversed(sc.roster.units)), categories=sc.roster.categories)
    board = build_board(Report(files=sc.results), SPEC, shuffled, today=TODAY)
    assert board.statuses[0].name == "某部二营"  # roster order
    assert [s.name for s in board.to_chase] == [
        "黎水镇", "正阳街道", "区委政法委", "区教委", "区科协", "区中医院",
    ]  # fmt: skip


def test_everyone_reported_is_complete() -> None:
    sc = scenario()
    roster = Roster(
        units=tuple(u for u in sc.roster.units if sc.statuses[u.name] is Status.REPORTED),
        categories=sc.roster.categories,
    )
    files = [r for r in sc.results if r.roster_unit in {u.name for u in roster.units}]
    board = build_board(Report(files=files), SPEC, roster, today=TODAY)
    assert board.counts[Status.REPORTED] == len(roster.units) == 23
    assert board.complete and status_exit(board) is ExitStatus.OK
    assert board.final_line() == (
        "截至 2020-08-12：名册中 23 个单位均已报送；截止日期 2020-08-14，还有 2 天。"
    )


def test_to_dict_has_stable_keys(sc: Scenario) -> None:
    d = json.loads(json.dumps(board_of(sc).to_dict(), ensure_ascii=False))
    assert list(d) == [
        "today", "deadline", "days_left", "files", "roster_units", "counts", "unlisted",
        "complete", "missing", "errors", "units", "unlisted_units", "unattributed_files",
        "notes",
    ]  # fmt: skip
    assert (d["today"], d["deadline"], d["days_left"]) == ("2020-08-12", "2020-08-14", 2)
    assert d["counts"] == {"reported": 23, "missing": 3, "errors": 3, "late": 1, "duplicate": 5}
    assert d["missing"][0] == {
        "name": "黎水镇",
        "category": "乡镇",
        "status": "missing",
        "status_label": "未报",
        "contact": "黎水镇联络员",
        "phone": "13800000005",
        "file": "",
        "files": [],
        "date": None,
        "note": "",
        "unusable_files": [],
        "fixes": [],
    }
    assert d["errors"][0]["fixes"] == ["所有数值格均为空。"]
    assert d["notes"] == board_of(sc).notes()
    assert len(d["units"]) == 35 and d["roster_units"] == 35 and not d["complete"]
    assert d["unattributed_files"] == ["99_坏文件.xlsx"]


# -- 催报名单 ------------------------------------------------------------------------------------


def test_chase_list_workbook(sc: Scenario, tmp_path: Path) -> None:
    board = board_of(sc)
    out = tmp_path / "催报名单.xlsx"
    assert write_chase_list(board, out, force=False, inputs=[]) == out.resolve()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [CHASE_SHEET]
    ws = wb[CHASE_SHEET]
    assert ws["A1"].value == "催报名单（截至 2020-08-12）"
    assert ws["A2"].value == (
        "名册共 35 个单位：已报 23，未报 3，有误 3，逾期 1，重复 5；"
        "另有未列入名册的单位 2 个；截止日期 2020-08-14，还有 2 天。"
    )
    assert tuple(c.value for c in ws[3]) == CHASE_HEADER
    everything = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=4)]
    rows, notes = everything[:6], everything[6:]
    assert rows[0] == (1, "乡镇", "黎水镇", "未报", "黎水镇联络员", "13800000005", "未收到报表")
    assert [r[2] for r in rows] == [s.name for s in board.to_chase]
    assert [r[3] for r in rows] == ["未报", "有误", "未报", "有误", "未报", "有误"]
    assert rows[1][6] == chase_note(board.to_chase[1], board.fixes["正阳街道"])
    # a unit with errors is told what to correct, in the words validate uses
    assert rows[3][6] == (
        "报表有误，需改正后重新报送（23_区教委.xlsx：有 1 个错误（不是数字），未计入）："
        "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字，实际为“约5”；"
        "请填写确切金额（万元），如 5 或 5.00。"
    )
    # the note the terminal shows under the list is printed under the table too
    assert [n[0] for n in notes if n[0]] == board.notes()
    assert board.notes() == [
        "另有 1 个文件无法确定是哪个单位的（无法读取或未填填报单位），其中可能有上列未报单位的"
        "报表：99_坏文件.xlsx。可用 shuangyong validate 查看原因。"
    ]
    # Phone numbers stay text (a leading 0 or 023- is never lost).
    assert ws["F4"].data_type == "s"
    # Print-ready: A4, fitted to one page wide, header row repeated, page numbers.
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:G1", "A2:G2", "A11:G11"}
    # Rows are as high as their wrapped text (a long 有误 note takes several lines).
    assert ws.row_dimensions[5].height >= 2 * 16 + 4 and ws["G5"].alignment.wrap_text


def test_chase_list_bytes_are_stable(sc: Scenario, tmp_path: Path) -> None:
    board = board_of(sc)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_chase_list(board, a, force=False, inputs=[])
    write_chase_list(board, b, force=False, inputs=[])
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_chase_list_text_is_never_a_formula(sc: Scenario) -> None:
    unit = RosterUnit('=HYPERLINK("http://x","y")', "乡镇", (), "+联系人", "-023", 2)
    roster = Roster(units=(unit,), categories=sc.roster.categories)
    board = build_board(Report(files=[]), SPEC, roster, today=TODAY)
    ws = build_chase_list(board)[CHASE_SHEET]
    assert ws["C4"].value == unit.name and ws["C4"].data_type == "s" and ws["C4"].quotePrefix
    assert ws["E4"].value == "+联系人" and ws["F4"].value == "-023"


def test_chase_list_when_nobody_is_missing() -> None:
    board = build_board(Report(files=[]), SPEC, Roster(units=()), today=TODAY)
    ws = build_chase_list(board)[CHASE_SHEET]
    assert ws["A4"].value == "名册中的单位均已报送，无需催报。"


def test_chase_list_refuses_to_overwrite(sc: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "催报名单.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="已存在；如要覆盖，请加 --force"):
        write_chase_list(board_of(sc), out, force=False, inputs=[])
    assert out.read_bytes() == b"old"
    with pytest.raises(OutputError, match="位于正在读取的文件夹"):
        write_chase_list(board_of(sc), tmp_path / "x.xlsx", force=False, inputs=[tmp_path])


_CAME = "收到文件“壬镇.xlsx”（按文件名是本单位的），但无法使用："


@pytest.mark.parametrize(
    ("reason", "asks_already"),
    [
        ("文件是空的（0 字节），可能保存或传输失败；请重新报送", True),
        ("文件不完整；请重新发送完整的文件", True),
        (
            "这是 CSV 文本文件；请在 Excel/WPS 中打开统计表后“另存为”Excel 工作簿(.xlsx) 再报送",
            True,
        ),
        ("这是 Word 文档，不是统计表；请报送下发的 Excel 统计表(.xlsx)", True),
        ("文件已加密，请去除打开密码后重新报送。去除方法：…清空后保存", True),
        ("这是 ZIP 压缩包；请解压后报送其中的统计表(.xlsx)", True),
        ("单元格 C3「填报单位」未填写", False),
    ],
)
def test_the_chase_note_asks_to_send_again_once(reason: str, asks_already: bool) -> None:
    note = _CAME + reason
    s = UnitStatus("壬镇", "乡镇", Status.MISSING, note=note, unusable=("壬镇.xlsx",))
    assert chase_note(s) == (note if asks_already else note + "；请重新报送")


def test_files_already_on_a_units_line_are_not_listed_again_under_the_table() -> None:
    board = Board(
        today=TODAY,
        deadline=None,
        files=2,
        statuses=(
            UnitStatus("壬镇", "乡镇", Status.MISSING, note="收到文件…", unusable=("壬镇.xlsx",)),
        ),
        unlisted=(),
        categories=("乡镇",),
        unattributed=("壬镇.xlsx", "99_坏文件.xlsx"),
    )
    assert board.notes() == [
        "另有 1 个文件无法确定是哪个单位的（无法读取或未填填报单位），其中可能有上列未报单位的"
        "报表：99_坏文件.xlsx。可用 shuangyong validate 查看原因。"
    ]
    placed_only = dataclasses.replace(board, unattributed=("壬镇.xlsx",))
    assert placed_only.notes() == []
