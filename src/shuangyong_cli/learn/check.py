"""``form check`` and ``form show`` without the terminal: a definition compared with a blank (or
with another definition) by labels, and a definition laid out as tables of plain values.

Two definitions are the same form when their title, sheet, fields, column header, row stub, cell
kinds, sum rules and 其中 rules agree label for label; ids may differ (a learned definition numbers
its rows, the built-in one names them). Sum rules are compared cell by cell: which cells each
computed cell adds, so one rule over three columns equals three rules over one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shuangyong_cli.learn.model import Draft
from shuangyong_cli.model.form import MONEY_UNITS, CellKind, ColumnRole, FormSpec, Row, ValueKind
from shuangyong_cli.model.grid import a1

KIND_CN = {CellKind.INPUT: "填", CellKind.CALC: "算", CellKind.NA: "—"}
VALUE_KIND_CN = {ValueKind.COUNT: "整数", ValueKind.MONEY: "金额", ValueKind.TEXT: "文字"}
ROLE_CN = {
    ColumnRole.SEQ: "序号",
    ColumnRole.ITEM: "项目",
    ColumnRole.MEASURE: "计量单位",
    ColumnRole.VALUE: "数值",
}


def _c(text: str) -> str:
    return "".join(text.split())


def row_name(row: Row) -> str:
    return row.label or row.seq


def row_key(row: Row) -> tuple[str, str]:
    return (_c(row.seq), _c(row.label))


def column_key(spec: FormSpec, column_id: str) -> tuple[str, str]:
    c = spec.column(column_id)
    return (_c(c.group or ""), _c(c.label))


def column_name(spec: FormSpec, column_id: str) -> str:
    c = spec.column(column_id)
    return f"{c.group} / {c.label}" if c.group else c.label


def sum_cells(spec: FormSpec) -> dict[tuple[object, ...], frozenset[tuple[object, ...]]]:
    out: dict[tuple[object, ...], frozenset[tuple[object, ...]]] = {}
    for r, c, k in spec.cells():
        if k is CellKind.CALC:
            out[(row_key(r), column_key(spec, c.id))] = frozenset(
                (row_key(spec.row(sr)), column_key(spec, sc)) for sr, sc in spec.sources(r.id, c.id)
            )
    return out


def subset_cells(spec: FormSpec) -> set[tuple[object, ...]]:
    return {
        (row_key(spec.row(s.parent)), row_key(spec.row(child)), column_key(spec, col))
        for s in spec.subsets
        for child in s.rows
        for col in s.columns
    }


@dataclass
class Places:
    """Where a learned blank has each part, to name cells in messages."""

    rows: dict[int, int]
    """Row index in the blank's definition → sheet row."""
    columns: dict[int, int]
    header_rows: tuple[int, int]
    item_col: int

    @classmethod
    def of(cls, draft: Draft | None) -> Places | None:
        if draft is None:
            return None
        return cls(
            rows={i: r.row for i, r in enumerate(draft.rows)},
            columns={i: c.col for i, c in enumerate(draft.columns)},
            header_rows=draft.header_rows,
            item_col=next((c.col for c in draft.columns if c.role == "item"), 1),
        )


def compare(
    expected: FormSpec, actual: FormSpec, places: Places | None = None, what: str = "空白表"
) -> list[str]:
    """What differs between a definition (``expected``) and ``actual`` (learned from a blank, or
    another definition), as Chinese messages naming the blank's cells when ``places`` is given.
    The rules are compared only when the layout agrees (otherwise every rule would differ)."""
    c = _Comparison(expected, actual, places, what)
    c.head()
    c.columns()
    c.rows()
    if not c.out:
        c.rules()
    return c.out


