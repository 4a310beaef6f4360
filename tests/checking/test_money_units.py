"""Money in 元, 千元 or 万元: a cell reads what is typed in its own unit, converts what is typed in
another, and is bounded in its unit (forms learned from a clerk's blank have all three)."""

from __future__ import annotations

from decimal import Decimal

from shuangyong_cli.checking.values import parse_number
from shuangyong_cli.model.codes import CODES, Severity
from shuangyong_cli.model.form import Limits, ValueKind

MONEY = ValueKind.MONEY


def read(typed: str, unit: str) -> tuple[Decimal | None, list[tuple[str, str]]]:
    parsed = parse_number(typed, MONEY, unit=unit)
    return parsed.value, list(parsed.notes)


def test_typed_in_the_cells_own_unit() -> None:
    assert read("5000元", "元") == (
        Decimal(5000),
        [("value.converted", "填的是“5000元”，已按 5000 元计；本栏单位是元，请只填数字。")],
    )
    assert read("5000", "元") == (
        Decimal(5000),
        [("value.converted", read("5000", "万元")[1][0][1])],
    )


def test_typed_in_another_unit_is_converted_and_a_warning() -> None:
    """Converted between money units, the number changed by a factor: a warning, as 5000元 in a
    万元 cell is (a 提示, hidden without -v, would let 5千元 pass unseen)."""
    assert read("0.5万元", "元") == (
        Decimal(5000),
        [("value.unit_converted", "填的是“0.5万元”，已按 5000 元计；本栏单位是元，请只填数字。")],
    )
    assert read("3千元", "万元") == (
        Decimal("0.3"),
        [("value.unit_converted", "填的是“3千元”，已按 0.3 万元计；本栏单位是万元，请只填数字。")],
    )
    assert read("2万", "千元")[0] == Decimal(20)
    assert CODES["value.unit_converted"].severity is Severity.WARNING
    assert read("5万", "万元")[1][0][0] == "value.converted"  # its own unit: only read as text


def test_yuan_in_a_wan_cell_is_still_the_warning_it_was() -> None:
    value, notes = read("5000元", "万元")
    assert value == Decimal("0.5")
    assert [code for code, _ in notes] == ["value.yuan_converted"]


def test_a_count_unit_in_a_money_cell_names_the_cells_unit() -> None:
    value, notes = read("3人", "元")
    assert value is None
    assert notes[0][0] == "value.not_number"
    assert "（本栏是金额，单位为元）" in notes[0][1] and "请填写确切金额（元）" in notes[0][1]


def test_bounds_per_unit_and_for_a_summary() -> None:
    limits = Limits(plausible_max={"元": Decimal(1_000_000)})
    assert limits.bound("元") == Decimal(1_000_000)
    assert limits.bound("万元") == Decimal(100)
    assert limits.bound("元", summary=True) == Decimal(1_000_000_000)
    assert limits.bound("万元", summary=True) == Decimal(100_000)
