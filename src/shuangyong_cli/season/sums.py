"""The form's numeric cells and their exact sums: which cells hold numbers, computed cells
recomputed from the inputs, and the sum of many returns, all as ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from shuangyong_cli.model import (
    CellKey,
    CellKind,
    FormSpec,
    per_form,
)

ZERO = Decimal(0)

Values = Mapping[CellKey, Decimal]


# -- the cells and their sums -----------------------------------------------------------------


@dataclass(frozen=True)
class _Cells:
    """The numeric cells of a form and how the computed ones are summed, worked out once per
    ``FormSpec`` (the merge asks for them for every return)."""

    spec: FormSpec
    numeric: tuple[CellKey, ...]
    inputs: tuple[CellKey, ...]
    calcs: tuple[tuple[CellKey, tuple[CellKey, ...]], ...]


@per_form
def _cells(spec: FormSpec) -> _Cells:
    numeric = {c.id for c in spec.numeric_columns}
    return _Cells(
        spec=spec,
        numeric=tuple(
            (r.id, c.id) for r, c, k in spec.cells() if c.id in numeric and k is not CellKind.NA
        ),
        inputs=tuple((r.id, c.id) for r, c in spec.input_cells() if c.id in numeric),
        calcs=tuple((cell, tuple(spec.sources(*cell))) for cell in spec.calc_order()),
    )


def numeric_cells(spec: FormSpec) -> list[CellKey]:
    """Every numeric body cell that applies (input or calc), in reading order."""
    return list(_cells(spec).numeric)


def input_cells(spec: FormSpec) -> list[CellKey]:
    """The numeric cells a unit types, in reading order."""
    return list(_cells(spec).inputs)


def compute_cells(spec: FormSpec, inputs: Values) -> dict[CellKey, Decimal]:
    """All numeric cells from the input cells (a missing input is 0): inputs as given, calc cells
    recomputed by the form's rules. Keys in reading order."""
    cells = _cells(spec)
    values: dict[CellKey, Decimal] = {cell: inputs.get(cell, ZERO) for cell in cells.inputs}
    for cell, sources in cells.calcs:
        values[cell] = sum((values[s] for s in sources), ZERO)
    return {cell: values[cell] for cell in cells.numeric}


def sum_values(spec: FormSpec, parts: Iterable[Values]) -> dict[CellKey, Decimal]:
    """The exact sum of several returns' values: inputs added, calc cells recomputed."""
    inputs = _cells(spec).inputs
    total: dict[CellKey, Decimal] = dict.fromkeys(inputs, ZERO)
    for part in parts:
        for cell in inputs:
            total[cell] += part.get(cell, ZERO)
    return compute_cells(spec, total)
