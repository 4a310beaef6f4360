"""Merging returns into a summary: which returns count, why the others do not, and exact sums.

Pure logic: nothing here opens or writes a workbook. ``merge_results`` takes the ``FileResult``s
of the validate pipeline and

- decides for every file whether it counts, and says why not (errors, an empty return, an older or
  identical copy of another file of the same unit, a unit already inside a summary);
- sums the returns that count, per unit, per category (in the form's order, then 未列入名册) and
  in all, as exact ``Decimal``; computed cells are recomputed from the inputs;
- gives every roster unit its status (已报 / 未报 / 逾期 / 有误 / 重复) with file, date and contact.

``summary.write_summary`` writes the ``Summary``. Nothing is dropped silently: every file seen is
in ``Summary.files`` with ``included`` and a reason, and every decision is a ``Finding``.

Summaries nest: a summary records the units it includes (its identity sheet), as paths
``街道/社区`` relative to itself, so a summary of summaries records ``区/街道/社区``. Two paths
name the same unit when one is a suffix of the other, component by component: a unit's own return
beside a summary that includes it, or two summaries that include the same unit, are caught at any
level without confusing ``甲区/区民政局`` with ``乙区/区民政局``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from shuangyong_cli.model import (
    CellKey,
    CellKind,
    FileResult,
    Finding,
    FormSpec,
    Report,
    ReturnData,
    Severity,
    count,
    finding,
    per_form,
)
from shuangyong_cli.season.roster import Roster, normalize_unit_name

#: The group of units that reported but are not on the roster (or all units, without a roster).
UNLISTED = "未列入名册"

#: Separates the levels of a unit path in a summary's list of included units.
PATH_SEP = "/"

ZERO = Decimal(0)

Values = Mapping[CellKey, Decimal]


class Status(str, Enum):
    """A roster unit's reporting status, as the 报送情况 sheet shows it."""

    REPORTED = "已报"
    MISSING = "未报"
    LATE = "逾期"
    ERRORS = "有误"
    DUPLICATE = "重复"


# -- the cells and their sums -----------------------------------------------------------------


@dataclass(frozen=True)
class _Cells:
    """The numeric cells of a form and how the computed ones are summed, worked out once per
    ``FormSpec`` (the merge asks for them for every return)."""

    spec: FormSpec
    numeric: tuple[CellKey, ...]
    inputs: tuple[CellKey, ...]
    calcs: tuple[tuple[CellKey, tuple[CellKey, ...]], ...]


@per_form
def _cells(spec: FormSpec) -> _Cells:
    numeric = {c.id for c in spec.numeric_columns}
    return _Cells(
        spec=spec,
        numeric=tuple(
            (r.id, c.id) for r, c, k in spec.cells() if c.id in numeric and k is not CellKind.NA
        ),
        inputs=tuple((r.id, c.id) for r, c in spec.input_cells() if c.id in numeric),
        calcs=tuple((cell, tuple(spec.sources(*cell))) for cell in spec.calc_order()),
    )


def numeric_cells(spec: FormSpec) -> list[CellKey]:
    """Every numeric body cell that applies (input or calc), in reading order."""
    return list(_cells(spec).numeric)


def input_cells(spec: FormSpec) -> list[CellKey]:
    """The numeric cells a unit types, in reading order."""
    return list(_cells(spec).inputs)


def compute_cells(spec: FormSpec, inputs: Values) -> dict[CellKey, Decimal]:
    """All numeric cells from the input cells (a missing input is 0): inputs as given, calc cells
    recomputed by the form's rules. Keys in reading order."""
    cells = _cells(spec)
    values: dict[CellKey, Decimal] = {cell: inputs.get(cell, ZERO) for cell in cells.inputs}
    for cell, sources in cells.calcs:
        values[cell] = sum((values[s] for s in sources), ZERO)
    return {cell: values[cell] for cell in cells.numeric}


def sum_values(spec: FormSpec, parts: Iterable[Values]) -> dict[CellKey, Decimal]:
    """The exact sum of several returns' values: inputs added, calc cells recomputed."""
    inputs = _cells(spec).inputs
    total: dict[CellKey, Decimal] = dict.fromkeys(inputs, ZERO)
    for part in parts:
        for cell in inputs:
            total[cell] += part.get(cell, ZERO)
    return compute_cells(spec, total)


