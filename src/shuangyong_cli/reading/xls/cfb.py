"""The OLE compound file (CFB) container: .xls, encrypted OOXML, .doc, .ppt all come in one.

``workbook_stream`` parses the container with every sector chain checked first, refuses an
encrypted package, a Word or PowerPoint file or another Office file, and hands back the BIFF
workbook stream of an .xls for ``biff`` to read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import NoReturn

from shuangyong_cli.model import message
from shuangyong_cli.reading.failures import SEND_FORM, TRUNCATED, corrupt, encrypted, fail

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF
_DIFSECT = 0xFFFFFFFC
_RESERVED = 0xFFFFFFFA

MSG_CFB_SIZE = message("file.corrupt", "cfb_size")


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
            fail("file.truncated", TRUNCATED)
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            corrupt(message("file.corrupt", "cfb_header"))
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
            corrupt(message("file.corrupt", "cfb_count"))
        difat = list(struct.unpack_from("<109I", data, 76))
        seen: set[int] = set()
        sector = difat_start
        while sector < _RESERVED:
            self._check_sector(sector)
            if sector in seen:
                corrupt(message("file.corrupt", "cfb_loop"))
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
            corrupt(message("file.corrupt", "cfb_no_directory"))
        root = self.entries[0]
        if root.size > size:
            corrupt(MSG_CFB_SIZE)
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
        for wanted in candidates:  # names compare without letter case, as in the CFB spec
            entry = next((e for e in self.entries if e.name.lower() == wanted.lower()), None)
            if entry is None:
                continue
            if entry.size > len(self.data):
                corrupt(MSG_CFB_SIZE)
            if entry.size < 4096:
                # a mini stream cut short in its last 64 bytes (the file ends there) still
                # holds that sector's start, as calamine and xlrd read it
                count = -(-len(self.ministream) // 64)
                return self._chain(entry.start, self.mini_fat, count, 64, mini=True)[: entry.size]
            return self._chain(entry.start, self.fat, self.sectors, self.sector_size)[: entry.size]
        return None

    def _check_sector(self, sector: int) -> None:
        if sector >= self.sectors:
            self._beyond_end(sector)

    def _beyond_end(self, sector: int) -> NoReturn:
        """A sector past the end: a cut-off download when near, a forged number when far."""
        if sector < 4 * self.sectors + 64:
            fail("file.truncated", TRUNCATED)
        corrupt(message("file.corrupt", "cfb_sector"))

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
                corrupt(message("file.corrupt", "cfb_chain"))
            seen.add(sector)
            if mini:
                out.append(self.ministream[sector * 64 : sector * 64 + 64])
            else:
                out.append(self._sector(sector))
            sector = fat[sector]
        return b"".join(out)


def workbook_stream(data: bytes) -> bytes:
    """The workbook stream of an .xls; anything else in a compound file is refused as what it is."""
    compound = _Compound(data)
    names = compound.names
    if names & {"EncryptionInfo", "EncryptedPackage"} or "\x06DataSpaces" in names:
        encrypted()
    lower = {n.lower() for n in names}
    if "workbook" not in lower and "book" not in lower:
        if "WordDocument" in names:
            fail("file.not_workbook", message("file.not_workbook", "word_doc"))
        if "PowerPoint Document" in names:
            fail(
                "file.not_workbook",
                message("file.not_workbook", "powerpoint").format(send_form=SEND_FORM),
            )
        fail("file.not_workbook", message("file.not_workbook", "other_office"))
    stream = compound.stream("Workbook", "Book")
    if stream is None:
        corrupt(message("file.corrupt", "cfb_no_workbook"))
    return stream
