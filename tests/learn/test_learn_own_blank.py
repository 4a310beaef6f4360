"""Totals written into a copy of the clerk's own blank (``learn.own_blank``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import blank_forms
from shuangyong_cli.cli import cli
from shuangyong_cli.learn import learn
from shuangyong_cli.learn.own_blank import after_colon, fill_own_blank
from shuangyong_cli.model.errors import UsageError
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.writing import atomic


def test_values_land_where_the_blank_has_them_and_formulas_stay(tmp_path: Path) -> None:
    blank = blank_forms.weiwen(tmp_path)
    spec = learn(blank).spec
    values = {
        ("r1", "male"): 3,
        ("r1", "female"): 2,
        ("r1", "sum"): 5,
        ("r1", "c6"): Decimal("1500.50"),
    }
    values |= {("total", "male"): 3}
    wb = fill_own_blank(blank, spec, values, {"unit": "全区", "date": "2021-02-10"})
    out = tmp_path / "汇总.xlsx"
    atomic.save_workbook_atomic(wb, out)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    assert (ws["C5"].value, ws["D5"].value, ws["F5"].value) == (3, 2, 1500.5)
    assert ws["E5"].value == "=C5+D5"  # the blank's formula, not the value
    assert ws["C9"].value == "=SUM(C5:C8)"
    assert (ws["C2"].value, ws["F2"].value) == ("全区", "2021-02-10")
    assert ws["A1"].value == "2021年春节期间走访慰问困难退役军人情况统计表"
    # the filled copy is a return in the same form: it validates with the same definition
    form = tmp_path / "ww.toml"
    form.write_text(learn(blank).toml, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--form", str(form), str(out)])
    assert result.exit_code == 0, result.output


def test_fields_after_the_colon(tmp_path: Path) -> None:
    blank = blank_forms.chuangjian(tmp_path)
    spec = learn(blank).spec
    fields = {"unit": "黔江区", "filler": "张三", "phone": "023-1234"}
    wb = fill_own_blank(blank, spec, {("r1", "c3"): Decimal("1.25")}, fields)
    ws = wb.active
    assert ws is not None
    assert ws["A2"].value == "填报单位：黔江区"
    assert ws["A11"].value == "填表人：张三    审核人：__________    联系电话：023-1234"
    assert ws["C5"].value == Decimal("1.25")
    assert ws["F5"].value is None  # a calc cell without a formula gets the value only if given


@pytest.mark.parametrize(
    ("text", "label", "value", "out"),
    [
        ("填报单位：______", "填报单位", "甲镇", "填报单位：甲镇"),
        ("填报日期：    年  月  日", "填报日期", "2021-03-01", "填报日期：2021-03-01"),
        ("填表人：____  审核人：____", "填表人", "张三", "填表人：张三  审核人：____"),
        ("填表人：____  审核人：____", "审核人", "李四", "填表人：____  审核人：李四"),
        ("联系人", "填表人", "张三", "联系人"),
    ],
)
def test_after_colon(text: str, label: str, value: str, out: str) -> None:
    assert after_colon(text, label, value) == out


def test_a_blank_of_another_form_is_refused(tmp_path: Path) -> None:
    blank = blank_forms.weiwen(tmp_path)
    with pytest.raises(UsageError, match="与表式定义不一致：表名：定义为"):
        fill_own_blank(blank, load_form(), {})


@pytest.mark.soffice
@pytest.mark.skipif(blank_forms.soffice() is None, reason="LibreOffice not installed")
def test_an_xls_blank_is_refused(tmp_path: Path) -> None:
    blank = blank_forms.youfu_xls(tmp_path)
    with pytest.raises(UsageError, match=r"另存为 \.xlsx"):
        fill_own_blank(blank, learn(blank).spec, {})
