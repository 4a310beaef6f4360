"""Opening a returned file safely: what it is by its bytes, bounded sizes, a ``Grid`` out.

Every unit's file passes through here, so nothing in a file is trusted. The file is read once into
memory (its size checked first) and never written. What it is comes from its bytes, not its name:

- a zip (OOXML .xlsx/.xlsm/.et) is checked part by part before any reader sees it: entry count,
  declared and *actual* decompressed sizes, compression ratio, CRC, and no ``<!DOCTYPE``/
  ``<!ENTITY`` in any XML part. Each worksheet is then scanned for its cells' extent, formulas
  saved without a value and error cells (by regular expressions when its sheetData has the
  plain shape every mainstream writer produces, by expat otherwise). A sheet whose extent is
  small goes to calamine (fast); a sheet with a stray cell far away (XFD1048576) would make
  calamine allocate a dense range of gigabytes, so that sheet is read sparsely here instead.
- an OLE compound file is walked by this module's own CFB parser, which checks every sector chain
  a reader would follow (calamine aborts the process on a bad sector number, it does not raise);
  then it is an encrypted OOXML package, a BIFF .xls (whose records are scanned for FILEPASS,
  extent, DIMENSIONS and error cells before calamine reads it), a Word document, or something else.
- anything else (CSV, HTML "Excel exports", PDF, pictures, archives) is refused with a message a
  clerk can forward to the unit as is.

Failures raise ``UnreadableFileError(code, message)`` with a ``file.*`` code from
``findings.CODES``; observations that do not stop reading go to ``Grid.notes``.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import hashlib
import io
import os
import posixpath
import re
import stat
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from xml.parsers import expat

import python_calamine

from .errors import UnreadableFileError, os_reason
from .grid import CellError, CellValue, FormulaNoValue, Grid, Sheet, a1

__all__ = ["DEFAULT_LIMITS", "ReadLimits", "detect_format", "open_workbook"]


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file we agree to read. Every bound protects time or memory."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_zip_entries: int = 1000
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    """Total bytes actually decompressed from a zip (declared sizes are checked too)."""
    max_ratio: int = 200
    """Per zip entry, uncompressed / compressed, for entries of more than 1 MB."""
    max_cells: int = 200_000
    """Non-empty cells in one sheet."""
    max_rows: int = 100_000
    max_cols: int = 1_000
    """Height and width of the dense range a reader may allocate for one sheet."""
    max_dense_cells: int = 2_000_000
    """Area of that dense range (calamine spends about 32 bytes per cell of it)."""
    max_total_cells: int = 1_000_000
    """Non-empty cells in the whole workbook."""
    max_shared_strings: int = 1_000_000


DEFAULT_LIMITS = ReadLimits()

_RATIO_MIN_BYTES = 1024 * 1024
_HEAD_BYTES = 8192
_MAX_ROW = 1_048_576
_MAX_COL = 16_384

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OOXML_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".et", ".ett"})
_XLS_SUFFIXES = frozenset({".xls", ".xlt", ".et", ".ett"})
_EXCEL_SUFFIXES = _OOXML_SUFFIXES | _XLS_SUFFIXES | {".csv"}

# What a clerk passes on: say what the file is and what to do.
_RESAVE = "请在 Excel/WPS 中打开后“另存为”Excel 工作簿(.xlsx) 再报送"
_SEND_FORM = "请报送填好的 Excel 统计表(.xlsx)"
_TRUNCATED = "文件不完整（可能下载或传输中断），无法打开；请重新发送完整的文件"
_RESAVE_NEW = "请在 Excel/WPS 中“另存为”新的 Excel 工作簿(.xlsx) 后重新报送"


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def detect_format(head: bytes) -> str:
    """What the first bytes of a file say it is.

    One of ``"xlsx"`` (a zip: OOXML or another zip), ``"xls"`` (an OLE compound file: .xls,
    encrypted OOXML, .doc…), ``"csv"``, ``"html"``, ``"xml"`` (Excel 2003 XML), ``"text"``,
    ``"pdf"``, ``"image"``, ``"archive"`` (RAR/7z), ``"empty"`` or ``"unknown"``.
    """
    if not head.strip(b"\x00 \t\r\n\x0b\x0c"):
        return "empty"
    if head.startswith(_ZIP_MAGICS):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    ):
        return "image"
    if head.startswith((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")):
        return "archive"
    text = _decode_text(head)
    if text is None:
        return "unknown"
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start or "<workbook" in start:
            return "xml"
        return "html" if "<html" in start else "text"
    if start.startswith(("<html", "<!doctype html", "<table", "<head", "<meta", "<body", "<style")):
        return "html"
    if start.startswith("<!--") and ("<html" in start or "<table" in start):
        return "html"
    if start.startswith("mime-version:") and "multipart/related" in start:
        return "html"  # "single file web page" (.mht) saved with an .xls name
    if any(sep in text for sep in (",", "\t", ";")):
        return "csv"
    return "text"


def open_workbook(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Grid:
    """Read ``path`` into a ``Grid``, or raise ``UnreadableFileError`` with a ``file.*`` code."""
    data = _read_bounded(path, limits)
    digest = hashlib.sha256(data).hexdigest()
    kind = detect_format(data[:_HEAD_BYTES])
    if kind == "empty" and data.strip(b"\x00 \t\r\n\x0b\x0c"):
        kind = "unknown"  # blank at the start only
    if kind == "empty":
        if not data.strip(b"\x00"):
            raise UnreadableFileError(
                "file.empty",
                f"文件内容全是空字节（{len(data)} 字节，没有任何数据），可能保存或传输失败；"
                "请重新报送",
            )
        raise UnreadableFileError("file.empty", "文件里只有空白，没有任何数据；请重新报送")
    if kind not in ("xlsx", "xls"):
        raise UnreadableFileError("file.not_workbook", _not_workbook_message(kind, path))
    notes: list[tuple[str, str]] = []
    reader = _read_ooxml if kind == "xlsx" else _read_compound
    try:
        with _rust_quiet():
            sheets = reader(data, limits, notes)
    except (UnreadableFileError, MemoryError):
        raise
    except Exception as exc:  # a file broken in a way no check above foresaw
        _corrupt(f"无法解析：{type(exc).__name__}")
    fmt = kind
    mismatch = _extension_note(path, fmt)
    if mismatch:
        notes.insert(0, ("file.extension_mismatch", mismatch))
    return Grid(path=path, format=fmt, sheets=sheets, size=len(data), sha256=digest, notes=notes)


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


def _read_bounded(path: Path, limits: ReadLimits) -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError:
        _fail("file.unreadable", f"找不到文件“{path.name}”；请确认文件仍在原处")
    except OSError as exc:
        _fail("file.unreadable", f"无法读取文件（{os_reason(exc)}）；请确认文件可以打开")
    if not stat.S_ISREG(info.st_mode):
        _fail("file.unreadable", f"“{path.name}”不是文件（可能是文件夹）")
    if info.st_size == 0:
        _fail("file.empty", "文件是空的（0 字节），可能保存或传输失败；请重新报送")
    if info.st_size > limits.max_file_bytes:
        _too_large(info.st_size, limits)
    try:
        with path.open("rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except PermissionError:
        _fail(
            "file.unreadable",
            "无法打开文件（没有读取权限，或文件正被其他程序占用）；请关闭 Excel/WPS 后重试",
        )
    except OSError as exc:
        _fail("file.unreadable", f"无法读取文件（{os_reason(exc)}）；请确认文件可以打开")
    if len(data) > limits.max_file_bytes:
        _too_large(len(data), limits)
    if not data:
        _fail("file.empty", "文件是空的（0 字节），可能保存或传输失败；请重新报送")
    return data


def _too_large(size: int, limits: ReadLimits) -> NoReturn:
    _fail(
        "file.too_large",
        f"文件过大（{size / 1048576:.1f} MB，上限 {limits.max_file_bytes / 1048576:g} MB），"
        "不像是一份统计表；请检查是否发错了文件，或删除无关的工作表、图片后重新报送",
    )


def _fail(code: str, message: str) -> NoReturn:
    raise UnreadableFileError(code, message)


def _corrupt(detail: str) -> NoReturn:
    _fail("file.corrupt", f"文件已损坏（{detail}），无法读取；{_RESAVE}")


def _zip_bomb(detail: str) -> NoReturn:
    _fail(
        "file.zip_bomb",
        f"文件解压后的内容异常庞大（{detail}），可能是恶意文件，已拒绝读取；{_RESAVE_NEW}",
    )


def _decode_text(head: bytes) -> str | None:
    """The head as text when it looks like text (UTF-8, GBK/GB18030 or UTF-16 with BOM)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="replace")
        return text if _looks_like_text(text) else None
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    for encoding in ("utf-8", "gb18030"):
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(body, final=False)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    return None


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:
        return False
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\x0c\x1a")
    return controls * 100 <= len(text)