# -- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    """One return that counts: a row of 分单位明细, and the provenance of its numbers."""

    name: str
    """单位名称: the roster's name, or 填报单位 as typed for a unit not on the roster."""
    category: str
    """The roster category, or ``UNLISTED``."""
    typed: str
    """填报单位 as typed in the return."""
    file: str
    sha256: str
    date: dt.date | None
    values: Values
    """Every numeric cell that applies (``numeric_cells``), calc cells recomputed."""
    remarks: Mapping[str, str]
    """备注 by row id, non-empty ones only."""
    on_roster: bool
    is_summary: bool = False
    includes: tuple[str, ...] = ()
    """For a summary: the units it includes, as recorded in it."""


@dataclass(frozen=True)
class CategoryTotal:
    """A 单位类别 with its units (roster order; then file order) and their exact sum."""

    name: str
    units: tuple[UnitRow, ...]
    values: Values
    roster_units: int = 0
    """How many roster units this category has (0 for ``UNLISTED``)."""


@dataclass(frozen=True)
class UnitStatus:
    """A line of 报送情况: one roster unit (or one unit not on the roster) and how it reported."""

    name: str
    category: str
    status: Status
    file: str = ""
    """The file that counts ("" when none does)."""
    files: tuple[str, ...] = ()
    """Every file of this unit, in file order."""
    date: dt.date | None = None
    contact: str = ""
    phone: str = ""
    note: str = ""
    """What the clerk should know: late by how much, which copy counted, which file has errors."""
    on_roster: bool = True


@dataclass(frozen=True)
class SourceFile:
    """A line of 来源文件: every file seen, whether it counts, and why not."""

    path: str
    source: str
    sha256: str
    size: int
    unit: str
    """填报单位 as typed ("" when unreadable)."""
    roster_unit: str
    category: str
    date: dt.date | None
    is_summary: bool
    included: bool
    reason: str
    """For an included file: "" or a note (逾期, replaced another copy); else why it is left out."""
    copy_of: str
    """For an identical copy of another file of the same unit: that file's path; else ""."""
    findings: tuple[Finding, ...]
    """The file's findings from the checks, then the merge's own."""

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)


