"""Comparing with an earlier season: last time, this time, and what changed a lot.

``read_earlier`` reads the earlier file:

- a summary made by this tool: its 分单位明细 sheet gives every unit's numbers (its 单位类别 and
  单位名称 columns, then one column per form cell under a two-level header), the 小计 row of each
  category and the 合计 row. The sheet is read by its header labels, never by coordinates. Which
  form cell each column holds comes from the summary's own record: its identity sheet lists, for
  every column, the form's row and column ids with the two header labels (``summary.py`` writes
  them). So a 2021 form that keeps the 2020 ids but words an item differently still compares cell
  by cell. A summary without that record (made by hand, or by an older version) is read by the
  labels of this season's form, loosely (序号 and a trailing （个） ignored);
- a summary whose 分单位明细 was deleted: its 汇总表 (the form) compares as the total only;
- a single unit's return of the same form: it compares as that one unit.

The form family is checked where the file records it (``form_family``): a different family is
refused; a different form id of the same family compares by ids.

``compare`` sets the earlier numbers against this season's ``Summary``, per unit (matched by the
roster, else by ``normalize_unit_name``), per category (by name) and in total, and flags, on the
headline cells (``headline_cells``: the 数量 of each top-level item and the money of the 合计 row):

- a swing: this time more than ``threshold`` times last time, or last time more than
  ``threshold`` times this time (both non-zero);
- a drop to 0 (last time above 0, now 0);
- a rise from 0 (an ``info``: last time 0, now above 0);
- a unit that reported last time and does not count this time (with its status now).

All numbers are exact ``Decimal``. Pure logic: nothing here prints or writes a file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from shuangyong_cli.checking import check_return, label_key, norm, parse_date, parse_number, plain
from shuangyong_cli.model import (
    META_SHEET,
    CellKey,
    CellKind,
    CellValue,
    CompareError,
    Finding,
    FormSpec,
    Grid,
    ReturnData,
    Severity,
    Sheet,
    UnreadableFileError,
    ValueKind,
    os_reason,
    read_identity,
)
from shuangyong_cli.reading import ReadLimits, read_grid
from shuangyong_cli.season.layout import (
    COMPARE_SHEET,
    DETAIL_LEAD,
    DETAIL_SHEET,
    META_DETAIL_CELL,
    META_FAMILY,
    META_SUMMARY_DATE,
    detail_columns,
)
from shuangyong_cli.season.merge import (
    UNLISTED,
    Status,
    Summary,
    UnitStatus,
    compute_cells,
    numeric_cells,
)
from shuangyong_cli.season.roster import Roster, normalize_unit_name

ZERO = Decimal(0)

_Checked = tuple[list[Finding], ReturnData | None]
"""What ``checks.check_return`` gives: the findings and the data read."""

#: The default swing threshold: flag a cell that grew or shrank more than this many times.
SWING_DEFAULT = Decimal(3)

#: How many rows from the top the 分单位明细 header may start.
_HEADER_SCAN_ROWS = 10

_SEQ_PREFIX = re.compile(r"^[一二三四五六七八九十\d]+[、.]")

Values = Mapping[CellKey, Decimal]


# -- what the earlier file holds ----------------------------------------------------------------


@dataclass(frozen=True)
class EarlierUnit:
    """One unit's numbers in the earlier file."""

    name: str
    category: str
    """As the earlier summary recorded it ("" for a single return)."""
    values: Values


@dataclass(frozen=True)
class Earlier:
    """The earlier file, read: its units, category subtotals and total, for the cells found."""

    path: str
    """The file as given on the command line."""
    name: str
    """The summary's 填报单位 (or the unit's, for a single return)."""
    date: dt.date | None
    form_id: str
    is_summary: bool
    units: tuple[EarlierUnit, ...]
    categories: tuple[tuple[str, Values], ...]
    """(单位类别, its 小计) in the file's order; empty for a single return."""
    total: Values | None
    """The 合计 (None for a single return: it is compared as a unit)."""
    cells: tuple[CellKey, ...]
    """This season's numeric cells found in the earlier file, in the form's order."""
    notes: tuple[str, ...] = ()
    """What the reader had to decide (another form id, items not found, values not numbers)."""


