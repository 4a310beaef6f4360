"""Sum rules (from formulas, then from 合计/小计 labels), 其中 rules and the money bounds."""

from __future__ import annotations

import re
from decimal import Decimal

from shuangyong_cli.learn.blank import Pos
from shuangyong_cli.learn.context import Context, row_list, unique_id
from shuangyong_cli.learn.model import DColumn, DRow, DRule, DSubset
from shuangyong_cli.learn.words import (
    CONFIRM,
    LIKELY,
    MONEY_UNITS,
    PLAUSIBLE_MAX,
    SURE,
    TOTAL_WORDS,
    compact,
)
from shuangyong_cli.model.grid import a1

_REF = r"\$?([A-Z]{1,3})\$?(\d+)"
_TERM = re.compile(rf"^{_REF}(?::{_REF})?$")


class RuleSteps(Context):
    def _cell_map(self) -> tuple[dict[int, DRow], dict[int, DColumn]]:
        return ({r.row: r for r in self.draft.rows}, {c.col: c for c in self.draft.value_columns})

    def rules_from_formulas(self) -> None:
        """Each formula cell is a row sum (one column, other rows) or a column sum (one row,
        other columns); cells alike become one rule. Any other formula: the cell is typed."""
        rows, cols = self._cell_map()
        row_sums: dict[tuple[str, tuple[str, ...]], list[str]] = {}
        col_sums: dict[str, dict[tuple[str, ...], list[str]]] = {}
        for row in self.draft.rows:
            for col in self.draft.value_columns:
                if row.cells.get(col.id) != "calc":
                    continue
                formula = self.blank.formulas[(row.row, col.col)]
                cells = parse_sum(formula) or []
                src_rows = [rows.get(r) for r, _ in cells]
                src_cols = [cols.get(c) for _, c in cells]
                if not cells or None in src_rows or None in src_cols:
                    self._typed(row, col, f"公式 {formula} 不是本表格内的加总，本工具只认加总")
                elif all(c is col for c in src_cols) and row not in src_rows:
                    ids = tuple(r.id for r in sorted(filter(None, src_rows), key=lambda r: r.row))
                    row_sums.setdefault((row.id, ids), []).append(col.id)
                elif all(r is row for r in src_rows) and col not in src_cols:
                    ids = tuple(c.id for c in sorted(filter(None, src_cols), key=lambda c: c.col))
                    col_sums.setdefault(col.id, {}).setdefault(ids, []).append(row.id)
                else:
                    why = f"公式 {formula} 既不是同一栏各行之和，也不是同一行各栏之和"
                    self._typed(row, col, why)
        taken = {r.id for r in self.draft.rules}
        for (target, sources), columns in row_sums.items():
            self._formula_row_rule(target, sources, columns, taken)
        for target_col, by_sources in col_sums.items():
            self._formula_column_rule(target_col, by_sources, taken)

    def _typed(self, row: DRow, col: DColumn, why: str) -> None:
        """A computed-looking cell no rule can say: typed by the unit, to be confirmed."""
        row.cells[col.id] = "in"
        self.note(
            f"“{row.label or row.seq} / {col.label}”按填报格",
            a1(row.row, col.col),
            CONFIRM,
            why,
            key=f"cell:{row.id}:{col.id}",
            choices=("in", "na"),
        )

    def _formula_row_rule(
        self, target: str, sources: tuple[str, ...], columns: list[str], taken: set[str]
    ) -> None:
        rule = DRule(
            id=unique_id(f"{target}_sum", taken),
            target_row=target,
            source_rows=list(sources),
            columns=columns,
        )
        self.draft.rules.append(rule)
        t = self.draft.row(target)
        first = self.draft.column(columns[0])
        self.note(
            f"“{t.label or t.seq}”行＝{row_list(self.draft, rule.source_rows)}之和"
            f"（{'、'.join(self.draft.column(c).label for c in columns)}）",
            a1(t.row, first.col),
            SURE,
            f"公式 {self.blank.formulas[(t.row, first.col)]}",
            key=f"rule:{rule.id}",
            choices=("keep", "drop"),
        )

    def _formula_column_rule(
        self, target_col: str, by_sources: dict[tuple[str, ...], list[str]], taken: set[str]
    ) -> None:
        """The sources most cells of the column add are the rule; a cell adding others is
        typed."""
        (best, rows_of), *others = sorted(by_sources.items(), key=lambda kv: -len(kv[1]))
        rule = DRule(
            id=unique_id(target_col, taken), target_column=target_col, source_columns=list(best)
        )
        self.draft.rules.append(rule)
        tc = self.draft.column(target_col)
        first_row = self.draft.row(rows_of[0])
        self.note(
            f"“{tc.label}”栏＝{'＋'.join(self.draft.column(c).label for c in best)}",
            a1(first_row.row, tc.col),
            SURE,
            f"公式 {self.blank.formulas[(first_row.row, tc.col)]} 等 {len(rows_of)} 格",
            key=f"rule:{rule.id}",
            choices=("keep", "drop"),
        )
        for _, odd_rows in others:
            for rid in odd_rows:
                self._typed(self.draft.row(rid), tc, "这一格的公式与同栏其他格加的栏不同")

    def rules_from_total_columns(self) -> None:
        """A 合计/小计/总计 column without formulas: the sum of its group's other numeric columns
        (or of the numeric columns before it since the previous total column)."""
        numeric = self.draft.numeric_columns
        targets = {r.target_column for r in self.draft.rules if r.target_column}
        taken = {r.id for r in self.draft.rules}
        for col in numeric:
            label = compact(col.label)
            if not (label in TOTAL_WORDS or label.endswith(TOTAL_WORDS)) or col.id in targets:
                continue
            if any(r.cells.get(col.id) == "calc" for r in self.draft.rows):
                continue
            sources = total_column_sources(col, numeric)
            if not sources:
                continue
            rule = DRule(
                id=unique_id(col.id, taken),
                target_column=col.id,
                source_columns=[c.id for c in sources],
            )
            calc_rows = []
            for r in self.draft.rows:
                if r.cells.get(col.id) != "in":
                    continue
                if any(r.cells.get(s.id) == "na" for s in sources):
                    self._typed(r, col, "所加的栏中有不适用格")
                    continue
                r.cells[col.id] = "calc"
                calc_rows.append(r)
            if not calc_rows:
                continue
            self.draft.rules.append(rule)
            self.note(
                f"“{col.label}”栏＝{'＋'.join(c.label for c in sources)}",
                a1(self.draft.header_rows[1], col.col),
                LIKELY,
                f"栏名为“{col.label}”；空白表中没有公式，按"
                + (f"“{col.group}”下各栏" if col.group else "左边各栏")
                + "之和推断",
                key=f"rule:{rule.id}",
                choices=("keep", "drop"),
            )

    def rules_from_total_rows(self) -> None:
        """A 合计 row's numeric cells still to fill: the sum of the top-level rows; a 小计 row's:
        of the rows since the previous 小计 or top-level row."""
        taken = {r.id for r in self.draft.rules}
        rows = self.draft.rows
        for i, target in enumerate(rows):
            if not (target.total or target.subtotal):
                continue
            if target.total:
                candidates = [r for r in rows if not r.total and r.indent == 0 and not r.subtotal]
                why = "行名为合计；空白表中没有公式，按各大项（不含分项和其中项）之和推断"
                confidence = LIKELY
            else:
                candidates = []
                for r in reversed(rows[:i]):
                    if r.subtotal or r.total:
                        break
                    if r.child_of is None:
                        candidates.insert(0, r)
                why = "行名为小计；空白表中没有公式，按上方各行之和推断"
                confidence = CONFIRM
            by_sources: dict[tuple[str, ...], list[str]] = {}
            for col in self.draft.numeric_columns:
                if target.cells.get(col.id) != "in":
                    continue
                sources = tuple(r.id for r in candidates if r.cells.get(col.id) != "na")
                if not sources:
                    continue
                by_sources.setdefault(sources, []).append(col.id)
            for sources, columns in by_sources.items():
                for c in columns:
                    target.cells[c] = "calc"
                rule = DRule(
                    id=unique_id(f"{target.id}_sum", taken),
                    target_row=target.id,
                    source_rows=list(sources),
                    columns=columns,
                )
                self.draft.rules.append(rule)
                units = {self.draft.row(s).measure for s in sources} - {""}
                counts = [c for c in columns if self.draft.column(c).kind == "count"]
                conf, reason = confidence, why
                if len(units) > 1 and counts:
                    conf = CONFIRM
                    reason += f"；但各行计量单位不同（{'、'.join(sorted(units))}），可能不应相加"
                self.note(
                    f"“{target.label or target.seq}”行＝{row_list(self.draft, list(sources))}之和"
                    f"（{'、'.join(self.draft.column(c).label for c in columns)}）",
                    a1(target.row, self.draft.column(columns[0]).col),
                    conf,
                    reason,
                    key=f"rule:{rule.id}",
                    choices=("keep", "drop"),
                )

    def read_subsets(self) -> None:
        taken = {r.id for r in self.draft.rules}
        by_parent: dict[str, list[str]] = {}
        for r in self.draft.rows:
            if r.child_of is not None:
                by_parent.setdefault(r.child_of, []).append(r.id)
        for parent_id, children in by_parent.items():
            parent = self.draft.row(parent_id)
            groups: dict[tuple[str, ...], list[str]] = {}
            for child_id in children:
                child = self.draft.row(child_id)
                cols = tuple(
                    c.id
                    for c in self.draft.numeric_columns
                    if parent.cells.get(c.id, "na") != "na" and child.cells.get(c.id, "na") != "na"
                )
                if cols:
                    groups.setdefault(cols, []).append(child_id)
            for cols, rows in groups.items():
                sid = unique_id(f"{parent_id}_part", taken)
                self.draft.subsets.append(DSubset(sid, parent_id, rows, list(cols)))
                self.note(
                    f"{row_list(self.draft, rows)}各不超过“{parent.label or parent.seq}”",
                    a1(self.draft.row(rows[0]).row, self.draft.column("item").col)
                    if any(c.id == "item" for c in self.draft.columns)
                    else "",
                    SURE,
                    "“其中”行是上一行的一部分",
                    key=f"subset:{sid}",
                    choices=("keep", "drop"),
                )

    def settle_row_rules(self) -> None:
        """Row sums set right with what the body says: a 其中 row that a sum adds together with
        the row it is part of is left out (the blank's formula counts it twice), and a cell not
        to be filled in a summed column is left out of that column's sum. Both are said, to
        be confirmed: the blank itself adds otherwise."""
        parts = {child: s.parent for s in self.draft.subsets for child in s.rows}
        taken = {r.id for r in self.draft.rules}
        settled: list[DRule] = []
        for rule in self.draft.rules:
            if rule.target_row is None:
                settled.append(rule)
                continue
            doubled = [r for r in rule.source_rows if parts.get(r) in rule.source_rows]
            if doubled:
                self._note_doubled(rule, doubled)
            by_sources: dict[tuple[str, ...], list[str]] = {}
            for column_id in rule.columns:
                sources = tuple(
                    r
                    for r in rule.source_rows
                    if r not in doubled and self.draft.row(r).cells.get(column_id) != "na"
                )
                by_sources.setdefault(sources, []).append(column_id)
            for n, (sources, columns) in enumerate(by_sources.items()):
                rid = rule.id if n == 0 else unique_id(f"{rule.id}_{columns[0]}", taken)
                settled.append(DRule(rid, rule.target_row, list(sources), columns))
                skipped = [r for r in rule.source_rows if r not in sources and r not in doubled]
                if skipped:
                    self._note_na_skipped(rule.target_row, columns, skipped)
        self.draft.rules = settled

    def _note_doubled(self, rule: DRule, doubled: list[str]) -> None:
        assert rule.target_row is not None
        target = self.draft.row(rule.target_row)
        self.note(
            f"“{target.label or target.seq}”行不加“其中”行{row_list(self.draft, doubled)}",
            a1(target.row, self.draft.column(rule.columns[0]).col),
            CONFIRM,
            "空白表的公式把它也加了进去，而它已含在所属的行里，照公式会重复计算；"
            "请核对空白表的公式",
            key=f"rule:{rule.id}",
            choices=("keep", "drop"),
        )

    def _note_na_skipped(self, target_id: str, columns: list[str], skipped: list[str]) -> None:
        target = self.draft.row(target_id)
        first = self.draft.column(columns[0])
        names = "、".join(self.draft.column(c).label for c in columns)
        self.note(
            f"“{target.label or target.seq}”行的{names}不加{row_list(self.draft, skipped)}",
            a1(target.row, first.col),
            CONFIRM,
            "公式加到了不填的格（灰色或印有“/”“不填”）；不填的格按 0 计，不加",
            key=f"na_in_sum:{target_id}:{columns[0]}",
        )

    def set_limits(self) -> None:
        units = {c.unit for c in self.draft.numeric_columns if c.kind == "money" and c.unit}
        units |= {r.measure for r in self.draft.rows if r.measure in MONEY_UNITS}
        for unit in MONEY_UNITS:
            if unit in units:
                self.draft.plausible_max[unit] = PLAUSIBLE_MAX[unit]
        # The checks apply money_plausible_max to every money cell (as 万元): a form in one other
        # unit gets that unit's bound there; a form mixing units keeps the 万元 one if it has 万元
        # cells, else the larger unit's.
        if len(units) == 1 or (units and "万元" not in units):
            largest = next(u for u in reversed(MONEY_UNITS) if u in units)
            self.draft.money_max = PLAUSIBLE_MAX[largest]
        if units:
            bounds = "，".join(
                f"{u}栏每格不超过 {Decimal(PLAUSIBLE_MAX[u]):,}" for u in MONEY_UNITS if u in units
            )
            self.note(
                "金额上限",
                "",
                LIKELY,
                f"一个单位的报表：{bounds}（超过多半是单位填错）",
                key="limits",
            )


