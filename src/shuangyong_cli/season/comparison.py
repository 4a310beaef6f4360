"""Comparing with an earlier season: last time, this time, and what changed a lot.

``read_earlier`` (``season.earlier``) reads the earlier file.

``compare`` sets the earlier numbers against this season's ``Summary``, per unit (matched by the
roster, else by ``normalize_unit_name``), per category (by name) and in total, and flags, on the
headline cells (``headline_cells``: the 数量 of each top-level item and the money of the 合计 row):

- a swing: this time more than ``threshold`` times last time, or last time more than
  ``threshold`` times this time (both non-zero);
- a drop to 0 (last time above 0, now 0);
- a rise from 0 (an ``info``: last time 0, now above 0);
- a unit that reported last time and does not count this time (with its status now).

All numbers are exact ``Decimal``. Pure logic: nothing here prints or writes a file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from shuangyong_cli.checking import plain
from shuangyong_cli.model import (
    CellKey,
    FormSpec,
    Severity,
    ValueKind,
)
from shuangyong_cli.season.earlier import Earlier, EarlierUnit, Values
from shuangyong_cli.season.layout import item_name
from shuangyong_cli.season.roster import Roster, normalize_unit_name
from shuangyong_cli.season.sums import numeric_cells
from shuangyong_cli.season.totals import UNLISTED, Status, Summary, UnitStatus

ZERO = Decimal(0)

#: The default swing threshold: flag a cell that grew or shrank more than this many times.
SWING_DEFAULT = Decimal(3)


# -- the comparison -------------------------------------------------------------------------------


class SwingKind(str, Enum):
    """How a headline cell changed enough to be flagged."""

    UP = "up"
    DOWN = "down"
    TO_ZERO = "to_zero"
    FROM_ZERO = "from_zero"

    @property
    def severity(self) -> Severity:
        return Severity.INFO if self is SwingKind.FROM_ZERO else Severity.WARNING

    @property
    def label(self) -> str:
        return {
            "up": "大幅增加",
            "down": "大幅减少",
            "to_zero": "降为 0",
            "from_zero": "由 0 增加",
        }[self.value]


class Level(str, Enum):
    TOTAL = "total"
    CATEGORY = "category"
    UNIT = "unit"


@dataclass(frozen=True)
class Swing:
    kind: SwingKind
    level: Level
    category: str
    name: str
    cell: CellKey
    item: str
    """The cell in the form's words: 「合计 / 小计」, 「走访慰问驻黔部队 / 数量」."""
    last: Decimal
    this: Decimal
    message: str

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    @property
    def short(self) -> str:
        """A few words for a table: 「合计 / 小计」降为 0, 「… / 数量」增至 4.2 倍."""
        if self.kind is SwingKind.UP:
            return f"「{self.item}」增至 {_ratio(self.this, self.last)} 倍"
        if self.kind is SwingKind.DOWN:
            return f"「{self.item}」降至 1/{_ratio(self.last, self.this)}"
        return f"「{self.item}」{self.kind.label}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "severity": self.severity.value,
            "level": self.level.value,
            "category": self.category,
            "name": self.name,
            "row": self.cell[0],
            "column": self.cell[1],
            "item": self.item,
            "last": str(self.last),
            "this": str(self.this),
            "message": self.message,
        }


@dataclass(frozen=True)
class Line:
    """One line of the comparison: the total, a category, or a unit; ``last`` None when the
    earlier file does not have it, ``this`` None when it does not count this time."""

    level: Level
    category: str
    name: str
    last: Values | None
    this: Values | None
    earlier_name: str = ""
    """The unit's name in the earlier file ("" when the same or not there)."""
    status: str = ""
    """A unit's status this time (已报, 未报, 有误 …; "" when unknown)."""
    contact: str = ""
    phone: str = ""
    note: str = ""
    swings: tuple[Swing, ...] = ()

    @property
    def dropped(self) -> bool:
        """A unit that reported last time and does not count this time."""
        return self.level is Level.UNIT and self.last is not None and self.this is None

    @property
    def new(self) -> bool:
        """A unit that counts this time and was not in the earlier summary."""
        return self.level is Level.UNIT and self.last is None and self.this is not None

    def change(self, cell: CellKey) -> Decimal | None:
        if self.last is None or self.this is None or cell not in self.last:
            return None
        return self.this.get(cell, ZERO) - self.last[cell]

    def to_dict(self, cells: Sequence[CellKey]) -> dict[str, Any]:
        def values(v: Values | None) -> dict[str, str] | None:
            if v is None:
                return None
            return {f"{r}.{c}": str(v[(r, c)]) for r, c in cells if (r, c) in v}

        change = {f"{r}.{c}": str(d) for r, c in cells if (d := self.change((r, c))) is not None}
        return {
            "level": self.level.value,
            "category": self.category,
            "name": self.name,
            "earlier_name": self.earlier_name,
            "status": self.status,
            "contact": self.contact,
            "phone": self.phone,
            "note": self.note,
            "last": values(self.last),
            "this": values(self.this),
            "change": change if self.last is not None and self.this is not None else None,
        }


