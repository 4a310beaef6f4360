"""What a file is by its first bytes, and what to tell a unit whose file is not a workbook.

``detect_format`` looks at magic numbers and, for text, at a guessed decoding (UTF-8, GBK/GB18030,
UTF-16 with BOM) to tell CSV, HTML "Excel exports", Excel 2003 XML and plain text apart. The
messages name what the file really is, say when it was renamed, and note an extension that does
not match a workbook that was read anyway.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from shuangyong_cli.model import message
from shuangyong_cli.reading.failures import RESAVE, SEND_FORM

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OOXML_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".et", ".ett"})
_XLS_SUFFIXES = frozenset({".xls", ".xlt", ".et", ".ett"})
_EXCEL_SUFFIXES = _OOXML_SUFFIXES | _XLS_SUFFIXES | {".csv"}


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
        return message("file.not_workbook", "renamed").format(suffix=path.suffix)
    return ""


#: The message for a file that is not a workbook, by what ``detect_format`` says it is.
_NOT_WORKBOOK = {
    "csv": message("file.not_workbook", "csv"),
    "html": message("file.not_workbook", "html"),
    "xml": message("file.not_workbook", "xml"),
    "text": message("file.not_workbook", "text"),
    "pdf": message("file.not_workbook", "pdf"),
    "image": message("file.not_workbook", "image"),
    "archive": message("file.not_workbook", "archive"),
}
_UNKNOWN = message("file.not_workbook")


def not_workbook_message(kind: str, path: Path) -> str:
    """What the file is and what to send instead (``kind`` as ``detect_format`` says it). A .csv
    file is never said to be renamed (``_renamed``)."""
    template = _NOT_WORKBOOK.get(kind, _UNKNOWN)
    return template.format(renamed=_renamed(path), resave=RESAVE, send_form=SEND_FORM)


def extension_note(path: Path, fmt: str) -> str:
    suffix = path.suffix.lower()
    if fmt == "xlsx" and suffix not in _OOXML_SUFFIXES:
        if suffix == ".xls":
            return message("file.extension_mismatch", "xls_is_xlsx")
        shown = path.suffix or message("file.extension_mismatch", "no_suffix")
        return message("file.extension_mismatch").format(suffix=shown)
    if fmt == "xls" and suffix not in _XLS_SUFFIXES:
        shown = path.suffix or message("file.extension_mismatch", "no_suffix")
        return message("file.extension_mismatch", "xlsx_is_xls").format(suffix=shown)
    return ""
