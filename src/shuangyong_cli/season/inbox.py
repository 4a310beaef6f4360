"""The validate pipeline: find the files, read and check each one, match units to the roster.

``validate_paths`` is what both ``shuangyong validate`` and ``shuangyong merge`` run. Each file is
read and checked on its own (in worker processes with ``jobs`` > 1); a file that cannot be used
becomes a ``FileResult`` with a finding that says why, never an exception and never a silent skip.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from shuangyong_cli.model import (
    FileResult,
    FormSpec,
    Report,
    UnreadableFileError,
    UsageError,
    finding,
    message,
    os_reason,
)
from shuangyong_cli.reading import ReadLimits, read_grid
from shuangyong_cli.season.matching import flag_duplicates, flag_other_units_copies, match_roster
from shuangyong_cli.season.roster import Roster, normalize_unit_name

#: File names a spreadsheet program or an operating system leaves beside real files.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}

Progress = Callable[[str], None]

MSG_OUT_OF_MEMORY = message("file.too_large", "out_of_memory")


MSG_NOTHING_FOUND = (
    "在 {where} 中没有找到报表：{skipped}读取的是其中（含子文件夹）的所有文件，"
    "如 .xlsx、.xls、.et，不读 ~$…、.~lock.…#、._…、Thumbs.db、desktop.ini 等锁定文件和系统文件。"
    "请确认文件夹是否正确，附件是否已保存到其中。"
)


def is_system_file(name: str) -> bool:
    """Lock files and OS litter, skipped without being counted."""
    low = name.lower()
    return (
        name.startswith("~$")
        or (name.startswith(".~lock.") and name.endswith("#"))
        or name.startswith("._")
        or low in SYSTEM_FILES
    )


@dataclass(frozen=True)
class InputFile:
    path: Path
    display: str


def collect_files(paths: Sequence[Path], *, allow_empty: bool = False) -> list[InputFile]:
    """Every file named, and every file below every folder named (recursively, sorted), except
    lock and system files. A path that does not exist is a usage error, and so is finding no
    file at all, unless ``allow_empty`` (``status`` before anyone has reported)."""
    found: list[InputFile] = []
    seen: set[Path] = set()
    skipped = 0
    for given in paths:
        if not given.exists():
            raise UsageError(f"找不到文件或文件夹：{given}")
        if given.is_dir():
            base = given.resolve()
            for rel, path, link in sorted(_files_below(given)):
                if is_system_file(path.name):
                    skipped += 1
                    continue
                # Below a resolved folder, entered without following links, a plain file's
                # real path is the folder's joined with its own: resolve only links.
                _add(found, seen, path, rel, path.resolve() if link else base / rel)
        elif not is_system_file(given.name):
            display = given.name if given.parent == Path(".") else str(given)
            _add(found, seen, given, display, given.resolve())
        else:
            skipped += 1
    if paths and not found and not allow_empty:
        raise UsageError(
            MSG_NOTHING_FOUND.format(
                where="、".join(map(str, paths)),
                skipped=(f"只有 {skipped} 个锁定文件或系统文件，已跳过；" if skipped else ""),
            )
        )
    return found


def _files_below(folder: Path) -> list[tuple[str, Path, bool]]:
    """(path relative to ``folder`` with /, path, is a link) of every file below ``folder``,
    not entering hidden folders (.git, .~tmp) or links to folders. One ``scandir`` per folder:
    no ``stat`` per file."""
    out: list[tuple[str, Path, bool]] = []
    stack: list[tuple[Path, str]] = [(folder, "")]
    while stack:
        where, prefix = stack.pop()
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir():
                    if not entry.is_symlink() and not entry.name.startswith("."):
                        stack.append((where / entry.name, rel + "/"))
                elif entry.is_file():
                    out.append((rel, where / entry.name, entry.is_symlink()))
            except OSError:
                continue
    return out


def _add(found: list[InputFile], seen: set[Path], path: Path, display: str, key: Path) -> None:
    if key not in seen:
        seen.add(key)
        found.append(InputFile(path, display))


def check_file(item: InputFile, spec: FormSpec, limits: ReadLimits) -> FileResult:
    """Read and check one file. Never raises for a bad file: the reason becomes a finding."""
    from shuangyong_cli.checking import check_return

    result = FileResult(path=item.display, source=str(item.path))
    try:
        mtime = item.path.stat().st_mtime
        grid = read_grid(item.path, limits)
    except UnreadableFileError as e:
        result.findings.append(finding(e.code, e.message, file=item.display))
        return result
    except OSError as e:
        result.findings.append(
            finding(
                "file.unreadable",
                message("file.unreadable", "cannot_open").format(reason=os_reason(e)),
                file=item.display,
            )
        )
        return result
    except MemoryError:  # the reader's bounds still exceed what this machine has: skip the file
        result.findings.append(finding("file.too_large", MSG_OUT_OF_MEMORY, file=item.display))
        return result
    for code, note in grid.notes:
        result.findings.append(finding(code, note, file=item.display))
    findings, data = check_return(grid, spec, display_path=item.display, mtime=mtime)
    result.findings.extend(findings)
    if data is not None:
        result.data = data
        result.unit = data.unit
    return result


#: Files per task sent to a worker: sending files one at a time makes the main process spend
#: on coordination what the workers need for reading; a few dozen at a time make that cost
#: small. Fewer files per task towards the end and when there are few (``_chunks``).
CHUNK = 32
TAIL_TASK = 4
CheckFile = Callable[[InputFile, FormSpec, ReadLimits], FileResult]

#: In a worker process: the check, the form and the limits, sent once when the worker starts
#: (sent with every file, the form would be unpickled, and its look-up plans rebuilt, per file).
_worker: tuple[CheckFile, FormSpec, ReadLimits] | None = None


def _init_worker(check: CheckFile, spec: FormSpec, limits: ReadLimits) -> None:
    global _worker
    _worker = (check, spec, limits)
    gc.enable()  # a forked worker inherits a paused collector (see ``cycle_collector``)
    # Ctrl-C reaches every process of the terminal's group. Only the main process acts on it
    # (it stops handing out files and waits for the files being read); a worker interrupted
    # in the middle of the pool's queue would print a traceback and could leave the pool stuck.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def cycle_collector(on: bool) -> Iterator[None]:
    """Python's cycle collector on (or off) for the block; afterwards as it was before. Files
    are read with it on, whatever the caller chose (``commands.checking.collector_paused``): a
    reader's expat parser and its handlers are a reference cycle, freed only by the collector."""
    was = gc.isenabled()
    (gc.enable if on else gc.disable)()
    try:
        yield
    finally:
        (gc.enable if was else gc.disable)()


