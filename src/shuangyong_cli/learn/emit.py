"""Writing a draft as a form definition in the layout of ``templates/bayi-2020.toml``.

A plain text builder: the format is this project's own, and the file is for a clerk to read and
correct, so it keeps bayi-2020.toml's order, comments and inline ``cells`` tables. Every 待确认
inference is written as a ``# 待确认：…`` comment above the entry it concerns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from shuangyong_cli.learn.model import DColumn, DField, Draft, DRow, DRule, DSubset, Inference

BODY_COMMENT = (
    '# The body (主栏). `cells` gives each value column\'s kind; a column left out is "na".'
)
SUBSET_COMMENT = "# “其中”规则：在 columns 列出的每一栏，rows 中的每一行都不超过 parent 一行。"


def q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _list(items: Sequence[str], indent: str = "") -> str:
    one = "[" + ", ".join(q(i) for i in items) + "]"
    if len(one) + len(indent) <= 90:
        return one
    lines, line = [], "   "
    for item in items:
        piece = f" {q(item)},"
        if len(line) + len(piece) > 96:
            lines.append(line)
            line = "   "
        line += piece
    lines.append(line)
    return "[\n" + "\n".join(lines) + "\n]"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class _Out:
    def __init__(self, pending: dict[str, list[str]]) -> None:
        self.lines: list[str] = []
        self.pending = pending

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def confirm(self, *keys: str) -> None:
        for key in keys:
            for why in self.pending.get(key, []):
                self.lines.append(f"# 待确认：{why}")


def pending_comments(inferences: Iterable[Inference]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for inf in inferences:
        if inf.uncertain and inf.key:
            text = (
                f"{inf.what}（{inf.where}）：{inf.why}" if inf.where else f"{inf.what}：{inf.why}"
            )
            out.setdefault(inf.key, []).append(" ".join(text.split()))
    return out


def emit_toml(
    draft: Draft, inferences: Iterable[Inference], *, blank_name: str = "", fingerprint: str = ""
) -> str:
    """The definition as TOML text, section by section in bayi-2020.toml's order."""
    infs = list(inferences)
    out = _Out(pending_comments(infs))
    _preamble(out, draft, blank_name, sum(1 for i in infs if i.uncertain))
    _form(out, draft, fingerprint)
    _limits(out, draft)
    for f in draft.fields:
        if not f.footer:
            _field(out, f, "header_fields", full=True)
    for f in draft.fields:
        if f.footer:
            _field(out, f, "footer_fields", full=False)
    out.add("", "# 宾栏（表头的各栏）。`group` 是两层表头中上面那一格的文字。")
    for c in draft.columns:
        _column(out, c)
    out.add(
        "",
        "# 主栏（各行）。`cells` 写明每个数值栏的格：in 填报、calc 计算；没写的栏是 na（不填）。",
    )
    value_ids = [c.id for c in draft.value_columns]
    for r in draft.rows:
        _row(out, r, value_ids)
    if draft.rules:
        out.add(
            "",
            "# 计算关系。每个 calc 格恰好由一条规则算出。",
            "# 行规则：target_row 一行 = source_rows 各行之和（只在 columns 列出的栏）。",
            "# 栏规则：target_column 一栏 = source_columns 各栏之和（在该栏为 calc 的每一行）。",
        )
    for rule in draft.rules:
        _rule(out, rule)
    if draft.subsets:
        out.add("", "# “其中”规则：在 columns 列出的每一栏，rows 中的每一行都不超过 parent 一行。")
    for s in draft.subsets:
        _subset(out, s)
    if draft.notes:
        out.add("", "[notes]", f"label = {q(draft.notes_label)}", "lines = [")
        out.add(*(f"    {q(line)}," for line in draft.notes))
        out.add("]")
    _categories(out)
    return "\n".join(out.lines) + "\n"


def _categories(out: _Out) -> None:
    """The built-in form's kinds of unit: a blank does not name them, a roster needs them."""
    from shuangyong_cli.model.form_file import load_form

    out.add(
        "",
        "# 单位类别（名册中的“单位类别”），与内置表式相同；名册用别的类别时请在这里增改。",
    )
    for c in load_form().categories:
        out.add("", "[[categories]]", f"name = {q(c.name)}", f"aliases = {_list(c.aliases)}")


def _preamble(out: _Out, draft: Draft, blank_name: str, n_confirm: int) -> None:
    source = f"从空白表“{blank_name}”" if blank_name else "从空白表"
    out.add(
        f"# {draft.title}",
        "#",
        f"# 由 shuangyong form new {source}推断生成。",
        f"# 有 {n_confirm} 处标为“待确认”，请核对后删去该注释；"
        "用 shuangyong form check 检查本文件与空白表是否相符。"
        if n_confirm
        else "# 所有推断都是确定或较确定的；仍请用 shuangyong form show 过目一遍。",
        "#",
        "# 格的类别：in 由单位填写；calc 按下面的计算关系算出；na 不填（灰色或印有“—”“/”",
        "# “不填”；填了数会报出来）。",
        "",
    )
    if not any(not f.footer for f in draft.fields):  # a key, so before the first table
        out.add("# 空白表上没有“填报单位”“日期”之类的表头栏目。", "header_fields = []", "")


