"""Drawing the blank form, and one pre-filled copy per roster unit, with openpyxl.

Everything drawn comes from the ``FormSpec``: labels, row and column order, cell kinds, sum
rules, notes. ``template_positions`` says where each part lands; it is the one place that knows
the template's coordinates (readers find returns by their labels, since units move things).

The workbook is fill-safe (only input cells unlocked, the sheet protected, numeric inputs
validated, totals as formulas) and print-ready (A4 landscape, one page wide, header rows
repeated). A very hidden sheet records the form's identity.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import (
    CellKind,
    Column,
    ColumnRole,
    Field,
    FormSpec,
    OutputError,
    Row,
    ValueKind,
    a1,
    col_letter,
    identity,
    os_reason,
)
from shuangyong_cli.season import Roster, RosterUnit
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.cell_text import set_text

__all__ = [
    "TemplatePositions",
    "build_template",
    "safe_filename",
    "set_text",
    "template_positions",
    "unit_copy_names",
    "write_template",
    "write_unit_copies",
]

FONT_NAME = "宋体"
FONT_CHARSET = 134  # GB2312: tells Excel on any system that 宋体 is a Chinese font
BODY_SIZE = 11
TITLE_SIZE = 16

NA_TEXT = "—"
NA_FILL = "D9D9D9"
CALC_FILL = "DDEBF7"

COUNT_FORMAT = "0"
MONEY_FORMAT = "0.00"
TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"

#: The field a pre-filled copy writes the unit's name into (falls back to the first header field).
UNIT_FIELD = "unit"

#: Where the fields of one line go, as (label first col, label last col, input first col, input
#: last col), for the shapes the built-in form has; other shapes share a line evenly.
_FIELD_SLOTS: dict[tuple[int, int], tuple[tuple[int, int, int, int], ...]] = {
    (8, 2): ((1, 2, 3, 5), (6, 6, 7, 8)),
    (8, 3): ((1, 1, 2, 2), (3, 3, 4, 4), (6, 6, 7, 8)),
}

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNDERLINE = Border(bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_LOCKED = Protection(locked=True)


# -- where things go --------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSlot:
    """A labelled input on a header or footer line: label cell and merged input range."""

    row: int
    label_cols: tuple[int, int]
    input_cols: tuple[int, int]

    @property
    def label_cell(self) -> str:
        return a1(self.row, self.label_cols[0])

    @property
    def input_cell(self) -> str:
        """The cell holding the value (the top-left of the merged input range)."""
        return a1(self.row, self.input_cols[0])

    @property
    def input_range(self) -> str:
        return f"{a1(self.row, self.input_cols[0])}:{a1(self.row, self.input_cols[1])}"


@dataclass(frozen=True)
class TemplatePositions:
    """Where the template draws each part (1-based rows and columns)."""

    sheet: str
    attachment_row: int
    title_row: int
    header_rows: tuple[int, int]
    row: Mapping[str, int]
    """Row number of each body row id."""
    column: Mapping[str, int]
    """Column number of each column id."""
    fields: Mapping[str, FieldSlot]
    notes_rows: tuple[int, ...]
    last_row: int
    last_col: int

    def cell(self, row_id: str, column_id: str) -> str:
        """The A1 address of a body cell, e.g. ``cell("troops", "cash")`` → ``"E6"``."""
        return a1(self.row[row_id], self.column[column_id])

    def field_cell(self, field_id: str) -> str:
        """The A1 address holding a field's value, e.g. ``field_cell("unit")`` → ``"C3"``."""
        return self.fields[field_id].input_cell

    @property
    def first_body_row(self) -> int:
        return self.header_rows[1] + 1

    @property
    def print_area(self) -> str:
        return f"A1:{a1(self.last_row, self.last_col)}"

    @property
    def print_title_rows(self) -> str:
        return f"{self.header_rows[0]}:{self.header_rows[1]}"


