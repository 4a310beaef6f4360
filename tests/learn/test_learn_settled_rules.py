"""A blank's sum that also adds a 其中 row, or a cell not to be filled: the definition adds what
the body says (each part once, no not-applicable cell) and says so, to be confirmed."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from shuangyong_cli.learn.learner import learn

GREY = PatternFill("solid", fgColor="D9D9D9")


def blank(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "慰问"
    ws["A1"] = "2021年慰问情况统计表"
    ws.merge_cells("A1:D1")
    ws["A2"], ws["C2"] = "填报单位：", "填报日期："
    for ref, text in {
        "A3": "序号",
        "B3": "慰问对象",
        "C3": "慰问人数（人）",
        "D3": "物资（元）",
    }.items():
        ws[ref] = text
    rows = [("1", "困难退役军人"), ("2", "烈士遗属"), ("", "其中：孤老烈属"), ("3", "其他优抚对象")]
    for i, (seq, label) in enumerate(rows):
        ws.cell(4 + i, 1, seq or None)
        ws.cell(4 + i, 2, label)
    ws["D5"] = "/"
    ws["D5"].fill = GREY
    ws["A8"] = "合计"
    ws["C8"] = "=SUM(C4:C7)"  # adds 其中：孤老烈属 (C6) again
    ws["D8"] = "=SUM(D4:D7)"  # adds D5, not to be filled
    ws["A10"] = "填表人："
    path = folder / "慰问统计表.xlsx"
    wb.save(path)
    return path


def test_a_sum_adds_each_part_once_and_no_cell_not_to_be_filled(tmp_path: Path) -> None:
    learned = learn(blank(tmp_path), "weiwen", None)
    spec = learned.spec
    label = {r.id: r.label or r.seq for r in spec.rows}
    sums = {
        (label[r.target_row], tuple(r.columns)): [label[s] for s in r.source_rows]
        for r in spec.rules
        if r.target_row is not None
    }
    qty = next(c.id for c in spec.columns if c.label == "慰问人数（人）")
    goods = next(c.id for c in spec.columns if c.label == "物资（元）")
    total = next(r.label or r.seq for r in spec.rows if r.total)
    assert sums == {
        (total, (qty,)): ["困难退役军人", "烈士遗属", "其他优抚对象"],
        (total, (goods,)): ["困难退役军人", "其他优抚对象"],
    }
    said = {(i.what, i.where, i.confidence.value) for i in learned.inferences if i.uncertain}
    assert (f"“{total}”行不加“其中”行“其中：孤老烈属”", "C8", "待确认") in said
    assert (f"“{total}”行的物资（元）不加“烈士遗属”", "D8", "待确认") in said
    assert "# 待确认：" in learned.toml
