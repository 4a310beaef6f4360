"""Reading one OOXML worksheet: its cells' values and extent, formulas saved without a value,
error cells and merged ranges.

Two scans give the same result: ``fast_scan`` reads sheetData of the plain shape every mainstream
writer produces with regular expressions; ``SheetScan`` walks any other sheetData with expat. Cell
positions and values follow calamine's rules (a cell without ``r`` follows the previous one, a row
without ``r`` the previous one, self-closing or not; a date style makes a number a date), so a
sheet reads here as calamine would read it, without ever building calamine's dense range.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NoReturn
from xml.parsers import expat

from shuangyong_cli.model import CellError, CellValue, FormulaNoValue, UnreadableFileError, a1
from shuangyong_cli.reading.calamine import (
    plain_value,
    serial_to_date,
    serial_to_duration,
    whole_or_float,
)
from shuangyong_cli.reading.failures import corrupt, fail
from shuangyong_cli.reading.limits import ReadLimits
from shuangyong_cli.reading.ooxml.parts import expat_parser, parse_xml, unescape_x, unescape_xml

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
        self.formulas: dict[_Pos, FormulaNoValue] = {}
        self.errors: dict[_Pos, CellError] = {}
        self.values: dict[_Pos, CellValue] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self._shared: dict[str, tuple[_Pos, str]] = {}
        self._parser: expat.XMLParserType | None = None
        self._in_data = False
        self._row = 0  # 0-based, as calamine counts
        self._col = 0
        self._cell: _Pos | None = None
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


# The fast path. sheetData is cut into tokens by one regular expression (in C): a row's start tag,
# its end tag, or a whole cell. Every producer's cells fit it: one namespace prefix or none,
# attributes in any order and either quoting, blanks between any two tags and inside tags, cells
# with or without r and s, self-closing or not, with a formula, a value and an inline string (in
# the schema's order). When the tokens add up to the whole of sheetData, each distinct token is
# read once (most of a return's tokens, its labels, come back in every return) and the cells are
# placed as SheetScan places them: a cell without r after the one before, in the row of the last
# row tag. Anything else (comments, rich inline text, a '>' inside a value, prefixes that change
# within sheetData) goes to expat.
_ATTR = rb"""\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<>&]*"|'[^'<>&]*')"""
_ATTRS = rb"(?:" + _ATTR + rb")*\s*"
_ATTR_PARTS = re.compile(rb"""([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_FAST_MAX_TAGS = 100_000
"""More tags than this in sheetData go to expat, which streams (a form has a few hundred)."""
_SHEET_DATA = re.compile(rb"<([A-Za-z_][\w.-]*:)?sheetData\s*(/?)>")


@functools.lru_cache(maxsize=8)
def _token_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """The expressions for sheetData written with ``prefix`` (``b""`` or ``b"x:"``): a token
    read strictly, its parts as named groups; and a loose one that only cuts sheetData into
    tokens (``findall``, one bytes object per token, at C speed). A token is read strictly the
    first time it is seen; one that does not fit sends the sheet to expat."""
    p = re.escape(prefix)

    def end(name: bytes) -> bytes:
        return rb"</" + p + name + rb"\s*>"

    strict = (
        rb"\s*(?:<" + p + rb"c(?P<c>" + _ATTRS + rb")(?:(?P<c_empty>/)>|>"
        rb"\s*(?P<f><"
        + p
        + rb"f(?P<f_attrs>"
        + _ATTRS
        + rb")(?:/>|>(?P<f_text>[^<]*)"
        + end(b"f")
        + rb"))?"
        rb"\s*(?P<v><" + p + rb"v" + _ATTRS + rb"(?:/>|>(?P<v_text>[^<]*)" + end(b"v") + rb"))?"
        rb"\s*(?P<is><"
        + p
        + rb"is\s*>\s*<"
        + p
        + rb"t"
        + _ATTRS
        + rb"(?:/>|>(?P<is_text>[^<]*)"
        + end(b"t")
        + rb")\s*"
        + end(b"is")
        + rb")?"
        rb"\s*" + end(b"c") + rb")"
        rb"|<" + p + rb"row(?P<row>" + _ATTRS + rb")(?P<row_empty>/?)>"
        rb"|(?P<row_end>" + end(b"row") + rb"))"
    )
    # a cell: its tag, then anything up to its end tag; a row's start or end tag. A "/" inside a
    # cell's attributes (never written there) sends the sheet to expat.
    loose = (
        rb"\s*<(?:"
        + p
        + rb"c[^<>/]*(?:/>|>(?:[^<]*<(?!/"
        + p
        + rb"c[\s>]))*[^<]*"
        + end(b"c")
        + rb")|"
        + p
        + rb"row[^<>]*>|/"
        + p
        + rb"row\s*>)"
    )
    return re.compile(strict), re.compile(loose)


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


def fast_scan(
    content: bytes, sheet_name: str, limits: ReadLimits, decoder: CellDecoder | None = None
) -> SheetScan | None:
    """The same scan as ``SheetScan`` for sheetData made of plain tokens, or None otherwise."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    head = content[:200].lower()
    if b"encoding=" in head and b'encoding="utf-8"' not in head and b"encoding='utf-8'" not in head:
        return None
    if not 1 <= content.count(b"sheetData") <= 2:  # <sheetData/>, or its start and end tags
        return None
    opening = _SHEET_DATA.search(content)
    if opening is None:
        return None
    prefix = opening.group(1) or b""
    scan = SheetScan(sheet_name, limits, decoder)
    start = opening.start()
    if opening.group(2):  # <sheetData/>
        end = opening.end()
        body = b""
    else:
        end = content.find(b"</" + prefix + b"sheetData>", opening.end())
        if end < 0:
            return None
        body = content[opening.end() : end]
    if not _plain_merges(scan, content[:start], content[end:]):
        return None
    if not body.strip():
        return scan
    if body.count(b"<") > _FAST_MAX_TAGS:
        return None
    parts, whole = _token_patterns(prefix)
    tokens = whole.findall(body)
    # every byte of sheetData must belong to a plain token (tokens start with "<", text holds
    # none, so nothing can hide between them): the tokens' lengths add up to the whole
    if sum(map(len, tokens)) != len(body.rstrip()):
        return None
    if not _scan_tokens(scan, tokens, parts, limits, decoder):
        return None
    if scan.count and (scan.min_row < 0 or scan.max_row >= _MAX_ROW or scan.max_col >= _MAX_COL):
        return None  # let the careful path say what is wrong
    return scan


# What a token is (the first item of a token read):
_CELL = 0
"""A cell with something inside (a value, a formula, an inline string, or only an empty <v/>)."""
_EMPTY = 1
"""<c .../> or <c ...></c>: holds nothing, but the next cell without r comes after it."""
_ROW = 2
_ROW_END = 3
_ROW_EMPTY = 4
"""<row .../>: the next row without r comes after it, as calamine counts."""

_Tok = tuple[int, int, int, str, str, str | None, str | None, object, tuple[str, str, bool] | None]
"""A token read: kind, row and column from r (0 without r; a row's r in the row), t, s, <v> text,
inline text, its value when that does not depend on the workbook (``_DEPENDS`` when it does:
shared strings, styled numbers; ``_SHARED_NO_VALUE`` for a shared formula saved without its
value), and for a shared formula (its group si, its text, whether it is the group's first)."""
_DEPENDS = object()
_SHARED_NO_VALUE = object()
_ROW_END_TOKEN: _Tok = (_ROW_END, 0, 0, "", "", None, None, None, None)
_TOKENS: dict[bytes, _Tok] = {}
"""Tokens already read: most cells of a return (its labels) come back in every return."""
_TOKENS_MAX = 50_000


def _scan_tokens(
    scan: SheetScan,
    tokens: list[bytes],
    parts: re.Pattern[bytes],
    limits: ReadLimits,
    decoder: CellDecoder | None,
) -> bool:
    """Extent, formulas, errors and (with a decoder) values of the cells that hold something.
    False when a token is not written plainly after all (the sheet goes to expat)."""
    memo = _TOKENS
    if len(memo) > _TOKENS_MAX:
        memo.clear()
    rows: list[int] = []
    cols: list[int] = []
    values = scan.values
    time_styles = decoder.time_styles if decoder is not None else {}
    strings = decoder.strings if decoder is not None else []
    row = col = 1  # where a cell without r goes (1-based)
    for whole in tokens:
        tok = memo.get(whole)
        if tok is None:
            got = _read_token(whole, parts)
            if got is None:
                return False
            tok = got
            if len(whole) <= 512:
                memo[whole] = tok
        kind, r, c, t, s, v, inline, fixed, shared = tok
        if kind == _CELL:
            pos = (r, c) if r else (row, col)
            col = pos[1] + 1
        elif kind == _EMPTY:
            col = (c if r else col) + 1
            continue
        elif kind == _ROW_END:
            row += 1
            col = 1
            continue
        elif kind == _ROW:
            if r:
                row = r
            continue
        else:  # _ROW_EMPTY
            row = (r or row) + 1
            col = 1
            continue
        rows.append(pos[0])
        cols.append(pos[1])
        if shared is not None:
            si, text, first = shared
            if first:
                scan._shared[si] = (pos, text)
            if fixed is _SHARED_NO_VALUE:
                fixed = FormulaNoValue(scan._formula_text(pos, text, True, si))
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
        if t == "s" and v and v.isdigit() and int(v) < len(strings):
            text = strings[int(v)]
            if text:
                values[pos] = text
            continue
        if (not t or t == "n") and v and not (s and time_styles and int(s) in time_styles):
            value = _number(v, decoder, t, s, pos, scan.sheet_name)
        else:
            value = decoder.value(t, s, v, inline, pos, scan.sheet_name)
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


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    """A tag's attributes (written plainly: the token expression checked them)."""
    return {m[1]: m[2] if m[2] is not None else m[3] for m in _ATTR_PARTS.finditer(raw)}


def _read_token(whole: bytes, parts: re.Pattern[bytes]) -> _Tok | None:
    """A token read; None when it cannot be read here after all (an r that is no cell address,
    a shared formula in a cell without r)."""
    m = parts.match(whole)
    if m is None or m.end() != len(whole):  # cannot be: the same expression
        return None
    if m.group("row_end") is not None:
        return _ROW_END_TOKEN
    row_attrs = m.group("row")
    if row_attrs is not None:
        kind = _ROW_EMPTY if m.group("row_empty") else _ROW
        ref = _attributes(row_attrs).get(b"r")
        if ref is None:
            return (kind, 0, 0, "", "", None, None, None, None)
        if not ref.isdigit() or not 1 <= int(ref) <= _MAX_ROW:
            return None
        return (kind, int(ref), 0, "", "", None, None, None, None)
    attrs = _attributes(m.group("c"))
    r = c = 0
    ref = attrs.get(b"r")
    if ref is not None:
        found = _REF_RE.fullmatch(ref.decode("ascii", "replace"))
        if found is None:
            return None
        letters, digits = found.groups()
        r, c = int(digits), _column(letters.upper().encode("ascii"))
        if not (1 <= r <= _MAX_ROW and 1 <= c <= _MAX_COL):
            return None
    if m.group("c_empty") or (m.group("f") or m.group("v") or m.group("is")) is None:
        return (_EMPTY, r, c, "", "", None, None, None, None)
    t = attrs.get(b"t", b"").decode("utf-8", "replace")
    s = attrs.get(b"s", b"").decode("utf-8", "replace")
    if not s.isdigit():
        s = ""  # not a style number: no style, as the decoder takes it
    v = _xml_text(m.group("v_text")) if m.group("v_text") is not None else None
    if v is None and m.group("v") is not None:
        v = ""  # <v/>
    inline = None
    if m.group("is") is not None:
        inline = _xml_text(m.group("is_text") or b"")
    fixed: object = _DEPENDS  # decoded in the sheet's context, each time
    shared: tuple[str, str, bool] | None = None
    if m.group("f") is not None:
        text = _xml_text(m.group("f_text") or b"")
        f_attrs = _attributes(m.group("f_attrs"))
        no_value = _saved_without_value(t, v, inline is not None)
        if f_attrs.get(b"t") == b"shared":
            if not r:
                return None  # its place is known only in the sheet: expat reads it
            si = f_attrs.get(b"si", b"").decode("utf-8", "replace")
            shared = (si, text, bool(text))
            if no_value:
                fixed = _SHARED_NO_VALUE
        elif no_value:
            fixed = FormulaNoValue("=" + text)
        if no_value:
            return (_CELL, r, c, t, s, v, inline, fixed, shared)
    if t in ("inlineStr", "str", "b", "d"):
        fixed = _CONTEXT_FREE.value(t, s, v, inline, (r, c), "")
    elif t in ("", "n") and not s:
        if not v:
            fixed = None
        elif _FLOAT.fullmatch(v):
            fixed = whole_or_float(float(v))
    return (_CELL, r, c, t, s, v, inline, fixed, shared)


def _column(letters: bytes) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters:
            col = col * 26 + ch - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = col
    return col


_CONTEXT_FREE = CellDecoder()
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


_MERGE_TAG = re.compile(rb"<(?:[\w.-]+:)?mergeCell[\s/>]")
_PLAIN_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref\s*=\s*[\"']([A-Za-z0-9$:]{1,40})[\"']\s*/>"
)


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