def total_column_sources(col: DColumn, numeric: list[DColumn]) -> list[DColumn]:
    """What a 合计 column adds: the other columns of its group, or, ungrouped, the columns before
    it since the previous total column; of its own kind."""
    if col.group:
        sources = [c for c in numeric if c.group == col.group and c is not col]
    else:
        sources = []
        for c in numeric:
            if c is col:
                break
            label = compact(c.label)
            sources = [] if label in TOTAL_WORDS or label.endswith(TOTAL_WORDS) else [*sources, c]
    return [c for c in sources if c.kind == col.kind]


def parse_sum(formula: str) -> list[Pos] | None:
    """The cells a formula adds, for ``=SUM(A1:A5,B2)``, ``=C5+D5``, ``=SUM(C5:D5)+E5``; ``None``
    for anything else (a difference, a product, another function)."""
    body = compact(formula).upper().lstrip("=")
    if not body:
        return None
    cells: list[Pos] = []
    for term in _split_plus(body):
        if term is None:
            return None
        inner = term
        m = re.fullmatch(r"SUM\((.*)\)", term)
        parts = m.group(1).split(",") if m else [inner]
        for part in parts:
            t = _TERM.match(part)
            if not t:
                return None
            c1, r1 = _col_number(t.group(1)), int(t.group(2))
            c2, r2 = (c1, r1) if t.group(3) is None else (_col_number(t.group(3)), int(t.group(4)))
            if (r2 - r1 + 1) * (c2 - c1 + 1) > 10_000:
                return None
            for r in range(min(r1, r2), max(r1, r2) + 1):
                for c in range(min(c1, c2), max(c1, c2) + 1):
                    cells.append((r, c))
    return cells


def _split_plus(body: str) -> list[str | None]:
    """Split at “+” outside parentheses; a “-”, “*” or “/” outside them makes it not a sum."""
    out: list[str | None] = []
    depth, start = 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch == "+":
            out.append(body[start:i])
            start = i + 1
        elif depth == 0 and ch in "-*/^&":
            return [None]
    out.append(body[start:])
    return out


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
