"""Who each return is from: its 填报单位 matched to the roster (near matches, unknown units),
several files for one unit, roster units with no file (未报), and a copy made for another unit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import PurePath

from shuangyong_cli.checking.sink import at
from shuangyong_cli.model import (
    FileResult,
    Report,
    Severity,
    finding,
    message,
)
from shuangyong_cli.season.roster import Roster, normalize_unit_name

MSG_FILE_NAME_OTHER = message("roster.file_name_other")

MSG_OTHER_UNITS_COPY = message("roster.other_units_copy")
MSG_UNKNOWN_UNIT = message("roster.unknown_unit")
MSG_CLOSE = message("roster.unknown_unit", "close")
MSG_NONE_CLOSE = message("roster.unknown_unit", "none_close")
MSG_NEAR_MATCH = message("roster.near_match")
MSG_NOT_REPORTED = message("roster.not_reported")
MSG_NOT_REPORTED_UNUSABLE = message("roster.not_reported", "unusable")
MSG_CONTACT = message("roster.not_reported", "contact")
MSG_PERSON = message("roster.not_reported", "person")
MSG_PHONE = message("roster.not_reported", "phone")
MSG_DUPLICATE = message("roster.duplicate")
MSG_UNIT_MISSING = message("header.unit_missing")
MSG_ALSO_OWN = message("roster.other_units_copy", "also_own")
MSG_SAME_AS_COPY = message("roster.near_match", "same_as_copy")
MSG_SAME_AS_FILE_NAME = message("roster.near_match", "same_as_file_name")


def issued_to(r: FileResult) -> str:
    """The unit this return's copy was made for (``template --roster``), or ""."""
    identity = r.data.identity if r.data is not None else None
    return identity.issued_to if identity is not None else ""


def _same_unit(a: str, b: str, roster: Roster | None) -> bool:
    if normalize_unit_name(a) == normalize_unit_name(b):
        return True
    if roster is None:
        return False
    ma, mb = roster.match(a), roster.match(b)
    return ma is not None and mb is not None and ma.unit.name == mb.unit.name


def _counted_as(name: str, r: FileResult, roster: Roster | None) -> bool:
    """Whether ``r`` is counted as the roster unit ``name`` means (a slip in its 填报单位
    matched to the unit its copy was issued to: ``match_roster``)."""
    if roster is None or not r.roster_unit:
        return False
    m = roster.match(name)
    return m is not None and m.unit.name == r.roster_unit


def flag_other_units_copies(report: Report, roster: Roster | None) -> None:
    """A copy made for one unit and filled in by another: the 填报单位 says who reported, but
    the unit the copy was made for may be the one that has not, and one of the two names may be
    a slip. Said as a warning with both names. Without such a record (a blank form, a form
    retyped by the unit), a file name that names another roster unit is a weaker hint (提示)."""
    names = FileNames(roster) if roster is not None else None
    files_of: dict[str, list[str]] = defaultdict(list)
    for r in report.files:
        if r.roster_unit:
            files_of[r.roster_unit].append(r.path)
    for r in report.files:
        if r.data is None or not r.unit:
            continue
        cell = r.data.field_addresses.get("unit", "")
        issued = issued_to(r)
        if issued:
            if not _same_unit(issued, r.unit, roster) and not _counted_as(issued, r, roster):
                also = _also_own(issued, r, roster, files_of)
                r.findings.append(
                    finding(
                        "roster.other_units_copy",
                        MSG_OTHER_UNITS_COPY.format(issued=issued, unit=r.unit) + also,
                        file=r.path,
                        sheet=r.data.sheet,
                        cell=cell,
                        field="填报单位",
                        value=r.unit,
                    )
                )
            continue
        named = names.unit_in(r.path) if names is not None else None
        if (
            named is not None
            and not _same_unit(named, r.unit, roster)
            and not _counted_as(named, r, roster)
        ):
            # a weaker clue (提示), unless the unit named sent a return of its own as well
            also = "" if r.roster_unit else _also_own(named, r, roster, files_of)
            r.findings.append(
                finding(
                    "roster.file_name_other",
                    MSG_FILE_NAME_OTHER.format(file=PurePath(r.path).name, named=named, unit=r.unit)
                    + also,
                    file=r.path,
                    sheet=r.data.sheet,
                    cell=cell,
                    field="填报单位",
                    value=r.unit,
                    severity=Severity.WARNING if also else None,
                )
            )


