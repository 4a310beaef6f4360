"""Reading an OOXML zip (.xlsx/.xlsm/.et) safely, part by part, into sheets.

Before any reader sees the zip it is checked: entry count, declared and *actual* decompressed
sizes (each entry is inflated here, against a budget; a part with the same compressed bytes as one
inflated before, as the returns of one form mostly share, is taken from memory and checked the
same way), compression ratio, CRC, what kind of zip it is (Word, PowerPoint, .xlsb, .ods, a plain
archive), and no DTD in any XML part. Each worksheet is then read by ``sheet_regex`` (or
``sheet_expat``), which keep only the cells that hold something: a stray cell far away
(XFD1048576) costs one entry and a note, where calamine would allocate a dense range of
gigabytes.
"""

from __future__ import annotations

import io
import re
import struct
import urllib.parse
import zipfile
import zlib
from dataclasses import dataclass
from typing import NoReturn

from shuangyong_cli.model import Sheet, message
from shuangyong_cli.reading.failures import RESAVE, RESAVE_NEW, SEND_FORM, TRUNCATED, corrupt, fail
from shuangyong_cli.reading.limits import ReadLimits, far_note
from shuangyong_cli.reading.ooxml.cell_values import CellDecoder
from shuangyong_cli.reading.ooxml.parts import (
    WorkbookInfo,
    parse_rels,
    parse_shared_strings,
    parse_styles,
    parse_workbook,
    refuse_dtd,
)
from shuangyong_cli.reading.ooxml.sheet_expat import SheetScan
from shuangyong_cli.reading.ooxml.sheet_regex import fast_scan

_RATIO_MIN_BYTES = 1024 * 1024


_STATES = {"hidden": "hidden", "veryhidden": "veryhidden"}

MSG_ZIP_BOMB = message("file.zip_bomb")
MSG_ENTRIES = message("file.zip_bomb", "entries")
MSG_RATIO = message("file.zip_bomb", "ratio")
MSG_TOTAL = message("file.zip_bomb", "total")
MSG_NO_WORKBOOK_PART = message("file.corrupt", "no_workbook_part")
MSG_ZIP_UNPARSABLE = message("file.corrupt", "zip_unparsable")


def _zip_bomb(detail: str) -> NoReturn:
    fail("file.zip_bomb", MSG_ZIP_BOMB.format(detail=detail, resave_new=RESAVE_NEW))


@dataclass
class _SheetEntry:
    name: str
    visibility: str
    part: str


def read_ooxml(data: bytes, limits: ReadLimits, notes: list[tuple[str, str]]) -> list[Sheet]:
    """The sheets of an OOXML package, every part checked before it is read; observations that
    do not stop reading go to ``notes``."""
    by_name = _checked_entries(data, limits)
    package = _Package(data, by_name, limits, _Budget(limits.max_uncompressed_bytes), {})
    for key, info in by_name.items():
        if key.endswith((".xml", ".rels", ".vml")):
            package.parts[key] = _inflate(data, info, limits, package.budget)
    for key, content in package.parts.items():
        refuse_dtd(key, content)
    parts = package.parts
    workbook_part = _office_document(parts.get("_rels/.rels", b""), by_name)
    package.load(workbook_part)
    workbook = parse_workbook(parts[workbook_part])
    base, _, leaf = workbook_part.rpartition("/")
    rels = parse_rels(parts.get(part_key(f"{base}/_rels/{leaf}.rels"), b""), base)
    entries = _sheet_entries(workbook, rels, package)
    strings_part = _related_part(rels, parts, "/sharedStrings", f"{base}/sharedStrings.xml")
    styles_part = _related_part(rels, parts, "/styles", f"{base}/styles.xml")
    _check_shared_strings(parts, limits)
    decoder = CellDecoder(
        parse_shared_strings(parts[strings_part]) if strings_part else [],
        parse_styles(parts[styles_part] if styles_part else b"").time_xfs,
        workbook.date1904,
    )
    return _scan_sheets(entries, parts, decoder, limits, notes)


