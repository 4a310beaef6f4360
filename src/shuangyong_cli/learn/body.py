"""The body: its rows (序号, label, 计量单位, level, 合计, 其中) and the kind of each cell."""

from __future__ import annotations

from dataclasses import dataclass

from shuangyong_cli.learn.context import Context, span_a1, unique_id
from shuangyong_cli.learn.model import Confidence, DColumn, DRow
from shuangyong_cli.learn.words import (
    ARABIC,
    CN_NUM,
    CONFIRM,
    COUNT_UNITS,
    FIELD_LINE,
    LIKELY,
    MONEY_UNITS,
    NA_TEXTS,
    NOTES_START,
    PAREN_NUM,
    SURE,
    TOTAL_WORDS,
    compact,
    text_of,
)
from shuangyong_cli.model.grid import a1


@dataclass
class Levels:
    """Where the rows read so far leave the outline: whether 一、二 … numbering was seen, the
    last row a 其中 row would belong to, the last top-level row."""

    cn_seen: bool = False
    parent: DRow | None = None
    last_top: DRow | None = None

    def place(self, d: DRow, prev: DRow | None, starts_blank: bool, styled_indent: bool) -> None:
        """Set ``d``'s level (``indent``) and, for a 其中 row, its parent."""
        seq = compact(d.seq)
        if compact(d.label).startswith("其中"):
            if self.parent is not None:
                d.child_of = self.parent.id
                d.indent = self.parent.indent + 1
            return
        if starts_blank and not seq and prev is not None and prev.child_of is not None:
            d.child_of, d.indent = prev.child_of, prev.indent  # 其中 continued, indented
            return
        if CN_NUM.match(seq):
            self.cn_seen = True
        elif (ARABIC.match(seq) or PAREN_NUM.match(seq)) and self.cn_seen:
            d.indent = 1
        elif starts_blank or styled_indent:
            d.indent = 1 if self.last_top is not None else 0
        self.parent = d
        if d.indent == 0:
            self.last_top = d


