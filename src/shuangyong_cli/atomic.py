"""Writing output files safely: never over an input, never half-written, the same bytes each run.

``write_atomic`` writes to a temporary file in the target's folder and moves it into place with
``os.replace``, so an interrupted run leaves either the old file or the new one, never a broken
one, and never a temporary file behind. ``deterministic_xlsx`` rewrites a saved workbook so that
the same content gives the same bytes (fixed zip timestamps and document dates).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import OutputError, os_reason

#: The timestamp written into every output zip entry and document property.
FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = "2020-01-01T00:00:00Z"


def check_output(
    out: Path, *, inputs: Iterable[Path] = (), force: bool = False, what: str = "输出文件"
) -> Path:
    """Refuse an output that would overwrite an input, land in a folder being read, or replace an
    existing file without ``force``. Returns the resolved path."""
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
        os.replace(tmp, target)
    except OSError as e:
        raise OutputError(f"写入 {target} 失败：{os_reason(e)}") from None
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes_atomic(target: Path, data: bytes) -> None:
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_atomic(target, write)


_CORE_TIME = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:(created|modified)>)")


#: zlib's default level, what Excel and openpyxl use.
DEFAULT_LEVEL = 6


def deterministic_xlsx(
    data: bytes,
    edit: Callable[[str, bytes], bytes] | None = None,
    *,
    level: int = DEFAULT_LEVEL,
) -> bytes:
    """The same workbook with fixed timestamps: zip entry times and core document dates.
    ``edit(name, content)`` gives each part's content, changed or not, in the same pass.
    ``level``: of deflate, 1 (fastest) to 9 (smallest)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if edit is not None:
                body = edit(info.filename, body)
            if info.filename == "docProps/core.xml":
                body = _CORE_TIME.sub(rb"\g<1>" + FIXED_DOC_TIME.encode() + rb"\g<3>", body)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, body, compresslevel=level)
    return out.getvalue()


def saved_xlsx(wb: object) -> bytes:
    """An openpyxl workbook saved in memory as ``wb.save`` saves it, but with its parts stored
    uncompressed: ``deterministic_xlsx`` compresses each part once (instead of inflating what
    openpyxl deflated and deflating it again)."""
    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    archive = zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # type: ignore[arg-type]  # closes the archive
    return buf.getvalue()


def save_workbook_atomic(wb: object, target: Path, *, level: int = DEFAULT_LEVEL) -> None:
    """Save an openpyxl workbook to ``target`` atomically, with fixed timestamps."""
    write_bytes_atomic(target, deterministic_xlsx(saved_xlsx(wb), level=level))
