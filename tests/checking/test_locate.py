from __future__ import annotations

import pytest

from formgrid import SPEC, FormGrid, blank, filled
from shuangyong_cli.checking.labels import label_key, norm
from shuangyong_cli.checking.locate import FormNotFound, Located, locate
from shuangyong_cli.model.grid import Grid, Sheet, a1

VALUE_COLUMNS = {"qty": "D", "cash": "E", "goods": "F", "subtotal": "G", "remark": "H"}
TEMPLATE_ROWS = {
    "troops": 6,
    "objects": 7,
    "anti_japanese": 8,
    "korean_war": 9,
    "martyr_family": 10,
    "military_family": 11,
    "disabled": 12,
    "veterans": 13,
    "other_objects": 14,
    "hardship": 15,
    "merit_notices": 16,
    "honor_plaques": 17,
    "gatherings": 18,
    "services": 19,
    "total": 20,
}
TEMPLATE_FIELDS = {"unit": "C3", "date": "G3", "filler": "B25", "reviewer": "D25", "phone": "G25"}


def addresses(loc: Located) -> dict[tuple[str, str], str]:
    return {key: a1(*pos) for key, pos in loc.body.items()}


def field_addresses(loc: Located) -> dict[str, str]:
    return {fid: a1(*pos) for fid, pos in loc.fields.items()}


def template_addresses() -> dict[tuple[str, str], str]:
    return {
        (rid, cid): f"{col}{row}"
        for rid, row in TEMPLATE_ROWS.items()
        for cid, col in VALUE_COLUMNS.items()
    }


# -- normalising labels ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, key",
    [
        ("慰问金", "慰问金"),
        ("慰 问 金", "慰问金"),
        ("慰问金（万元）", "慰问金"),
        ("慰问金(万元)", "慰问金"),
        ("慰问金\n（万元）", "慰问金"),
        ("填报单位：", "填报单位"),
        ("填报单位:", "填报单位"),
        ("填报单位（盖章）：", "填报单位"),
        ("合 计", "合计"),
        ("合\u3000计", "合计"),
        ("*填报单位", "填报单位"),
        ("座谈交流，军民联谊活动", "座谈交流,军民联谊活动"),
        ("2020年“八一”期间", '2020年"八一"期间'),
        ("2020年＂八一＂期间", '2020年"八一"期间'),
        ("走访\u200b慰问", "走访慰问"),
    ],
)
def test_label_key(text: str, key: str) -> None:
    assert label_key(text) == key


def test_norm_keeps_inner_brackets() -> None:
    assert norm("慰问款物（万元）") == "慰问款物(万元)"


# -- the template layout ---------------------------------------------------------------------


def test_template_layout_is_found_cell_by_cell() -> None:
    loc = locate(filled().grid(), SPEC)
    assert loc.sheet.name == "统计表"
    assert loc.complete
    assert loc.findings == []
    assert addresses(loc) == template_addresses()
    assert field_addresses(loc) == TEMPLATE_FIELDS
    assert loc.inline == {}
    assert loc.columns == {
        "seq": 1,
        "item": 2,
        "measure": 3,
        "qty": 4,
        "cash": 5,
        "goods": 6,
        "subtotal": 7,
        "remark": 8,
    }
    assert loc.rows == TEMPLATE_ROWS
    assert (loc.header_top, loc.header_row) == (4, 5)
    assert loc.region == (3, 1, 25, 8)


def test_blank_fields_point_where_they_should_be_typed() -> None:
    loc = locate(blank().grid(), SPEC)
    assert field_addresses(loc) == TEMPLATE_FIELDS
    assert loc.field_value("unit") is None


def test_formgrid_agrees_with_the_template_writer() -> None:
    template = pytest.importorskip("shuangyong_cli.writing.template")
    pos = template.template_positions(SPEC)
    fg = FormGrid()
    for rid, cid in template_addresses():
        assert pos.cell(rid, cid) == fg.addr(rid, cid)
    for fid in TEMPLATE_FIELDS:
        assert pos.field_cell(fid) == fg.field_addr(fid)


# -- what clerks do ------------------------------------------------------------------------------


def test_inserted_rows_and_columns_shift_every_address() -> None:
    fg = filled().insert_rows(before=1, n=2).insert_rows(before=9).insert_cols(before=5)
    loc = locate(fg.grid(), SPEC)
    assert loc.complete
    got = addresses(loc)
    assert got[("troops", "qty")] == "D8"
    assert got[("troops", "cash")] == "F8"  # the blank column went in before 慰问金
    assert got[("anti_japanese", "cash")] == "F10"
    assert got[("korean_war", "cash")] == "F12"  # below the inserted row
    assert got[("total", "subtotal")] == "H23"
    assert got == {key: fg.addr(*key) for key in got}
    assert field_addresses(loc) == {
        "unit": "C5",
        "date": "H5",
        "filler": "B28",
        "reviewer": "D28",
        "phone": "H28",
    }


