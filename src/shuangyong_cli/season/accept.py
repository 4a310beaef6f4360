"""``--accept 文件:单元格``: the clerk confirms, after checking with the unit, that a money value
flagged as implausibly large (``value.implausible``, an error that keeps the return out of the
totals) is right after all.

Nothing is accepted by default. An acceptance names one file and one cell; it turns that one
error into a warning (``value.accepted``) that says who decided, so the return counts and the
decision is on record (in the run, in the JSON, in the summary's 来源文件 sheet). An acceptance
that matches no such error is a usage error: a typo must not go unnoticed while the return stays
out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from shuangyong_cli.model import FileResult, Finding, UsageError, finding, message

#: The finding an acceptance applies to.
ACCEPTABLE = "value.implausible"

MSG_ACCEPTED = message("value.accepted")

_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")


@dataclass(frozen=True)
class Acceptance:
    """``区民政局.xlsx:E11``: a file (its name, or its path as the run shows it) and a cell."""

    file: str
    cell: str

    def __str__(self) -> str:
        return f"{self.file}:{self.cell}"

    def matches(self, result: FileResult) -> bool:
        """The file as the run shows it (relative to the folder given) and as the clerk typed
        it (its name, or with folders, \\ or /) agree on their common last parts."""
        wanted = PurePath(self.file.replace("\\", "/")).parts
        shown = PurePath(result.path.replace("\\", "/")).parts
        n = min(len(wanted), len(shown))
        return n > 0 and wanted[-n:] == shown[-n:]


def parse_acceptance(text: str) -> Acceptance:
    """``文件:单元格`` → Acceptance; raises ``UsageError`` with the expected form."""
    file, sep, cell = text.strip().rpartition(":")
    if not sep:
        file, sep, cell = text.strip().rpartition("：")  # a full-width colon
    m = _CELL.match(cell.strip())
    if not sep or not file.strip() or m is None:
        raise UsageError(
            f"--accept “{text}”的写法不对；应为 文件名:单元格，如 --accept 区民政局.xlsx:E11"
        )
    return Acceptance(file.strip(), f"{m.group(1).upper()}{m.group(2)}")


def apply_acceptances(results: list[FileResult], acceptances: tuple[Acceptance, ...]) -> None:
    """Turn each accepted ``value.implausible`` error into a ``value.accepted`` warning.
    Raises ``UsageError`` naming every acceptance that matches no such error."""
    unmatched = []
    for acceptance in acceptances:
        hits = 0
        for result in results:
            if not acceptance.matches(result):
                continue
            for i, f in enumerate(result.findings):
                if f.code == ACCEPTABLE and f.cell == acceptance.cell:
                    result.findings[i] = _accepted(f)
                    hits += 1
        if not hits:
            unmatched.append(str(acceptance))
    if unmatched:
        raise UsageError(
            f"--accept {'、'.join(unmatched)} 没有对应的“金额偏大”错误（文件名或单元格不对？）；"
            "请按校验结果中的文件名和单元格填写，如 --accept 区民政局.xlsx:E11"
        )


def _accepted(f: Finding) -> Finding:
    where = (
        message("value.accepted", "cell_field").format(cell=f.cell, field=f.field)
        if f.field
        else message("value.accepted", "cell").format(cell=f.cell)
    )
    return finding(
        "value.accepted",
        MSG_ACCEPTED.format(where=where, value=f.value, file=PurePath(f.file).name, cell=f.cell),
        file=f.file,
        sheet=f.sheet,
        cell=f.cell,
        field=f.field,
        value=f.value,
    )
