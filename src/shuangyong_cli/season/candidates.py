"""One file while it is being merged: its result, its unit, whether it counts and why not, and the
merge's own findings about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from shuangyong_cli.model import (
    FileResult,
    Finding,
    ReturnData,
    Severity,
    finding,
)


@dataclass
class MergeFile:
    """Working state of one input file while merging."""

    index: int
    result: FileResult
    data: ReturnData | None
    key: tuple[str, str] = ("", "")
    included: bool = False
    reason: str = ""
    copy_of: str = ""
    extra: list[Finding] = field(default_factory=list)
    double_counted: bool = False

    @property
    def path(self) -> str:
        return self.result.path

    @property
    def name(self) -> str:
        return self.result.roster_unit or " ".join(self.result.unit.split())

    @property
    def is_summary(self) -> bool:
        return bool(self.data and self.data.identity and self.data.identity.is_summary)

    @property
    def includes(self) -> tuple[str, ...]:
        if self.data and self.data.identity and self.data.identity.is_summary:
            return self.data.identity.included
        return ()

    def order(self) -> tuple[dt.date, float, int]:
        """Later wins: 日期, then modification time, then file order."""
        d = self.data
        return (d.date or dt.date.min if d else dt.date.min, d.mtime if d else 0.0, self.index)

    def add(self, code: str, message: str, severity: Severity | None = None) -> None:
        sheet = self.data.sheet if self.data else ""
        self.extra.append(
            finding(
                code,
                message,
                file=self.path,
                sheet=sheet,
                field="填报单位",
                value=self.name,
                severity=severity,
            )
        )
