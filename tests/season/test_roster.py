from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from shuangyong_cli.model.errors import RosterError
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.season.roster import (
    Match,
    Roster,
    RosterUnit,
    load_roster,
    normalize_unit_name,
    plain_name,
)

SPEC = load_form()
ALLOWED = "乡镇、街道、区委各部委、区级国家机关各部门、人民团体、区属企事业单位、驻黔部队"

CSV = """单位名称,单位类别,别名,联系人,联系电话
城西街道,街道,,张三,023-79222222
黔江区民政局,区级部门,区民政局、民政局,李四,13800000000
黔江区人民武装部,驻黔部队,区人武部；人武部,王五,
濯水镇,镇,,赵六,13900000000.0
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "名册.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load_csv(tmp_path: Path, text: str) -> Roster:
    return load_roster(write(tmp_path, text), SPEC)


def roster_error(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(RosterError) as e:
        load_roster(path, SPEC)
    message = str(e.value)
    assert "\n" not in message
    return message.replace(str(path), "<名册>")


# -- reading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    roster = load_roster(write(tmp_path, CSV, encoding), SPEC)
    assert roster.units == (
        RosterUnit("城西街道", "街道", (), "张三", "023-79222222", 2),
        RosterUnit(
            "黔江区民政局", "区级国家机关各部门", ("区民政局", "民政局"), "李四", "13800000000", 3
        ),
        RosterUnit("黔江区人民武装部", "驻黔部队", ("区人武部", "人武部"), "王五", "", 4),
        RosterUnit("濯水镇", "乡镇", (), "赵六", "13900000000", 5),
    )
    assert roster.source == tmp_path / "名册.csv"
    assert len(roster) == 4


def test_by_category_in_form_order(tmp_path: Path) -> None:
    groups = load_csv(tmp_path, CSV).by_category()
    assert list(groups) == ALLOWED.split("、")
    assert [u.name for u in groups["乡镇"]] == ["濯水镇"]
    assert [u.name for u in groups["街道"]] == ["城西街道"]
    assert groups["人民团体"] == ()


def test_tolerant_header_title_row_and_blank_lines(tmp_path: Path) -> None:
    text = (
        "黔江区“八一”双拥工作报送单位名册,,\n"
        ",,\n"
        " 单位 名称 ,＊单位类别,联系电话\n"
        "城西街道 ,街道党工委和办事处,\n"
        ",,\n"
        "区妇联,群团组织,\n"
    )
    roster = load_csv(tmp_path, text)
    assert [(u.name, u.category, u.line) for u in roster] == [
        ("城西街道", "街道", 4),
        ("区妇联", "人民团体", 6),
    ]


def test_full_width_header(tmp_path: Path) -> None:
    roster = load_csv(tmp_path, "单位名称　,单位类别\t\n城西街道,街道\n")
    assert roster.units[0].name == "城西街道"


def test_tab_separated(tmp_path: Path) -> None:
    roster = load_csv(tmp_path, "单位名称\t单位类别\t别名\n城西街道\t街道\t城西, 城西办\n")
    assert roster.units[0].aliases == ("城西", "城西办")


def test_xlsx_numeric_phone_stays_text(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["序号", "单位名称", "单位类别", "联系人", "联系电话"])
    ws.append([1, "城西街道", "街道", "张三", 13800000000])
    ws.append([2, "濯水镇", "乡镇", "李四", 2379222222.0])
    ws.append([3, "区妇联", "人民团体", None, "023-1234"])
    other = wb.create_sheet("说明")
    other.append(["这张表不读"])
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    roster = load_roster(path, SPEC)
    assert [(u.name, u.phone, u.line) for u in roster] == [
        ("城西街道", "13800000000", 2),
        ("濯水镇", "2379222222", 3),
        ("区妇联", "023-1234", 4),
    ]


def test_xlsx_misnamed_as_csv_is_still_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["单位名称", "单位类别"])
    ws.append(["城西街道", "街道"])
    path = tmp_path / "名册.csv"
    wb.save(path)
    assert [u.name for u in load_roster(path, SPEC)] == ["城西街道"]


# -- errors -----------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "没有.csv"
    with pytest.raises(RosterError) as e:
        load_roster(path, SPEC)
    assert str(e.value) == f"找不到名册文件：{path}"


def test_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_bytes(b"\x80\x81\xff\x00garbage")
    with pytest.raises(RosterError) as e:
        load_roster(path, SPEC)
    assert str(e.value) == (
        f"名册 {path} 无法识别：既不是 Excel 工作簿，也不是 UTF-8 或 GBK 编码的 CSV；"
        "请在 Excel 中另存为“CSV（逗号分隔）”或 .xlsx"
    )


def test_broken_workbook(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    said = "无法作为 Excel 工作簿读取（文件可能已损坏、不完整或加了密码）"
    with pytest.raises(RosterError, match=said):
        load_roster(path, SPEC)


def test_missing_columns(tmp_path: Path) -> None:
    assert roster_error(tmp_path, "名称,类型\n城西街道,街道\n") == (
        "名册 <名册> 缺少“单位名称、单位类别”列（找到的列为：名称、类型）；"
        "表头应包含 单位名称、单位类别"
    )
    assert roster_error(tmp_path, "单位名称,联系人\n城西街道,张三\n") == (
        "名册 <名册> 缺少“单位类别”列（第 1 行的列为：单位名称、联系人）；"
        "表头应包含 单位名称、单位类别"
    )


def test_empty_file(tmp_path: Path) -> None:
    assert roster_error(tmp_path, "\n\n") == "名册 <名册> 是空的；表头应包含 单位名称、单位类别"


def test_empty_name(tmp_path: Path) -> None:
    assert roster_error(tmp_path, "单位名称,单位类别\n城西街道,街道\n ,乡镇\n") == (
        "名册 <名册> 第 3 行：单位名称为空；请填写单位全称，或删除这一行"
    )


def test_unknown_category(tmp_path: Path) -> None:
    assert roster_error(tmp_path, "单位名称,单位类别\n城西街道,街办\n") == (
        f"名册 <名册> 第 2 行（城西街道）：单位类别为“街办”，应为以下之一：{ALLOWED}"
    )
    assert roster_error(tmp_path, "单位名称,单位类别\n城西街道,\n") == (
        f"名册 <名册> 第 2 行（城西街道）：单位类别为空白，应为以下之一：{ALLOWED}"
    )


def test_duplicate_name(tmp_path: Path) -> None:
    text = "单位名称,单位类别\n城西街道,街道\n濯水镇,乡镇\n城西 街道,街道\n"
    assert roster_error(tmp_path, text) == (
        "名册 <名册> 第 2 行和第 4 行的单位名称“城西 街道”重复；每个单位只能列一次"
    )


def test_alias_equal_to_an_earlier_name(tmp_path: Path) -> None:
    text = "单位名称,单位类别,别名\n区民政局,区级部门,\n黔江区民政局,区级部门,区民政局\n"
    assert roster_error(tmp_path, text) == (
        "名册 <名册> 第 3 行（黔江区民政局）：别名与第 2 行的单位名称“区民政局”相同；请删去这个别名"
    )


def test_alias_equal_to_a_later_name(tmp_path: Path) -> None:
    text = "单位名称,单位类别,别名\n黔江区民政局,区级部门,区民政局\n区民政局,区级部门,\n"
    assert roster_error(tmp_path, text) == (
        "名册 <名册> 第 2 行“黔江区民政局”的别名与第 3 行的单位名称“区民政局”相同；请删去这个别名"
    )


def test_alias_shared_by_two_units(tmp_path: Path) -> None:
    text = "单位名称,单位类别,别名\n黔江区民政局,区级部门,民政\n黔江区民宗委,区级部门,民政\n"
    assert roster_error(tmp_path, text) == (
        "名册 <名册> 第 3 行（黔江区民宗委）：别名“民政”与第 2 行“黔江区民政局”的别名相同；"
        "同一别名只能属于一个单位"
    )


def test_empty_roster(tmp_path: Path) -> None:
    assert roster_error(tmp_path, "单位名称,单位类别\n,\n") == (
        "名册 <名册> 中没有任何单位；请在表头下逐行填写单位名称和单位类别"
    )


# -- matching ---------------------------------------------------------------------------------


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    text = (
        "单位名称,单位类别,别名\n"
        "黔江区民政局,区级部门,\n"
        "黔江区人民武装部,驻黔部队,人武部\n"
        "城西街道,街道,\n"
        "城东街道,街道,\n"
        "黔江区委组织部,区委部委,\n"
        "黔江区财政局,区级部门,\n"
        "重庆市黔江中学校,区属企事业单位,\n"
        "黔江区水务局,区级部门,\n"
        "黔江区水利工程管理所,区属企事业单位,\n"
    )
    return load_csv(tmp_path, text)


def test_normalize_unit_name() -> None:
    assert normalize_unit_name(" 黔江区 民政局 ") == "民政局"
    assert normalize_unit_name("民政局（盖章）") == "民政局"
    assert normalize_unit_name("重庆市黔江区民政局(盖章)") == "民政局"
    assert normalize_unit_name("区民政局") == "民政局"
    assert normalize_unit_name("黔江中学") == "中学"
    assert normalize_unit_name("城西街道") == "城西街道"  # a prefix only at the start
    assert normalize_unit_name("黔江区") == "黔江区"  # nothing left: keep the name
    assert normalize_unit_name("ＡＢＣ局") == "ABC局"
    assert plain_name("黔江区　民政局\t") == "黔江区民政局"


@pytest.mark.parametrize(
    ("typed", "name", "exact", "how"),
    [
        ("黔江区民政局", "黔江区民政局", True, ""),
        (" 黔江区 民政局 ", "黔江区民政局", True, ""),
        ("黔江区民政局\u3000", "黔江区民政局", True, ""),
        ("城西街道", "城西街道", True, ""),
        ("人武部", "黔江区人民武装部", False, "按别名“人武部”匹配"),
        ("区民政局", "黔江区民政局", False, "去掉“区”、“黔江区”后匹配"),
        ("民政局（盖章）", "黔江区民政局", False, "去掉“（盖章）”、“黔江区”后匹配"),
        ("黔江区民政局(盖章)", "黔江区民政局", False, "去掉“（盖章）”后匹配"),
        ("民政局", "黔江区民政局", False, "去掉“黔江区”后匹配"),
        ("区委组织部", "黔江区委组织部", False, "去掉“区”、“黔江区”后匹配"),
        ("黔江中学", "重庆市黔江中学校", False, "按部分名称匹配（名册中为“重庆市黔江中学校”）"),
        ("财政", "黔江区财政局", False, "按部分名称匹配（名册中为“黔江区财政局”）"),
    ],
)
def test_match(roster: Roster, typed: str, name: str, exact: bool, how: str) -> None:
    m = roster.match(typed)
    assert m == Match(roster.get(name), exact, how)  # type: ignore[arg-type]


def test_full_width_is_exact(tmp_path: Path) -> None:
    r = load_csv(tmp_path, "单位名称,单位类别\n黔江区第1中学,区属企事业单位\n")
    m = r.match("黔江区第１中学")
    assert m is not None and m.exact and m.unit.name == "黔江区第1中学"


@pytest.mark.parametrize("typed", ["街道", "水", "", "   ", "区教委"])
def test_no_guess(roster: Roster, typed: str) -> None:
    assert roster.match(typed) is None


def test_ambiguous_after_stripping(tmp_path: Path) -> None:
    r = load_csv(tmp_path, "单位名称,单位类别\n黔江区民政局,区级部门\n民政局,区级部门\n")
    assert r.match("区民政局") is None
    assert [u.name for u in r.candidates("区民政局")] == ["黔江区民政局", "民政局"]
    exact = r.match("民政局")
    assert exact is not None and exact.exact and exact.unit.name == "民政局"


def test_candidates(roster: Roster) -> None:
    assert [u.name for u in roster.candidates("街道")] == ["城西街道", "城东街道"]
    assert [u.name for u in roster.candidates("水")] == []
    assert [u.name for u in roster.candidates("水务")] == ["黔江区水务局"]
    assert [u.name for u in roster.candidates("黔江区水利局")] == ["黔江区水务局"]
    assert roster.candidates("") == []
