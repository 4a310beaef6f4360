"""examples/: the roster, the generator script, the committed returns, and what validate says.

The committed files must be exactly what ``examples/make_examples.py`` makes (except the few
LibreOffice converts, which differ per conversion), and README.md must list every flawed file
with the finding codes validate reports for it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import random
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openpyxl import load_workbook

from returnfiles import no_bytecode
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.season.roster import load_roster
from shuangyong_cli.writing.atomic import workbook_bytes
from shuangyong_cli.writing.template_layout import template_positions

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RETURNS = EXAMPLES / "回收"
ROSTER = EXAMPLES / "名册.csv"
README = EXAMPLES / "README.md"
SPEC = load_form()
POS = template_positions(SPEC)

DESIGNED_COUNTS = {
    "乡镇": 24,
    "街道": 6,
    "区委各部委": 12,
    "区级国家机关各部门": 30,
    "人民团体": 10,
    "区属企事业单位": 10,
    "驻黔部队": 5,
}


def _load_script() -> ModuleType:
    name = "shuangyong_examples_make"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / "make_examples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    with no_bytecode():
        spec.loader.exec_module(module)
    return module


mx: Any = _load_script()


@pytest.fixture(scope="module")
def plan() -> tuple[list[Any], dict[str, bytes]]:
    return mx.plan_returns(SPEC)  # type: ignore[no-any-return]


def readme_table() -> dict[str, tuple[str, ...]]:
    """README's flawed files: {file: finding codes}, in the order listed."""
    rows: dict[str, tuple[str, ...]] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        cells = line.strip().strip("|").split(" | ")
        assert len(cells) == 4, line
        file = cells[0].strip().strip("`")
        codes = tuple(c.strip("`") for c in cells[2].split("、") if c.startswith("`"))
        assert file not in rows, file
        rows[file] = codes
    return rows


# -- the roster -------------------------------------------------------------------------------


def test_roster_loads_with_the_designed_units_per_category() -> None:
    roster = load_roster(ROSTER, SPEC)
    assert Counter(u.category for u in roster.units) == DESIGNED_COUNTS
    assert len(roster) == 97
    assert all(u.contact and u.phone for u in roster.units)
    civil = roster.get("黔江区民政局")
    assert civil is not None
    assert civil.aliases == ("区民政局",)


def test_roster_is_utf8_with_bom_and_the_scripts_output() -> None:
    data = ROSTER.read_bytes()
    assert data.startswith(
        b"\xef\xbb\xbf\xe5\x8d\x95\xe4\xbd\x8d\xe5\x90\x8d\xe7\xa7\xb0"
    )  # 单位名称
    assert data.decode("utf-8-sig").splitlines()[0] == "单位名称,单位类别,别名,联系人,联系电话"
    assert data == mx.roster_csv(mx.make_roster_rows())


@pytest.mark.parametrize(
    ("typed", "unit", "exact"),
    [
        ("区民政局", "黔江区民政局", False),
        ("财政局（盖章）", "黔江区财政局", False),
        ("区妇联", "黔江区妇女联合会", False),
        ("城东街道", "城东街道", True),
    ],
)
def test_the_names_units_type_match_the_roster(typed: str, unit: str, exact: bool) -> None:
    m = load_roster(ROSTER, SPEC).match(typed)
    assert m is not None
    assert (m.unit.name, m.exact) == (unit, exact)


def test_the_off_roster_unit_matches_nothing() -> None:
    assert load_roster(ROSTER, SPEC).match(mx.OFF_ROSTER_UNIT) is None


# -- the generator ------------------------------------------------------------------------------


def test_fill_return_gives_the_same_bytes_twice() -> None:
    def make() -> bytes:
        values = mx.plausible_values(random.Random(7), "乡镇")
        wb = mx.fill_return(
            SPEC,
            "城东街道",
            values,
            date=dt.date(2020, 8, 10),
            footer={"filler": "张明", "phone": "023-79220000"},
        )
        return workbook_bytes(wb)

    first = make()
    assert make() == first
    values = mx.plausible_values(random.Random(7), "乡镇")
    footer = {"filler": "张明", "phone": "023-79220000"}
    wb = mx.fill_return(SPEC, "城东街道", values, date=dt.date(2020, 8, 10), footer=footer)
    assert mx.workbook_bytes(wb) == first


def test_fill_return_writes_each_value_where_the_template_has_it() -> None:
    wb = mx.fill_return(
        SPEC,
        "黔江区民政局",
        {
            ("troops", "qty"): 2,
            ("troops", "cash"): Decimal("1.50"),
            ("korean_war", "qty"): "约5",
            ("total", "subtotal"): 9,
        },
        date="2020.8.10",
        remarks={"troops": '=HYPERLINK("http://example.com","点击")'},
        footer={"filler": "张明", "reviewer": "李静", "phone": "023-79220000"},
        unprotect=True,
    )
    wb = load_workbook(io.BytesIO(mx.workbook_bytes(wb)))
    ws = wb[SPEC.sheet]
    assert ws["C3"].value == "黔江区民政局"
    assert ws["G3"].value == "2020.8.10"
    assert (ws["D6"].value, ws["E6"].value, ws["D9"].value) == (2, 1.5, "约5")
    assert ws["H6"].value == '=HYPERLINK("http://example.com","点击")'
    assert ws["H6"].data_type == "s"
    assert ws["G20"].value == 9
    assert ws["G6"].value == "=E6+F6"
    assert (ws["B25"].value, ws["D25"].value, ws["G25"].value) == ("张明", "李静", "023-79220000")
    assert ws.protection.sheet is False


