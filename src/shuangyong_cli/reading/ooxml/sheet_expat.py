"""Reading any OOXML worksheet with expat (``SheetScan``): its cells' values and extent,
formulas saved without a value, error cells and merged ranges. ``SheetScan`` also holds what the
fast path (``sheet_regex``) finds, which reads the plain sheetData most writers produce.

Cell positions and values follow calamine's rules (a cell without ``r`` follows the previous one,
a row without ``r`` the previous one, self-closing or not; a date style makes a number a date), so
a sheet reads here as calamine would read it, without ever building calamine's dense range.
"""

from __future__ import annotations

import re
from typing import NoReturn
from xml.parsers import expat

from shuangyong_cli.model import (
    CellError,
    CellValue,
    FormulaNoValue,
    UnreadableFileError,
    a1,
    message,
)
from shuangyong_cli.reading.failures import corrupt, fail
from shuangyong_cli.reading.limits import ReadLimits
from shuangyong_cli.reading.ooxml.cell_values import CellDecoder, Pos, saved_without_value
from shuangyong_cli.reading.ooxml.parts import expat_parser, parse_xml

MAX_ROW = 1_048_576
MAX_COL = 16_384
REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
MSG_SHEET_CELLS = message("file.too_large", "sheet_cells")


def too_many_cells(sheet_name: str, max_cells: int) -> NoReturn:
    """Refuse a sheet with more cells that hold something than ``max_cells``."""
    fail("file.too_large", MSG_SHEET_CELLS.format(sheet=sheet_name, limit=max_cells))


