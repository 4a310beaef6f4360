"""`shuangyong status` as a whole command: the board, --json, --export, exit codes, no writes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from returnfiles import EXAMPLES, RETURNS, ROSTER_CSV, SPEC, plausible, write_return
from shuangyong_cli.cli.app import cli
from shuangyong_cli.season.inbox import validate_paths
from shuangyong_cli.season.roster import load_roster
from shuangyong_cli.season.status import build_board
from shuangyong_cli.writing.chase_list import build_chase_list, write_chase_list

UNITS = [
    ("城东街道", "街道", "赵军", "023-79224991"),
    ("城南街道", "街道", "高小红", "023-79224080"),
    ("石会镇", "乡镇", "冉明", "13600001111"),
    ("黑溪镇", "乡镇", "向静", "023-79220002"),
    ("区委办公室", "区委各部委", "王芳", "023-79220005"),
    ("黔江区民政局", "区级国家机关各部门", "李伟", "023-79220006"),
    ("黔江区总工会", "人民团体", "张勇", "023-79220007"),
    ("武警黔江中队", "驻黔部队", "刘强", "023-79220008"),
]
MISSING = ("黑溪镇", "黔江区总工会")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


def make_roster(path: Path, units: list[tuple[str, str, str, str]]) -> Path:
    lines = ["单位名称,单位类别,联系人,联系电话", *(",".join(u) for u in units)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """8 roster units: 4 clean returns, one late (8月16日), one with an error (区委办公室),
    two missing; plus a unit not on the roster."""
    root = tmp_path_factory.mktemp("status")
    folder = root / "回收"
    folder.mkdir()
    for i, (name, category, _, _) in enumerate(UNITS):
        if name in MISSING:
            continue
        values = plausible(i, category)
        date = dt.date(2020, 8, 16) if name == "石会镇" else dt.date(2020, 8, 10)
        if name == "区委办公室":
            values[("gatherings", "qty")] = "约5"
        write_return(folder / f"{name}.xlsx", name, values, date=date)
    write_return(folder / "正阳工业园区.xlsx", "正阳工业园区管委会", plausible(99, "乡镇"))
    return folder, make_roster(root / "名册.csv", UNITS)


def files_under(path: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


def test_board_on_screen(inbox: tuple[Path, Path]) -> None:
    folder, roster = inbox
    root = folder.parent
    before = files_under(root)
    result = run("status", folder, "--roster", roster, "--today", "2020-08-12")
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.startswith("报送进度（截至 2020-08-12；截止日期 2020-08-14，还有 2 天）\n")
    assert "名册单位  已报  未报  有误  逾期  重复  未列入名册" in out
    assert "       8     4     2     1     1     0           1" in out
    assert "未报和有误的单位：3 个" in out
    lines = [line.split() for line in out.splitlines()]
    assert ["1", "乡镇", "黑溪镇", "未报", "向静", "023-79220002", "未收到报表"] in lines
    assert ["3", "人民团体", "黔江区总工会", "未报", "张勇", "023-79220007", "未收到报表"] in lines
    assert any(line[:4] == ["2", "区委各部委", "区委办公室", "有误"] for line in lines)
    assert out.rstrip().endswith(
        "截至 2020-08-12：未报 2 个，有误 1 个；截止日期 2020-08-14，还有 2 天。"
    )
    assert result.stderr == ""
    assert files_under(root) == before  # reads and checks, writes nothing


def test_quiet_prints_the_last_line_only(inbox: tuple[Path, Path]) -> None:
    folder, roster = inbox
    result = run("status", folder, "--roster", roster, "--today", "2020-08-17", "-q")
    assert result.exit_code == 1
    assert result.stdout == (
        "截至 2020-08-17：未报 2 个，有误 1 个；截止日期 2020-08-14，已过截止日期 3 天。\n"
    )


def test_json_is_the_librarys_board(inbox: tuple[Path, Path]) -> None:
    folder, roster_path = inbox
    result = run("status", folder, "--roster", roster_path, "--today", "2020-08-12", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    roster = load_roster(roster_path, SPEC)
    report = validate_paths([folder], SPEC, roster=roster)
    board = build_board(report, SPEC, roster, today=dt.date(2020, 8, 12))
    assert data == json.loads(json.dumps(board.to_dict(), ensure_ascii=False))
    assert data["counts"] == {"reported": 4, "missing": 2, "errors": 1, "late": 1, "duplicate": 0}
    assert [u["name"] for u in data["missing"]] == ["黑溪镇", "黔江区总工会"]
    assert data["missing"][0]["phone"] == "023-79220002"
    assert [u["name"] for u in data["unlisted_units"]] == ["正阳工业园区管委会"]


def test_today_defaults_to_today(inbox: tuple[Path, Path]) -> None:
    folder, roster = inbox
    result = run("status", folder, "--roster", roster, "--json")
    data = json.loads(result.stdout)
    assert data["today"] == dt.date.today().isoformat()
    assert data["days_left"] == (dt.date(2020, 8, 14) - dt.date.today()).days


def test_deadline_option(inbox: tuple[Path, Path]) -> None:
    folder, roster = inbox
    result = run(
        "status", folder, "--roster", roster, "--today", "2020-08-12", "--deadline", "2020.8.20",
        "--json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    assert (data["deadline"], data["days_left"]) == ("2020-08-20", 8)
    assert data["counts"]["late"] == 0 and data["counts"]["reported"] == 5


def test_all_reported_is_exit_0(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    units = [u for u in UNITS if u[0] in ("城东街道", "武警黔江中队")]
    for i, (name, category, _, _) in enumerate(units):
        write_return(folder / f"{name}.xlsx", name, plausible(i, category))
    roster = make_roster(tmp_path / "名册.csv", units)
    result = run("status", folder, "--roster", roster, "--today", "2020-08-12")
    assert result.exit_code == 0, result.output
    assert "未报和有误的单位" not in result.stdout
    assert result.stdout.rstrip().endswith(
        "截至 2020-08-12：名册中 2 个单位均已报送；截止日期 2020-08-14，还有 2 天。"
    )


def test_export_chase_list(inbox: tuple[Path, Path], tmp_path: Path) -> None:
    folder, roster_path = inbox
    out = tmp_path / "催报名单.xlsx"
    args = ["status", folder, "--roster", roster_path, "--today", "2020-08-12", "--export", out]
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr == f"已写出：{out.resolve()}\n"
    ws = openpyxl.load_workbook(out)["催报名单"]
    assert ws["A1"].value == "催报名单（截至 2020-08-12）"
    assert [ws.cell(r, 3).value for r in range(4, 7)] == ["黑溪镇", "区委办公室", "黔江区总工会"]
    assert [ws.cell(r, 6).value for r in range(4, 7)] == [
        "023-79220002", "023-79220005", "023-79220007",
    ]  # fmt: skip
    # The same bytes as the library writes for the same board.
    roster = load_roster(roster_path, SPEC)
    board = build_board(
        validate_paths([folder], SPEC, roster=roster), SPEC, roster, today=dt.date(2020, 8, 12)
    )
    lib = tmp_path / "lib.xlsx"
    write_chase_list(board, lib, force=False, inputs=[])
    assert lib.read_bytes() == out.read_bytes()
    assert build_chase_list(board)["催报名单"]["C4"].value == "黑溪镇"
    # An existing file is kept without --force, replaced with it.
    again = run(*args)
    assert again.exit_code == 2 and "已存在；如要覆盖，请加 --force" in again.stderr
    assert run(*args, "--force").exit_code == 1


def test_export_into_the_inbox_is_refused(inbox: tuple[Path, Path]) -> None:
    folder, roster = inbox
    before = files_under(folder)
    result = run("status", folder, "--roster", roster, "--export", folder / "催报名单.xlsx")
    assert result.exit_code == 2
    assert "位于正在读取的文件夹" in result.stderr
    assert files_under(folder) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "错误：缺少选项“--roster”"),
        (["--roster", "{roster}", "--deadline", "八月中"], "“八月中”不是日期"),
        (["--roster", "{roster}", "--today", "2020-13-45"], "“2020-13-45”不是日期"),
        (["--roster", "{tmp}/没有的名册.csv"], "找不到名册文件"),
    ],
)
def test_usage_errors_exit_2(
    inbox: tuple[Path, Path], tmp_path: Path, args: list[str], message: str
) -> None:
    folder, roster = inbox
    filled = [a.format(roster=roster, tmp=tmp_path) for a in args]
    result = run("status", folder, *filled)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_folder_is_exit_2(inbox: tuple[Path, Path], tmp_path: Path) -> None:
    _, roster = inbox
    result = run("status", tmp_path / "没有", "--roster", roster)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：找不到文件或文件夹")


def test_help_documents_exit_codes() -> None:
    result = run("status", "--help")
    assert result.exit_code == 0
    assert "退出码：0 名册中每个单位都已报送且可以计入；1 还有单位未报或有误；" in result.stdout
    for option in ("--roster", "--deadline", "--today", "--export", "--json", "--force"):
        assert option in result.stdout


def test_examples_board() -> None:
    """The committed examples: the 12 units examples/README.md lists as 未报."""
    result = run(
        "status", EXAMPLES / "回收", "--roster", ROSTER_CSV, "--today", "2020-08-12", "--json",
    )  # fmt: skip
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [u["name"] for u in data["missing"]] == [
        "黄溪镇", "水市乡", "区委网信办", "黔江区科学技术局", "黔江区司法局",
        "黔江区生态环境局", "黔江区统计局", "黔江区医疗保障局", "黔江区社会科学界联合会",
        "黔江区公共交通有限公司", "黔江区国有资产经营管理有限公司", "驻黔某部通信站",
    ]  # fmt: skip
    assert data["roster_units"] == 97 and data["days_left"] == 2
    # 水市乡's copy came back filled in by 金洞乡: said on 水市乡's line, with both names
    shuishi = next(u for u in data["missing"] if u["name"] == "水市乡")
    assert shuishi["note"] == "水市乡.xlsx 用的是发给本单位的表，填报单位却是“金洞乡”，请核实"
    assert sorted(data["unattributed_files"]) == [
        "黄溪镇八一统计表.xlsx", "黔江区司法局-统计表.xlsx", "黔江区统计局-八一统计表.xlsx",
    ]  # fmt: skip


def test_a_unit_whose_only_file_cannot_be_used_is_told_so() -> None:
    """黄溪镇 sent a return without 填报单位, 黔江区统计局 a truncated file: the file names the
    unit, so the chase list says a file came and why it cannot be used, not 未收到报表; the
    name 黄溪镇 is to type is its own, not the general example."""
    result = run("status", RETURNS, "--roster", ROSTER_CSV, "--json")
    units = {u["name"]: u for u in json.loads(result.stdout)["units"]}
    assert units["黄溪镇"]["status"] == "missing"
    assert units["黄溪镇"]["unusable_files"] == ["黄溪镇八一统计表.xlsx"]
    assert units["黄溪镇"]["note"] == (
        "收到文件“黄溪镇八一统计表.xlsx”（按文件名是本单位的），但无法使用："
        "单元格 C3「填报单位」未填写；请填写本单位全称（与名册一致），如“黄溪镇”"
    )
    assert units["黔江区统计局"]["note"].startswith(
        "收到文件“黔江区统计局-八一统计表.xlsx”（按文件名是本单位的），但无法使用：文件"
    )
    assert units["黎水镇"]["note"] == ""  # sent nothing at all
    assert units["黎水镇"]["unusable_files"] == []


def test_validate_says_a_file_came_for_a_unit_whose_only_file_cannot_be_used() -> None:
    """The 未报 finding of validate (and merge's 校验问题) says what status and 报送情况 say:
    a file named for the unit came but cannot be counted; a unit that sent nothing is 未报送."""
    result = run("validate", RETURNS, "--roster", ROSTER_CSV, "--json")
    said = {
        f["value"]: f["message"]
        for f in json.loads(result.stdout)["general"]
        if f["code"] == "roster.not_reported"
    }
    assert said["黔江区统计局"] == (
        "黔江区统计局（区级国家机关各部门）：收到文件“黔江区统计局-八一统计表.xlsx”"
        "（按文件名是本单位的），但无法使用（原因见该文件的问题），仍算未报"
        "（联系人 王敏，电话 023-79224713）；请该单位重新报送。"
    )
    assert said["黄溪镇"].startswith("黄溪镇（乡镇）：收到文件“黄溪镇八一统计表.xlsx”")
    assert said["区委网信办"] == (
        "区委网信办（区委各部委）未报送（联系人 吴国庆，电话 023-79222862）。"
    )
    assert len(said) == 12