def _renamed(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in _EXCEL_SUFFIXES - {".csv"}:
        return f"（被改成了 {path.suffix} 扩展名）"
    return ""


def _not_workbook_message(kind: str, path: Path) -> str:
    renamed = _renamed(path)
    if kind == "csv":
        if path.suffix.lower() == ".csv":
            return (
                "这是 CSV 文本文件，不是 Excel 表格；"
                "请在 Excel/WPS 中打开统计表后“另存为”Excel 工作簿(.xlsx) 再报送"
            )
        return (
            f"这是 CSV 文本文件{renamed}，不是 Excel 表格；"
            "请在 Excel/WPS 中打开统计表后“另存为”Excel 工作簿(.xlsx) 再报送"
        )
    if kind == "html":
        return (
            f"这是网页(HTML)格式的文件{renamed}，常见于从业务系统“导出 Excel”得到的文件，"
            f"并不是真正的 Excel 表格；{_RESAVE}"
        )
    if kind == "xml":
        return f"这是 XML 格式的表格文件（Excel 2003 XML）{renamed}，不是 Excel 工作簿；{_RESAVE}"
    if kind == "text":
        return f"这是纯文本文件{renamed}，不是 Excel 表格；{_SEND_FORM}"
    if kind == "pdf":
        return f"这是 PDF 文件{renamed}，不是 Excel 表格；{_SEND_FORM}原件，不要转成 PDF 或扫描件"
    if kind == "image":
        return f"这是图片文件（照片或截图）{renamed}，不是 Excel 表格；{_SEND_FORM}原件"
    if kind == "archive":
        return f"这是压缩包（RAR/7z）{renamed}，不是 Excel 表格；请解压后报送其中的统计表(.xlsx)"
    return f"无法识别的文件格式{renamed}，不是 Excel 表格；{_SEND_FORM}；如确是统计表，{_RESAVE}"


def _extension_note(path: Path, fmt: str) -> str:
    suffix = path.suffix.lower()
    if fmt == "xlsx" and suffix not in _OOXML_SUFFIXES:
        if suffix == ".xls":
            return (
                "文件扩展名是 .xls，实际是 Excel 工作簿(.xlsx)；已照常读取。"
                "建议把扩展名改回 .xlsx，以免别人打不开"
            )
        shown = path.suffix or "（无扩展名）"
        return f"文件扩展名是 {shown}，实际是 Excel 工作簿(.xlsx)；已照常读取"
    if fmt == "xls" and suffix not in _XLS_SUFFIXES:
        shown = path.suffix or "（无扩展名）"
        return (
            f"文件扩展名是 {shown}，实际是 Excel 97-2003 工作簿(.xls)；已照常读取。"
            "建议今后在 Excel/WPS 中“另存为”Excel 工作簿(.xlsx)"
        )
    return ""


# ---------------------------------------------------------------------------------------------
# Calling calamine: every failure becomes an UnreadableFileError
# ---------------------------------------------------------------------------------------------

_T = TypeVar("_T")


_QUIET_LOCK = threading.Lock()
_quiet_depth = 0
_quiet_saved = -1


@contextlib.contextmanager
def _rust_quiet() -> Iterator[None]:
    """Silence file descriptor 2 while a file is read: a Rust panic in calamine (which becomes a
    Python exception, see ``_guarded``) first prints its message and a backtrace to stderr.

    Descriptor 2 belongs to the whole process, so concurrent reads share one redirection: the
    first to enter swaps it, the last to leave puts it back.
    """
    global _quiet_depth, _quiet_saved
    with _QUIET_LOCK:
        if _quiet_depth == 0:
            try:
                saved = os.dup(2)
                null = os.open(os.devnull, os.O_WRONLY)
            except OSError:
                saved = -1
            else:
                os.dup2(null, 2)
                os.close(null)
            _quiet_saved = saved
        _quiet_depth += 1
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_saved >= 0:
                os.dup2(_quiet_saved, 2)
                os.close(_quiet_saved)
                _quiet_saved = -1


def _guarded(call: Callable[[], _T], what: str) -> _T:
    """Run a reader call; its errors (and Rust panics, which are BaseExceptions) become ours."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit, UnreadableFileError):
        raise
    except python_calamine.PasswordError:
        _encrypted()
    except BaseException as exc:  # a Rust panic is a BaseException
        text = str(exc).strip()
        detail = text.splitlines()[0][:120] if text else type(exc).__name__
        _fail(
            "file.corrupt", f"文件已损坏，无法读取（{what}时出错，技术信息：{detail}）；{_RESAVE}"
        )


def _encrypted(extra: str = "") -> NoReturn:
    _fail(
        "file.encrypted",
        f"文件已加密，请去除打开密码后重新报送{extra}。去除方法：Excel 中点 文件 → 信息 → "
        "保护工作簿 → 用密码进行加密，清空密码后保存；WPS 中点 文件 → 文档加密 → 密码加密，"
        "清空后保存",
    )


def _plain(value: Any) -> CellValue | None:
    """A reader's value as a Grid value; None for empty."""
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return value
    if isinstance(value, int | dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    if value is None:
        return None
    return str(value)


def _calamine_cells(sheet: Any) -> dict[tuple[int, int], CellValue]:
    cells: dict[tuple[int, int], CellValue] = {}
    start = sheet.start
    if start is None:
        return cells
    row0, col0 = start[0] + 1, start[1] + 1
    # to_python() starts at sheet.start; iter_rows() would start at row 0 (one list per row)
    for i, row in enumerate(sheet.to_python()):
        for j, value in enumerate(row):
            if value == "" and isinstance(value, str):
                continue
            plain = _plain(value)
            if plain is not None:
                cells[(row0 + i, col0 + j)] = plain
    return cells


def _calamine_merged(sheet: Any) -> list[tuple[int, int, int, int]]:
    ranges = sheet.merged_cell_ranges or []
    return [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges]


def _calamine_sheet(
    book: Any, name: str
) -> tuple[dict[tuple[int, int], CellValue], list[tuple[int, int, int, int]]]:
    """One sheet's cells and merged ranges (1-based), read by calamine."""
    what = f"读取工作表「{name}」"
    sheet = _guarded(partial(book.get_sheet_by_name, name), what)
    cells = _guarded(partial(_calamine_cells, sheet), what)
    merged = _guarded(partial(_calamine_merged, sheet), what)
    return cells, merged


# ---------------------------------------------------------------------------------------------
# OOXML
# ---------------------------------------------------------------------------------------------

_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_REF_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_XESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_STATES = {"hidden": "hidden", "veryhidden": "veryhidden"}


@dataclass
class _SheetEntry:
    name: str
    visibility: str
    part: str


def _read_ooxml(data: bytes, limits: ReadLimits, notes: list[tuple[str, str]]) -> list[Sheet]:
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 66_000))
    if eocd >= 0 and eocd + 12 <= len(data):
        declared_entries = struct.unpack_from("<H", data, eocd + 10)[0]
        if limits.max_zip_entries < declared_entries < 0xFFFF:  # before zipfile lists them all
            _zip_bomb(f"内含 {declared_entries} 个部件，上限 {limits.max_zip_entries}")
    zf = _open_zip(data)
    infos = zf.infolist()
    if len(infos) > limits.max_zip_entries:
        _zip_bomb(f"内含 {len(infos)} 个部件，上限 {limits.max_zip_entries}")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        _corrupt("压缩结构中有重名的部件")
    by_name = {info.filename: info for info in infos}
    _classify_zip(by_name)

    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_bytes:
        _zip_bomb(f"声明解压后共 {declared / 1048576:.0f} MB")
    for info in infos:
        if info.file_size > _RATIO_MIN_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
        ):
            _zip_bomb(f"部件 {info.filename} 压缩比异常")

    budget = _Budget(limits.max_uncompressed_bytes)
    parts: dict[str, bytes] = {}
    for info in infos:
        lower = info.filename.lower()
        if lower.endswith((".xml", ".rels", ".vml")):
            parts[info.filename] = _inflate(data, info, limits, budget)
    for name, content in parts.items():
        _refuse_dtd(name, content)

    workbook = _parse_workbook(parts["xl/workbook.xml"])
    rels = _parse_rels(parts.get("xl/_rels/workbook.xml.rels", b""))
    entries: list[_SheetEntry] = []
    for sheet_name, state, rid in workbook.sheets:
        rel = rels.get(rid)
        if rel is None:
            _corrupt(f"工作表「{sheet_name}」的内容缺失")
        target, kind = rel
        if not kind.endswith("/worksheet"):
            continue  # chart sheets and the like hold no cells
        if target not in by_name:
            _corrupt(f"工作表「{sheet_name}」的内容缺失（{target}）")
        if any(e.part == target for e in entries):
            _corrupt(f"工作表「{sheet_name}」与其他工作表指向同一内容")
        if target not in parts:
            parts[target] = _inflate(data, by_name[target], limits, budget)
            _refuse_dtd(target, parts[target])
        entries.append(_SheetEntry(sheet_name, _STATES.get(state.lower(), "visible"), target))

    strings_part = _related_part(rels, parts, "/sharedStrings", "xl/sharedStrings.xml")
    styles_part = _related_part(rels, parts, "/styles", "xl/styles.xml")
    for content in parts.values():
        if b"sst" in content:  # whichever part a reader takes for the shared strings
            count = len(_SHARED_ITEM_RE.findall(content))
            if count > limits.max_shared_strings:
                _fail(
                    "file.too_large",
                    f"文件中的文字条目过多（{count} 条，上限 {limits.max_shared_strings}），"
                    "不像是一份统计表；请删除与统计表无关的工作表后重新报送",
                )

    # Scan every part that holds cells, including parts no sheet points to: whatever calamine
    # opens has then been measured.
    scans: dict[str, _SheetScan] = {}
    sheet_names = {e.part: e.name for e in entries}
    for name, content in parts.items():
        if b"sheetData" in content:
            sheet_name = sheet_names.get(name, name)
            scan = _fast_scan(content, sheet_name, limits)
            if scan is None:
                scan = _SheetScan(sheet_name, limits, collect=False)
                scan.run(content)
            scans[name] = scan
    for name, scan in scans.items():
        if name not in sheet_names and not scan.fits(limits):
            _corrupt(f"文件中有不属于任何工作表的异常数据（{name}）")

    total = sum(scans[e.part].count for e in entries if e.part in scans)
    if total > limits.max_total_cells:
        _fail(
            "file.too_large",
            f"工作簿共有 {total} 个非空单元格，超过上限 {limits.max_total_cells}，"
            "不像是一份统计表；请删除与统计表无关的工作表或内容后重新报送",
        )

    book: Any = None
    strings: list[str] | None = None
    styles: _Styles | None = None
    sheets: list[Sheet] = []
    for entry in entries:
        scan = scans.get(entry.part) or _SheetScan(entry.name, limits, collect=False)
        if scan.fits(limits):
            if book is None:
                book = _guarded(
                    lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)),
                    "打开工作簿",
                )
            cells, merged = _calamine_sheet(book, entry.name)
            cells.update(scan.errors)
            cells.update(scan.formulas)
        else:
            if strings is None:
                strings = _parse_shared_strings(parts[strings_part]) if strings_part else []
                styles = _parse_styles(parts[styles_part] if styles_part else b"")
            assert styles is not None
            sparse = _SheetScan(
                entry.name,
                limits,
                collect=True,
                strings=strings,
                date_styles=styles.date_xfs,
                date1904=workbook.date1904,
            )
            sparse.run(parts[entry.part])
            cells, merged = sparse.values, sparse.merged
            notes.append(("file.far_cells", _far_note(entry.name, cells, limits)))
        sheets.append(Sheet(entry.name, cells, merged, entry.visibility))
    return sheets


