"""Returns typed into the clerk's *own* blank, read with the definition ``form new`` learned from
it: located by their labels, checked (a row's own kind, the blank's printed 不填, 其中 rows) and
merged."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

import blank_forms
from shuangyong_cli.cli import cli


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


def learned_form(blank: Path, out: Path) -> Path:
    result = run("form", "new", blank, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    return out


def fill(blank: Path, out: Path, cells: dict[str, object]) -> Path:
    wb = openpyxl.load_workbook(blank)
    ws = wb.active
    assert ws is not None
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(out)
    return out


@pytest.fixture
def weiwen(tmp_path: Path) -> tuple[Path, Path]:
    blank = blank_forms.weiwen(tmp_path)
    return blank, learned_form(blank, tmp_path / "weiwen.toml")


def test_returns_in_the_own_blank_validate_and_merge(weiwen: tuple[Path, Path]) -> None:
    blank, form = weiwen
    inbox = blank.parent / "回收"
    inbox.mkdir()
    for unit, n in (("甲镇", 1), ("乙镇", 2)):
        cells: dict[str, object] = {"C2": unit, "F2": "2021-02-01"}
        for r in range(5, 9):
            cells |= {f"C{r}": n, f"D{r}": n, f"F{r}": 1500.5}
        fill(blank, inbox / f"{unit}.xlsx", cells)
    result = run("validate", "--form", form, inbox)
    assert result.exit_code == 0, result.output
    assert "2 个通过" in result.stdout
    result = run("merge", "--form", form, inbox, "-o", blank.parent / "汇总.xlsx")
    assert result.exit_code == 0, result.output
    assert "计入汇总 2 份报表（2 个单位）" in result.stdout
    assert "慰问金（元） 12004.00" in result.stdout


def test_a_wrong_hand_typed_total_in_the_own_blank_is_found(weiwen: tuple[Path, Path]) -> None:
    blank, form = weiwen
    cells: dict[str, object] = {"C2": "甲镇", "C5": 1, "D5": 2, "E5": 4}  # 合计 typed over =C5+D5
    path = fill(blank, blank.parent / "甲镇.xlsx", cells)
    result = run("validate", "--form", form, path)
    assert result.exit_code == 1
    assert "E5" in result.stdout


def test_fields_after_the_colon_are_read(tmp_path: Path) -> None:
    blank = blank_forms.chuangjian(tmp_path)
    form = learned_form(blank, tmp_path / "cj.toml")
    cells: dict[str, object] = {"A2": "填报单位：丙街道", "D2": "填报日期：2021年3月1日"}
    path = fill(blank, tmp_path / "丙街道.xlsx", cells | {"C5": 1.5, "D5": 2})
    result = run("validate", "--form", form, path)
    assert result.exit_code == 0, result.output
    assert "丙街道" in result.stdout


@pytest.fixture
def jingfei(tmp_path: Path) -> tuple[Path, Path]:
    blank = blank_forms.jingfei(tmp_path)
    return blank, learned_form(blank, tmp_path / "jf.toml")


def test_a_money_row_in_a_count_column_takes_decimals(jingfei: tuple[Path, Path]) -> None:
    blank, form = jingfei
    cells = {"B3": "乙镇", "D5": 12.5}  # a 万元 row in a count column: decimals are money
    path = fill(blank, blank.parent / "乙镇.xlsx", cells)
    assert run("validate", "--form", form, path).exit_code == 0


def test_the_blanks_own_na_text_is_not_a_value(jingfei: tuple[Path, Path]) -> None:
    blank, form = jingfei
    path = fill(blank, blank.parent / "乙镇.xlsx", {"B3": "乙镇", "D10": 2})
    assert run("validate", "--form", form, path).exit_code == 0


def test_the_own_blank_with_whole_numbers_validates(jingfei: tuple[Path, Path]) -> None:
    blank, form = jingfei
    cells = {"B3": "乙镇", "E3": "2021-02-01", "D5": 12, "D6": 10, "D8": 40}
    path = fill(blank, blank.parent / "乙镇.xlsx", cells)
    result = run("validate", "--form", form, path)
    assert result.exit_code == 0, result.output


def test_a_part_larger_than_its_whole_is_an_error(jingfei: tuple[Path, Path]) -> None:
    blank, form = jingfei
    cells = {"B3": "乙镇", "D11": 10, "D12": 30}
    path = fill(blank, blank.parent / "乙镇.xlsx", cells)
    result = run("validate", "--form", form, path, "--json")
    assert result.exit_code == 1
    found = [
        (f["code"], f["cell"], f["message"])
        for f in json.loads(result.stdout)["files"][0]["findings"]
        if f["code"] == "calc.subset_exceeds"
    ]
    assert len(found) == 1, found
    _, cell, said = found[0]
    assert cell == "D12"
    assert said == (
        "单元格 D12「其中：烈士遗属 / 本年数」为 30，大于“优抚对象人数”的 10（D11）；"
        "其中项不能大于总数，请核对后改正。"
    )