def _checked_entries(data: bytes, limits: ReadLimits) -> dict[str, zipfile.ZipInfo]:
    """The zip's entries by ``part_key``, once their count, declared sizes and ratios are within
    ``limits`` and the zip is a workbook."""
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 66_000))
    if eocd >= 0 and eocd + 12 <= len(data):
        declared_entries = struct.unpack_from("<H", data, eocd + 10)[0]
        if limits.max_zip_entries < declared_entries < 0xFFFF:  # before zipfile lists them all
            _zip_bomb(MSG_ENTRIES.format(count=declared_entries, limit=limits.max_zip_entries))
    zf = _open_zip(data)
    infos = zf.infolist()
    if len(infos) > limits.max_zip_entries:
        _zip_bomb(MSG_ENTRIES.format(count=len(infos), limit=limits.max_zip_entries))
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        # Part names are case-insensitive (OPC); Windows tools may write ``\\`` for ``/``.
        key = part_key(info.filename)
        if key in by_name:
            corrupt(message("file.corrupt", "zip_same_name"))
        by_name[key] = info
    _classify_zip(by_name)

    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_bytes:
        _zip_bomb(message("file.zip_bomb", "declared").format(size_mb=declared / 1048576))
    for info in infos:
        if info.file_size > _RATIO_MIN_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            _zip_bomb(MSG_RATIO.format(part=info.filename))
    return by_name


@dataclass
class _Package:
    """The zip being read: its entries, the parts inflated so far and the budget left."""

    data: bytes
    by_name: dict[str, zipfile.ZipInfo]
    limits: ReadLimits
    budget: _Budget
    parts: dict[str, bytes]

    def load(self, key: str) -> None:
        """Inflate and check the part ``key`` unless it is inflated already."""
        if key not in self.parts:
            self.parts[key] = _inflate(self.data, self.by_name[key], self.limits, self.budget)
            refuse_dtd(key, self.parts[key])


def _sheet_entries(
    workbook: WorkbookInfo, rels: dict[str, tuple[str, str]], package: _Package
) -> list[_SheetEntry]:
    """The workbook's worksheets (not chart sheets), each with its part, inflated."""
    entries: list[_SheetEntry] = []
    for sheet_name, state, rid in workbook.sheets:
        rel = rels.get(rid)
        if rel is None:
            corrupt(message("file.corrupt", "sheet_missing").format(sheet=sheet_name))
        target, kind = rel
        if not kind.endswith("/worksheet"):
            continue  # chart sheets and the like hold no cells
        found = _find_part(target, package.by_name)
        if found is None:
            corrupt(
                message("file.corrupt", "sheet_part_missing").format(sheet=sheet_name, part=target)
            )
        key = found
        if any(e.part == key for e in entries):
            corrupt(message("file.corrupt", "sheet_shared_part").format(sheet=sheet_name))
        package.load(key)
        entries.append(_SheetEntry(sheet_name, _STATES.get(state.lower(), "visible"), key))
    return entries


def _check_shared_strings(parts: dict[str, bytes], limits: ReadLimits) -> None:
    """Refuse a package with more shared strings than ``limits`` allow, in whichever part a
    reader takes for them."""
    for content in parts.values():
        # Every item starts with "<": a part with fewer tags than the limit is within it.
        if b"sst" in content and content.count(b"<") > limits.max_shared_strings:
            count = len(_SHARED_ITEM_RE.findall(content))
            if count > limits.max_shared_strings:
                fail(
                    "file.too_large",
                    message("file.too_large", "shared_strings").format(
                        count=count, limit=limits.max_shared_strings
                    ),
                )


def _scan_sheets(
    entries: list[_SheetEntry],
    parts: dict[str, bytes],
    decoder: CellDecoder,
    limits: ReadLimits,
    notes: list[tuple[str, str]],
) -> list[Sheet]:
    """Each worksheet's cells: by ``fast_scan`` when its sheetData is plain, else by expat."""
    sheets: list[Sheet] = []
    total = 0
    for entry in entries:
        content = parts[entry.part]
        scan = fast_scan(content, entry.name, limits, decoder)
        if scan is None:
            scan = SheetScan(entry.name, limits, decoder)
            scan.run(content)
        total += scan.count
        if total > limits.max_total_cells:
            fail(
                "file.too_large",
                message("file.too_large", "workbook_cells").format(limit=limits.max_total_cells),
            )
        if not scan.fits(limits):
            notes.append(("file.far_cells", far_note(entry.name, scan.values, limits)))
        sheets.append(Sheet(entry.name, scan.values, scan.merged, entry.visibility))
    return sheets


