"""The small XML parts of an OOXML package, parsed by an expat that refuses any DTD or entity.

``xl/workbook.xml`` (sheet names, states, 1904 dates), its relationships, ``sharedStrings.xml``
and ``styles.xml`` (which cell styles are date formats), plus the byte-level ``<!DOCTYPE``/
``<!ENTITY`` check every part passes before any reader sees it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

from .read_errors import RESAVE_NEW, corrupt, fail

_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def refuse_dtd(name: str, content: bytes) -> None:
    probe = content
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:64]:
        probe = content.replace(b"\x00", b"")  # UTF-16: look at the ASCII letters
    if _DTD_RE.search(probe):
        fail(
            "file.xml_entities",
            f"文件含有不安全的 XML 声明（可能是恶意文件），已拒绝读取；{RESAVE_NEW}",
        )


def _no_dtd(*_args: object) -> None:
    fail(
        "file.xml_entities",
        f"文件含有不安全的 XML 声明（可能是恶意文件），已拒绝读取；{RESAVE_NEW}",
    )


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
        corrupt(f"{what} 的 XML 格式有误（第 {exc.lineno} 行）")


def _local(name: str) -> str:
    return name[name.find(":") + 1 :]


@dataclass
class _Workbook:
    sheets: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, state, relationship id) in workbook order."""
    date1904: bool = False


def parse_workbook(content: bytes) -> _Workbook:
    book = _Workbook()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            book.sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
        elif local == "workbookPr":
            book.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

    parse_xml(expat_parser(start), content, "xl/workbook.xml")
    return book


def parse_rels(content: bytes) -> dict[str, tuple[str, str]]:
    """Relationship id → (part name in the zip, relationship type)."""
    rels: dict[str, tuple[str, str]] = {}
    if not content:
        return rels

    def start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "").replace("\\", "/")
        part = target[1:] if target.startswith("/") else posixpath.normpath("xl/" + target)
        rels[attrs.get("Id", "")] = (part, attrs.get("Type", ""))

    parse_xml(expat_parser(start), content, "xl/_rels/workbook.xml.rels")
    return rels


def unescape_x(text: str) -> str:
    """OOXML writes control characters as ``_x0001_``."""
    if "_x" not in text:
        return text
    return _XESC_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def parse_shared_strings(content: bytes) -> list[str]:
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


_BUILTIN_DATE_FORMATS = frozenset(range(14, 23)) | frozenset(range(45, 48))
_BUILTIN_DATE_FORMATS |= frozenset(range(27, 37)) | frozenset(range(50, 59))  # CJK dates
_FORMAT_NOISE_RE = re.compile(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]|_.|\*.', re.IGNORECASE)


def _is_date_format(code: str) -> bool:
    cleaned = _FORMAT_NOISE_RE.sub("", code).lower()
    return any(ch in cleaned for ch in "dmyhs") and "general" not in cleaned


@dataclass
class Styles:
    date_xfs: frozenset[int] = frozenset()


def parse_styles(content: bytes) -> Styles:
    if not content:
        return Styles()
    formats: dict[int, str] = {}
    xf_formats: list[int] = []
    depth = {"cellXfs": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "numFmt":
            fmt_id = attrs.get("numFmtId", "")
            if fmt_id.isdigit():
                formats[int(fmt_id)] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            depth["cellXfs"] += 1
        elif local == "xf" and depth["cellXfs"]:
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            depth["cellXfs"] -= 1

    parse_xml(expat_parser(start, end), content, "xl/styles.xml")
    dates = set()
    for index, fmt_id in enumerate(xf_formats):
        code = formats.get(fmt_id)
        if (code is not None and _is_date_format(code)) or (
            code is None and fmt_id in _BUILTIN_DATE_FORMATS
        ):
            dates.add(index)
    return Styles(frozenset(dates))
