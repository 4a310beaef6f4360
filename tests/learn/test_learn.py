"""The form-learning engine (issue 19) on the blanks of ``blank_forms``: every inference and the
resulting definition, asserted exactly; the built-in form learned from its own template is the
built-in form."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import blank_forms
from shuangyong_cli.learn import Learned, label_fingerprint, learn
from shuangyong_cli.learn.blank import is_grey
from shuangyong_cli.learn.check import Places, check, compare, show, sum_cells
from shuangyong_cli.learn.rules import parse_sum
from shuangyong_cli.model.form import FormSpec
from shuangyong_cli.model.form_file import load_form, parse_form

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@pytest.fixture(scope="module")
def blanks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("blanks")
    for build in blank_forms.BUILDERS.values():
        build(folder)
    return folder


def learned(folder: Path, name: str) -> Learned:
    return learn(folder / name)


def summary(spec: FormSpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "sheet": spec.sheet,
        "attachment": spec.attachment,
        "header": [(f.id, f.label, f.kind, f.required, f.value) for f in spec.header_fields],
        "footer": [(f.id, f.label, f.value) for f in spec.footer_fields],
        "columns": [
            (c.id, c.group, c.label, c.role.value, c.kind.value if c.kind else None, c.unit)
            for c in spec.columns
        ],
        "rows": [
            (
                r.id,
                r.seq,
                r.label,
                r.measure,
                r.indent,
                r.total,
                r.value_kind.value if r.value_kind else None,
                " ".join(f"{k}={v.value}" for k, v in r.cells.items()),
            )
            for r in spec.rows
        ],
        "rules": [
            (x.id, x.target_row, x.source_rows, x.columns, x.target_column, x.source_columns)
            for x in spec.rules
        ],
        "subsets": [(s.id, s.parent, s.rows, s.columns) for s in spec.subsets],
        "plausible_max": {k: str(v) for k, v in spec.limits.plausible_max.items()},
    }


def inferences(result: Learned) -> list[tuple[str, str, str]]:
    return [(i.confidence.value, i.what, i.where) for i in result.inferences]


def reloaded(result: Learned) -> FormSpec:
    """The TOML text loads with parse_form as the same spec."""
    spec = parse_form(tomllib.loads(result.toml))
    assert summary(spec) == summary(result.spec)
    return spec


WEIWEN_SPEC = {
    "title": "2021年春节期间走访慰问困难退役军人情况统计表",
    "sheet": "慰问情况",
    "attachment": "",
    "header": [
        ("unit", "填报单位", "text", True, "next"),
        ("date", "填报日期", "date", False, "next"),
    ],
    "footer": [("filler", "填表人", "next"), ("phone", "联系电话", "next")],
    "columns": [
        ("seq", None, "序号", "seq", None, None),
        ("item", None, "慰问对象", "item", None, None),
        ("male", "慰问人数（人）", "男", "value", "count", "人"),
        ("female", "慰问人数（人）", "女", "value", "count", "人"),
        ("sum", "慰问人数（人）", "合计", "value", "count", "人"),
        ("c6", None, "慰问金（元）", "value", "money", "元"),
        ("remark", None, "备注", "value", "text", None),
    ],
    "rows": [
        ("r1", "1", "伤残军人", "", 0, False, None, "male=in female=in sum=calc c6=in remark=in"),
        ("r2", "2", "烈士遗属", "", 0, False, None, "male=in female=in sum=calc c6=in remark=in"),
        (
            "r3",
            "3",
            "带病回乡退伍军人",
            "",
            0,
            False,
            None,
            "male=in female=in sum=calc c6=in remark=in",
        ),
        (
            "r4",
            "4",
            "其他困难退役军人",
            "",
            0,
            False,
            None,
            "male=in female=in sum=calc c6=in remark=in",
        ),
        ("total", "合计", "", "", 0, True, None, "male=calc female=calc sum=calc c6=calc"),
    ],
    "rules": [
        ("total_sum", "total", ("r1", "r2", "r3", "r4"), ("male", "female", "sum", "c6"), None, ()),
        ("sum", None, (), (), "sum", ("male", "female")),
    ],
    "subsets": [],
    "plausible_max": {"元": "1000000"},
}

WEIWEN_INFERENCES = [
    ("确定", "工作表", "慰问情况"),
    ("确定", "表头", "A3:G4"),
    ("确定", "序号栏“序号”", "A3"),
    ("确定", "项目栏“慰问对象”", "B3"),
    ("确定", "合计行“合计”", "A9"),
    ("确定", "主栏 5 行", "A5:G9"),
    ("确定", "表名", "A1"),
    ("确定", "表头栏目“填报单位”（右侧单元格）", "A2"),
    ("确定", "表头栏目“填报日期”（右侧单元格）", "E2"),
    ("确定", "表尾栏目“填表人”（右侧单元格）", "A12"),
    ("确定", "表尾栏目“联系电话”（右侧单元格）", "D12"),
    ("确定", "说明 1 条", "A10"),
    ("确定", "数值栏“慰问人数（人） / 男”：整数，单位人", "C4"),
    ("确定", "数值栏“慰问人数（人） / 女”：整数，单位人", "D4"),
    ("确定", "数值栏“慰问人数（人） / 合计”：整数，单位人", "E4"),
    ("确定", "数值栏“慰问金（元）”：金额，单位元", "F3"),
    ("确定", "数值栏“备注”：文字", "G3"),
    ("确定", "“合计”行的备注为不适用", "G9"),
    (
        "确定",
        "“合计”行＝“伤残军人”、“烈士遗属”、“带病回乡退伍军人”、“其他困难退役军人”之和（男、女、合计、慰问金（元））",
        "C9",
    ),
    ("确定", "“合计”栏＝男＋女", "E5"),
    ("较确定", "金额上限", ""),
]

JINGFEI_SPEC = {
    "title": "2021年度双拥工作经费投入情况统计表",
    "sheet": "Sheet1",
    "attachment": "附件2",
    "header": [("unit", "填报单位", "text", True, "next"), ("date", "日期", "date", False, "next")],
    "footer": [
        ("filler", "填表人", "next"),
        ("reviewer", "审核人", "next"),
        ("phone", "联系电话", "next"),
    ],
    "columns": [
        ("seq", None, "序号", "seq", None, None),
        ("item", None, "指标", "item", None, None),
        ("measure", None, "计量单位", "measure", None, None),
        ("c4", None, "本年数", "value", "count", None),
        ("c5", None, "上年数", "value", "count", None),
        ("remark", None, "备注", "value", "text", None),
    ],
    "rows": [
        ("r1", "一", "双拥工作经费", "万元", 0, False, "money", "c4=in c5=in remark=in"),
        ("r2", "", "其中：拥军优属经费", "万元", 1, False, "money", "c4=in c5=in remark=in"),
        ("r3", "", "军民共建经费", "万元", 1, False, "money", "c4=in c5=in remark=in"),
        ("r4", "二", "走访慰问驻地部队官兵", "人次", 0, False, None, "c4=in remark=in"),
        ("r5", "三", "发放慰问金", "元", 0, False, "money", "c4=in c5=in remark=in"),
        ("r6", "四", "为部队办实事", "件", 0, False, None, "c4=in remark=in"),
        ("r7", "五", "优抚对象人数", "人", 0, False, None, "c4=in c5=in remark=in"),
        ("r8", "", "其中：烈士遗属", "人", 1, False, None, "c4=in remark=in"),
    ],
    "rules": [],
    "subsets": [("r1_part", "r1", ("r2", "r3"), ("c4", "c5")), ("r7_part", "r7", ("r8",), ("c4",))],
    "plausible_max": {"元": "1000000", "万元": "100"},
}

JINGFEI_INFERENCES = [
    ("确定", "工作表", "Sheet1"),
    ("确定", "表头", "A4:F4"),
    ("确定", "序号栏“序号”", "A4"),
    ("确定", "项目栏“指标”", "B4"),
    ("确定", "计量单位栏“计量单位”", "C4"),
    ("确定", "主栏 8 行", "A5:F12"),
    ("确定", "其中行“其中：拥军优属经费”", "B6"),
    ("较确定", "其中行“军民共建经费”", "B7"),
    ("确定", "其中行“其中：烈士遗属”", "B12"),
    ("确定", "附件号", "A1"),
    ("确定", "表名", "A2"),
    ("确定", "表头栏目“填报单位”（右侧单元格）", "A3"),
    ("确定", "表头栏目“日期”（右侧单元格）", "D3"),
    ("确定", "表尾栏目“填表人”（右侧单元格）", "A16"),
    ("确定", "表尾栏目“审核人”（右侧单元格）", "C16"),
    ("确定", "表尾栏目“联系电话”（右侧单元格）", "E16"),
    ("确定", "说明 2 条", "A13"),
    ("较确定", "数值栏“本年数”：整数", "D4"),
    ("较确定", "数值栏“上年数”：整数", "E4"),
    ("确定", "数值栏“备注”：文字", "F4"),
    ("确定", "“双拥工作经费”行按金额（万元）", "C5"),
    ("确定", "“其中：拥军优属经费”行按金额（万元）", "C6"),
    ("确定", "“军民共建经费”行按金额（万元）", "C7"),
    ("确定", "“发放慰问金”行按金额（元）", "C9"),
    ("较确定", "“走访慰问驻地部队官兵”行的上年数为不适用", "E8"),
    ("确定", "“为部队办实事”行的上年数为不适用", "E10"),
    ("确定", "“其中：烈士遗属”行的上年数为不适用", "E12"),
    ("确定", "“其中：拥军优属经费”、“军民共建经费”各不超过“双拥工作经费”", "B6"),
    ("确定", "“其中：烈士遗属”各不超过“优抚对象人数”", "B12"),
    ("较确定", "金额上限", ""),
]

CHUANGJIAN_SPEC = {
    "title": "2021年双拥模范城创建资金投入统计表",
    "sheet": "创建经费",
    "attachment": "",
    "header": [
        ("unit", "填报单位", "text", True, "after_colon"),
        ("date", "填报日期", "date", False, "after_colon"),
    ],
    "footer": [
        ("filler", "填表人", "after_colon"),
        ("reviewer", "审核人", "after_colon"),
        ("phone", "联系电话", "after_colon"),
    ],
    "columns": [
        ("seq", None, "序号", "seq", None, None),
        ("item", None, "项目", "item", None, None),
        ("c3", None, "区级资金", "value", "money", "万元"),
        ("c4", None, "镇街资金", "value", "money", "万元"),
        ("c5", None, "村社区资金", "value", "money", "万元"),
        ("sum", None, "合计", "value", "money", "万元"),
    ],
    "rows": [
        ("r1", "1", "拥军优属", "", 0, False, None, "c3=in c4=in c5=in sum=calc"),
        ("r2", "2", "军民共建", "", 0, False, None, "c3=in c4=in c5=in sum=calc"),
        ("r3", "3", "双拥宣传", "", 0, False, None, "c3=in c4=in c5=in sum=calc"),
        ("r4", "4", "其他", "", 0, False, None, "c4=in c5=in sum=in"),
        ("total", "", "合计", "", 0, True, None, "c3=calc c4=calc c5=calc sum=calc"),
    ],
    "rules": [
        ("sum", None, (), (), "sum", ("c3", "c4", "c5")),
        ("total_sum", "total", ("r1", "r2", "r3"), ("c3",), None, ()),
        ("total_sum_2", "total", ("r1", "r2", "r3", "r4"), ("c4", "c5"), None, ()),
    ],
    "subsets": [],
    "plausible_max": {"万元": "100"},
}

CHUANGJIAN_INFERENCES = [
    ("确定", "工作表", "创建经费"),
    ("确定", "表头", "A4:F4"),
    ("确定", "金额单位", "F3"),
    ("确定", "序号栏“序号”", "A4"),
    ("确定", "项目栏“项目”", "B4"),
    ("确定", "合计行“合计”", "B9"),
    ("确定", "主栏 5 行", "A5:F9"),
    ("确定", "表名", "A1"),
    ("确定", "表头栏目“填报单位”（同格冒号后）", "A2"),
    ("确定", "表头栏目“填报日期”（同格冒号后）", "D2"),
    ("确定", "表尾栏目“填表人”（同格冒号后）", "A11"),
    ("确定", "表尾栏目“审核人”（同格冒号后）", "A11"),
    ("确定", "表尾栏目“联系电话”（同格冒号后）", "A11"),
    ("较确定", "数值栏“区级资金”：金额，单位万元", "C4"),
    ("较确定", "数值栏“镇街资金”：金额，单位万元", "D4"),
    ("较确定", "数值栏“村社区资金”：金额，单位万元", "E4"),
    ("较确定", "数值栏“合计”：金额，单位万元", "F4"),
    ("较确定", "“其他”行的区级资金为不适用", "C8"),
    ("待确认", "“其他 / 合计”按填报格", "F8"),
    ("较确定", "“合计”栏＝区级资金＋镇街资金＋村社区资金", "F4"),
    ("较确定", "“合计”行＝“拥军优属”、“军民共建”、“双拥宣传”之和（区级资金）", "C9"),
    (
        "较确定",
        "“合计”行＝“拥军优属”、“军民共建”、“双拥宣传”、“其他”之和（镇街资金、村社区资金）",
        "D9",
    ),
    ("较确定", "金额上限", ""),
]

YOUFU_SPEC = {
    "title": "2021年优抚对象走访情况统计表",
    "sheet": "优抚",
    "attachment": "",
    "header": [("unit", "填报单位", "text", True, "next"), ("date", "日期", "date", False, "next")],
    "footer": [("filler", "填表人", "next"), ("phone", "联系电话", "next")],
    "columns": [
        ("seq", None, "序号", "seq", None, None),
        ("item", None, "项目", "item", None, None),
        ("c3", None, "户数（户）", "value", "count", "户"),
        ("c4", None, "人数（人）", "value", "count", "人"),
        ("c5", None, "金额（千元）", "value", "money", "千元"),
    ],
    "rows": [
        ("r1", "1", "重点优抚对象", "", 0, False, None, "c3=in c4=in c5=in"),
        ("r2", "", "其中：一级至四级残疾军人", "", 1, False, None, "c3=in c4=in c5=in"),
        ("r3", "2", "一般优抚对象", "", 0, False, None, "c3=in c4=in c5=in"),
        ("r4", "3", "其他", "", 0, False, None, "c4=in c5=in"),
        ("total", "总计", "", "", 0, True, None, "c3=calc c4=calc c5=calc"),
    ],
    "rules": [
        ("total_sum", "total", ("r1", "r3"), ("c3",), None, ()),
        ("total_sum_2", "total", ("r1", "r3", "r4"), ("c4", "c5"), None, ()),
    ],
    "subsets": [("r1_part", "r1", ("r2",), ("c3", "c4", "c5"))],
    "plausible_max": {"千元": "1000"},
}

YOUFU_INFERENCES = [
    ("较确定", "读取方式", "优抚走访统计表.xls"),
    ("确定", "工作表", "优抚"),
    ("确定", "表头", "A3:E3"),
    ("确定", "序号栏“序号”", "A3"),
    ("确定", "项目栏“项目”", "B3"),
    ("确定", "合计行“总计”", "A8"),
    ("确定", "主栏 5 行", "A4:E8"),
    ("确定", "其中行“其中：一级至四级残疾军人”", "B5"),
    ("确定", "表名", "A1"),
    ("确定", "表头栏目“填报单位”（右侧单元格）", "A2"),
    ("确定", "表头栏目“日期”（右侧单元格）", "D2"),
    ("确定", "表尾栏目“填表人”（右侧单元格）", "A10"),
    ("确定", "表尾栏目“联系电话”（右侧单元格）", "C10"),
    ("确定", "数值栏“户数（户）”：整数，单位户", "C3"),
    ("确定", "数值栏“人数（人）”：整数，单位人", "D3"),
    ("确定", "数值栏“金额（千元）”：金额，单位千元", "E3"),
    ("确定", "“其他”行的户数（户）为不适用", "C7"),
    ("较确定", "“总计”行的户数（户）、人数（人）、金额（千元）已有数", "C8:E8"),
    ("较确定", "“总计”行＝“重点优抚对象”、“一般优抚对象”之和（户数（户））", "C8"),
    (
        "较确定",
        "“总计”行＝“重点优抚对象”、“一般优抚对象”、“其他”之和（人数（人）、金额（千元））",
        "D8",
    ),
    ("确定", "“其中：一级至四级残疾军人”各不超过“重点优抚对象”", "B5"),
    ("较确定", "金额上限", ""),
]

# -- the built-in form ---------------------------------------------------------------------------


def test_builtin_template_learns_as_the_builtin_form(blanks: Path) -> None:
    result = learned(blanks, "八一统计表.xlsx")
    spec, builtin = reloaded(result), load_form()
    assert compare(builtin, spec, Places.of(result.draft)) == []
    assert [(c.group, c.label, c.role, c.kind) for c in spec.columns] == [
        (c.group, c.label, c.role, c.kind) for c in builtin.columns
    ]
    assert [(r.seq, r.label, r.measure, r.indent, r.total) for r in spec.rows] == [
        (r.seq, r.label, r.measure, r.indent, r.total) for r in builtin.rows
    ]
    assert [[k.value for _, _, k in spec.cells()]] == [[k.value for _, _, k in builtin.cells()]]
    assert sum_cells(spec) == sum_cells(builtin)  # the rules, as sets of summed cells
    assert len(spec.rules) == len(builtin.rules) == 3
    assert [(f.label, f.kind, f.required) for f in spec.fields] == [
        (f.label, f.kind, f.required) for f in builtin.fields
    ]
    assert (spec.title, spec.sheet, spec.attachment, spec.deadline, spec.submit_to) == (
        builtin.title,
        builtin.sheet,
        builtin.attachment,
        builtin.deadline,
        builtin.submit_to,
    )
    assert spec.notes == builtin.notes
    assert [c.width for c in spec.columns] == [c.width for c in builtin.columns]
    assert label_fingerprint(spec) == label_fingerprint(builtin)
    assert not result.uncertain
    assert "待确认" not in result.toml


def test_builtin_template_inferences(blanks: Path) -> None:
    got = inferences(learned(blanks, "八一统计表.xlsx"))
    assert got[:6] == [
        ("确定", "工作表", "统计表"),
        ("确定", "表头", "A4:H5"),
        ("确定", "序号栏“序号”", "A4"),
        ("确定", "项目栏“项目”", "B4"),
        ("确定", "计量单位栏“计量单位”", "C4"),
        ("确定", "合计行“合计”", "A20"),
    ]
    assert ("确定", "“送达立功受奖喜报”行的慰问金、物资折款、小计为不适用", "E16:G16") in got
    assert ("确定", "“合计”行的数量、备注为不适用", "D20,H20") in got
    assert got[-4:] == [
        (
            "确定",
            "“走访慰问优抚对象”行＝“抗战老战士”至“其他优抚对象” 7 行之和（数量、慰问金、物资折款）",
            "D7",
        ),
        (
            "确定",
            "“合计”行＝“走访慰问驻黔部队”、“走访慰问优抚对象”、“帮扶困难优抚对象”之和"
            "（慰问金、物资折款）",
            "E20",
        ),
        ("确定", "“小计”栏＝慰问金＋物资折款", "G6"),
        ("较确定", "金额上限", ""),
    ]


# -- the other blanks ----------------------------------------------------------------------------


def test_two_level_header_with_formulas(blanks: Path) -> None:
    result = learned(blanks, "春节慰问统计表.xlsx")
    assert summary(reloaded(result)) == WEIWEN_SPEC
    assert result.spec.limits.money_plausible_max == 1000000  # its money is in 元
    assert inferences(result) == WEIWEN_INFERENCES
    why = {i.what: i.why for i in result.inferences}
    assert why["“合计”栏＝男＋女"] == "公式 =C5+D5 等 4 格"
    assert why["数值栏“慰问金（元）”：金额，单位元"] == "表头“慰问金（元）”注明元"


def test_measure_column_mixed_units_and_subsets(blanks: Path) -> None:
    result = learned(blanks, "经费统计表.xlsx")
    assert summary(reloaded(result)) == JINGFEI_SPEC
    assert result.spec.limits.money_plausible_max == 100  # 万元 and 元 rows: the 万元 bound
    assert inferences(result) == JINGFEI_INFERENCES
    why = {i.what: i.why for i in result.inferences}
    assert why["数值栏“本年数”：整数"] == (
        "表头没有单位，按各行计量单位：计数行为整数，金额行（万元、元）为金额"
    )
    assert why["“走访慰问驻地部队官兵”行的上年数为不适用"] == "灰色底纹"
    assert why["“为部队办实事”行的上年数为不适用"] == "填有“不填”"


def test_fields_after_the_colon_unit_note_and_totals_without_formulas(blanks: Path) -> None:
    result = learned(blanks, "创建资金统计表.xlsx")
    assert summary(reloaded(result)) == CHUANGJIAN_SPEC
    assert result.spec.limits.money_plausible_max == 100
    assert inferences(result) == CHUANGJIAN_INFERENCES
    assert [i.what for i in result.uncertain] == ["“其他 / 合计”按填报格"]
    # the uncertain one is a comment above the row it concerns
    text = result.toml
    comment = "# 待确认：“其他 / 合计”按填报格（F8）：所加的栏中有不适用格"
    assert comment in text
    assert text.index(comment) < text.index('id = "r4"') < text.index('label = "其他"')
    assert "有 1 处标为“待确认”" in text


@pytest.mark.soffice
@pytest.mark.skipif(blank_forms.soffice() is None, reason="LibreOffice not installed")
def test_xls_blank(tmp_path: Path) -> None:
    path = blank_forms.youfu_xls(tmp_path)
    assert path.suffix == ".xls"
    result = learn(path)
    assert result.blank.format == "xls"
    assert summary(reloaded(result)) == YOUFU_SPEC
    assert result.spec.limits.money_plausible_max == 1000  # 千元
    assert result.spec.limits.summary_money_plausible_max == 1000000
    assert inferences(result) == YOUFU_INFERENCES
    assert "公式和底色读不到" in result.inferences[0].why


# -- pieces --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "cells"),
    [
        ("=SUM(D8:D10)", [(8, 4), (9, 4), (10, 4)]),
        ("=E6+F6", [(6, 5), (6, 6)]),
        ("=sum($C$4, C6:C7)", [(4, 3), (6, 3), (7, 3)]),
        ("=SUM(C5:D5)+E5", [(5, 3), (5, 4), (5, 5)]),
        ("=C5-D5", None),
        ("=C5*2", None),
        ("=AVERAGE(C5:C9)", None),
        ("=Sheet2!C5+C6", None),
        ("=", None),
    ],
)
def test_parse_sum(formula: str, cells: list[tuple[int, int]] | None) -> None:
    assert parse_sum(formula) == cells


def test_grey_fills() -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color

    assert is_grey(PatternFill("solid", fgColor="D9D9D9"))
    assert is_grey(PatternFill("solid", fgColor="FFBFBFBF"))
    assert not is_grey(PatternFill("solid", fgColor="DDEBF7"))  # the template's calc blue
    assert not is_grey(PatternFill("solid", fgColor="FFFFFF"))
    assert not is_grey(PatternFill(fill_type=None))
    assert is_grey(PatternFill("solid", fgColor=Color(theme=0, tint=-0.1499)))
    assert not is_grey(PatternFill("solid", fgColor=Color(theme=4, tint=0.6)))
    assert is_grey(PatternFill("solid", fgColor=Color(indexed=22)))


def test_not_a_blank_form(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from shuangyong_cli.model.errors import UsageError

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "随便写的一句话"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(UsageError, match="没有找到表头"):
        learn(tmp_path / "x.xlsx")


# -- check and show --------------------------------------------------------------------------------


def test_check_matches_and_names_mismatched_cells(blanks: Path, tmp_path: Path) -> None:
    builtin = Path(__file__).resolve().parents[2] / "templates" / "bayi-2020.toml"
    assert check(builtin, blanks / "八一统计表.xlsx").problems == []
    text = builtin.read_text(encoding="utf-8")
    changed = tmp_path / "changed.toml"
    changed.write_text(
        text.replace('label = "烈属"', 'label = "烈士家属"').replace(
            'label = "物资折款"', 'label = "物资"'
        ),
        encoding="utf-8",
    )
    problems = check(changed, blanks / "八一统计表.xlsx").problems
    assert problems == [
        "F5：定义为“慰问款物（万元） / 物资”，空白表为“慰问款物（万元） / 物资折款”",
        "B10：定义为“3 烈士家属”，空白表为“3 烈属”",
    ]
    other = check(builtin, blanks / "春节慰问统计表.xlsx").problems
    assert other[0] == (
        "表名：定义为“2020年“八一”期间走访慰问驻黔部队和优抚对象情况统计表”，"
        "空白表为“2021年春节期间走访慰问困难退役军人情况统计表”"
    )


def test_check_learned_definition_against_its_blank(blanks: Path, tmp_path: Path) -> None:
    for name in ("春节慰问统计表.xlsx", "经费统计表.xlsx", "创建资金统计表.xlsx"):
        result = learned(blanks, name)
        out = tmp_path / f"{name}.toml"
        out.write_text(result.toml, encoding="utf-8")
        assert check(out, blanks / name).problems == []
        assert check(out).problems == []


def test_show_tables() -> None:
    tables = show(load_form())
    assert [t.title for t in tables] == [
        "表式",
        "栏目（宾栏）",
        "主栏（填＝单位填写，算＝由其他格计算，—＝不适用）",
        "计算关系",
    ]
    columns = tables[1]
    assert columns.rows[3] == ("4", "", "数量", "填报", "整数", "")
    assert columns.rows[4] == ("5", "慰问款物（万元）", "慰问金", "填报", "金额", "万元")
    assert columns.rows[6] == ("7", "慰问款物（万元）", "小计", "计算", "金额", "万元")
    assert columns.rows[7] == ("8", "", "备注", "填报", "文字", "")
    assert columns.rows[0][3] == "序号"
    body = tables[2]
    assert body.columns == (
        "序号",
        "项目",
        "计量单位",
        "数量",
        "慰问金",
        "物资折款",
        "小计",
        "备注",
    )
    assert body.rows[1] == ("二", "走访慰问优抚对象", "人次", "算", "算", "算", "算", "填")
    assert body.rows[2] == ("1", "\u3000抗战老战士", "人次", "填", "填", "填", "算", "填")
    assert body.rows[-1] == ("合计", "", "", "—", "算", "算", "算", "—")
    assert tables[3].rows[2] == (
        "subtotal",
        "“慰问款物（万元） / 小计”栏＝慰问款物（万元） / 慰问金＋"
        "慰问款物（万元） / 物资折款（各计算行）",
    )


# -- answers (form new --interactive) --------------------------------------------------------------


def test_answers_change_the_draft_and_drop_the_comments(blanks: Path) -> None:
    from shuangyong_cli.learn.answers import answered

    result = learned(blanks, "创建资金统计表.xlsx")
    index = next(i for i, inf in enumerate(result.inferences) if inf.uncertain)
    assert result.inferences[index].key == "cell:r4:sum"
    na = answered(result, {index: "na"})
    assert "sum" not in na.spec.row("r4").cells
    assert "# 待确认" not in na.toml
    assert na.inferences[index].why.endswith("；经核对改为“na”")
    assert result.spec.row("r4").cells["sum"].value == "in"  # the original is untouched
    rule = next(i for i, inf in enumerate(result.inferences) if inf.key == "rule:total_sum")
    dropped = answered(result, {rule: "drop"})
    assert [r.id for r in dropped.spec.rules] == ["sum", "total_sum_2"]
    assert dropped.spec.row("total").cells["c3"].value == "in"
    title = next(i for i, inf in enumerate(result.inferences) if inf.key == "title")
    assert answered(result, {title: "新表名"}).spec.title == "新表名"
    column = next(i for i, inf in enumerate(result.inferences) if inf.key == "column:c3")
    assert answered(result, {column: "count"}).spec.column("c3").kind.value == "count"


def test_an_answer_that_breaks_the_definition_is_refused(blanks: Path) -> None:
    from shuangyong_cli.learn.answers import answered
    from shuangyong_cli.learn.model import Inference
    from shuangyong_cli.model.errors import FormDefinitionError

    result = learned(blanks, "创建资金统计表.xlsx")
    result.inferences.append(
        Inference("x", "C5", result.inferences[0].confidence, "y", key="cell:r1:c3")
    )
    with pytest.raises(FormDefinitionError, match="按所作的回答，表式定义不再成立"):
        answered(result, {len(result.inferences) - 1: "na"})  # a source of the 合计 column


def test_a_bare_table_without_seq_fields_or_merged_title(tmp_path: Path) -> None:
    """No 序号 column, no 填报单位 line, the table starting in column B, the title in one cell."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["B1"] = "慰问情况"
    for c, text in enumerate(["项目", "人数", "备注"], start=2):
        ws.cell(3, c, text)
    for r, label in enumerate(["走访", "座谈"], start=4):
        ws.cell(r, 2, label)
    wb.save(tmp_path / "bare.xlsx")
    result = learn(tmp_path / "bare.xlsx")
    spec = reloaded(result)
    assert summary(spec) == {
        "title": "慰问情况",
        "sheet": "Sheet",
        "attachment": "",
        "header": [],
        "footer": [],
        "columns": [
            ("item", None, "项目", "item", None, None),
            ("c3", None, "人数", "value", "count", None),
            ("remark", None, "备注", "value", "text", None),
        ],
        "rows": [
            ("r1", "", "走访", "", 0, False, None, "c3=in remark=in"),
            ("r2", "", "座谈", "", 0, False, None, "c3=in remark=in"),
        ],
        "rules": [],
        "subsets": [],
        "plausible_max": {},
    }
    assert [(i.confidence.value, i.what, i.where) for i in result.uncertain] == [
        ("待确认", "表名", "B1")
    ]
    assert result.toml.splitlines()[8:11] == [
        "# 空白表上没有“填报单位”“日期”之类的表头栏目。",
        "header_fields = []",
        "",
    ]


