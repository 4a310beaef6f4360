"""The rules of FORM.md over a located return: findings, and the data the merge sums.

``check_return`` takes a ``Grid`` (any reader's output) and the ``FormSpec`` and gives back every
finding about the file, in reading order, and a ``ReturnData``:

* what ``locate`` saw comes first (other sheets, missing labels), then the form's identity, the
  header and footer fields, the body cell by cell, and last any number typed outside the form.
  The Grid's own notes from opening (``Grid.notes``) are not repeated: the caller reports them;
* every input cell is read by ``values.parse_number``; each conversion and refusal is a finding
  with the cell's address in the file as returned;
* computed cells are always recomputed from the inputs. A total typed by hand is compared with the
  computation (``calc.mismatch`` beyond ``limits.calc_tolerance``), never used. A computed cell
  that is blank or a formula saved without its result is simply recomputed, with no finding; one
  showing an error value (``#VALUE!``) is reported as a warning, since the number used is the
  recomputed one;
* a value in a not-applicable cell is reported (``value.in_na_cell``) and not counted;
* a summary made by this tool (its identity says ``kind = summary``) is the same form filled with
  totals: its own other sheets, its date and the per-cell 万元 bound are not held against it;
* a file whose form was found yields a ``ReturnData`` even with errors (refused cells count as 0
  there; the merge leaves out files with errors). When the form or one of its labels cannot be
  found, the data is None.

Every message starts with where (单元格 E8「抗战老战士 / 慰问金」), says what was found, and what to
type instead.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from shuangyong_cli.checking.dates import parse_date
from shuangyong_cli.checking.display import plain, shown
from shuangyong_cli.checking.locate import FormNotFound, Located, locate
from shuangyong_cli.checking.text_cells import clean_text
from shuangyong_cli.checking.values import Note, parse_number
from shuangyong_cli.model import (
    CellError,
    CellKey,
    CellKind,
    CellValue,
    Column,
    Field,
    Finding,
    FormSpec,
    FormulaNoValue,
    Grid,
    Identity,
    ReturnData,
    Row,
    Severity,
    ValueKind,
    a1,
    finding,
    parse_a1,
    per_form,
    read_identity,
)

_ZERO = Decimal(0)
_UNREADABLE = frozenset({"value.error_cell", "value.formula_no_cache"})
_a1 = functools.lru_cache(maxsize=8192)(a1)


# -- message templates -------------------------------------------------------------------------


def at(cell: str, name: str) -> str:
    """The start of every message about one cell: ``单元格 E8「抗战老战士 / 慰问金」``."""
    return f"单元格 {cell}「{name}」" if cell else f"「{name}」"


MSG_IMPLAUSIBLE = (
    "为 {v} 万元，超过每格 {limit} 万元的合理上限，可能按“元”填写了；{fix}"
    "在改正之前，这份报表不计入汇总。"
)
MSG_IMPLAUSIBLE_FIX = "{v} 元 = {wan} 万元，请改为 {wan}（万元）。"
MSG_IMPLAUSIBLE_CHECK = "请核对后按万元填写。"
MSG_MONEY_WITHOUT_QTY = "为 0（{how}），但{money}；请补填{unit}，或核对金额是否填错了行。"
MSG_IN_NA = (
    "不适用，不应填写，实际填了“{v}”；该数未计入汇总。请删除此格内容，如需说明请写在备注中。"
)
MSG_CALC_MISMATCH = (
    "应为 {exp}（{formula}），实际为 {found}；本工具不采信手填的合计，按各项重新计算为 {exp}。"
    "请改正该格，或恢复原来的公式。"
)
MSG_SHEET_DIFFERS = (
    "表内合计显示 {shown}，按转换后的数值计为 {value}：{cells} 填的是文字，本工具已按数字读取，"
    "Excel/WPS 的公式却不计算文字。请在这些格中直接填写数字，使表内合计与上报的数一致。"
)
MSG_CALC_ERROR = "显示错误值“{v}”；本工具已按各项重新计算为 {exp}，请检查该格的公式。"
MSG_CALC_REFUSED = "（该格为计算格，本工具已按各项重新计算为 {exp}。）"
MSG_EMPTY = (
    "表中应填的格全部为空（空表），不能当作全部为 0 计入；"
    "如本单位确无此项工作，请在各项“数量”栏填 0 或“无”后重新报送。"
)
MSG_OUTSIDE = (
    "不在表中任何一格内，却填了数值“{v}”，未计入汇总；如属本表数据，请移到对应的格内，否则请删除。"
)
MSG_UNIT_MISSING = "未填写；请填写本单位全称（与名册一致），如“黔江区民政局”。"
MSG_DATE_MISSING = "未填写；请填写报送日期，如 {example}。"
MSG_DATE_NOT_FOUND = "找不到“{label}”一栏；请保留“{label}：”，并在其后填写报送日期，如 {example}。"
MSG_DATE_FAR = "为 {d}，与本次报送截止日期 {deadline} 相差一年以上；请核对年份。"
MSG_LATE = "为 {d}，晚于报送截止日期 {deadline}，逾期 {days} 天。如日期填错，请改正。"
MSG_OTHER_FORM = (
    "此文件由表式“{their}”（第 {their_version} 版）生成，与本次校验的“{title}”"
    "（{ours}，第 {version} 版）不是同一张表；请用本次下发的模板重新填报。"
)
MSG_OTHER_VERSION = (
    "此文件由本表另一版本的模板（第 {their_version} 版）生成，表格结构与本次下发的模板"
    "（第 {version} 版）不一致；已按项目名称读取，请核对，今后请用本次下发的模板。"
)


# -- the form's cells, prepared once per FormSpec ----------------------------------------------


@dataclass(frozen=True)
class _Cell:
    key: CellKey
    row: Row
    column: Column
    kind: CellKind
    name: str
    """「项目 / 栏目」 in the form's words."""
    value_kind: ValueKind | None
    measure: str


