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
Double counting across nested summaries is ``season.double_counting``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import PurePath

from shuangyong_cli.model import (
    FileResult,
    Finding,
    FormSpec,
    ReturnData,
    Severity,
    message,
)
from shuangyong_cli.season.candidates import MergeFile
from shuangyong_cli.season.double_counting import resolve_double_counting, summary_including
from shuangyong_cli.season.matching import unusable_by_file_name
from shuangyong_cli.season.roster import Roster, normalize_unit_name
from shuangyong_cli.season.sums import ZERO, compute_cells, input_cells, sum_values
from shuangyong_cli.season.totals import (
    UNLISTED,
    CategoryTotal,
    SourceFile,
    Status,
    Summary,
    UnitRow,
    UnitStatus,
)

MSG_TIE = message("merge.duplicate_replaced", "tie")
MSG_LATER = message("merge.duplicate_replaced", "later")


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
    files = [MergeFile(i, r, r.data) for i, r in enumerate(results)]
    usable = [f for f in files if _usable(f)]
    winners = _resolve_duplicates(usable, spec)
    counted = resolve_double_counting(winners)
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


def _usable(f: MergeFile) -> bool:
    """Whether a file can count at all; if not, say why (reason and a merge.excluded error)."""
    r = f.result
    if r.data is None or r.errors:
        titles = list(dict.fromkeys(x.title for x in r.findings if x.severity is Severity.ERROR))
        n = r.errors
        if r.data is None:
            what = message("merge.excluded", "not_read") + (
                message("merge.excluded", "titles").format(titles="、".join(titles))
                if titles
                else ""
            )
        else:
            what = message("merge.excluded", "errors").format(count=n, titles="、".join(titles))
        f.reason = f"{what}，未计入"
        f.add("merge.excluded", message("merge.excluded").format(path=f.path, what=what))
        return False
    if r.data.empty:
        f.reason = "空表（所有数值格均未填写），未计入"
        f.add("merge.excluded", message("merge.excluded", "empty").format(path=f.path))
        return False
    norm = normalize_unit_name(r.unit) if r.unit else ""
    if not r.roster_unit and not norm:
        f.reason = "未填填报单位，未计入"
        f.add("merge.excluded", message("merge.excluded", "no_unit").format(path=f.path))
        return False
    f.key = ("roster", r.roster_unit) if r.roster_unit else ("typed", norm)
    return True


def _same_values(a: ReturnData, b: ReturnData, spec: FormSpec) -> bool:
    cells = input_cells(spec)
    return [a.values.get(c, ZERO) for c in cells] == [b.values.get(c, ZERO) for c in cells] and (
        {k: v.strip() for k, v in a.remarks.items() if v.strip()}
        == {k: v.strip() for k, v in b.remarks.items() if v.strip()}
    )


def _show_date(d: ReturnData | None) -> str:
    if d is not None and d.date:
        return message("merge.duplicate_replaced", "date").format(date=d.date.isoformat())
    return message("merge.duplicate_replaced", "no_date")


_COPY_NAME = re.compile(
    r"(?:(?:副本|复件|拷贝|copy)(?:\s*[(（]?\d{1,2}[)）]?)?|[(（]\d{1,2}[)）])$", re.I
)
"""The end of the name of a copy: ``统计表 - 副本``, ``统计表 - Copy (2)``, ``统计表 副本 2``,
``统计表(1)`` (a browser's or a chat program's second download of the same attachment); not
``统计表(2020)``."""


def _plain_name_first(win: MergeFile, members: list[MergeFile]) -> MergeFile:
    """Of the files byte for byte identical to ``win``, the one to count: a file whose name is
    not a copy's (``… - 副本``, ``…(1)``), so that 报送情况 and 来源文件 name the file the unit
    sent; the numbers are the same whichever counts. Only when it still comes after every
    file with other contents (date, then modification time), so that what the others are told
    (以日期较晚者为准) stays true of it."""
    if not _COPY_NAME.search(PurePath(win.path).stem):
        return win
    assert win.data is not None
    sha = win.data.sha256
    if not sha:
        return win
    twins: list[MergeFile] = []
    others: list[MergeFile] = []
    for f in members:
        same = f.data is not None and f.data.sha256 == sha
        (twins if same else others).append(f)
    plain = [f for f in twins if not _COPY_NAME.search(PurePath(f.path).stem)]
    if not plain:
        return win
    best = max(plain, key=MergeFile.order)
    if any(f.order() > best.order() for f in others):
        return win
    return best