@dataclass(frozen=True)
class Summary:
    """Everything the summary writers need, decided once."""

    name: str
    """填报单位 of the summary."""
    date: dt.date | None
    """日期 of the summary: as given, else the latest 日期 among the returns that count."""
    categories: tuple[CategoryTotal, ...]
    """Non-empty groups: every category with a roster unit or an included return, in the form's
    order, then ``UNLISTED``."""
    total: Values
    statuses: tuple[UnitStatus, ...]
    """Roster units in roster order, then units not on the roster in file order."""
    files: tuple[SourceFile, ...]
    """Every file seen, in the order given."""
    general: tuple[Finding, ...] = ()
    """Findings about no single file (roster units not reported), as passed in."""
    roster_given: bool = False
    deadline: dt.date | None = None

    @property
    def units(self) -> tuple[UnitRow, ...]:
        """The returns that count, in category order."""
        return tuple(u for c in self.categories for u in c.units)

    @property
    def included_units(self) -> tuple[str, ...]:
        """The units this summary includes, for its identity sheet: a unit's name, or for a
        summary inside it ``summary/unit`` for each unit it includes."""
        out: list[str] = []
        for u in self.units:
            if u.is_summary and u.includes:
                out.extend(f"{u.name}{PATH_SEP}{x}" for x in u.includes)
            else:
                out.append(u.name)
        return tuple(out)

    @property
    def excluded(self) -> tuple[SourceFile, ...]:
        return tuple(f for f in self.files if not f.included)

    @property
    def missing(self) -> tuple[UnitStatus, ...]:
        """Roster units with no file at all (未报)."""
        return tuple(s for s in self.statuses if s.status is Status.MISSING)

    def findings(self) -> list[Finding]:
        """Every finding: each file's (in file order), then the general ones."""
        return [f for s in self.files for f in s.findings] + list(self.general)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings())

    @property
    def complete(self) -> bool:
        """Every file counts (or is an identical copy of one that does) and no unit is missing."""
        return all(f.included or f.copy_of for f in self.files) and not self.missing

    @property
    def nothing_counts(self) -> bool:
        """No return counts: there is nothing to write."""
        return not self.units

    def headline(self, spec: FormSpec) -> str:
        """One closing line for the terminal: what counts, who is missing, the money totals."""
        counted = sum(1 for f in self.files if f.included)
        parts = [f"计入汇总 {counted} 份报表（{len(self.units)} 个单位）"]
        if self.excluded:
            parts.append(f"未计入 {len(self.excluded)} 份")
        if self.roster_given:
            roster_units = [s for s in self.statuses if s.on_roster]
            parts.append(f"名册 {len(roster_units)} 个单位中未报 {len(self.missing)} 个")
        total_row = next((r for r in spec.rows if r.total), None)
        money = [
            f"{c.label} {self.total.get((total_row.id, c.id), ZERO):.2f}"
            for c in spec.numeric_columns
            if total_row is not None and total_row.kind(c.id) is not CellKind.NA
        ]
        line = "；".join(parts) + "。"
        return line + (f"合计（万元）：{'，'.join(money)}。" if money else "")

    def sources_of(self, cell: CellKey) -> list[tuple[UnitRow, Decimal]]:
        """The returns that contributed a non-zero amount to one cell of the total."""
        return [(u, u.values[cell]) for u in self.units if u.values.get(cell, ZERO) != ZERO]

    def to_report(self) -> Report:
        """The same files and findings as a ``Report`` (merge findings included), for the
        terminal and JSON renderers."""
        files = [
            FileResult(
                path=s.path,
                findings=list(s.findings),
                unit=s.unit,
                roster_unit=s.roster_unit,
                category=s.category,
                source=s.source,
                included=s.included,
            )
            for s in self.files
        ]
        return Report(files=files, general=list(self.general))


# -- merging -------------------------------------------------------------------------------------


@dataclass
class _File:
    """Working state of one input file while merging."""

    index: int
    result: FileResult
    data: ReturnData | None
    key: tuple[str, str] = ("", "")
    included: bool = False
    reason: str = ""
    copy_of: str = ""
    extra: list[Finding] = field(default_factory=list)
    double_counted: bool = False

    @property
    def path(self) -> str:
        return self.result.path

    @property
    def name(self) -> str:
        return self.result.roster_unit or " ".join(self.result.unit.split())

    @property
    def is_summary(self) -> bool:
        return bool(self.data and self.data.identity and self.data.identity.is_summary)

    @property
    def includes(self) -> tuple[str, ...]:
        if self.data and self.data.identity and self.data.identity.is_summary:
            return self.data.identity.included
        return ()

    def order(self) -> tuple[dt.date, float, int]:
        """Later wins: 日期, then modification time, then file order."""
        d = self.data
        return (d.date or dt.date.min if d else dt.date.min, d.mtime if d else 0.0, self.index)

    def add(self, code: str, message: str, severity: Severity | None = None) -> None:
        sheet = self.data.sheet if self.data else ""
        self.extra.append(
            finding(
                code,
                message,
                file=self.path,
                sheet=sheet,
                field="填报单位",
                value=self.name,
                severity=severity,
            )
        )


