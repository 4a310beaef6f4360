"""The header and footer fields check: 填报单位 filled in, the date readable, near the season's
deadline and not late (a summary is dated by the tool: neither is held against it), and every
other field's text clean."""

from __future__ import annotations

import datetime as dt

from shuangyong_cli.checking.cell_plan import CheckPlan
from shuangyong_cli.checking.dates import parse_date
from shuangyong_cli.checking.display import shown
from shuangyong_cli.checking.locate import Located
from shuangyong_cli.checking.sink import Sink, address, at
from shuangyong_cli.checking.text_cells import clean_text
from shuangyong_cli.model import CellError, CellValue, Field, FormulaNoValue, message

MSG_UNIT_MISSING = message("header.unit_missing")
UNIT_EXAMPLE = message("header.unit_missing", "example")
MSG_DATE_MISSING = message("header.date_missing")
MSG_DATE_NOT_FOUND = message("header.date_missing", "not_found")
MSG_DATE_FAR = message("header.date_invalid", "far")
MSG_LATE = message("header.late")


def check_fields(
    out: Sink, loc: Located, plan: CheckPlan, summary: bool
) -> tuple[dict[str, str], str, dt.date | None]:
    spec = plan.spec
    fields: dict[str, str] = {}
    date: dt.date | None = None
    for f in spec.fields:
        pos = loc.fields.get(f.id)
        if pos is None:
            if f is plan.date_field:
                out.add(
                    "header.date_missing",
                    MSG_DATE_NOT_FOUND.format(label=f.label, example=plan.example_date),
                    name=f.label,
                )
            continue
        cell = address(*pos)
        raw = loc.field_value(f.id)
        text, notes = clean_text(raw)
        fields[f.id] = text
        out.notes(notes, cell, f.label, raw, text_only=f is not plan.unit_field)
        if f is plan.date_field:
            date = _check_date(out, raw, text, cell, f, plan, summary)
        elif f is plan.unit_field and not text and not notes:
            message = at(cell, f.label) + MSG_UNIT_MISSING.format(example=UNIT_EXAMPLE)
            out.add("header.unit_missing", message, cell=cell, name=f.label)
    unit = fields.get(plan.unit_field.id, "") if plan.unit_field else ""
    return fields, unit, date


def _check_date(
    out: Sink, raw: CellValue | None, text: str, cell: str, f: Field, plan: CheckPlan, summary: bool
) -> dt.date | None:
    deadline = plan.spec.deadline
    if not text and not isinstance(raw, (CellError, FormulaNoValue)):
        out.add(
            "header.date_missing",
            at(cell, f.label) + MSG_DATE_MISSING.format(example=plan.example_date),
            cell=cell,
            name=f.label,
        )
        return None
    if isinstance(raw, (CellError, FormulaNoValue)):
        return None  # clean_text has reported it
    date, error = parse_date(raw, default_year=deadline.year if deadline else None)
    if date is None:
        out.add(
            "header.date_invalid",
            at(cell, f.label) + (error or ""),
            cell=cell,
            name=f.label,
            value=shown(raw),
        )
        return None
    if deadline is not None:
        days = (date - deadline).days
        if abs(days) > 366 and not summary:  # a summary is dated by the tool, not typed
            out.add(
                "header.date_invalid",
                at(cell, f.label) + MSG_DATE_FAR.format(d=date, deadline=deadline),
                cell=cell,
                name=f.label,
                value=shown(raw),
            )
        elif days > 0 and not summary:  # a summary is dated when it is made
            out.add(
                "header.late",
                at(cell, f.label) + MSG_LATE.format(d=date, deadline=deadline, days=days),
                cell=cell,
                name=f.label,
                value=shown(raw),
            )
    return date
