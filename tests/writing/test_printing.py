"""The printed lists: 校验结果 (``--report``) and 校验意见 (the first sheet of each annotated copy)
as LibreOffice prints them, read back from the PDF it writes.

Each page is A4; every character on it is at least 9 points; the table's header row is on every
page, whole (the table is one page wide); every 问题 text is there in full and in order; and no
character lies on another, which is what a wrapped text in a row too low for it looks like in a
PDF (the lines cut off are still drawn, under the next row). The PDF is read with pdfminer.six,
which gives each character's box and its size as printed (the page's scale included).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Alignment
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent

from shuangyong_cli.model.findings import FileResult, Finding, Report, finding
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.model.grid import Grid, Sheet
from shuangyong_cli.writing.annotate import annotate
from shuangyong_cli.writing.annotation_sheet import ANNOTATION_SHEET, COLUMNS
from shuangyong_cli.writing.report import (
    FILES_COLUMNS,
    FINDINGS_COLUMNS,
    finding_rows,
    write_report_xlsx,
)
from shuangyong_cli.writing.template import write_template
from shuangyong_cli.writing.template_layout import template_positions

pytestmark = [
    pytest.mark.soffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed"),
]

SPEC = load_form()
A4 = (842, 595)  # points, landscape
SMALLEST = 9.0
BOTTOM_MARGIN = 0.6 * 72  # printing.print_on_a4: the footer lies below it

LONG_NAME = "2020年“八一”期间走访慰问驻黔部队和优抚对象情况统计表（区委政法委）.xlsx"
FIELDS = ["走访慰问驻黔部队 / 慰问金", "抗美援朝老战士 / 数量", "日期", "其他优抚对象 / 物资折款"]
VALUES = [
    "约5",
    '=HYPERLINK("http://example.com","点我")',
    "",
    "五万元（含慰问品折款，另有部分未到账）",
]
CODES = ["value.not_number", "value.implausible", "value.converted", "header.date_missing"]
REASONS = [
    "应为数字，实际为“约5”；请填写确切的人次数（整数），如 5。",
    "金额偏大（超过 50 万元）；请核对单位是否为万元，如填的是元，请除以 10000 后重新填写。",
    "填的是全角数字，已按数字读取；请今后用半角数字填写（关闭全角输入）。",
    "是公式，但文件中没有保存计算结果（常见于程序生成或未重新计算的文件）；请在 Excel 或 WPS "
    "中打开并保存后再报送，或直接填写数字。本工具不会自行计算这个公式，以免与单位看到的数不一致；"
    "如单位确认该格应为各项之和，可以直接把和填进去。",
]


def findings_for(path: str, count: int, refs: list[str]) -> list[Finding]:
    found = []
    for i in range(count):
        ref, field = refs[i % len(refs)], FIELDS[i % len(FIELDS)]
        message = f"单元格 {ref}「{field}」" + REASONS[i % len(REASONS)] + "（核对后）" * (i % 5)
        found.append(
            finding(
                CODES[i % len(CODES)],
                message,
                file=path,
                sheet=SPEC.sheet,
                cell=ref,
                field=field,
                value=VALUES[i % len(VALUES)],
            )
        )
    return found


def sample_report() -> Report:
    files = [
        FileResult(name, unit=unit, findings=findings_for(name, 14, ["D6", "E17", "G3", "D14"]))
        for name, unit in (
            (LONG_NAME, "中共重庆市黔江区委员会政法委员会"),
            ("城西街道-八一统计表.xlsx", "城西街道"),
            ("新建 Microsoft Excel 工作表.xlsx", ""),
        )
    ]
    files.append(FileResult("阿蓬江镇.xls", unit="阿蓬江镇"))
    general = [finding("roster.not_reported", "区教委（区级国家机关各部门）未报送。")]
    return Report(files=files, general=general)


# -- reading the PDF -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    glyphs: list[Glyph]

    @property
    def body(self) -> list[Glyph]:
        return [g for g in self.glyphs if g.y0 >= BOTTOM_MARGIN]

    @property
    def footer(self) -> str:
        return text_of(g for g in self.glyphs if g.y0 < BOTTOM_MARGIN)


def glyphs_of(item: LTComponent) -> list[Glyph]:
    if isinstance(item, LTChar):
        text = item.get_text()
        return [] if text.isspace() else [Glyph(text, *item.bbox, item.size)]
    found: list[Glyph] = []
    for child in getattr(item, "_objs", ()):
        found.extend(glyphs_of(child))
    return found


def read_pdf(path: Path) -> list[Page]:
    return [Page(p.width, p.height, glyphs_of(p)) for p in extract_pages(path)]


def text_of(glyphs: object) -> str:
    """The glyphs as read: top line first, each line left to right, no spaces."""
    ordered = sorted(glyphs, key=lambda g: (-round(g.y0, 1), g.x0))  # type: ignore[attr-defined]
    return "".join(g.text for g in ordered)


def words_by_line(glyphs: list[Glyph]) -> dict[float, list[tuple[float, str]]]:
    """For each baseline, its words (runs of glyphs with no gap) as (left edge, text)."""
    lines: dict[float, list[Glyph]] = {}
    for g in glyphs:
        lines.setdefault(round(g.y0, 1), []).append(g)
    words: dict[float, list[tuple[float, str]]] = {}
    for y, line in lines.items():
        line.sort(key=lambda g: g.x0)
        runs: list[tuple[float, str]] = []
        end = -1.0
        for g in line:
            if runs and g.x0 - end < 1.5:
                runs[-1] = (runs[-1][0], runs[-1][1] + g.text)
            else:
                runs.append((g.x0, g.text))
            end = g.x1
        words[y] = runs
    return words


def header_line(page: Page, names: list[str]) -> tuple[float, list[float]] | None:
    """(baseline, left edge of each column) of the line that is exactly the header ``names``."""
    for y, words in words_by_line(page.body).items():
        if [w for _, w in words] == names:
            return y, [x for x, _ in words]
    return None


def overlaps(glyphs: list[Glyph], slack: float = 0.3) -> list[tuple[str, str]]:
    """Pairs of glyphs that lie on one another."""
    found = []
    ordered = sorted(glyphs, key=lambda g: g.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.y0 >= a.y1 - slack:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) > slack:
                found.append((a.text, b.text))
    return found


def to_pdf(files: list[Path], out: Path, profile: Path) -> list[Path]:
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *(str(f) for f in files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [out / f"{f.stem}.pdf" for f in files]


def column_text(pages: list[tuple[Page, tuple[float, list[float]]]], column: int) -> str:
    """The text printed in column ``column`` (0-based) below the header, page after page."""
    text = ""
    for page, (y, lefts) in pages:
        right = lefts[column + 1] - 1 if column + 1 < len(lefts) else page.width
        text += text_of(g for g in page.body if g.y0 < y - 1 and lefts[column] - 1 <= g.x0 < right)
    return text


def no_space(text: str) -> str:
    return re.sub(r"\s", "", text)


# -- the tests -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, list[Page]]]:
    """The report, an annotated copy and a deliberately clipped sheet, printed by LibreOffice
    (one run for the three)."""
    tmp = tmp_path_factory.mktemp("print")
    report = sample_report()
    report_path = write_report_xlsx(report, tmp / "校验结果.xlsx")

    blank = write_template(SPEC, tmp / "城西街道.xlsx", unit="城西街道")
    pos = template_positions(SPEC)
    refs = [pos.cell(r.id, c.id) for r, c in SPEC.input_cells()]
    result = FileResult(
        "城西街道.xlsx", unit="城西街道", findings=findings_for("城西街道.xlsx", 40, refs)
    )
    grid = Grid(path=blank, format="xlsx", sheets=[Sheet(SPEC.sheet)])
    copy = annotate(blank, result, grid, tmp / "退回")

    clipped = tmp / "clipped.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "一行放不下的文字" * 6
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A2"] = "下一行"
    ws.column_dimensions["A"].width = 20
    ws.row_dimensions[1].height = 15
    wb.save(clipped)

    pdfs = to_pdf([report_path, copy, clipped], tmp / "pdf", tmp / "lo_profile")
    return {
        "report": (report, read_pdf(pdfs[0])),
        "annotated": (result, read_pdf(pdfs[1])),
        "clipped": (None, read_pdf(pdfs[2])),
    }


def check_page(page: Page, number: int, pages: int) -> None:
    assert (round(page.width), round(page.height)) == A4
    assert min(g.size for g in page.glyphs) >= SMALLEST
    assert page.footer == f"第{number}页，共{pages}页"
    assert overlaps(page.glyphs) == []


def test_the_overlap_check_sees_a_row_too_low_for_its_text(printed: dict) -> None:
    _, pages = printed["clipped"]
    assert len(overlaps(pages[0].glyphs)) > 0


def test_report_prints_on_a4_readably(printed: dict) -> None:
    report, pages = printed["report"]
    findings_header = [name for name, _ in FINDINGS_COLUMNS]
    files_header = [name for name, _ in FILES_COLUMNS]
    findings_pages, files_pages = [], []
    for number, page in enumerate(pages, start=1):
        check_page(page, number, len(pages))
        on_findings = header_line(page, findings_header)
        on_files = header_line(page, files_header)
        assert (on_findings is None) != (on_files is None), number  # a whole header on each
        if on_findings is not None:
            assert not files_pages  # 校验结果 first, then 文件汇总
            findings_pages.append((page, on_findings))
        else:
            files_pages.append((page, on_files))
    assert len(findings_pages) >= 2 and len(files_pages) >= 1
    rows = finding_rows(report)
    assert no_space(column_text(findings_pages, 8)) == no_space(
        "".join(f.message for *_, f in rows)
    )
    assert no_space(column_text(findings_pages, 0)) == no_space("".join(f for f, *_ in rows))
    files = sorted(report.files, key=lambda r: r.path)
    assert no_space(column_text(files_pages, 0)) == no_space("".join(r.path for r in files))


def test_annotation_sheet_prints_on_a4_readably(printed: dict) -> None:
    result, pages = printed["annotated"]
    header = [name for name, _ in COLUMNS]
    sheet_pages = []
    for number, page in enumerate(pages, start=1):
        found = header_line(page, header)
        if found is None:
            break
        check_page(page, number, len(pages))
        sheet_pages.append((page, found))
    assert len(sheet_pages) >= 2
    rest = pages[len(sheet_pages) :]
    assert rest and all(header_line(page, header) is None for page in rest)  # 统计表 follows
    first = text_of(sheet_pages[0][0].body)
    assert first.startswith(f"{ANNOTATION_SHEET}：城西街道.xlsx")
    assert "标色说明：" in first
    messages = [f.message for f in sorted(result.findings, key=lambda f: f.severity.rank)]
    assert no_space(column_text(sheet_pages, 5)) == no_space("".join(messages))
