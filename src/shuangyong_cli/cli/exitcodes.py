"""Exit codes: a documented contract (README「退出码」)."""

from __future__ import annotations

from enum import IntEnum


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