_SHARED_ITEM_RE = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")


def _related_part(
    rels: dict[str, tuple[str, str]], parts: dict[str, bytes], kind: str, usual: str
) -> str | None:
    """The part the workbook's relationships name for ``kind``, else the usual name."""
    for target, rel_type in rels.values():
        if rel_type.endswith(kind) and target in parts:
            return target
    return next((n for n in parts if n.lower() == usual.lower()), None)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        if b"PK\x05\x06" not in data[-66000:]:
            _fail("file.truncated", _TRUNCATED)
        _corrupt("压缩结构无法解析")
    except (OSError, EOFError, ValueError, NotImplementedError, struct.error, OverflowError):
        _corrupt("压缩结构无法解析")


def _zip_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its writer meant it: Chinese Windows zips use GBK without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _classify_zip(by_name: dict[str, zipfile.ZipInfo]) -> None:
    """Refuse zips that are not workbooks, each with what it is."""
    if "word/document.xml" in by_name:
        _fail(
            "file.not_workbook",
            "这是 Word 文档，不是统计表；请报送下发的 Excel 统计表(.xlsx)，"
            "不要把表格复制到 Word 中",
        )
    if "ppt/presentation.xml" in by_name:
        _fail("file.not_workbook", f"这是 PowerPoint 演示文稿，不是统计表；{_SEND_FORM}")
    if "xl/workbook.bin" in by_name:
        _fail(
            "file.not_workbook",
            f"这是 Excel 二进制工作簿(.xlsb)，本工具不能读取；{_RESAVE}",
        )
    if "mimetype" in by_name and "content.xml" in by_name:
        _fail(
            "file.not_workbook",
            "这是 OpenDocument 表格(.ods)，本工具不能读取；"
            "请在 WPS/Excel/LibreOffice 中打开后“另存为”Excel 工作簿(.xlsx) 再报送",
        )
    if "xl/workbook.xml" not in by_name:
        if "[Content_Types].xml" in by_name or any(n.startswith("xl/") for n in by_name):
            _corrupt("缺少工作簿内容 xl/workbook.xml")
        inside = [
            _zip_name(info)
            for info in by_name.values()
            if info.filename.lower().endswith((".xlsx", ".xls", ".et", ".xlsm"))
        ]
        listed = f"（压缩包内有：{'、'.join(inside[:3])}{' 等' if len(inside) > 3 else ''}）"
        _fail(
            "file.not_workbook",
            f"这是 ZIP 压缩包，不是 Excel 表格{listed if inside else ''}；"
            "请解压后报送其中的统计表(.xlsx)，或直接发送统计表文件",
        )
    if "[Content_Types].xml" not in by_name:
        _corrupt("缺少 [Content_Types].xml")


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
        _corrupt(f"部件 {info.filename} 的位置记录有误")
    name_len, extra_len = struct.unpack_from("<HH", data, offset + 26)
    start = offset + 30 + name_len + extra_len
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        _fail("file.truncated", _TRUNCATED)
    if info.flag_bits & 0x1:
        _corrupt(f"部件 {info.filename} 被 ZIP 密码加密")
    cap = min(budget.left, max(_RATIO_MIN_BYTES, limits.max_ratio * info.compress_size))
    if info.compress_type == zipfile.ZIP_STORED:
        out = bytes(raw)
        if len(out) > cap:
            _zip_bomb(f"部件 {info.filename} 过大")
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
                        _zip_bomb(f"解压后超过 {limits.max_uncompressed_bytes / 1048576:g} MB")
                    _zip_bomb(f"部件 {info.filename} 压缩比异常")
                pending = inflater.unconsumed_tail
                if not chunk and not pending:
                    break
        except zlib.error:
            _corrupt(f"部件 {info.filename} 的压缩数据有误")
        if not inflater.eof:
            _fail("file.truncated", _TRUNCATED)
        out = bytes(buf)
    else:
        _corrupt(f"部件 {info.filename} 使用了不支持的压缩方式")
    budget.left -= len(out)
    if len(out) != info.file_size:
        _corrupt(f"部件 {info.filename} 的大小记录与内容不符")
    if zlib.crc32(out) != info.CRC:
        _corrupt(f"部件 {info.filename} 的校验值不符")
    return out