def read_earlier(
    path: Path, spec: FormSpec, *, limits: ReadLimits | None = None, shown: str | None = None
) -> Earlier:
    """Read an earlier summary (or return) for comparison; raises ``CompareError``."""
    label = shown if shown is not None else str(path)
    if not path.is_file():
        raise CompareError(f"找不到要比较的文件：{label}")
    try:
        grid = read_grid(path, limits or ReadLimits())
    except UnreadableFileError as e:
        raise CompareError(f"无法读取要比较的文件 {label}：{e.message}") from None
    except OSError as e:
        raise CompareError(f"无法打开要比较的文件 {label}：{os_reason(e)}") from None
    meta = _meta_rows(grid)
    identity = read_identity(grid)
    if identity is None or not identity.is_summary:
        raise CompareError(
            f"{label} 不是本工具生成的汇总表（没有汇总表的标记），不能作为“上次”比较；"
            "请选择上次用 shuangyong merge 生成的汇总表"
        )
    # checked as a summary of this form; one of another year's form is read by its ids
    checked = _check_as_summary(label, grid, spec) if identity.form_id == spec.id else None
    notes: list[str] = []
    family = next((row[1] for row in meta if row[0] == META_FAMILY and row[1]), "")
    form_id = identity.form_id if identity is not None else ""
    if family and family != spec.family:
        raise CompareError(
            f"{label} 是另一类统计表（表式 {form_id or '?'}，类别 {family}），"
            f"与本次的“{spec.title}”（类别 {spec.family}）不能比较；请选择同一类统计表的汇总表"
        )
    if form_id and form_id != spec.id:
        notes.append(
            f"上次文件的表式为 {form_id}，本次为 {spec.id}；按项目编号（或项目名称）逐项对应比较。"
        )
    mapping = _detail_map(spec, meta, notes)
    for sheet, row, col in _find_detail(grid):
        earlier = _read_detail(label, grid, sheet, row, col, spec, meta, mapping, form_id, notes)
        if earlier is not None:
            return earlier
    try:
        return _read_form(label, grid, spec, form_id, notes, checked)
    except CompareError:
        if grid.sheet(DETAIL_SHEET) is None:
            raise
    raise CompareError(
        f"{label} 的“{DETAIL_SHEET}”工作表中找不到本表的任何项目"
        f"（如“{detail_columns(spec)[0][1]}”），无法比较；"
        "请选择本工具生成的、同一类统计表的汇总表"
    )


def _check_as_summary(label: str, grid: Grid, spec: FormSpec) -> _Checked:
    """The earlier summary checked as ``validate`` checks a summary: a file with errors (a value
    typed over, a total that no longer adds up) is no ground to compare with. Returns the check,
    for ``_read_form`` to use rather than check the file again."""
    checked = findings, data = check_return(grid, spec, display_path=label)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors or data is None:
        shown = "；".join(f.message for f in errors[:3]) or "找不到统计表"
        more = f"（另有 {len(errors) - 3} 个错误）" if len(errors) > 3 else ""
        raise CompareError(
            f"{label} 作为汇总表校验未通过：{shown}{more}；请用 shuangyong validate 查看，"
            "改正或重新生成上次的汇总表后再比较"
        )
    return checked


def _meta_rows(grid: Grid) -> list[tuple[str, str, str, str]]:
    """The identity sheet's rows as text (columns A to D)."""
    sheet = grid.sheet(META_SHEET)
    if sheet is None:
        return []
    out = []
    for r in sorted({r for r, _ in sheet.cells}):
        texts = tuple(_text(sheet.get(r, c)) for c in range(1, 5))
        out.append((texts[0], texts[1], texts[2], texts[3]))
    return out


def _text(value: CellValue | None) -> str:
    return "" if value is None else str(value).strip()


def _find_detail(grid: Grid) -> list[tuple[Sheet, int, int]]:
    """Sheets that may be the per-unit sheet, 分单位明细 first, with where the header starts:
    (sheet, header row, 单位类别 column)."""
    named = grid.sheet(DETAIL_SHEET)
    sheets = ([named] if named is not None else []) + [
        s for s in grid.sheets if s is not named and s.name not in (META_SHEET, COMPARE_SHEET)
    ]
    lead = [norm(x) for x in DETAIL_LEAD]
    out: list[tuple[Sheet, int, int]] = []
    for sheet in sheets:
        for (r, c), value in sorted(sheet.cells.items()):
            if r > _HEADER_SCAN_ROWS:
                break
            if isinstance(value, str) and norm(value) == lead[0]:
                nxt = sheet.get(r, c + 1)
                if isinstance(nxt, str) and norm(nxt) == lead[1]:
                    out.append((sheet, r, c))
                    break
    return out


