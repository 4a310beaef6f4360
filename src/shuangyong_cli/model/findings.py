"""Findings as data: what is wrong, where, and how to fix it.

A ``Finding`` is one observation about one place (file, sheet, A1 cell). A ``FileResult`` holds a
file's findings and what was read from it; a ``Report`` collects the files and the findings that
belong to no single file (a roster unit that has not reported). The terminal, JSON and xlsx
renderers all draw from the same objects.

Codes are stable: scripts and the README rely on them. Every code is in the registry
(``model.codes``) with its level, title, meaning and fix; ``finding()`` refuses an unknown code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from shuangyong_cli.model.codes import CODES, MERGE_PREFIX, Severity

if TYPE_CHECKING:
    from shuangyong_cli.model.returns import ReturnData


def count(findings: Iterable[Finding], severity: Severity) -> int:
    """Findings of ``severity`` about the files themselves: the checks' findings, counted the
    same in ``validate``, ``merge`` and ``status`` and in their JSON. The merge's decisions
    about a file (``merge.*``: not counted, a copy replaced) follow from those and are said in
    its closing line, not counted again."""
    return sum(
        1 for f in findings if f.severity is severity and not f.code.startswith(MERGE_PREFIX)
    )


@dataclass(frozen=True)
class Finding:
    """One observation. ``cell`` is an A1 address ("" for the whole file); ``field`` names the form
    item in the form's words (「走访慰问驻黔部队 / 慰问金」); ``value`` is what was typed."""

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""
    value: str = ""

    def to_dict(self) -> dict[str, str]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    @property
    def title(self) -> str:
        return CODES[self.code].title


def finding(
    code: str,
    message: str,
    *,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    field: str = "",
    value: object = "",
    severity: Severity | None = None,
) -> Finding:
    """Make a Finding with the catalogue's severity (override with ``severity``). The message
    is said as a sentence: it ends with a full stop (the readers' messages are built from parts
    and also read inside other sentences, so they have none of their own)."""
    if code not in CODES:
        raise KeyError(f"unknown finding code {code!r}")
    return Finding(
        code=code,
        severity=severity or CODES[code].severity,
        message=sentence(message),
        file=file,
        sheet=sheet,
        cell=cell,
        field=field,
        value=display_value(value),
    )


_SENTENCE_ENDS = ("。", "！", "？", "…", ".", "!", "?")
_CLOSERS = "）)」』”’"


def sentence(text: str) -> str:
    """``text`` with a closing full stop, unless it has one, perhaps inside a closing bracket or
    quote (``…重新计算为 73。）``), or is empty."""
    return text if not text or text.rstrip(_CLOSERS).endswith(_SENTENCE_ENDS) else text + "。"


def display_value(value: object) -> str:
    """A value as the clerk would see it typed: no quotes, no float noise."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


@dataclass
class FileResult:
    """What one file gave: its findings, and (when the form was found) the typed return."""

    path: str
    """The file as shown to the user (relative to the folder given, when there is one)."""
    findings: list[Finding] = field(default_factory=list)
    unit: str = ""
    """填报单位 as typed."""
    roster_unit: str = ""
    """The roster's 单位名称 it was matched to ("" when no roster or no match)."""
    category: str = ""
    """The roster unit's 单位类别 (canonical name), "" when not matched."""
    data: ReturnData | None = None
    source: str = ""
    """The absolute path of the file read."""
    included: bool | None = None
    """Whether the merge counted it (None outside a merge)."""

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "unit": self.unit,
            "roster_unit": self.roster_unit,
            "errors": self.errors,
            "warnings": self.warnings,
            **({} if self.included is None else {"included": self.included}),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Report:
    """All files of one run, plus findings about no single file (roster units not reported)."""

    files: list[FileResult] = field(default_factory=list)
    general: list[Finding] = field(default_factory=list)

    def all_findings(self) -> list[Finding]:
        out = [f for r in self.files for f in r.findings]
        return out + list(self.general)

    def count(self, severity: Severity) -> int:
        """See ``count``."""
        return count(self.all_findings(), severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [r.to_dict() for r in self.files],
            "general": [f.to_dict() for f in self.general],
            "summary": {
                "files": len(self.files),
                "files_with_errors": sum(1 for r in self.files if not r.ok),
                "errors": self.count(Severity.ERROR),
                "warnings": self.count(Severity.WARNING),
                "infos": self.count(Severity.INFO),
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