def _resolve_duplicates(usable: list[MergeFile], spec: FormSpec) -> list[MergeFile]:
    """One file per unit: identical copies count once; of different ones the later wins."""
    groups: dict[tuple[str, str], list[MergeFile]] = defaultdict(list)
    for f in usable:
        groups[f.key].append(f)
    winners: list[MergeFile] = []
    for members in groups.values():
        win = _plain_name_first(max(members, key=MergeFile.order), members)
        winners.append(win)
        replaced: list[MergeFile] = []
        for f in members:
            if f is win:
                continue
            assert f.data is not None and win.data is not None
            if f.data.sha256 and f.data.sha256 == win.data.sha256:
                how = message("merge.duplicate_identical", "same_file")
            elif _same_values(f.data, win.data, spec):
                how = message("merge.duplicate_identical", "same_values")
            else:
                replaced.append(f)
                continue
            f.reason = f"与 {win.path} {how}，只计一次"
            f.copy_of = win.path
            f.add(
                "merge.duplicate_identical",
                message("merge.duplicate_identical").format(
                    path=f.path, kept=win.path, name=win.name, how=how
                ),
            )
        if not replaced:
            continue
        assert win.data is not None
        tie = any(f.order()[:2] == win.order()[:2] for f in replaced)
        why = MSG_TIE if tie else MSG_LATER
        for f in replaced:
            f.reason = (
                f"同一单位另有不同的报表 {win.path}（{_show_date(win.data)}），以其为准，未计入"
            )
            f.add(
                "merge.duplicate_replaced",
                message("merge.duplicate_replaced").format(
                    name=win.name,
                    date=_show_date(f.data),
                    kept=win.path,
                    kept_date=_show_date(win.data),
                    why=why,
                ),
            )
        other = message("merge.duplicate_replaced", "other")
        others = "、".join(other.format(path=f.path, date=_show_date(f.data)) for f in replaced)
        win.reason = f"同一单位另有不同的报表 {others}，以本表为准"
        win.add(
            "merge.duplicate_replaced",
            message("merge.duplicate_replaced", "kept").format(
                name=win.name, date=_show_date(win.data), others=others, why=why
            ),
        )
    winners.sort(key=lambda f: f.index)
    return winners


# -- rows, categories, statuses ------------------------------------------------------------------


def _late(f: MergeFile, spec: FormSpec) -> bool:
    d = f.data.date if f.data else None
    return spec.deadline is not None and d is not None and d > spec.deadline


def _unit_row(f: MergeFile, spec: FormSpec) -> UnitRow:
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
    files: list[MergeFile], rows: dict[int, UnitRow], spec: FormSpec, roster: Roster | None
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


def _contact(f: MergeFile | None, spec: FormSpec) -> tuple[str, str]:
    """填表人 and 联系电话 typed in a return (fields found by their labels)."""
    if f is None or f.data is None:
        return "", ""
    by_label = {fl.label: fl.id for fl in spec.fields}
    person = f.data.fields.get(by_label.get("填表人", ""), "")
    phone = f.data.fields.get(by_label.get("联系电话", ""), "")
    return person.strip(), phone.strip()


def _statuses(
    files: list[MergeFile], spec: FormSpec, roster: Roster | None
) -> tuple[UnitStatus, ...]:
    by_unit: dict[str, list[MergeFile]] = defaultdict(list)
    unlisted: dict[str, list[MergeFile]] = defaultdict(list)
    for f in files:
        if f.result.roster_unit:
            by_unit[f.result.roster_unit].append(f)
        elif f.data is not None and f.result.unit and normalize_unit_name(f.result.unit):
            unlisted[normalize_unit_name(f.result.unit)].append(f)
    summaries = [f for f in files if f.included and f.is_summary]
    # Copies made for one unit (template --roster) that another unit filled in.
    borrowed: dict[str, list[MergeFile]] = defaultdict(list)
    borrowers: set[int] = set()
    for f in files:
        if any(x.code == "roster.other_units_copy" for x in f.result.findings):
            issued = _issued_to(f)
            m = roster.match(issued) if roster is not None else None
            borrowed[m.unit.name if m is not None else issued].append(f)
            borrowers.add(f.index)
    unusable = _unusable_by_file_name(files, roster)
    out: list[UnitStatus] = []
    for unit in roster.units if roster is not None else ():
        own = by_unit.get(unit.name, [])
        status = _status(unit.name, unit.category, own, spec, summaries, on_roster=True)
        notes = [status.note] if status.note else []
        sent = unusable.get(unit.name, []) if status.status is Status.MISSING else []
        notes += [_unusable_note(f) for f in sent]
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
                unusable=tuple(f.path for f in sent),
            )
        )
    for members in unlisted.values():
        name = " ".join(members[0].result.unit.split())
        out.append(_status(name, UNLISTED, members, spec, summaries, on_roster=False))
    return tuple(out)


def _status(
    name: str,
    category: str,
    own: list[MergeFile],
    spec: FormSpec,
    summaries: list[MergeFile],
    *,
    on_roster: bool,
) -> UnitStatus:
    paths = tuple(f.path for f in own)
    if not own:
        s = summary_including(name, summaries)
        if s is not None:
            return UnitStatus(
                name, category, Status.REPORTED, file=s.path, note=f"含在“{s.name}”的汇总表中"
            )
        return UnitStatus(name, category, Status.MISSING, on_roster=on_roster)
    counted = [f for f in own if f.included]
    win = counted[0] if counted else max(own, key=MergeFile.order)
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


def _issued_to(f: MergeFile) -> str:
    identity = f.data.identity if f.data is not None else None
    return identity.issued_to if identity is not None else ""


def _file_facts(f: MergeFile) -> tuple[str, int]:
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


def _source_file(f: MergeFile) -> SourceFile:
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


def _unusable_by_file_name(
    files: list[MergeFile], roster: Roster | None
) -> dict[str, list[MergeFile]]:
    """Files that belong to no unit, by the roster unit their file name names
    (``matching.unusable_by_file_name``)."""
    if roster is None:
        return {}
    of = {id(f.result): f for f in files}
    found = unusable_by_file_name([f.result for f in files], roster)
    return {unit: [of[id(r)] for r in results] for unit, results in found.items()}


def _unusable_note(f: MergeFile) -> str:
    """收到文件“…”（按文件名是本单位的），但无法使用：why."""
    why = next((x.message for x in f.result.findings if x.severity is Severity.ERROR), "")
    said = f"收到文件“{f.path}”（按文件名是本单位的），但无法使用"
    return f"{said}：{why.rstrip('。')}" if why else said
