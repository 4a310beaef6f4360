"""Showing values in messages: a cell value as the clerk sees it on the screen (``shown``), and a
computed Decimal without exponent or trailing zeros (``plain``)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from shuangyong_cli.model import CellValue


def shown(raw: CellValue | None) -> str:
    """A cell value as the clerk sees it on the screen (for messages and ``Finding.value``)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return str(raw)
        if not raw.is_integer():
            return format(raw, ".15g")
        # Excel shows a long whole number with its 15 digits and zeros after: 500239199001011000
        return format(Decimal(format(raw, ".15g")), "f") if abs(raw) >= 1e15 else str(int(raw))
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0):
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    return str(raw)


def plain(d: Decimal) -> str:
    """A computed Decimal without exponent or trailing zeros: 0.5, 100, 1.25."""
    if d == 0:
        return "0"
    return format(d.normalize(), "f")
