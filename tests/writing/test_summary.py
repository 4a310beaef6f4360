"""summary.py: the summary workbook, read back cell by cell.

The returns are the scenario of ``scenarios.py`` (35 roster units over all categories, with
errors, copies, a late return, a unit off the roster and a summary inside the summary).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from scenarios import (
    HYPERLINK,
    SPEC,
    Scenario,
    make_result,
    make_return,
    merged,
    scenario,
)
from shuangyong_cli.model.errors import OutputError
from shuangyong_cli.model.findings import Severity
from shuangyong_cli.model.grid import Grid, Sheet
from shuangyong_cli.model.identity import META_SHEET, read_identity
from shuangyong_cli.model.returns import CellKey
from shuangyong_cli.season.layout import (
    CHART_SHEET,
    DETAIL_SHEET,
    FILES_SHEET,
    FINDINGS_SHEET,
    STATUS_SHEET,
    SUMMARY_SHEET,
)
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.sums import numeric_cells
from shuangyong_cli.season.totals import UNLISTED, Summary
from shuangyong_cli.writing.cell_text import display_width
from shuangyong_cli.writing.summary import build_summary, write_summary
from shuangyong_cli.writing.template_layout import template_positions

ZERO = Decimal(0)


def exact(value: object) -> Decimal:
    """A number read back from a workbook, as the Decimal a clerk typed (shortest repr)."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@pytest.fixture(scope="module")
def case() -> tuple[Scenario, Summary]:
    sc = scenario()
    return sc, merged(sc)


