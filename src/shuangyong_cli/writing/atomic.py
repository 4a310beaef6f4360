"""Writing output files safely: never over an input, never half-written, the same bytes each run.

``write_atomic`` writes to a temporary file in the target's folder and moves it into place with
``os.replace``, so an interrupted run leaves either the old file or the new one, never a broken
one, and never a temporary file behind; the file written gets the permissions the user's umask
gives an ordinary file (0644 under umask 022), not the 0600 of a temporary file.
``save_workbook`` saves an openpyxl workbook through openpyxl's own writer into an archive that
stamps every entry with one fixed time, and with fixed document dates, so that the same content
gives the same bytes; nothing openpyxl serialised is edited afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from shuangyong_cli.model import OutputError, os_reason

if TYPE_CHECKING:
    from openpyxl import Workbook

#: The timestamp written into every output zip entry and document property.
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2020-01-01T00:00:00Z"
FIXED_DOC_DATETIME = dt.datetime(2020, 1, 1, 0, 0, 0)


def check_output(
    out: Path,
    *,
    inputs: Iterable[Path] = (),
    force: bool = False,
    what: str = "输出文件",
    suffix: str = ".xlsx",
) -> Path:
    """Refuse an output that would overwrite an input, land in a folder being read, replace an
    existing file without ``force``, or be named other than ``suffix`` (a workbook the tool
    writes named .xls or .et, Excel and WPS would refuse or call damaged). Returns the
    resolved path."""
    target = out.expanduser().resolve()
    for src in inputs:
        s = src.expanduser().resolve()
        if s == target:
            raise OutputError(f"{what} {out} 就是输入文件，不能覆盖输入；请换一个文件名")
        if s.is_dir() and s in target.parents:
            raise OutputError(
                f"{what} {out} 位于正在读取的文件夹 {src} 中，下次会被当作报表读入；请保存到别处"
            )
    if target.is_dir():
        raise OutputError(f"{what} {out} 是一个文件夹；请给出文件名")
    if out.suffix.lower() != suffix:
        said = f"的扩展名是“{out.suffix}”" if out.suffix else "没有扩展名"
        kind = {".xlsx": "Excel 工作簿", ".toml": "TOML 文本文件"}.get(suffix, "文件")
        raise OutputError(
            f"{what} {out} {said}：本工具写出的是 {kind}（{suffix}），"
            f"请以 {suffix} 结尾，如 {out.with_suffix(suffix).name}"
        )
    if target.exists() and not force:
        raise OutputError(f"{what} {out} 已存在；如要覆盖，请加 --force")
    if not target.parent.is_dir():
        raise OutputError(f"{what}所在的文件夹 {target.parent} 不存在")
    return target


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` for a temporary path beside ``target``, then move it into place."""
    folder = target.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~shuangyong-", suffix=target.suffix, dir=folder)
    except OSError as e:
        raise OutputError(f"无法在 {folder} 中写入文件：{os_reason(e)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, _ordinary_mode())
        os.replace(tmp, target)
    except OSError as e:
        raise OutputError(f"写入 {target} 失败：{os_reason(e)}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def _ordinary_mode() -> int:
    """The mode a new file gets from the user's umask (``mkstemp`` makes its file 0600)."""
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(target: Path, data: bytes) -> None:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomic(target, write)


#: zlib's default level, what Excel and openpyxl use.
DEFAULT_LEVEL = 6

#: The permissions an entry of a written workbook records (an ordinary file's).
_ENTRY_MODE = 0o644


class FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose every entry carries ``FIXED_ZIP_TIME`` and ordinary permissions.

    openpyxl's ``ExcelWriter`` writes a workbook's parts into the archive it is given, through
    ``writestr`` and ``write``; this archive stamps each entry alike, so that the same workbook
    gives the same bytes. The parts themselves are what openpyxl serialised, untouched."""

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: bytes | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            name = zinfo_or_arcname.filename
        else:
            name = zinfo_or_arcname
        info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
        info.compress_type = self.compression if compress_type is None else compress_type
        info.external_attr = _ENTRY_MODE << 16
        level = self.compresslevel if compresslevel is None else compresslevel
        super().writestr(info, data, compresslevel=level)

    def write(  # type: ignore[override]
        self,
        filename: str | os.PathLike[str],
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = arcname if arcname is not None else Path(filename).name
        self.writestr(name, Path(filename).read_bytes(), compress_type, compresslevel)


def _fix_document_times(wb: Workbook) -> None:
    """The document's created and modified dates, fixed (openpyxl's ``save`` would set
    modified to now; ``ExcelWriter`` writes the properties as they are)."""
    wb.properties.created = FIXED_DOC_DATETIME
    wb.properties.modified = FIXED_DOC_DATETIME


def save_workbook(wb: Workbook, dest: Path | IO[bytes], *, level: int = DEFAULT_LEVEL) -> None:
    """Save an openpyxl workbook to ``dest`` (a path or a binary file) through openpyxl's
    ``ExcelWriter``, with fixed timestamps: the same workbook gives the same bytes.
    ``level``: of deflate, 1 (fastest) to 9 (smallest)."""
    from openpyxl.writer.excel import ExcelWriter

    _fix_document_times(wb)
    # ``save`` closes the archive; ``with`` closes it too when writing fails (a full disk), so
    # that it is not left to be closed, and fail again, when it is garbage-collected.
    with FixedTimeZip(
        dest, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=level
    ) as archive:
        ExcelWriter(wb, archive).save()


def workbook_bytes(wb: Workbook, *, level: int = DEFAULT_LEVEL) -> bytes:
    """``save_workbook`` into memory."""
    buf = io.BytesIO()
    save_workbook(wb, buf, level=level)
    return buf.getvalue()


def save_workbook_atomic(wb: Workbook, target: Path, *, level: int = DEFAULT_LEVEL) -> None:
    """Save an openpyxl workbook to ``target`` atomically, with fixed timestamps."""
    write_atomic(target, lambda tmp: save_workbook(wb, tmp, level=level))
