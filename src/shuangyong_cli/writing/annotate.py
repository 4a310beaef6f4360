"""The annotated copy sent back to a unit (``--annotate DIR``): what is wrong, on the cells.

For each file, a copy named ``<原文件名>-校验意见.xlsx`` is written to the folder given:

- every cell a finding points at is filled (light red for 错误, light yellow for 警告, light green
  for 提示: none of them a fill of the blank form, whose grey and light blue cells are the form's
  own) and carries a comment, by "shuangyong", with the finding's message;
- a first sheet 校验意见 lists the findings (级别, 工作表, 单元格, 项目, 填写内容, 问题) under
  lines naming the file, its counts and 结论, and a legend of the colours; each 单元格 links to
  the cell. It prints on A4 landscape, one page wide, at a readable size, with long texts
  wrapped and the table's header on every page (``printing``).

The original is only read, never written. An .xlsx is copied with openpyxl (formats kept, macros
dropped, sheet protection removed so the marks can be seen and edited). An .xls, or an .xlsx that
openpyxl cannot open, is rebuilt from the cells as read (values only), and the 校验意见 sheet says
so.

openpyxl is imported at the top: commands import this module inside their functions.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import (
    CellValue,
    FileResult,
    Finding,
    Grid,
    OutputError,
    Report,
    Severity,
    ShuangyongError,
    UnreadableFileError,
    os_reason,
)
from shuangyong_cli.writing.atomic import check_output, save_workbook_atomic
from shuangyong_cli.writing.cell_text import clean_text, set_text
from shuangyong_cli.writing.printing import (
    BOX,
    fit_row,
    font,
    print_on_a4,
    row_height,
    set_widths,
    text_lines,
)
from shuangyong_cli.writing.report import SEVERITY_COLOUR, SEVERITY_FILL
from shuangyong_cli.writing.template import safe_filename

if TYPE_CHECKING:
    from shuangyong_cli.reading import ReadLimits

ANNOTATION_SHEET = "校验意见"
NAME_SUFFIX = "-校验意见"
AUTHOR = "shuangyong"

MAX_ROW = 1_048_576
MAX_COL = 16_384
#: Bounds on the merged ranges copied into a rebuilt workbook.
MAX_MERGES = 10_000
MAX_MERGE_AREA = 10_000
MAX_MERGED_CELLS = 200_000

VALUES_ONLY = "只保留了各单元格的值，格式和公式未保留。"
REBUILT_NOTE = f"说明：原文件无法按原样复制，本副本按读取到的内容重建，{VALUES_ONLY}"

#: (header, width) of the findings table on the 校验意见 sheet; the widths add up to
#: ``printing.PAGE_UNITS``, one page wide on A4 landscape.
COLUMNS = (
    ("级别", 6),
    ("工作表", 10),
    ("单元格", 8),
    ("项目", 22),
    ("填写内容", 16),
    ("问题", 68),
)
#: The columns of the table that wrap (工作表, 项目, 填写内容, 问题).
WRAPPED = frozenset({2, 4, 5, 6})
SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
TITLE_SIZE = 14

#: What the colours of the legend mean, beside the three coloured cells 错误, 警告, 提示.
LEGEND = (
    "标色说明：原表中有问题的单元格标为"
    + "、".join(f"{SEVERITY_COLOUR[s]}（{s.label}）" for s in SEVERITY_ORDER[:-1])
    + f"或{SEVERITY_COLOUR[SEVERITY_ORDER[-1]]}（{SEVERITY_ORDER[-1].label}），"
    "一格有几条意见时按最重的一条；鼠标移到单元格上可看批注。"
)
#: Said too in a copy that keeps the formats of the unit's file.
FORM_FILLS = "统计表本身的灰色（不填写的格）和浅蓝色（公式计算的格）不是校验意见。"

_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::.*)?$")
_BAD_TITLE = re.compile(r"[\\*?:/\[\]]")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_CENTRE = Alignment(wrap_text=True, vertical="center")
_CENTRE = Alignment(horizontal="center", vertical="center")
_TOP = Alignment(vertical="top")
_BODY = font()
_BOLD = font(bold=True)
_LINK_FONT = font(color="0563C1", underline="single")


# -- names --------------------------------------------------------------------------------------


def annotated_name(source: Path) -> str:
    """``石会镇.xls`` → ``石会镇-校验意见.xlsx`` (safe as a file name on Windows)."""
    return f"{safe_filename(source.stem, max_chars=80)}{NAME_SUFFIX}.xlsx"


def annotated_names(sources: Iterable[Path]) -> dict[Path, str]:
    """A distinct copy name for each source, even where two sources (``a/民政局.xlsx`` and
    ``b/民政局.xls``) would give the same: the later ones get （2）, （3）…"""
    taken: set[str] = set()
    names: dict[Path, str] = {}
    for source in sources:
        first = annotated_name(source)
        stem = first[: -len(".xlsx")]
        name, n = first, 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}（{n}）.xlsx"
        taken.add(name.casefold())
        names[source] = name
    return names


# -- a whole run --------------------------------------------------------------------------------


def needs_annotation(result: FileResult) -> bool:
    """A copy goes back to the units that have something to fix or check: an error or a
    warning. A file that could not be read as a workbook (an error with a ``file.*`` code)
    gets none: there is nothing to mark, and reading it again could only fail again."""
    unreadable = any(
        f.code.startswith("file.") and f.severity is Severity.ERROR for f in result.findings
    )
    return bool(result.source) and not unreadable and (result.errors + result.warnings) > 0


def annotate_report(
    report: Report,
    out_dir: Path,
    *,
    force: bool = False,
    limits: ReadLimits | None = None,
    inputs: Sequence[Path] = (),
    read_grid: Callable[[Path], Grid] | None = None,
) -> list[Path]:
    """Write an annotated copy of every file of ``report`` with an error or a warning into
    ``out_dir``; returns the paths written, in report order.

    Each file (``FileResult.source``) is read again, with ``limits``, because grids are not
    kept in a report; a file that can no longer be read, or has changed since it was checked,
    is skipped. ``read_grid`` replaces the reader (tests).
    """
    if read_grid is None:
        from shuangyong_cli import reading

        use = limits if limits is not None else reading.ReadLimits()

        def read_grid(path: Path) -> Grid:
            return reading.read_grid(path, use)

    todo = [r for r in report.files if needs_annotation(r)]
    names = annotated_names(Path(r.source) for r in todo)
    written: list[Path] = []
    for result in todo:
        source = Path(result.source)
        try:
            grid = read_grid(source)
            with source.open("rb") as fh:
                data = fh.read(grid.size + 1) if grid.size else fh.read()
        except (OSError, ShuangyongError):
            continue
        if grid.sha256 and hashlib.sha256(data).hexdigest() != grid.sha256:
            continue  # the file changed since it was checked: its findings no longer apply
        written.append(
            annotate(
                source,
                result,
                grid,
                out_dir,
                force=force,
                data=data,
                name=names[source],
                inputs=inputs,
            )
        )
    return written


# -- one copy -----------------------------------------------------------------------------------


def annotate(
    source: Path,
    result: FileResult,
    grid: Grid,
    out_dir: Path,
    *,
    force: bool = False,
    data: bytes | None = None,
    name: str | None = None,
    inputs: Sequence[Path] = (),
) -> Path:
    """Write the annotated copy of ``source`` into ``out_dir`` (created if missing) and return
    its path.

    ``grid`` is the file as the reader read it; ``data`` its bytes when the caller has them
    (else the file is read again, never written). ``name`` overrides the copy's file name (see
    ``annotated_names``). ``inputs`` are the other files and folders being read: the copy is
    never written over one of them, nor into a folder being read.
    """
    target = _prepare_target(out_dir, name or annotated_name(source), [source, *inputs], force)

    wb: Workbook | None = None
    note = ""
    if grid.format.lower() in ("xlsx", "xlsm"):
        try:
            raw = data if data is not None else source.read_bytes()
            wb = _open_copy(raw)
        except OSError as e:
            raise UnreadableFileError(
                "file.unreadable", f"无法读取 {source}：{os_reason(e)}"
            ) from None
        except Exception:  # a hostile or broken file: any failure inside openpyxl
            note = REBUILT_NOTE
    else:
        note = f"说明：原文件为 .{grid.format} 格式，本副本另存为 .xlsx，{VALUES_ONLY}"

    if wb is not None:
        try:
            return _finish(wb, {s: s for s in wb.sheetnames}, source, result, note, target)
        except OutputError:
            raise
        except Exception:  # openpyxl could open it but not write it back
            note = REBUILT_NOTE
    rebuilt, names = workbook_from_grid(grid)
    return _finish(rebuilt, names, source, result, note, target)


def _prepare_target(out_dir: Path, name: str, inputs: Sequence[Path], force: bool) -> Path:
    folder = out_dir.expanduser()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"批注副本的输出文件夹 {out_dir} 是一个文件；请给出文件夹")
    resolved = folder.resolve()
    for src in inputs:
        s = src.expanduser().resolve()
        if s.is_dir() and (s == resolved or s in resolved.parents):
            raise OutputError(
                f"批注副本的输出文件夹 {out_dir} 位于正在读取的文件夹 {src} 中，"
                "下次会被当作报表读入；请保存到别处"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"无法建立文件夹 {out_dir}：{os_reason(e)}") from None
    return check_output(folder / name, inputs=inputs, force=force, what="批注副本")


def _open_copy(data: bytes) -> Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False, rich_text=False)
    wb.template = False  # an .xltx saved as .xlsx must not keep the template content type
    return wb


def _finish(
    wb: Workbook,
    sheet_names: dict[str, str],
    source: Path,
    result: FileResult,
    note: str,
    target: Path,
) -> Path:
    """Mark the cells, add the 校验意见 sheet, and write ``wb`` to ``target``."""
    _unprotect(wb)
    marked = _mark_cells(wb, sheet_names, result.findings)
    _add_annotation_sheet(wb, source, result, note, marked, sheet_names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        save_workbook_atomic(wb, target)
    return target


def _unprotect(wb: Workbook) -> None:
    wb.security = None
    for ws in wb.worksheets:
        if isinstance(ws, Worksheet):
            ws.protection = SheetProtection()


# -- marking cells ------------------------------------------------------------------------------


def parse_cell(ref: str) -> tuple[int, int] | None:
    """``"E6"``/``"$E$6"``/``"E6:G6"`` → (6, 5), the (first) cell; None when not an address
    inside a sheet."""
    m = _A1.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(m.group(2))
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        return None
    return row, col


def _anchor(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The top-left cell of the merged range holding (row, col), or the cell itself."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


def _mark_cells(
    wb: Workbook, sheet_names: dict[str, str], findings: Sequence[Finding]
) -> dict[int, tuple[str, str]]:
    """Fill and comment every cell a finding points at. Returns, by finding index, the
    (sheet title, A1) of the cell marked, for the links on the 校验意见 sheet."""
    sheets = {ws.title: ws for ws in wb.worksheets if isinstance(ws, Worksheet)}
    by_cell: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    marked: dict[int, tuple[str, str]] = {}
    for i, f in enumerate(findings):
        ws = sheets.get(sheet_names.get(f.sheet, ""))
        pos = parse_cell(f.cell) if f.cell else None
        if ws is None or pos is None:
            continue
        row, col = _anchor(ws, *pos)
        by_cell[(ws.title, row, col)].append(i)
        marked[i] = (ws.title, f"{get_column_letter(col)}{row}")

    for (title, row, col), indexes in by_cell.items():
        cell = sheets[title].cell(row, col)
        group = [findings[i] for i in indexes]
        worst = min(group, key=lambda f: f.severity.rank).severity
        cell.fill = _fill(worst)
        text = "\n".join(f"【{f.severity.label}】{f.message}" for f in group)
        old = cell.comment
        if old is not None and old.text:
            text += f"\n——原批注——\n{old.text}"
        text = clean_text(text)
        width, height = _comment_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    return marked


def _fill(severity: Severity) -> PatternFill:
    colour = SEVERITY_FILL[severity]
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _comment_size(text: str) -> tuple[int, int]:
    """(width, height) in pixels of a comment box that shows ``text`` without scrolling."""
    width = 320
    per_line = 48  # narrow characters per line at that width
    lines = sum(max(1, -(-_display_width(line) // per_line)) for line in text.split("\n"))
    return width, min(24 + 17 * lines, 480)


# -- the 校验意见 sheet -------------------------------------------------------------------------


def _unique_title(wanted: str, taken: Iterable[str]) -> str:
    used = {t.casefold() for t in taken}
    title, n = wanted, 1
    while title.casefold() in used:
        n += 1
        title = f"{wanted}（{n}）"
    return title


def _add_annotation_sheet(
    wb: Workbook,
    source: Path,
    result: FileResult,
    note: str,
    marked: dict[int, tuple[str, str]],
    sheet_names: dict[str, str],
) -> None:
    ws = wb.create_sheet(_unique_title(ANNOTATION_SHEET, wb.sheetnames), 0)
    for other in wb.worksheets:
        if isinstance(other, Worksheet) and other is not ws:
            other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0
    if wb.views:
        wb.views[0].firstSheet = 0

    infos = sum(1 for f in result.findings if f.severity is Severity.INFO)
    shown = result.path or source.name
    lines = [
        f"校验意见：{shown}",
        f"填报单位：{result.unit or '（未填）'}　错误 {result.errors} 个，"
        f"警告 {result.warnings} 个，提示 {infos} 个。",
        _conclusion(result),
    ]
    if note:
        lines.append(note)
    widths = [width for _, width in COLUMNS]
    last = len(COLUMNS)
    for r, text in enumerate(lines, start=1):
        cell = ws.cell(r, 1)
        set_text(cell, text)
        size = TITLE_SIZE if r == 1 else None
        if r == 1:
            cell.font = font(bold=True, size=TITLE_SIZE)
        elif r == 3 and not result.ok:
            cell.font = font(bold=True, color="C00000")
        else:
            cell.font = _BODY
        _merge_line(ws, r, text, sum(widths), size)

    legend_row = len(lines) + 1
    if result.findings:
        _legend(ws, legend_row, widths, rebuilt=bool(note))
    header_row = legend_row + 2
    for c, (title, _width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(header_row, c)
        set_text(cell, title)
        cell.font = _BOLD
        cell.alignment = _TOP
        cell.border = BOX
    set_widths(ws, widths)

    order = sorted(range(len(result.findings)), key=lambda i: result.findings[i].severity.rank)
    row = header_row
    for row, i in enumerate(order, start=header_row + 1):
        f = result.findings[i]
        shown_sheet = sheet_names.get(f.sheet, f.sheet)
        texts = (f.severity.label, shown_sheet, f.cell, f.field, f.value, f.message)
        for c, text in enumerate(texts, start=1):
            cell = ws.cell(row, c)
            set_text(cell, text)
            cell.font = _BODY
            cell.alignment = _WRAP if c in WRAPPED else _TOP
            cell.border = BOX
        ws.cell(row, 1).fill = _fill(f.severity)
        fit_row(ws, row, [(texts[c - 1], widths[c - 1]) for c in sorted(WRAPPED)])
        if i in marked:
            title, ref = marked[i]
            link = ws.cell(row, 3)
            quoted = title.replace("'", "''")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{ref}")
            link.font = _LINK_FONT
    if not result.findings:
        row = header_row + 1
        set_text(ws.cell(row, last), "没有发现问题。")
        ws.cell(row, last).font = _BODY

    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
    print_on_a4(ws, columns=last, last_row=row, title_rows=f"{header_row}:{header_row}")


def _merge_line(ws: Worksheet, row: int, text: str, width: float, size: float | None) -> None:
    """A line above the table, across its whole width, wrapped, its row as high as it needs."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(COLUMNS))
    ws.cell(row, 1).alignment = _WRAP_CENTRE
    if size is None:
        lines = text_lines(text, width)
        if lines > 1:
            ws.row_dimensions[row].height = row_height(lines)
    else:
        ws.row_dimensions[row].height = row_height(text_lines(text, width, size), size)