def _refuse_dtd(name: str, content: bytes) -> None:
    probe = content
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:64]:
        probe = content.replace(b"\x00", b"")  # UTF-16: look at the ASCII letters
    if _DTD_RE.search(probe):
        _fail(
            "file.xml_entities",
            f"文件含有不安全的 XML 声明（可能是恶意文件），已拒绝读取；{_RESAVE_NEW}",
        )


def _no_dtd(*_args: object) -> None:
    _fail(
        "file.xml_entities",
        f"文件含有不安全的 XML 声明（可能是恶意文件），已拒绝读取；{_RESAVE_NEW}",
    )


def _expat(
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


def _parse_xml(parser: expat.XMLParserType, content: bytes, what: str) -> None:
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        _corrupt(f"{what} 的 XML 格式有误（第 {exc.lineno} 行）")


def _local(name: str) -> str:
    return name[name.find(":") + 1 :]


@dataclass
class _Workbook:
    sheets: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, state, relationship id) in workbook order."""
    date1904: bool = False


def _parse_workbook(content: bytes) -> _Workbook:
    book = _Workbook()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "sheet":
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), "")
            book.sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), rid))
        elif local == "workbookPr":
            book.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

    _parse_xml(_expat(start), content, "xl/workbook.xml")
    return book


def _parse_rels(content: bytes) -> dict[str, tuple[str, str]]:
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

    _parse_xml(_expat(start), content, "xl/_rels/workbook.xml.rels")
    return rels


def _unescape_x(text: str) -> str:
    """OOXML writes control characters as ``_x0001_``."""
    if "_x" not in text:
        return text
    return _XESC_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _parse_shared_strings(content: bytes) -> list[str]:
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
            strings.append(_unescape_x("".join(parts)))
            state["in_si"] = False
        elif local == "rPh":
            state["rph"] -= 1
        elif local == "t":
            state["in_t"] = False

    def chars(text: str) -> None:
        if state["in_t"]:
            parts.append(text)

    _parse_xml(_expat(start, end, chars), content, "xl/sharedStrings.xml")
    return strings


_BUILTIN_DATE_FORMATS = frozenset(range(14, 23)) | frozenset(range(45, 48))
_BUILTIN_DATE_FORMATS |= frozenset(range(27, 37)) | frozenset(range(50, 59))  # CJK dates
_FORMAT_NOISE_RE = re.compile(r'"[^"]*"|\\.|\[(?![hms]+\])[^\]]*\]|_.|\*.', re.IGNORECASE)


def _is_date_format(code: str) -> bool:
    cleaned = _FORMAT_NOISE_RE.sub("", code).lower()
    return any(ch in cleaned for ch in "dmyhs") and "general" not in cleaned


@dataclass
class _Styles:
    date_xfs: frozenset[int] = frozenset()


def _parse_styles(content: bytes) -> _Styles:
    if not content:
        return _Styles()
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

    _parse_xml(_expat(start, end), content, "xl/styles.xml")
    dates = set()
    for index, fmt_id in enumerate(xf_formats):
        code = formats.get(fmt_id)
        if (code is not None and _is_date_format(code)) or (
            code is None and fmt_id in _BUILTIN_DATE_FORMATS
        ):
            dates.add(index)
    return _Styles(frozenset(dates))


def _serial_to_date(serial: float, date1904: bool) -> CellValue:
    """An Excel date serial as calamine gives it: time below 1, date when whole, else datetime."""
    if date1904:
        base = dt.datetime(1904, 1, 1)
    elif serial < 61:
        base = dt.datetime(1899, 12, 31)  # before Excel's 1900-02-29 that never was
    else:
        base = dt.datetime(1899, 12, 30)
    try:
        moment = base + dt.timedelta(milliseconds=round(serial * 86_400_000))
    except (OverflowError, ValueError):
        return serial
    if 0 <= serial < 1 and not date1904:
        return moment.time()
    if serial == int(serial):
        return moment.date()
    return moment


def _parse_iso(text: str) -> CellValue:
    try:
        return dt.datetime.fromisoformat(text.rstrip("Zz"))
    except ValueError:
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            return text


_Pos = tuple[int, int]


class _SheetScan:
    """One pass of expat over a worksheet's XML, placing cells exactly as calamine does.

    Calamine skips self-closing ``<row/>`` and ``<c/>`` elements and places a cell without ``r``
    after the previous one; positions here follow the same rules, so overlays land where
    calamine put the cell. With ``collect`` the values are decoded too (the sparse path).
    """

    def __init__(
        self,
        sheet_name: str,
        limits: ReadLimits,
        *,
        collect: bool,
        strings: list[str] | None = None,
        date_styles: frozenset[int] = frozenset(),
        date1904: bool = False,
    ) -> None:
        self.sheet_name = sheet_name
        self.max_cells = limits.max_cells
        self.collect = collect
        self.strings = strings or []
        self.date_styles = date_styles
        self.date1904 = date1904
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
        parser = _expat(self._start, self._end, self._chars)
        self._parser = parser
        _parse_xml(parser, content, f"工作表「{self.sheet_name}」")
        self._parser = None

    def fits(self, limits: ReadLimits) -> bool:
        """Whether calamine may read this sheet: its dense range stays small."""
        if self.count == 0:
            return True
        height = self.max_row - self.min_row + 1
        width = self.max_col - self.min_col + 1
        return (
            height <= limits.max_rows
            and width <= limits.max_cols
            and height * width <= limits.max_dense_cells
        )

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
                    _corrupt(f"工作表「{self.sheet_name}」的行号“{ref[:20]}”无效")
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
            _corrupt(f"工作表「{self.sheet_name}」的单元格地址“{ref[:20]}”无效")
        letters, digits = match.groups()
        col = 0
        for ch in letters.upper():
            col = col * 26 + ord(ch) - 64
        row = int(digits)
        if not (1 <= row <= _MAX_ROW and 1 <= col <= _MAX_COL):
            _corrupt(f"工作表「{self.sheet_name}」的单元格地址“{ref[:20]}”超出范围")
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
            _fail(
                "file.too_large",
                f"工作表「{self.sheet_name}」的非空单元格超过 {self.max_cells} 个，"
                "不像是一份统计表；请删除与统计表无关的工作表或内容后重新报送",
            )
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
            if v is None or (v == "" and t not in ("str", "inlineStr")):
                self.formulas[pos] = FormulaNoValue(self._formula_text(pos, f, shared, si))
        if t == "e" and v and pos not in self.formulas:
            self.errors[pos] = CellError(v)
        if self.collect:
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
        t, v = self._t, self._v
        if t == "inlineStr":
            inline = _unescape_x("".join(self._is or ()))
            return inline or None
        if not v:
            return None
        if t == "s":
            try:
                text = self.strings[int(v)]
            except (ValueError, IndexError):
                _corrupt(f"工作表「{self.sheet_name}」{a1(*pos)} 的文字编号无效")
            return text or None
        if t == "str":
            return _unescape_x(v)
        if t == "b":
            return v.strip().lower() in ("1", "true")
        if t == "d":
            return _parse_iso(v.strip())
        if t == "e":
            return CellError(v)
        try:
            number = float(v)
        except ValueError:
            _corrupt(f"工作表「{self.sheet_name}」{a1(*pos)} 的数值“{v[:20]}”无法识别")
        if self._s.isdigit() and int(self._s) in self.date_styles:
            return _serial_to_date(number, self.date1904)
        return _plain(number)


# The fast path: most writers (Excel, WPS, LibreOffice, openpyxl, xlsxwriter) write sheetData in
# one plain shape: every cell starts `<c r="B7"`, attributes are double-quoted, a cell holds an
# optional <f>, an optional <v> or one <is><t>. When the whole of sheetData is made of such tokens
# (checked by regular expressions, in C), cell positions can be read straight from the r
# attributes; anything else (prefixes, comments, cells without r, rich inline text) goes to expat.
_ATTRS = rb'(?:\s+[A-Za-z_][\w.:-]*="[^"<>]*")*\s*'  # Excel adds x14ac:dyDescent to rows
_PLAIN_TOKEN = re.compile(
    rb"<row" + _ATTRS + rb"/?>|</row>"
    rb'|<c r="[A-Z]{1,3}[0-9]{1,7}"' + _ATTRS + rb"(?:/>|>"
    rb"(?:<f" + _ATTRS + rb"(?:/>|>[^<]*</f>))?"
    rb"(?:<v>[^<]*</v>|<v/>)?"
    rb"(?:<is><t" + _ATTRS + rb">[^<]*</t></is>)?"
    rb"</c>)"
)
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>(?!</c>)')
_PLAIN_FORMULA = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)><f(' + _ATTRS + rb")(?:/>|>([^<]*)</f>)"
    rb"(<v>([^<]*)</v>|<v/>)?"
)
_PLAIN_ERROR = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*\st="e"[^>]*>(?:<f[^>]*(?:/>|>[^<]*</f>))?<v>([^<]*)</v>'
)
_ATTR_T = re.compile(rb'\st="([^"]*)"')
_ATTR_SI = re.compile(rb'\ssi="([^"]*)"')
_XML_ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_XML_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_COLUMNS: dict[bytes, int] = {}


def _xml_text(raw: bytes) -> str:
    """Element text as the XML means it (the five entities and character references)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        _corrupt("工作表中有无效的文字编码")
    if "&" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name[0] != "#":
            return _XML_NAMED[name]
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        if not 0 < code < 0x110000:
            _corrupt("工作表中有无效的字符引用")
        return chr(code)

    return _XML_ENTITY.sub(one, text)


