"""The form definition as frozen dataclasses; ``form_file`` loads one from ``templates/*.toml``.

Nothing in here knows about workbooks or files. ``FormSpec`` says what the form is: its title,
header and footer fields, the two-level column header, the row items with the kind of every cell,
and the sum rules. Every other module asks it; none hard-codes a label.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from shuangyong_cli.model.errors import FormDefinitionError


class CellKind(str, Enum):
    """What a body cell is: typed by the unit, computed, or not applicable."""

    INPUT = "in"
    CALC = "calc"
    NA = "na"


class ValueKind(str, Enum):
    """What a value column holds."""

    COUNT = "count"
    MONEY = "money"
    TEXT = "text"


class ColumnRole(str, Enum):
    """The part a column plays in the table."""

    SEQ = "seq"
    ITEM = "item"
    MEASURE = "measure"
    VALUE = "value"


#: The units money is counted in; a value in another unit (人, 个 …) is a count.
MONEY_UNITS = ("元", "千元", "万元")


@dataclass(frozen=True)
class Field:
    """A labelled single input cell above or below the table (填报单位, 日期, 填表人 …)."""

    id: str
    label: str
    kind: str = "text"  # "text" or "date"
    required: bool = False
    value: str = "next"
    """Where the value goes: "next" (the cell after the label) or "after_colon" (the label's own
    cell, after “：”, as in ``填报单位：__________``)."""


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    role: ColumnRole
    kind: ValueKind | None = None
    group: str | None = None
    width: float = 10.0
    unit: str | None = None
    """The unit the column's header names (人, 万元, 元 …); ``None``: the header says none."""


@dataclass(frozen=True)
class Row:
    id: str
    seq: str
    label: str
    measure: str
    cells: Mapping[str, CellKind]
    indent: int = 0
    total: bool = False
    value_kind: ValueKind | None = None
    """The kind of this row's numeric cells when its 计量单位 decides it (a 万元 row in a count
    column); ``None``: each column's own kind."""

    def kind(self, column_id: str) -> CellKind:
        return self.cells.get(column_id, CellKind.NA)


@dataclass(frozen=True)
class Rule:
    """A sum rule. Either a row rule (target_row = Σ source_rows in ``columns``) or a column rule
    (target_column = Σ source_columns on every row where the target column is calc)."""

    id: str
    target_row: str | None = None
    source_rows: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    target_column: str | None = None
    source_columns: tuple[str, ...] = ()

    @property
    def is_row_rule(self) -> bool:
        return self.target_row is not None


@dataclass(frozen=True)
class Subset:
    """A “其中” rule: in each listed column, every row of ``rows`` is at most the ``parent`` row."""

    id: str
    parent: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Category:
    """A kind of unit the notice is addressed to (乡镇, 街道 …), with the names rosters use."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limits:
    money_plausible_max: Decimal = Decimal("100")
    """A 万元 cell of one unit's return above this is an error: probably typed in 元."""
    summary_money_plausible_max: Decimal = Decimal("100000")
    """The same bound for a summary's cells (a district's totals, merged again above it)."""
    calc_tolerance: Decimal = Decimal("0.005")
    plausible_max: Mapping[str, Decimal] = field(default_factory=dict)
    """A bound per money unit (元, 千元, 万元) for one unit's return; empty: only
    ``money_plausible_max`` (万元) applies."""

    def bound(self, unit: str, *, summary: bool = False) -> Decimal:
        """The largest plausible value of one money cell in ``unit``: a unit's return, or a
        summary (the return's bound scaled as ``summary_money_plausible_max`` scales
        ``money_plausible_max``: by default a summary may hold a thousand returns)."""
        one = self.plausible_max.get(unit, self.money_plausible_max)
        if not summary:
            return one
        return one * self.summary_money_plausible_max / self.money_plausible_max


