"""The optional keys the form-learning engine (issue 19) added to the form definition."""

from __future__ import annotations

import copy
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shuangyong_cli.model.errors import FormDefinitionError
from shuangyong_cli.model.form import ColumnRole, ValueKind
from shuangyong_cli.model.form_file import load_form, parse_form

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def raw() -> dict[str, Any]:
    return tomllib.loads((ROOT / "templates" / "bayi-2020.toml").read_text(encoding="utf-8"))


def test_builtin_form_means_the_same() -> None:
    spec = load_form()
    assert spec.subsets == ()
    assert spec.limits.plausible_max == {}
    assert all(c.unit is None for c in spec.columns)
    assert all(r.value_kind is None for r in spec.rows)
    assert all(f.value == "next" for f in spec.fields)
    assert spec.fingerprint == parse_form(raw()).fingerprint


def test_new_keys_load() -> None:
    data = raw()
    data["header_fields"][0]["value"] = "after_colon"
    data["columns"][3]["unit"] = "人次"
    data["rows"][0]["value_kind"] = "money"
    data["limits"]["plausible_max"] = {"元": "1000000", "万元": "100"}
    data["subsets"] = [
        {"id": "s1", "parent": "objects", "rows": ["veterans"], "columns": ["qty", "cash"]}
    ]
    spec = parse_form(data)
    assert spec.header_fields[0].value == "after_colon"
    assert spec.column("qty").unit == "人次"
    assert spec.row("troops").value_kind is ValueKind.MONEY
    assert spec.limits.plausible_max == {"元": Decimal("1000000"), "万元": Decimal("100")}
    assert spec.subsets[0].parent == "objects"
    assert spec.subsets[0].rows == ("veterans",)
    # a subset is not a sum rule: nothing about calc cells changes
    assert spec.calc_order() == load_form().calc_order()


def test_seq_and_measure_columns_are_optional() -> None:
    data = raw()
    data["columns"] = [c for c in data["columns"] if c["role"] not in ("seq", "measure")]
    spec = parse_form(data)
    assert [c.role for c in spec.columns][:1] == [ColumnRole.ITEM]
    two = copy.deepcopy(raw())
    two["columns"].append({"id": "seq2", "label": "序号", "role": "seq"})
    with pytest.raises(FormDefinitionError, match="最多只能有一列"):
        parse_form(two)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["header_fields"][0].update(value="below"), "next 或 after_colon"),
        (lambda d: d["columns"][3].update(unit=""), "unit"),
        (lambda d: d["rows"][0].update(value_kind="text"), "count 或 money"),
        (
            lambda d: d.update(
                subsets=[{"id": "s", "parent": "nope", "rows": ["troops"], "columns": ["qty"]}]
            ),
            "未知的行",
        ),
        (
            lambda d: d.update(
                subsets=[
                    {"id": "s", "parent": "objects", "rows": ["troops"], "columns": ["remark"]}
                ]
            ),
            "未知的数值列",
        ),
        (
            lambda d: d.update(
                subsets=[{"id": "s", "parent": "objects", "rows": [], "columns": ["qty"]}]
            ),
            "非空",
        ),
        (
            lambda d: d.update(
                subsets=[
                    {"id": "total_sum", "parent": "objects", "rows": ["troops"], "columns": ["qty"]}
                ]
            ),
            "重复",
        ),
        (lambda d: d["limits"].update(plausible_max={"元": "-1"}), "非负"),
    ],
)
def test_bad_new_keys_are_named(change: Any, message: str) -> None:
    data = raw()
    change(data)
    with pytest.raises(FormDefinitionError, match=message):
        parse_form(data)
