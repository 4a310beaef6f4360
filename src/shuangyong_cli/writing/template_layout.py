"""Where the blank form draws each part: ``template_positions``, the one place that knows the
template's coordinates (readers find returns by their labels, since units move things).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shuangyong_cli.model import Field, FormSpec, a1

#: Where the fields of one line go, as (label first col, label last col, input first col, input
#: last col), for the shapes the built-in form has; other shapes share a line evenly.
_FIELD_SLOTS: dict[tuple[int, int], tuple[tuple[int, int, int, int], ...]] = {
    (8, 2): ((1, 2, 3, 5), (6, 6, 7, 8)),
    (8, 3): ((1, 1, 2, 2), (3, 3, 4, 4), (6, 6, 7, 8)),
}


@dataclass(frozen=True)
class FieldSlot:
    """A labelled input on a header or footer line: label cell and merged input range."""

    row: int
    label_cols: tuple[int, int]
    input_cols: tuple[int, int]

    @property
    def label_cell(self) -> str:
        return a1(self.row, self.label_cols[0])

    @property
    def input_cell(self) -> str:
        """The cell holding the value (the top-left of the merged input range)."""
        return a1(self.row, self.input_cols[0])

    @property
    def input_range(self) -> str:
        return f"{a1(self.row, self.input_cols[0])}:{a1(self.row, self.input_cols[1])}"


@dataclass(frozen=True)
class TemplatePositions:
    """Where the template draws each part (1-based rows and columns)."""

    sheet: str
    attachment_row: int
    title_row: int
    header_rows: tuple[int, int]
    row: Mapping[str, int]
    """Row number of each body row id."""
    column: Mapping[str, int]
    """Column number of each column id."""
    fields: Mapping[str, FieldSlot]
    notes_rows: tuple[int, ...]
    last_row: int
    last_col: int

    def cell(self, row_id: str, column_id: str) -> str:
        """The A1 address of a body cell, e.g. ``cell("troops", "cash")`` → ``"E6"``."""
        return a1(self.row[row_id], self.column[column_id])

    def field_cell(self, field_id: str) -> str:
        """The A1 address holding a field's value, e.g. ``field_cell("unit")`` → ``"C3"``."""
        return self.fields[field_id].input_cell

    @property
    def first_body_row(self) -> int:
        return self.header_rows[1] + 1

    @property
    def print_area(self) -> str:
        return f"A1:{a1(self.last_row, self.last_col)}"

    @property
    def print_title_rows(self) -> str:
        return f"{self.header_rows[0]}:{self.header_rows[1]}"


def template_positions(spec: FormSpec) -> TemplatePositions:
    """The template's layout for a form (what ``build_template`` draws, cell by cell)."""
    n_cols = len(spec.columns)
    fields: dict[str, FieldSlot] = {}
    row = 3
    for line in _field_lines(spec.header_fields, n_cols):
        for f, (l1, l2, i1, i2) in line:
            fields[f.id] = FieldSlot(row, (l1, l2), (i1, i2))
        row += 1
    header_rows = (row, row + 1)
    row = header_rows[1] + 1
    body: dict[str, int] = {}
    for r in spec.rows:
        body[r.id] = row
        row += 1
    notes_rows = tuple(range(row, row + len(spec.notes)))
    row += len(notes_rows)
    last_row = row - 1
    if spec.footer_fields:
        row += 1  # a blank line before the signatures
        for line in _field_lines(spec.footer_fields, n_cols):
            for f, (l1, l2, i1, i2) in line:
                fields[f.id] = FieldSlot(row, (l1, l2), (i1, i2))
            last_row = row
            row += 1
    return TemplatePositions(
        sheet=spec.sheet,
        attachment_row=1,
        title_row=2,
        header_rows=header_rows,
        row=body,
        column={c.id: i for i, c in enumerate(spec.columns, start=1)},
        fields=fields,
        notes_rows=notes_rows,
        last_row=last_row,
        last_col=n_cols,
    )


def _field_lines(
    fields: tuple[Field, ...], n_cols: int
) -> list[list[tuple[Field, tuple[int, int, int, int]]]]:
    """Fields laid out on lines: the built-in shapes as drawn on paper, others evenly."""
    if not fields:
        return []
    fixed = _FIELD_SLOTS.get((n_cols, len(fields)))
    if fixed is not None:
        return [list(zip(fields, fixed, strict=True))]
    per_line = max(1, min(len(fields), n_cols // 2))
    lines = []
    for start in range(0, len(fields), per_line):
        chunk = fields[start : start + per_line]
        width = n_cols // len(chunk)
        slots = []
        for i, f in enumerate(chunk):
            first = i * width + 1
            last = n_cols if i == len(chunk) - 1 else (i + 1) * width
            slots.append((f, (first, first, first + 1, last)))
        lines.append(slots)
    return lines
