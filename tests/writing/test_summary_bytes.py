"""summary.write_summary saves through XlsxWriter: the same summary gives the same
bytes run after run, text a unit typed reads back as typed, numbers read back as written."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from scenarios import HYPERLINK, SPEC, make_result, make_return, merged, scenario
from seasons import LAST, ROSTER, THIS, THIS_ERRORS, season
from shuangyong_cli.season.comparison import compare
from shuangyong_cli.season.earlier import read_earlier
from shuangyong_cli.season.layout import DETAIL_SHEET
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.totals import Summary
from shuangyong_cli.writing.summary import write_summary

#: Text a unit may type that XML and Excel treat specially.
TRICKY = (
    HYPERLINK,
    "=SUM(1,2)",
    "@乙",
    "+1",
    "-区",
    " 前后有空格 ",
    "a & b <c> d \"e\" 'f'",
    "第一行\r\n第二行\t制表",
    "响铃\x07与\x1f控制字符",
    "😀 𠀀 \u00a0 \u2028",
)


def twice(summary: Summary, tmp_path: Path, comparison: object = None) -> tuple[bytes, bytes]:
    """The summary written twice, to two files."""
    got = []
    for name in ("一.xlsx", "二.xlsx"):
        out = tmp_path / name
        write_summary(summary, SPEC, out, force=False, inputs=[], comparison=comparison)  # type: ignore[arg-type]
        got.append(out.read_bytes())
    return got[0], got[1]


def test_the_scenario_summary_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    first, second = twice(merged(scenario()), tmp_path)
    assert first == second


def test_tricky_text_is_the_same_bytes_and_reads_back(tmp_path: Path) -> None:
    results = []
    for i, text in enumerate(TRICKY):
        path = f"{text[:6].strip() or i}{i}.xlsx"
        data = make_return(
            path,
            f"{text}{i}",
            {("troops", "qty"): Decimal(i + 1), ("troops", "cash"): Decimal("0.125")},
            dt.date(2020, 8, 1 + i) if i % 2 else None,
            remarks={"troops": text, "hardship": text},
        )
        results.append(make_result(data, path))
    summary = merge_results(results, SPEC, None, name=" 区&<县> ", date=None)
    first, second = twice(summary, tmp_path)
    assert first == second
    ws = openpyxl.load_workbook(io.BytesIO(first))[DETAIL_SHEET]
    column = next(
        c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == "填报单位（原文）"
    )
    typed = [ws.cell(r, column).value for r in range(6, 6 + len(TRICKY))]
    cleaned = [t.replace("\x07", "\ufffd").replace("\x1f", "\ufffd") for t in TRICKY]
    # A carriage return is written as OOXML's escape of a control character, ``_x000D_``,
    # which Excel and LibreOffice read as the character; openpyxl shows the escape as it is.
    cleaned = [t.replace("\r", "_x000D_") for t in cleaned]
    # 填报单位 as the merge keeps it: typed spaces at the ends are part of what was typed
    assert sorted(typed) == sorted(f"{t}{i}" for i, t in enumerate(cleaned))  # type: ignore[type-var]


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> object:
    last = tmp_path_factory.mktemp("上次") / "2019年汇总.xlsx"
    write_summary(season(LAST, date=dt.date(2019, 8, 12)), SPEC, last, force=False, inputs=[])
    return compare(read_earlier(last, SPEC), season(THIS, errors=THIS_ERRORS), SPEC, ROSTER)


def test_the_compare_sheet_is_the_same_bytes_each_time(comparison: object, tmp_path: Path) -> None:
    first, second = twice(season(THIS, errors=THIS_ERRORS), tmp_path, comparison)
    assert first == second
    assert "同比" in openpyxl.load_workbook(io.BytesIO(first)).sheetnames


#: Numbers whose text in the file could go wrong: 0 and -0 are equal Decimals, 1E+2 equals
#: 100, and 17 significant digits are rounded to 16.
NUMBERS = (
    Decimal("0"), Decimal("-0"), Decimal("0.00"), Decimal("-0.00"), Decimal("100"),
    Decimal("1E+2"), Decimal("100.000"), Decimal("0.125"), Decimal("-3.5"),
    Decimal("12345678901234.56"), Decimal("1234567890123456.7"), Decimal("0.1"),
)  # fmt: skip


def test_numbers_read_back_as_written(tmp_path: Path) -> None:
    results = []
    for i, number in enumerate(NUMBERS):
        cells = {("troops", "qty"): Decimal(i), ("troops", "cash"): number}
        cells[("hardship", "cash")] = NUMBERS[-1 - i]
        path = f"单位{i}.xlsx"
        results.append(make_result(make_return(path, f"单位{i}", cells, None), path))
    summary = merge_results(results, SPEC, None, name="区", date=None)
    first, second = twice(summary, tmp_path)
    assert first == second
    ws = openpyxl.load_workbook(io.BytesIO(first))[DETAIL_SHEET]
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(3, c).value == "慰问金")
    # rows 4 and 5 are 合计 and 未列入名册's 小计, then the units in the order given
    got = [ws.cell(r, column).value for r in range(6, 6 + len(NUMBERS))]
    assert got == [float("%.16g" % n) for n in NUMBERS]  # noqa: UP031
    assert got[-2] == 1234567890123457  # 16 significant digits, as openpyxl writes a Decimal
