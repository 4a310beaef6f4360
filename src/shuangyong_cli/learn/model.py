"""What learning a blank produces: the inferences shown to the clerk, and the draft definition
(a mutable mirror of ``FormSpec`` that also remembers where each part was found)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Confidence(str, Enum):
    SURE = "确定"
    LIKELY = "较确定"
    CONFIRM = "待确认"


@dataclass(frozen=True)
class Inference:
    """One thing read off the blank: what, where (A1), how sure, why (all in Chinese).

    ``key`` names the part of the draft it concerns (``column:c4``, ``row:r3``, ``rule:r2_sum``,
    ``cell:r3:c4``, ``title`` …) so that a 待确认 one can be written as a comment above it and
    asked about; ``choices`` are the answers ``--interactive`` offers (empty: yes/no)."""

    what: str
    where: str
    confidence: Confidence
    why: str
    key: str = ""
    choices: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        return self.confidence is Confidence.CONFIRM


@dataclass
class DField:
    id: str
    label: str
    kind: str
    required: bool
    value: str  # "next" or "after_colon"
    row: int
    col: int
    value_cell: str
    footer: bool


@dataclass
class DColumn:
    id: str
    label: str
    role: str  # "seq", "item", "measure", "value"
    col: int
    kind: str | None = None  # "count", "money", "text" for value columns
    group: str | None = None
    width: float = 10.0
    unit: str | None = None
    kind_from_rows: bool = False
    """The header says nothing of the kind: the rows' 计量单位 decide it."""


@dataclass
class DRow:
    id: str
    seq: str
    label: str
    measure: str
    row: int
    cells: dict[str, str] = field(default_factory=dict)
    indent: int = 0
    total: bool = False
    value_kind: str | None = None
    subtotal: bool = False
    child_of: str | None = None
    """The parent row's id for a 其中 row."""


@dataclass
class DRule:
    id: str
    target_row: str | None = None
    source_rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    target_column: str | None = None
    source_columns: list[str] = field(default_factory=list)


@dataclass
class DSubset:
    id: str
    parent: str
    rows: list[str]
    columns: list[str]


@dataclass
class Draft:
    id: str = "learned"
    title: str = ""
    sheet: str = ""
    attachment: str = ""
    deadline: str = ""
    submit_to: str = ""
    fields: list[DField] = field(default_factory=list)
    columns: list[DColumn] = field(default_factory=list)
    rows: list[DRow] = field(default_factory=list)
    rules: list[DRule] = field(default_factory=list)
    subsets: list[DSubset] = field(default_factory=list)
    notes_label: str = "说明"
    notes: list[str] = field(default_factory=list)
    plausible_max: dict[str, str] = field(default_factory=dict)
    money_max: str = "100"
    """``limits.money_plausible_max``: what the checks apply to every money cell today."""
    source: str = ""
    header_rows: tuple[int, int] = (0, 0)
    blank: str = ""
    """``[form] blank``: the blank's path relative to the definition file (set by ``form new``)."""
    blank_sha256: str = ""

    def column(self, column_id: str) -> DColumn:
        return next(c for c in self.columns if c.id == column_id)

    def row(self, row_id: str) -> DRow:
        return next(r for r in self.rows if r.id == row_id)

    @property
    def value_columns(self) -> list[DColumn]:
        return [c for c in self.columns if c.role == "value"]

    @property
    def numeric_columns(self) -> list[DColumn]:
        return [c for c in self.value_columns if c.kind in ("count", "money")]
