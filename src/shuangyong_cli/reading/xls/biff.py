"""Reading an .xls: the BIFF records are walked first, then calamine (or xlrd) reads the sheets.

The walk finds FILEPASS (a password), each sheet's extent, DIMENSIONS reservations and error cells
before calamine runs, because calamine allocates a dense range over whatever the records claim. A
workbook whose sheets all fit goes to calamine; one with cells far apart goes to xlrd, which keeps
rows ragged.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from typing import Any

import python_calamine

from shuangyong_cli.model import CellError, CellValue, Sheet, message
from shuangyong_cli.reading.calamine import (
    calamine_sheet,
    guarded,
    plain_value,
    serial_to_date,
    serial_to_duration,
)
from shuangyong_cli.reading.failures import RESAVE, corrupt, encrypted, fail
from shuangyong_cli.reading.limits import ReadLimits, far_note
from shuangyong_cli.reading.ooxml.parts import BUILTIN_TIME_FORMATS, format_kind
from shuangyong_cli.reading.xls.cfb import workbook_stream


def read_xls(data: bytes, limits: ReadLimits, notes: list[tuple[str, str]]) -> list[Sheet]:
    """The sheets of an .xls (an OLE compound file holding a BIFF workbook stream)."""
    stream = workbook_stream(data)
    biff = _scan_biff(stream, limits)
    if biff.encrypted:
        encrypted(message("file.encrypted", "xls_protection"))
    total = sum(s.count for s in biff.sheets)
    if total > limits.max_total_cells:
        fail(
            "file.too_large",
            message("file.too_large", "xls_workbook_cells").format(
                count=total, limit=limits.max_total_cells
            ),
        )
    if all(s.fits(limits) for s in biff.sheets):
        return _xls_with_calamine(data, biff)
    return _xls_with_xlrd(data, biff, limits, notes)


_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_STATE_NAMES = {0: "visible", 1: "hidden", 2: "veryhidden"}


@dataclass
class _BiffSheet:
    name: str
    offset: int
    state: int
    kind: int
    count: int = 0
    min_row: int = 1 << 30
    min_col: int = 1 << 30
    max_row: int = -1
    max_col: int = -1
    reserve: int = 0
    errors: dict[tuple[int, int], CellError] = field(default_factory=dict)

    def add(self, row: int, col: int) -> None:
        if row < self.min_row:
            self.min_row = row
        if row > self.max_row:
            self.max_row = row
        if col < self.min_col:
            self.min_col = col
        if col > self.max_col:
            self.max_col = col

    def fits(self, limits: ReadLimits) -> bool:
        if self.reserve > limits.max_dense_cells:
            return False
        if self.max_row < 0:
            return True
        return limits.allows_dense(self.max_row - self.min_row + 1, self.max_col - self.min_col + 1)


@dataclass
class _Biff:
    encrypted: bool = False
    sheets: list[_BiffSheet] = field(default_factory=list)


def _biff_name(body: bytes, biff8: bool) -> str:
    """A BoundSheet name, decoded well enough to name the sheet in a message."""
    if len(body) < 7:
        return ""
    count = body[6]
    if biff8 and len(body) >= 8 and body[7] & 1:
        return body[8 : 8 + 2 * count].decode("utf-16-le", errors="replace")
    raw = body[8 : 8 + count] if biff8 else body[7 : 7 + count]
    try:
        return raw.decode("gbk")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _scan_biff(stream: bytes, limits: ReadLimits) -> _Biff:
    """The workbook's records as calamine will read them: sheets, FILEPASS, extents, errors.

    Calamine reads the globals up to the first EOF, then each sheet from its BoundSheet offset
    to the next EOF; it reserves DIMENSIONS rows × cols cells and allocates a dense range over
    every cell and formula record. Those sizes are measured here before it runs.
    """
    book = _Biff()
    size = len(stream)
    pos = 0
    unpack = struct.unpack_from
    biff8 = size >= 6 and unpack("<H", stream, 4)[0] in (0x0600, 0)
    while pos + 4 <= size:
        typ, length = unpack("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if typ == 0x000A:
            break
        if typ == 0x002F:
            book.encrypted = True
            return book
        if typ == 0x0085 and length >= 6:
            offset, state, kind = unpack("<IBB", stream, body)
            name = _biff_name(stream[body : body + length], biff8)
            book.sheets.append(_BiffSheet(name, offset, state & 0x3F, kind))
        elif typ == 0x00FC and length >= 8:
            unique = unpack("<i", stream, body + 4)[0]
            if unique < 0 or unique * 3 > size:
                corrupt(message("file.corrupt", "xls_string_count"))
            if unique > limits.max_shared_strings:
                fail(
                    "file.too_large",
                    message("file.too_large", "shared_strings").format(
                        count=unique, limit=limits.max_shared_strings
                    ),
                )
    offsets = [sheet.offset for sheet in book.sheets]
    if len(set(offsets)) != len(offsets):
        corrupt(message("file.corrupt", "xls_same_offset"))
    walked = 0
    for sheet in book.sheets:
        if sheet.offset >= size:
            corrupt(message("file.corrupt", "xls_sheet_offset").format(sheet=sheet.name))
        walked += _scan_biff_sheet(stream, sheet, limits)
        if walked > size:  # sheets overlap: a reader would walk the same records again and again
            corrupt(message("file.corrupt", "xls_sheet_offset").format(sheet=sheet.name))
    return book


def _scan_biff_sheet(stream: bytes, sheet: _BiffSheet, limits: ReadLimits) -> int:
    """Scan one sheet's records (up to its EOF); returns the bytes walked."""
    size = len(stream)
    pos = sheet.offset
    unpack = struct.unpack_from
    while pos + 4 <= size:
        typ, length = unpack("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if body + length > size:
            break
        if typ == 0x000A:
            break
        if typ in (0x0203, 0x027E, 0x0204, 0x00FD, 0x0205, 0x0006):
            if length < 6:
                continue
            row, col = unpack("<HH", stream, body)
            sheet.add(row, col)
            sheet.count += 1
            if typ == 0x0205 and length >= 8 and stream[body + 7] == 1:
                code = stream[body + 6]
                sheet.errors[(row + 1, col + 1)] = CellError(_BIFF_ERRORS.get(code, "#VALUE!"))
            elif typ == 0x0006 and length >= 20:
                result = stream[body + 6 : body + 14]
                if result[6:8] == b"\xff\xff" and result[0] == 2:
                    code = result[2]
                    sheet.errors[(row + 1, col + 1)] = CellError(_BIFF_ERRORS.get(code, "#VALUE!"))
        elif typ == 0x00BD and length >= 6:
            row, first = unpack("<HH", stream, body)
            last = unpack("<H", stream, body + length - 2)[0]
            if last < first:
                corrupt(message("file.corrupt", "xls_cell_record").format(sheet=sheet.name))
            sheet.add(row, first)
            sheet.add(row, last)
            sheet.count += last - first + 1
        elif typ == 0x0200 and length in (10, 14):
            if length == 14:
                rf, rl, cf, cl = unpack("<IIHH", stream, body)
            else:
                rf, rl, cf, cl = unpack("<HHHH", stream, body)
            if rl >= 1 and cl >= 1:
                rows = (rl - 1 - rf + 1) & 0xFFFFFFFF
                cols = (cl - 1 - cf + 1) & 0xFFFFFFFF
            else:
                rows = cols = 1
            sheet.reserve = max(sheet.reserve, rows * cols)
        if sheet.count > limits.max_cells:
            fail(
                "file.too_large",
                message("file.too_large", "sheet_cells").format(
                    sheet=sheet.name, limit=limits.max_cells
                ),
            )
    return min(pos, size) - sheet.offset


def _xls_with_calamine(data: bytes, biff: _Biff) -> list[Sheet]:
    book: Any = guarded(
        lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)),
        message("file.corrupt", "calamine_open"),
    )
    metadata: list[Any] = guarded(
        lambda: list(book.sheets_metadata), message("file.corrupt", "calamine_sheets")
    )
    sheets: list[Sheet] = []
    for index, meta in enumerate(metadata):
        record = biff.sheets[index] if len(biff.sheets) == len(metadata) else None
        if record is not None:
            if record.kind != 0:
                continue
            visibility = _STATE_NAMES.get(record.state, "visible")
        else:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            visibility = _visibility_from_calamine(meta.visible)
        name = str(meta.name)
        cells, merged = calamine_sheet(book, name)
        if record is not None:
            for pos, error in record.errors.items():
                if pos not in cells:
                    cells[pos] = error
        sheets.append(Sheet(name, cells, merged, visibility))
    return sheets