def _column(letters: bytes) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = 0
        for ch in letters:
            col = col * 26 + ch - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = col
    return col


def _fast_scan(content: bytes, sheet_name: str, limits: ReadLimits) -> _SheetScan | None:
    """The same scan as ``_SheetScan`` for plain sheetData, or None when it is not plain."""
    if content.count(b"<sheetData") != 1 or content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    head = content[:200].lower()
    if b"encoding=" in head and b'encoding="utf-8"' not in head and b"encoding='utf-8'" not in head:
        return None
    start = content.find(b"<sheetData")
    close = content.find(b">", start)
    if close < 0:
        return None
    scan = _SheetScan(sheet_name, limits, collect=False)
    if content[close - 1 : close] == b"/":
        return scan  # <sheetData/>
    end = content.find(b"</sheetData>", close)
    if end < 0 or content[start : close + 1] != b"<sheetData>":
        return None
    body = content[close + 1 : end]
    if body.count(b"<c ") > 2 * limits.max_cells:
        return None  # expat counts without building lists, and stops at the limit
    # every byte of sheetData must belong to a plain token (tokens start with "<", text holds
    # none, so nothing can hide between them); one token at a time keeps memory flat
    if _PLAIN_TOKEN.sub(b"", body).strip():
        return None
    refs = _PLAIN_CELL.findall(body)
    if not refs:
        return scan
    if len(refs) > limits.max_cells:
        _fail(
            "file.too_large",
            f"工作表「{sheet_name}」的非空单元格超过 {limits.max_cells} 个，"
            "不像是一份统计表；请删除与统计表无关的工作表或内容后重新报送",
        )
    rows = [int(r) for _, r in refs]
    cols = [_column(c) for c, _ in refs]
    scan.count = len(refs)
    scan.min_row, scan.max_row = min(rows) - 1, max(rows) - 1
    scan.min_col, scan.max_col = min(cols) - 1, max(cols) - 1
    if scan.min_row < 0 or scan.max_row >= _MAX_ROW or scan.max_col >= _MAX_COL:
        return None  # let the careful path say what is wrong
    if b"<f" in body:
        formulas = _PLAIN_FORMULA.findall(body)
        if len(formulas) != body.count(b"<f"):
            return None
        for letters, digits, attrs, f_attrs, f_text, v_elem, v_text in formulas:
            pos = (int(digits), _column(letters))
            text = _xml_text(f_text)
            t_match = _ATTR_T.search(attrs)
            t = t_match.group(1).decode() if t_match else ""
            si_match = _ATTR_SI.search(f_attrs)
            si = si_match.group(1).decode() if si_match else ""
            f_type = _ATTR_T.search(f_attrs)
            is_shared = f_type is not None and f_type.group(1) == b"shared"
            if is_shared and text:
                scan._shared[si] = (pos, text)
            if not v_elem or (not v_text and t not in ("str", "inlineStr")):
                scan.formulas[pos] = FormulaNoValue(scan._formula_text(pos, text, is_shared, si))
    if b't="e"' in body:
        errors = _PLAIN_ERROR.findall(body)
        if len(errors) != body.count(b't="e"'):
            return None
        for letters, digits, v_text in errors:
            pos = (int(digits), _column(letters))
            if v_text and pos not in scan.formulas:
                scan.errors[pos] = CellError(_xml_text(v_text))
    return scan