class BodySteps(Context):
    def read_rows(self, first: int) -> int:
        """The body, from the row after the header to the first empty row, notes line or field
        line. Returns the last body row."""
        cols = {c.role: c.col for c in self.draft.columns if c.role != "value"}
        last_col = max(c.col for c in self.draft.columns)
        row = self._skip_column_numbers(first, last_col)
        levels = Levels()
        taken: set[str] = set()
        while row <= self.last_row and self._is_body_row(row, last_col):
            d = self._body_row(row, cols, len(self.draft.rows) + 1, taken)
            label_raw = self.raw(row, cols["item"])
            starts_blank = isinstance(label_raw, str) and label_raw[:1] in (" ", "\u3000")
            prev = self.draft.rows[-1] if self.draft.rows else None
            levels.place(d, prev, starts_blank, bool(self.blank.indent.get((row, cols["item"]))))
            self.draft.rows.append(d)
            row += 1
        if not self.draft.rows:
            from shuangyong_cli.model.errors import UsageError

            raise UsageError(f"表头（第 {first - 1} 行）下面没有任何项目行")
        self._note_rows(cols, last_col)
        return self.draft.rows[-1].row

    def _skip_column_numbers(self, row: int, last_col: int) -> int:
        """The row after a 栏号 row (甲、乙、1、2 …) under the header, else ``row``."""
        texts = self.row_texts(row)
        numbers = ("甲", "乙", "丙", "丁")
        if texts and all(compact(t) in numbers or compact(t).isdigit() for _, t in texts):
            self.note("栏号行", f"{a1(row, 1)}:{a1(row, last_col)}", SURE, "甲、乙、1、2 …")
            return row + 1
        return row

    def _is_body_row(self, row: int, last_col: int) -> bool:
        texts = self.row_texts(row)
        if not texts:
            return any(self.covered(row, c) for c in range(1, last_col + 1))
        first_col, first_text = texts[0]
        if NOTES_START.match(first_text) or FIELD_LINE.match(first_text):
            return False
        _r1, c1, _r2, c2 = self.span(row, first_col)
        return not (c2 - c1 + 1 >= last_col - 1 and last_col > 3)  # a line across: notes

    def _body_row(self, row: int, cols: dict[str, int], n: int, taken: set[str]) -> DRow:
        seq = self.text(row, cols["seq"]) if "seq" in cols else ""
        label = self.text(row, cols["item"])
        measure = self.text(row, cols["measure"]) if "measure" in cols else ""
        d = DRow(id="", seq=seq, label=label, measure=measure, row=row)
        d.total = any(compact(seq).startswith(w) or compact(label) == w for w in ("合计", "总计"))
        d.total = d.total or compact(label).endswith(("合计", "总计"))
        d.subtotal = compact(label) == "小计" or compact(seq) == "小计"
        if not d.total:
            d.id = unique_id(f"r{n}", taken)
            return d
        d.id = unique_id("total", taken)
        self.note(
            f"合计行“{seq or label}”",
            a1(row, cols["seq"] if compact(seq) else cols["item"]),
            SURE,
            "行名为合计/总计",
            key=f"row:{d.id}",
        )
        return d

    def _note_rows(self, cols: dict[str, int], last_col: int) -> None:
        rows = self.draft.rows
        self.note(
            f"主栏 {len(rows)} 行",
            f"{a1(rows[0].row, 1)}:{a1(rows[-1].row, last_col)}",
            SURE,
            "表头下到第一个空行、说明或填表人行为止",
            key="rows",
        )
        for d in rows:
            if d.child_of is not None:
                parent = self.draft.row(d.child_of)
                said = compact(d.label).startswith("其中")
                self.note(
                    f"其中行“{d.label}”",
                    a1(d.row, cols["item"]),
                    SURE if said else LIKELY,
                    f"是“{parent.label or parent.seq}”的一部分"
                    + ("" if said else "（紧接“其中”行、缩进）"),
                    key=f"row:{d.id}",
                )
            if d.measure and d.measure not in MONEY_UNITS + COUNT_UNITS:
                self.note(
                    f"计量单位“{d.measure}”",
                    a1(d.row, cols["measure"]),
                    CONFIRM,
                    "不是常见的计数或金额单位，按整数计",
                    key=f"row:{d.id}",
                )

    def read_cells(self) -> None:
        for row in self.draft.rows:
            grouped: dict[tuple[Confidence, str], list[DColumn]] = {}
            grouped_numbers: list[DColumn] = []
            for col in self.draft.value_columns:
                pos = self._top_left.get((row.row, col.col), (row.row, col.col))
                raw = self.raw(*pos)
                t = compact(text_of(raw))
                if pos in self.blank.formulas:
                    row.cells[col.id] = "calc"
                elif t in NA_TEXTS:
                    row.cells[col.id] = "na"
                    grouped.setdefault((SURE, f"填有“{t}”"), []).append(col)
                elif pos in self.blank.grey:
                    row.cells[col.id] = "na"
                    grouped.setdefault((LIKELY, "灰色底纹"), []).append(col)
                elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
                    row.cells[col.id] = "in"
                    label = compact(col.label)
                    if row.total or row.subtotal or label in TOTAL_WORDS:
                        grouped_numbers.append(col)
                        continue
                    self._cell_note(
                        row,
                        col,
                        CONFIRM,
                        f"空白表中已有数 {text_of(raw)}"
                        + ("（.xls 读不到公式，可能是公式的结果）" if not self.blank.styled else "")
                        + "；按填报格处理",
                        "in",
                    )
                else:
                    row.cells[col.id] = "in"
            if grouped_numbers:
                self.note(
                    f"“{row.label or row.seq}”行的{'、'.join(c.label for c in grouped_numbers)}"
                    "已有数",
                    span_a1(row.row, grouped_numbers),
                    LIKELY,
                    "是合计处，应是公式的结果"
                    + ("（.xls 读不到公式）" if not self.blank.styled else "")
                    + "；按合计推断计算关系",
                    key=f"row:{row.id}",
                )
            for (confidence, why), cols in grouped.items():
                where = span_a1(row.row, cols)
                self.note(
                    f"“{row.label or row.seq}”行的{'、'.join(c.label for c in cols)}为不适用",
                    where,
                    confidence,
                    why,
                    key=f"row:{row.id}",
                )

    def _cell_note(
        self, row: DRow, col: DColumn, confidence: Confidence, why: str, kind: str
    ) -> None:
        kind_cn = {"na": "不适用", "in": "填报格", "calc": "计算格"}[kind]
        name = row.label or row.seq
        self.note(
            f"“{name} / {col.label}”为{kind_cn}",
            a1(row.row, col.col),
            confidence,
            why,
            key=f"cell:{row.id}:{col.id}",
            choices=("in", "na"),
        )