@dataclass(frozen=True)
class _Calc:
    key: CellKey
    sources: tuple[CellKey, ...]
    formula: str
    zeros: tuple[Decimal, ...]
    """A 0 for each source: what a source missing from the values counts as."""


@dataclass(frozen=True)
class _QtyRow:
    row: Row
    qty: CellKey
    money: tuple[tuple[CellKey, str], ...]


@dataclass(frozen=True)
class _Plan:
    spec: FormSpec
    cells: tuple[_Cell, ...]
    calcs: tuple[_Calc, ...]
    qty_rows: tuple[_QtyRow, ...]
    unit_field: Field | None
    date_field: Field | None
    example_date: str
    fingerprint: str
    row_names: dict[str, str]
    formulas: dict[CellKey, str]
    names: dict[CellKey, str]
    """Each cell's 「项目 / 栏目」."""


def row_name(row: Row) -> str:
    """A row in the form's words: its label, or its 序号 (合计) when it has none."""
    return row.label or row.seq


@per_form
def _plan(spec: FormSpec) -> _Plan:
    cells = tuple(
        _Cell((r.id, c.id), r, c, k, f"{row_name(r)} / {c.label}", c.kind, r.measure)
        for r, c, k in spec.cells()
    )
    calcs = []
    for rid, cid in spec.calc_order():
        sources = tuple(spec.sources(rid, cid))
        if spec.rule_for(rid, cid).is_row_rule:
            parts = [row_name(spec.row(r)) for r, _ in sources]
            formula = "＝" + "＋".join(parts)
        else:
            parts = [spec.column(c).label for _, c in sources]
            formula = "＝" + "＋".join(parts)
        calcs.append(_Calc((rid, cid), sources, formula, (_ZERO,) * len(sources)))
    qty_rows = []
    for r in spec.rows:
        counts = [c for c in spec.value_columns if c.kind is ValueKind.COUNT]
        money = tuple(
            ((r.id, c.id), c.label)
            for c in spec.value_columns
            if c.kind is ValueKind.MONEY and r.kind(c.id) is CellKind.INPUT
        )
        for c in counts:
            if r.kind(c.id) is CellKind.INPUT and money:
                qty_rows.append(_QtyRow(r, (r.id, c.id), money))
    unit_field = next((f for f in spec.fields if f.id == "unit"), None) or next(
        (f for f in spec.header_fields if f.required and f.kind == "text"), None
    )
    date_field = next((f for f in spec.fields if f.kind == "date"), None)
    example = spec.deadline - dt.timedelta(days=4) if spec.deadline else dt.date(2020, 8, 10)
    plan = _Plan(
        spec=spec,
        cells=cells,
        calcs=tuple(calcs),
        qty_rows=tuple(qty_rows),
        unit_field=unit_field,
        date_field=date_field,
        example_date=example.isoformat(),
        fingerprint=spec.fingerprint,
        row_names={r.id: row_name(r) for r in spec.rows},
        formulas={c.key: c.formula for c in calcs},
        names={c.key: c.name for c in cells},
    )
    return plan