_SHARED_ITEM_RE = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")


def _related_part(
    rels: dict[str, tuple[str, str]], parts: dict[str, bytes], kind: str, usual: str
) -> str | None:
    """The part the workbook's relationships name for ``kind``, else the usual name."""
    for target, rel_type in rels.values():
        key = part_key(target)
        if rel_type.endswith(kind) and key in parts:
            return key
    usual = part_key(usual)
    return usual if usual in parts else None


def part_key(name: str) -> str:
    """How a part is looked up: ``/`` for ``\\``, no leading ``/``, any letter case."""
    return name.replace("\\", "/").lstrip("/").lower()


def _find_part(target: str, by_name: dict[str, zipfile.ZipInfo]) -> str | None:
    """The key of the zip entry a relationship's target names (as written or percent-decoded)."""
    for name in (target, urllib.parse.unquote(target)):
        key = part_key(name)
        if key in by_name:
            return key
    return None


_OFFICE_DOCUMENT = "/officeDocument"
_USUAL_WORKBOOK = "xl/workbook.xml"


def _office_document(rels_xml: bytes, by_name: dict[str, zipfile.ZipInfo]) -> str:
    """The workbook part: what the package's ``_rels/.rels`` names, else ``xl/workbook.xml``."""
    named = ""
    for target, kind in parse_rels(rels_xml, "").values():
        if kind.endswith(_OFFICE_DOCUMENT):
            named = target
            key = _find_part(target, by_name)
            if key is not None:
                return key
    if _USUAL_WORKBOOK in by_name:
        return _USUAL_WORKBOOK
    corrupt(MSG_NO_WORKBOOK_PART.format(part=named or _USUAL_WORKBOOK))


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        if b"PK\x05\x06" not in data[-66000:]:
            fail("file.truncated", TRUNCATED)
        corrupt(MSG_ZIP_UNPARSABLE)
    except (OSError, EOFError, ValueError, NotImplementedError, struct.error, OverflowError):
        corrupt(MSG_ZIP_UNPARSABLE)


def _zip_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its writer meant it: Chinese Windows zips use GBK without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _classify_zip(by_name: dict[str, zipfile.ZipInfo]) -> None:
    """Refuse zips that are not workbooks, each with what it is (``by_name``: by ``part_key``)."""
    if "word/document.xml" in by_name:
        fail("file.not_workbook", message("file.not_workbook", "word"))
    if "ppt/presentation.xml" in by_name:
        fail(
            "file.not_workbook",
            message("file.not_workbook", "powerpoint").format(send_form=SEND_FORM),
        )
    if "xl/workbook.bin" in by_name:
        fail("file.not_workbook", message("file.not_workbook", "xlsb").format(resave=RESAVE))
    if "mimetype" in by_name and "content.xml" in by_name:
        fail("file.not_workbook", message("file.not_workbook", "ods"))
    if _USUAL_WORKBOOK in by_name or "_rels/.rels" in by_name:
        if "[content_types].xml" not in by_name:
            corrupt(message("file.corrupt", "no_content_types"))
        return None
    if "[content_types].xml" in by_name or any(n.startswith("xl/") for n in by_name):
        corrupt(MSG_NO_WORKBOOK_PART.format(part=_USUAL_WORKBOOK))
    inside = [
        _zip_name(info)
        for info in by_name.values()
        if info.filename.lower().endswith((".xlsx", ".xls", ".et", ".xlsm"))
    ]
    more = message("file.not_workbook", "zip_inside_more") if len(inside) > 3 else ""
    listed = message("file.not_workbook", "zip_inside").format(
        names="、".join(inside[:3]), more=more
    )
    fail(
        "file.not_workbook",
        message("file.not_workbook", "zip").format(inside=listed if inside else ""),
    )