class SheetScan:
    """One pass of expat over a worksheet's XML, placing cells exactly as calamine does.

    Calamine places a cell without ``r`` after the previous one (an empty ``<c/>`` takes its
    place too) and a row without ``r`` after the previous one (an empty ``<row/>`` too);
    positions here follow the same rules. With a ``decoder`` the values
    are decoded too; without one only the extent, formulas and errors are measured.
    """

    def __init__(
        self,
        sheet_name: str,
        limits: ReadLimits,
        decoder: CellDecoder | None = None,
    ) -> None:
        self.sheet_name = sheet_name
        self.max_cells = limits.max_cells
        self.decoder = decoder
        self.count = 0
        self.min_row = self.min_col = 1 << 30
        self.max_row = self.max_col = -1
        self.formulas: dict[Pos, FormulaNoValue] = {}
        self.errors: dict[Pos, CellError] = {}
        self.values: dict[Pos, CellValue] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.shared_formulas: dict[str, tuple[Pos, str]] = {}
        self._parser: expat.XMLParserType | None = None
        self._in_data = False
        self._row = 0  # 0-based, as calamine counts
        self._col = 0
        self._cell: Pos | None = None
        self._depth = 0
        self._children = 0
        self._t = ""
        self._s = ""
        self._v: str | None = None
        self._f: str | None = None
        self._f_attrs: dict[str, str] = {}
        self._is: list[str] | None = None
        self._rph = 0
        self._buf: list[str] | None = None
        self._buf_kind = ""

    # -- driving ------------------------------------------------------------------------------

    def run(self, content: bytes) -> None:
        parser = expat_parser(self._start, self._end, self._chars)
        self._parser = parser
        parse_xml(
            parser, content, message("file.corrupt", "xml_sheet").format(sheet=self.sheet_name)
        )
        self._parser = None

    def fits(self, limits: ReadLimits) -> bool:
        """Whether the sheet's cells lie within one table (the dense range calamine would
        allocate stays small); a sheet that does not gets a ``file.far_cells`` note."""
        if self.count == 0:
            return True
        return limits.allows_dense(self.max_row - self.min_row + 1, self.max_col - self.min_col + 1)

    # -- expat handlers -----------------------------------------------------------------------

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if self._cell is not None:
            self._depth += 1
            self._children += 1
            local = name[name.find(":") + 1 :]
            if local == "v":
                self._buf, self._buf_kind = [], "v"
            elif local == "f":
                self._buf, self._buf_kind = [], "f"
                self._f_attrs = attrs
            elif local == "is":
                self._is = []
            elif local == "rPh":
                self._rph += 1
            elif local == "t" and self._is is not None and not self._rph:
                self._buf, self._buf_kind = [], "t"
            return
        local = name[name.find(":") + 1 :]
        if not self._in_data:
            if local == "sheetData":
                self._in_data = True
            elif local == "mergeCell":
                self.merge(attrs.get("ref", ""))
            return
        assert self._parser is not None
        if local == "c":
            ref = attrs.get("r")
            if ref is not None:
                row, col = self._ref(ref)
                self._col = col
                self._cell = (row, col)
            else:
                self._cell = (self._row, self._col)
            self._depth = 0
            self._children = 0
            self._t = attrs.get("t", "")
            self._s = attrs.get("s", "")
            self._v = self._f = None
            self._is = None
        elif local == "row":
            ref = attrs.get("r")
            if ref is not None:
                if not ref.isdigit() or not 1 <= int(ref) <= MAX_ROW:
                    corrupt(
                        message("file.corrupt", "row_number").format(
                            sheet=self.sheet_name, ref=ref[:20]
                        )
                    )
                self._row = int(ref) - 1

    def _end(self, name: str) -> None:
        if self._cell is not None:
            if self._depth:
                self._depth -= 1
                local = name[name.find(":") + 1 :]
                kind = self._buf_kind
                if kind and local == kind:
                    text = "".join(self._buf or ())
                    if kind == "v":
                        self._v = text
                    elif kind == "f":
                        self._f = text
                    elif self._is is not None:
                        self._is.append(text)
                    self._buf, self._buf_kind = None, ""
                elif local == "rPh":
                    self._rph -= 1
                return
            self._finish_cell()
            self._col += 1
            self._cell = None
            return
        if not self._in_data:
            return
        local = name[name.find(":") + 1 :]
        if local == "row":
            self._row += 1
            self._col = 0
        elif local == "sheetData":
            self._in_data = False

    def _chars(self, text: str) -> None:
        if self._buf is not None:
            self._buf.append(text)

    # -- cells --------------------------------------------------------------------------------

    def _ref(self, ref: str) -> Pos:
        match = REF_RE.fullmatch(ref)
        if match is None:
            corrupt(message("file.corrupt", "cell_ref").format(sheet=self.sheet_name, ref=ref[:20]))
        letters, digits = match.groups()
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        row = int(digits)
        if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
            corrupt(
                message("file.corrupt", "cell_ref_range").format(
                    sheet=self.sheet_name, ref=ref[:20]
                )
            )
        return row - 1, col - 1

    def merge(self, ref: str) -> None:
        """Add the merged range ``ref`` (``A1:B2``, or one cell); a bad one is left out."""
        first, _, last = ref.partition(":")
        try:
            r1, c1 = self._ref(first)
            r2, c2 = self._ref(last or first)
        except UnreadableFileError:
            return  # a bad merge range costs nothing: leave it out
        self.merged.append((min(r1, r2) + 1, min(c1, c2) + 1, max(r1, r2) + 1, max(c1, c2) + 1))

    def _finish_cell(self) -> None:
        if not self._children:
            return  # <c r="A1" s="3"></c>: style only
        assert self._cell is not None
        row, col = self._cell
        self.count += 1
        if self.count > self.max_cells:
            too_many_cells(self.sheet_name, self.max_cells)
        if row < self.min_row:
            self.min_row = row
        if row > self.max_row:
            self.max_row = row
        if col < self.min_col:
            self.min_col = col
        if col > self.max_col:
            self.max_col = col
        pos = (row + 1, col + 1)
        t, v, f = self._t, self._v, self._f
        if f is not None:
            shared = self._f_attrs.get("t") == "shared"
            si = self._f_attrs.get("si", "")
            if shared and f:
                self.shared_formulas[si] = (pos, f)
            if saved_without_value(t, v, self._is is not None):
                self.formulas[pos] = FormulaNoValue(self.formula_text(pos, f, shared, si))
        if t == "e" and v and pos not in self.formulas:
            self.errors[pos] = CellError(v)
        if self.decoder is not None:
            value = self._value(pos)
            if value is not None:
                self.values[pos] = value

    def formula_text(self, pos: Pos, text: str, shared: bool, si: str) -> str:
        """A formula as written at ``pos``; a shared one without text is its group's first
        formula shifted to ``pos``."""
        if text or not shared:
            return "=" + text
        master = self.shared_formulas.get(si)
        if master is None:
            return "="
        try:
            from openpyxl.formula.translate import Translator

            return str(Translator("=" + master[1], a1(*master[0])).translate_formula(a1(*pos)))
        except Exception:  # cannot shift it: show it unshifted
            return "=" + master[1]

    def _value(self, pos: Pos) -> CellValue | None:
        if pos in self.formulas:
            return self.formulas[pos]
        if pos in self.errors:
            return self.errors[pos]
        assert self.decoder is not None
        inline = "".join(self._is) if self._is is not None else None
        return self.decoder.value(self._t, self._s, self._v, inline, pos, self.sheet_name)
