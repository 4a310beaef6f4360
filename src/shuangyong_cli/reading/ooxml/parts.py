"""The small XML parts of an OOXML package, parsed by an expat that refuses any DTD or entity.

``xl/workbook.xml`` (sheet names, states, 1904 dates), its relationships, ``sharedStrings.xml``
and ``styles.xml`` (which cell styles are date formats), plus the byte-level ``<!DOCTYPE``/
``<!ENTITY`` check every part passes before any reader sees it.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

from shuangyong_cli.model import message
from shuangyong_cli.reading.failures import RESAVE_NEW, corrupt, fail

_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XESC_RE = re.compile(
    r"_x([dD][89abAB][0-9A-Fa-f]{2})__x([dD][c-fC-F][0-9A-Fa-f]{2})_|_x([0-9A-Fa-f]{4})_"
)


MSG_XML_ENTITIES = message("file.xml_entities")


def refuse_dtd(name: str, content: bytes) -> None:
    probe = content
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:64]:
        probe = content.replace(b"\x00", b"")  # UTF-16: look at the ASCII letters
    elif b"<!" not in content:
        return  # every declaration starts so (a plain search, much faster than the pattern)
    if _DTD_RE.search(probe):
        fail("file.xml_entities", MSG_XML_ENTITIES.format(resave_new=RESAVE_NEW))


def _no_dtd(*_args: object) -> None:
    fail("file.xml_entities", MSG_XML_ENTITIES.format(resave_new=RESAVE_NEW))


def expat_parser(
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None] | None = None,
    chars: Callable[[str], None] | None = None,
) -> expat.XMLParserType:
    """A parser that refuses any DOCTYPE or entity declaration (whatever the encoding)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    return parser


def parse_xml(parser: expat.XMLParserType, content: bytes, what: str) -> None:
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        corrupt(message("file.corrupt", "xml_syntax").format(what=what, line=exc.lineno))


def _local(name: str) -> str:
    return name[name.find(":") + 1 :]