def _check_in_worker(items: list[InputFile]) -> list[FileResult]:
    assert _worker is not None
    check, spec, limits = _worker
    return [check(item, spec, limits) for item in items]


Setup = tuple[CheckFile, FormSpec, ReadLimits]


def _check_many(
    items: list[InputFile],
    spec: FormSpec,
    limits: ReadLimits,
    jobs: int,
    progress: Progress | None,
    while_reading: Callable[[], object] | None = None,
) -> list[FileResult]:
    if jobs == 0:
        jobs = os.cpu_count() or 1
    if jobs <= 1 or len(items) < 8:
        out = []
        with cycle_collector(on=True):
            for item in items:
                out.append(check_file(item, spec, limits))
                if progress:
                    progress(item.display)
        return out
    setup = (check_file, spec, limits)
    results: dict[int, FileResult] = {}
    todo = list(range(len(items)))
    while todo:
        chunks = _chunks(todo, jobs)
        if _check_chunks(items, chunks, setup, jobs, progress, results, while_reading):
            break
        while_reading = None  # called once
        # A worker died (a native crash in a reader). The pool hands out chunks in order, so
        # the file that killed it is in one of the first chunks not finished (at most one being
        # read and one queued per worker, and one more): read those one at a time in one
        # process, which marks the file that kills it; then the rest in parallel again.
        unfinished = [chunk for chunk in chunks if chunk[0] not in results]
        suspects = 2 * jobs + 2
        _check_one_by_one(
            items, [i for c in unfinished[:suspects] for i in c], setup, progress, results
        )
        todo = [i for c in unfinished[suspects:] for i in c]
    return [results[i] for i in range(len(items))]