def _loose(text: str) -> str:
    return _SEQ_PREFIX.sub("", label_key(text))


def _detail_map(
    spec: FormSpec, meta: Sequence[tuple[str, str, str, str]], notes: list[str]
) -> tuple[dict[tuple[str, str], CellKey], dict[tuple[str, str], CellKey], bool]:
    """How header labels name cells: (recorded by the file, by this season's labels, whether the
    file recorded any)."""
    ours = set(numeric_cells(spec))
    recorded: dict[tuple[str, str], CellKey] = {}
    unknown: list[str] = []
    any_recorded = False
    for key, ids, top, sub in meta:
        if key != META_DETAIL_CELL:
            continue
        any_recorded = True
        row_id, _, col_id = ids.partition(".")
        if (row_id, col_id) in ours:
            recorded.setdefault((norm(top), norm(sub)), (row_id, col_id))
        else:
            unknown.append(f"{top} / {sub}")
    if unknown:
        notes.append(f"上次文件中以下项目本次表式没有，未比较：{'、'.join(unknown)}。")
    by_label: dict[tuple[str, str], CellKey] = {}
    for cell, top, sub in detail_columns(spec):
        by_label.setdefault((norm(top), norm(sub)), cell)
        by_label.setdefault((_loose(top), _loose(sub)), cell)
    return recorded, by_label, any_recorded


def _number(raw: CellValue | None, spec: FormSpec, cell: CellKey) -> Decimal | None:
    """A number as the summary holds it (None when it is not one)."""
    if raw is None:
        return ZERO
    column = spec.column(cell[1])
    kind = column.kind or ValueKind.MONEY
    parsed = parse_number(raw, kind, measure=spec.row(cell[0]).measure)
    return parsed.value


def _read_detail(
    label: str,
    grid: Grid,
    sheet: Sheet,
    header: int,
    first_col: int,
    spec: FormSpec,
    meta: Sequence[tuple[str, str, str, str]],
    mapping: tuple[dict[tuple[str, str], CellKey], dict[tuple[str, str], CellKey], bool],
    form_id: str,
    notes: list[str],
) -> Earlier | None:
    """The earlier summary from its per-unit sheet; None when no column is one of our cells."""
    recorded, by_label, any_recorded = mapping
    last_col = max((c for _, c in sheet.cells), default=first_col)
    columns: dict[int, CellKey] = {}
    top = ""
    for col in range(first_col + 2, last_col + 1):
        top_text = _text(sheet.get(header, col))
        sub_text = _text(sheet.get(header + 1, col))
        if top_text:
            top = top_text
        if not (top and sub_text):
            continue
        cell = recorded.get((norm(top), norm(sub_text)))
        if cell is None and not any_recorded:
            cell = by_label.get((norm(top), norm(sub_text))) or by_label.get(
                (_loose(top), _loose(sub_text))
            )
        if cell is not None and cell not in columns.values():
            columns[col] = cell
    found = [c for c in numeric_cells(spec) if c in columns.values()]
    if not found:
        return None
    missing = [c for c in numeric_cells(spec) if c not in columns.values()]
    if missing:
        names = "、".join(item_name(spec, c) for c in missing)
        notes.append(f"上次文件中没有以下项目，只比较本次：{names}。")

    total: dict[CellKey, Decimal] | None = None
    categories: list[tuple[str, Values]] = []
    units: list[EarlierUnit] = []
    bad: list[str] = []
    rows = sorted({r for r, _ in sheet.cells if r > header + 1})
    for r in rows:
        category = _text(sheet.get(r, first_col))
        name = " ".join(_text(sheet.get(r, first_col + 1)).split())
        if not (category or name):
            continue
        values: dict[CellKey, Decimal] = {}
        for col, cell in columns.items():
            raw = sheet.get(r, col)
            value = _number(raw, spec, cell)
            if value is None:
                bad.append(f"第 {r} 行“{name or category}”的“{item_name(spec, cell)}”（{raw}）")
                value = ZERO
            values[cell] = value
        if total is None and category == "合计":
            total = values
        elif name.startswith("小计"):
            categories.append((category, values))
        elif name:
            units.append(EarlierUnit(name, category or UNLISTED, values))
    if bad:
        notes.append(f"上次文件中以下数值不是数字，按 0 比较：{'；'.join(bad)}。")
    if total is None:
        total = _add((u.values for u in units), found)
    identity = read_identity(grid)
    name = identity.summary_name if identity is not None else ""
    date_text = next((row[1] for row in meta if row[0] == META_SUMMARY_DATE), "")
    date = parse_date(date_text)[0] if date_text else None
    return Earlier(
        path=label,
        name=name or Path(label).stem,
        date=date,
        form_id=form_id,
        is_summary=True,
        units=tuple(units),
        categories=tuple(categories),
        total=total,
        cells=tuple(found),
        notes=tuple(notes),
    )


