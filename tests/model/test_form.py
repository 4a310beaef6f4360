from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest

from shuangyong_cli.model.errors import FormDefinitionError
from shuangyong_cli.model.form import CellKind
from shuangyong_cli.model.form_file import load_form, parse_form

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def raw() -> dict:
    return tomllib.loads((ROOT / "templates" / "bayi-2020.toml").read_text(encoding="utf-8"))


def test_builtin_form_keeps_form_md_labels() -> None:
    spec = load_form()
    assert spec.title == "2020年“八一”期间走访慰问驻黔部队和优抚对象情况统计表"
    assert spec.sheet == "统计表"
    assert [c.label for c in spec.columns] == [
        "序号",
        "项目",
        "计量单位",
        "数量",
        "慰问金",
        "物资折款",
        "小计",
        "备注",
    ]
    assert [r.label for r in spec.rows] == [
        "走访慰问驻黔部队",
        "走访慰问优抚对象",
        "抗战老战士",
        "抗美援朝老战士",
        "烈属",
        "军属",
        "残疾军人",
        "退役军人",
        "其他优抚对象",
        "帮扶困难优抚对象",
        "送达立功受奖喜报",
        "悬挂光荣牌",
        "座谈交流、军民联谊活动",
        "送法律、文化、科技、医疗进军营",
        "",
    ]
    assert [r.seq for r in spec.rows][-1] == "合计"
    assert [f.label for f in spec.header_fields] == ["填报单位", "日期"]
    assert [f.label for f in spec.footer_fields] == ["填表人", "审核人", "联系电话"]
    assert spec.row("merit_notices").kind("cash") is CellKind.NA
    assert spec.row("objects").kind("qty") is CellKind.CALC
    assert str(spec.deadline) == "2020-08-14"


def test_sources_of_calc_cells() -> None:
    spec = load_form()
    assert spec.sources("total", "cash") == [
        ("troops", "cash"),
        ("objects", "cash"),
        ("hardship", "cash"),
    ]
    assert spec.sources("troops", "subtotal") == [("troops", "cash"), ("troops", "goods")]
    assert len(spec.sources("objects", "qty")) == 7
    order = spec.calc_order()
    assert order.index(("objects", "cash")) < order.index(("total", "cash"))


def test_fingerprint_is_stable_and_layout_sensitive() -> None:
    data = raw()
    assert parse_form(data).fingerprint == load_form().fingerprint
    changed = copy.deepcopy(data)
    changed["rows"][0]["label"] = "走访慰问部队"
    assert parse_form(changed).fingerprint != load_form().fingerprint


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["rules"][0].__setitem__("source_rows", ["nope"]),
            "rules.objects_sum.source_rows 有误：引用了未知的行 “nope”",
        ),
        (
            lambda d: d["rows"][0]["cells"].__setitem__("qty", "maybe"),
            "rows.troops.cells.qty 有误：应为 in、calc 或 na",
        ),
        (
            lambda d: d["rows"][0]["cells"].__setitem__("wat", "in"),
            "rows.troops.cells.wat 有误：不是已定义的数值列",
        ),
        (lambda d: d.pop("form"), "form 有误：缺少此项"),
        (
            lambda d: d["rules"].pop(),
            "rows.troops.cells.subtotal 有误：标为 calc，但没有任何求和规则计算它",
        ),
        (lambda d: d["columns"][3].__setitem__("kind", "float"), "columns[3].kind 有误"),
    ],
)
def test_malformed_definition_names_the_key(mutate, message) -> None:
    data = raw()
    mutate(data)
    with pytest.raises(FormDefinitionError) as e:
        parse_form(data, "x.toml")
    assert message in str(e.value)


def test_load_form_reports_bad_toml(tmp_path: Path) -> None:
    p = tmp_path / "坏.toml"
    p.write_text("[form\nid=", encoding="utf-8")
    with pytest.raises(FormDefinitionError) as e:
        load_form(p)
    said, _, technical = str(e.value).partition("（技术信息：")
    assert said == (
        f"表式定义 {p} 不是有效的 TOML 文件：第 1 行第 6 列附近有错；请检查该处的引号、等号和方括号"
    )
    assert technical.endswith("(at line 1, column 6)）")
    with pytest.raises(FormDefinitionError, match="找不到表式定义文件"):
        load_form(tmp_path / "missing.toml")


def test_per_form_builds_once_per_spec_object() -> None:
    from shuangyong_cli.model.form import per_form

    calls: list[str] = []

    @per_form
    def table(spec):  # type: ignore[no-untyped-def]
        calls.append(spec.id)
        return len(spec.rows)

    a, b = load_form(), load_form()
    assert table(a) == table(a) == table(b) == 15
    assert calls == ["bayi-2020", "bayi-2020"]  # once for a, once for b (a distinct object)