def _far_note(sheet_name: str, cells: dict[tuple[int, int], CellValue], limits: ReadLimits) -> str:
    """Name the cells that lie far from the rest, with what they hold."""
    if not cells:
        return f"工作表「{sheet_name}」的表格范围异常；已逐格读取"
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    top, left = min(rows), min(cols)
    far = [
        pos
        for pos in sorted(cells)
        if pos[0] - top >= limits.max_rows or pos[1] - left >= limits.max_cols
    ]
    if not far:
        far = sorted({max(cells, key=lambda p: p[0]), max(cells, key=lambda p: p[1])})
    shown = "、".join(f"{a1(*pos)}（“{str(cells[pos])[:20]}”）" for pos in far[:3])
    more = f"等 {len(far)} 处" if len(far) > 3 else ""
    return (
        f"工作表「{sheet_name}」的 {shown}{more}有内容，远在表格之外；已读取。"
        "如非有意填写，请删除这些单元格的内容后保存"
    )


# ---------------------------------------------------------------------------------------------
# OLE compound files (.xls, encrypted OOXML, .doc …)
# ---------------------------------------------------------------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_DIFSECT = 0xFFFFFFFC
_RESERVED = 0xFFFFFFFA


@dataclass
class _DirEntry:
    name: str
    start: int
    size: int


