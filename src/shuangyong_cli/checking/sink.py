"""Collecting one file's findings: the ``Sink`` every check adds to (it stamps the file and the
sheet), ``at``, the start of every message about one cell, and ``address``, a cell's A1 address."""

from __future__ import annotations

import functools

from shuangyong_cli.checking.display import shown
from shuangyong_cli.checking.values import Note
from shuangyong_cli.model import CellValue, Finding, Severity, a1, finding

_UNREADABLE = frozenset({"value.error_cell", "value.formula_no_cache"})
#: Every return has its cells at the same few addresses.
address = functools.lru_cache(maxsize=8192)(a1)


def at(cell: str, name: str) -> str:
    """The start of every message about one cell: ``单元格 E8「抗战老战士 / 慰问金」``."""
    return f"单元格 {cell}「{name}」" if cell else f"「{name}」"


class Sink:
    """Collects findings for one file, stamping the file and sheet."""

    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        self.sheet = ""
        self.findings = findings

    def add(
        self,
        code: str,
        message: str,
        *,
        cell: str = "",
        name: str = "",
        value: str = "",
        severity: Severity | None = None,
    ) -> None:
        self.findings.append(
            finding(
                code,
                message,
                file=self.file,
                sheet=self.sheet,
                cell=cell,
                field=name,
                value=value,
                severity=severity,
            )
        )

    def notes(
        self,
        notes: tuple[Note, ...] | list[Note],
        cell: str,
        name: str,
        raw: CellValue | None,
        *,
        text_only: bool = False,
    ) -> None:
        """Each note as a finding at ``cell``. ``text_only``: the cell is text that no number
        depends on (备注, 日期, 填表人 …), so an unreadable value there is a warning."""
        for code, detail in notes:
            severity = Severity.WARNING if text_only and code in _UNREADABLE else None
            self.add(
                code,
                at(cell, name) + detail,
                cell=cell,
                name=name,
                value=shown(raw),
                severity=severity,
            )