def _add(parts: Iterable[Values], cells: Sequence[CellKey]) -> dict[CellKey, Decimal]:
    total = dict.fromkeys(cells, ZERO)
    for part in parts:
        for cell in cells:
            total[cell] += part.get(cell, ZERO)
    return total


def _read_form(
    label: str,
    grid: Grid,
    spec: FormSpec,
    form_id: str,
    notes: list[str],
    checked: _Checked | None = None,
) -> Earlier:
    """A file without a per-unit sheet: the form itself (a return, or a summary's 汇总表).
    ``checked``: the file's check already made (``_check_as_summary``)."""
    findings, data = checked or check_return(grid, spec, display_path=label)
    if data is None:
        messages = [f.message for f in findings if f.severity is Severity.ERROR]
        why = "；".join(messages) or "找不到统计表"
        raise CompareError(f"{label} 不能作为本次统计表的上次数据读取：{why}")
    if data.empty:
        raise CompareError(f"{label} 是空表（所有数值格均未填写），没有可比较的数据")
    errors = [f for f in findings if f.severity is Severity.ERROR]
    if errors:
        where = "、".join(dict.fromkeys(f.cell for f in errors if f.cell))
        notes.append(
            f"上次文件有 {len(errors)} 个错误"
            + (f"（{where}）" if where else "")
            + "，有误的格按 0 比较。"
        )
    values = compute_cells(spec, data.values)
    cells = tuple(numeric_cells(spec))
    identity = data.identity
    if identity is not None and identity.is_summary:
        return Earlier(
            path=label,
            name=identity.summary_name or data.unit,
            date=data.date,
            form_id=form_id,
            is_summary=True,
            units=(),
            categories=(),
            total=values,
            cells=cells,
            notes=tuple(notes),
        )
    return Earlier(
        path=label,
        name=data.unit,
        date=data.date,
        form_id=form_id,
        is_summary=False,
        units=(EarlierUnit(data.unit, "", values),),
        categories=(),
        total=None,
        cells=cells,
        notes=tuple(notes),
    )


# -- the comparison -------------------------------------------------------------------------------


class SwingKind(str, Enum):
    """How a headline cell changed enough to be flagged."""

    UP = "up"
    DOWN = "down"
    TO_ZERO = "to_zero"
    FROM_ZERO = "from_zero"

    @property
    def severity(self) -> Severity:
        return Severity.INFO if self is SwingKind.FROM_ZERO else Severity.WARNING

    @property
    def label(self) -> str:
        return {
            "up": "大幅增加",
            "down": "大幅减少",
            "to_zero": "降为 0",
            "from_zero": "由 0 增加",
        }[self.value]


class Level(str, Enum):
    TOTAL = "total"
    CATEGORY = "category"
    UNIT = "unit"


@dataclass(frozen=True)
class Swing:
    kind: SwingKind
    level: Level
    category: str
    name: str
    cell: CellKey
    item: str
    """The cell in the form's words: 「合计 / 小计」, 「走访慰问驻黔部队 / 数量」."""
    last: Decimal
    this: Decimal
    message: str

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    @property
    def short(self) -> str:
        """A few words for a table: 「合计 / 小计」降为 0, 「… / 数量」增至 4.2 倍."""
        if self.kind is SwingKind.UP:
            return f"「{self.item}」增至 {_ratio(self.this, self.last)} 倍"
        if self.kind is SwingKind.DOWN:
            return f"「{self.item}」降至 1/{_ratio(self.last, self.this)}"
        return f"「{self.item}」{self.kind.label}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "severity": self.severity.value,
            "level": self.level.value,
            "category": self.category,
            "name": self.name,
            "row": self.cell[0],
            "column": self.cell[1],
            "item": self.item,
            "last": str(self.last),
            "this": str(self.this),
            "message": self.message,
        }