def _visibility_from_calamine(visible: Any) -> str:
    if visible == python_calamine.SheetVisibleEnum.Hidden:
        return "hidden"
    if visible == python_calamine.SheetVisibleEnum.VeryHidden:
        return "veryhidden"
    return "visible"


def _xls_with_xlrd(
    data: bytes, biff: _Biff, limits: ReadLimits, notes: list[tuple[str, str]]
) -> list[Sheet]:
    """A sheet with cells far apart: xlrd keeps rows ragged, so a stray cell costs little."""
    far = next((s for s in biff.sheets if not s.fits(limits)), None)
    where = (
        message("file.unreadable", "xls_far_sheet").format(sheet=far.name)
        if far is not None
        else message("file.unreadable", "xls_far_workbook")
    )
    try:
        import xlrd  # type: ignore[import-untyped]
    except ImportError:
        fail(
            "file.unreadable",
            message("file.unreadable", "xls_far").format(where=where, resave=RESAVE),
        )

    def load() -> list[Sheet]:
        book = xlrd.open_workbook(
            file_contents=data,
            on_demand=True,
            ragged_rows=True,
            formatting_info=True,
            logfile=io.StringIO(),
        )
        out: list[Sheet] = []
        kinds: dict[int, str | None] = {}
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            cells: dict[tuple[int, int], CellValue] = {}
            for r in range(sh.nrows):
                types = sh.row_types(r)
                values = sh.row_values(r)
                for c, (ctype, value) in enumerate(zip(types, values, strict=False)):
                    kind = None
                    if ctype in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                        kind = _xlrd_kind(book, sh.cell_xf_index(r, c), kinds)
                    plain = _xlrd_value(xlrd, ctype, value, book.datemode, kind)
                    if plain is not None:
                        cells[(r + 1, c + 1)] = plain
            merged = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in sh.merged_cells]
            visibility = _STATE_NAMES.get(int(sh.visibility), "visible")
            out.append(Sheet(str(sh.name), cells, merged, visibility))
            book.unload_sheet(index)
        return out

    sheets = guarded(load, message("file.corrupt", "calamine_read"))
    for sheet in sheets:
        if not _cells_fit(sheet.cells, limits):
            notes.append(("file.far_cells", far_note(sheet.name, sheet.cells, limits)))
    return sheets