@pytest.fixture(scope="module")
def written(case: tuple[Scenario, Summary], tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, summary = case
    out = tmp_path_factory.mktemp("汇总") / "汇总.xlsx"
    assert write_summary(summary, SPEC, out, force=False, inputs=[]) == out.resolve()
    return out


@pytest.fixture(scope="module")
def wb(written: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(written)


def sheet(wb: openpyxl.Workbook, name: str) -> Worksheet:
    ws = wb[name]
    assert isinstance(ws, Worksheet)
    return ws


def expected(sc: Scenario, category: str | None = None) -> dict[CellKey, Decimal]:
    total = sc.expected_total(category)
    return {k: total[k] for k in numeric_cells(SPEC)}


# -- 汇总表 -------------------------------------------------------------------------------------


def form_values(ws: Worksheet) -> dict[CellKey, Decimal]:
    pos = template_positions(SPEC)
    return {cell: exact(ws[pos.cell(*cell)].value) for cell in numeric_cells(SPEC)}


def test_sheets_in_order(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == [
        SUMMARY_SHEET,
        DETAIL_SHEET,
        STATUS_SHEET,
        FINDINGS_SHEET,
        FILES_SHEET,
        CHART_SHEET,
        META_SHEET,
    ]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb.active.title == SUMMARY_SHEET


def test_form_holds_the_exact_independent_totals(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    sc, summary = case
    assert form_values(sheet(wb, SUMMARY_SHEET)) == expected(sc) == dict(summary.total)


def test_form_header_and_no_formulas(case: tuple[Scenario, Summary], wb: openpyxl.Workbook) -> None:
    ws = sheet(wb, SUMMARY_SHEET)
    pos = template_positions(SPEC)
    assert ws[pos.field_cell("unit")].value == "黔江区"
    assert ws[pos.field_cell("date")].value == dt.datetime(2020, 8, 16)
    assert ws["A2"].value == SPEC.title
    calc = ws[pos.cell("total", "subtotal")]
    assert calc.data_type == "n"
    assert not ws.protection.sheet


def test_identity_records_summary_and_included_units(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    _, summary = case
    meta = sheet(wb, META_SHEET)
    cells = {(c.row, c.column): c.value for row in meta.iter_rows() for c in row if c.value}
    grid = Grid(Path("x"), "xlsx", [Sheet(META_SHEET, cells)])  # type: ignore[arg-type]
    ident = read_identity(grid)
    assert ident is not None and ident.is_summary
    assert (ident.form_id, ident.fingerprint) == (SPEC.id, SPEC.fingerprint)
    assert ident.summary_name == "黔江区"
    assert ident.included == summary.included_units
    assert "城西街道/社区甲" in ident.included


def test_pandas_sees_the_totals(written: Path, case: tuple[Scenario, Summary]) -> None:
    pd = pytest.importorskip("pandas")
    sc, _ = case
    frame = pd.read_excel(written, sheet_name=SUMMARY_SHEET, header=None, engine="openpyxl")
    pos = template_positions(SPEC)
    r, c = pos.row["total"] - 1, pos.column["subtotal"] - 1
    assert exact(float(frame.iat[r, c])) == expected(sc)[("total", "subtotal")]


# -- 分单位明细 -----------------------------------------------------------------------------------


def detail_rows(ws: Worksheet) -> Iterator[tuple[str, str, dict[CellKey, Decimal], list[object]]]:
    """(单位类别, 单位名称, numbers by cell, the text cells after the numbers) of every row."""
    top: dict[int, str] = {}
    current = ""
    for col in range(3, ws.max_column + 1):
        value = ws.cell(2, col).value
        if value:
            current = str(value)
        top[col] = current
    by_heading = {}
    for r in SPEC.rows:
        heading = f"{r.seq}、{r.label}" if r.label else r.seq
        for row_id, col_id in numeric_cells(SPEC):
            if row_id == r.id:
                by_heading[(heading, SPEC.column(col_id).label)] = (row_id, col_id)
    columns: dict[int, CellKey] = {}
    for col in range(3, ws.max_column + 1):
        sub = re.sub(r"（.*）$", "", str(ws.cell(3, col).value or ""))
        key = by_heading.get((top[col], sub))
        if key is not None:
            columns[col] = key
    assert sorted(columns.values()) == sorted(numeric_cells(SPEC))
    last_num = max(columns)
    for row in range(4, ws.max_row + 1):
        values = {key: exact(ws.cell(row, col).value) for col, key in columns.items()}
        rest = [ws.cell(row, c).value for c in range(last_num + 1, ws.max_column + 1)]
        yield str(ws.cell(row, 1).value), str(ws.cell(row, 2).value), values, rest


def add(parts: list[dict[CellKey, Decimal]]) -> dict[CellKey, Decimal]:
    return {k: sum((p[k] for p in parts), ZERO) for k in numeric_cells(SPEC)}


def test_detail_totals_agree_everywhere(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    sc, summary = case
    rows = list(detail_rows(sheet(wb, DETAIL_SHEET)))
    first = rows[0]
    assert (first[0], first[1]) == ("合计", f"{len(summary.units)} 个单位")
    grand = first[2]
    subtotals: dict[str, dict[CellKey, Decimal]] = {}
    units: dict[str, list[dict[CellKey, Decimal]]] = {}
    for category, name, values, _ in rows[1:]:
        if name.startswith("小计"):
            subtotals[category] = values
            units[category] = []
        else:
            units[category].append(values)
    assert list(subtotals) == [c.name for c in summary.categories]
    assert list(subtotals) == [*SPEC_CATEGORIES, UNLISTED]
    for category, sub in subtotals.items():
        assert sub == expected(sc, category), category
        assert sub == add(units[category])
    assert grand == add(list(subtotals.values())) == expected(sc)
    assert grand == form_values(sheet(wb, SUMMARY_SHEET))
    assert sum(len(v) for v in units.values()) == len(sc.included)


SPEC_CATEGORIES = [c.name for c in SPEC.categories]


def test_detail_unit_rows_carry_provenance(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    sc, summary = case
    rows = {name: (cat, values, rest) for cat, name, values, rest in detail_rows(
        sheet(wb, DETAIL_SHEET)) if not name.startswith("小计") and cat != "合计"}  # fmt: skip
    for unit in summary.units:
        category, values, (_, typed, date, file) = rows[unit.name]
        assert category == unit.category
        assert values == dict(unit.values)
        assert file == unit.file and file in sc.included
        assert typed == unit.typed
        assert date == (dt.datetime.combine(unit.date, dt.time()) if unit.date else None)
    gold = rows["金溪镇"][2]
    assert gold[1] == "金溪镇人民政府（盖章）"
    street = rows["城西街道"][2]
    assert street[0] == "汇总表，含 2 个单位"
    media = rows["区融媒体中心"]
    assert media[0] == UNLISTED and media[2][0] == "三：含春节结转"


def test_detail_header_layout_and_print(wb: openpyxl.Workbook) -> None:
    ws = sheet(wb, DETAIL_SHEET)
    assert ws["A2"].value == "单位类别" and ws["B2"].value == "单位名称"
    assert ws["C2"].value == "一、走访慰问驻黔部队"
    assert [ws.cell(3, c).value for c in range(3, 7)] == [
        "数量（个）",
        "慰问金",
        "物资折款",
        "小计",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:A3", "B2:B3", "C2:F2", "G2:J2"} <= merged
    assert ws.freeze_panes == "C4"
    assert ws.auto_filter.ref == f"A3:{openpyxl.utils.get_column_letter(ws.max_column)}{ws.max_row}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    # Too wide for one readable page: fitted to a few pages across, names repeated on each.
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (4, 0)
    assert ws.print_title_cols == "$A:$B"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$2:$3"
    assert ws["C4"].number_format == "0" and ws["D4"].number_format == "0.00"


# -- 报送情况, 校验问题, 来源文件 ------------------------------------------------------------------


def test_status_sheet_lists_every_unit(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    sc, summary = case
    ws = sheet(wb, STATUS_SHEET)
    assert ws["A1"].value == (
        "名册共 35 个单位：已报 23，未报 3，逾期 1，有误 3，重复 5；"
        "另有未列入名册的单位 2 个（截止日期 2020-08-14）"
    )
    header = [c.value for c in ws[2]]
    assert header == [
        "序号",
        "单位类别",
        "单位名称",
        "状态",
        "文件",
        "日期",
        "联系人",
        "联系电话",
        "说明",
    ]
    lines = {r[2]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert {name: status for name, (_, _, _, status, *_) in lines.items()} == {
        k: v.value for k, v in sc.statuses.items()
    }
    missing = lines["黎水镇"]
    assert missing[3:9] == ("未报", None, None, "黎水镇联络员", missing[7], None)
    assert isinstance(missing[7], str) and missing[7].startswith("138")
    late = lines["消防救援大队"]
    assert late[5] == dt.datetime(2020, 8, 16)
    assert late[8] == "逾期 2 天（日期 2020-08-16，截止 2020-08-14）"
    assert len(lines) == len(summary.statuses)
    assert ws.freeze_panes == "D3" and ws.auto_filter.ref == f"A2:I{ws.max_row}"


def test_status_sheet_prints_readably(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    """Long 文件 and 说明 wrap, and their rows are made tall enough (programs opening the file
    do not grow them); names fit their column."""
    _, summary = case
    ws = sheet(wb, STATUS_SHEET)
    rows = {ws.cell(r, 3).value: r for r in range(3, ws.max_row + 1)}
    late = rows["消防救援大队"]  # 说明: 逾期 2 天（日期 2020-08-16，截止 2020-08-14）
    assert ws.cell(late, 9).alignment.wrap_text and ws.cell(late, 5).alignment.wrap_text
    assert ws.cell(late, 3).alignment.vertical == "center"
    assert ws.row_dimensions[late].height == 30
    missing = rows["黎水镇"]  # nothing long
    assert ws.row_dimensions[missing].height is None
    longest = max(display_width(s.name) for s in summary.statuses)
    assert ws.column_dimensions["C"].width >= longest
    assert ws.column_dimensions["I"].width == 36


def test_findings_sheet_lists_every_finding(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    _, summary = case
    ws = sheet(wb, FINDINGS_SHEET)
    assert [c.value for c in ws[2]] == [
        "文件", "单位", "工作表", "单元格", "项目", "填写内容", "级别", "代码", "问题说明",
    ]  # fmt: skip
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(summary.findings())
    got = sorted((r[0] or "", r[7], r[8]) for r in rows)
    assert got == sorted((f.file, f.code, f.message) for f in summary.findings())
    edu = [r for r in rows if r[0].endswith("区教委.xlsx")]
    assert [(r[1], r[3], r[6], r[7]) for r in edu] == [
        ("区教委", "E6", "错误", "value.not_number"),
        ("区教委", None, "提示", "merge.excluded"),
    ]
    assert {r[7] for r in rows} >= {
        "merge.excluded",
        "merge.duplicate_identical",
        "merge.duplicate_replaced",
        "merge.double_counted",
        "value.not_number",
    }
    # counted as the terminal and JSON count them: the merge's own decisions not again
    report = summary.to_report()
    assert ws["A1"].value == "校验问题：错误 {} 个，警告 {} 个，提示 {} 个".format(
        *(report.count(sev) for sev in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    )
    merge_own = [f for f in summary.findings() if f.code.startswith("merge.")]
    assert merge_own and report.count(Severity.INFO) < sum(
        1 for f in summary.findings() if f.severity is Severity.INFO
    )


def test_files_sheet_lists_every_file(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook
) -> None:
    sc, summary = case
    ws = sheet(wb, FILES_SHEET)
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in rows] == [r.path for r in sc.results]
    for row, f in zip(rows, summary.files, strict=True):
        assert row[7] == ("计入" if f.included else "未计入")
        assert (row[8] or "") == f.reason
        assert (row[12] or "") == f.sha256
        assert row[11] == f.size
    assert ws["A1"].value == f"来源文件：共 {len(rows)} 个，计入 {len(sc.included)} 个，未计入 " + (
        f"{len(rows) - len(sc.included)} 个"
    )
    street = next(r for r in rows if r[1].endswith("城西街道.xlsx"))
    assert street[2] == "汇总表"


# -- 图表 ------------------------------------------------------------------------------------------


def test_chart_table_and_native_charts(
    case: tuple[Scenario, Summary], wb: openpyxl.Workbook, written: Path
) -> None:
    sc, summary = case
    ws = sheet(wb, CHART_SHEET)
    assert [c.value for c in ws[2]] == ["单位类别", "单位数", "慰问金", "物资折款", "小计",
                                        "走访慰问优抚对象（人次）"]  # fmt: skip
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == [*SPEC_CATEGORIES, UNLISTED, "合计"]
    for r in rows[:-1]:
        e = expected(sc, str(r[0]))
        assert [exact(x) for x in r[2:6]] == [
            e[("total", "cash")],
            e[("total", "goods")],
            e[("total", "subtotal")],
            e[("objects", "qty")],
        ]
    assert [exact(x) for x in rows[-1][2:5]] == [
        sum((exact(r[i]) for r in rows[:-1]), ZERO) for i in (2, 3, 4)
    ]
    assert exact(rows[-1][4]) == summary.total[("total", "subtotal")]
    with zipfile.ZipFile(written) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        xml = z.read(charts[0]).decode()
    assert "<c:barChart>" in xml and '<c:grouping val="stacked"/>' in xml
    assert '<c:barDir val="bar"/>' in xml and '<c:overlap val="100"/>' in xml
    assert f"{CHART_SHEET}!$C$3:$C$10" in xml and f"{CHART_SHEET}!$A$3:$A$10" in xml


# -- safety ------------------------------------------------------------------------------------


def test_same_summary_gives_the_same_bytes(tmp_path: Path) -> None:
    digests = set()
    for i in range(2):
        out = tmp_path / f"汇总{i}.xlsx"
        write_summary(merged(scenario()), SPEC, out, force=False, inputs=[])
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {
            n: z.read(n).decode("utf-8")
            for n in z.namelist()
            if n.startswith("xl/worksheets/sheet")
        }


def test_text_from_returns_is_never_a_formula(tmp_path: Path) -> None:
    tricky = "=SUM(1,2)"
    a = make_return("a.xlsx", tricky, {("troops", "qty"): Decimal(1)}, None,
                    remarks={"troops": HYPERLINK})  # fmt: skip
    b = make_return("+b.xlsx", "@乙", {("troops", "qty"): Decimal(2)}, None)
    s = merge_results(
        [make_result(a, "a.xlsx"), make_result(b, "+b.xlsx")], SPEC, None, name="-区", date=None
    )
    out = tmp_path / "汇总.xlsx"
    write_summary(s, SPEC, out, force=False, inputs=[])
    for name, xml in sheet_xml(out).items():
        assert "<f>" not in xml and "<f " not in xml, name
    wb = openpyxl.load_workbook(out)
    ws = sheet(wb, DETAIL_SHEET)
    texts = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for value in (tricky, HYPERLINK, "@乙", "+b.xlsx"):
        cell = texts[value] if value != HYPERLINK else texts[f"一：{HYPERLINK}"]
        assert cell.data_type == "s"
    assert texts[tricky].quotePrefix
    assert sheet(wb, SUMMARY_SHEET)["C3"].value == "-区"


def test_hyperlink_remark_in_scenario_stays_text(written: Path) -> None:
    wb = openpyxl.load_workbook(written)
    ws = sheet(wb, DETAIL_SHEET)
    hits = [c for row in ws.iter_rows() for c in row if c.value == f"一：{HYPERLINK}"]
    assert len(hits) == 1 and hits[0].data_type == "s"
    for name, xml in sheet_xml(written).items():
        assert "<f>" not in xml and "<f " not in xml, name


def test_refuses_existing_output_without_force(
    written: Path, case: tuple[Scenario, Summary]
) -> None:
    _, summary = case
    before = written.read_bytes()
    with pytest.raises(OutputError, match="已存在；如要覆盖，请加 --force"):
        write_summary(summary, SPEC, written, force=False, inputs=[])
    assert written.read_bytes() == before


def test_refuses_output_over_an_input_or_inside_the_input_folder(
    tmp_path: Path, case: tuple[Scenario, Summary]
) -> None:
    _, summary = case
    folder = tmp_path / "回收"
    folder.mkdir()
    src = folder / "甲.xlsx"
    src.write_bytes(b"x")
    with pytest.raises(OutputError, match="就是输入文件"):
        write_summary(summary, SPEC, src, force=True, inputs=[src])
    with pytest.raises(OutputError, match="位于正在读取的文件夹"):
        write_summary(summary, SPEC, folder / "汇总.xlsx", force=True, inputs=[folder])
    assert src.read_bytes() == b"x"
    assert sorted(p.name for p in folder.iterdir()) == ["甲.xlsx"]


def test_force_replaces_atomically(tmp_path: Path, case: tuple[Scenario, Summary]) -> None:
    _, summary = case
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old")
    write_summary(summary, SPEC, out, force=True, inputs=[])
    assert zipfile.is_zipfile(out)
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]


def test_summary_without_roster_and_without_date(tmp_path: Path) -> None:
    a = make_return("a.xlsx", "甲", {("troops", "cash"): Decimal("0.10")}, None)
    s = merge_results([make_result(a, "a.xlsx")], SPEC, None, name="区", date=None)
    wb = build_summary(s, SPEC)
    ws = sheet(wb, STATUS_SHEET)
    assert ws["A1"].value == "未提供名册：下列为报送了报表的 1 个单位"
    form = sheet(wb, SUMMARY_SHEET)
    assert form[template_positions(SPEC).field_cell("date")].value is None
    buf = io.BytesIO()
    wb.save(buf)
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    assert exact(sheet(back, SUMMARY_SHEET)["E6"].value) == Decimal("0.1")


# -- the summary is a return: validate reads it, and merge rolls it up ----------------------------


def test_summary_reads_back_as_a_valid_return(
    written: Path, case: tuple[Scenario, Summary]
) -> None:
    pytest.importorskip("shuangyong_cli.checking.rules")
    pytest.importorskip("shuangyong_cli.reading.returned_file")
    from shuangyong_cli.season.inbox import validate_paths

    sc, _ = case
    report = validate_paths([written], SPEC)
    result = report.files[0]
    assert [f.code for f in result.findings if f.severity.value == "error"] == []
    assert result.data is not None
    assert result.data.identity is not None and result.data.identity.is_summary
    assert result.data.unit == "黔江区"
    assert {k: result.data.values[k] for k in numeric_cells(SPEC)} == expected(sc)


def test_roll_up_of_two_district_summaries(tmp_path: Path) -> None:
    pytest.importorskip("shuangyong_cli.checking.rules")
    pytest.importorskip("shuangyong_cli.reading.returned_file")
    from shuangyong_cli.season.inbox import validate_paths

    folder = tmp_path / "区县"
    folder.mkdir()
    totals = []
    for name, seed in (("黔江区", 11), ("武隆区", 12)):
        sc = scenario(seed)
        s = merge_results(sc.results, SPEC, sc.roster, name=name, date=dt.date(2020, 8, 20))
        write_summary(s, SPEC, folder / f"{name}.xlsx", force=False, inputs=[])
        totals.append(s.total)
    report = validate_paths([folder], SPEC)
    city = merge_results(report.files, SPEC, None, name="重庆市", date=dt.date(2020, 8, 25))
    assert [f.included for f in city.files] == [True, True]
    assert dict(city.total) == {k: totals[0][k] + totals[1][k] for k in numeric_cells(SPEC)}
    assert city.included_units[0].startswith("武隆区/") or city.included_units[0].startswith(
        "黔江区/"
    )
    out = tmp_path / "重庆市.xlsx"
    write_summary(city, SPEC, out, force=False, inputs=[folder])
    assert form_values(sheet(openpyxl.load_workbook(out), SUMMARY_SHEET)) == dict(city.total)


# -- LibreOffice ----------------------------------------------------------------------------------


@pytest.mark.soffice
def test_libreoffice_opens_the_summary_and_keeps_the_totals(
    written: Path, case: tuple[Scenario, Summary], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    sc, _ = case
    outdir = tmp_path / "lo"
    outdir.mkdir()
    src = tmp_path / "summary_in.xlsx"
    shutil.copy(written, src)
    run = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo_profile",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = outdir / "summary_in.xlsx"
    assert run.returncode == 0 and converted.exists(), run.stderr
    wb = openpyxl.load_workbook(converted, data_only=True)
    assert wb.sheetnames[:6] == [
        SUMMARY_SHEET, DETAIL_SHEET, STATUS_SHEET, FINDINGS_SHEET, FILES_SHEET, CHART_SHEET,
    ]  # fmt: skip
    assert form_values(sheet(wb, SUMMARY_SHEET)) == expected(sc)
    rows = list(detail_rows(sheet(wb, DETAIL_SHEET)))
    assert rows[0][2] == expected(sc)
