"""The totals check: every computed cell (小计, 合计) is recomputed from the inputs, never taken
from the sheet. A total typed by hand is compared with the recomputation (``calc.mismatch``
beyond ``limits.calc_tolerance``); one showing an error value is a warning. A total that the
unit's own sheet shows otherwise, because text typed in the cells it adds was converted here
while Excel leaves it out, is said once (``calc.sheet_differs``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from shuangyong_cli.checking.body import BodyCells
from shuangyong_cli.checking.cell_plan import CheckPlan, PlanCell
from shuangyong_cli.checking.display import plain, shown
from shuangyong_cli.checking.sink import Sink, at
from shuangyong_cli.checking.values import parse_number
from shuangyong_cli.model import (
    CellError,
    CellKey,
    CellValue,
    Severity,
    a1,
    message,
    parse_a1,
)

_ZERO = Decimal(0)

MSG_CALC_MISMATCH = message("calc.mismatch")
MSG_SHEET_DIFFERS = message("calc.sheet_differs")
MSG_CALC_ERROR = message("value.error_cell", "in_calc")
MSG_CALC_REFUSED = message("calc.mismatch", "recomputed")


def check_totals(out: Sink, plan: CheckPlan, read: BodyCells) -> None:
    """Recompute every computed cell into ``read.values`` (and ``read.excel``: what the sheet's
    own formulas show), and check the ones that hold a value. Said in the order of the cells."""
    calc_out = Sink(out.file, [])
    calc_out.sheet = out.sheet
    values, excel, unknown, texty = read.values, read.excel, read.unknown, read.texty
    typed_calc = read.typed_calc
    shows: dict[CellKey, Decimal | CellError] = {}
    """Computed cells over converted text: what the unit's own sheet shows there."""
    value_of, excel_of = values.get, excel.get
    for calc in plan.calcs:
        key = calc.key
        sources, zeros = calc.sources, calc.zeros
        values[key] = sum(map(value_of, sources, zeros), _ZERO)
        excel[key] = sum(map(excel_of, sources, zeros), _ZERO)
        if not unknown.isdisjoint(sources):
            # Not judged: the refused input's own finding says what to fix.
            unknown.add(key)
            continue
        over_text = not texty.isdisjoint(sources)
        typed = typed_calc.get(key)
        if typed is None:
            if over_text:
                texty.add(key)
                formula = read.unsaved.get(key)
                if formula is not None:  # saved without its result: what it will show
                    will = _will_show(formula, sources, read, shows)
                    if will is not None:
                        shows[key] = will
            continue
        c, cell, raw = typed
        if isinstance(raw, CellError) or over_text:
            texty.add(key)
            if over_text and isinstance(raw, CellError):
                shows[key] = raw
                continue  # #VALUE! from text in the cells it adds: those are reported
        as_seen = _check_typed_calc(calc_out, plan, c, cell, raw, values[key], excel[key])
        if as_seen is not None:
            excel[key] = as_seen
        if over_text:
            shows[key] = as_seen if as_seen is not None else excel[key]
    _check_sheet_totals(calc_out, plan, values, shows, texty, read.addresses)
    out.findings.extend(sorted(calc_out.findings, key=lambda f: parse_a1(f.cell)))


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+")
_REF = r"\$?[A-Z]{1,3}\$?[0-9]{1,7}"
_PLUS_CHAIN = re.compile(rf"=\s*\+?\s*{_REF}(?:\s*\+\s*{_REF})*\s*")
_SUM_CALL = re.compile(rf"=\s*SUM\(\s*{_REF}(?::{_REF})?(?:\s*,\s*{_REF}(?::{_REF})?)*\s*\)\s*")
_RANGE = re.compile(rf"({_REF})(?::({_REF}))?")


def _will_show(
    formula: str,
    sources: tuple[CellKey, ...],
    read: BodyCells,
    shows: Mapping[CellKey, Decimal | CellError],
) -> Decimal | CellError | None:
    """What a total saved without its result shows once Excel or WPS computes it, over text
    typed in the cells it adds; None when that cannot be told. Only the two shapes a template
    writes are judged, and only over exactly the cells the form adds there: ``=SUM(D8:D14)``
    leaves text out; ``=E6+F6`` takes text that is a plain number (``12``, ``1,200``, ``１２``)
    for it and shows #VALUE! for any other (``3000元``), as over a total that shows an error."""
    f = formula.upper()
    plus = _PLUS_CHAIN.fullmatch(f) is not None
    if not plus and _SUM_CALL.fullmatch(f) is None:
        return None
    if _cells_named(f) != sorted(read.addresses.get(s) or "" for s in sources):
        return None  # other cells, or a cell named twice
    total = _ZERO
    for s in sources:
        shown = shows.get(s)
        text = read.typed_text.get(s)
        if shown is not None:
            if isinstance(shown, CellError):
                return shown
            total += shown
        elif text is not None:
            if not plus:
                continue  # SUM leaves text out
            plain_text = unicodedata.normalize("NFKC", text).strip()
            if _PLAIN_NUMBER.fullmatch(plain_text) is None:
                return CellError("#VALUE!")
            total += Decimal(plain_text.replace(",", ""))
        elif s in read.texty:
            return None  # a total over text whose own showing is not known
        else:
            total += read.excel.get(s, _ZERO)
    return total


def _cells_named(formula: str) -> list[str]:
    """The cells a formula of ``_PLUS_CHAIN`` or ``_SUM_CALL`` names, ranges spelled out, each
    as often as named, sorted."""
    cells: list[str] = []
    for m in _RANGE.finditer(formula.removeprefix("=").replace("SUM(", "(")):
        first = parse_a1(m[1].replace("$", ""))
        last = parse_a1(m[2].replace("$", "")) if m[2] else first
        for row in range(min(first[0], last[0]), max(first[0], last[0]) + 1):
            for col in range(min(first[1], last[1]), max(first[1], last[1]) + 1):
                cells.append(a1(row, col))
                if len(cells) > 10_000:
                    return cells
    return sorted(cells)