# -- checking ----------------------------------------------------------------------------------


class _Sink:
    """Collects findings for one file, stamping the file and sheet."""

    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        self.sheet = ""
        self.findings = findings

    def add(
        self,
        code: str,
        message: str,
        *,
        cell: str = "",
        name: str = "",
        value: str = "",
        severity: Severity | None = None,
    ) -> None:
        self.findings.append(
            finding(
                code,
                message,
                file=self.file,
                sheet=self.sheet,
                cell=cell,
                field=name,
                value=value,
                severity=severity,
            )
        )

    def notes(
        self,
        notes: tuple[Note, ...] | list[Note],
        cell: str,
        name: str,
        raw: CellValue | None,
        *,
        text_only: bool = False,
    ) -> None:
        """Each note as a finding at ``cell``. ``text_only``: the cell is text that no number
        depends on (备注, 日期, 填表人 …), so an unreadable value there is a warning."""
        for code, detail in notes:
            severity = Severity.WARNING if text_only and code in _UNREADABLE else None
            self.add(
                code,
                at(cell, name) + detail,
                cell=cell,
                name=name,
                value=shown(raw),
                severity=severity,
            )


def check_return(
    grid: Grid, spec: FormSpec, *, display_path: str, mtime: float = 0.0
) -> tuple[list[Finding], ReturnData | None]:
    """Check one returned workbook against the form. Returns every finding about the form (not
    ``grid.notes``, which the caller reports) and the data read, or None when the form or one of
    its labels could not be found."""
    plan = _plan(spec)
    out = _Sink(display_path, [])
    try:
        loc = locate(grid, spec, file=display_path)
    except FormNotFound as e:
        out.findings.extend(e.findings)
        return out.findings, None
    identity = read_identity(grid)
    summary = identity is not None and identity.is_summary
    # A summary's own sheets (分单位明细 …) are its explanation, not stray data.
    out.findings.extend(f for f in loc.findings if not (summary and f.code == "form.other_sheets"))
    out.sheet = loc.sheet.name
    if identity is not None:
        _check_identity(out, identity, plan)

    fields, unit, date = _check_fields(out, loc, plan, summary)
    values, remarks, addresses, empty = _check_body(out, loc, plan, summary)
    if empty:
        out.add("return.empty", MSG_EMPTY)
    _check_outside(out, loc, plan)

    if not loc.complete:
        return out.findings, None
    data = ReturnData(
        path=display_path,
        sheet=loc.sheet.name,
        unit=unit,
        date=date,
        values=values,
        remarks=remarks,
        fields=fields,
        addresses=addresses,
        field_addresses={fid: a1(*pos) for fid, pos in loc.fields.items()},
        empty=empty,
        identity=identity,
        sha256=grid.sha256,
        size=grid.size,
        mtime=mtime,
    )
    return out.findings, data


def _check_identity(out: _Sink, identity: Identity, plan: _Plan) -> None:
    spec = plan.spec
    if not (identity.form_id or identity.fingerprint):
        return
    if identity.form_id and identity.form_id != spec.id:
        message = MSG_OTHER_FORM.format(
            their=identity.form_id,
            their_version=identity.form_version or "?",
            title=spec.title,
            ours=spec.id,
            version=spec.version,
        )
    elif (identity.form_version and identity.form_version != spec.version) or (
        identity.fingerprint and identity.fingerprint != plan.fingerprint
    ):
        message = MSG_OTHER_VERSION.format(
            their_version=identity.form_version or "?", version=spec.version
        )
    else:
        return
    out.add("form.identity_mismatch", message, value=identity.form_id)