def _chunks(todo: list[int], jobs: int) -> list[list[int]]:
    """The files in tasks for ``jobs`` workers: each half of each worker's share of the
    files left, at most ``CHUNK``, and towards the end at least ``TAIL_TASK`` (or the first
    task's size, when there are few files). The tasks get smaller towards the end, so that the
    workers finish together: with full tasks to the end, one worker could still be reading a
    whole task while the other waits."""
    first = max(1, min(CHUNK, len(todo) // (4 * jobs)))
    least = min(TAIL_TASK, first)
    chunks = []
    k = 0
    while k < len(todo):
        size = min(first, max(least, (len(todo) - k) // (2 * jobs)))
        chunks.append(todo[k : k + size])
        k += size
    return chunks


def _check_chunks(
    items: list[InputFile],
    chunks: list[list[int]],
    setup: Setup,
    jobs: int,
    progress: Progress | None,
    results: dict[int, FileResult],
    while_reading: Callable[[], object] | None = None,
) -> bool:
    """Check the chunks of files in ``jobs`` worker processes, into ``results``. False when a
    worker died: then ``results`` has the chunks finished before, the others are not there."""
    whole = True
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=setup) as pool:
        try:
            futures = [pool.submit(_check_in_worker, [items[i] for i in c]) for c in chunks]
            if while_reading is not None:  # the workers are started (forked) by the first submit
                while_reading()
            for fut, chunk in zip(futures, chunks, strict=True):
                try:
                    got = fut.result()
                except BrokenProcessPool:
                    whole = False  # the chunks finished before the break are still collected
                    continue
                for i, result in zip(chunk, got, strict=True):
                    results[i] = result
                    if progress:
                        progress(items[i].display)
        except KeyboardInterrupt:
            # Files not yet handed out are dropped; the ones being read finish (one task per
            # worker) and the workers exit, so the command ends without leaving processes.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return whole


def _check_one_by_one(
    items: list[InputFile],
    todo: list[int],
    setup: Setup,
    progress: Progress | None,
    results: dict[int, FileResult],
) -> None:
    """Check files one at a time in a worker process; a file that kills it is marked
    ``file.reader_crashed`` and a new worker takes the next file."""
    pool: ProcessPoolExecutor | None = None
    try:
        for i in todo:
            if pool is None:
                pool = ProcessPoolExecutor(1, initializer=_init_worker, initargs=setup)
            try:
                results[i] = pool.submit(_check_in_worker, [items[i]]).result()[0]
            except BrokenProcessPool:
                results[i] = _crashed(items[i])
                pool.shutdown()
                pool = None
            if progress:
                progress(items[i].display)
    finally:
        if pool is not None:
            pool.shutdown()


def _crashed(item: InputFile) -> FileResult:
    result = FileResult(path=item.display, source=str(item.path))
    result.findings.append(
        finding(
            "file.reader_crashed",
            message("file.reader_crashed"),
            file=item.display,
        )
    )
    return result


def validate_paths(
    paths: Sequence[Path],
    spec: FormSpec,
    *,
    roster: Roster | None = None,
    limits: ReadLimits | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    files: list[InputFile] | None = None,
    while_reading: Callable[[], object] | None = None,
) -> Report:
    """Check every file; with a roster, match units and list the ones that have not reported.

    ``while_reading`` is called once while worker processes read (with ``jobs`` > 1), in this
    process, which otherwise only waits: ``merge`` imports its workbook writer there."""
    items = files if files is not None else collect_files(paths)
    results = _check_many(items, spec, limits or ReadLimits(), jobs, progress, while_reading)
    report = Report(files=results)
    if roster is not None:
        match_roster(report, roster)
    else:
        flag_duplicates(results, key=lambda r: normalize_unit_name(r.unit) if r.unit else "")
    flag_other_units_copies(report, roster)
    return report
