"""Reading a worksheet's plain sheetData with regular expressions (``fast_scan``), into the
same ``SheetScan`` as ``sheet_expat`` fills, or None to leave the sheet to it.

sheetData is cut into tokens by one regular expression (in C): a row's start tag,
its end tag, or a whole cell. Every producer's cells fit it: one namespace prefix or none,
attributes in any order and either quoting, blanks between any two tags and inside tags, cells
with or without r and s, self-closing or not, with a formula, a value and an inline string (in
the schema's order). When the tokens add up to the whole of sheetData, each distinct token is
read once (most of a return's tokens, its labels, come back in every return) and the cells are
placed as SheetScan places them: a cell without r after the one before, in the row of the last
row tag. Anything else (comments, rich inline text, a '>' inside a value, prefixes that change
within sheetData) goes to expat.
"""

from __future__ import annotations

import functools
import re

from shuangyong_cli.model import CellError, CellValue, FormulaNoValue, message
from shuangyong_cli.reading.calamine import whole_or_float
from shuangyong_cli.reading.failures import corrupt
from shuangyong_cli.reading.limits import ReadLimits
from shuangyong_cli.reading.ooxml.cell_values import (
    NUMBER_RE,
    CellDecoder,
    Pos,
    saved_without_value,
)
from shuangyong_cli.reading.ooxml.parts import unescape_xml
from shuangyong_cli.reading.ooxml.sheet_expat import (
    MAX_COL,
    MAX_ROW,
    REF_RE,
    SheetScan,
    too_many_cells,
)

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
        corrupt(message("file.corrupt", "string_encoding"))
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
    if scan.count and (scan.min_row < 0 or scan.max_row >= MAX_ROW or scan.max_col >= MAX_COL):
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
    False when a token is not written plainly after all (the sheet goes to expat).

    Long because this is the loop run for every cell of every return: decoding a cell's value
    in a function of its own (``_cell_value``, one call per cell) made ``read_grid`` 2% slower
    per file on the bench corpus (``bench/per_producer.py``, 350 files of the 8 producers, 3
    interleaved runs against the unsplit loop: 0.648–0.658 → 0.664–0.673 ms), so the cell's
    value is decoded inline; the rare steps (a new token, a shared formula, the extent) are
    helpers.
    """
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
            tok = _read_new_token(whole, parts, memo)
            if tok is None:
                return False
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
            fixed = _shared_formula(scan, pos, shared, fixed)
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
    _set_extent(scan, rows, cols, limits)
    return True


def _read_new_token(whole: bytes, parts: re.Pattern[bytes], memo: dict[bytes, _Tok]) -> _Tok | None:
    """A token not seen before, read (``_simple_number`` or ``_read_token``) and remembered when
    it is short."""
    tok = _simple_number(whole)
    if tok is None:
        tok = _read_token(whole, parts)
    if tok is not None and len(whole) <= 512:
        memo[whole] = tok
    return tok


_SIMPLE_NUMBER = re.compile(
    rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([sn])")?>'
    rb"(?:<f>[^<&\x80-\xff]*</f>)?<v>([0-9][0-9.eE+-]{0,39}|-[0-9][0-9.eE+-]{0,38})</v></c>"
)
"""The cell most returns are made of, in the shape openpyxl, XlsxWriter and LibreOffice write
it: a number (or a shared string's index) with its address, perhaps a style, and perhaps a
formula saved with its value. Its values (a new one in every return) are read without the
general expression; anything else, or a match ``_read_token`` would read otherwise (an address
outside the sheet), goes to ``_read_token``."""


def _simple_number(whole: bytes) -> _Tok | None:
    """A plain number cell read as ``_read_token`` reads it, or None to leave it to that."""
    m = _SIMPLE_NUMBER.fullmatch(whole)
    if m is None:
        return None
    letters, digits, style, kind, text = m.groups()
    r, c = int(digits), _column(letters)
    if r > MAX_ROW or c > MAX_COL:
        return None
    t = "" if kind is None else kind.decode("ascii")
    s = "" if style is None else style.decode("ascii")
    v = text.decode("ascii")
    fixed: object = _DEPENDS
    if (not t or t == "n") and not s and _FLOAT.fullmatch(v):
        fixed = whole_or_float(float(v))
    return (_CELL, r, c, t, s, v, None, fixed, None)


def _shared_formula(
    scan: SheetScan, pos: Pos, shared: tuple[str, str, bool], fixed: object
) -> object:
    """A shared formula cell at ``pos``: its group remembered when it is the group's first, and
    its ``FormulaNoValue`` (shifted from the first) when it was saved without its value."""
    si, text, first = shared
    if first:
        scan.shared_formulas[si] = (pos, text)
    if fixed is _SHARED_NO_VALUE:
        return FormulaNoValue(scan.formula_text(pos, text, True, si))
    return fixed


def _set_extent(scan: SheetScan, rows: list[int], cols: list[int], limits: ReadLimits) -> None:
    """The count and extent (0-based) of the cells found at ``rows``/``cols`` (1-based)."""
    if len(rows) > limits.max_cells:
        too_many_cells(scan.sheet_name, limits.max_cells)
    if rows:
        scan.count = len(rows)
        scan.min_row, scan.max_row = min(rows) - 1, max(rows) - 1
        scan.min_col, scan.max_col = min(cols) - 1, max(cols) - 1


def _number(v: str, decoder: CellDecoder, t: str, s: str, pos: Pos, sheet: str) -> CellValue | None:
    """A number cell's value, as ``plain_value`` gives it."""
    if NUMBER_RE.fullmatch(v) is None:
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
        return _row_token(row_attrs, bool(m.group("row_empty")))
    return _cell_token(m)


def _row_token(attrs: bytes, empty: bool) -> _Tok | None:
    """A row's start tag (``empty``: ``<row/>``) read: its r, 0 without one."""
    kind = _ROW_EMPTY if empty else _ROW
    ref = _attributes(attrs).get(b"r")
    if ref is None:
        return (kind, 0, 0, "", "", None, None, None, None)
    if not ref.isdigit() or not 1 <= int(ref) <= MAX_ROW:
        return None
    return (kind, int(ref), 0, "", "", None, None, None, None)


def _cell_token(m: re.Match[bytes]) -> _Tok | None:
    """A cell read from the strict expression's match."""
    attrs = _attributes(m.group("c"))
    r = c = 0
    ref = attrs.get(b"r")
    if ref is not None:
        found = REF_RE.fullmatch(ref.decode("ascii", "replace"))
        if found is None:
            return None
        letters, digits = found.groups()
        r, c = int(digits), _column(letters.upper().encode("ascii"))
        if not (1 <= r <= MAX_ROW and 1 <= c <= MAX_COL):
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
        formula = _formula_token(m, r, t, v, inline)
        if formula is None:
            return None
        fixed, shared = formula
        if fixed is not _DEPENDS:  # saved without its value
            return (_CELL, r, c, t, s, v, inline, fixed, shared)
    if t in ("inlineStr", "str", "b", "d"):
        fixed = _CONTEXT_FREE.value(t, s, v, inline, (r, c), "")
    elif t in ("", "n") and not s:
        if not v:
            fixed = None
        elif _FLOAT.fullmatch(v):
            fixed = whole_or_float(float(v))
    return (_CELL, r, c, t, s, v, inline, fixed, shared)


def _formula_token(
    m: re.Match[bytes], r: int, t: str, v: str | None, inline: str | None
) -> tuple[object, tuple[str, str, bool] | None] | None:
    """A formula cell's fixed value (``_DEPENDS`` when it was saved with its value) and its
    shared group; None for a shared formula in a cell without r."""
    text = _xml_text(m.group("f_text") or b"")
    f_attrs = _attributes(m.group("f_attrs"))
    no_value = saved_without_value(t, v, inline is not None)
    fixed: object = _DEPENDS
    shared: tuple[str, str, bool] | None = None
    if f_attrs.get(b"t") == b"shared":
        if not r:
            return None  # its place is known only in the sheet: expat reads it
        si = f_attrs.get(b"si", b"").decode("utf-8", "replace")
        shared = (si, text, bool(text))
        if no_value:
            fixed = _SHARED_NO_VALUE
    elif no_value:
        fixed = FormulaNoValue("=" + text)
    return fixed, shared


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
                scan.merge(ref.decode("ascii"))
                if len(scan.merged) > before and len(_MERGES) < 20_000:
                    _MERGES[ref] = scan.merged[-1]
            else:
                scan.merged.append(merged)
    return True


_MERGES: dict[bytes, tuple[int, int, int, int]] = {}