@dataclass(frozen=True)
class Comparison:
    earlier: Earlier
    threshold: Decimal
    cells: tuple[CellKey, ...]
    """The headline cells: swings are flagged on these, and the 同比 sheet shows them."""
    lines: tuple[Line, ...]
    """The total, then each category followed by its units (this season's units in the
    summary's order, then the units of the earlier file that do not count this time)."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def swings(self) -> tuple[Swing, ...]:
        return tuple(s for line in self.lines for s in line.swings)

    @property
    def warnings(self) -> tuple[Swing, ...]:
        return tuple(s for s in self.swings if s.severity is Severity.WARNING)

    @property
    def dropped(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.dropped)

    @property
    def new_units(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.new)

    def line(self, name: str, level: Level = Level.UNIT) -> Line:
        """The line of a unit (or category, or "合计") by name; KeyError when there is none."""
        for line in self.lines:
            if line.level is level and line.name == name:
                return line
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        e = self.earlier
        compared = list(e.cells)
        return {
            "earlier": {
                "file": e.path,
                "name": e.name,
                "date": e.date.isoformat() if e.date else None,
                "form_id": e.form_id,
                "kind": "summary" if e.is_summary else "return",
                "units": len(e.units),
            },
            "threshold": str(self.threshold),
            "cells": [{"row": r, "column": c} for r, c in self.cells],
            "lines": [line.to_dict(compared) for line in self.lines],
            "swings": [s.to_dict() for s in self.swings],
            "dropped": [
                {
                    "name": line.name,
                    "category": line.category,
                    "status": line.status,
                    "contact": line.contact,
                    "phone": line.phone,
                }
                for line in self.dropped
            ],
            "new_units": [line.name for line in self.new_units],
            "notes": list(self.notes),
        }


def headline_cells(spec: FormSpec) -> list[CellKey]:
    """The cells swings are judged on: the 数量 of each top-level item (一 … 七) and the money of
    the 合计 row (慰问金, 物资折款, 小计). A form without a 合计 row uses the money of its
    top-level items instead."""
    cells = numeric_cells(spec)
    total_rows = {r.id for r in spec.rows if r.total}
    top = {r.id for r in spec.rows if r.indent == 0 and not r.total}
    counts = [(r, c) for r, c in cells if r in top and spec.column(c).kind is ValueKind.COUNT]
    money_rows = total_rows or top
    money = [(r, c) for r, c in cells if r in money_rows and spec.column(c).kind is ValueKind.MONEY]
    return [cell for cell in cells if cell in set(counts) | set(money)]


def shown_value(spec: FormSpec, cell: CellKey, value: Decimal) -> str:
    """An exact number with its unit: 12.5 万元, 30 人次."""
    column = spec.column(cell[1])
    if column.kind is ValueKind.MONEY:
        unit = money_unit(spec, cell[1])
    else:
        unit = spec.row(cell[0]).measure
    return f"{plain(value)} {unit}".rstrip()


def money_unit(spec: FormSpec, column_id: str) -> str:
    group = spec.column(column_id).group or ""
    m = re.search(r"[（(]([^（）()]*)[）)]", group)
    return m.group(1) if m else "万元"


def _ratio(a: Decimal, b: Decimal) -> str:
    return plain((a / b).quantize(Decimal("0.1"), ROUND_HALF_UP))


def find_swings(
    spec: FormSpec,
    level: Level,
    category: str,
    name: str,
    last: Values,
    this: Values,
    cells: Sequence[CellKey],
    threshold: Decimal,
) -> tuple[Swing, ...]:
    """The flagged changes of one line, in the order of ``cells``."""
    who = {Level.TOTAL: "合计", Level.CATEGORY: f"{category}（小计）", Level.UNIT: name}[level]
    out: list[Swing] = []
    for cell in cells:
        if cell not in last:
            continue
        a, b = last[cell], this.get(cell, ZERO)
        item = item_name(spec, cell)
        was, now = shown_value(spec, cell, a), shown_value(spec, cell, b)
        money = spec.column(cell[1]).kind is ValueKind.MONEY
        where = f"{who}「{item}」"
        if a > 0 and b == 0:
            kind = SwingKind.TO_ZERO
            message = f"{where}上次为 {was}，本次为 0；请核实是否漏填。"
        elif a == 0 and b > 0:
            kind = SwingKind.FROM_ZERO
            message = f"{where}上次为 0，本次为 {now}。"
        elif a > 0 and b > a * threshold:
            kind = SwingKind.UP
            hint = "，是否把“元”当作“万元”填写" if money else ""
            message = (
                f"{where}由上次的 {was} 增至 {now}，是上次的 {_ratio(b, a)} 倍"
                f"（超过 {plain(threshold)} 倍）；请核实{hint}。"
            )
        elif b > 0 and a > b * threshold:
            kind = SwingKind.DOWN
            message = (
                f"{where}由上次的 {was} 降至 {now}，只有上次的 1/{_ratio(a, b)}"
                f"（变化超过 {plain(threshold)} 倍）；请核实是否漏填或填错单位。"
            )
        else:
            continue
        out.append(Swing(kind, level, category, name, cell, item, a, b, message))
    return tuple(out)


def _key(name: str, roster: Roster | None) -> str:
    if roster is not None:
        m = roster.match(name)
        if m is not None:
            return normalize_unit_name(m.unit.name)
    return normalize_unit_name(name)


Swings = Callable[[Level, str, str, Values, Values], tuple[Swing, ...]]
"""``find_swings`` with the form, the headline cells and the threshold already given."""


def compare(
    earlier: Earlier,
    summary: Summary,
    spec: FormSpec,
    roster: Roster | None = None,
    *,
    threshold: Decimal = SWING_DEFAULT,
) -> Comparison:
    """Set the earlier file against this season's summary. ``threshold`` must be above 1."""
    if not threshold > 1:
        raise ValueError("threshold must be above 1")
    cells = tuple(c for c in headline_cells(spec) if c in earlier.cells)
    notes = list(earlier.notes)

    def swings(
        level: Level, category: str, name: str, last: Values, this: Values
    ) -> tuple[Swing, ...]:
        return find_swings(spec, level, category, name, last, this, cells, threshold)

    lines: list[Line] = []
    if earlier.total is not None:
        found = swings(Level.TOTAL, "合计", "合计", earlier.total, summary.total)
        lines.append(Line(Level.TOTAL, "合计", "合计", earlier.total, summary.total, swings=found))
    by_key = _earlier_by_key(earlier, roster, notes)
    unit_lines = _lines_of_units_now(earlier, summary, by_key, swings)
    for line in _lines_of_units_gone(summary, roster, by_key, unit_lines):
        unit_lines.setdefault(line.category, []).append(line)
    lines += _with_categories(earlier, summary, unit_lines, swings)
    return Comparison(earlier, threshold, cells, tuple(lines), tuple(notes))


