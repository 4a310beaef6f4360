"""A return as the checks understood it: typed values by form ids, and where each came from.

``checks.check_return`` produces a ``ReturnData`` for every file it could locate the form in;
``merge`` sums them. Values are exact ``Decimal``; computed cells are always recomputed from the
inputs (a typed total is checked, never trusted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shuangyong_cli.model.identity import Identity

CellKey = tuple[str, str]
"""(row id, column id) of a body cell, e.g. ("troops", "cash")."""


@dataclass
class ReturnData:
    path: str
    """The file as shown to the user (relative to the folder given, when there is one)."""
    sheet: str
    unit: str
    """填报单位 as typed (stripped)."""
    date: dt.date | None
    values: dict[CellKey, Decimal] = field(default_factory=dict)
    """Every numeric body cell (input and calc), blanks as 0, calc cells recomputed."""
    remarks: dict[str, str] = field(default_factory=dict)
    """备注 (text column) by row id, only the non-empty ones."""
    fields: dict[str, str] = field(default_factory=dict)
    """Header and footer fields by id (填报单位, 日期 as typed, 填表人 …)."""
    addresses: dict[CellKey, str] = field(default_factory=dict)
    """The A1 address each body cell was read from, for provenance."""
    field_addresses: dict[str, str] = field(default_factory=dict)
    """The A1 address of each header/footer field's value (or where it should be typed)."""
    empty: bool = False
    """True when every input cell was blank: an empty return, not a return of zeros."""
    identity: Identity | None = None
    sha256: str = ""
    size: int = 0
    mtime: float = 0.0
