"""What a merge gives: the ``Summary`` (units that count, category totals, the 合计, every roster
unit's status, every file's fate) and the rows it is made of. ``writing.summary`` writes it;
``season.status`` and the terminal read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from shuangyong_cli.model import (
    MONEY_UNITS,
    CellKey,
    CellKind,
    FileResult,
    Finding,
    FormSpec,
    Report,
    Severity,
    ValueKind,
    count,
)
from shuangyong_cli.season.sums import ZERO, Values

#: The group of units that reported but are not on the roster (or all units, without a roster).
UNLISTED = "未列入名册"

#: Separates the levels of a unit path in a summary's list of included units.
PATH_SEP = "/"


class Status(str, Enum):
    """A roster unit's reporting status, as the 报送情况 sheet shows it."""

    REPORTED = "已报"
    MISSING = "未报"
    LATE = "逾期"
    ERRORS = "有误"
    DUPLICATE = "重复"


# -- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """One return that counts: a row of 分单位明细, and the provenance of its numbers."""

    name: str
    """单位名称: the roster's name, or 填报单位 as typed for a unit not on the roster."""
    category: str
    """The roster category, or ``UNLISTED``."""
    typed: str
    """填报单位 as typed in the return."""
    file: str
    sha256: str
    date: dt.date | None
    values: Values
    """Every numeric cell that applies (``numeric_cells``), calc cells recomputed."""
    remarks: Mapping[str, str]
    """备注 by row id, non-empty ones only."""
    on_roster: bool
    is_summary: bool = False
    includes: tuple[str, ...] = ()
    """For a summary: the units it includes, as recorded in it."""


@dataclass(frozen=True)
class CategoryTotal:
    """A 单位类别 with its units (roster order; then file order) and their exact sum."""

    name: str
    units: tuple[UnitRow, ...]
    values: Values
    roster_units: int = 0
    """How many roster units this category has (0 for ``UNLISTED``)."""


@dataclass(frozen=True)
class UnitStatus:
    """A line of 报送情况: one roster unit (or one unit not on the roster) and how it reported."""

    name: str
    category: str
    status: Status
    file: str = ""
    """The file that counts ("" when none does)."""
    files: tuple[str, ...] = ()
    """Every file of this unit, in file order."""
    date: dt.date | None = None
    contact: str = ""
    phone: str = ""
    note: str = ""
    """What the clerk should know: late by how much, which copy counted, which file has errors."""
    on_roster: bool = True
    unusable: tuple[str, ...] = ()
    """For a unit with no return: files named after it that cannot be used (the note says why)."""


@dataclass(frozen=True)
class SourceFile:
    """A line of 来源文件: every file seen, whether it counts, and why not."""

    path: str
    source: str
    sha256: str
    size: int
    unit: str
    """填报单位 as typed ("" when unreadable)."""
    roster_unit: str
    category: str
    date: dt.date | None
    is_summary: bool
    included: bool
    reason: str
    """For an included file: "" or a note (逾期, replaced another copy); else why it is left out."""
    copy_of: str
    """For an identical copy of another file of the same unit: that file's path; else ""."""
    findings: tuple[Finding, ...]
    """The file's findings from the checks, then the merge's own."""

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)


