"""What validate, merge and status share: read and check every file, with a progress bar.

Imported inside the commands (it pulls in rich and the readers), never at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from shuangyong_cli.cli.output import Output
from shuangyong_cli.model import FormSpec, Report
from shuangyong_cli.reading import ReadLimits
from shuangyong_cli.season import (
    Acceptance,
    Roster,
    apply_acceptances,
    collect_files,
    cycle_collector,
    validate_paths,
)


def read_limits(max_file_mb: float, max_cells: int) -> ReadLimits:
    """The reader's bounds from ``--max-file-mb`` and ``--max-cells``."""
    return ReadLimits(max_file_bytes=int(max_file_mb * 1024 * 1024), max_cells=max_cells)


def collector_paused() -> AbstractContextManager[None]:
    """Python's cycle collector paused in this process, for a command that holds every file's
    result: each collection re-scans all the objects still alive, a cost that grows with the
    number of returns and buys nothing (the results, the summary and its workbook are freed by
    reference counting, or when the process ends). The files themselves are still read with
    the collector on, by workers or by ``validate`` (``cycle_collector``)."""
    return cycle_collector(on=False)


def check_paths(
    out: Output,
    paths: Sequence[Path],
    spec: FormSpec,
    *,
    roster: Roster | None,
    limits: ReadLimits,
    jobs: int,
    label: str = "读取",
    while_reading: Callable[[], object] | None = None,
    acceptances: tuple[Acceptance, ...] = (),
    allow_empty: bool = False,
    before_reading: Callable[[list[Path]], object] | None = None,
) -> Report:
    """Every file below ``paths`` read and checked, with a progress bar on a terminal.
    ``while_reading``: see ``validate.validate_paths``; ``acceptances``: ``--accept``, applied
    to the results and said in the run; ``allow_empty``: no file at all is not an error;
    ``before_reading``: called with the files found, before any is read (to refuse early)."""
    files = collect_files(list(paths), allow_empty=allow_empty)
    if before_reading is not None:
        before_reading([f.path for f in files])
    with out.progress(len(files), label) as advance:
        report = validate_paths(
            list(paths),
            spec,
            roster=roster,
            limits=limits,
            jobs=jobs,
            progress=advance,
            files=files,
            while_reading=while_reading,
        )
    if acceptances:
        apply_acceptances(report.files, acceptances)
        for r in report.files:
            for f in r.findings:
                if f.code == "value.accepted":
                    where = f"{r.path} {f.cell}「{f.field}」"
                    out.warn(f"已确认（--accept）：{where}= {f.value}，按所填的数计入。")
    return report