def _earlier_by_key(
    earlier: Earlier, roster: Roster | None, notes: list[str]
) -> dict[str, EarlierUnit]:
    """Earlier units by matching key; a unit listed twice is compared once (and noted)."""
    by_key: dict[str, EarlierUnit] = {}
    for old in earlier.units:
        k = _key(old.name, roster)
        if k in by_key:
            notes.append(f"上次文件中“{old.name}”出现不止一次，只比较第一行。")
            continue
        by_key[k] = old
    return by_key


def _statuses_by_key(summary: Summary) -> dict[str, UnitStatus]:
    by_key: dict[str, UnitStatus] = {}
    for s in summary.statuses:
        by_key.setdefault(normalize_unit_name(s.name), s)
    return by_key


def _lines_of_units_now(
    earlier: Earlier, summary: Summary, by_key: dict[str, EarlierUnit], swings: Swings
) -> dict[str, list[Line]]:
    """A line for every unit that counts now and was in the earlier file (or, against an
    earlier summary, that is new), grouped by category."""
    statuses = _statuses_by_key(summary)
    list_new = earlier.is_summary and bool(earlier.units)
    unit_lines: dict[str, list[Line]] = {}
    for unit in summary.units:
        k = normalize_unit_name(unit.name)
        before = by_key.get(k)
        if before is None and not list_new:
            continue
        status = statuses.get(k)
        found = (
            swings(Level.UNIT, unit.category, unit.name, before.values, unit.values)
            if before is not None
            else ()
        )
        line = Line(
            Level.UNIT,
            unit.category,
            unit.name,
            before.values if before is not None else None,
            unit.values,
            earlier_name=before.name if before is not None and before.name != unit.name else "",
            status=status.status.value if status is not None else "",
            contact=status.contact if status is not None else "",
            phone=status.phone if status is not None else "",
            note="上次未报" if before is None else "",
            swings=found,
        )
        unit_lines.setdefault(unit.category, []).append(line)
    return unit_lines


