"""A season on the clerk's own blank (issue 19's "Done when"): ``form new`` → ``template --roster``
(copies of the blank itself) → returns filled in → ``validate`` → ``merge`` (汇总表 = the blank
with the totals) → ``status``; the summary validates and merges again (roll-up)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

import blank_forms
from shuangyong_cli.cli import cli
from shuangyong_cli.learn.own_blank import MatchedBlank, match_blank, write_fields
from shuangyong_cli.model import CellKind, FormSpec, ValueKind, load_form

UNITS = [("甲镇", "乡镇"), ("乙街道", "街道"), ("丙镇", "乡镇")]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(
        cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}
    )


def season_start(blank: Path, tmp: Path) -> tuple[Path, FormSpec, Path]:
    """form new and template --roster: the definition, its spec and the folder of copies."""
    form = tmp / "表式" / "定义.toml"
    form.parent.mkdir()
    result = run("form", "new", blank, "-o", form, "-q")
    assert result.exit_code == 0, result.output
    roster = tmp / "名册.csv"
    roster.write_text(
        "单位名称,单位类别\n" + "".join(f"{n},{c}\n" for n, c in UNITS), encoding="utf-8"
    )
    result = run("template", "--form", form, "--roster", roster, "--out-dir", tmp / "下发")
    assert result.exit_code == 0, result.output
    return form, load_form(form), roster


def typed_values(spec: FormSpec, unit_index: int) -> dict[tuple[str, str], Decimal]:
    """A plausible value for every numeric input cell: a parent row above its 其中 rows (rows
    further down get smaller numbers), whole numbers where the cell counts."""
    out: dict[tuple[str, str], Decimal] = {}
    for i, (row, column) in enumerate(spec.input_cells()):
        if column.kind not in (ValueKind.COUNT, ValueKind.MONEY):
            continue
        n = Decimal(50 - spec.rows.index(row) * 3 + unit_index + i % 3)
        money = (row.value_kind or column.kind) is ValueKind.MONEY
        out[(row.id, column.id)] = n + Decimal("0.25") if money and unit_index else n
    return out


def fill_copy(copy: Path, out: Path, matched: MatchedBlank, spec: FormSpec, values: dict) -> None:
    wb = openpyxl.load_workbook(copy)
    ws = wb[matched.sheet]
    for (row_id, column_id), value in values.items():
        matched.cell(ws, row_id, column_id).value = value
    fields: dict[str, str | dt.date] = {
        f.id: dt.date(2021, 2, 10) if f.kind == "date" else "张三"
        for f in spec.fields
        if f.id != "unit"
    }
    write_fields(ws, matched, spec, fields)
    wb.save(out)


def expected_totals(
    spec: FormSpec, per_unit: list[dict[tuple[str, str], Decimal]]
) -> dict[tuple[str, str], Decimal]:
    """Every numeric cell's total: inputs summed, calc cells by the form's rules."""
    total: dict[tuple[str, str], Decimal] = {}
    for values in per_unit:
        for key, value in values.items():
            total[key] = total.get(key, Decimal(0)) + value
    for cell in spec.calc_order():
        total[cell] = sum((total.get(s, Decimal(0)) for s in spec.sources(*cell)), Decimal(0))
    return total


def libreoffice_copy(src: Path, out_dir: Path) -> Path:
    """``src`` opened and saved again by LibreOffice (formulas recalculated on loading)."""
    program = blank_forms.soffice()
    assert program is not None
    out_dir.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shuangyong-own-") as tmp:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={Path(tmp).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out_dir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return out_dir / src.name


@pytest.mark.soffice
@pytest.mark.skipif(blank_forms.soffice() is None, reason="LibreOffice not installed")
@pytest.mark.parametrize(
    "builder",
    [
        "weiwen",
        "chuangjian",
        "jingfei",
        "bayi",  # the built-in form's blank, as `template` draws it, learned like any other
    ],
)
def test_the_summary_is_the_clerks_blank_with_the_totals(builder: str, tmp_path: Path) -> None:
    """Returns filled in copies of the blank and saved by LibreOffice (their formulas computed,
    as a unit's office program saves them) merge into 汇总表 = the blank, each total in its
    cell; read again after LibreOffice has opened and saved the summary, the same."""
    blank = blank_forms.BUILDERS[builder](tmp_path)
    form, spec, roster = season_start(blank, tmp_path)
    matched = match_blank(blank, spec)
    inbox, filled = tmp_path / "回收", tmp_path / "填好"
    filled.mkdir()
    per_unit = []
    for i, (name, _) in enumerate(UNITS):
        copy = next((tmp_path / "下发").glob(f"{name}-*.xlsx"))
        values = typed_values(spec, i)
        fill_copy(copy, filled / f"{name}.xlsx", matched, spec, values)
        libreoffice_copy(filled / f"{name}.xlsx", inbox)
        per_unit.append(values)
    result = run("validate", inbox, "--form", form, "--roster", roster, "-q")
    assert result.exit_code == 0, result.output
    summary = tmp_path / "汇总.xlsx"
    result = run(
        "merge", inbox, "--form", form, "--roster", roster, "-o", summary, "--name", "全区"
    )
    assert result.exit_code == 0, result.output
    expected = expected_totals(spec, per_unit)
    again = libreoffice_copy(summary, tmp_path / "lo")
    for path in (summary, again):
        ws = openpyxl.load_workbook(path, data_only=True)["汇总表"]
        for row, column, kind in spec.cells():
            if kind is CellKind.NA or column.kind not in (ValueKind.COUNT, ValueKind.MONEY):
                continue
            cell = matched.cell(ws, row.id, column.id)
            want = expected.get((row.id, column.id), Decimal(0))
            assert Decimal(str(cell.value or 0)) == want, (path.name, cell.coordinate)
    _same_layout(blank, summary, matched, spec)


def _same_layout(blank: Path, summary: Path, matched: MatchedBlank, spec: FormSpec) -> None:
    """Every cell of the blank outside the numeric and field cells reads the same in 汇总表;
    merged ranges and column widths are the blank's."""
    src = openpyxl.load_workbook(blank)[matched.sheet]
    dst = openpyxl.load_workbook(summary)["汇总表"]
    written = {matched.cell(src, r.id, c.id).coordinate for r, c, _ in spec.cells()}
    written |= {
        matched.field_cell(src, f.id).coordinate for f in spec.fields if f.id in matched.fields
    }
    for row in src.iter_rows():
        for cell in row:
            if cell.coordinate in written or (isinstance(cell.value, str) and "=" in cell.value):
                continue
            assert dst[cell.coordinate].value == cell.value, cell.coordinate
    assert {str(r) for r in dst.merged_cells.ranges} == {str(r) for r in src.merged_cells.ranges}
    assert _widths(dst) == pytest.approx(_widths(src), abs=0.01)


def _widths(ws: object) -> dict[int, float]:
    """Column index → its custom width (openpyxl reads a run of equal widths as one entry)."""
    out = {}
    for key, dim in ws.column_dimensions.items():  # type: ignore[attr-defined]
        if dim.customWidth and dim.width:
            first = openpyxl.utils.column_index_from_string(key)
            for col in range(first, max(first, dim.max or 0) + 1):
                out[col] = dim.width
    return out


def test_a_season_on_the_clerks_own_blank(tmp_path: Path) -> None:
    """form new → template copies → three returns, one flawed → validate → merge → status;
    the summary validates and merges again with --form."""
    blank = blank_forms.weiwen(tmp_path)
    form, spec, roster = season_start(blank, tmp_path)
    matched = match_blank(blank, spec)
    copies = sorted((tmp_path / "下发").glob("*.xlsx"))
    assert len(copies) == 3
    first = openpyxl.load_workbook(copies[0])
    ws = first[matched.sheet]
    assert ws.protection.sheet
    assert not matched.cell(
        ws, spec.rows[0].id, spec.input_cells().__next__()[1].id
    ).protection.locked
    inbox = tmp_path / "回收"
    inbox.mkdir()
    per_unit = []
    for i, (name, _) in enumerate(UNITS[:2]):
        copy = next((tmp_path / "下发").glob(f"{name}-*.xlsx"))
        values = typed_values(spec, i)
        fill_copy(copy, inbox / f"{name}.xlsx", matched, spec, values)
        per_unit.append(values)
    flawed = typed_values(spec, 2)
    row_id, column_id = next(k for k in flawed if spec.column(k[1]).kind is ValueKind.COUNT)
    copy = next((tmp_path / "下发").glob("丙镇-*.xlsx"))
    fill_copy(copy, inbox / "丙镇.xlsx", matched, spec, flawed | {(row_id, column_id): "2.5"})
    result = run("validate", inbox, "--form", form, "--roster", roster)
    assert result.exit_code == 1, result.output
    assert "丙镇.xlsx" in result.output and "有错误" in result.output
    summary = tmp_path / "汇总.xlsx"
    result = run(
        "merge", inbox, "--form", form, "--roster", roster, "-o", summary, "--name", "全区"
    )
    assert result.exit_code == 1, result.output  # written, 丙镇 not counted
    ws = openpyxl.load_workbook(summary)["汇总表"]
    assert ws["A1"].value == openpyxl.load_workbook(blank)[matched.sheet]["A1"].value
    assert matched.field_cell(ws, "unit").value == "全区"
    expected = expected_totals(spec, per_unit)
    for (r, c), want in expected.items():
        assert Decimal(str(matched.cell(ws, r, c).value)) == want, (r, c)
    result = run("status", inbox, "--form", form, "--roster", roster)
    assert result.exit_code in (0, 1), result.output
    assert "丙镇" in result.output
    result = run("validate", summary, "--form", form)
    assert result.exit_code == 0, result.output
    up = tmp_path / "上报"
    up.mkdir()
    shutil.copy(summary, up / "全区.xlsx")
    result = run("merge", up, "--form", form, "-o", tmp_path / "市.xlsx", "--name", "市")
    assert result.exit_code == 0, result.output


def test_a_changed_or_missing_blank_is_said(tmp_path: Path) -> None:
    blank = blank_forms.weiwen(tmp_path)
    form, _, _ = season_start(blank, tmp_path)
    wb = openpyxl.load_workbook(blank)
    wb.active["H20"] = "改动"  # type: ignore[index]
    wb.save(blank)
    result = run("template", "--form", form, "-o", tmp_path / "一份.xlsx")
    assert result.exit_code == 0, result.output
    assert "改动过" in result.output
    blank.unlink()
    result = run("template", "--form", form, "-o", tmp_path / "两份.xlsx")
    assert result.exit_code == 2
    assert "找不到表式定义" in result.output
    inbox = tmp_path / "回收"
    inbox.mkdir()
    (inbox / "一份.xlsx").write_bytes((tmp_path / "一份.xlsx").read_bytes())
    result = run("merge", "--form", form, inbox, "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 2
    assert result.stdout == ""  # refused before any return was read
    assert result.stderr.startswith(f"错误：找不到表式定义 {form.name} 中的空白表")


@pytest.mark.soffice
@pytest.mark.skipif(blank_forms.soffice() is None, reason="LibreOffice not installed")
def test_an_xls_blank_gives_xlsx_copies_and_says_so(tmp_path: Path) -> None:
    blank = blank_forms.youfu_xls(tmp_path)
    form, _, roster = season_start(blank, tmp_path)
    result = run("template", "--form", form, "--roster", roster, "--out-dir", tmp_path / "再发")
    assert result.exit_code == 0, result.output
    assert "写成 .xlsx" in result.output
    assert len(list((tmp_path / "再发").glob("*.xlsx"))) == len(UNITS)