def template_positions(spec: FormSpec) -> TemplatePositions:
    """The template's layout for a form (what ``build_template`` draws, cell by cell)."""
    n_cols = len(spec.columns)
    fields: dict[str, FieldSlot] = {}
    row = 3
    for line in _field_lines(spec.header_fields, n_cols):
        for f, (l1, l2, i1, i2) in line:
            fields[f.id] = FieldSlot(row, (l1, l2), (i1, i2))
        row += 1
    header_rows = (row, row + 1)
    row = header_rows[1] + 1
    body: dict[str, int] = {}
    for r in spec.rows:
        body[r.id] = row
        row += 1
    notes_rows = tuple(range(row, row + len(spec.notes)))
    row += len(notes_rows)
    last_row = row - 1
    if spec.footer_fields:
        row += 1  # a blank line before the signatures
        for line in _field_lines(spec.footer_fields, n_cols):
            for f, (l1, l2, i1, i2) in line:
                fields[f.id] = FieldSlot(row, (l1, l2), (i1, i2))
            last_row = row
            row += 1
    return TemplatePositions(
        sheet=spec.sheet,
        attachment_row=1,
        title_row=2,
        header_rows=header_rows,
        row=body,
        column={c.id: i for i, c in enumerate(spec.columns, start=1)},
        fields=fields,
        notes_rows=notes_rows,
        last_row=last_row,
        last_col=n_cols,
    )


