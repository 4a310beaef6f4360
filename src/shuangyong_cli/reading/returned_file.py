"""Opening a returned file safely: what it is by its bytes, bounded sizes, a ``Grid`` out.

Every unit's file passes through here, so nothing in a file is trusted. The file is read once into
memory (its size checked first) and never written. What it is comes from its bytes, not its name:

- a zip (OOXML .xlsx/.xlsm/.et) is checked part by part before any reader sees it: entry count,
  declared and *actual* decompressed sizes, compression ratio, CRC, and no ``<!DOCTYPE``/
  ``<!ENTITY`` in any XML part. Each worksheet is then read by our own code: regular expressions
  when its sheetData has the plain shape every mainstream writer produces (``ooxml.sheet_regex``),
  expat otherwise (``ooxml.sheet_expat``), which keeps only the cells that hold something: a
  stray cell far away (XFD1048576) costs one entry, where calamine would allocate a dense range
  of gigabytes. Values follow calamine's rules (tested against it), so an .xlsx and an .xls read
  alike.
- an OLE compound file is walked by our own CFB parser (``cfb``), which checks every sector chain
  a reader would follow (calamine aborts the process on a bad sector number, it does not raise);
  then it is an encrypted OOXML package, a BIFF .xls (whose records are scanned for FILEPASS,
  extent, DIMENSIONS and error cells before calamine reads it), a Word document, or something else.
- anything else (CSV, HTML "Excel exports", PDF, pictures, archives) is refused with a message a
  clerk can forward to the unit as is.

Failures raise ``UnreadableFileError(code, message)`` with a ``file.*`` code from
``findings.CODES``; observations that do not stop reading go to ``Grid.notes``.

This module reads the file and dispatches; the steps live in ``sniff`` (what the bytes are),
``ooxml`` (``package``, ``parts``, ``cell_values``, ``sheet_regex``, ``sheet_expat``), ``xls``
(``cfb`` and ``biff``), ``calamine`` (calling it safely), ``limits`` and ``failures``.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path
from typing import NoReturn

from shuangyong_cli.model import Grid, UnreadableFileError, message, os_reason
from shuangyong_cli.reading.calamine import rust_quiet
from shuangyong_cli.reading.failures import corrupt, fail
from shuangyong_cli.reading.limits import DEFAULT_LIMITS, ReadLimits
from shuangyong_cli.reading.ooxml.package import read_ooxml
from shuangyong_cli.reading.sniff import detect_format, extension_note, not_workbook_message
from shuangyong_cli.reading.xls.biff import read_xls

__all__ = ["DEFAULT_LIMITS", "ReadLimits", "detect_format", "read_grid"]


_HEAD_BYTES = 8192

MSG_EMPTY = message("file.empty")
MSG_OS_ERROR = message("file.unreadable")
MSG_TOO_LARGE = message("file.too_large")


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def read_grid(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> Grid:
    """Read ``path`` into a ``Grid``, or raise ``UnreadableFileError`` with a ``file.*`` code."""
    data = _read_bounded(path, limits)
    digest = hashlib.sha256(data).hexdigest()
    kind = detect_format(data[:_HEAD_BYTES])
    if kind == "empty" and data.strip(b"\x00 \t\r\n\x0b\x0c"):
        kind = "unknown"  # blank at the start only
    if kind == "empty":
        if not data.strip(b"\x00"):
            raise UnreadableFileError(
                "file.empty", message("file.empty", "null_bytes").format(size=len(data))
            )
        raise UnreadableFileError("file.empty", message("file.empty", "blank"))
    if kind not in ("xlsx", "xls"):
        raise UnreadableFileError("file.not_workbook", not_workbook_message(kind, path))
    notes: list[tuple[str, str]] = []
    reader = read_ooxml if kind == "xlsx" else read_xls
    try:
        if kind == "xls":  # calamine reads it
            with rust_quiet():
                sheets = reader(data, limits, notes)
        else:
            sheets = reader(data, limits, notes)
    except (UnreadableFileError, MemoryError):
        raise
    except Exception as exc:  # a file broken in a way no check above foresaw
        corrupt(message("file.corrupt", "unparsable").format(error=type(exc).__name__))
    fmt = kind
    mismatch = extension_note(path, fmt)
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
        fail("file.unreadable", message("file.unreadable", "not_found").format(name=path.name))
    except OSError as exc:
        fail("file.unreadable", MSG_OS_ERROR.format(reason=os_reason(exc)))
    if not stat.S_ISREG(info.st_mode):
        fail("file.unreadable", message("file.unreadable", "not_a_file").format(name=path.name))
    if info.st_size == 0:
        fail("file.empty", MSG_EMPTY)
    if info.st_size > limits.max_file_bytes:
        _too_large(info.st_size, limits)
    try:
        with path.open("rb") as fh:
            # As many bytes as the file has (asking for the whole limit would have Python set
            # aside that much memory for every file), and the rest if it grew since.
            want = min(info.st_size, limits.max_file_bytes) + 1
            data = fh.read(want)
            if len(data) == want:
                data += fh.read(limits.max_file_bytes + 1 - want)
    except PermissionError:
        fail("file.unreadable", message("file.unreadable", "no_permission"))
    except OSError as exc:
        fail("file.unreadable", MSG_OS_ERROR.format(reason=os_reason(exc)))
    if len(data) > limits.max_file_bytes:
        _too_large(len(data), limits)
    if not data:
        fail("file.empty", MSG_EMPTY)
    return data


def _too_large(size: int, limits: ReadLimits) -> NoReturn:
    fail(
        "file.too_large",
        MSG_TOO_LARGE.format(size_mb=size / 1048576, limit_mb=limits.max_file_bytes / 1048576),
    )