@dataclass
class _Budget:
    left: int


_CHUNK = 1 << 20


def _inflate(data: bytes, info: zipfile.ZipInfo, limits: ReadLimits, budget: _Budget) -> bytes:
    """Decompress one entry ourselves, counting the bytes that actually come out.

    Declared sizes can lie; zipfile trusts them. Here the output is capped per entry (ratio) and
    in total, and must then match the declared size and CRC, as every other reader expects.
    """
    offset = info.header_offset
    if data[offset : offset + 4] != b"PK\x03\x04":
        corrupt(message("file.corrupt", "part_offset").format(part=info.filename))
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        fail("file.truncated", TRUNCATED)
    if info.flag_bits & 0x1:
        corrupt(message("file.corrupt", "part_zip_password").format(part=info.filename))
    cap = min(budget.left, max(_RATIO_MIN_BYTES, limits.max_ratio * info.compress_size))
    memo_key = None
    if info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size <= _MEMO_PART:
        memo_key = bytes(raw)
        known = _INFLATED.get(memo_key)
        if known is not None:
            return _inflated(info, known[0], known[1], cap, limits, budget)
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw)
        if len(out) > cap:
            _zip_bomb(message("file.zip_bomb", "part_too_large").format(part=info.filename))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        buf = bytearray()
        pending: bytes | memoryview = raw
        try:
            while not inflater.eof:
                chunk = inflater.decompress(pending, _CHUNK)
                buf += chunk
                if len(buf) > cap:
                    if cap == budget.left:
                        _zip_bomb(
                            MSG_TOTAL.format(limit_mb=limits.max_uncompressed_bytes / 1048576)
                        )
                    _zip_bomb(MSG_RATIO.format(part=info.filename))
                pending = inflater.unconsumed_tail
                if not chunk and not pending:
                    break
        except zlib.error:
            corrupt(message("file.corrupt", "part_deflate").format(part=info.filename))
        if not inflater.eof:
            fail("file.truncated", TRUNCATED)
        out = bytes(buf)
    else:
        corrupt(message("file.corrupt", "part_method").format(part=info.filename))
    crc = zlib.crc32(out)
    if memo_key is not None:
        _remember(memo_key, out, crc)
    return _inflated(info, out, crc, cap, limits, budget)


def _inflated(
    info: zipfile.ZipInfo, out: bytes, crc: int, cap: int, limits: ReadLimits, budget: _Budget
) -> bytes:
    """``out``, inflated from ``info``, once it is within the caps and matches the entry."""
    if len(out) > cap:  # for a part inflated before (inflating stops at the cap)
        if cap == budget.left:
            _zip_bomb(MSG_TOTAL.format(limit_mb=limits.max_uncompressed_bytes / 1048576))
        _zip_bomb(MSG_RATIO.format(part=info.filename))
    budget.left -= len(out)
    if len(out) != info.file_size:
        corrupt(message("file.corrupt", "part_size").format(part=info.filename))
    if crc != info.CRC:
        corrupt(message("file.corrupt", "part_crc").format(part=info.filename))
    return out


_INFLATED: dict[bytes, tuple[bytes, int]] = {}
"""Parts inflated before, with their CRC, by their compressed bytes. The returns of one form
share most parts byte for byte (theme, styles, workbook, relationships), and the same
compressed bytes always inflate to the same content; every use is checked against its entry
(caps, size, CRC) as a part inflated anew. The same content object also makes the parsers'
caches, keyed by it, answer without hashing it again."""
_MEMO_PART = 64 * 1024
"""Only parts of at most this many compressed bytes are remembered …"""
_MEMO_BYTES = 2 << 20
"""… and at most this many inflated bytes in all (then the memo starts again)."""
_memo_size = 0


def _remember(key: bytes, out: bytes, crc: int) -> None:
    global _memo_size
    if len(out) > _MEMO_BYTES // 8:
        return
    if _memo_size + len(out) > _MEMO_BYTES:
        _INFLATED.clear()
        _memo_size = 0
    _INFLATED[key] = (out, crc)
    _memo_size += len(out)
