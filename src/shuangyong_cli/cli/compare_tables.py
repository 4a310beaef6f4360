"""What the terminal shows of a comparison (``merge --compare``): the tables of units and
categories whose headline cells swung, dropped to 0 or stopped reporting, and the closing line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shuangyong_cli.checking import plain
from shuangyong_cli.model import (
    CellKey,
    CellKind,
    FormSpec,
    Severity,
    ValueKind,
)
from shuangyong_cli.season import Comparison, Level, item_name, money_unit, shown_value

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
    swings = _swings_table(spec, comparison, verbose)
    if swings is not None:
        tables.append(swings)
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


def _swings_table(spec: FormSpec, comparison: Comparison, verbose: bool) -> ScreenTable | None:
    """The big swings (rises from 0 only with ``verbose``), or None when there is none."""
    shown = [s for s in comparison.swings if verbose or s.severity is Severity.WARNING]
    if not shown:
        return None
    return ScreenTable(
        f"变化较大（超过 {plain(comparison.threshold)} 倍或降为 0）：{len(comparison.warnings)} 处",
        ("单位", "项目", "上次", "本次", "变化"),
        tuple(
            (
                {Level.TOTAL: "合计", Level.CATEGORY: f"{s.category}（小计）"}.get(s.level, s.name),
                s.item,
                shown_value(spec, s.cell, s.last),
                shown_value(spec, s.cell, s.this),
                s.short.split("」", 1)[-1],
            )
            for s in shown
        ),
        tuple("yellow" if s.severity is Severity.WARNING else None for s in shown),
    )


def _short_head(spec: FormSpec, cell: CellKey) -> tuple[str, str]:
    """A short column word (小计, 人次) and what it means (「合计 / 小计」，万元)."""
    row, column = spec.row(cell[0]), spec.column(cell[1])
    if column.kind is ValueKind.MONEY:
        return (
            column.label,
            f"{column.label}为「{item_name(spec, cell)}」（{money_unit(spec, column.id)}）",
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