def merge_results(
    results: Sequence[FileResult],
    spec: FormSpec,
    roster: Roster | None,
    *,
    name: str,
    date: dt.date | None,
    general: Sequence[Finding] = (),
) -> Summary:
    """Decide which returns count and sum them. ``results`` come from the validate pipeline
    (with a roster, already matched: ``roster_unit`` and ``category`` set); ``general`` are its
    findings about no single file, carried into the summary's list of problems."""
    files = [_File(i, r, r.data) for i, r in enumerate(results)]
    usable = [f for f in files if _usable(f)]
    winners = _resolve_duplicates(usable, spec)
    counted = _resolve_double_counting(winners)
    for f in counted:
        f.included = True
        if _late(f, spec) and not f.reason:
            assert f.data is not None and f.data.date is not None and spec.deadline is not None
            f.reason = f"逾期（日期 {f.data.date.isoformat()}，截止 {spec.deadline.isoformat()}）"

    rows = {f.index: _unit_row(f, spec) for f in counted}
    categories = _categories(files, rows, spec, roster)
    total = sum_values(spec, (c.values for c in categories))
    statuses = _statuses(files, spec, roster)
    if date is None:
        dates = [u.date for c in categories for u in c.units if u.date is not None]
        date = max(dates, default=None)
    return Summary(
        name=name,
        date=date,
        categories=categories,
        total=total,
        statuses=statuses,
        files=tuple(_source_file(f) for f in files),
        general=tuple(general),
        roster_given=roster is not None,
        deadline=spec.deadline,
    )


def _usable(f: _File) -> bool:
    """Whether a file can count at all; if not, say why (reason and a merge.excluded error)."""
    r = f.result
    if r.data is None or r.errors:
        titles = list(dict.fromkeys(x.title for x in r.findings if x.severity is Severity.ERROR))
        n = r.errors
        if r.data is None:
            what = "无法作为统计表读取" + (f"（{'、'.join(titles)}）" if titles else "")
        else:
            what = f"有 {n} 个错误（{'、'.join(titles)}）"
        f.reason = f"{what}，未计入"
        f.add(
            "merge.excluded",
            f"{f.path} {what}，未计入汇总；请对方按所列问题改正后重新报送，再重新汇总。",
        )
        return False
    if r.data.empty:
        f.reason = "空表（所有数值格均未填写），未计入"
        f.add(
            "merge.excluded",
            f"{f.path} 是空表（所有数值格均未填写），未计入汇总；"
            "如该单位确无此项工作，请对方在数值格中填 0 后重新报送。",
        )
        return False
    norm = normalize_unit_name(r.unit) if r.unit else ""
    if not r.roster_unit and not norm:
        f.reason = "未填填报单位，未计入"
        f.add("merge.excluded", f"{f.path} 未填填报单位，无法确定是哪个单位，未计入汇总。")
        return False
    f.key = ("roster", r.roster_unit) if r.roster_unit else ("typed", norm)
    return True


def _same_values(a: ReturnData, b: ReturnData, spec: FormSpec) -> bool:
    cells = _cells(spec).inputs
    return [a.values.get(c, ZERO) for c in cells] == [b.values.get(c, ZERO) for c in cells] and (
        {k: v.strip() for k, v in a.remarks.items() if v.strip()}
        == {k: v.strip() for k, v in b.remarks.items() if v.strip()}
    )


def _show_date(d: ReturnData | None) -> str:
    return f"日期 {d.date.isoformat()}" if d is not None and d.date else "未填日期"


def _resolve_duplicates(usable: list[_File], spec: FormSpec) -> list[_File]:
    """One file per unit: identical copies count once; of different ones the later wins."""
    groups: dict[tuple[str, str], list[_File]] = defaultdict(list)
    for f in usable:
        groups[f.key].append(f)
    winners: list[_File] = []
    for members in groups.values():
        win = max(members, key=_File.order)
        winners.append(win)
        replaced: list[_File] = []
        for f in members:
            if f is win:
                continue
            assert f.data is not None and win.data is not None
            if f.data.sha256 and f.data.sha256 == win.data.sha256:
                how = "内容完全相同"
            elif _same_values(f.data, win.data, spec):
                how = "数值和备注相同"
            else:
                replaced.append(f)
                continue
            f.reason = f"与 {win.path} {how}，只计一次"
            f.copy_of = win.path
            f.add(
                "merge.duplicate_identical",
                f"{f.path} 与 {win.path} 是“{win.name}”的同一份报表（{how}），只计一次。",
            )
        if not replaced:
            continue
        assert win.data is not None
        tie = any(f.order()[:2] == win.order()[:2] for f in replaced)
        why = (
            "日期和修改时间都相同，按文件名顺序取后者"
            if tie
            else "以日期较晚者为准（日期相同则以修改时间较晚者为准）"
        )
        for f in replaced:
            f.reason = (
                f"同一单位另有不同的报表 {win.path}（{_show_date(win.data)}），以其为准，未计入"
            )
            f.add(
                "merge.duplicate_replaced",
                f"“{win.name}”报送了多份数值不同的报表；本表（{_show_date(f.data)}）未计入，"
                f"计入的是 {win.path}（{_show_date(win.data)}），{why}。请与该单位核实哪一份为准。",
            )
        others = "、".join(f"{f.path}（{_show_date(f.data)}）" for f in replaced)
        win.reason = f"同一单位另有不同的报表 {others}，以本表为准"
        win.add(
            "merge.duplicate_replaced",
            f"“{win.name}”报送了多份数值不同的报表；计入本表（{_show_date(win.data)}），"
            f"未计入 {others}，{why}。请与该单位核实哪一份为准。",
        )
    winners.sort(key=lambda f: f.index)
    return winners


