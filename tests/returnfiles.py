"""Returned workbooks as files, built in code with the examples generator's ``fill_return``."""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from shuangyong_cli.model.form_file import load_form

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))


@contextmanager
def no_bytecode() -> Iterator[None]:
    """Import the examples' scripts without leaving ``examples/__pycache__``: the examples folder
    is what a clerk (and the install check) merges, folder by folder."""
    was = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        yield
    finally:
        sys.dont_write_bytecode = was


with no_bytecode():
    import make_examples

SPEC = load_form()
ROSTER_CSV = EXAMPLES / "名册.csv"
RETURNS = EXAMPLES / "回收"


def write_return(
    path: Path,
    unit: str,
    values: Mapping[tuple[str, str], object],
    *,
    date: dt.date | str | None = dt.date(2020, 8, 10),
    unprotect: bool = False,
) -> Path:
    wb = make_examples.fill_return(SPEC, unit, values, date=date, unprotect=unprotect)  # type: ignore[arg-type]
    path.write_bytes(make_examples.workbook_bytes(wb))
    return path


def plausible(seed: object, category: str) -> dict[tuple[str, str], object]:
    return dict(make_examples.plausible_values(random.Random(str(seed)), category))


def input_sum(
    values_list: list[Mapping[tuple[str, str], object]], cell: tuple[str, str]
) -> Decimal:
    """An independent hand sum of one input cell over several returns."""
    total = Decimal(0)
    for values in values_list:
        v = values.get(cell)
        if isinstance(v, (int, Decimal)):
            total += Decimal(v)
    return total
