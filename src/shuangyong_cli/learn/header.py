"""The column header: where it is, its columns, their roles, kinds and units."""

from __future__ import annotations

import re

from shuangyong_cli.learn.context import Context, unique_id
from shuangyong_cli.learn.model import Confidence, DColumn
from shuangyong_cli.learn.words import (
    COLUMN_IDS,
    CONFIRM,
    COUNT_UNITS,
    COUNT_WORDS,
    HEADER_UNIT,
    ITEM_LABELS,
    LIKELY,
    MEASURE_LABELS,
    MONEY_UNITS,
    MONEY_WORDS,
    SEQ_LABELS,
    STUB_LABELS,
    SURE,
    TEXT_WORDS,
    TOTAL_WORDS,
    UNIT_NOTE,
    compact,
    text_of,
)
from shuangyong_cli.model.grid import a1


class HeaderSteps(Context):
    def find_header(self) -> tuple[int, int]:
        """The first row with a stub label (序号, 项目 …) and two more labels is the header's top;
        a cell merged downwards, or a group merged across with labels below, makes it two rows."""
        from shuangyong_cli.model.errors import UsageError

        for row in range(1, self.last_row + 1):
            texts = self.row_texts(row)
            stub = [(c, t) for c, t in texts if compact(t) in STUB_LABELS]
            if not stub or len(texts) < 3:
                continue
            bottom = row
            for c, _ in texts:
                _r1, c1, r2, c2 = self.span(row, c)
                if r2 > row:
                    bottom = max(bottom, min(r2, row + 2))
                elif c2 > c1 and self._labels_below(row + 1, c1, c2):
                    bottom = max(bottom, row + 1)
            where = f"{a1(row, 1)}:{a1(bottom, max(c for c, _ in texts))}"
            labels = "、".join(t for _, t in stub)
            levels = "两层" if bottom > row else "一层"
            self.note(
                "表头",
                where,
                SURE,
                f"第 {row} 行有“{labels}”；{levels}表头"
                + ("（有上下合并的单元格或跨栏的分组）" if bottom > row else ""),
                key="header",
            )
            return row, bottom
        raise UsageError(
            "没有找到表头：空白表中没有“序号”“项目”“指标”“计量单位”之类的栏目名；"
            "请确认给出的是统计表的空白表"
        )

    def _labels_below(self, row: int, c1: int, c2: int) -> bool:
        """Every column under a header cell merged across ``c1..c2`` has a label (not a number)
        in ``row``: the merged cell is a group over them, not a wide one-level header."""
        texts = [self.text(row, c) for c in range(c1, c2 + 1)]
        return all(t and not re.fullmatch(r"[\d.]+", t) for t in texts)

    def find_unit_note(self) -> None:
        for (r, c), v in sorted(self.sheet.cells.items()):
            m = UNIT_NOTE.search(text_of(v))
            if m:
                self.note_unit = (m.group(1), a1(r, c))
                self.note(
                    "金额单位",
                    a1(r, c),
                    SURE,
                    f"表上注明“{text_of(v)}”：没有单位的金额栏按{m.group(1)}计",
                    key="note_unit",
                )
                return

    def read_columns(self, top: int, bottom: int) -> None:
        """The columns under the header, their labels (and groups), roles, kinds and ids."""
        columns = [self._column(c, top, bottom) for c in self._header_span(top, bottom)]
        self._set_roles(columns, top)
        taken: set[str] = set()
        for col in columns:
            if col.role == "value":
                self.column_kind(col, columns)
            col.id = unique_id(COLUMN_IDS.get(compact(col.label), f"c{col.col}"), taken)
            if col.role == "item":
                col.id = unique_id("item", taken) if col.id.startswith("c") else col.id
            width = self.blank.widths.get(col.col)
            if width:
                col.width = round(width, 1)
            where = a1(bottom if col.group else top, col.col)
            role = {"seq": "序号栏", "item": "项目栏", "measure": "计量单位栏"}.get(col.role)
            if role:
                self.note(f"{role}“{col.label}”", where, SURE, "栏目名", key=f"column:{col.id}")
        self.draft.columns = columns

    def _header_span(self, top: int, bottom: int) -> range:
        """The header's columns: from its first label to the last before a gap."""
        first_col = min(c for c, _ in self.row_texts(top))
        last_col = first_col
        for c in range(first_col, first_col + 200):
            tl = self._top_left.get((top, c), (top, c))
            if self.text(*tl) or any(self.text(r, c) for r in range(top, bottom + 1)):
                last_col = c
            elif c > last_col + 1:
                break
        return range(first_col, last_col + 1)

    def _column(self, c: int, top: int, bottom: int) -> DColumn:
        """Column ``c``: a label merged down the header, or a group over a label below it."""
        tl = self._top_left.get((top, c), (top, c))
        _r1, c1, r2, c2 = self.span(*tl)
        head = self.text(*tl)
        group: str | None = None
        label = head
        if bottom > top and r2 < bottom:
            below = self.text(*self._top_left.get((bottom, c), (bottom, c)))
            if c2 > c1 or below:
                group, label = head or None, below
        return DColumn(id="", label=label, role="value", col=c, group=group)

    def _set_roles(self, columns: list[DColumn], top: int) -> None:
        """The 序号, 项目 and 计量单位 columns by their labels; without a 项目-like label, the
        first column that is not 序号 (to be confirmed)."""
        for col in columns:
            if compact(col.label) in SEQ_LABELS:
                col.role = "seq"
                break
        item = next((col for col in columns if compact(col.label) in ITEM_LABELS), None)
        if item is None:
            item = next((col for col in columns if col.role == "value"), None)
            if item is None:
                from shuangyong_cli.model.errors import UsageError

                raise UsageError("表头中找不到项目栏（项目、指标、慰问对象 …）")
            self.note(
                "项目栏",
                a1(top, item.col),
                CONFIRM,
                f"表头没有“项目”“指标”之类的栏目，取第一个文字栏“{item.label}”作项目栏",
                key=f"column:{item.col}",
            )
        item.role = "item"
        for col in columns:
            if col.role == "value" and compact(col.label) in MEASURE_LABELS:
                col.role = "measure"
                break

    def column_kind(self, col: DColumn, columns: list[DColumn]) -> None:
        """Kind and unit of a value column from its header; see ``decide_kinds_from_rows``."""
        reasons = self._kind_why.setdefault(col.col, {})
        for text in (col.label, col.group or ""):
            m = HEADER_UNIT.search(text)
            if m and m.group(1) in MONEY_UNITS + COUNT_UNITS:
                col.unit = m.group(1)
                col.kind = "money" if col.unit in MONEY_UNITS else "count"
                reasons[col.kind] = (SURE, f"表头“{text}”注明{col.unit}")
                break
        label = compact(col.label)
        if col.kind is None:
            if any(w in label for w in TEXT_WORDS):
                col.kind = "text"
                reasons["text"] = (SURE, f"“{col.label}”是文字栏")
            elif label in TOTAL_WORDS or label.endswith(TOTAL_WORDS):
                siblings = [
                    o
                    for o in columns
                    if o is not col
                    and o.role == "value"
                    and o.kind in ("count", "money")
                    and (o.group == col.group if col.group else o.col < col.col)
                ]
                if siblings:
                    col.kind, col.unit = siblings[-1].kind, siblings[-1].unit
                    reasons[col.kind or ""] = (LIKELY, f"“{col.label}”栏与它所加的各栏同类")
            if col.kind is None and any(w in label for w in COUNT_WORDS):
                col.kind = "count"
                reasons["count"] = (LIKELY, f"栏目名“{col.label}”是计数")
            if col.kind is None and any(w in label for w in MONEY_WORDS):
                col.kind = "money"
                reasons["money"] = (LIKELY, f"栏目名“{col.label}”是金额")
            if col.kind == "money" and col.unit is None and self.note_unit is not None:
                col.unit = self.note_unit[0]
        if col.kind is None:
            col.kind_from_rows = True

    def decide_kinds_from_rows(self) -> None:
        """Columns whose header says nothing of their kind take it from the rows' 计量单位 (or
        the form's 金额单位 note); then every value column's kind is recorded, and a money row
        in a count column is marked."""
        measures = {r.id: r.measure for r in self.draft.rows if r.measure}
        for col in self.draft.value_columns:
            reasons = self._kind_why.setdefault(col.col, {})
            if col.kind_from_rows:
                self._kind_from_rows(col, measures, reasons)
            if col.kind == "money" and col.unit is None:
                _confidence, why = reasons.get("money", (LIKELY, ""))
                reasons["money"] = (CONFIRM, why + "；但表上没有注明金额单位（元、万元），请确认")
            kind_cn = {"count": "整数", "money": "金额", "text": "文字"}[col.kind or "count"]
            unit = f"，单位{col.unit}" if col.unit else ""
            confidence, why = reasons.get(col.kind or "", (LIKELY, ""))
            top, bottom = self.draft.header_rows
            shown = f"{col.group} / {col.label}" if col.group else col.label
            self.note(
                f"数值栏“{shown}”：{kind_cn}{unit}",
                a1(bottom if col.group else top, col.col),
                confidence,
                why,
                key=f"column:{col.id}",
                choices=("count", "money", "text"),
            )
        from_rows = [c for c in self.draft.value_columns if c.kind_from_rows]
        if not any(c.kind == "count" for c in from_rows):
            return
        for row in self.draft.rows:
            if row.measure in MONEY_UNITS:
                row.value_kind = "money"
                self.note(
                    f"“{row.label}”行按金额（{row.measure}）",
                    a1(row.row, self._measure_col()),
                    SURE,
                    f"计量单位为{row.measure}",
                    key=f"row:{row.id}",
                )

    def _kind_from_rows(
        self, col: DColumn, measures: dict[str, str], reasons: dict[str, tuple[Confidence, str]]
    ) -> None:
        money = sorted({m for m in measures.values() if m in MONEY_UNITS})
        counts = [m for m in measures.values() if m not in MONEY_UNITS]
        if measures and not counts:
            col.kind = "money"
            col.unit = money[0] if len(money) == 1 else None
            reasons["money"] = (LIKELY, "表头没有单位，各行计量单位都是金额单位")
        elif measures:
            col.kind = "count"
            why = "表头没有单位，按各行计量单位：计数行为整数"
            if money:
                why += f"，金额行（{'、'.join(money)}）为金额"
            reasons["count"] = (LIKELY, why)
        elif self.note_unit is not None:
            col.kind, col.unit = "money", self.note_unit[0]
            unit, where = self.note_unit
            reasons["money"] = (LIKELY, f"表头没有单位，表上注明金额单位{unit}（{where}）")
        else:
            col.kind = "count"
            why = f"栏目名“{col.label}”看不出是人数、金额还是文字，暂按整数计"
            reasons["count"] = (CONFIRM, why)

    def _measure_col(self) -> int:
        return next((c.col for c in self.draft.columns if c.role == "measure"), 1)
