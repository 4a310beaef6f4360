"""The summary's 图表 sheet: the per-category totals and native bar charts of them (the money
of the 合计 row, and the 人次 visited).
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook as XlsxBook
from xlsxwriter.worksheet import Worksheet as XlsxSheet

from shuangyong_cli.model import CellKey, CellKind, FormSpec, ValueKind
from shuangyong_cli.season import CHART_SHEET, Summary, numeric_cells
from shuangyong_cli.writing.styles import COUNT_FORMAT, MONEY_FORMAT, TOTAL_FILL
from shuangyong_cli.writing.summary_painter import Painter, set_print, set_widths, write_title

#: Chart sizes are given in centimetres, as openpyxl took them; XlsxWriter takes pixels.
_PX_PER_CM = 96 / 2.54


def chart_cells(spec: FormSpec) -> tuple[list[CellKey], CellKey | None]:
    """What the chart shows: the money cells of the 合计 row in one unit (慰问金, 物资折款, 小计;
    a form with 元 and 万元 columns charts those in the first one's unit: one axis, one unit),
    and a count: the 合计 row's last one, else the first row computed from others
    (二、走访慰问优抚对象 / 数量, the 人次 visited)."""
    total_row = next((r for r in spec.rows if r.total), None)
    money = [
        (r, c)
        for r, c in numeric_cells(spec)
        if total_row is not None and r == total_row.id and spec.value_kind(r, c) is ValueKind.MONEY
    ]
    if money:
        unit = spec.money_unit(*money[0])
        money = [cell for cell in money if spec.money_unit(*cell) == unit]
    counts = [cell for cell in numeric_cells(spec) if spec.value_kind(*cell) is ValueKind.COUNT]
    in_total = [cell for cell in counts if total_row is not None and cell[0] == total_row.id]
    computed = [
        (r, c)
        for r, c in counts
        if spec.row(r).kind(c) is CellKind.CALC and spec.rule_for(r, c).is_row_rule
    ]
    count = in_total[-1] if in_total else next(iter(computed), None)
    return money, count


def money_title(spec: FormSpec, money: list[CellKey]) -> str:
    """慰问款物（万元）: the group the money columns are under (else 金额), in their unit."""
    groups = {spec.column(c).group for _, c in money}
    group = groups.pop() if len(groups) == 1 else None
    what = group.split("（")[0] if group else "金额"
    return f"{what}（{spec.money_unit(*money[0])}）" if money else what


def count_title(spec: FormSpec, cell: CellKey) -> str:
    """二、走访慰问优抚对象（人次）, or for the 合计 row 慰问人数（人）合计."""
    row, column = spec.row(cell[0]), spec.column(cell[1])
    if row.total:
        return f"{column.group or ''}{column.label}"
    return f"{row.label}（{row.measure}）"


def _stacked_columns(spec: FormSpec, columns: list[str]) -> list[str]:
    """When one money column is the sum of the others (小计 = 慰问金 + 物资折款), the parts."""
    for rule in spec.rules:
        if rule.target_column in columns and set(rule.source_columns) <= set(columns):
            return list(rule.source_columns)
    return []


def write_chart(
    p: Painter, book: XlsxBook, ws: XlsxSheet, summary: Summary, spec: FormSpec
) -> None:
    """图表: the table of per-category totals, and beside it a bar chart of the money (the
    parts stacked when one column is their sum) and one of the 人次 visited."""
    money, people = chart_cells(spec)
    labels = [spec.column(c).label for _, c in money]
    if people is not None:
        labels.append(count_title(spec, people))
    header = ["单位类别", "单位数", *labels]
    last = _write_table(p, ws, summary, header, money, people, money_title(spec, money))
    if last < 3 or not money:
        return
    # Rows and columns of the series, 0-based as XlsxWriter takes them: the header in row 2,
    # the categories in rows 3 to ``last``.
    categories = [CHART_SHEET, 2, 0, last - 1, 0]
    height_cm = 2 + 1.1 * (last - 2)
    size = {"width": 18 * _PX_PER_CM, "height": height_cm * _PX_PER_CM}
    anchor_col = len(header) + 1  # 0-based: one column left free after the table
    stack = _stacked_columns(spec, [c for _, c in money])
    title = money_title(spec, money)
    chart = _money_chart(book, money, stack, categories, last, size, title)
    ws.insert_chart(1, anchor_col, chart)
    if people is not None:
        visits = _visits_chart(book, labels[-1], 2 + len(money), categories, last, size)
        ws.insert_chart(int(height_cm * 2) + 3, anchor_col, visits)


def _write_table(
    p: Painter,
    ws: XlsxSheet,
    summary: Summary,
    header: list[str],
    money: list[CellKey],
    people: CellKey | None,
    title: str,
) -> int:
    """The title, the header in row 2, a row per category and the 合计 row; returns the row of
    the last category."""
    cells = money + ([people] if people else [])
    write_title(p, ws, f"{summary.name} 各类单位{title}", len(header))
    p.header_row(ws, 2, header)
    row = 2
    for category in summary.categories:
        row += 1
        p.text(ws, row, 1, category.name)
        p.number(ws, row, 2, len(category.units))
        for i, cell in enumerate(cells):
            fmt = MONEY_FORMAT if cell in money else COUNT_FORMAT
            p.number(ws, row, 3 + i, category.values[cell], fmt)
    last = row
    row += 1
    p.text(ws, row, 1, "合计", bold=True, fill=TOTAL_FILL)
    p.number(ws, row, 2, len(summary.units), bold=True, fill=TOTAL_FILL)
    for i, cell in enumerate(cells):
        fmt = MONEY_FORMAT if cell in money else COUNT_FORMAT
        p.number(ws, row, 3 + i, summary.total[cell], fmt, bold=True, fill=TOTAL_FILL)
    widths = [20, 8, *[14] * len(cells)]
    set_widths(ws, widths)
    set_print(ws, widths, title_rows=(2, 2))
    return last


def _money_chart(
    book: XlsxBook,
    money: list[CellKey],
    stack: list[str],
    categories: list[Any],
    last: int,
    size: dict[str, float],
    title: str,
) -> Chart:
    """The money per category: the parts ``stack``ed (each bar as long as their sum, 小计), or
    every money column side by side."""
    chart = book.add_chart({"type": "bar", "subtype": "stacked"} if stack else {"type": "bar"})
    assert chart is not None
    chart.set_title({"name": f"各类单位{title}"})
    # In a bar chart XlsxWriter's x axis is the value axis, the y axis the categories.
    unit = title.rsplit("（", 1)[-1].rstrip("）")
    chart.set_x_axis({"name": unit, "num_format": MONEY_FORMAT})
    chart.set_y_axis({"reverse": True})  # categories top to bottom, in the form's order
    for i, (_, col) in enumerate(money):
        if stack and col not in stack:
            continue
        series: dict[str, Any] = {
            "name": [CHART_SHEET, 1, 2 + i],
            "categories": categories,
            "values": [CHART_SHEET, 2, 2 + i, last - 1, 2 + i],
        }
        if stack:
            series["overlap"] = 100
        chart.add_series(series)
    chart.set_size(size)
    return chart


def _visits_chart(
    book: XlsxBook,
    title: str,
    column: int,
    categories: list[Any],
    last: int,
    size: dict[str, float],
) -> Chart:
    """The 人次 visited per category, from the table's 0-based ``column``."""
    visits = book.add_chart({"type": "bar"})
    assert visits is not None
    visits.set_title({"name": title})
    visits.set_legend({"none": True})
    visits.add_series(
        {
            "name": [CHART_SHEET, 1, column],
            "categories": categories,
            "values": [CHART_SHEET, 2, column, last - 1, column],
        }
    )
    visits.set_y_axis({"reverse": True})
    visits.set_size(size)
    return visits