def _check_typed_calc(
    out: Sink,
    plan: CheckPlan,
    c: PlanCell,
    cell: str,
    raw: CellValue,
    expected: Decimal,
    sheet_sum: Decimal,
) -> Decimal | None:
    """A computed cell that holds a value: compare it with the recomputation, never trust it.
    ``sheet_sum`` is what the cell's formula would show, summing the cells as they are in the
    sheet (numbers typed as text count 0 there, totals as they stand). Returns the cell's value
    as its own formulas see it, or None when it is not a number."""
    tolerance = plan.spec.limits.calc_tolerance
    if isinstance(raw, CellError):
        out.add(
            "value.error_cell",
            at(cell, c.name) + MSG_CALC_ERROR.format(v=raw, exp=plain(expected)),
            cell=cell,
            name=c.name,
            value=shown(raw),
            severity=Severity.WARNING,
        )
        return None
    assert c.value_kind is not None
    parsed = parse_number(raw, c.value_kind, measure=c.measure, unit=c.money_unit)
    if parsed.value is None:
        exp = plain(expected)
        for code, detail in parsed.notes:
            out.add(
                code,
                at(cell, c.name) + detail + MSG_CALC_REFUSED.format(exp=exp),
                cell=cell,
                name=c.name,
                value=shown(raw),
                severity=Severity.WARNING,
            )
        return None
    # A total has as many decimals as its parts: only conversions are worth a note.
    notes = [n for n in parsed.notes if n[0] != "value.too_many_decimals"]
    if notes:
        out.notes(notes, cell, c.name, raw)
    if parsed.blank:
        return None
    # Agreeing with the cells as they stand in the sheet (a number typed as text, which Excel's
    # SUM leaves out; a wrong total upstream) is not a mistake in this cell: those cells have
    # their own findings, and fixing them fixes this one.
    off = abs(parsed.value - expected) > tolerance and abs(parsed.value - sheet_sum) > tolerance
    if off:
        message = MSG_CALC_MISMATCH.format(
            exp=plain(expected), formula=plan.formulas[c.key], found=plain(parsed.value)
        )
        out.add(
            "calc.mismatch", at(cell, c.name) + message, cell=cell, name=c.name, value=shown(raw)
        )
    return parsed.value if type(raw) is int or type(raw) is float else None


def _check_sheet_totals(
    out: Sink,
    plan: CheckPlan,
    values: Mapping[CellKey, Decimal],
    shows: Mapping[CellKey, Decimal | CellError],
    texty: set[CellKey],
    addresses: Mapping[CellKey, str],
) -> None:
    """A total that the unit's own sheet shows otherwise than the tool counts it, because text
    typed in the cells it adds (``1,200``, ``１２``, ``3000元``) was converted here, while Excel
    and WPS leave text out of a SUM (or show #VALUE! for ``+``). Said once per total that no
    other such total includes: the unit signed the number its sheet shows."""
    tolerance = plan.spec.limits.calc_tolerance
    differ = {
        key: shown
        for key, shown in shows.items()
        if isinstance(shown, CellError) or abs(shown - values[key]) > tolerance
    }
    if not differ:
        return
    sources = {calc.key: calc.sources for calc in plan.calcs}
    inside = {s for key in differ for s in sources.get(key, ())}
    order = {calc.key: i for i, calc in enumerate(plan.calcs)}
    # each total over converted cells, with the converted cells it adds (through other totals)
    over: dict[CellKey, set[CellKey]] = {}
    reach: dict[CellKey, int] = {}
    for key in differ:
        if key in inside or key not in addresses:
            continue
        converted, reached = _converted_under(key, sources, values, texty, addresses)
        if converted:  # not only —, 无 or / (0 here, text to Excel): those are fine
            over[key] = converted
            reach[key] = reached

    # a row's 小计 over the same converted cells as a larger total is not said again: the
    # larger total (the 合计 where it is known) says it
    def size(key: CellKey) -> tuple[int, int]:
        return reach[key], order[key]

    for key, converted in over.items():
        if any(
            other != key and converted <= theirs and size(other) > size(key)
            for other, theirs in over.items()
        ):
            continue
        cell = addresses[key]
        shown_value = differ[key]
        out.add(
            "calc.sheet_differs",
            at(cell, plan.names[key])
            + MSG_SHEET_DIFFERS.format(
                shown=plain(shown_value) if isinstance(shown_value, Decimal) else shown_value,
                value=plain(values[key]),
                cells="、".join(sorted((addresses[c] for c in converted), key=parse_a1)),
            ),
            cell=cell,
            name=plan.names[key],
        )


def _converted_under(
    key: CellKey,
    sources: Mapping[CellKey, tuple[CellKey, ...]],
    values: Mapping[CellKey, Decimal],
    texty: set[CellKey],
    addresses: Mapping[CellKey, str],
) -> tuple[set[CellKey], int]:
    """The converted cells a total adds, through the totals it adds, and how many cells it
    reaches that way."""
    converted: set[CellKey] = set()
    todo, seen = list(sources.get(key, ())), set()
    while todo:
        source = todo.pop()
        if source in seen:
            continue
        seen.add(source)
        if source in sources:
            todo.extend(sources[source])
        elif source in texty and values.get(source, _ZERO) and source in addresses:
            converted.add(source)
    return converted, len(seen)