@dataclass(frozen=True)
class Line:
    """One line of the comparison: the total, a category, or a unit; ``last`` None when the
    earlier file does not have it, ``this`` None when it does not count this time."""

    level: Level
    category: str
    name: str
    last: Values | None
    this: Values | None
    earlier_name: str = ""
    """The unit's name in the earlier file ("" when the same or not there)."""
    status: str = ""
    """A unit's status this time (已报, 未报, 有误 …; "" when unknown)."""
    contact: str = ""
    phone: str = ""
    note: str = ""
    swings: tuple[Swing, ...] = ()

    @property
    def dropped(self) -> bool:
        """A unit that reported last time and does not count this time."""
        return self.level is Level.UNIT and self.last is not None and self.this is None

    @property
    def new(self) -> bool:
        """A unit that counts this time and was not in the earlier summary."""
        return self.level is Level.UNIT and self.last is None and self.this is not None

    def change(self, cell: CellKey) -> Decimal | None:
        if self.last is None or self.this is None or cell not in self.last:
            return None
        return self.this.get(cell, ZERO) - self.last[cell]

    def to_dict(self, cells: Sequence[CellKey]) -> dict[str, Any]:
        def values(v: Values | None) -> dict[str, str] | None:
            if v is None:
                return None
            return {f"{r}.{c}": str(v[(r, c)]) for r, c in cells if (r, c) in v}

        change = {f"{r}.{c}": str(d) for r, c in cells if (d := self.change((r, c))) is not None}
        return {
            "level": self.level.value,
            "category": self.category,
            "name": self.name,
            "earlier_name": self.earlier_name,
            "status": self.status,
            "contact": self.contact,
            "phone": self.phone,
            "note": self.note,
            "last": values(self.last),
            "this": values(self.this),
            "change": change if self.last is not None and self.this is not None else None,
        }


@dataclass(frozen=True)
class Comparison:
    earlier: Earlier
    threshold: Decimal
    cells: tuple[CellKey, ...]
    """The headline cells: swings are flagged on these, and the 同比 sheet shows them."""
    lines: tuple[Line, ...]
    """The total, then each category followed by its units (this season's units in the
    summary's order, then the units of the earlier file that do not count this time)."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def swings(self) -> tuple[Swing, ...]:
        return tuple(s for line in self.lines for s in line.swings)

    @property
    def warnings(self) -> tuple[Swing, ...]:
        return tuple(s for s in self.swings if s.severity is Severity.WARNING)

    @property
    def dropped(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.dropped)

    @property
    def new_units(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.new)

    def line(self, name: str, level: Level = Level.UNIT) -> Line:
        """The line of a unit (or category, or "合计") by name; KeyError when there is none."""
        for line in self.lines:
            if line.level is level and line.name == name:
                return line
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        e = self.earlier
        compared = list(e.cells)
        return {
            "earlier": {
                "file": e.path,
                "name": e.name,
                "date": e.date.isoformat() if e.date else None,
                "form_id": e.form_id,
                "kind": "summary" if e.is_summary else "return",
                "units": len(e.units),
            },
            "threshold": str(self.threshold),
            "cells": [{"row": r, "column": c} for r, c in self.cells],
            "lines": [line.to_dict(compared) for line in self.lines],
            "swings": [s.to_dict() for s in self.swings],
            "dropped": [
                {
                    "name": line.name,
                    "category": line.category,
                    "status": line.status,
                    "contact": line.contact,
                    "phone": line.phone,
                }
                for line in self.dropped
            ],
            "new_units": [line.name for line in self.new_units],
            "notes": list(self.notes),
        }


def headline_cells(spec: FormSpec) -> list[CellKey]:
    """The cells swings are judged on: the 数量 of each top-level item (一 … 七) and the money of
    the 合计 row (慰问金, 物资折款, 小计). A form without a 合计 row uses the money of its
    top-level items instead."""
    cells = numeric_cells(spec)
    total_rows = {r.id for r in spec.rows if r.total}
    top = {r.id for r in spec.rows if r.indent == 0 and not r.total}
    counts = [(r, c) for r, c in cells if r in top and spec.column(c).kind is ValueKind.COUNT]
    money_rows = total_rows or top
    money = [(r, c) for r, c in cells if r in money_rows and spec.column(c).kind is ValueKind.MONEY]
    return [cell for cell in cells if cell in set(counts) | set(money)]


def item_name(spec: FormSpec, cell: CellKey) -> str:
    """A cell in the form's words: 走访慰问驻黔部队 / 数量, 合计 / 小计."""
    row = spec.row(cell[0])
    return f"{row.label or row.seq} / {spec.column(cell[1]).label}"