@dataclass
class _Comparison:
    expected: FormSpec
    actual: FormSpec
    places: Places | None
    what: str
    out: list[str] = field(default_factory=list)

    def at_row(self, i: int) -> str:
        if self.places is None or i not in self.places.rows:
            return f"第 {i + 1} 行"
        return a1(self.places.rows[i], self.places.item_col)

    def at_col(self, i: int) -> str:
        if self.places is None or i not in self.places.columns:
            return f"第 {i + 1} 栏"
        top, bottom = self.places.header_rows
        grouped = i < len(self.actual.columns) and self.actual.columns[i].group
        return a1(bottom if grouped else top, self.places.columns[i])

    def head(self) -> None:
        e, a, what = self.expected, self.actual, self.what
        if _c(e.title) != _c(a.title):
            self.out.append(f"表名：定义为“{e.title}”，{what}为“{a.title}”")
        if e.sheet != a.sheet:
            self.out.append(f"工作表名：定义为“{e.sheet}”，{what}为“{a.sheet}”")
        mode = {"next": "右侧单元格", "after_colon": "同格冒号后"}
        for name, ef, af in (
            ("表头栏目", e.header_fields, a.header_fields),
            ("表尾栏目", e.footer_fields, a.footer_fields),
        ):
            el, al = [f.label for f in ef], [f.label for f in af]
            self.out += [f"{name}“{x}”在{what}中找不到" for x in el if x not in al]
            self.out += [f"{what}的{name}“{x}”不在定义中" for x in al if x not in el]
            for f in ef:
                g = next((x for x in af if x.label == f.label), None)
                if g is not None and g.value != f.value:
                    self.out.append(
                        f"{name}“{f.label}”的填写位置：定义为{mode[f.value]}，{what}为{mode[g.value]}"
                    )

    def columns(self) -> None:
        ec, ac, what = self.expected.columns, self.actual.columns, self.what
        for i in range(max(len(ec), len(ac))):
            if i >= len(ec):
                self.out.append(f"{self.at_col(i)}：{what}多出一栏“{ac[i].label}”")
                continue
            if i >= len(ac):
                self.out.append(f"栏目“{ec[i].label}”在{what}中找不到")
                continue
            e, a = ec[i], ac[i]
            ename = f"{e.group} / {e.label}" if e.group else e.label
            aname = f"{a.group} / {a.label}" if a.group else a.label
            if (_c(e.group or ""), _c(e.label)) != (_c(a.group or ""), _c(a.label)):
                self.out.append(f"{self.at_col(i)}：定义为“{ename}”，{what}为“{aname}”")
            elif e.role is not a.role:
                self.out.append(
                    f"{self.at_col(i)}“{ename}”：定义为{ROLE_CN[e.role]}栏，"
                    f"{what}看来是{ROLE_CN[a.role]}栏"
                )
            elif e.kind is not a.kind and e.kind is not None and a.kind is not None:
                self.out.append(
                    f"{self.at_col(i)}“{ename}”：定义为{VALUE_KIND_CN[e.kind]}，"
                    f"{what}看来是{VALUE_KIND_CN[a.kind]}"
                )

    def rows(self) -> None:
        er, ar, what = self.expected.rows, self.actual.rows, self.what
        for i in range(max(len(er), len(ar))):
            if i >= len(er):
                self.out.append(f"{self.at_row(i)}：{what}多出一行“{row_name(ar[i])}”")
            elif i >= len(ar):
                self.out.append(f"行“{row_name(er[i])}”在{what}中找不到")
            elif self.row_label(i, er[i], ar[i]):
                if _c(er[i].measure) != _c(ar[i].measure):
                    self.out.append(
                        f"{self.at_row(i)}“{row_name(er[i])}”的计量单位：定义为“{er[i].measure}”，"
                        f"{what}为“{ar[i].measure}”"
                    )
                self.row_cells(i, er[i], ar[i])

    def row_label(self, i: int, erow: Row, arow: Row) -> bool:
        """Whether the rows' labels agree (else the difference is recorded)."""
        if row_key(erow) == row_key(arow):
            return True
        if _c(row_name(erow)) == _c(row_name(arow)):
            where_e = "序号栏" if erow.seq else "项目栏"
            where_a = "序号栏" if arow.seq else "项目栏"
            self.out.append(
                f"{self.at_row(i)}“{row_name(erow)}”：定义中写在{where_e}，{self.what}写在{where_a}"
            )
            return False
        ename = " ".join(x for x in (erow.seq, erow.label) if x)
        aname = " ".join(x for x in (arow.seq, arow.label) if x)
        self.out.append(f"{self.at_row(i)}：定义为“{ename}”，{self.what}为“{aname}”")
        return False

    def row_cells(self, i: int, erow: Row, arow: Row) -> None:
        for ecol in self.expected.value_columns:
            key = (_c(ecol.group or ""), _c(ecol.label))
            acol = next(
                (c for c in self.actual.value_columns if (_c(c.group or ""), _c(c.label)) == key),
                None,
            )
            if acol is None:
                continue
            ek, ak = erow.kind(ecol.id), arow.kind(acol.id)
            if ek is ak:
                continue
            where = self.at_row(i)
            if self.places is not None and i in self.places.rows:
                j = self.actual.columns.index(acol)
                where = a1(self.places.rows[i], self.places.columns.get(j, j + 1))
            self.out.append(
                f"{where}“{row_name(erow)} / {ecol.label}”：定义为“{KIND_CN[ek]}”，"
                f"{self.what}为“{KIND_CN[ak]}”"
            )

    def rules(self) -> None:
        what = self.what
        es, as_ = sum_cells(self.expected), sum_cells(self.actual)
        for cell, sources in es.items():
            other = as_.get(cell)
            if other is not None and other != sources:
                self.out.append(
                    f"{_cell_text(cell)}的计算关系不同：定义为{_sources_text(sources)}，"
                    f"{what}为{_sources_text(other)}"
                )
        es_sub, as_sub = subset_cells(self.expected), subset_cells(self.actual)
        for parent, child, col in sorted(es_sub - as_sub, key=str):
            self.out.append(f"其中关系“{_k(child)} ≤ {_k(parent)}”（{_k(col)}）在{what}中没有")
        for parent, child, col in sorted(as_sub - es_sub, key=str):
            self.out.append(f"{what}的其中关系“{_k(child)} ≤ {_k(parent)}”（{_k(col)}）不在定义中")