# -- double counting -----------------------------------------------------------------------------

Path_ = tuple[str, ...]


def _path(text: str) -> Path_:
    return tuple(normalize_unit_name(p) for p in text.split(PATH_SEP) if p.strip())


def _covered(f: _File) -> dict[Path_, str]:
    """The unit paths a return stands for (normalised → as shown): a unit's own names, or for a
    summary ``summary/unit`` for each unit it includes."""
    if f.is_summary:
        top = _path(f.name)
        return {top + _path(x): f"{f.name}{PATH_SEP}{x}" for x in f.includes if _path(x)}
    names = (f.result.roster_unit, f.result.unit)
    return {(normalize_unit_name(n),): n.strip() for n in names if n and normalize_unit_name(n)}


def _suffixes(paths: Iterable[Path_]) -> set[Path_]:
    return {p[k:] for p in paths for k in range(len(p))}


def _overlap(a: dict[Path_, str], b: dict[Path_, str]) -> list[str]:
    """The units (as ``b`` records them) that ``a`` and ``b`` both stand for: a path of one is a
    suffix of a path of the other."""
    of_a = _suffixes(a)
    return sorted({shown for q, shown in b.items() if q in of_a or _suffixes([q]) & a.keys()})


def _names(items: list[str], limit: int = 5) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 个单位" if len(items) > limit else "")


def _first_clash(f: _File, kept: list[_File]) -> tuple[_File, list[str]] | None:
    """The first counted summary that includes a unit ``f`` covers, with the units shared."""
    for k in kept:
        names = _overlap(_covered(f), _covered(k))
        if names:
            return k, names
    return None


def _resolve_double_counting(winners: list[_File]) -> list[_File]:
    """A unit must count once: of summaries that include the same unit, the one covering more
    units counts; a unit's own return beside a summary that includes it does not count (the
    summary already holds its numbers)."""
    summaries = sorted(
        (f for f in winners if f.is_summary),
        key=lambda f: (len(f.includes), f.order()),
        reverse=True,
    )
    kept: list[_File] = []
    for s in summaries:
        clash = _first_clash(s, kept)
        if clash is None:
            kept.append(s)
            continue
        k, names = clash
        s.double_counted = True
        s.reason = f"所含单位与已计入的汇总 {k.path}（{k.name}）重复：{_names(names)}，未计入"
        s.add(
            "merge.double_counted",
            f"汇总表 {s.path}（{s.name}）与汇总表 {k.path}（{k.name}）都包含 {_names(names)}，"
            f"同时计入会重复计算；已计入包含单位较多的 {k.path}，本表未计入。"
            "请核实两份汇总的范围，去掉重复的单位后重新汇总。",
        )
    counted = list(kept)
    for f in winners:
        if f.is_summary:
            continue
        clash = _first_clash(f, kept)
        if clash is None:
            counted.append(f)
            continue
        s, names = clash
        f.double_counted = True
        f.reason = f"已含在汇总表 {s.path}（{s.name}）中，未单独计入"
        f.add(
            "merge.double_counted",
            f"“{f.name}”的报表 {f.path} 已包含在汇总表 {s.path}（{s.name}）中"
            f"（汇总表记录的单位：{_names(names)}）；为免重复计算，本表未单独计入，"
            f"其数值以汇总表为准。如本表是更正后的数值，请让 {s.name} 重新汇总后报送。",
        )
        s.add(
            "merge.double_counted",
            f"汇总表 {s.path}（{s.name}）包含的“{names[0]}”另有单独报表 {f.path}；"
            "已计入本汇总表，单独报表未计入。",
            severity=Severity.WARNING,
        )
    counted.sort(key=lambda f: f.index)
    return counted


