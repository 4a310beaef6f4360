"""Exit codes: a documented contract (README「退出码」)."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuangyong_cli.season import Board, Summary


class ExitStatus(IntEnum):
    OK = 0
    """Everything checked out (validate), or everything merged (merge)."""
    FINDINGS = 1
    """validate: some file has an error. merge: written, but files excluded or units missing."""
    USAGE = 2
    """A usage or configuration error: bad option, bad roster, bad form definition."""
    NOTHING_WRITTEN = 3
    """merge: nothing was written (no usable return, or --strict with errors)."""
    INTERNAL = 4
    """An unexpected failure inside the tool (a bug, or the machine ran out of memory)."""
    INTERRUPTED = 130
    """Stopped with Ctrl-C (the code shells give an interrupted program)."""


def merge_exit(summary: Summary, *, strict: bool = False) -> ExitStatus:
    """What ``shuangyong merge`` exits with: NOTHING_WRITTEN when no return counts or, with
    ``strict``, any file has an error; FINDINGS when written but a file does not count or a
    roster unit has not reported; OK otherwise."""
    if summary.nothing_counts or (strict and summary.has_errors):
        return ExitStatus.NOTHING_WRITTEN
    return ExitStatus.OK if summary.complete else ExitStatus.FINDINGS


def status_exit(board: Board) -> ExitStatus:
    """0 when every roster unit has a return that counts; 1 when a unit is 未报 or 有误."""
    return ExitStatus.OK if board.complete else ExitStatus.FINDINGS