def test_blank_column_inside_a_merged_input_range() -> None:
    fg = filled().field("unit", None).insert_cols(before=4)
    loc = locate(fg.grid(), SPEC)
    assert field_addresses(loc)["unit"] == "C3"


def test_another_sheet_in_front() -> None:
    fg = filled().sheet_before("填表说明", {(1, 1): "请按时报送", (2, 1): 5})
    loc = locate(fg.grid(), SPEC)
    assert loc.sheet.name == "统计表"
    assert addresses(loc) == template_addresses()
    assert [(f.code, f.sheet) for f in loc.findings] == [("form.other_sheets", "填表说明")]
    assert loc.findings[0].message == (
        "工作簿中另有工作表“填表说明”（2 个非空单元格），本工具只读取“统计表”；"
        "如其中有本表数据，请填入“统计表”。"
    )


def test_empty_other_sheets_are_not_reported() -> None:
    fg = filled().sheet_after("Sheet2").sheet_after("Sheet3")
    assert locate(fg.grid(), SPEC).findings == []


def test_renamed_form_sheet_is_found_by_its_labels() -> None:
    fg = filled()
    fg.sheet_name = "Sheet1"
    fg.sheet_before("封面", {(1, 1): "黔江区民政局报送"})
    loc = locate(fg.grid(), SPEC)
    assert loc.sheet.name == "Sheet1"
    assert addresses(loc) == template_addresses()


def test_hidden_form_sheet_is_still_read() -> None:
    fg = filled()
    fg.visibility = "hidden"
    fg.sheet_before("说明", {(1, 1): "见隐藏表"})
    loc = locate(fg.grid(), SPEC)
    assert loc.sheet.name == "统计表"
    assert loc.complete


def test_named_sheet_wins_over_a_copy() -> None:
    copy = filled()
    copy.sheet_name = "副本"
    fg = filled()
    fg.before.append(copy.sheet())
    loc = locate(fg.grid(), SPEC)
    assert loc.sheet.name == "统计表"
    assert [f.sheet for f in loc.findings] == ["副本"]


def test_visible_copy_wins_over_a_hidden_one() -> None:
    hidden = filled()
    hidden.sheet_name = "旧表"
    hidden.visibility = "hidden"
    fg = filled()
    fg.sheet_name = "新表"
    fg.before.append(hidden.sheet())
    assert locate(fg.grid(), SPEC).sheet.name == "新表"


def test_labels_with_spaces_and_fullwidth_punctuation() -> None:
    def spaced(text: str) -> str:
        return " ".join(text).replace("：", ":").replace("（", "(").replace("）", ")")

    fg = filled().map_labels(spaced)
    loc = locate(fg.grid(), SPEC)
    assert loc.complete
    assert addresses(loc) == template_addresses()
    assert field_addresses(loc) == TEMPLATE_FIELDS


def test_labels_with_units_and_colon_variants() -> None:
    fg = (
        filled()
        .relabel("慰问金", "慰问金（万元）")
        .relabel("物资折款", "物资折款\n(万元)")
        .relabel("数量", "数 量")
        .relabel("填报单位：", "填报单位（盖章）:")
        .relabel("日期：", "日  期")
        .relabel("合计", "合  计")
    )
    loc = locate(fg.grid(), SPEC)
    assert loc.complete
    assert addresses(loc) == template_addresses()
    assert field_addresses(loc) == TEMPLATE_FIELDS


def test_one_row_header_without_the_group_line() -> None:
    fg = filled().put("E4", None).put("E4", "慰问金").put("F4", "物资折款").put("G4", "小计")
    fg.put("E5", None).put("F5", None).put("G5", None)
    fg.merged = [m for m in fg.merged if m[:2] != (4, 5)]
    loc = locate(fg.grid(), SPEC)
    assert loc.complete
    assert addresses(loc) == template_addresses()


def test_title_split_over_two_lines() -> None:
    fg = filled().relabel(SPEC.title, "2020年“八一”期间走访慰问驻黔部队和优抚对象\n情况统计表")
    assert locate(fg.grid(), SPEC).complete


def test_sequence_and_label_in_one_cell() -> None:
    fg = filled()
    for rid, r in TEMPLATE_ROWS.items():
        row = SPEC.row(rid)
        if row.label:
            fg.put(f"A{r}", None).put(f"B{r}", f"{row.seq}、{row.label}")
    fg.relabel("抗战老战士", "其中：抗战老战士")
    loc = locate(fg.grid(), SPEC)
    assert loc.complete
    assert addresses(loc) == template_addresses()


def test_numbers_as_sequence_cells() -> None:
    fg = filled()
    for i in range(1, 8):
        fg.put(f"A{7 + i}", i)
    loc = locate(fg.grid(), SPEC)
    assert (8, 1) in loc.known and (14, 1) in loc.known


# -- field values ------------------------------------------------------------------------------


def test_value_in_the_label_cell() -> None:
    fg = filled().field("unit", None).relabel("填报单位：", "填报单位：黔江区民政局")
    loc = locate(fg.grid(), SPEC)
    assert loc.fields["unit"] == (3, 1)
    assert loc.field_value("unit") == "黔江区民政局"


