"""Reading one OOXML worksheet: its cells' values and extent, formulas saved without a value,
error cells and merged ranges.

Two scans give the same result: ``fast_scan`` reads sheetData of the plain shape every mainstream
writer produces with regular expressions; ``SheetScan`` walks any other sheetData with expat. Cell
positions and values follow calamine's rules (a cell without ``r`` follows the previous one, a
self-closing cell or row is skipped, a date style makes a number a date), so a sheet reads here as
calamine would read it, without ever building calamine's dense range.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NoReturn
from xml.parsers import expat

from .calamine import plain_value, serial_to_date, serial_to_duration, whole_or_float
from .errors import UnreadableFileError
from .grid import CellError, CellValue, FormulaNoValue, a1
from .ooxml_parts import expat_parser, parse_xml, unescape_x, unescape_xml
from .read_errors import corrupt, fail
from .read_limits import ReadLimits

_MAX_ROW = 1_048_576
_MAX_COL = 16_384
_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


_ISO_DATE = r"\+?([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_ISO_TIME = r"([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\.([0-9]+))?)?"
_ISO_DATE_RE = re.compile(_ISO_DATE)
_ISO_TIME_RE = re.compile(_ISO_TIME)
_ISO_DATETIME_RE = re.compile(_ISO_DATE + "T" + _ISO_TIME)


def _parse_iso(text: str) -> CellValue:
    """A ``t="d"`` cell as calamine reads it: a date alone a date, a date and a time (with its
    seconds) a datetime, a time alone a time; anything else (a time zone, a blank for ``T``)
    the text as written."""
    try:
        match = _ISO_DATE_RE.fullmatch(text)
        if match is not None:
            return dt.date(*map(int, match.groups()))
        match = _ISO_DATETIME_RE.fullmatch(text)
        if match is not None and match.group(6) is not None:
            day = dt.date(*map(int, match.groups()[:3]))
            return dt.datetime.combine(day, _iso_time(*match.groups()[3:]))
        match = _ISO_TIME_RE.fullmatch(text)
        if match is not None:
            return _iso_time(*match.groups())
    except ValueError:
        pass
    return text


def _iso_time(hour: str, minute: str, second: str | None, fraction: str | None) -> dt.time:
    sec = int(second or 0)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return dt.time(int(hour), int(minute), min(sec, 59) if sec == 60 else sec, micro)


_NUMBER_RE = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.IGNORECASE
)
"""A number as calamine parses one (Rust's ``f64`` grammar: no blanks, no ``_``, ASCII digits)."""


_Pos = tuple[int, int]


def _too_many_cells(sheet_name: str, max_cells: int) -> NoReturn:
    fail(
        "file.too_large",
        f"工作表「{sheet_name}」的非空单元格超过 {max_cells} 个，"
        "不像是一份统计表；请删除与统计表无关的工作表或内容后重新报送",
    )


class SheetScan:
    """One pass of expat over a worksheet's XML, placing cells exactly as calamine does.

    Calamine skips self-closing ``<row/>`` and ``<c/>`` elements and places a cell without ``r``
    after the previous one; positions here follow the same rules. With a ``decoder`` the values
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
        self.formulas: dict[_Pos, FormulaNoValue] = {}
        self.errors: dict[_Pos, CellError] = {}
        self.values: dict[_Pos, CellValue] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self._shared: dict[str, tuple[_Pos, str]] = {}
        self._parser: expat.XMLParserType | None = None
        self._in_data = False
        self._row = 0  # 0-based, as calamine counts
        self._col = 0
        self._row_mark = -1
        self._row_before = 0
        self._cell: _Pos | None = None
        self._cell_mark = -1
        self._col_before = 0
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
        parse_xml(parser, content, f"工作表「{self.sheet_name}」")
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
                self._merge(attrs.get("ref", ""))
            return
        assert self._parser is not None
        if local == "c":
            self._cell_mark = self._parser.CurrentByteIndex
            self._col_before = self._col
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
            self._row_mark = self._parser.CurrentByteIndex
            self._row_before = self._row
            ref = attrs.get("r")
            if ref is not None:
                if not ref.isdigit() or not 1 <= int(ref) <= _MAX_ROW:
                    corrupt(f"工作表「{self.sheet_name}」的行号“{ref[:20]}”无效")
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
            assert self._parser is not None
            if self._parser.CurrentByteIndex == self._cell_mark:  # <c .../>: calamine skips it
                self._col = self._col_before
            else:
                self._finish_cell()
                self._col += 1
            self._cell = None
            return
        if not self._in_data:
            return
        local = name[name.find(":") + 1 :]
        if local == "row":
            assert self._parser is not None
            if self._parser.CurrentByteIndex == self._row_mark:  # <row/>: calamine skips it
                self._row = self._row_before
            else:
                self._row += 1
                self._col = 0
        elif local == "sheetData":
            self._in_data = False

    def _chars(self, text: str) -> None:
        if self._buf is not None:
            self._buf.append(text)

    # -- cells --------------------------------------------------------------------------------

    def _ref(self, ref: str) -> _Pos:
        match = _REF_RE.fullmatch(ref)
        if match is None:
            corrupt(f"工作表「{self.sheet_name}」的单元格地址“{ref[:20]}”无效")
        letters, digits = match.groups()
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        row = int(digits)
        if not (1 <= row <= _MAX_ROW and 1 <= col <= _MAX_COL):
            corrupt(f"工作表「{self.sheet_name}」的单元格地址“{ref[:20]}”超出范围")
        return row - 1, col - 1

    def _merge(self, ref: str) -> None:
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
            _too_many_cells(self.sheet_name, self.max_cells)
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
                self._shared[si] = (pos, f)
            if _saved_without_value(t, v, self._is is not None):
                self.formulas[pos] = FormulaNoValue(self._formula_text(pos, f, shared, si))
        if t == "e" and v and pos not in self.formulas:
            self.errors[pos] = CellError(v)
        if self.decoder is not None:
            value = self._value(pos)
            if value is not None:
                self.values[pos] = value

    def _formula_text(self, pos: _Pos, text: str, shared: bool, si: str) -> str:
        if text or not shared:
            return "=" + text
        master = self._shared.get(si)
        if master is None:
            return "="
        try:
            from openpyxl.formula.translate import Translator

            return str(Translator("=" + master[1], a1(*master[0])).translate_formula(a1(*pos)))
        except Exception:  # cannot shift it: show it unshifted
            return "=" + master[1]

    def _value(self, pos: _Pos) -> CellValue | None:
        if pos in self.formulas:
            return self.formulas[pos]
        if pos in self.errors:
            return self.errors[pos]
        assert self.decoder is not None
        inline = "".join(self._is) if self._is is not None else None
        return self.decoder.value(self._t, self._s, self._v, inline, pos, self.sheet_name)


def _saved_without_value(t: str, v: str | None, inline: bool) -> bool:
    """Whether a formula cell was saved without its result: no ``<v>`` (or blanks in one, but
    for a text result), and no inline text for a ``t="inlineStr"`` result."""
    if v is None:
        return not (inline and t == "inlineStr")
    return not v.strip() and t not in ("str", "inlineStr")


class CellDecoder:
    """A cell's value from its type ``t``, style ``s``, ``<v>`` text and inline text, as calamine
    decodes it: shared strings by index, numbers as int when whole, date styles as dates."""

    def __init__(
        self,
        strings: list[str] | None = None,
        time_styles: dict[int, str] | None = None,
        date1904: bool = False,
    ) -> None:
        self.strings = strings or []
        self.time_styles = time_styles or {}
        """Cell style index → "date" or "duration" (``Styles.time_xfs``)."""
        self.date1904 = date1904

    def value(
        self, t: str, s: str, v: str | None, inline: str | None, pos: _Pos, sheet_name: str
    ) -> CellValue | None:
        if t == "inlineStr":
            return unescape_x(inline or "") or None
        if not v or (t != "str" and not v.strip()):
            return None  # blanks alone in <v>: nothing, as calamine reads them
        if t == "s":
            try:
                text = self.strings[int(v)]
            except (ValueError, IndexError):
                corrupt(f"工作表「{sheet_name}」{a1(*pos)} 的文字编号无效")
            return text or None
        if t == "str":
            return unescape_x(v)
        if t == "b":
            return v.strip().lower() in ("1", "true")
        if t == "d":
            return _parse_iso(v.strip())
        if t == "e":
            return CellError(v)
        if _NUMBER_RE.fullmatch(v) is None:
            if not t:
                return v  # <c><v>abc</v></c>: no type said, the text (as calamine reads it)
            try:
                number = float(v)
            except ValueError:
                corrupt(f"工作表「{sheet_name}」{a1(*pos)} 的数值“{v[:20]}”无法识别")
        else:
            number = float(v)
        kind = self.time_styles.get(int(s)) if s and self.time_styles and s.isdigit() else None
        if kind == "date":
            return serial_to_date(number, self.date1904)
        if kind == "duration":
            return serial_to_duration(number)
        return plain_value(number)


# The fast path: most writers (Excel, WPS, LibreOffice, openpyxl, xlsxwriter) write sheetData in
# one plain shape: every cell starts `<c r="B7"`, attributes are double-quoted, a cell holds an
# optional <f>, an optional <v> or one <is><t>. When the whole of sheetData is made of such tokens
# (checked by regular expressions, in C), cell positions can be read straight from the r
# attributes; anything else (prefixes, comments, cells without r, rich inline text) goes to expat.
# Inside a tag, [^>]* stands for its attributes (a `>` inside a value makes the rest of the tag
# match nothing, so such a sheet goes to expat); attributes that are read (a cell's s and t, a
# formula's t and si) must be written plainly (_ATTRS), else the sheet goes to expat too.
_ATTRS = rb'(?:\s+[A-Za-z_][\w.:-]*="[^"<>]*")*\s*'  # Excel adds x14ac:dyDescent to rows
_PLAIN_ATTRS = re.compile(_ATTRS)
_MORE = rb"(?:\s[^>]*)?"  # the rest of a tag
_PLAIN_TOKEN = re.compile(  # one token with the blanks before it; a cell's parts captured
    rb"(\s*(?:<row" + _MORE + rb">|</row>"
    rb'|<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,12})")?'
    rb"([^>]*)(?:/>|>"
    rb"(<f(" + _MORE + rb")(?:/>|>([^<]*)</f>))?"
    rb"(<v>([^<]*)</v>|<v/>)?"
    rb"(<is><t" + _MORE + rb">([^<]*)</t></is>)?"
    rb"</c>)))"
)
_PLAIN_WHOLE = re.compile(re.sub(rb"\((?!\?)", b"(?:", _PLAIN_TOKEN.pattern))
"""The same tokens, whole, without the parts: ``findall`` makes one bytes object per token
instead of fourteen (half the time); the parts are read (``_PLAIN_TOKEN.match``) only for a
token not seen before."""
_FAST_MAX_TAGS = 100_000
"""More tags than this in sheetData go to expat, which streams (a form has a few hundred)."""
_ATTR_T = re.compile(rb'\st="([^"]*)"')
_ATTR_SI = re.compile(rb'\ssi="([^"]*)"')
_ATTR_S = re.compile(rb'\ss="([^"]*)"')
_COLUMNS: dict[bytes, int] = {}


_TEXTS: dict[bytes, str] = {}


def _xml_text(raw: bytes) -> str:
    """Element text as the XML means it (the five entities and character references).

    The form's labels come back in every return, often as character references (``&#22635;``),
    so short texts are remembered once decoded.
    """
    text = _TEXTS.get(raw)
    if text is not None:
        return text
    try:
        text = unescape_xml(raw.decode("utf-8"))
    except UnicodeDecodeError:
        corrupt("工作表中有无效的文字编码")
    if len(raw) <= 1024 and len(_TEXTS) < 20_000:
        _TEXTS[raw] = text
    return text


def _column(letters: bytes) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters:
            col = col * 26 + ch - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = col
    return col


def fast_scan(
    content: bytes, sheet_name: str, limits: ReadLimits, decoder: CellDecoder | None = None
) -> SheetScan | None:
    """The same scan as ``SheetScan`` for plain sheetData, or None when it is not plain."""
    if content.count(b"<sheetData") != 1 or content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    head = content[:200].lower()
    if b"encoding=" in head and b'encoding="utf-8"' not in head and b"encoding='utf-8'" not in head:
        return None
    start = content.find(b"<sheetData")
    close = content.find(b">", start)
    if close < 0:
        return None
    scan = SheetScan(sheet_name, limits, decoder)
    if content[close - 1 : close] == b"/":
        end = close + 1  # <sheetData/>
        body = b""
    else:
        end = content.find(b"</sheetData>", close)
        if end < 0 or content[start : close + 1] != b"<sheetData>":
            return None
        body = content[close + 1 : end]
    if not _plain_merges(scan, content[:start], content[end:]):
        return None
    if not body.strip():
        return scan
    if body.count(b"<") > _FAST_MAX_TAGS:
        return None
    tokens = _PLAIN_WHOLE.findall(body)
    # every byte of sheetData must belong to a plain token (tokens start with "<", text holds
    # none, so nothing can hide between them): the tokens' lengths add up to the whole
    if sum(map(len, tokens)) != len(body.rstrip()):
        return None
    if not _scan_cells(scan, tokens, limits, decoder):
        return None
    if scan.count and (scan.min_row < 0 or scan.max_row >= _MAX_ROW or scan.max_col >= _MAX_COL):
        return None  # let the careful path say what is wrong
    return scan


_Token = tuple[bytes, ...]
_Cell = tuple[int, int, str, str, str | None, str | None, object]
"""A cell token read: row, column, t, s, <v> text, inline text, and its value when that does not
depend on the workbook (``_DEPENDS`` when it does: shared strings, styled numbers)."""
_DEPENDS = object()
_NOTHING: _Cell = (0, 0, "", "", None, None, None)
"""A token that holds no value: a row, a self-closing cell, a cell with a style only."""
_CELLS: dict[bytes, _Cell] = {}
"""Cell tokens already read: most cells of a return (its labels) come back in every return."""
_CELLS_MAX = 50_000


def _scan_cells(
    scan: SheetScan, tokens: list[bytes], limits: ReadLimits, decoder: CellDecoder | None
) -> bool:
    """Extent, formulas, errors and (with a decoder) values of the cells that hold something.
    False when an attribute that is read is not written plainly (the sheet goes to expat)."""
    memo = _CELLS
    if len(memo) > _CELLS_MAX:
        memo.clear()
    rows: list[int] = []
    cols: list[int] = []
    values = scan.values
    time_styles = decoder.time_styles if decoder is not None else {}
    for whole in tokens:
        cell = memo.get(whole)
        if cell is None:
            parts = _PLAIN_TOKEN.match(whole)
            if parts is None or parts.end() != len(whole):  # cannot be: the same expression
                return False
            token = parts.groups(b"")  # as findall gives them: b"" for a part not there
            # a shared formula's text comes from its master: read each time, in order
            shared = bool(token[6]) and (b"shared" in token[7] or b"si" in token[7])
            got = _read_cell(token, scan if shared else None)
            if got is None:
                return False
            cell = got
            if not shared and len(whole) <= 512:
                memo[whole] = cell
        if cell is _NOTHING:
            continue
        row, col, t, s, v, _inline, fixed = cell
        pos = (row, col)
        rows.append(row)
        cols.append(col)
        if t == "e" and v:
            error = CellError(v)
            scan.errors[pos] = error
            if decoder is not None:
                values[pos] = error
            continue
        if type(fixed) is FormulaNoValue:
            scan.formulas[pos] = fixed
        if decoder is None:
            continue
        if fixed is not _DEPENDS:
            if fixed is not None:
                values[pos] = fixed  # type: ignore[assignment]
            continue
        if (not t or t == "n") and v and not (s and time_styles and int(s) in time_styles):
            value = _number(v, decoder, t, s, pos, scan.sheet_name)
        else:
            value = decoder.value(t, s, v, cell[5], pos, scan.sheet_name)
        if value is not None:
            values[pos] = value
    if len(rows) > limits.max_cells:
        _too_many_cells(scan.sheet_name, limits.max_cells)
    if rows:
        scan.count = len(rows)
        scan.min_row, scan.max_row = min(rows) - 1, max(rows) - 1
        scan.min_col, scan.max_col = min(cols) - 1, max(cols) - 1
    return True


def _number(
    v: str, decoder: CellDecoder, t: str, s: str, pos: _Pos, sheet: str
) -> CellValue | None:
    """A number cell's value, as ``plain_value`` gives it."""
    if _NUMBER_RE.fullmatch(v) is None:
        return decoder.value(t, s, v, None, pos, sheet)  # blanks, text, or says what is wrong
    return whole_or_float(float(v))


def _cell_attrs(token: _Token) -> tuple[str, str] | None:
    """A cell token's t and s; None when its other attributes are not written plainly."""
    s_raw, t_raw, attrs = token[3], token[4], token[5]
    t = t_raw.decode("ascii")
    s = s_raw.decode("ascii")
    if attrs:  # t or s written in another order, or after other attributes
        if _PLAIN_ATTRS.fullmatch(attrs) is None:
            return None
        if not t_raw:
            t_match = _ATTR_T.search(attrs)
            if t_match:
                t = t_match.group(1).decode("utf-8", "replace")
        if not s_raw:
            s_match = _ATTR_S.search(attrs)
            if s_match:
                s = s_match.group(1).decode("utf-8", "replace")
        if not s.isdigit():
            s = ""  # not a style number: no style, as the decoder takes it
    return t, s


def _read_cell(token: _Token, shared: SheetScan | None = None) -> _Cell | None:
    """A token read (``_NOTHING`` for a row or an empty cell); None when an attribute that is
    read is not written plainly. ``shared``: the scan whose shared formulas it may refer to."""
    if not (token[6] or token[9] or token[11]):
        return _NOTHING
    attrs = _cell_attrs(token)
    f_attrs = token[7]
    if attrs is None or (f_attrs and _PLAIN_ATTRS.fullmatch(f_attrs) is None):
        return None
    t, s = attrs
    row, col = int(token[2]), _column(token[1])
    v = _xml_text(token[10]) if token[9] else None
    inline = _xml_text(token[12]) if token[11] else None
    fixed: object = _DEPENDS  # decoded in the sheet's context, each time
    if token[6]:
        formula = "=" + _xml_text(token[8])
        if shared is not None:
            si_match = _ATTR_SI.search(f_attrs)
            si = si_match.group(1).decode("utf-8", "replace") if si_match else ""
            f_type = _ATTR_T.search(f_attrs)
            is_shared = f_type is not None and f_type.group(1) == b"shared"
            if is_shared and formula != "=":
                shared._shared[si] = ((row, col), formula[1:])
            formula = shared._formula_text((row, col), formula[1:], is_shared, si)
        if _saved_without_value(t, v, inline is not None):
            return row, col, t, s, v, inline, FormulaNoValue(formula)
    if t in ("inlineStr", "str", "b", "d"):
        fixed = _CONTEXT_FREE.value(t, s, v, inline, (row, col), "")
    elif t in ("", "n") and not s:
        if not v:
            fixed = None
        elif _FLOAT.fullmatch(v):
            fixed = whole_or_float(float(v))
    return row, col, t, s, v, inline, fixed


_CONTEXT_FREE = CellDecoder()
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


_MERGE_TAG = re.compile(rb"<(?:[\w.-]+:)?mergeCell[\s/>]")
_PLAIN_MERGE = re.compile(rb'<mergeCell ref="([A-Za-z0-9$:]{1,40})"\s*/>')


def _plain_merges(scan: SheetScan, *outside: bytes) -> bool:
    """Merged ranges from the XML outside sheetData; False when they are not written plainly."""
    for part in outside:
        if b"mergeCell" not in part:
            continue
        refs = _PLAIN_MERGE.findall(part)
        if len(refs) != len(_MERGE_TAG.findall(part)):
            return False
        for ref in refs:
            merged = _MERGES.get(ref)
            if merged is None:
                before = len(scan.merged)
                scan._merge(ref.decode("ascii"))
                if len(scan.merged) > before and len(_MERGES) < 20_000:
                    _MERGES[ref] = scan.merged[-1]
            else:
                scan.merged.append(merged)
    return True


_MERGES: dict[bytes, tuple[int, int, int, int]] = {}
