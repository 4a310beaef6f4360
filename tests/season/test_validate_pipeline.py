"""The validate pipeline: worker processes give the report one process gives, and a worker that
dies on a file (a native crash in a reader) marks that file and the run goes on."""

from __future__ import annotations

import faulthandler
import gc
import os
from pathlib import Path

import pytest

from returnfiles import SPEC, plausible, write_return
from shuangyong_cli.model.findings import FileResult
from shuangyong_cli.reading.returned_file import ReadLimits
from shuangyong_cli.season import inbox as validate
from shuangyong_cli.season.inbox import InputFile, collect_files, validate_paths
from shuangyong_cli.season.roster import load_roster

CATEGORIES = ["乡镇", "街道", "区委各部委", "区级国家机关各部门", "人民团体"]
_real_check_file = validate.check_file

#: A file whose name contains this makes the worker that reads it die.
CRASH = "崩溃"


def crashing_check_file(item: InputFile, spec: object, limits: ReadLimits) -> FileResult:
    """``check_file``, except that a worker reading a file named …崩溃… dies the way a native
    crash in a reader kills it: by a signal (``-abort``) or an abrupt exit (``-exit``)."""
    if CRASH in item.path.name:
        if "abort" in item.path.name:
            faulthandler.disable()  # pytest's, inherited: no traceback on stderr
            import resource  # POSIX only

            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # and no core file
            os.abort()
        os._exit(70)
    return _real_check_file(item, spec, limits)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 returns, clean and flawed, and a file that is not a workbook."""
    folder = tmp_path_factory.mktemp("pipeline") / "回收"
    folder.mkdir()
    for i in range(12):
        values = plausible(f"pipeline{i}", CATEGORIES[i % len(CATEGORIES)])
        if i == 3:
            values[("troops", "qty")] = "约5"
        if i == 7:
            values[("hardship", "qty")] = 2
            values[("hardship", "cash")] = "5000元"
        write_return(folder / f"单位{i:02d}.xlsx", f"单位{i:02d}", values)
    (folder / "说明.txt").write_text("请查收，谢谢！", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def roster(inbox: Path) -> Path:
    lines = ["单位名称,单位类别"]
    lines += [f"单位{i:02d},{CATEGORIES[i % len(CATEGORIES)]}" for i in range(13)]
    path = inbox.parent / "名册.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_workers_give_the_serial_report(inbox: Path, roster: Path) -> None:
    units = load_roster(roster, SPEC)
    serial = validate_paths([inbox], SPEC, roster=units, jobs=1)
    seen: list[str] = []
    parallel = validate_paths([inbox], SPEC, roster=units, jobs=2, progress=seen.append)
    assert parallel == serial
    assert sorted(seen) == sorted(r.path for r in serial.files)
    assert [r.path for r in serial.files][:2] == ["单位00.xlsx", "单位01.xlsx"]
    codes = {r.path: sorted({f.code for f in r.findings}) for r in serial.files}
    assert codes["单位03.xlsx"] == ["value.guess"]
    assert codes["单位07.xlsx"] == ["calc.sheet_differs", "value.yuan_converted"]
    assert codes["说明.txt"] == ["file.not_workbook"]
    assert [f.code for f in serial.general] == ["roster.not_reported"]
    assert validate_paths([inbox], SPEC, roster=units, jobs=0) == serial


@pytest.mark.parametrize("how", ["abort", "exit"])
def test_a_worker_crash_marks_the_file_and_the_run_goes_on(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    crash = tmp_path / f"单位05{CRASH}-{how}.xlsx"
    crash.write_bytes((inbox / "单位05.xlsx").read_bytes())
    files = collect_files([inbox, crash])
    serial = validate_paths([], SPEC, jobs=1, files=files[:-1])
    monkeypatch.setattr(validate, "check_file", crashing_check_file)
    seen: list[str] = []
    report = validate_paths([], SPEC, jobs=2, files=files, progress=seen.append)

    assert [r.path for r in report.files] == [f.display for f in files]
    assert sorted(seen) == sorted(f.display for f in files)
    crashed = report.files[-1]
    assert crashed.path == str(crash)
    assert crashed.data is None
    assert [(f.code, f.file, f.message) for f in crashed.findings] == [
        (
            "file.reader_crashed",
            str(crash),
            "读取此文件时读取程序异常退出（文件可能已损坏）；"
            "请对方在 Excel/WPS 中打开后重新保存再报送。",
        )
    ]
    # Every other file, including those in flight when the worker died, is read as usual; the
    # same unit twice (单位05 and its copy) is not reported as a duplicate, as one was not read.
    assert report.files[:-1] == serial.files


def test_crashes_among_many_files_mark_only_those_files(
    inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 files in chunks of 5, two of which kill their worker: each is marked, every other file
    is read, and the run goes on in parallel after each crash."""
    sources = sorted(p for p in inbox.iterdir() if p.suffix == ".xlsx")
    for k in range(40):
        name = f"{k:02d}{CRASH}-exit.xlsx" if k in (9, 31) else f"{k:02d}-{sources[k % 12].name}"
        (tmp_path / name).write_bytes(sources[k % 12].read_bytes())
    files = collect_files([tmp_path])
    crashing = [f.display for f in files if CRASH in f.display]
    assert crashing == [f"09{CRASH}-exit.xlsx", f"31{CRASH}-exit.xlsx"]
    serial = validate_paths([], SPEC, jobs=1, files=[f for f in files if CRASH not in f.display])
    monkeypatch.setattr(validate, "check_file", crashing_check_file)
    report = validate_paths([], SPEC, jobs=2, files=files)

    by_path = {r.path: r for r in report.files}
    assert [r.path for r in report.files] == [f.display for f in files]
    for name in crashing:
        assert [f.code for f in by_path[name].findings] == ["file.reader_crashed"]
    assert [r for r in report.files if r.path not in crashing] == serial.files