def _field_lines(
    fields: tuple[Field, ...], n_cols: int
) -> list[list[tuple[Field, tuple[int, int, int, int]]]]:
    """Fields laid out on lines: the built-in shapes as drawn on paper, others evenly."""
    if not fields:
        return []
    fixed = _FIELD_SLOTS.get((n_cols, len(fields)))
    if fixed is not None:
        return [list(zip(fields, fixed, strict=True))]
    per_line = max(1, min(len(fields), n_cols // 2))
    lines = []
    for start in range(0, len(fields), per_line):
        chunk = fields[start : start + per_line]
        width = n_cols // len(chunk)
        slots = []
        for i, f in enumerate(chunk):
            first = i * width + 1
            last = n_cols if i == len(chunk) - 1 else (i + 1) * width
            slots.append((f, (first, first, first + 1, last)))
        lines.append(slots)
    return lines


# -- drawing ------------------------------------------------------------------------------------


def build_template(spec: FormSpec, *, unit: str = "", password: str | None = None) -> Workbook:
    """The blank form as an openpyxl workbook; ``unit`` pre-fills 填报单位."""
    pos = template_positions(spec)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = spec.sheet
    wb.properties.title = spec.title
    wb.properties.creator = "shuangyong"
    wb.calculation.fullCalcOnLoad = True

    for i, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[col_letter(i)].width = column.width
    # Every cell of the print area in the form's font, so empty cells print alike.
    for r in range(1, pos.last_row + 1):
        for c in range(1, pos.last_col + 1):
            ws.cell(r, c).font = _font()

    _draw_title(ws, spec, pos)
    _draw_fields(ws, spec.header_fields, pos)
    _draw_header(ws, spec, pos)
    _draw_body(ws, spec, pos)
    _draw_notes(ws, spec, pos)
    _draw_fields(ws, spec.footer_fields, pos)
    _add_validations(ws, spec, pos)
    if unit:
        unit_field = _unit_field(spec)
        if unit_field is not None:
            set_text(ws[pos.field_cell(unit_field.id)], unit)
    _set_print(ws, pos)
    _protect(ws, password)
    _add_identity(wb, spec, password, issued_to=unit)
    return wb


def _font(*, bold: bool = False, size: int = BODY_SIZE) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, charset=FONT_CHARSET)


def _unit_field(spec: FormSpec) -> Field | None:
    for f in spec.header_fields:
        if f.id == UNIT_FIELD:
            return f
    return spec.header_fields[0] if spec.header_fields else None


def _merge(ws: Worksheet, row1: int, col1: int, row2: int, col2: int) -> None:
    if (row1, col1) != (row2, col2):
        ws.merge_cells(start_row=row1, start_column=col1, end_row=row2, end_column=col2)


def _draw_title(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    if spec.attachment:
        cell = ws.cell(pos.attachment_row, 1)
        set_text(cell, spec.attachment)
        cell.font = _font(bold=True)
    cell = ws.cell(pos.title_row, 1)
    set_text(cell, spec.title)
    cell.font = _font(bold=True, size=TITLE_SIZE)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    _merge(ws, pos.title_row, 1, pos.title_row, pos.last_col)
    lines = _lines_needed(spec.title, _total_width(spec) * BODY_SIZE / TITLE_SIZE)
    ws.row_dimensions[pos.title_row].height = 8 + 22 * lines


def _draw_fields(ws: Worksheet, fields: tuple[Field, ...], pos: TemplatePositions) -> None:
    for f in fields:
        slot = pos.fields[f.id]
        label = ws.cell(slot.row, slot.label_cols[0])
        set_text(label, f"{f.label}：")
        label.alignment = Alignment(horizontal="right", vertical="center", shrink_to_fit=True)
        _merge(ws, slot.row, slot.label_cols[0], slot.row, slot.label_cols[1])
        for c in range(slot.input_cols[0], slot.input_cols[1] + 1):
            cell = ws.cell(slot.row, c)
            cell.border = _UNDERLINE
            cell.protection = _UNLOCKED
            cell.number_format = DATE_FORMAT if f.kind == "date" else TEXT_FORMAT
            cell.alignment = Alignment(horizontal="left", vertical="center", shrink_to_fit=True)
        _merge(ws, slot.row, slot.input_cols[0], slot.row, slot.input_cols[1])
        ws.row_dimensions[slot.row].height = 22


def _draw_header(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    top, bottom = pos.header_rows
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in (top, bottom):
        ws.row_dimensions[r].height = 20
        for c in range(1, pos.last_col + 1):
            cell = ws.cell(r, c)
            cell.font = _font(bold=True)
            cell.alignment = centre
            cell.border = _BOX
    i = 0
    while i < len(spec.columns):
        column = spec.columns[i]
        col = i + 1
        if column.group is None:
            set_text(ws.cell(top, col), column.label)
            _merge(ws, top, col, bottom, col)
            i += 1
            continue
        j = i
        while j + 1 < len(spec.columns) and spec.columns[j + 1].group == column.group:
            j += 1
        set_text(ws.cell(top, col), column.group)
        _merge(ws, top, col, top, j + 1)
        for k in range(i, j + 1):
            set_text(ws.cell(bottom, k + 1), spec.columns[k].label)
        i = j + 1


def _draw_body(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    by_role = {c.role: c for c in spec.columns if c.role is not ColumnRole.VALUE}
    seq, item, measure = (by_role.get(r) for r in ColumnRole if r is not ColumnRole.VALUE)
    for row in spec.rows:
        r = pos.row[row.id]
        for c in range(1, pos.last_col + 1):
            cell = ws.cell(r, c)
            cell.border = _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.protection = _LOCKED
        lines = 1
        if seq is not None:
            cell = ws.cell(r, pos.column[seq.id])
            set_text(cell, row.seq)
            cell.font = _font(bold=row.total)
        if item is not None:
            cell = ws.cell(r, pos.column[item.id])
            set_text(cell, row.label)
            cell.alignment = Alignment(
                horizontal="left", vertical="center", wrap_text=True, indent=row.indent * 2
            )
            lines = _lines_needed(row.label, item.width - 2 * row.indent)
        if measure is not None:
            set_text(ws.cell(r, pos.column[measure.id]), row.measure)
        for column in spec.value_columns:
            _draw_value_cell(ws, spec, pos, row, column)
        ws.row_dimensions[r].height = max(18, 4 + 14.5 * lines)


def _draw_value_cell(
    ws: Worksheet, spec: FormSpec, pos: TemplatePositions, row: Row, column: Column
) -> None:
    cell = ws.cell(pos.row[row.id], pos.column[column.id])
    kind = row.kind(column.id)
    fmt = {ValueKind.COUNT: COUNT_FORMAT, ValueKind.MONEY: MONEY_FORMAT}.get(
        column.kind or ValueKind.TEXT, TEXT_FORMAT
    )
    if kind is CellKind.NA:
        set_text(cell, NA_TEXT)
        cell.fill = PatternFill("solid", fgColor=NA_FILL)
        return
    cell.number_format = fmt
    if fmt != TEXT_FORMAT:
        cell.alignment = Alignment(horizontal="right", vertical="center")
    else:
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    if kind is CellKind.CALC:
        cell.value = _formula(spec, pos, row.id, column.id)
        cell.fill = PatternFill("solid", fgColor=CALC_FILL)
    else:
        cell.protection = _UNLOCKED


def _formula(spec: FormSpec, pos: TemplatePositions, row_id: str, column_id: str) -> str:
    """``=E6+F6``, or ``=SUM(D8:D14)`` when the sources are three or more adjacent cells."""
    cells = sorted((pos.row[r], pos.column[c]) for r, c in spec.sources(row_id, column_id))
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    if len(cells) >= 3:
        same_col = len(set(cols)) == 1 and rows == list(range(rows[0], rows[0] + len(rows)))
        same_row = len(set(rows)) == 1 and cols == list(range(cols[0], cols[0] + len(cols)))
        if same_col or same_row:
            return f"=SUM({a1(*cells[0])}:{a1(*cells[-1])})"
    return "=" + "+".join(a1(r, c) for r, c in cells)


def _draw_notes(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    prefix = f"{spec.notes_label}：" if spec.notes_label else ""
    pad = "\u3000" * len(prefix)
    for i, (r, line) in enumerate(zip(pos.notes_rows, spec.notes, strict=True)):
        text = (prefix if i == 0 else pad) + line
        cell = ws.cell(r, 1)
        set_text(cell, text)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        _merge(ws, r, 1, r, pos.last_col)
        ws.row_dimensions[r].height = 3 + 15 * _lines_needed(text, _total_width(spec))


def _add_validations(ws: Worksheet, spec: FormSpec, pos: TemplatePositions) -> None:
    for column in spec.numeric_columns:
        cells = [pos.cell(r.id, column.id) for r, c in spec.input_cells() if c.id == column.id]
        if not cells:
            continue
        if column.kind is ValueKind.COUNT:
            dv = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorStyle="stop",
                promptTitle=column.label[:32],
                prompt=f"请填写{column.label}：不小于 0 的整数，如 12；没有请留空。",
                errorTitle=f"{column.label}应为整数"[:32],
                error=f"{column.label}只能填写不小于 0 的整数，如 12；请不要填写单位或文字。",
            )
        else:
            unit = _money_unit(column)
            in_unit = f"（单位：{unit}）" if unit else ""
            dv = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorStyle="stop",
                promptTitle=f"{column.label}{in_unit}"[:32],
                prompt=f"请填写{column.label}{in_unit}：不小于 0 的数字，保留两位小数，如 1.50；"
                "没有请留空。",
                errorTitle=f"{column.label}应为数字"[:32],
                error=f"{column.label}只能填写不小于 0 的数字{in_unit}，如 1.50；"
                "请不要填写“元”“约”等文字。",
            )
        ws.add_data_validation(dv)
        for ref in cells:
            dv.add(ref)
    for f in spec.fields:
        if f.kind != "date":
            continue
        hint = DataValidation(
            showInputMessage=True,
            allow_blank=True,
            promptTitle=f.label[:32],
            prompt=f"请填写{f.label}，如 2020-08-10。",
        )
        ws.add_data_validation(hint)
        hint.add(pos.field_cell(f.id))


def _money_unit(column: Column) -> str:
    """The unit a money column's header names, e.g. 万元 from 慰问款物（万元）."""
    for text in (column.label, column.group or ""):
        m = re.search(r"[（(]([^（）()]+)[）)]\s*$", text)
        if m:
            return m.group(1)
    return ""


def _set_print(ws: Worksheet, pos: TemplatePositions) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.5, bottom=0.5, header=0.2, footer=0.2)
    ws.print_area = pos.print_area
    ws.print_title_rows = pos.print_title_rows
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页，共 &N 页"


def _protect(ws: Worksheet, password: str | None) -> None:
    ws.protection.sheet = True
    # Units may still widen a column or row to read what they typed.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if password:
        ws.protection.password = password


def _add_identity(wb: Workbook, spec: FormSpec, password: str | None, issued_to: str) -> None:
    meta = wb.create_sheet(identity.META_SHEET)
    rows = identity.identity_rows(spec, "template", issued_to=issued_to)
    for r, (key, value) in enumerate(rows, start=1):
        set_text(meta.cell(r, 1), key)
        set_text(meta.cell(r, 2), value)
    meta.sheet_state = "veryHidden"
    _protect(meta, password)


def _display_width(text: str) -> float:
    """Width in Excel character units at the body size: CJK characters count about 2."""
    return sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def _total_width(spec: FormSpec) -> float:
    return sum(c.width for c in spec.columns)


def _lines_needed(text: str, width: float) -> int:
    usable = max(width - 1.5, 1.0)
    return max(1, -int(-_display_width(text) // usable))


# -- writing ------------------------------------------------------------------------------------


def write_template(
    spec: FormSpec,
    out: Path,
    *,
    force: bool = False,
    password: str | None = None,
    unit: str = "",
) -> Path:
    """Write the blank form (or one unit's copy) to ``out``; returns the path written."""
    target = atomic.check_output(out, force=force, what="统计表")
    atomic.save_workbook_atomic(build_template(spec, unit=unit, password=password), target)
    return target


_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)]
)
MAX_NAME_CHARS = 60


def safe_filename(text: str, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """``text`` made safe as a file name on Windows, macOS and Linux (no extension added)."""
    name = " ".join(_FORBIDDEN.sub("", unicodedata.normalize("NFC", text)).split())
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name[:max_chars].strip(" .")
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = "_" + name
    return name or "未命名单位"


def unit_copy_names(spec: FormSpec, roster: Roster) -> list[tuple[RosterUnit, str]]:
    """The file name of each unit's copy, distinct even where two names clean to the same."""
    tail = safe_filename(spec.sheet or spec.title, max_chars=20)
    taken: set[str] = set()
    out: list[tuple[RosterUnit, str]] = []
    for unit in roster.units:
        stem = f"{safe_filename(unit.name)}-{tail}"
        name, n = f"{stem}.xlsx", 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}（{n}）.xlsx"
        taken.add(name.casefold())
        out.append((unit, name))
    return out


def write_unit_copies(
    spec: FormSpec,
    roster: Roster,
    out_dir: Path,
    *,
    force: bool = False,
    password: str | None = None,
) -> list[tuple[RosterUnit, Path]]:
    """Write one copy per roster unit, 填报单位 filled in, into ``out_dir``.

    Every check (folder writable, no file in the way unless ``force``, no input overwritten)
    happens before the first write; if one fails, nothing is written."""
    folder = out_dir.expanduser()
    names = unit_copy_names(spec, roster)
    inputs = (roster.source,) if roster.source is not None else ()
    missing = _check_folder(folder, out_dir)
    targets: list[tuple[RosterUnit, Path]] = []
    if not missing:
        existing: list[str] = []
        for unit, name in names:
            target = atomic.check_output(folder / name, inputs=inputs, force=True, what="统计表")
            if target.exists():
                existing.append(name)
            targets.append((unit, target))
        if existing and not force:
            more = f" 等 {len(existing)} 个文件" if len(existing) > 1 else ""
            raise OutputError(
                f"文件夹 {out_dir} 中已有 {existing[0]}{more}；如要覆盖，请加 --force"
            )
    else:
        try:
            folder.mkdir(parents=True)
            _probe(folder, out_dir)
        except OSError as e:
            _remove_dirs(missing)
            raise OutputError(f"无法创建文件夹 {out_dir}：{os_reason(e)}") from None
        except OutputError:
            _remove_dirs(missing)
            raise
        targets = [(unit, (folder / name).resolve()) for unit, name in names]
    written: list[Path] = []
    try:
        for unit, target in targets:
            existed = target.exists()
            atomic.save_workbook_atomic(
                build_template(spec, unit=unit.name, password=password), target
            )
            if not existed:
                written.append(target)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        _remove_dirs(missing)
        raise
    return targets


def _check_folder(folder: Path, shown: Path) -> list[Path]:
    """Check the output folder can be written; returns the folders to create, deepest first."""
    if folder.exists():
        if not folder.is_dir():
            raise OutputError(f"输出位置 {shown} 是一个文件，不是文件夹；请给出文件夹")
        _probe(folder, shown)
        return []
    missing = [folder]
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"无法创建文件夹 {shown}：{parent} 是一个文件，不是文件夹")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"无法创建文件夹 {shown}：没有在 {parent} 中写入的权限")
    return missing


def _probe(folder: Path, shown: Path) -> None:
    """Raise OutputError unless a file can be created in ``folder`` (and remove it again)."""
    try:
        with tempfile.TemporaryFile(prefix=".~shuangyong-", dir=folder):
            pass
    except OSError as e:
        raise OutputError(f"无法在文件夹 {shown} 中写入文件：{os_reason(e)}") from None


def _remove_dirs(folders: list[Path]) -> None:
    """Remove the folders this run created, deepest first (only while empty)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return