@dataclass(frozen=True)
class Summary:
    """Everything the summary writers need, decided once."""

    name: str
    """填报单位 of the summary."""
    date: dt.date | None
    """日期 of the summary: as given, else the latest 日期 among the returns that count."""
    categories: tuple[CategoryTotal, ...]
    """Non-empty groups: every category with a roster unit or an included return, in the form's
    order, then ``UNLISTED``."""
    total: Values
    statuses: tuple[UnitStatus, ...]
    """Roster units in roster order, then units not on the roster in file order."""
    files: tuple[SourceFile, ...]
    """Every file seen, in the order given."""
    general: tuple[Finding, ...] = ()
    """Findings about no single file (roster units not reported), as passed in."""
    roster_given: bool = False
    deadline: dt.date | None = None

    @property
    def units(self) -> tuple[UnitRow, ...]:
        """The returns that count, in category order."""
        return tuple(u for c in self.categories for u in c.units)

    @property
    def included_units(self) -> tuple[str, ...]:
        """The units this summary includes, for its identity sheet: a unit's name, or for a
        summary inside it ``summary/unit`` for each unit it includes."""
        out: list[str] = []
        for u in self.units:
            if u.is_summary and u.includes:
                out.extend(f"{u.name}{PATH_SEP}{x}" for x in u.includes)
            else:
                out.append(u.name)
        return tuple(out)

    @property
    def excluded(self) -> tuple[SourceFile, ...]:
        return tuple(f for f in self.files if not f.included)

    @property
    def missing(self) -> tuple[UnitStatus, ...]:
        """Roster units with no file at all (未报)."""
        return tuple(s for s in self.statuses if s.status is Status.MISSING)

    def findings(self) -> list[Finding]:
        """Every finding: each file's (in file order), then the general ones."""
        return [f for s in self.files for f in s.findings] + list(self.general)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings())

    @property
    def complete(self) -> bool:
        """Every file counts (or is an identical copy of one that does) and no unit is missing."""
        return all(f.included or f.copy_of for f in self.files) and not self.missing

    @property
    def nothing_counts(self) -> bool:
        """No return counts: there is nothing to write."""
        return not self.units

    def headline(self, spec: FormSpec) -> str:
        """One closing line for the terminal: what counts, who is missing, the money totals."""
        counted = sum(1 for f in self.files if f.included)
        parts = [f"计入汇总 {counted} 份报表（{len(self.units)} 个单位）"]
        if self.excluded:
            parts.append(f"未计入 {len(self.excluded)} 份")
        if self.roster_given:
            roster_units = [s for s in self.statuses if s.on_roster]
            parts.append(f"名册 {len(roster_units)} 个单位中未报 {len(self.missing)} 个")
        line = "；".join(parts) + "。"
        return line + self._total_line(spec)

    def _total_line(self, spec: FormSpec) -> str:
        """合计（万元）：慰问金 197.29，… — money with two decimals in its unit (named once when
        every cell shares it), counts as whole numbers with their 计量单位."""
        total_row = next((r for r in spec.rows if r.total), None)
        if total_row is None:
            return ""
        shown: list[tuple[str, str, str]] = []  # (label, value, unit)
        for c in spec.numeric_columns:
            if total_row.kind(c.id) is CellKind.NA:
                continue
            v = self.total.get((total_row.id, c.id), ZERO)
            if spec.value_kind(total_row.id, c.id) is ValueKind.MONEY:
                shown.append((c.label, money_text(v), spec.money_unit(total_row.id, c.id)))
            else:
                shown.append((c.label, f"{v:.0f}", c.unit or total_row.measure))
        if not shown:
            return ""
        units = {u for _, _, u in shown}
        if len(units) == 1 and all(u in MONEY_UNITS for u in units):
            return f"合计（{units.pop()}）：{'，'.join(f'{a} {v}' for a, v, _ in shown)}。"
        # 慰问金（元） names its unit already
        items = [
            f"{a} {v} {u}" if u and not a.endswith((f"（{u}）", f"({u})")) else f"{a} {v}"
            for a, v, u in shown
        ]
        return f"合计：{'，'.join(items)}。"

    def totals_to_dict(self) -> dict[str, Any]:
        """The sums for ``merge --json``: each cell by ``行id.列id`` as an exact decimal string,
        in all, per category, and per unit with the file it came from."""

        def cells(values: Values) -> dict[str, str]:
            return {f"{r}.{c}": str(v) for (r, c), v in values.items()}

        return {
            "total": cells(self.total),
            "categories": [
                {"name": c.name, "units": len(c.units), "values": cells(c.values)}
                for c in self.categories
            ],
            "units": [
                {"name": u.name, "category": u.category, "file": u.file, "values": cells(u.values)}
                for u in self.units
            ],
        }

    def sources_of(self, cell: CellKey) -> list[tuple[UnitRow, Decimal]]:
        """The returns that contributed a non-zero amount to one cell of the total."""
        return [(u, u.values[cell]) for u in self.units if u.values.get(cell, ZERO) != ZERO]

    def to_report(self) -> Report:
        """The same files and findings as a ``Report`` (merge findings included), for the
        terminal and JSON renderers."""
        files = [
            FileResult(
                path=s.path,
                findings=list(s.findings),
                unit=s.unit,
                roster_unit=s.roster_unit,
                category=s.category,
                source=s.source,
                included=s.included,
            )
            for s in self.files
        ]
        return Report(files=files, general=list(self.general))


def money_text(v: Decimal) -> str:
    """Money as the terminal says it: two decimals (197.30), or all of them when a return typed
    more (197.293): a total is said exactly, never rounded."""
    cents = v.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == v else f"{v.normalize():f}"
