"""The OLE compound file (CFB) container: .xls, encrypted OOXML, .doc, .ppt all come in one.

``workbook_stream`` parses the container with every sector chain checked first, refuses an
encrypted package, a Word or PowerPoint file or another Office file, and hands back the BIFF
workbook stream of an .xls for ``biff`` to read.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import NoReturn

from shuangyong_cli.reading.failures import SEND_FORM, TRUNCATED, corrupt, encrypted, fail

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
            fail("file.truncated", TRUNCATED)
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            corrupt("Office 文件结构无效")
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
            corrupt("Office 文件结构中的数量记录有误")
        difat = list(struct.unpack_from("<109I", data, 76))
        seen: set[int] = set()
        sector = difat_start
        while sector < _RESERVED:
            self._check_sector(sector)
            if sector in seen:
                corrupt("Office 文件结构有循环")
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
            corrupt("Office 文件目录为空")
        root = self.entries[0]
        if root.size > size:
            corrupt("Office 文件结构中的大小记录有误")
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
                corrupt("Office 文件结构中的大小记录有误")
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
        corrupt("Office 文件结构中的扇区编号超出文件范围")

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
                corrupt("Office 文件结构中的扇区链有误")
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
            fail(
                "file.not_workbook",
                "这是 Word 文档(.doc)，不是统计表；请报送下发的 Excel 统计表(.xlsx)，"
                "不要把表格复制到 Word 中",
            )
        if "PowerPoint Document" in names:
            fail("file.not_workbook", f"这是 PowerPoint 演示文稿，不是统计表；{SEND_FORM}")
        fail(
            "file.not_workbook",
            "这不是本工具能读取的表格（可能是 WPS 专用格式或其他 Office 文件）；"
            "请在 WPS/Excel 中打开后“另存为”Excel 工作簿(.xlsx) 再报送",
        )
    stream = compound.stream("Workbook", "Book")
    if stream is None:
        corrupt("找不到工作簿数据")
    return stream
