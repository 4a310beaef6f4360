"""The body check: every input cell of the table read as a clerk means it. A value in a
not-applicable cell is reported and not counted, money over the per-cell bound is likely typed in
元, a refused input counts 0 (the file then has an error), text cells are the row's 备注; a row
whose money is filled but whose quantity is 0 or blank is reported. What was read (``BodyCells``)
goes on to the totals check (``totals``) and into the ``ReturnData``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shuangyong_cli.checking.cell_plan import CheckPlan, PlanCell, row_name
from shuangyong_cli.checking.display import plain, shown
from shuangyong_cli.checking.locate import Located
from shuangyong_cli.checking.sink import Sink, address, at
from shuangyong_cli.checking.text_cells import clean_text
from shuangyong_cli.checking.values import parse_number
from shuangyong_cli.model import (
    CellKey,
    CellKind,
    CellValue,
    Column,
    FormulaNoValue,
    ValueKind,
    message,
)

_ZERO = Decimal(0)

MSG_IMPLAUSIBLE = message("value.implausible")
MSG_IMPLAUSIBLE_FIX = message("value.implausible", "fix_yuan")
MSG_IMPLAUSIBLE_CHECK = message("value.implausible", "fix_check")
MSG_MONEY_WITHOUT_QTY = message("value.money_without_qty")
MSG_IN_NA = message("value.in_na_cell")


@dataclass
class BodyCells:
    """What the body check read: the totals check adds the computed cells to ``values`` and
    ``excel``; the ``ReturnData`` takes ``values``, ``remarks``, ``addresses`` and ``empty``."""

    values: dict[CellKey, Decimal]
    """Each cell as counted (a refused input counts 0)."""
    excel: dict[CellKey, Decimal]
    """What Excel's formulas see: numbers typed as text count as 0 in a SUM."""
    texty: set[CellKey]
    """Cells holding text (or an error): Excel's ``+`` shows #VALUE! for the totals over them."""
    unknown: set[CellKey]
    """Cells not found or refused: nothing is judged over them."""
    blank: set[CellKey]
    typed_calc: dict[CellKey, tuple[PlanCell, str, CellValue]]
    """Computed cells holding a value: (cell, address, the value)."""
    unsaved: dict[CellKey, str]
    """Computed cells holding a formula saved without its result: the formula."""
    typed_text: dict[CellKey, str]
    """Input cells holding text that was read as a number: the text as typed."""
    remarks: dict[str, str]
    addresses: dict[CellKey, str]
    empty: bool
    """No input cell holds anything: an empty return."""


def read_body(out: Sink, loc: Located, plan: CheckPlan, summary: bool) -> BodyCells:
    """Read every cell of the table but the computed ones, which are only noted for the totals
    check. Runs for every cell of every file: the number cells are read inline."""
    cells = loc.sheet.cells
    body = loc.body
    # A summary's cells are sums over many units: they have a bound of their own.
    limits = plan.spec.limits
    read = BodyCells({}, {}, set(), set(), set(), {}, {}, {}, {}, {}, True)
    values, excel = read.values, read.excel
    unknown, blank, addresses = read.unknown, read.blank, read.addresses
    empty = True

    for c in plan.cells:
        vkind = c.value_kind
        pos = body.get(c.key)
        if pos is None:
            if vkind is not ValueKind.TEXT:
                unknown.add(c.key)
            continue
        cell = address(*pos)
        addresses[c.key] = cell
        raw = cells.get(pos)
        if c.kind is CellKind.NA:
            if raw is not None and _counts_in_na(raw, c.column):
                _in_na(out, c, cell, raw)
            continue
        if vkind is ValueKind.TEXT or vkind is None:
            if raw is not None and _read_text(out, read, c, cell, raw):
                empty = False
            continue
        if c.kind is CellKind.CALC:
            if raw is not None:
                _note_total(read, c, cell, raw)
            continue
        parsed = parse_number(raw, vkind, measure=c.measure, unit=c.money_unit)
        if raw is not None and type(raw) is not int and type(raw) is not float:
            _note_text(read, c.key, raw)
        if parsed.notes:
            # A summary's cells are sums of what units typed: more than two decimals is theirs.
            said = parsed.notes
            if summary:
                said = tuple(n for n in said if n[0] != "value.too_many_decimals")
            out.notes(said, cell, c.name, raw)
        if parsed.blank:
            blank.add(c.key)
        else:
            empty = False
        if parsed.value is None:
            unknown.add(c.key)
            values[c.key] = _ZERO
            continue
        values[c.key] = parsed.value
        if type(raw) is int or type(raw) is float:
            excel[c.key] = parsed.value
        if vkind is ValueKind.MONEY:
            limit = limits.bound(c.money_unit, summary=summary)
            if parsed.value > limit:
                _implausible(out, c, cell, raw, parsed.value, limit)
    read.empty = empty
    return read