def _k(key: object) -> str:
    assert isinstance(key, tuple)
    return " / ".join(str(x) for x in key if x)


def _cell_text(cell: tuple[object, ...]) -> str:
    return f"“{_k(cell[0])} / {_k(cell[1])}”"


def _sources_text(sources: frozenset[tuple[object, ...]]) -> str:
    return "＋".join(sorted(_cell_text(s) for s in sources))


# -- form check ---------------------------------------------------------------------------------


@dataclass
class CheckResult:
    spec: FormSpec
    blank: Path | None
    problems: list[str]
    notes: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(definition: Path, blank: Path | None = None) -> CheckResult:
    """The definition loads (raises ``FormDefinitionError`` if not) and, given the blank, the
    blank has the same form."""
    import sys

    from shuangyong_cli.learn.learner import label_fingerprint, learn
    from shuangyong_cli.model.form_file import load_form

    spec = load_form(definition)
    notes: list[str] = []
    problems: list[str] = []
    recorded = _recorded_fingerprint(definition)
    if recorded and recorded != label_fingerprint(spec):
        notes.append(
            "定义文件在生成后改过标签（标签指纹与记录的不同），这是允许的；已按现在的标签检查"
        )
    if blank is not None:
        learned = learn(blank, spec.id)
        problems = compare(spec, learned.spec, Places.of(learned.draft))
        if not problems and label_fingerprint(spec) != label_fingerprint(learned.spec):
            problems.append("标签指纹不同（表名或栏目名的写法有出入）")
    del sys
    return CheckResult(spec, blank, problems, notes)