def test_unit_and_date_in_one_cell() -> None:
    fg = filled().field("unit", None).field("date", None).put("F3", None)
    fg.relabel("填报单位：", "填报单位：黔江区民政局（盖章）        日期：2020年8月10日")
    loc = locate(fg.grid(), SPEC)
    assert loc.inline == {"unit": "黔江区民政局（盖章）", "date": "2020年8月10日"}
    assert field_addresses(loc)["unit"] == "A3"
    assert field_addresses(loc)["date"] == "A3"


def test_underscores_after_a_label_are_blank() -> None:
    fg = blank().relabel("填报单位：", "填报单位：__________")
    loc = locate(fg.grid(), SPEC)
    assert "unit" not in loc.inline
    assert field_addresses(loc)["unit"] == "C3"


def test_value_typed_right_of_the_merged_input() -> None:
    fg = filled().field("unit", None).put("D3", "黔江区民政局")
    loc = locate(fg.grid(), SPEC)
    assert field_addresses(loc)["unit"] == "D3"
    assert loc.field_value("unit") == "黔江区民政局"


def test_a_blank_field_stops_at_the_next_label() -> None:
    fg = filled().field("unit", None)
    loc = locate(fg.grid(), SPEC)
    assert field_addresses(loc)["unit"] == "C3"
    assert loc.field_value("unit") is None


# -- what cannot be found ----------------------------------------------------------------------


def test_missing_row_and_column_are_each_named() -> None:
    fg = filled().delete_row("martyr_family").relabel("物资折款", "物资")
    loc = locate(fg.grid(), SPEC)
    assert not loc.complete
    assert loc.missing == ("物资折款", "烈属")
    assert [(f.code, f.severity.value, f.sheet, f.field, f.message) for f in loc.findings] == [
        (
            "form.label_missing",
            "error",
            "统计表",
            "物资折款",
            "工作表“统计表”中找不到“物资折款”所在的列；请不要删除或改写表头中的栏目名称。",
        ),
        (
            "form.label_missing",
            "error",
            "统计表",
            "烈属",
            "工作表“统计表”中找不到项目“烈属”所在的行；请不要删除或改写表中的项目名称。",
        ),
    ]
    assert ("korean_war", "cash") in loc.body
    assert ("martyr_family", "cash") not in loc.body
    assert ("troops", "goods") not in loc.body


def test_missing_total_row_and_unit_label() -> None:
    fg = filled().put("A20", None).put("A3", None)
    loc = locate(fg.grid(), SPEC)
    assert loc.missing == ("合计", "填报单位")
    assert [f.message for f in loc.findings] == [
        "工作表“统计表”中找不到“合计”所在的行；请不要删除或改写“合计”行。",
        "工作表“统计表”中找不到“填报单位”一栏；请保留“填报单位：”，并在其后填写。",
    ]


def test_optional_field_labels_may_be_missing() -> None:
    fg = filled().put("A25", None).put("C25", None).put("F25", None)
    loc = locate(fg.grid(), SPEC)
    assert loc.complete
    assert set(loc.fields) == {"unit", "date"}


def test_no_sheet_looks_like_the_form() -> None:
    grid = Grid(
        path=filled().path,
        format="xlsx",
        sheets=[Sheet("Sheet1", {(1, 1): "姓名", (1, 2): "金额", (2, 1): "张三", (2, 2): 5})],
    )
    with pytest.raises(FormNotFound) as e:
        locate(grid, SPEC, file="乱表.xlsx")
    (f,) = e.value.findings
    assert (f.code, f.severity.value, f.file, f.sheet, f.cell) == (
        "form.not_found",
        "error",
        "乱表.xlsx",
        "",
        "",
    )
    assert f.message == (
        f"找不到“{SPEC.title}”：工作表“Sheet1”中都没有本表的标题、表头（如“数量”、“慰问金”）"
        "和项目名称；请用下发的模板填写，不要改动标题、表头和项目名称。"
    )
    assert str(e.value) == f.message


def test_workbook_without_sheets() -> None:
    grid = Grid(path=filled().path, format="xlsx", sheets=[])
    with pytest.raises(FormNotFound) as e:
        locate(grid, SPEC)
    assert "工作簿中没有工作表" in e.value.findings[0].message


def test_the_identity_sheet_is_never_the_form() -> None:
    grid = filled().grid()
    grid.sheets = [s for s in grid.sheets if s.name != "统计表"]
    with pytest.raises(FormNotFound):
        locate(grid, SPEC)


# -- noise -------------------------------------------------------------------------------------


def test_a_sheet_with_thousands_of_stray_cells_is_located() -> None:
    fg = filled()
    for r in range(30, 330):
        for c in range(1, 21):
            fg.put((r, c), f"备注{r}-{c}" if c % 2 else r * c)
    grid = fg.grid()
    loc = locate(grid, SPEC)
    assert loc.complete
    assert addresses(loc) == template_addresses()