def _also_own(
    name: str, r: FileResult, roster: Roster | None, files_of: dict[str, list[str]]
) -> str:
    """When the unit a copy was made for (or a file is named for) sent a return of its own as
    well: if this one is also its own (its name typed wrong), both would be counted."""
    m = roster.match(name) if roster is not None else None
    own = [p for p in files_of.get(m.unit.name, []) if p != r.path] if m is not None else []
    return MSG_ALSO_OWN.format(issued=name, others="、".join(own)) if own else ""


class FileNames:
    """Which roster unit a file's name names: its full name or an alias, the longest one found
    anywhere in the name (ties: the greater unit name). Built once per roster: the names (two
    characters or more) by their first two characters, so that at each position of a file's
    name only the names starting there are tried, instead of every name against every file (a
    roster of 1,000 units and 1,000 files made that a million substring tests; one regular
    expression of every name took longer to compile than the matching it saved)."""

    def __init__(self, roster: Roster) -> None:
        owner = {name: u.name for u in roster for name in (u.name, *u.aliases) if len(name) >= 2}
        self._owner = owner
        by_start: dict[str, list[str]] = {}
        for name in sorted(owner, key=len, reverse=True):  # longest first
            by_start.setdefault(name[:2], []).append(name)
        self._by_start = by_start

    def unit_in(self, path: str) -> str | None:
        """The roster unit ``path``'s name names, or None when it names none."""
        stem = PurePath(path).stem
        by_start, owner = self._by_start, self._owner
        best: tuple[int, str] | None = None
        for i in range(len(stem) - 1):
            for name in by_start.get(stem[i : i + 2], ()):
                if best is not None and len(name) < best[0]:
                    break  # the rest are shorter still
                if stem.startswith(name, i):
                    found = (len(name), owner[name])
                    if best is None or found > best:
                        best = found
                    break  # the longest name here; a shorter one cannot be the longest
        return best[1] if best is not None else None


def match_roster(report: Report, roster: Roster) -> None:
    """Match each return's 填报单位 to the roster; report near matches, unknown units, several
    files for one unit, and roster units with no file (未报)."""
    for r in report.files:
        if r.data is None or not r.unit:
            continue
        m = roster.match(r.unit)
        cell = r.data.field_addresses.get("unit", "")
        sheet = r.data.sheet
        if m is None:
            close = roster.candidates(r.unit)
            hint = (
                MSG_CLOSE.format(names="、".join(u.name for u in close))
                if close
                else MSG_NONE_CLOSE
            )
            r.findings.append(
                finding(
                    "roster.unknown_unit",
                    MSG_UNKNOWN_UNIT.format(unit=r.unit, hint=hint),
                    file=r.path,
                    sheet=sheet,
                    cell=cell,
                    field="填报单位",
                    value=r.unit,
                )
            )
            continue
        r.roster_unit = m.unit.name
        r.category = m.unit.category
        if not m.exact:
            r.findings.append(
                finding(
                    "roster.near_match",
                    MSG_NEAR_MATCH.format(unit=r.unit, how=m.how, name=m.unit.name),
                    file=r.path,
                    sheet=sheet,
                    cell=cell,
                    field="填报单位",
                    value=r.unit,
                )
            )
    _sent_again_with_a_slip(report, roster)
    flag_duplicates(report.files, key=lambda r: r.roster_unit)
    sent = unusable_by_file_name(report.files, roster)
    _name_the_unit_to_type(sent)
    _flag_not_reported(report, roster, sent)