@pytest.mark.parametrize(("files", "jobs"), [(1000, 2), (5000, 2), (20, 2), (100, 4), (9, 8)])
def test_tasks_get_smaller_towards_the_end(files: int, jobs: int) -> None:
    chunks = validate._chunks(list(range(files)), jobs)
    assert [i for c in chunks for i in c] == list(range(files))  # every file once, in order
    sizes = [len(c) for c in chunks]
    assert sizes == sorted(sizes, reverse=True)
    assert max(sizes) <= validate.CHUNK
    assert sizes[-1] <= validate.TAIL_TASK
    if files >= 1000:
        assert sizes[0] == validate.CHUNK
        assert len(chunks) < files / 20  # not one task per file


def collector_reporting_check_file(item: InputFile, spec: object, limits: ReadLimits) -> FileResult:
    """``check_file``, with whether Python's cycle collector was on as the result's unit."""
    result = _real_check_file(item, spec, limits)  # type: ignore[arg-type]
    result.unit = f"collector {'on' if gc.isenabled() else 'off'}"
    return result


@pytest.mark.parametrize("jobs", [1, 2])
def test_files_are_read_with_the_cycle_collector_on_while_the_command_pauses_it(
    inbox: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """``merge`` and ``validate`` pause the collector in their main process while they hold
    every result (``collector_paused``); the files are still read with it on, in workers and in
    the one-process path (a reader's parser is a reference cycle)."""
    from shuangyong_cli.cli.commands.checking import collector_paused

    monkeypatch.setattr(validate, "check_file", collector_reporting_check_file)
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        report = validate_paths([inbox], SPEC, jobs=jobs)
        assert not gc.isenabled()
    assert gc.isenabled()
    units = {r.unit for r in report.files if r.path.endswith(".xlsx")}
    assert units == {"collector on"}


def test_a_paused_collector_stays_paused_after_the_pause() -> None:
    from shuangyong_cli.cli.commands.checking import collector_paused

    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