# -- rows, categories, statuses ------------------------------------------------------------------


def _late(f: _File, spec: FormSpec) -> bool:
    d = f.data.date if f.data else None
    return spec.deadline is not None and d is not None and d > spec.deadline


def _unit_row(f: _File, spec: FormSpec) -> UnitRow:
    assert f.data is not None
    r = f.result
    return UnitRow(
        name=f.name,
        category=r.category if r.roster_unit and r.category else UNLISTED,
        typed=r.unit,
        file=f.path,
        sha256=f.data.sha256,
        date=f.data.date,
        values=compute_cells(spec, f.data.values),
        remarks={k: v for k, v in f.data.remarks.items() if v.strip()},
        on_roster=bool(r.roster_unit),
        is_summary=f.is_summary,
        includes=f.includes,
    )


def _categories(
    files: list[_File], rows: dict[int, UnitRow], spec: FormSpec, roster: Roster | None
) -> tuple[CategoryTotal, ...]:
    order = [c.name for c in spec.categories]
    roster_line: dict[str, int] = {}
    roster_count: dict[str, int] = defaultdict(int)
    if roster is not None:
        for i, u in enumerate(roster.units):
            roster_line[u.name] = i
            roster_count[u.category] += 1
            if u.category not in order:
                order.append(u.category)
    for f in files:
        row = rows.get(f.index)
        if row is not None and row.category not in order and row.category != UNLISTED:
            order.append(row.category)
    order.append(UNLISTED)
    out: list[CategoryTotal] = []
    for name in order:
        members = [(f.index, rows[f.index]) for f in files if f.index in rows]
        units = [u for _, u in members if u.category == name]
        if not units and not roster_count.get(name):
            continue
        units.sort(key=lambda u: roster_line.get(u.name, len(roster_line)))
        out.append(
            CategoryTotal(
                name=name,
                units=tuple(units),
                values=sum_values(spec, (u.values for u in units)),
                roster_units=roster_count.get(name, 0),
            )
        )
    return tuple(out)


def _contact(f: _File | None, spec: FormSpec) -> tuple[str, str]:
    """填表人 and 联系电话 typed in a return (fields found by their labels)."""
    if f is None or f.data is None:
        return "", ""
    by_label = {fl.label: fl.id for fl in spec.fields}
    person = f.data.fields.get(by_label.get("填表人", ""), "")
    phone = f.data.fields.get(by_label.get("联系电话", ""), "")
    return person.strip(), phone.strip()


def _statuses(files: list[_File], spec: FormSpec, roster: Roster | None) -> tuple[UnitStatus, ...]:
    by_unit: dict[str, list[_File]] = defaultdict(list)
    unlisted: dict[str, list[_File]] = defaultdict(list)
    for f in files:
        if f.result.roster_unit:
            by_unit[f.result.roster_unit].append(f)
        elif f.data is not None and f.result.unit and normalize_unit_name(f.result.unit):
            unlisted[normalize_unit_name(f.result.unit)].append(f)
    summaries = [f for f in files if f.included and f.is_summary]
    # Copies made for one unit (template --roster) that another unit filled in.
    borrowed: dict[str, list[_File]] = defaultdict(list)
    borrowers: set[int] = set()
    for f in files:
        if any(x.code == "roster.other_units_copy" for x in f.result.findings):
            issued = _issued_to(f)
            m = roster.match(issued) if roster is not None else None
            borrowed[m.unit.name if m is not None else issued].append(f)
            borrowers.add(f.index)
    out: list[UnitStatus] = []
    for unit in roster.units if roster is not None else ():
        own = by_unit.get(unit.name, [])
        status = _status(unit.name, unit.category, own, spec, summaries, on_roster=True)
        notes = [status.note] if status.note else []
        notes += [
            f"{f.path} 用的是发给本单位的表，填报单位却是“{f.result.unit}”，请核实"
            for f in borrowed.get(unit.name, [])
        ]
        notes += [
            f"所用的表是发给“{_issued_to(f)}”的，请核实"
            for f in own
            if f.included and f.index in borrowers
        ]
        out.append(
            dataclasses.replace(
                status,
                contact=unit.contact or status.contact,
                phone=unit.phone or status.phone,
                note="；".join(notes),
            )
        )
    for members in unlisted.values():
        name = " ".join(members[0].result.unit.split())
        out.append(_status(name, UNLISTED, members, spec, summaries, on_roster=False))
    return tuple(out)