def _recorded_fingerprint(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    m = re.search(r'^fingerprint\s*=\s*"([0-9a-f]+)"', text, re.MULTILINE)
    return m.group(1) if m else ""


# -- form show ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def show(spec: FormSpec) -> list[Table]:
    """The definition as tables of text: the form, its columns, its body, its rules."""
    from shuangyong_cli.learn.learner import label_fingerprint

    def fields(fs: tuple[object, ...]) -> str:
        parts = []
        for f in fs:
            label = getattr(f, "label", "")
            value = getattr(f, "value", "next")
            parts.append(label + ("（同格冒号后）" if value == "after_colon" else ""))
        return "、".join(parts) or "（无）"

    form = Table(
        "表式",
        ("项目", "内容"),
        (
            ("表名", spec.title),
            ("工作表", spec.sheet),
            ("表式编号", f"{spec.id}（第 {spec.version} 版）"),
            ("截止日期", str(spec.deadline) if spec.deadline else "（未定）"),
            ("报送至", spec.submit_to or "（未定）"),
            ("表头栏目", fields(spec.header_fields)),
            ("表尾栏目", fields(spec.footer_fields)),
            ("标签指纹", label_fingerprint(spec)),
        ),
    )
    columns = _columns_table(spec)
    value_cols = spec.value_columns
    body = Table(
        "主栏（填＝单位填写，算＝由其他格计算，—＝不适用）",
        ("序号", "项目", "计量单位", *(c.label for c in value_cols)),
        tuple(
            (
                r.seq,
                "\u3000" * r.indent
                + r.label
                + ("（金额）" if r.value_kind is ValueKind.MONEY else ""),
                r.measure,
                *(KIND_CN[r.kind(c.id)] for c in value_cols),
            )
            for r in spec.rows
        ),
    )
    rules = Table("计算关系", ("编号", "关系"), tuple(_rule_rows(spec)))
    return [form, columns, body, rules]


def _columns_table(spec: FormSpec) -> Table:
    """栏目（宾栏）: each column's group, label, role, kind and unit. A value column is 填报
    when the units fill it in some row, whatever it holds, and 计算 when every cell of it is
    computed (小计, 合计); a money column without a unit of its own is in 万元, or in a row's
    计量单位 where that is a money unit (``FormSpec.money_unit``)."""
    by_row = sorted({r.measure for r in spec.rows if r.measure in MONEY_UNITS} - {"万元"})
    default_money = f"万元（计量单位为{'、'.join(by_row)}的行按其单位）" if by_row else "万元"
    return Table(
        "栏目（宾栏）",
        ("栏", "分组", "栏目名", "角色", "类型", "单位"),
        tuple(
            (
                str(i),
                c.group or "",
                c.label,
                _value_role(spec, c.id) if c.role is ColumnRole.VALUE else ROLE_CN[c.role],
                VALUE_KIND_CN[c.kind] if c.kind else "",
                c.unit or (default_money if c.kind is ValueKind.MONEY else ""),
            )
            for i, c in enumerate(spec.columns, start=1)
        ),
    )


def _value_role(spec: FormSpec, column: str) -> str:
    """填报 when some row's cell in ``column`` is filled by the units; 计算 when every cell of
    it that applies is computed; 不适用 when none applies."""
    kinds = {r.kind(column) for r in spec.rows}
    if CellKind.INPUT in kinds:
        return "填报"
    return "计算" if CellKind.CALC in kinds else "不适用"


def _rule_rows(spec: FormSpec) -> Iterator[tuple[str, str]]:
    for rule in spec.rules:
        if rule.target_row is not None:
            target = row_name(spec.row(rule.target_row))
            sources = "＋".join(row_name(spec.row(r)) for r in rule.source_rows)
            cols = "、".join(column_name(spec, c) for c in rule.columns)
            yield rule.id, f"“{target}”行＝{sources}（{cols}）"
        else:
            assert rule.target_column is not None
            sources = "＋".join(column_name(spec, c) for c in rule.source_columns)
            yield rule.id, f"“{column_name(spec, rule.target_column)}”栏＝{sources}（各计算行）"
    for s in spec.subsets:
        rows = "、".join(row_name(spec.row(r)) for r in s.rows)
        cols = "、".join(column_name(spec, c) for c in s.columns)
        # the rows' own labels often start with 其中：already
        head = "" if all(row_name(spec.row(r)).startswith("其中") for r in s.rows) else "其中："
        yield s.id, f"{head}{rows} 各不超过“{row_name(spec.row(s.parent))}”（{cols}）"
