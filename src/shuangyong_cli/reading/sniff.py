"""What a file is by its first bytes, and what to tell a unit whose file is not a workbook.

``detect_format`` looks at magic numbers and, for text, at a guessed decoding (UTF-8, GBK/GB18030,
UTF-16 with BOM) to tell CSV, HTML "Excel exports", Excel 2003 XML and plain text apart. The
messages name what the file really is, say when it was renamed, and note an extension that does
not match a workbook that was read anyway.
"""

from __future__ import annotations

import codecs
from pathlib import Path

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
        return f"（被改成了 {path.suffix} 扩展名）"
    return ""


def not_workbook_message(kind: str, path: Path) -> str:
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
            f"并不是真正的 Excel 表格；{RESAVE}"
        )
    if kind == "xml":
        return f"这是 XML 格式的表格文件（Excel 2003 XML）{renamed}，不是 Excel 工作簿；{RESAVE}"
    if kind == "text":
        return f"这是纯文本文件{renamed}，不是 Excel 表格；{SEND_FORM}"
    if kind == "pdf":
        return f"这是 PDF 文件{renamed}，不是 Excel 表格；{SEND_FORM}原件，不要转成 PDF 或扫描件"
    if kind == "image":
        return f"这是图片文件（照片或截图）{renamed}，不是 Excel 表格；{SEND_FORM}原件"
    if kind == "archive":
        return f"这是压缩包（RAR/7z）{renamed}，不是 Excel 表格；请解压后报送其中的统计表(.xlsx)"
    return f"无法识别的文件格式{renamed}，不是 Excel 表格；{SEND_FORM}；如确是统计表，{RESAVE}"


def extension_note(path: Path, fmt: str) -> str:
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