@dataclass
class WorkbookInfo:
    """What is read from the workbook part: its sheets and its date system."""

    sheets: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, state, relationship id) in workbook order."""
    date1904: bool = False


@functools.lru_cache(maxsize=64)  # returns made from one template share it; read-only
def parse_workbook(content: bytes) -> WorkbookInfo:
    book = WorkbookInfo()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            book.sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
        elif local == "workbookPr":
            book.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

    parse_xml(expat_parser(start), content, "xl/workbook.xml")
    return book


@functools.lru_cache(maxsize=64)  # as parse_workbook
def parse_rels(content: bytes, base: str = "xl") -> dict[str, tuple[str, str]]:
    """Relationship id → (part name in the zip, relationship type), internal targets only.

    A target is resolved against ``base``, the folder of the part the relationships belong to
    (``""`` for the package's own ``_rels/.rels``); one starting with ``/`` against the package
    root. Backslashes (written by some Windows tools) count as ``/``.
    """
    rels: dict[str, tuple[str, str]] = {}
    if not content:
        return rels

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = resolve_target(base, attrs.get("Target", ""))
        rels[attrs.get("Id", "")] = (target, attrs.get("Type", ""))

    parse_xml(expat_parser(start), content, f"{base}/_rels" if base else "_rels/.rels")
    return rels


def resolve_target(base: str, target: str) -> str:
    """A relationship's target as a part name in the zip (no leading ``/``)."""
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


def unescape_x(text: str) -> str:
    """OOXML writes control characters as ``_x0001_``, and some writers a character beyond the
    BMP as the escapes of its two UTF-16 halves (``_xD83D__xDE00_`` for 😀): one character.
    A half alone cannot be a character: it stays as written (as calamine leaves it)."""
    if "_x" not in text:
        return text
    return _XESC_RE.sub(_x_char, text)


def _x_char(match: re.Match[str]) -> str:
    high, low, code = match.groups()
    if high is not None:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    value = int(code, 16)
    return match.group(0) if 0xD800 <= value <= 0xDFFF else chr(value)


def parse_shared_strings(content: bytes) -> list[str]:
    """The shared strings in order: each item's text (its runs joined, phonetic guides left
    out), read by regular expressions when the part is written plainly, else by expat."""
    plain = _plain_shared_strings(content)
    return plain if plain is not None else _expat_shared_strings(content)


_SST_OPEN = re.compile(rb"<([A-Za-z_][\w.-]*:)?sst(?:\s[^<>]*?)?(/?)>")
_SST_ITEM_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?([A-Za-z]+)(?:\s[^<>]*?)?(/?)>")
_SST_ITEM_PARTS = {b"si", b"t", b"r", b"rPr", b"rPh", b"phoneticPr"}
_RUN_PROPERTIES = {b"b", b"i", b"u", b"strike", b"sz", b"color", b"rFont", b"family"}
_RUN_PROPERTIES |= {b"charset", b"scheme", b"vertAlign", b"outline", b"shadow", b"condense"}
_RUN_PROPERTIES |= {b"extend"}
_SST_TEXTS: dict[bytes, str] = {}
"""Shared-string items already read, by their XML: a form's labels come back in every return
(LibreOffice writes a long note as a run per font change: a kilobyte or more)."""
_SST_MEMO_BYTES = 4 << 20
_sst_memo_size = 0


@functools.lru_cache(maxsize=8)
def _sst_items(prefix: bytes) -> re.Pattern[bytes]:
    p = re.escape(prefix)
    return re.compile(
        rb"\s*<" + p + rb"si\s*(?:/>|>(?:[^<]*<(?!/" + p + rb"si[\s>]))*[^<]*</" + p + rb"si\s*>)"
    )


def _plain_shared_strings(content: bytes) -> list[str] | None:
    """The items cut by one regular expression (in C), each distinct item read once; None when
    the part is not plain (another encoding, comments, CDATA, anything but items in sst)."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"<!" in content:
        return None
    head = content[:200].lower()
    if b"encoding=" in head and b'encoding="utf-8"' not in head and b"encoding='utf-8'" not in head:
        return None
    opening = _SST_OPEN.search(content)
    if opening is None:
        return None
    prefix = opening.group(1) or b""
    if opening.group(2):  # <sst/>
        return []
    end = content.rfind(b"</" + prefix + b"sst")
    if end < opening.end():
        return None
    body = content[opening.end() : end]
    items = _sst_items(prefix).findall(body)
    if sum(map(len, items)) != len(body.rstrip()):
        return None
    global _sst_memo_size
    strings: list[str] = []
    memo = _SST_TEXTS
    for item in items:
        text = memo.get(item)
        if text is None:
            read = _sst_item(item)
            if read is None:
                return None
            text = read
            if len(item) <= 64 * 1024:
                if _sst_memo_size + len(item) > _SST_MEMO_BYTES:
                    memo.clear()
                    _sst_memo_size = 0
                memo[item] = text
                _sst_memo_size += len(item)
        strings.append(text)
    return strings


def _sst_item(item: bytes) -> str | None:
    """One ``<si>``'s text as expat reads it (see ``_expat_shared_strings``); None for anything
    unexpected inside (the part goes to expat)."""
    texts: list[bytes] = []
    rph = 0
    in_t = False
    at = 0
    for tag in _SST_ITEM_TAG.finditer(item):
        between = item[at : tag.start()]
        at = tag.end()
        if in_t:
            texts.append(between)
        elif between.strip() and not rph:
            return None  # text outside <t>: not plain
        closing, name, empty = tag.group(1), tag.group(2), tag.group(3)
        if name not in _SST_ITEM_PARTS and name not in _RUN_PROPERTIES:
            return None
        if closing:
            if name == b"t":
                in_t = False
            elif name == b"rPh":
                rph -= 1
        elif name == b"rPh" and not empty:
            rph += 1
        elif name == b"t" and not empty and not rph:
            in_t = True
    if at != len(item) or in_t or rph:
        return None
    raw = b"".join(texts)
    if b"\r" in raw:  # line ends as an XML parser gives them
        raw = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        return unescape_x(unescape_xml(raw.decode("utf-8")))
    except UnicodeDecodeError:
        return None


def _expat_shared_strings(content: bytes) -> list[str]:
    strings: list[str] = []
    state = {"in_si": False, "rph": 0, "in_t": False}
    parts: list[str] = []

    def start(name: str, _attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            state["in_si"] = True
            parts.clear()
        elif local == "rPh":
            state["rph"] += 1
        elif local == "t" and state["in_si"] and not state["rph"]:
            state["in_t"] = True

    def end(name: str) -> None:
        local = _local(name)
        if local == "si":
            strings.append(unescape_x("".join(parts)))
            state["in_si"] = False
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "t":
            state["in_t"] = False

    def chars(text: str) -> None:
        if state["in_t"]:
            parts.append(text)

    parse_xml(expat_parser(start, end, chars), content, "xl/sharedStrings.xml")
    return strings


BUILTIN_TIME_FORMATS = {
    n: "date" for n in (*range(14, 23), *range(27, 37), 45, 47, *range(50, 59))
} | {46: "duration"}
"""Built-in number formats that show a date or time, and ``[h]:mm:ss`` (a duration), as calamine
knows them. 27-36 and 50-58 are the East Asian dates and times Chinese Excel and WPS write
without defining them (31 is ``yyyy"年"m"月"d"日"``, 32 ``h"时"mm"分"``); calamine and xlrd read
them as dates in .xls and .xlsx alike."""


def format_kind(code: str) -> str | None:
    """``"date"`` when a number format shows a date or time, ``"duration"`` for ``[h]``-style
    elapsed time, None for a number; by calamine's rules, so .xlsx values match its reading.

    Only the first section counts; text in quotes and the character after ``\\``, ``_`` or
    ``*`` are literal; inside ``[...]`` nothing is a date part, but a bracket holding only h, m or
    s (``[h]``, ``[mm]``) is a duration; after an ``a`` (AM/PM) only ``m``, ``p`` and ``/`` mark a
    date.
    """
    literal_next = quoted = am_pm = elapsed = False
    depth = 0
    prev = " "
    for ch in code:
        lower = ch.lower()
        if literal_next:
            literal_next = False
        elif ch in "\\_*":
            literal_next = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return None
        elif ch == "[":
            depth += 1
        elif ch == "]":
            if depth == 1 and elapsed:
                return "duration"
            depth = max(depth - 1, 0)
        elif depth == 0 and not am_pm and lower == "a":
            am_pm = True
        elif depth == 0 and lower in ("pm/" if am_pm else "dmhys"):
            return "date"
        elif not (elapsed and lower == prev.lower()):
            elapsed = prev == "[" and lower in "hms"
        prev = ch
    return None


@dataclass
class Styles:
    time_xfs: dict[int, str] = field(default_factory=dict)
    """Cell style index → ``"date"`` or ``"duration"``, for the styles whose numbers are times."""


@functools.lru_cache(maxsize=32)
def parse_styles(content: bytes) -> Styles:
    """Which cell styles (``s``) are date formats. Returns sent out from one template and saved by
    the same program carry the same styles part, so the answer is remembered by its bytes."""
    if not content:
        return Styles()
    plain = _plain_styles(content)
    formats, xf_formats = plain if plain is not None else _expat_styles(content)
    kinds: dict[int, str] = {}
    for index, fmt_id in enumerate(xf_formats):
        code = formats.get(fmt_id)
        kind = format_kind(code) if code is not None else BUILTIN_TIME_FORMATS.get(fmt_id)
        if kind is not None:
            kinds[index] = kind
    return Styles(kinds)


_STYLE_PREFIXED = re.compile(rb"<[\w.-]+:(?:numFmts?|cellXfs|xf)[\s/>]")
_NUMFMT_TAG = re.compile(rb"<numFmt[\s/>][^>]*>")
_XF_TAG = re.compile(rb"<xf[\s/>][^>]*>")
_CELL_XFS = re.compile(rb"<cellXfs[\s>]")
_NUMFMTS = re.compile(rb"<numFmts[\s>]")
_ATTR_VALUE = {
    name: re.compile(rb"\s" + name.encode() + rb'\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
    for name in ("numFmtId", "formatCode")
}


def _attr(tag: bytes, name: str) -> str | None:
    match = _ATTR_VALUE[name].search(tag)
    if match is None:
        return None
    raw = match.group(1) if match.group(1) is not None else match.group(2)
    return unescape_xml(raw.decode("utf-8", "replace"))


_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def unescape_xml(text: str) -> str:
    """Text as the XML means it: the five entities and character references replaced (what
    expat does when it parses; for the parts read by regular expressions)."""
    if "&" not in text:
        return text
    return _ENTITY.sub(_entity, text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] != "#":
        return _NAMED[name]
    code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
    if not 0 < code < 0x110000:
        corrupt(message("file.corrupt", "char_reference"))
    return chr(code)


def _plain_styles(content: bytes) -> tuple[dict[int, str], list[int]] | None:
    """The number formats and cell styles read by regular expressions, when the part is written
    plainly (UTF-8, no prefixes or comments, one cellXfs); None sends it to expat."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"<!--" in content:
        return None
    if _STYLE_PREFIXED.search(content):
        return None
    head = content[:200].lower()
    if b"encoding=" in head and b'encoding="utf-8"' not in head and b"encoding='utf-8'" not in head:
        return None
    found = _CELL_XFS.findall(content)
    if len(found) > 1:
        return None
    formats: dict[int, str] = {}
    # only the workbook's number formats: a dxf (conditional format) has its own <numFmt>,
    # often with the same id, which must not change what a cell's style shows
    if len(_NUMFMTS.findall(content)) > 1:
        return None
    numfmts = _NUMFMTS.search(content)
    numfmts_end = content.find(b"</numFmts>", numfmts.end()) if numfmts is not None else -1
    if numfmts is not None and numfmts_end >= 0:
        for tag in _NUMFMT_TAG.findall(content, numfmts.end(), numfmts_end):
            fmt_id = _attr(tag, "numFmtId")
            if fmt_id is not None and fmt_id.isdigit():
                formats[int(fmt_id)] = _attr(tag, "formatCode") or ""
    xf_formats: list[int] = []
    if found:
        start = _CELL_XFS.search(content)
        assert start is not None
        end = content.find(b"</cellXfs>", start.end())
        if end < 0:
            return None  # <cellXfs/> or broken: expat says which
        for tag in _XF_TAG.findall(content, start.end(), end):
            fmt_id = _attr(tag, "numFmtId")
            xf_formats.append(int(fmt_id) if fmt_id is not None and fmt_id.isdigit() else 0)
    return formats, xf_formats


def _expat_styles(content: bytes) -> tuple[dict[int, str], list[int]]:
    formats: dict[int, str] = {}
    xf_formats: list[int] = []
    depth = {"cellXfs": 0, "numFmts": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local in depth:
            depth[local] += 1
        elif local == "numFmt" and depth["numFmts"]:
            fmt_id = attrs.get("numFmtId", "")
            if fmt_id.isdigit():
                formats[int(fmt_id)] = attrs.get("formatCode", "")
        elif local == "xf" and depth["cellXfs"]:
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)

    def end(name: str) -> None:
        local = _local(name)
        if local in depth:
            depth[local] -= 1

    parse_xml(expat_parser(start, end), content, "xl/styles.xml")
    return formats, xf_formats