def _form(out: _Out, draft: Draft, fingerprint: str) -> None:
    out.add("[form]", f"id = {q(draft.id)}", f"family = {q(draft.id)}", 'version = "1"')
    out.confirm("title")
    out.add(f"title = {q(draft.title)}")
    out.confirm("sheet")
    out.add(f"sheet = {q(draft.sheet)}")
    if draft.attachment:
        out.add(f"attachment = {q(draft.attachment)}")
    if draft.deadline:
        out.add(f"deadline = {draft.deadline}")
    if draft.submit_to:
        out.add(f"submit_to = {q(draft.submit_to)}")
    if fingerprint:
        out.add("# 空白表各栏目、各行文字的指纹（form check 用它核对）。")
        out.add(f"fingerprint = {q(fingerprint)}")
    if draft.blank:
        out.add(
            "# 单位自己的空白表（相对于本文件所在的文件夹）：template 为每个单位复制它，merge 把",
            "# 合计填进它作为“汇总表”；SHA-256 用来发现空白表是否改动过。",
            f"blank = {q(draft.blank)}",
            f"blank_sha256 = {q(draft.blank_sha256)}",
        )


def _limits(out: _Out, draft: Draft) -> None:
    out.add(
        "",
        "[limits]",
        "# 一个单位的报表中，金额超过这个数的格是错误（多半是按更小的单位填了）。",
        f"money_plausible_max = {q(draft.money_max)}",
        f"summary_money_plausible_max = {q(str(int(draft.money_max) * 1000))}",
        'calc_tolerance = "0.005"',
    )
    if draft.plausible_max:
        out.add("# 表中用到的每种金额单位各自的上限。")
        pairs = ", ".join(f"{q(k)} = {q(v)}" for k, v in draft.plausible_max.items())
        out.add(f"plausible_max = {{ {pairs} }}")


def _field(out: _Out, f: DField, table: str, *, full: bool) -> None:
    out.add("")
    out.confirm(f"field:{f.id}")
    out.add(f"[[{table}]]", f"id = {q(f.id)}", f"label = {q(f.label)}")
    if full:
        out.add(f"kind = {q(f.kind)}", f"required = {'true' if f.required else 'false'}")
    elif f.kind != "text":
        out.add(f"kind = {q(f.kind)}")
    if f.value != "next":
        out.add(f"value = {q(f.value)}")


def _column(out: _Out, c: DColumn) -> None:
    out.add("")
    out.confirm(f"column:{c.id}", f"column:{c.col}")
    out.add("[[columns]]", f"id = {q(c.id)}", f"label = {q(c.label)}")
    if c.group:
        out.add(f"group = {q(c.group)}")
    out.add(f"role = {q(c.role)}")
    if c.role == "value":
        out.add(f"kind = {q(c.kind or 'count')}")
        if c.unit:
            out.add(f"unit = {q(c.unit)}")
    out.add(f"width = {_num(c.width)}")


def _row(out: _Out, r: DRow, value_ids: list[str]) -> None:
    out.add("")
    out.confirm(f"row:{r.id}", *(f"cell:{r.id}:{c}" for c in value_ids))
    out.add("[[rows]]", f"id = {q(r.id)}", f"seq = {q(r.seq)}", f"label = {q(r.label)}")
    out.add(f"measure = {q(r.measure)}")
    if r.indent:
        out.add(f"indent = {r.indent}")
    if r.total:
        out.add("total = true")
    if r.value_kind:
        out.add(f"value_kind = {q(r.value_kind)}")
    cells = ", ".join(f"{c} = {q(r.cells[c])}" for c in value_ids if r.cells.get(c, "na") != "na")
    out.add(f"cells = {{ {cells} }}" if cells else "cells = {}")


def _rule(out: _Out, rule: DRule) -> None:
    out.add("")
    out.confirm(f"rule:{rule.id}")
    out.add("[[rules]]", f"id = {q(rule.id)}")
    if rule.target_row is not None:
        out.add(f"target_row = {q(rule.target_row)}")
        out.add(f"source_rows = {_list(rule.source_rows, 'source_rows = ')}")
        out.add(f"columns = {_list(rule.columns)}")
    else:
        assert rule.target_column is not None
        out.add(f"target_column = {q(rule.target_column)}")
        out.add(f"source_columns = {_list(rule.source_columns)}")


def _subset(out: _Out, s: DSubset) -> None:
    out.add("")
    out.confirm(f"subset:{s.id}")
    out.add("[[subsets]]", f"id = {q(s.id)}", f"parent = {q(s.parent)}")
    out.add(f"rows = {_list(s.rows)}", f"columns = {_list(s.columns)}")