def shown_value(spec: FormSpec, cell: CellKey, value: Decimal) -> str:
    """An exact number with its unit: 12.5 万元, 30 人次."""
    column = spec.column(cell[1])
    if column.kind is ValueKind.MONEY:
        unit = _money_unit(spec, cell[1])
    else:
        unit = spec.row(cell[0]).measure
    return f"{plain(value)} {unit}".rstrip()


def _money_unit(spec: FormSpec, column_id: str) -> str:
    group = spec.column(column_id).group or ""
    m = re.search(r"[（(]([^（）()]*)[）)]", group)
    return m.group(1) if m else "万元"


def _ratio(a: Decimal, b: Decimal) -> str:
    return plain((a / b).quantize(Decimal("0.1"), ROUND_HALF_UP))


def find_swings(
    spec: FormSpec,
    level: Level,
    category: str,
    name: str,
    last: Values,
    this: Values,
    cells: Sequence[CellKey],
    threshold: Decimal,
) -> tuple[Swing, ...]:
    """The flagged changes of one line, in the order of ``cells``."""
    who = {Level.TOTAL: "合计", Level.CATEGORY: f"{category}（小计）", Level.UNIT: name}[level]
    out: list[Swing] = []
    for cell in cells:
        if cell not in last:
            continue
        a, b = last[cell], this.get(cell, ZERO)
        item = item_name(spec, cell)
        was, now = shown_value(spec, cell, a), shown_value(spec, cell, b)
        money = spec.column(cell[1]).kind is ValueKind.MONEY
        where = f"{who}「{item}」"
        if a > 0 and b == 0:
            kind = SwingKind.TO_ZERO
            message = f"{where}上次为 {was}，本次为 0；请核实是否漏填。"
        elif a == 0 and b > 0:
            kind = SwingKind.FROM_ZERO
            message = f"{where}上次为 0，本次为 {now}。"
        elif a > 0 and b > a * threshold:
            kind = SwingKind.UP
            hint = "，是否把“元”当作“万元”填写" if money else ""
            message = (
                f"{where}由上次的 {was} 增至 {now}，是上次的 {_ratio(b, a)} 倍"
                f"（超过 {plain(threshold)} 倍）；请核实{hint}。"
            )
        elif b > 0 and a > b * threshold:
            kind = SwingKind.DOWN
            message = (
                f"{where}由上次的 {was} 降至 {now}，只有上次的 1/{_ratio(a, b)}"
                f"（变化超过 {plain(threshold)} 倍）；请核实是否漏填或填错单位。"
            )
        else:
            continue
        out.append(Swing(kind, level, category, name, cell, item, a, b, message))
    return tuple(out)


def _key(name: str, roster: Roster | None) -> str:
    if roster is not None:
        m = roster.match(name)
        if m is not None:
            return normalize_unit_name(m.unit.name)
    return normalize_unit_name(name)