def _note_text(read: BodyCells, key: CellKey, raw: CellValue) -> None:
    """An input cell holding text (or an error): Excel's formulas leave it out of a SUM."""
    read.texty.add(key)
    if type(raw) is str:
        read.typed_text[key] = raw


def _note_total(read: BodyCells, c: PlanCell, cell: str, raw: CellValue) -> None:
    """A computed cell that shows something: the totals check recomputes it."""
    if isinstance(raw, FormulaNoValue):
        read.unsaved[c.key] = str(raw)
    else:
        read.typed_calc[c.key] = (c, cell, raw)


def _in_na(out: Sink, c: PlanCell, cell: str, raw: CellValue) -> None:
    out.add(
        "value.in_na_cell",
        at(cell, c.name) + MSG_IN_NA.format(v=shown(raw)),
        cell=cell,
        name=c.name,
        value=shown(raw),
    )


def _read_text(out: Sink, read: BodyCells, c: PlanCell, cell: str, raw: CellValue) -> bool:
    """A text cell of the table (备注): kept as the row's remark. Whether it holds text."""
    text, notes = clean_text(raw)
    if notes:
        out.notes(notes, cell, c.name, raw, text_only=True)
    if text:
        read.remarks[c.row.id] = text
        return True
    return False


def _implausible(
    out: Sink, c: PlanCell, cell: str, raw: CellValue | None, v: Decimal, limit: Decimal
) -> None:
    """Money over the per-cell bound: likely typed in 元 (for a 万元 cell, the fix says what
    the amount is in 万元)."""
    unit = c.money_unit
    wan = v / 10000
    if unit == "万元" and wan <= limit:
        fix = MSG_IMPLAUSIBLE_FIX.format(v=plain(v), wan=plain(wan))
    else:
        fix = MSG_IMPLAUSIBLE_CHECK.format(unit=unit)
    said = MSG_IMPLAUSIBLE.format(v=plain(v), limit=plain(limit), fix=fix, unit=unit)
    out.add(
        "value.implausible",
        at(cell, c.name) + said,
        cell=cell,
        name=c.name,
        value=shown(raw),
    )


#: What a form prints in a cell that is not to be filled, besides —, / and 无.
NA_WORDS = frozenset({"不填", "免填", "不需填写", "无需填写", "不适用", "不用填"})


_NA_SEEN: dict[tuple[str, bool], bool] = {}
"""``_counts_in_na`` of the texts seen: the form prints the same — or 不填 in every return."""


def _counts_in_na(raw: CellValue, column: Column) -> bool:
    """Whether a value in a not-applicable cell is something (not blank, —, /, 无, 0, or the
    words a form prints there: 不填, 不适用 …)."""
    if type(raw) is str:
        key = (raw, column.kind is ValueKind.TEXT)
        seen = _NA_SEEN.get(key)
        if seen is None:
            if len(_NA_SEEN) > 1000:
                _NA_SEEN.clear()
            seen = _NA_SEEN[key] = _counts_in_na_uncached(raw, column)
        return seen
    return _counts_in_na_uncached(raw, column)


def _counts_in_na_uncached(raw: CellValue, column: Column) -> bool:
    if isinstance(raw, str) or column.kind is ValueKind.TEXT:
        text, _ = clean_text(raw)
        if not text or "".join(text.split()) in NA_WORDS:
            return False
        raw = text
    parsed = parse_number(raw, ValueKind.MONEY)
    return parsed.value is None or parsed.value != 0


def check_money_without_qty(
    out: Sink,
    plan: CheckPlan,
    values: dict[CellKey, Decimal],
    unknown: set[CellKey],
    blank: set[CellKey],
    addresses: dict[CellKey, str],
) -> None:
    """A row whose money is filled but whose quantity (every count of the row) is 0 or blank."""
    for q in plan.qty_rows:
        if q.qty in unknown or q.qty not in addresses or values.get(q.qty, _ZERO) != 0:
            continue
        if any(k in unknown or values.get(k, _ZERO) != 0 for k in q.others):
            continue
        money = [
            f"{label}填了 {plain(values[k])} {unit}（{addresses[k]}）"
            for k, label, unit in q.money
            if k not in unknown and values.get(k, _ZERO) > 0
        ]
        if not money:
            continue
        cell = addresses[q.qty]
        name = f"{row_name(q.row)} / {plan.spec.column(q.qty[1]).label}"
        unit = f"{q.row.measure}数" if q.row.measure else "数量"
        out.add(
            "value.money_without_qty",
            at(cell, name)
            + MSG_MONEY_WITHOUT_QTY.format(
                how="未填" if q.qty in blank else "填的是 0", money="、".join(money), unit=unit
            ),
            cell=cell,
            name=name,
        )