def _cells_fit(cells: dict[tuple[int, int], CellValue], limits: ReadLimits) -> bool:
    if not cells:
        return True
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    return limits.allows_dense(max(rows) - min(rows) + 1, max(cols) - min(cols) + 1)


def _xlrd_kind(book: Any, xf_index: int, kinds: dict[int, str | None]) -> str | None:
    """Whether a cell style's number format shows a date, a duration or a number, by the rules
    the .xlsx reader and calamine follow (xlrd calls ``[h]:mm:ss`` a date)."""
    if xf_index in kinds:
        return kinds[xf_index]
    kind = None
    try:
        key = book.xf_list[xf_index].format_key
        fmt = book.format_map.get(key)
        code = getattr(fmt, "format_str", None)
        kind = format_kind(code) if code else BUILTIN_TIME_FORMATS.get(key)
    except (IndexError, AttributeError):
        kind = None
    kinds[xf_index] = kind
    return kind


def _xlrd_value(
    xlrd: Any, ctype: int, value: Any, datemode: int, kind: str | None = None
) -> CellValue | None:
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_ERROR:
        return CellError(xlrd.error_text_from_code.get(value, "#VALUE!"))
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == "duration":
        return serial_to_duration(float(value))
    if kind == "date" or ctype == xlrd.XL_CELL_DATE:
        return serial_to_date(float(value), bool(datemode))
    return plain_value(value)