def _status(
    name: str,
    category: str,
    own: list[_File],
    spec: FormSpec,
    summaries: list[_File],
    *,
    on_roster: bool,
) -> UnitStatus:
    paths = tuple(f.path for f in own)
    if not own:
        mine: dict[Path_, str] = {(normalize_unit_name(name),): name}
        for s in summaries:
            if _overlap(mine, _covered(s)):
                return UnitStatus(
                    name, category, Status.REPORTED, file=s.path, note=f"含在“{s.name}”的汇总表中"
                )
        return UnitStatus(name, category, Status.MISSING, on_roster=on_roster)
    counted = [f for f in own if f.included]
    win = counted[0] if counted else max(own, key=_File.order)
    person, phone = _contact(win, spec)
    date = win.data.date if win.data else None
    others = [f"{f.path}：{f.reason}" for f in own if f is not win]
    if not counted:
        inside = [f for f in own if f.double_counted]
        if inside:
            status, note = Status.DUPLICATE, inside[0].reason
        else:
            status = Status.ERRORS
            note = "；".join(f"{f.path}：{f.reason}" for f in own)
        return UnitStatus(
            name, category, status, "", paths, date, person, phone, note, on_roster=on_roster
        )
    notes: list[str] = []
    late = _late(win, spec)
    if late:
        assert date is not None and spec.deadline is not None
        days = (date - spec.deadline).days
        notes.append(f"逾期 {days} 天（日期 {date.isoformat()}，截止 {spec.deadline.isoformat()}）")
    if len(own) > 1:
        status = Status.DUPLICATE
        notes.insert(0, f"共 {len(own)} 份，计入 {win.path}")
        notes.extend(others)
    else:
        status = Status.LATE if late else Status.REPORTED
    return UnitStatus(
        name,
        category,
        status,
        win.path,
        paths,
        date,
        person,
        phone,
        "；".join(notes),
        on_roster=on_roster,
    )


def _issued_to(f: _File) -> str:
    identity = f.data.identity if f.data is not None else None
    return identity.issued_to if identity is not None else ""


def _file_facts(f: _File) -> tuple[str, int]:
    """sha256 and size of a file: from the return when it was read, else from the file itself
    (an unreadable file is still listed with its hash)."""
    if f.data is not None and f.data.sha256:
        return f.data.sha256, f.data.size
    if not f.result.source:
        return "", 0
    digest = hashlib.sha256()
    size = 0
    try:
        with open(f.result.source, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    except OSError:
        return "", 0
    return digest.hexdigest(), size


def _accepted_note(r: FileResult) -> str:
    """The cells the clerk accepted (``--accept``), for the file's line in 来源文件."""
    cells = [f"{x.cell}＝{x.value}" for x in r.findings if x.code == "value.accepted"]
    return f"经办人已核实确认（--accept）：{'、'.join(cells)}" if cells else ""


def _source_file(f: _File) -> SourceFile:
    r, d = f.result, f.data
    sha256, size = _file_facts(f)
    return SourceFile(
        path=r.path,
        source=r.source,
        sha256=sha256,
        size=size,
        unit=r.unit,
        roster_unit=r.roster_unit,
        category=r.category,
        date=d.date if d else None,
        is_summary=f.is_summary,
        included=f.included,
        reason="；".join(filter(None, [f.reason, _accepted_note(r)])),
        copy_of=f.copy_of,
        findings=tuple(r.findings) + tuple(f.extra),
    )