def _sent_again_with_a_slip(report: Report, roster: Roster) -> None:
    """A 填报单位 in no roster (黄西镇) on a copy issued to a roster unit, or else in a file named
    for one (黄溪镇), whose numbers are exactly those of a file counted as that unit: the same
    return sent again with its name corrected (or the other way round). It is taken as that
    unit's, so that the two count once (``flag_duplicates``), and a near match says why. With
    other numbers it stays a unit not in the roster, counted on its own: a similar name alone
    does not make a return another unit's (城南街道 may fill in the copy 城东街道 passed on)."""
    counted: dict[str, list[FileResult]] = defaultdict(list)
    for r in report.files:
        if r.roster_unit and r.data is not None and not r.data.empty:
            counted[r.roster_unit].append(r)
    if not counted:
        return
    names: FileNames | None = None
    for r in report.files:
        data = r.data
        if r.roster_unit or data is None or data.empty or not r.unit:
            continue
        if r.errors or (data.identity is not None and data.identity.is_summary):
            continue  # refused cells count 0: the same numbers are not known; a summary
        issued = issued_to(r)
        if issued:
            m = roster.match(issued)
            unit, how = (m.unit if m is not None else None), MSG_SAME_AS_COPY
        else:
            names = names or FileNames(roster)
            named = names.unit_in(r.path)
            unit, how = (roster.get(named) if named else None), MSG_SAME_AS_FILE_NAME
        if unit is None:
            continue
        same = [
            g
            for g in counted.get(unit.name, ())
            if g.data and not g.errors and g.data.values == data.values
        ]
        if not same:
            continue
        r.roster_unit, r.category = unit.name, unit.category
        r.findings[:] = [f for f in r.findings if f.code != "roster.unknown_unit"]
        said = how.format(name=unit.name, other=same[0].path)
        r.findings.append(
            finding(
                "roster.near_match",
                MSG_NEAR_MATCH.format(unit=r.unit, how=said, name=unit.name),
                file=r.path,
                sheet=data.sheet,
                cell=data.field_addresses.get("unit", ""),
                field="填报单位",
                value=r.unit,
            )
        )


def _name_the_unit_to_type(sent: dict[str, list[FileResult]]) -> None:
    """A file with 填报单位 blank, named after a roster unit (黄溪镇八一统计表.xlsx): the name
    to type there is that unit's (如“黄溪镇”), not the general example."""
    for unit, files in sent.items():
        for r in files:
            r.findings[:] = [
                replace(f, message=at(f.cell, f.field) + MSG_UNIT_MISSING.format(example=unit))
                if f.code == "header.unit_missing"
                else f
                for f in r.findings
            ]


def _flag_not_reported(report: Report, roster: Roster, sent: dict[str, list[FileResult]]) -> None:
    """A general finding for every roster unit no file was matched to (未报); for a unit whose
    name is in the name of a file that could not be used (unreadable, no 填报单位: ``sent``,
    by ``unusable_by_file_name``), it says the file came but cannot be counted, as 报送情况
    does."""
    reported = {r.roster_unit for r in report.files if r.roster_unit}
    for unit in roster.units:
        if unit.name in reported:
            continue
        contact = "，".join(
            x
            for x in (
                MSG_PERSON.format(person=unit.contact) if unit.contact else "",
                MSG_PHONE.format(phone=unit.phone) if unit.phone else "",
            )
            if x
        )
        said = MSG_CONTACT.format(contact=contact) if contact else ""
        files = sent.get(unit.name)
        if files:
            text = MSG_NOT_REPORTED_UNUSABLE.format(
                unit=unit.name,
                category=unit.category,
                files="、".join(f"“{r.path}”" for r in files),
                contact=said,
            )
        else:
            text = MSG_NOT_REPORTED.format(unit=unit.name, category=unit.category, contact=said)
        report.general.append(
            finding("roster.not_reported", text, field="填报单位", value=unit.name)
        )


def unusable_by_file_name(
    results: Iterable[FileResult], roster: Roster
) -> dict[str, list[FileResult]]:
    """Files that belong to no unit (unreadable, no 填报单位), by the roster unit their file
    name names: for a unit with no return, the file it probably sent."""
    out: dict[str, list[FileResult]] = defaultdict(list)
    names: FileNames | None = None
    for r in results:
        if r.roster_unit or (r.data is not None and r.unit):
            continue
        names = names or FileNames(roster)
        named = names.unit_in(r.path)
        if named is not None:
            out[named].append(r)
    return out


def flag_duplicates(results: Iterable[FileResult], key: Callable[[FileResult], str]) -> None:
    groups: dict[str, list[FileResult]] = defaultdict(list)
    for r in results:
        k = key(r)
        if k:
            groups[k].append(r)
    for members in groups.values():
        if len(members) < 2:
            continue
        for r in members:
            others = "、".join(o.path for o in members if o is not r)
            name = r.roster_unit or r.unit
            r.findings.append(
                finding(
                    "roster.duplicate",
                    MSG_DUPLICATE.format(name=name, others=others),
                    file=r.path,
                    field="填报单位",
                    value=r.unit,
                )
            )