def test_subtotal_rows_and_a_formula_that_is_not_a_sum(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "走访情况统计表"
    ws.merge_cells("A1:E1")
    for c, text in enumerate(["序号", "项目", "城区", "农村", "小计"], start=1):
        ws.cell(2, c, text)
    rows = [("1", "甲类"), ("2", "乙类"), ("", "小计"), ("3", "丙类"), ("", "差额")]
    for r, (seq, label) in enumerate(rows, start=3):
        ws.cell(r, 1, seq or None)
        ws.cell(r, 2, label)
    ws["C7"] = "=C3-C6"
    wb.save(tmp_path / "sub.xlsx")
    result = learn(tmp_path / "sub.xlsx")
    spec = reloaded(result)
    assert [(r.id, r.label, dict((k, v.value) for k, v in r.cells.items())) for r in spec.rows] == [
        ("r1", "甲类", {"c3": "in", "c4": "in", "subtotal": "calc"}),
        ("r2", "乙类", {"c3": "in", "c4": "in", "subtotal": "calc"}),
        ("r3", "小计", {"c3": "calc", "c4": "calc", "subtotal": "calc"}),
        ("r4", "丙类", {"c3": "in", "c4": "in", "subtotal": "calc"}),
        ("r5", "差额", {"c3": "in", "c4": "in", "subtotal": "calc"}),
    ]
    assert [
        (x.id, x.target_row, x.source_rows, x.target_column, x.source_columns) for x in spec.rules
    ] == [
        ("subtotal", None, (), "subtotal", ("c3", "c4")),
        ("r3_sum", "r3", ("r1", "r2"), None, ()),
    ]
    guess = "看不出是人数、金额还是文字，暂按整数计"
    assert [(i.what, i.where, i.why) for i in result.uncertain] == [
        ("数值栏“城区”：整数", "C2", f"栏目名“城区”{guess}"),
        ("数值栏“农村”：整数", "D2", f"栏目名“农村”{guess}"),
        ("数值栏“小计”：整数", "E2", f"栏目名“小计”{guess}"),
        ("“差额 / 城区”按填报格", "C7", "公式 =C3-C6 不是本表格内的加总，本工具只认加总"),
        (
            "“小计”行＝“甲类”、“乙类”之和（城区、农村）",
            "C5",
            "行名为小计；空白表中没有公式，按上方各行之和推断",
        ),
    ]