@dataclass(frozen=True)
class FormSpec:
    id: str
    family: str
    version: str
    title: str
    sheet: str
    attachment: str
    deadline: dt.date | None
    submit_to: str
    header_fields: tuple[Field, ...]
    footer_fields: tuple[Field, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    rules: tuple[Rule, ...]
    notes_label: str
    notes: tuple[str, ...]
    limits: Limits
    categories: tuple[Category, ...] = ()
    source: str = ""
    subsets: tuple[Subset, ...] = ()
    blank: str = ""
    """The clerk's own blank this definition was learned from (``[form] blank``, resolved
    against the definition file's folder); empty: the form is drawn from the definition."""
    blank_sha256: str = ""
    """The SHA-256 of ``blank`` when the definition was written: a changed blank is noticed."""

    def category_for(self, text: str) -> Category | None:
        """The category a roster's 单位类别 names (by name or alias, spaces ignored)."""
        t = "".join(text.split())
        for c in self.categories:
            if t == c.name or t in c.aliases:
                return c
        return None

    # -- look-ups -------------------------------------------------------------------------
    def column(self, column_id: str) -> Column:
        for c in self.columns:
            if c.id == column_id:
                return c
        raise KeyError(column_id)

    def row(self, row_id: str) -> Row:
        for r in self.rows:
            if r.id == row_id:
                return r
        raise KeyError(row_id)

    @property
    def value_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role is ColumnRole.VALUE)

    @property
    def numeric_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.value_columns if c.kind in (ValueKind.COUNT, ValueKind.MONEY))

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.header_fields + self.footer_fields

    def field(self, field_id: str) -> Field:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)

    def cells(self) -> Iterator[tuple[Row, Column, CellKind]]:
        """Every body cell of a value column, in reading order."""
        for r in self.rows:
            for c in self.value_columns:
                yield r, c, r.kind(c.id)

    def value_kind(self, row_id: str, column_id: str) -> ValueKind | None:
        """What one body cell holds: its row's kind where the row's 计量单位 decides it (a 万元
        row in a count column), else its column's."""
        column, row = self.column(column_id), self.row(row_id)
        numeric = column.kind in (ValueKind.COUNT, ValueKind.MONEY)
        return row.value_kind if numeric and row.value_kind is not None else column.kind

    def money_unit(self, row_id: str, column_id: str) -> str:
        """The unit a money cell is in: its column's (``慰问金（元）``), else its row's 计量单位
        when that is a money unit, else 万元 (the built-in form's unit)."""
        column, row = self.column(column_id), self.row(row_id)
        if column.unit in MONEY_UNITS:
            return column.unit
        return row.measure if row.measure in MONEY_UNITS else "万元"

    def input_cells(self) -> Iterator[tuple[Row, Column]]:
        for r, c, k in self.cells():
            if k is CellKind.INPUT:
                yield r, c

    def rule_for(self, row_id: str, column_id: str) -> Rule:
        """The rule that computes a calc cell: a row rule naming it, else the column rule."""
        for rule in self.rules:
            if rule.is_row_rule and rule.target_row == row_id and column_id in rule.columns:
                return rule
        if self.row(row_id).kind(column_id) is CellKind.CALC:
            for rule in self.rules:
                if rule.target_column == column_id:
                    return rule
        raise KeyError((row_id, column_id))

    def sources(self, row_id: str, column_id: str) -> list[tuple[str, str]]:
        """The cells (row id, column id) a calc cell is the sum of."""
        rule = self.rule_for(row_id, column_id)
        if rule.is_row_rule:
            return [(r, column_id) for r in rule.source_rows]
        return [(row_id, c) for c in rule.source_columns]

    def calc_order(self) -> list[tuple[str, str]]:
        """Calc cells in an order where every source is computed before its target."""
        calc = [(r.id, c.id) for r, c, k in self.cells() if k is CellKind.CALC]
        done: set[tuple[str, str]] = set()
        order: list[tuple[str, str]] = []
        pending = list(calc)
        while pending:
            progressed = False
            for cell in list(pending):
                deps = [s for s in self.sources(*cell) if s in calc]
                if all(d in done for d in deps):
                    order.append(cell)
                    done.add(cell)
                    pending.remove(cell)
                    progressed = True
            if not progressed:
                raise FormDefinitionError(f"求和规则循环引用：{pending}")
        return order

    @property
    def fingerprint(self) -> str:
        """A short hash of the layout: labels, order and cell kinds. Wording of notes excluded."""
        layout = {
            "header": [(f.id, f.label) for f in self.header_fields],
            "footer": [(f.id, f.label) for f in self.footer_fields],
            "columns": [(c.id, c.label, c.group or "") for c in self.columns],
            "rows": [
                (r.id, r.seq, r.label, r.measure, sorted((k, v.value) for k, v in r.cells.items()))
                for r in self.rows
            ],
        }
        blob = json.dumps(layout, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()[:16]


_T = TypeVar("_T")


def per_form(build: Callable[[FormSpec], _T]) -> Callable[[FormSpec], _T]:
    """Memoise a table derived from a form, once per ``FormSpec`` object. (A FormSpec holds
    dicts, so it cannot be a dict key itself; the cache holds the spec, so its id stays its own.)"""
    cache: dict[int, tuple[FormSpec, _T]] = {}

    def get(spec: FormSpec) -> _T:
        hit = cache.get(id(spec))
        if hit is not None and hit[0] is spec:
            return hit[1]
        if len(cache) > 32:
            cache.clear()
        value = build(spec)
        cache[id(spec)] = (spec, value)
        return value

    return get