def test_fill_return_refuses_unknown_cells() -> None:
    with pytest.raises(KeyError):
        mx.fill_return(SPEC, "x", {("nowhere", "qty"): 1})
    with pytest.raises(KeyError):
        mx.fill_return(SPEC, "x", {("troops", "seq"): 1})
    with pytest.raises(KeyError):
        mx.fill_return(SPEC, "x", {}, footer={"nobody": "x"})


@pytest.mark.parametrize("category", [*DESIGNED_COUNTS, "区退役军人事务局"])
def test_plausible_values_are_clean_returns(category: str) -> None:
    inputs = {(r.id, c.id): c for r, c in SPEC.input_cells()}
    for seed in range(40):
        values = mx.plausible_values(random.Random(seed), category)
        assert values == mx.plausible_values(random.Random(seed), category)
        for key, v in values.items():
            assert key in inputs, key
            kind = inputs[key].kind.value if inputs[key].kind else ""
            if kind == "count":
                assert type(v) is int and v > 0
            elif kind == "money":
                assert isinstance(v, Decimal) and v == v.quantize(Decimal("0.01"))
                assert Decimal("0.01") <= v <= mx.MONEY_CAP
                assert values.get((key[0], "qty"), 0) > 0, key
            else:
                assert isinstance(v, str) and v
    if category == "驻黔部队":
        assert not any(
            ("troops", "qty") in mx.plausible_values(random.Random(s), category) for s in range(40)
        )


def test_plausible_values_refuses_an_unknown_category() -> None:
    with pytest.raises(KeyError):
        mx.plausible_values(random.Random(1), "居委会")


# -- the committed returns ----------------------------------------------------------------------


def test_committed_returns_are_the_scripts_output(plan: tuple[list[Any], dict[str, bytes]]) -> None:
    examples, files = plan
    on_disk = sorted(p.name for p in RETURNS.iterdir())
    assert on_disk == sorted(e.file for e in examples)
    for e in examples:
        data = (RETURNS / e.file).read_bytes()
        if e.soffice == "xls":
            assert data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), e.file
        elif e.soffice == "xlsx":
            assert data.startswith(b"PK\x03\x04"), e.file
        else:
            assert data == files[e.file], f"{e.file} 与脚本输出不同；请运行 make_examples.py"
    assert sum(p.stat().st_size for p in RETURNS.iterdir()) < 2_000_000


def test_every_roster_unit_but_the_designed_few_has_a_file(
    plan: tuple[list[Any], dict[str, bytes]],
) -> None:
    examples, _ = plan
    roster = {u.name for u in load_roster(ROSTER, SPEC).units}
    sent = {e.unit for e in examples if e.unit and not e.skipped}
    assert roster - sent == set(mx.NO_RETURN)
    assert len(mx.NO_RETURN) == 9
    assert sent <= roster


def test_readme_lists_every_flawed_file_and_it_exists(
    plan: tuple[list[Any], dict[str, bytes]],
) -> None:
    examples, _ = plan
    table = readme_table()
    assert table == {e.file: e.codes for e in examples if e.flaw}
    for file in table:
        assert (RETURNS / file).is_file(), file
    assert README.read_text(encoding="utf-8") == mx.readme_text(examples)


def test_the_flaws_cover_what_the_issue_asks_for() -> None:
    codes = {c for cs in readme_table().values() for c in cs}
    assert codes >= {
        "value.implausible",
        "value.yuan_converted",
        "value.guess",
        "calc.mismatch",
        "header.unit_missing",
        "roster.duplicate",
        "roster.near_match",
        "value.converted",
        "value.formula_no_cache",
        "roster.unknown_unit",
        "return.empty",
        "value.formula_text",
        "form.other_sheets",
        "header.late",
        "file.truncated",
        "file.not_workbook",
    }
    names = set(readme_table())
    assert {n for n in names if n.endswith(".xls")} == {"统计表（黔江区水利局）.xls", "鹅池镇.xls"}
    assert "~$城东街道-八一统计表.xlsx" in names


# -- what validate says -------------------------------------------------------------------------


def test_validate_reports_the_documented_codes(plan: tuple[list[Any], dict[str, bytes]]) -> None:
    pytest.importorskip("shuangyong_cli.checking.rules")
    validate = pytest.importorskip("shuangyong_cli.season.inbox")
    examples, _ = plan
    roster = load_roster(ROSTER, SPEC)
    report = validate.validate_paths([RETURNS], SPEC, roster=roster)

    got = {r.path: tuple(sorted(f.code for f in r.findings)) for r in report.files}
    expected = {e.file: e.codes for e in examples if not e.skipped}
    assert got == expected
    clean = [e.file for e in examples if not e.flaw]
    assert len(clean) == 58
    assert all(got[f] == () for f in clean)

    general = Counter(f.code for f in report.general)
    assert general == {"roster.not_reported": 12}
    missing = [f.value for f in report.general]
    assert sorted(missing) == sorted(mx.not_reported(examples))