def compare(
    earlier: Earlier,
    summary: Summary,
    spec: FormSpec,
    roster: Roster | None = None,
    *,
    threshold: Decimal = SWING_DEFAULT,
) -> Comparison:
    """Set the earlier file against this season's summary. ``threshold`` must be above 1."""
    if not threshold > 1:
        raise ValueError("threshold must be above 1")
    cells = tuple(c for c in headline_cells(spec) if c in earlier.cells)
    notes = list(earlier.notes)

    def swings(
        level: Level, category: str, name: str, last: Values, this: Values
    ) -> tuple[Swing, ...]:
        return find_swings(spec, level, category, name, last, this, cells, threshold)

    lines: list[Line] = []
    if earlier.total is not None:
        lines.append(
            Line(
                Level.TOTAL,
                "合计",
                "合计",
                earlier.total,
                summary.total,
                swings=swings(Level.TOTAL, "合计", "合计", earlier.total, summary.total),
            )
        )

    # Earlier units by key; each matched at most once.
    earlier_by_key: dict[str, EarlierUnit] = {}
    for old in earlier.units:
        k = _key(old.name, roster)
        if k in earlier_by_key:
            notes.append(f"上次文件中“{old.name}”出现不止一次，只比较第一行。")
            continue
        earlier_by_key[k] = old
    status_by_key: dict[str, UnitStatus] = {}
    for s in summary.statuses:
        status_by_key.setdefault(normalize_unit_name(s.name), s)
    list_new = earlier.is_summary and bool(earlier.units)

    unit_lines: dict[str, list[Line]] = {}
    matched: set[str] = set()
    for unit in summary.units:
        k = normalize_unit_name(unit.name)
        before = earlier_by_key.get(k)
        if before is None and not list_new:
            continue
        status = status_by_key.get(k)
        line = Line(
            Level.UNIT,
            unit.category,
            unit.name,
            before.values if before is not None else None,
            unit.values,
            earlier_name=before.name if before is not None and before.name != unit.name else "",
            status=status.status.value if status is not None else "",
            contact=status.contact if status is not None else "",
            phone=status.phone if status is not None else "",
            note="上次未报" if before is None else "",
            swings=(
                swings(Level.UNIT, unit.category, unit.name, before.values, unit.values)
                if before is not None
                else ()
            ),
        )
        if before is not None:
            matched.add(k)
        unit_lines.setdefault(unit.category, []).append(line)
    for k, before in earlier_by_key.items():
        if k in matched:
            continue
        status = status_by_key.get(k)
        roster_unit = roster.match(before.name) if roster is not None else None
        name = roster_unit.unit.name if roster_unit is not None else before.name
        category = roster_unit.unit.category if roster_unit is not None else before.category
        state = status.status if status is not None else Status.MISSING
        line = Line(
            Level.UNIT,
            category or UNLISTED,
            name,
            before.values,
            None,
            earlier_name=before.name if before.name != name else "",
            status=state.value,
            contact=status.contact if status is not None else "",
            phone=status.phone if status is not None else "",
            note=f"上次已报，本次{_not_counted(status)}",
        )
        unit_lines.setdefault(line.category, []).append(line)

    earlier_categories = {name for name, _ in earlier.categories}
    current = {c.name: c.values for c in summary.categories}
    order = [c.name for c in summary.categories]
    order += [name for name, _ in earlier.categories if name not in order]
    order += [name for name in unit_lines if name not in order]
    if UNLISTED in order:  # 未列入名册 last, as in the summary
        order.remove(UNLISTED)
        order.append(UNLISTED)
    for name in order:
        units = unit_lines.get(name, [])
        if earlier.categories:
            # 上次 of a category is the sum of its unit lines as grouped now (this season's
            # roster), so the category rows and the unit rows under them always agree.
            befores = [u.last for u in units if u.last is not None]
            last = (
                {c: sum((b.get(c, ZERO) for b in befores), ZERO) for c in earlier.cells}
                if befores or name in earlier_categories
                else None
            )
            this = current.get(name)
            if last is not None or this is not None:
                found = swings(Level.CATEGORY, name, name, last, this) if last and this else ()
                lines.append(Line(Level.CATEGORY, name, name, last, this, swings=found))
        lines.extend(units)
    return Comparison(earlier, threshold, cells, tuple(lines), tuple(notes))


def _not_counted(status: UnitStatus | None) -> str:
    """Why a unit that reported last time does not count this time, in a few words."""
    if status is None or status.status is Status.MISSING:
        return "未报"
    if status.status is Status.ERRORS:
        return "报表有误，未计入"
    if status.status is Status.DUPLICATE:
        return "未单独计入（" + (status.note or "重复") + "）"
    return f"未计入（{status.status.value}）"


# -- what the terminal shows ----------------------------------------------------------------------


def screen_cells(spec: FormSpec, comparison: Comparison) -> list[CellKey]:
    """The two numbers the terminal shows per line: the money of the 合计 row's last money
    column (小计) and the first computed count (二、走访慰问优抚对象 人次), when compared."""
    out: list[CellKey] = []
    money = [c for c in comparison.cells if spec.column(c[1]).kind is ValueKind.MONEY]
    if money:
        out.append(money[-1])
    calc_counts = [
        (r.id, c.id)
        for r in spec.rows
        for c in spec.value_columns
        if c.kind is ValueKind.COUNT and r.kind(c.id) is CellKind.CALC
    ]
    out.extend(c for c in calc_counts[:1] if c in comparison.earlier.cells)
    return out


