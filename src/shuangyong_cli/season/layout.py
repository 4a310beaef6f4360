"""The summary workbook's layout, shared by its writer and its reader, and the names it gives
form cells.

``writing.summary`` writes these sheets and keys; ``season.compare`` reads an earlier summary by
them next season. Keeping them here lets both import one definition without importing each other.
"""

from __future__ import annotations

from shuangyong_cli.model import CellKey, FormSpec, ValueKind
from shuangyong_cli.season.sums import numeric_cells

SUMMARY_SHEET = "汇总表"
DETAIL_SHEET = "分单位明细"
STATUS_SHEET = "报送情况"
FINDINGS_SHEET = "校验问题"
FILES_SHEET = "来源文件"
CHART_SHEET = "图表"
COMPARE_SHEET = "同比"

#: Keys of the identity sheet rows that describe the summary for ``compare``.
META_FAMILY = "form_family"
META_SUMMARY_DATE = "summary_date"
META_DETAIL_CELL = "detail_cell"


DETAIL_LEAD = ("单位类别", "单位名称")
DETAIL_TAIL = ("备注", "填报单位（原文）", "日期", "文件")


def detail_columns(spec: FormSpec) -> list[tuple[CellKey, str, str]]:
    """The numeric columns of 分单位明细: (cell, level-1 heading, level-2 heading)."""
    out: list[tuple[CellKey, str, str]] = []
    for row_id, col_id in numeric_cells(spec):
        row = spec.row(row_id)
        top = f"{row.seq}、{row.label}" if row.seq and row.label else (row.label or row.seq)
        column = spec.column(col_id)
        sub = column.label
        if column.kind is ValueKind.COUNT and row.measure:
            sub = f"{column.label}（{row.measure}）"
        out.append(((row_id, col_id), top, sub))
    return out


def item_name(spec: FormSpec, cell: CellKey) -> str:
    """A cell in the form's words: 走访慰问驻黔部队 / 数量, 合计 / 小计."""
    row = spec.row(cell[0])
    return f"{row.label or row.seq} / {spec.column(cell[1]).label}"