def _legend(ws: Worksheet, row: int, widths: Sequence[float], *, rebuilt: bool) -> None:
    """The colours of the marks, each on a cell of its own: 错误, 警告, 提示; beside them what
    they mean (and, in a copy with the form's formats, that its grey and blue are not marks)."""
    for col, severity in enumerate(SEVERITY_ORDER, start=1):
        cell = ws.cell(row, col)
        set_text(cell, severity.label)
        cell.font = _BOLD
        cell.fill = _fill(severity)
        cell.alignment = _CENTRE
        cell.border = BOX
    text = LEGEND if rebuilt else LEGEND + FORM_FILLS
    cell = ws.cell(row, 4)
    set_text(cell, text)
    cell.font = _BODY
    cell.alignment = _WRAP_CENTRE
    ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=len(COLUMNS))
    ws.row_dimensions[row].height = row_height(max(1, text_lines(text, sum(widths[3:]))))


def _conclusion(result: FileResult) -> str:
    if not result.ok:
        return "结论：有错误，请按下表逐项修改后重新报送。"
    if result.findings:
        return "结论：通过。请核对下表所列事项。"
    return "结论：通过。"


# -- rebuilding from the cells as read ----------------------------------------------------------


def workbook_from_grid(grid: Grid) -> tuple[Workbook, dict[str, str]]:
    """A new workbook holding the values of ``grid`` at the same positions (no formats, no
    formulas: a formula without a value is written as its text). Returns the workbook and the
    title each sheet got (a title Excel refuses is cleaned)."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    names: dict[str, str] = {}
    for sheet in grid.sheets:
        title = _unique_title(_safe_title(sheet.name), wb.sheetnames)
        ws = wb.create_sheet(title)
        names[sheet.name] = title
        widths: dict[int, int] = {}
        for (row, col), value in sorted(sheet.cells.items()):
            if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
                continue
            cell = ws.cell(row, col)
            _put(cell, value)
            if col <= 60:
                widths[col] = max(widths.get(col, 0), _display_width(str(cell.value)))
        for col, w in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 8), 50)
        _copy_merges(ws, sheet.merged, sheet.cells)
        if sheet.visibility == "hidden":
            ws.sheet_state = "hidden"
        elif sheet.visibility == "veryhidden":
            ws.sheet_state = "veryHidden"
    return wb, names


def _safe_title(name: str) -> str:
    title = _BAD_TITLE.sub("_", clean_text(name)).strip("'")[:31]
    return title or "Sheet"


def _put(cell: Cell, value: CellValue) -> None:
    if isinstance(value, str):  # text, and the CellError / FormulaNoValue markers
        set_text(cell, value)
    elif isinstance(value, bool | int):
        cell.value = value
    elif isinstance(value, float):
        if math.isfinite(value):
            cell.value = value
        else:
            set_text(cell, repr(value))
    elif isinstance(value, datetime | time):
        cell.value = value.replace(tzinfo=None)
    elif isinstance(value, date):
        cell.value = value
    else:
        set_text(cell, str(value))


def _copy_merges(
    ws: Worksheet,
    merged: Sequence[tuple[int, int, int, int]],
    cells: dict[tuple[int, int], CellValue],
) -> None:
    """Merge the ranges that are sane: inside the sheet, not overlapping one another, and with
    empty hidden cells (merging would drop their values). A hostile file may list millions."""
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merged[:MAX_MERGES]:
        if not (1 <= r1 <= r2 <= MAX_ROW and 1 <= c1 <= c2 <= MAX_COL):
            continue
        area = (
            [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
            if ((r2 - r1 + 1) * (c2 - c1 + 1) <= MAX_MERGE_AREA)
            else []
        )
        if len(area) < 2 or len(covered) + len(area) > MAX_MERGED_CELLS:
            continue
        if any(pos in covered for pos in area) or any(pos in cells for pos in area[1:]):
            continue
        covered.update(area)
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