@dataclass(frozen=True)
class ScreenTable:
    """A table for ``Output.print_table``: data only, rendered by the command."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    styles: tuple[str | None, ...] = ()


def screen_tables(
    spec: FormSpec, comparison: Comparison, *, verbose: bool = False
) -> list[ScreenTable]:
    """What ``merge --compare`` shows: the total and each category (or the units, when the
    earlier file is a single return) on two headline numbers; the big swings (rises from 0 only
    with ``verbose``); the units that reported last time and do not count now."""
    e = comparison.earlier
    show = screen_cells(spec, comparison)
    when = f"，{e.date.isoformat()}" if e.date else ""
    heads = [_short_head(spec, cell) for cell in show]
    meaning = "，".join(m for _, m in heads)
    title = f"与上次比较（上次：{e.name}{when}，{e.path}）" + (f"：{meaning}" if meaning else "")
    columns: list[str] = ["单位类别" if e.categories else "单位"]
    for word, _ in heads:
        columns.extend([f"上次{word}", f"本次{word}", "增减"])
    overview: list[tuple[object, ...]] = []
    for line in comparison.lines:
        if line.level is Level.UNIT and (e.categories or e.total is not None):
            continue
        row: list[object] = [line.name if line.level is not Level.CATEGORY else line.category]
        for cell in show:
            last = line.last.get(cell) if line.last is not None else None
            this = line.this.get(cell) if line.this is not None else None
            row.extend(_tidy(spec, cell, v) for v in (last, this, line.change(cell)))
        overview.append(tuple(row))
    tables = [ScreenTable(title, tuple(columns), tuple(overview))]

    shown = [s for s in comparison.swings if verbose or s.severity is Severity.WARNING]
    if shown:
        t = plain(comparison.threshold)
        tables.append(
            ScreenTable(
                f"变化较大（超过 {t} 倍或降为 0）：{len(comparison.warnings)} 处",
                ("单位", "项目", "上次", "本次", "变化"),
                tuple(
                    (
                        {Level.TOTAL: "合计", Level.CATEGORY: f"{s.category}（小计）"}.get(
                            s.level, s.name
                        ),
                        s.item,
                        shown_value(spec, s.cell, s.last),
                        shown_value(spec, s.cell, s.this),
                        s.short.split("」", 1)[-1],
                    )
                    for s in shown
                ),
                tuple("yellow" if s.severity is Severity.WARNING else None for s in shown),
            )
        )
    if comparison.dropped:
        tables.append(
            ScreenTable(
                f"上次已报、本次未计入的单位：{len(comparison.dropped)} 个",
                ("单位类别", "单位名称", "本次状态", "联系人", "联系电话"),
                tuple(
                    (line.category, line.name, line.status, line.contact, line.phone)
                    for line in comparison.dropped
                ),
            )
        )
    return tables


def _short_head(spec: FormSpec, cell: CellKey) -> tuple[str, str]:
    """A short column word (小计, 人次) and what it means (「合计 / 小计」，万元)."""
    row, column = spec.row(cell[0]), spec.column(cell[1])
    if column.kind is ValueKind.MONEY:
        return (
            column.label,
            f"{column.label}为「{item_name(spec, cell)}」（{_money_unit(spec, column.id)}）",
        )
    word = row.measure or column.label
    return word, f"{word}为「{item_name(spec, cell)}」"


def _tidy(spec: FormSpec, cell: CellKey, value: Decimal | None) -> Decimal | None:
    """A number as a table shows it: money with at least two decimals, exact digits kept."""
    if value is None:
        return None
    exact = Decimal(plain(value))
    if spec.column(cell[1]).kind is ValueKind.MONEY:
        cents = exact.quantize(Decimal("0.01"))
        return cents if cents == exact else exact
    return exact


def final_line(comparison: Comparison) -> str:
    """The comparison in one line."""
    parts = [f"与上次比较：变化较大 {len(comparison.warnings)} 处"]
    parts.append(f"上次已报、本次未计入 {len(comparison.dropped)} 个单位")
    if comparison.new_units:
        parts.append(f"本次新增 {len(comparison.new_units)} 个单位")
    return "，".join(parts) + "。"
