"""One pre-filled copy of the blank form per roster unit (``template --roster``), and the file
names they get: every check before the first write, nothing left behind when one fails.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from shuangyong_cli.model import FormSpec, OutputError, os_reason
from shuangyong_cli.season import Roster, RosterUnit
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.template import build_template

_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)]
)
MAX_NAME_CHARS = 60


def safe_filename(text: str, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """``text`` made safe as a file name on Windows, macOS and Linux (no extension added)."""
    name = " ".join(_FORBIDDEN.sub("", unicodedata.normalize("NFC", text)).split())
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    name = name[:max_chars].strip(" .")
    if name.split(".")[0].strip().upper() in _RESERVED:
        name = "_" + name
    return name or "未命名单位"


def unit_copy_names(spec: FormSpec, roster: Roster) -> list[tuple[RosterUnit, str]]:
    """The file name of each unit's copy, distinct even where two names clean to the same."""
    tail = safe_filename(spec.sheet or spec.title, max_chars=20)
    taken: set[str] = set()
    out: list[tuple[RosterUnit, str]] = []
    for unit in roster.units:
        stem = f"{safe_filename(unit.name)}-{tail}"
        name, n = f"{stem}.xlsx", 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}（{n}）.xlsx"
        taken.add(name.casefold())
        out.append((unit, name))
    return out


def write_unit_copies(
    spec: FormSpec,
    roster: Roster,
    out_dir: Path,
    *,
    force: bool = False,
    password: str | None = None,
    build: Callable[[str], Workbook] | None = None,
) -> list[tuple[RosterUnit, Path]]:
    """Write one copy per roster unit, 填报单位 filled in, into ``out_dir``; ``build`` (a unit's
    name → its workbook) replaces the drawing, as for a clerk's own blank.

    Every check (folder writable, no file in the way unless ``force``, no input overwritten)
    happens before the first write; if one fails, nothing is written."""
    folder = out_dir.expanduser()
    names = unit_copy_names(spec, roster)
    inputs = (roster.source,) if roster.source is not None else ()
    missing = _check_folder(folder, out_dir)
    targets: list[tuple[RosterUnit, Path]] = []
    if not missing:
        existing: list[str] = []
        for unit, name in names:
            target = atomic.check_output(folder / name, inputs=inputs, force=True, what="统计表")
            if target.exists():
                existing.append(name)
            targets.append((unit, target))
        if existing and not force:
            more = f" 等 {len(existing)} 个文件" if len(existing) > 1 else ""
            raise OutputError(
                f"文件夹 {out_dir} 中已有 {existing[0]}{more}；如要覆盖，请加 --force"
            )
    else:
        try:
            folder.mkdir(parents=True)
            _probe(folder, out_dir)
        except OSError as e:
            _remove_dirs(missing)
            raise OutputError(f"无法创建文件夹 {out_dir}：{os_reason(e)}") from None
        except OutputError:
            _remove_dirs(missing)
            raise
        targets = [(unit, (folder / name).resolve()) for unit, name in names]
    make = build or (lambda unit: build_template(spec, unit=unit, password=password))
    written: list[Path] = []
    try:
        for unit, target in targets:
            existed = target.exists()
            atomic.save_workbook_atomic(make(unit.name), target)
            if not existed:
                written.append(target)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        _remove_dirs(missing)
        raise
    return targets


def _check_folder(folder: Path, shown: Path) -> list[Path]:
    """Check the output folder can be written; returns the folders to create, deepest first."""
    if folder.exists():
        if not folder.is_dir():
            raise OutputError(f"输出位置 {shown} 是一个文件，不是文件夹；请给出文件夹")
        _probe(folder, shown)
        return []
    missing = [folder]
    parent = folder.parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"无法创建文件夹 {shown}：{parent} 是一个文件，不是文件夹")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"无法创建文件夹 {shown}：没有在 {parent} 中写入的权限")
    return missing


def _probe(folder: Path, shown: Path) -> None:
    """Raise OutputError unless a file can be created in ``folder`` (and remove it again)."""
    try:
        with tempfile.TemporaryFile(prefix=".~shuangyong-", dir=folder):
            pass
    except OSError as e:
        raise OutputError(f"无法在文件夹 {shown} 中写入文件：{os_reason(e)}") from None


def _remove_dirs(folders: list[Path]) -> None:
    """Remove the folders this run created, deepest first (only while empty)."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return
