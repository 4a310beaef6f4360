"""The annotated copy sent back to a unit (``--annotate DIR``): what is wrong, on the cells.

For each file, a copy named ``<原文件名>-校验意见.xlsx`` is written to the folder given:

- every cell a finding points at is filled (light red for 错误, light yellow for 警告, light green
  for 提示: none of them a fill of the blank form, whose grey and light blue cells are the form's
  own) and carries a comment, by "shuangyong", with the finding's message (``annotation_marks``);
- a first sheet 校验意见 lists the findings (级别, 工作表, 单元格, 项目, 填写内容, 问题) under
  lines naming the file, its counts and 结论, and a legend of the colours; each 单元格 links to
  the cell. It prints on A4 landscape, one page wide, at a readable size, with long texts
  wrapped and the table's header on every page (``annotation_sheet``, ``printing``).

The original is only read, never written. An .xlsx is copied with openpyxl (formats kept, macros
dropped, sheet protection removed so the marks can be seen and edited). An .xls, or an .xlsx that
openpyxl cannot open, is rebuilt from the cells as read (values only, ``grid_copy``), and the
校验意见 sheet says so.

openpyxl is imported at the top: commands import this module inside their functions.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model import (
    FileResult,
    Grid,
    OutputError,
    Report,
    Severity,
    ShuangyongError,
    UnreadableFileError,
    message,
    os_reason,
)
from shuangyong_cli.writing.annotation_marks import mark_cells
from shuangyong_cli.writing.annotation_sheet import add_annotation_sheet
from shuangyong_cli.writing.atomic import check_output, save_workbook_atomic
from shuangyong_cli.writing.grid_copy import workbook_from_grid
from shuangyong_cli.writing.unit_copies import safe_filename

if TYPE_CHECKING:
    from shuangyong_cli.reading import ReadLimits

NAME_SUFFIX = "-校验意见"

VALUES_ONLY = "只保留了各单元格的值，格式和公式未保留。"
REBUILT_NOTE = f"说明：原文件无法按原样复制，本副本按读取到的内容重建，{VALUES_ONLY}"


# -- names --------------------------------------------------------------------------------------


def annotated_name(source: Path) -> str:
    """``石会镇.xls`` → ``石会镇-校验意见.xlsx`` (safe as a file name on Windows)."""
    return f"{safe_filename(source.stem, max_chars=80)}{NAME_SUFFIX}.xlsx"


def annotated_names(sources: Iterable[Path]) -> dict[Path, str]:
    """A distinct copy name for each source, even where two sources (``a/民政局.xlsx`` and
    ``b/民政局.xls``) would give the same: the later ones get （2）, （3）…"""
    taken: set[str] = set()
    names: dict[Path, str] = {}
    for source in sources:
        first = annotated_name(source)
        stem = first[: -len(".xlsx")]
        name, n = first, 1
        while name.casefold() in taken:
            n += 1
            name = f"{stem}（{n}）.xlsx"
        taken.add(name.casefold())
        names[source] = name
    return names


# -- a whole run --------------------------------------------------------------------------------


def needs_annotation(result: FileResult) -> bool:
    """A copy goes back to the units that have something to fix or check: an error or a
    warning. A file that could not be read as a workbook (an error with a ``file.*`` code)
    gets none: there is nothing to mark, and reading it again could only fail again."""
    unreadable = any(
        f.code.startswith("file.") and f.severity is Severity.ERROR for f in result.findings
    )
    return bool(result.source) and not unreadable and (result.errors + result.warnings) > 0


def annotate_report(
    report: Report,
    out_dir: Path,
    *,
    force: bool = False,
    limits: ReadLimits | None = None,
    inputs: Sequence[Path] = (),
    read_grid: Callable[[Path], Grid] | None = None,
) -> list[Path]:
    """Write an annotated copy of every file of ``report`` with an error or a warning into
    ``out_dir``; returns the paths written, in report order.

    Each file (``FileResult.source``) is read again, with ``limits``, because grids are not
    kept in a report; a file that can no longer be read, or has changed since it was checked,
    is skipped. ``read_grid`` replaces the reader (tests).
    """
    if read_grid is None:
        from shuangyong_cli import reading

        use = limits if limits is not None else reading.ReadLimits()

        def read_grid(path: Path) -> Grid:
            return reading.read_grid(path, use)

    todo = [r for r in report.files if needs_annotation(r)]
    names = annotated_names(Path(r.source) for r in todo)
    written: list[Path] = []
    for result in todo:
        source = Path(result.source)
        try:
            grid = read_grid(source)
            with source.open("rb") as fh:
                data = fh.read(grid.size + 1) if grid.size else fh.read()
        except (OSError, ShuangyongError):
            continue
        if grid.sha256 and hashlib.sha256(data).hexdigest() != grid.sha256:
            continue  # the file changed since it was checked: its findings no longer apply
        written.append(
            annotate(
                source,
                result,
                grid,
                out_dir,
                force=force,
                data=data,
                name=names[source],
                inputs=inputs,
            )
        )
    return written


# -- one copy -----------------------------------------------------------------------------------


def annotate(
    source: Path,
    result: FileResult,
    grid: Grid,
    out_dir: Path,
    *,
    force: bool = False,
    data: bytes | None = None,
    name: str | None = None,
    inputs: Sequence[Path] = (),
) -> Path:
    """Write the annotated copy of ``source`` into ``out_dir`` (created if missing) and return
    its path.

    ``grid`` is the file as the reader read it; ``data`` its bytes when the caller has them
    (else the file is read again, never written). ``name`` overrides the copy's file name (see
    ``annotated_names``). ``inputs`` are the other files and folders being read: the copy is
    never written over one of them, nor into a folder being read.
    """
    target = _prepare_target(out_dir, name or annotated_name(source), [source, *inputs], force)

    wb: Workbook | None = None
    note = ""
    if grid.format.lower() in ("xlsx", "xlsm"):
        try:
            raw = data if data is not None else source.read_bytes()
            wb = _open_copy(raw)
        except OSError as e:
            raise UnreadableFileError(
                "file.unreadable",
                message("file.unreadable", "copy").format(source=source, reason=os_reason(e)),
            ) from None
        except Exception:  # a hostile or broken file: any failure inside openpyxl
            note = REBUILT_NOTE
    else:
        note = f"说明：原文件为 .{grid.format} 格式，本副本另存为 .xlsx，{VALUES_ONLY}"

    if wb is not None:
        try:
            return _finish(wb, {s: s for s in wb.sheetnames}, source, result, note, target)
        except OutputError:
            raise
        except Exception:  # openpyxl could open it but not write it back
            note = REBUILT_NOTE
    rebuilt, names = workbook_from_grid(grid)
    return _finish(rebuilt, names, source, result, note, target)


def _prepare_target(out_dir: Path, name: str, inputs: Sequence[Path], force: bool) -> Path:
    folder = out_dir.expanduser()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"批注副本的输出文件夹 {out_dir} 是一个文件；请给出文件夹")
    resolved = folder.resolve()
    for src in inputs:
        s = src.expanduser().resolve()
        if s.is_dir() and (s == resolved or s in resolved.parents):
            raise OutputError(
                f"批注副本的输出文件夹 {out_dir} 位于正在读取的文件夹 {src} 中，"
                "下次会被当作报表读入；请保存到别处"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"无法建立文件夹 {out_dir}：{os_reason(e)}") from None
    return check_output(folder / name, inputs=inputs, force=force, what="批注副本")


def _open_copy(data: bytes) -> Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False, rich_text=False)
    wb.template = False  # an .xltx saved as .xlsx must not keep the template content type
    return wb


def _finish(
    wb: Workbook,
    sheet_names: dict[str, str],
    source: Path,
    result: FileResult,
    note: str,
    target: Path,
) -> Path:
    """Mark the cells, add the 校验意见 sheet, and write ``wb`` to ``target``."""
    _unprotect(wb)
    marked = mark_cells(wb, sheet_names, result.findings)
    add_annotation_sheet(wb, source, result, note, marked, sheet_names)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        save_workbook_atomic(wb, target)
    return target


def _unprotect(wb: Workbook) -> None:
    wb.security = None
    for ws in wb.worksheets:
        if isinstance(ws, Worksheet):
            ws.protection = SheetProtection()