def _check_fields(
    out: _Sink, loc: Located, plan: _Plan, summary: bool
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
        cell = _a1(*pos)
        raw = loc.field_value(f.id)
        text, notes = clean_text(raw)
        fields[f.id] = text
        out.notes(notes, cell, f.label, raw, text_only=f is not plan.unit_field)
        if f is plan.date_field:
            date = _check_date(out, raw, text, cell, f, plan, summary)
        elif f is plan.unit_field and not text and not notes:
            message = at(cell, f.label) + MSG_UNIT_MISSING
            out.add("header.unit_missing", message, cell=cell, name=f.label)
    unit = fields.get(plan.unit_field.id, "") if plan.unit_field else ""
    return fields, unit, date


def _check_date(
    out: _Sink, raw: CellValue | None, text: str, cell: str, f: Field, plan: _Plan, summary: bool
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


def _check_body(
    out: _Sink, loc: Located, plan: _Plan, summary: bool
) -> tuple[dict[CellKey, Decimal], dict[str, str], dict[CellKey, str], bool]:
    cells = loc.sheet.cells
    body = loc.body
    # A summary's cells are sums over many units: they have a bound of their own.
    limits = plan.spec.limits
    limit = limits.summary_money_plausible_max if summary else limits.money_plausible_max
    values: dict[CellKey, Decimal] = {}
    excel: dict[CellKey, Decimal] = {}
    """What Excel's formulas see: numbers typed as text count as 0 in a SUM."""
    texty: set[CellKey] = set()
    """Cells holding text (or an error): Excel's ``+`` shows #VALUE! for the totals over them."""
    unknown: set[CellKey] = set()
    blank: set[CellKey] = set()
    typed_calc: dict[CellKey, tuple[_Cell, str, CellValue]] = {}
    drawn: set[CellKey] = set()
    """Computed cells that show something in the unit's sheet (a formula or a value)."""
    shows: dict[CellKey, Decimal | CellError] = {}
    """Computed cells over converted text: what the unit's own sheet shows there."""
    remarks: dict[str, str] = {}
    addresses: dict[CellKey, str] = {}
    empty = True

    for c in plan.cells:
        vkind = c.value_kind
        pos = body.get(c.key)
        if pos is None:
            if vkind is not ValueKind.TEXT:
                unknown.add(c.key)
            continue
        cell = _a1(*pos)
        addresses[c.key] = cell
        raw = cells.get(pos)
        if c.kind is CellKind.NA:
            if raw is not None and _counts_in_na(raw, c.column):
                out.add(
                    "value.in_na_cell",
                    at(cell, c.name) + MSG_IN_NA.format(v=shown(raw)),
                    cell=cell,
                    name=c.name,
                    value=shown(raw),
                )
            continue
        if vkind is ValueKind.TEXT or vkind is None:
            if raw is None:
                continue
            text, notes = clean_text(raw)
            if notes:
                out.notes(notes, cell, c.name, raw, text_only=True)
            if text:
                remarks[c.row.id] = text
                empty = False
            continue
        if c.kind is CellKind.CALC:
            if raw is not None:
                drawn.add(c.key)
                if not isinstance(raw, FormulaNoValue):
                    typed_calc[c.key] = (c, cell, raw)
            continue
        parsed = parse_number(raw, vkind, measure=c.measure)
        if raw is not None and type(raw) is not int and type(raw) is not float:
            texty.add(c.key)
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
        if vkind is ValueKind.MONEY and parsed.value > limit:
            v, wan = parsed.value, parsed.value / 10000
            fix = (
                MSG_IMPLAUSIBLE_FIX.format(v=plain(v), wan=plain(wan))
                if wan <= limit
                else MSG_IMPLAUSIBLE_CHECK
            )
            out.add(
                "value.implausible",
                at(cell, c.name) + MSG_IMPLAUSIBLE.format(v=plain(v), limit=plain(limit), fix=fix),
                cell=cell,
                name=c.name,
                value=shown(raw),
            )

    calc_out = _Sink(out.file, [])
    calc_out.sheet = out.sheet
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
                if key in drawn:  # a formula without a saved result: it will show this
                    shows[key] = excel[key]
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
    _check_sheet_totals(calc_out, plan, values, shows, texty, addresses)
    out.findings.extend(sorted(calc_out.findings, key=lambda f: parse_a1(f.cell)))
    _check_money_without_qty(out, plan, values, unknown, blank, addresses)
    return values, remarks, addresses, empty


def _check_sheet_totals(
    out: _Sink,
    plan: _Plan,
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
    names = plan.names
    order = {calc.key: i for i, calc in enumerate(plan.calcs)}
    # each total over converted cells, with the converted cells it adds (through other totals)
    over: dict[CellKey, set[CellKey]] = {}
    reach: dict[CellKey, int] = {}
    for key in differ:
        if key in inside or key not in addresses:
            continue
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
        if converted:  # not only —, 无 or / (0 here, text to Excel): those are fine
            over[key] = converted
            reach[key] = len(seen)

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
            at(cell, names[key])
            + MSG_SHEET_DIFFERS.format(
                shown=plain(shown_value) if isinstance(shown_value, Decimal) else shown_value,
                value=plain(values[key]),
                cells="、".join(sorted((addresses[c] for c in converted), key=parse_a1)),
            ),
            cell=cell,
            name=names[key],
        )


def _counts_in_na(raw: CellValue, column: Column) -> bool:
    """Whether a value in a not-applicable cell is something (not blank, —, 无 or 0)."""
    if column.kind is ValueKind.TEXT:
        text, _ = clean_text(raw)
        if not text:
            return False
        raw = text
    parsed = parse_number(raw, ValueKind.MONEY)
    return parsed.value is None or parsed.value != 0


def _check_typed_calc(
    out: _Sink,
    plan: _Plan,
    c: _Cell,
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
    exp = plain(expected)
    if isinstance(raw, CellError):
        out.add(
            "value.error_cell",
            at(cell, c.name) + MSG_CALC_ERROR.format(v=raw, exp=exp),
            cell=cell,
            name=c.name,
            value=shown(raw),
            severity=Severity.WARNING,
        )
        return None
    assert c.value_kind is not None
    parsed = parse_number(raw, c.value_kind, measure=c.measure)
    if parsed.value is None:
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
            exp=exp, formula=plan.formulas[c.key], found=plain(parsed.value)
        )
        out.add(
            "calc.mismatch", at(cell, c.name) + message, cell=cell, name=c.name, value=shown(raw)
        )
    return parsed.value if type(raw) is int or type(raw) is float else None


def _check_money_without_qty(
    out: _Sink,
    plan: _Plan,
    values: dict[CellKey, Decimal],
    unknown: set[CellKey],
    blank: set[CellKey],
    addresses: dict[CellKey, str],
) -> None:
    for q in plan.qty_rows:
        if q.qty in unknown or q.qty not in addresses or values.get(q.qty, _ZERO) != 0:
            continue
        money = [
            f"{label}填了 {plain(values[k])} 万元（{addresses[k]}）"
            for k, label in q.money
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


def _check_outside(out: _Sink, loc: Located, plan: _Plan) -> None:
    """Numbers typed where the form has no cell: beside the table, in a label column, in a
    blank row between body rows. Never silently dropped."""
    known = loc.known
    stray = []
    for pos, raw in loc.sheet.cells.items():
        if pos in known:
            continue
        kind = type(raw)
        if kind is str:
            assert isinstance(raw, str)
            if len(raw) > 20 or not any(ch.isdigit() for ch in raw):
                continue
            parsed = parse_number(raw, ValueKind.MONEY)
            if parsed.value is None or parsed.blank:
                continue
        elif kind is not int and kind is not float:
            continue
        stray.append((pos, raw))
    if not stray:
        return
    by_row = {r: rid for rid, r in loc.rows.items()}
    for pos, raw in sorted(stray, key=lambda x: x[0]):
        cell = _a1(*pos)
        rid = by_row.get(pos[0])
        name = plan.row_names[rid] if rid else ""
        where = f"单元格 {cell}（「{name}」行）" if name else f"单元格 {cell} "
        out.add(
            "value.outside_form",
            where + MSG_OUTSIDE.format(v=shown(raw)),
            cell=cell,
            name=name,
            value=shown(raw),
        )