class _Compound:
    """A compound file, parsed the way calamine walks it, with every chain checked first.

    Calamine grows a buffer to ``sector id × sector size`` for any sector number it meets and
    follows chains without loop checks, so one bad number aborts the whole process (Rust's
    allocation failure is not an exception). Here every sector a reader would visit must lie
    inside the file, chains must end, and sizes must fit the file.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        if len(data) < 512:
            _fail("file.truncated", _TRUNCATED)
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            _corrupt("Office 文件结构无效")
        self.sector_size = 1 << shift
        self.version = struct.unpack_from("<H", data, 26)[0]
        (dir_len, fat_len, dir_start) = struct.unpack_from("<III", data, 40)
        mini_fat_start, mini_fat_len, difat_start, difat_len = struct.unpack_from("<IIII", data, 60)
        size = len(data)
        self.sectors = max(0, -(-(size - self.sector_size) // self.sector_size))
        for count in (dir_len, fat_len, mini_fat_len, difat_len):
            if count * self.sector_size > size:
                self._beyond_end(count)
        # calamine reserves this many DIFAT entries (it reads the header 2 bytes early)
        if struct.unpack_from("<I", data, 62)[0] > 1 << 24:
            _corrupt("Office 文件结构中的数量记录有误")
        difat = list(struct.unpack_from("<109I", data, 76))
        seen: set[int] = set()
        sector = difat_start
        while sector < _RESERVED:
            self._check_sector(sector)
            if sector in seen:
                _corrupt("Office 文件结构有循环")
            seen.add(sector)
            difat.extend(self._u32s(self._sector(sector)))
            sector = difat.pop()
        fat: list[int] = []
        for sector in difat:
            if sector < _DIFSECT:
                self._check_sector(sector)
                fat.extend(self._u32s(self._sector(sector)))
        self.fat = fat
        raw_dirs = self._chain(dir_start, self.fat, self.sectors, self.sector_size)
        self.entries: list[_DirEntry] = []
        for off in range(0, len(raw_dirs) - 127, 128):
            chunk = raw_dirs[off : off + 128]
            name = chunk[:64].decode("utf-16-le", errors="replace")
            name = name.split("\x00", 1)[0]
            start = struct.unpack_from("<I", chunk, 116)[0]
            length = struct.unpack_from("<Q" if self.sector_size == 4096 else "<I", chunk, 120)[0]
            self.entries.append(_DirEntry(name, start, length))
        if not self.entries:
            _corrupt("Office 文件目录为空")
        root = self.entries[0]
        if root.size > size:
            _corrupt("Office 文件结构中的大小记录有误")
        self.mini_fat: list[int] = []
        self.ministream = b""
        if mini_fat_len > 0:
            self.ministream = self._chain(root.start, self.fat, self.sectors, self.sector_size)[
                : root.size or None
            ]
            raw = self._chain(mini_fat_start, self.fat, self.sectors, self.sector_size)
            self.mini_fat = self._u32s(raw)

    @property
    def names(self) -> set[str]:
        return {e.name for e in self.entries}

    def stream(self, *candidates: str) -> bytes | None:
        """The first entry named like the first candidate that exists, as calamine picks it."""
        for wanted in candidates:
            entry = next((e for e in self.entries if e.name == wanted), None)
            if entry is None:
                continue
            if entry.size > len(self.data):
                _corrupt("Office 文件结构中的大小记录有误")
            if entry.size < 4096:
                count = len(self.ministream) // 64
                return self._chain(entry.start, self.mini_fat, count, 64, mini=True)[: entry.size]
            return self._chain(entry.start, self.fat, self.sectors, self.sector_size)[: entry.size]
        return None

    def _check_sector(self, sector: int) -> None:
        if sector >= self.sectors:
            self._beyond_end(sector)

    def _beyond_end(self, sector: int) -> NoReturn:
        """A sector past the end: a cut-off download when near, a forged number when far."""
        if sector < 4 * self.sectors + 64:
            _fail("file.truncated", _TRUNCATED)
        _corrupt("Office 文件结构中的扇区编号超出文件范围")

    def _sector(self, sector: int) -> bytes:
        start = (sector + 1) * self.sector_size
        return self.data[start : start + self.sector_size]

    @staticmethod
    def _u32s(raw: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(raw) // 4}I", raw))

    def _chain(
        self, sector: int, fat: list[int], count: int, size: int, *, mini: bool = False
    ) -> bytes:
        out: list[bytes] = []
        seen: set[int] = set()
        while sector != _ENDOFCHAIN:
            if not mini and sector >= count and sector < _RESERVED:
                self._beyond_end(sector)
            if sector >= count or sector >= len(fat) or sector in seen:
                _corrupt("Office 文件结构中的扇区链有误")
            seen.add(sector)
            if mini:
                out.append(self.ministream[sector * 64 : sector * 64 + 64])
            else:
                out.append(self._sector(sector))
            sector = fat[sector]
        return b"".join(out)


def _read_compound(data: bytes, limits: ReadLimits, notes: list[tuple[str, str]]) -> list[Sheet]:
    compound = _Compound(data)
    names = compound.names
    if names & {"EncryptionInfo", "EncryptedPackage"} or "\x06DataSpaces" in names:
        _encrypted()
    lower = {n.lower() for n in names}
    if "workbook" not in lower and "book" not in lower:
        if "WordDocument" in names:
            _fail(
                "file.not_workbook",
                "这是 Word 文档(.doc)，不是统计表；请报送下发的 Excel 统计表(.xlsx)，"
                "不要把表格复制到 Word 中",
            )
        if "PowerPoint Document" in names:
            _fail("file.not_workbook", f"这是 PowerPoint 演示文稿，不是统计表；{_SEND_FORM}")
        _fail(
            "file.not_workbook",
            "这不是本工具能读取的表格（可能是 WPS 专用格式或其他 Office 文件）；"
            "请在 WPS/Excel 中打开后“另存为”Excel 工作簿(.xlsx) 再报送",
        )
    stream = compound.stream("Workbook", "Book")
    if stream is None:  # named in another case: calamine will not find it either
        _corrupt("找不到工作簿数据")
    biff = _scan_biff(stream, limits)
    if biff.encrypted:
        _encrypted("（如设置了“保护工作簿”密码，也请一并取消）")
    total = sum(s.count for s in biff.sheets)
    if total > limits.max_total_cells:
        _fail(
            "file.too_large",
            f"工作簿共有 {total} 个非空单元格，超过上限 {limits.max_total_cells}，"
            "不像是一份统计表；请删除与统计表无关的工作表或内容后重新报送",
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
    errors: dict[_Pos, CellError] = field(default_factory=dict)

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
        height = self.max_row - self.min_row + 1
        width = self.max_col - self.min_col + 1
        return (
            height <= limits.max_rows
            and width <= limits.max_cols
            and height * width <= limits.max_dense_cells
        )


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
                _corrupt("文字表的条目数记录有误")
            if unique > limits.max_shared_strings:
                _fail(
                    "file.too_large",
                    f"文件中的文字条目过多（{unique} 条，上限 {limits.max_shared_strings}），"
                    "不像是一份统计表；请删除与统计表无关的工作表后重新报送",
                )
    offsets = [sheet.offset for sheet in book.sheets]
    if len(set(offsets)) != len(offsets):
        _corrupt("几个工作表的位置记录相同")
    walked = 0
    for sheet in book.sheets:
        if sheet.offset >= size:
            _corrupt(f"工作表「{sheet.name}」的位置记录有误")
        walked += _scan_biff_sheet(stream, sheet, limits)
        if walked > size:  # sheets overlap: a reader would walk the same records again and again
            _corrupt(f"工作表「{sheet.name}」的位置记录有误")
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
                _corrupt(f"工作表「{sheet.name}」的单元格记录有误")
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
            _fail(
                "file.too_large",
                f"工作表「{sheet.name}」的非空单元格超过 {limits.max_cells} 个，"
                "不像是一份统计表；请删除与统计表无关的工作表或内容后重新报送",
            )
    return min(pos, size) - sheet.offset


def _xls_with_calamine(data: bytes, biff: _Biff) -> list[Sheet]:
    book: Any = _guarded(
        lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)), "打开工作簿"
    )
    metadata: list[Any] = _guarded(lambda: list(book.sheets_metadata), "读取工作表列表")
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
        cells, merged = _calamine_sheet(book, name)
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
    where = f"工作表「{far.name}」" if far is not None else "工作簿"
    try:
        import xlrd  # type: ignore[import-untyped]
    except ImportError:
        _fail(
            "file.unreadable",
            f"{where}的表格范围异常（有内容远在表格之外），无法安全读取；"
            f"请删除表格外多余的内容，{_RESAVE}",
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
        for index in range(book.nsheets):
            sh = book.sheet_by_index(index)
            cells: dict[tuple[int, int], CellValue] = {}
            for r in range(sh.nrows):
                types = sh.row_types(r)
                values = sh.row_values(r)
                for c, (ctype, value) in enumerate(zip(types, values, strict=False)):
                    plain = _xlrd_value(xlrd, ctype, value, book.datemode)
                    if plain is not None:
                        cells[(r + 1, c + 1)] = plain
            merged = [(r1 + 1, c1 + 1, r2, c2) for r1, r2, c1, c2 in sh.merged_cells]
            visibility = _STATE_NAMES.get(int(sh.visibility), "visible")
            out.append(Sheet(str(sh.name), cells, merged, visibility))
            book.unload_sheet(index)
        return out

    sheets = _guarded(load, "读取工作簿")
    for sheet in sheets:
        if not _cells_fit(sheet.cells, limits):
            notes.append(("file.far_cells", _far_note(sheet.name, sheet.cells, limits)))
    return sheets


def _cells_fit(cells: dict[tuple[int, int], CellValue], limits: ReadLimits) -> bool:
    if not cells:
        return True
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    height = max(rows) - min(rows) + 1
    width = max(cols) - min(cols) + 1
    return (
        height <= limits.max_rows
        and width <= limits.max_cols
        and height * width <= limits.max_dense_cells
    )


def _xlrd_value(xlrd: Any, ctype: int, value: Any, datemode: int) -> CellValue | None:
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_ERROR:
        return CellError(xlrd.error_text_from_code.get(value, "#VALUE!"))
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_DATE:
        return _serial_to_date(float(value), bool(datemode))
    return _plain(value)