def _lines_of_units_gone(
    summary: Summary,
    roster: Roster | None,
    by_key: dict[str, EarlierUnit],
    unit_lines: dict[str, list[Line]],
) -> list[Line]:
    """A line for every earlier unit that does not count this time, with its status now."""
    statuses = _statuses_by_key(summary)
    matched = {normalize_unit_name(line.name) for lines in unit_lines.values() for line in lines}
    out = []
    for k, before in by_key.items():
        if k in matched:
            continue
        status = statuses.get(k)
        roster_unit = roster.match(before.name) if roster is not None else None
        name = roster_unit.unit.name if roster_unit is not None else before.name
        category = roster_unit.unit.category if roster_unit is not None else before.category
        state = status.status if status is not None else Status.MISSING
        out.append(
            Line(
                Level.UNIT,
                category or UNLISTED,
                name,
                before.values,
                None,
                earlier_name=before.name if before.name != name else "",
                status=state.value,
                contact=status.contact if status is not None else "",
                phone=status.phone if status is not None else "",
                note=f"上次已报，本次{_not_counted(status)}",
            )
        )
    return out


def _with_categories(
    earlier: Earlier, summary: Summary, unit_lines: dict[str, list[Line]], swings: Swings
) -> list[Line]:
    """The unit lines in the summary's category order, each category led by its own line."""
    earlier_categories = {name for name, _ in earlier.categories}
    current = {c.name: c.values for c in summary.categories}
    order = [c.name for c in summary.categories]
    order += [name for name, _ in earlier.categories if name not in order]
    order += [name for name in unit_lines if name not in order]
    if UNLISTED in order:  # 未列入名册 last, as in the summary
        order.remove(UNLISTED)
        order.append(UNLISTED)
    lines: list[Line] = []
    for name in order:
        units = unit_lines.get(name, [])
        if earlier.categories:
            # 上次 of a category is the sum of its unit lines as grouped now (this season's
            # roster), so the category rows and the unit rows under them always agree.
            befores = [u.last for u in units if u.last is not None]
            last = (
                {c: sum((b.get(c, ZERO) for b in befores), ZERO) for c in earlier.cells}
                if befores or name in earlier_categories
                else None
            )
            this = current.get(name)
            if last is not None or this is not None:
                found = swings(Level.CATEGORY, name, name, last, this) if last and this else ()
                lines.append(Line(Level.CATEGORY, name, name, last, this, swings=found))
        lines.extend(units)
    return lines


def _not_counted(status: UnitStatus | None) -> str:
    """Why a unit that reported last time does not count this time, in a few words."""
    if status is None or status.status is Status.MISSING:
        return "未报"
    if status.status is Status.ERRORS:
        return "报表有误，未计入"
    if status.status is Status.DUPLICATE:
        return "未单独计入（" + (status.note or "重复") + "）"
    return f"未计入（{status.status.value}）"
