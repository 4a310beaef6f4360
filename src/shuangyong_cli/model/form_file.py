"""Reading a form definition file (``templates/*.toml``, or the built-in one) into a
``FormSpec``, checking every key and reference; a bad one raises ``FormDefinitionError``
naming the key.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from shuangyong_cli.model.errors import FormDefinitionError
from shuangyong_cli.model.form import (
    Category,
    CellKind,
    Column,
    ColumnRole,
    Field,
    FormSpec,
    Limits,
    Row,
    Rule,
    Subset,
    ValueKind,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BUILTIN_FORM = "bayi-2020"


def builtin_form_path() -> Path:
    """The built-in definition: packaged as ``shuangyong_cli.forms`` from ``templates/``; in a
    source checkout installed in editable mode, read from ``templates/`` directly."""
    name = f"{BUILTIN_FORM}.toml"
    try:
        ref = resources.files("shuangyong_cli.forms").joinpath(name)
        if ref.is_file():
            return Path(str(ref))
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[3] / "templates" / name


def load_form(path: str | Path | None = None) -> FormSpec:
    """Load a form definition; ``None`` loads the built-in form."""
    if path is None:
        text = builtin_form_path().read_text(encoding="utf-8")
        source = f"{BUILTIN_FORM}.toml"
    else:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise FormDefinitionError(f"找不到表式定义文件：{p}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise FormDefinitionError(f"无法读取表式定义文件 {p}：{e}") from None
        source = str(p)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise FormDefinitionError(_toml_error(source, e)) from None
    return parse_form(data, source)


def _toml_error(source: str, error: ValueError) -> str:
    """A TOML syntax error in Chinese, with the line and column when the parser gives them
    (its own words follow as 技术信息, for whoever maintains the file)."""
    line = getattr(error, "lineno", None)
    column = getattr(error, "colno", None)
    if line is None:  # Python before 3.14 gives them only in the message
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
    where = f"第 {line} 行第 {column} 列附近有错" if line is not None else "有格式错误"
    return (
        f"表式定义 {source} 不是有效的 TOML 文件：{where}；请检查该处的引号、等号和方括号"
        f"（技术信息：{error}）"
    )


def parse_form(data: Mapping[str, Any], source: str = "<form>") -> FormSpec:
    """Build a FormSpec from decoded TOML, checking every reference."""
    p = _Parser(source)
    form = p.table(data, "form")
    limits = p.limits(data)
    header, footer, columns, rows, rules, subsets = _parse_layout(p, data)
    notes = p.table(data, "notes", optional=True)
    deadline = form.get("deadline")
    if deadline is not None and not isinstance(deadline, dt.date):
        p.fail("form.deadline", "应为日期，如 2020-08-14")
    spec = FormSpec(
        id=p.str_(form, "form.id"),
        family=p.str_(form, "form.family", default=p.str_(form, "form.id")),
        version=str(form.get("version", "1")),
        title=p.str_(form, "form.title"),
        sheet=p.str_(form, "form.sheet", default="统计表"),
        attachment=p.str_(form, "form.attachment", default=""),
        deadline=deadline,
        submit_to=p.str_(form, "form.submit_to", default=""),
        header_fields=header,
        footer_fields=footer,
        columns=columns,
        rows=rows,
        rules=rules,
        notes_label=p.str_(notes, "notes.label", default="说明"),
        notes=tuple(str(x) for x in notes.get("lines", [])),
        limits=limits,
        categories=tuple(
            p.category(c, f"categories[{i}]")
            for i, c in enumerate(p.items(data, "categories", optional=True))
        ),
        source=source,
        subsets=subsets,
        blank=_blank_path(p, form, source),
        blank_sha256=p.str_(form, "form.blank_sha256", default=""),
    )
    _check_rules_cover_calc(spec, p)
    spec.calc_order()
    return spec


def _blank_path(p: _Parser, form: Mapping[str, Any], source: str) -> str:
    """``[form] blank``: a path relative to the definition file (or absolute), resolved."""
    blank = p.str_(form, "form.blank", default="")
    if not blank:
        return ""
    path = Path(blank)
    if not path.is_absolute() and not source.startswith("<"):
        path = Path(source).parent / path
    return str(path)


_Layout = tuple[
    tuple[Field, ...],
    tuple[Field, ...],
    tuple[Column, ...],
    tuple[Row, ...],
    tuple[Rule, ...],
    tuple[Subset, ...],
]


def _parse_layout(p: _Parser, data: Mapping[str, Any]) -> _Layout:
    """The header and footer fields, columns, rows, rules and subsets, each reference checked."""
    header = tuple(
        p.field(f, f"header_fields[{i}]") for i, f in enumerate(p.items(data, "header_fields"))
    )
    footer = tuple(
        p.field(f, f"footer_fields[{i}]")
        for i, f in enumerate(p.items(data, "footer_fields", optional=True))
    )
    columns = tuple(p.column(c, f"columns[{i}]") for i, c in enumerate(p.items(data, "columns")))
    col_ids = [c.id for c in columns]
    p.unique(col_ids, "columns")
    if sum(1 for c in columns if c.role is ColumnRole.ITEM) != 1:
        p.fail("columns", f'必须恰好有一列 role = "{ColumnRole.ITEM.value}"')
    for role in (ColumnRole.SEQ, ColumnRole.MEASURE):
        if sum(1 for c in columns if c.role is role) > 1:
            p.fail("columns", f'最多只能有一列 role = "{role.value}"')
    value_ids = {c.id for c in columns if c.role is ColumnRole.VALUE}
    rows = tuple(p.row(r, f"rows[{i}]", value_ids) for i, r in enumerate(p.items(data, "rows")))
    p.unique([r.id for r in rows], "rows")
    p.unique([f.id for f in header + footer], "header_fields/footer_fields")
    row_ids = {r.id for r in rows}
    rules = tuple(
        p.rule(x, f"rules[{i}]", row_ids, value_ids)
        for i, x in enumerate(p.items(data, "rules", optional=True))
    )
    p.unique([r.id for r in rules], "rules")
    numeric_ids = {c.id for c in columns if c.kind in (ValueKind.COUNT, ValueKind.MONEY)}
    subsets = tuple(
        p.subset(x, f"subsets[{i}]", row_ids, numeric_ids)
        for i, x in enumerate(p.items(data, "subsets", optional=True))
    )
    p.unique([s.id for s in rules] + [s.id for s in subsets], "rules/subsets")
    return header, footer, columns, rows, rules, subsets


def _check_rules_cover_calc(spec: FormSpec, p: _Parser) -> None:
    for r, c, kind in spec.cells():
        if kind is not CellKind.CALC:
            continue
        try:
            sources = spec.sources(r.id, c.id)
        except KeyError:
            p.fail(f"rows.{r.id}.cells.{c.id}", "标为 calc，但没有任何求和规则计算它")
        for sr, sc in sources:
            if spec.row(sr).kind(sc) is CellKind.NA:
                p.fail(f"rules ({r.id}.{c.id})", f"引用了不适用的单元格 {sr}.{sc}")
    for rule in spec.rules:
        if rule.is_row_rule:
            assert rule.target_row is not None
            for col in rule.columns:
                if spec.row(rule.target_row).kind(col) is not CellKind.CALC:
                    p.fail(f"rules.{rule.id}", f"目标单元格 {rule.target_row}.{col} 不是 calc")


class _Parser:
    """Small helpers that turn a bad key into a FormDefinitionError naming it."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, why: str) -> NoReturn:
        raise FormDefinitionError(f"表式定义 {self.source} 中 {key} 有误：{why}")

    def table(self, data: Mapping[str, Any], key: str, optional: bool = False) -> Mapping[str, Any]:
        v = data.get(key)
        if v is None:
            if optional:
                return {}
            self.fail(key, "缺少此项")
        if not isinstance(v, Mapping):
            self.fail(key, "应为表（[table]）")
        return v

    def items(
        self, data: Mapping[str, Any], key: str, optional: bool = False
    ) -> list[Mapping[str, Any]]:
        v = data.get(key)
        if v is None:
            if optional:
                return []
            self.fail(key, "缺少此项")
        if not isinstance(v, list) or not all(isinstance(x, Mapping) for x in v):
            self.fail(key, "应为表数组（[[...]]）")
        return v

    def str_(self, data: Mapping[str, Any], key: str, default: str | None = None) -> str:
        v = data.get(key.rsplit(".", 1)[-1])
        if v is None:
            if default is not None:
                return default
            self.fail(key, "缺少此项")
        if not isinstance(v, str):
            self.fail(key, "应为文字")
        return v

    def decimal(self, data: Mapping[str, Any], key: str, default: str) -> Decimal:
        v = data.get(key.rsplit(".", 1)[-1], default)
        try:
            d = Decimal(str(v))
        except InvalidOperation:
            self.fail(key, f"应为数字，实际为 {v!r}")
        if not d.is_finite() or d < 0:
            self.fail(key, "应为非负数")
        return d

    def limits(self, data: Mapping[str, Any]) -> Limits:
        raw = self.table(data, "limits", optional=True)
        return Limits(
            money_plausible_max=self.decimal(raw, "limits.money_plausible_max", "100"),
            summary_money_plausible_max=self.decimal(
                raw, "limits.summary_money_plausible_max", "100000"
            ),
            calc_tolerance=self.decimal(raw, "limits.calc_tolerance", "0.005"),
            plausible_max=self.unit_bounds(raw, "limits.plausible_max"),
        )

    def unique(self, ids: list[str], key: str) -> None:
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                self.fail(key, f"id “{i}” 重复")
            seen.add(i)

    def field(self, data: Mapping[str, Any], key: str) -> Field:
        kind = data.get("kind", "text")
        if kind not in ("text", "date"):
            self.fail(f"{key}.kind", f"应为 text 或 date，实际为 {kind!r}")
        value = data.get("value", "next")
        if value not in ("next", "after_colon"):
            self.fail(f"{key}.value", f"应为 next 或 after_colon，实际为 {value!r}")
        return Field(
            id=self.str_(data, f"{key}.id"),
            label=self.str_(data, f"{key}.label"),
            kind=kind,
            required=bool(data.get("required", False)),
            value=value,
        )

    def column(self, data: Mapping[str, Any], key: str) -> Column:
        try:
            role = ColumnRole(data.get("role", "value"))
        except ValueError:
            self.fail(f"{key}.role", f"未知的列角色 {data.get('role')!r}")
        kind: ValueKind | None = None
        if role is ColumnRole.VALUE:
            try:
                kind = ValueKind(data.get("kind", ""))
            except ValueError:
                self.fail(f"{key}.kind", f"应为 count、money 或 text，实际为 {data.get('kind')!r}")
        group = data.get("group")
        if group is not None and not isinstance(group, str):
            self.fail(f"{key}.group", "应为文字")
        unit = data.get("unit")
        if unit is not None and (not isinstance(unit, str) or not unit):
            self.fail(f"{key}.unit", "应为文字，如 万元")
        width = data.get("width", 10)
        if not isinstance(width, (int, float)) or width <= 0:
            self.fail(f"{key}.width", "应为正数")
        return Column(
            id=self.str_(data, f"{key}.id"),
            label=self.str_(data, f"{key}.label"),
            role=role,
            kind=kind,
            group=group,
            width=float(width),
            unit=unit,
        )

    def row(self, data: Mapping[str, Any], key: str, value_ids: set[str]) -> Row:
        rid = self.str_(data, f"{key}.id")
        raw = data.get("cells", {})
        if not isinstance(raw, Mapping):
            self.fail(f"{key}.cells", '应为内联表，如 { qty = "in" }')
        cells: dict[str, CellKind] = {}
        for col, kind in raw.items():
            if col not in value_ids:
                self.fail(f"rows.{rid}.cells.{col}", "不是已定义的数值列")
            try:
                cells[col] = CellKind(kind)
            except ValueError:
                self.fail(f"rows.{rid}.cells.{col}", f"应为 in、calc 或 na，实际为 {kind!r}")
        value_kind: ValueKind | None = None
        if "value_kind" in data:
            if data["value_kind"] not in (ValueKind.COUNT.value, ValueKind.MONEY.value):
                self.fail(
                    f"rows.{rid}.value_kind", f"应为 count 或 money，实际为 {data['value_kind']!r}"
                )
            value_kind = ValueKind(data["value_kind"])
        return Row(
            id=rid,
            seq=str(data.get("seq", "")),
            label=self.str_(data, f"{key}.label", default=""),
            measure=self.str_(data, f"{key}.measure", default=""),
            cells=cells,
            indent=int(data.get("indent", 0)),
            total=bool(data.get("total", False)),
            value_kind=value_kind,
        )

    def unit_bounds(self, data: Mapping[str, Any], key: str) -> dict[str, Decimal]:
        raw = data.get("plausible_max", {})
        if not isinstance(raw, Mapping):
            self.fail(key, '应为内联表，如 { "元" = "1000000" }')
        return {str(unit): self.decimal(raw, f"{key}.{unit}", "0") for unit in raw}

    def subset(
        self, data: Mapping[str, Any], key: str, row_ids: set[str], numeric_ids: set[str]
    ) -> Subset:
        sid = self.str_(data, f"{key}.id")
        where = f"subsets.{sid}"
        parent = self.str_(data, f"{where}.parent")
        if parent not in row_ids:
            self.fail(f"{where}.parent", f"引用了未知的行 “{parent}”")
        lists: dict[str, tuple[str, ...]] = {}
        for name, known, what in (("rows", row_ids, "行"), ("columns", numeric_ids, "数值列")):
            v = data.get(name, [])
            if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
                self.fail(f"{where}.{name}", "应为非空的文字列表")
            for x in v:
                if x not in known:
                    self.fail(f"{where}.{name}", f"引用了未知的{what} “{x}”")
            lists[name] = tuple(v)
        if parent in lists["rows"]:
            self.fail(f"{where}.rows", "不能包含 parent 行本身")
        return Subset(id=sid, parent=parent, rows=lists["rows"], columns=lists["columns"])

    def category(self, data: Mapping[str, Any], key: str) -> Category:
        aliases = data.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            self.fail(f"{key}.aliases", "应为文字列表")
        return Category(name=self.str_(data, f"{key}.name"), aliases=tuple(aliases))

    def rule(
        self, data: Mapping[str, Any], key: str, row_ids: set[str], value_ids: set[str]
    ) -> Rule:
        rid = self.str_(data, f"{key}.id")
        where = f"rules.{rid}"

        def ids(name: str, known: set[str], what: str) -> tuple[str, ...]:
            v = data.get(name, [])
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                self.fail(f"{where}.{name}", "应为文字列表")
            for x in v:
                if x not in known:
                    self.fail(f"{where}.{name}", f"引用了未知的{what} “{x}”")
            return tuple(v)

        target_row = data.get("target_row")
        target_col = data.get("target_column")
        if (target_row is None) == (target_col is None):
            self.fail(where, "必须且只能有 target_row 或 target_column 之一")
        if target_row is not None:
            if target_row not in row_ids:
                self.fail(f"{where}.target_row", f"引用了未知的行 “{target_row}”")
            rule = Rule(
                id=rid,
                target_row=target_row,
                source_rows=ids("source_rows", row_ids, "行"),
                columns=ids("columns", value_ids, "列"),
            )
            if not rule.source_rows or not rule.columns:
                self.fail(where, "source_rows 和 columns 不能为空")
            return rule
        if target_col not in value_ids:
            self.fail(f"{where}.target_column", f"引用了未知的列 “{target_col}”")
        rule = Rule(
            id=rid, target_column=target_col, source_columns=ids("source_columns", value_ids, "列")
        )
        if not rule.source_columns:
            self.fail(where, "source_columns 不能为空")
        return rule
