"""Reading an earlier season's file for ``--compare``: last season's summary (or one return).

``read_earlier`` reads:

- a summary made by this tool: its 分单位明细 sheet gives every unit's numbers (its 单位类别 and
  单位名称 columns, then one column per form cell under a two-level header), the 小计 row of each
  category and the 合计 row. The sheet is read by its header labels, never by coordinates. Which
  form cell each column holds comes from the summary's own record: its identity sheet lists, for
  every column, the form's row and column ids with the two header labels (``season.layout``
  names them, ``writing.summary`` writes them). So a 2021 form that keeps the 2020 ids but words
  an item differently still compares cell by cell. A summary without that record (made by hand,
  or by an older version) is read by the labels of this season's form, loosely (序号 and a
  trailing （个） ignored);
- a summary whose 分单位明细 was deleted: its 汇总表 (the form) compares as the total only;
- a single unit's return of the same form: it compares as that one unit.

The form family is checked where the file records it (``form_family``): a different family is
refused; a different form id of the same family compares by ids. An earlier file is accepted only
if it checks as a summary of this form (or a return of it).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from shuangyong_cli.checking import check_return, label_key, norm, parse_date, parse_number
from shuangyong_cli.model import (
    META_SHEET,
    CellKey,
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
    item_name,
)
from shuangyong_cli.season.sums import compute_cells, numeric_cells
from shuangyong_cli.season.totals import UNLISTED

ZERO = Decimal(0)

_Checked = tuple[list[Finding], ReturnData | None]
"""What ``checks.check_return`` gives: the findings and the data read."""

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
        shown = "；".join(f.message.rstrip("。") for f in errors[:3]) or "找不到统计表"
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
    kind = spec.value_kind(*cell) or ValueKind.MONEY
    unit = spec.money_unit(*cell)
    parsed = parse_number(raw, kind, measure=spec.row(cell[0]).measure, unit=unit)
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
    columns = _detail_columns(sheet, header, first_col, mapping)
    found = [c for c in numeric_cells(spec) if c in columns.values()]
    if not found:
        return None
    missing = [c for c in numeric_cells(spec) if c not in columns.values()]
    if missing:
        names = "、".join(item_name(spec, c) for c in missing)
        notes.append(f"上次文件中没有以下项目，只比较本次：{names}。")
    total, categories, units = _detail_rows(sheet, header, first_col, columns, spec, notes)
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


def _detail_columns(
    sheet: Sheet,
    header: int,
    first_col: int,
    mapping: tuple[dict[tuple[str, str], CellKey], dict[tuple[str, str], CellKey], bool],
) -> dict[int, CellKey]:
    """Which form cell each numeric column of 分单位明细 holds: by the summary's own record,
    else (no record at all) by this form's labels, strictly then loosely."""
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
    return columns


def _detail_rows(
    sheet: Sheet,
    header: int,
    first_col: int,
    columns: dict[int, CellKey],
    spec: FormSpec,
    notes: list[str],
) -> tuple[dict[CellKey, Decimal] | None, list[tuple[str, Values]], list[EarlierUnit]]:
    """The 合计 row, each category's 小计 row and the unit rows below the header."""
    total: dict[CellKey, Decimal] | None = None
    categories: list[tuple[str, Values]] = []
    units: list[EarlierUnit] = []
    bad: list[str] = []
    for r in sorted({r for r, _ in sheet.cells if r > header + 1}):
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
    return total, categories, units


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
        messages = [f.message.rstrip("。") for f in findings if f.severity is Severity.ERROR]
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
