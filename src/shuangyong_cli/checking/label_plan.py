"""The form's labels as the locator looks for them, prepared once per ``FormSpec``: the title,
each column's and row's label key, each field's label patterns (``填报单位`` followed by a colon,
with or without a ``（…）``), and the texts of the cells already worked out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shuangyong_cli.checking.labels import label_key, norm
from shuangyong_cli.model import ColumnRole, Field, FormSpec, Row, per_form


def _field_pattern(label: str, colon: bool) -> re.Pattern[str]:
    body = r"\s*".join(re.escape(ch) for ch in label)
    tail = r"\s*(?:[(（][^)）]*[)）])?\s*" + ("[:：]" if colon else "[:：]?")
    return re.compile(body + tail + r"\s*")


@dataclass(frozen=True)
class FieldPlan:
    field: Field
    key: str
    prefix: re.Pattern[str]
    """Matches the label at the start of a cell, colon optional."""
    inside: re.Pattern[str]
    """Finds the label followed by a colon anywhere in a cell."""
    footer: bool


@dataclass(frozen=True)
class LabelPlan:
    spec: FormSpec
    title: str
    columns: tuple[tuple[str, str, ColumnRole], ...]
    rows: tuple[tuple[Row, str, bool], ...]
    """(row, key, keyed by 序号 rather than label)."""
    fields: tuple[FieldPlan, ...]
    first_chars: frozenset[str]
    value_columns: tuple[tuple[str, str], ...]
    """(column id, label) of every value column."""
    seq_column: str
    seqs: dict[str, str]
    """Row id → the key of its 序号."""
    texts: dict[str, tuple[str, str, bool, bool]] = field(default_factory=dict)
    """A cell text → (norm, label_key, may start a field label, holds the title): the form's
    labels come back in every return, so each is worked out once."""

    def text_info(self, text: str) -> tuple[str, str, bool, bool]:
        n = norm(text)
        k = label_key(text)
        title = self.title
        return n, k, n[:1] in self.first_chars, bool(title) and title in k


@per_form
def label_plan(spec: FormSpec) -> LabelPlan:
    fields = tuple(
        FieldPlan(
            field=f,
            key=label_key(f.label),
            prefix=_field_pattern(f.label, colon=False),
            inside=_field_pattern(f.label, colon=True),
            footer=f in spec.footer_fields,
        )
        for f in spec.fields
    )
    plan = LabelPlan(
        spec=spec,
        title=label_key(spec.title),
        columns=tuple((c.id, label_key(c.label), c.role) for c in spec.columns),
        rows=tuple(
            (r, label_key(r.label), False) if r.label else (r, label_key(r.seq), True)
            for r in spec.rows
        ),
        fields=fields,
        first_chars=frozenset(fp.key[:1] for fp in fields if fp.key),
        value_columns=tuple((c.id, c.label) for c in spec.value_columns),
        seq_column=next((c.id for c in spec.columns if c.role is ColumnRole.SEQ), ""),
        seqs={r.id: label_key(r.seq) for r in spec.rows},
    )
    return plan
