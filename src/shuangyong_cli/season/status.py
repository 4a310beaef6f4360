"""The board before the deadline: who has reported, who has not, and how many days are left.

``build_board`` takes what the validate pipeline found (a ``Report`` matched to the roster), the
roster, the deadline and today's date, and gives a ``Board``. Every unit's status is decided by
``merge.merge_results``, the same decision the 报送情况 sheet of a summary shows (已报 / 未报 /
逾期 / 有误 / 重复), so the board and the summary never disagree. ``today`` is a parameter: the
board is the same on every run for the same files and the same day.
The 催报名单 workbook is drawn by ``writing.chase_list`` from ``Board.chase_rows`` and
``Board.notes``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shuangyong_cli.model import MERGE_PREFIX, FormSpec, Report, Severity
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.roster import Roster
from shuangyong_cli.season.totals import Status, Summary, UnitStatus

#: Statuses in the order the board counts them.
STATUS_ORDER = (Status.REPORTED, Status.MISSING, Status.ERRORS, Status.LATE, Status.DUPLICATE)

#: Stable JSON keys of the statuses.
STATUS_KEYS = {
    Status.REPORTED: "reported",
    Status.MISSING: "missing",
    Status.ERRORS: "errors",
    Status.LATE: "late",
    Status.DUPLICATE: "duplicate",
}

#: The units to chase: no return at all, or only returns that cannot count.
CHASE = (Status.MISSING, Status.ERRORS)

CHASE_SHEET = "催报名单"
CHASE_HEADER = ("序号", "单位类别", "单位名称", "状态", "联系人", "联系电话", "说明")


@dataclass(frozen=True)
class Board:
    """The reporting progress on one day."""

    today: dt.date
    deadline: dt.date | None
    files: int
    """Files read (lock files and system files not counted)."""
    statuses: tuple[UnitStatus, ...]
    """Every roster unit, in roster order."""
    unlisted: tuple[UnitStatus, ...]
    """Units not on the roster that sent a return."""
    categories: tuple[str, ...]
    """Category order (the form's), for sorting lists."""
    unattributed: tuple[str, ...] = ()
    """Files that cannot be put to any unit (unreadable, or 填报单位 left blank): one of them may
    be the return of a unit shown as 未报."""
    fixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """For each unit 有误: what its files' errors say to fix (the same words as ``validate``)."""
    unknown: tuple[str, ...] = ()
    """For each return whose 填报单位 is not on the roster: the file and what the check said
    (the roster's nearest names, when there are some)."""

    def chase_rows(self) -> list[tuple[str, str, str, str, str, str]]:
        """The 催报名单's rows as the terminal and the workbook show them: 单位类别, 单位名称,
        状态, 联系人, 联系电话, 说明 (what to tell the unit)."""
        return [
            (
                s.category,
                s.name,
                s.status.value,
                s.contact,
                s.phone,
                chase_note(s, self.fixes.get(s.name, ())),
            )
            for s in self.to_chase
        ]

    def notes(self) -> list[str]:
        """What the terminal says under the list, and the 催报名单 prints under its table: the
        returns of units not on the roster (each may be a 未报 unit's, typed otherwise), and
        the files that cannot be put to any unit."""
        lines = [f"未列入名册的报表：{text}" for text in self.unknown]
        # Files whose name names a unit are already on that unit's line (收到文件“…”).
        placed = {path for s in self.statuses for path in s.unusable}
        rest = [path for path in self.unattributed if path not in placed]
        if rest and self.missing:
            lines.append(
                f"另有 {len(rest)} 个文件无法确定是哪个单位的"
                f"（无法读取或未填填报单位），其中可能有上列未报单位的报表："
                + "、".join(rest)
                + "。可用 shuangyong validate 查看原因。"
            )
        return lines

    @property
    def counts(self) -> dict[Status, int]:
        """Roster units by status, every status present (0 included), in ``STATUS_ORDER``."""
        return {st: sum(1 for s in self.statuses if s.status is st) for st in STATUS_ORDER}

    @property
    def days_left(self) -> int | None:
        """Days from today to the deadline: 0 on the day, negative after it; None without one."""
        return None if self.deadline is None else (self.deadline - self.today).days

    def _sorted(self, wanted: Sequence[Status]) -> tuple[UnitStatus, ...]:
        order = {name: i for i, name in enumerate(self.categories)}
        units = [s for s in self.statuses if s.status in wanted]
        # Stable: roster order within a category.
        return tuple(sorted(units, key=lambda s: order.get(s.category, len(order))))

    @property
    def missing(self) -> tuple[UnitStatus, ...]:
        """未报: no file at all; by category (the form's order), then roster order."""
        return self._sorted((Status.MISSING,))

    @property
    def errors(self) -> tuple[UnitStatus, ...]:
        """有误: files sent, none can count."""
        return self._sorted((Status.ERRORS,))

    @property
    def to_chase(self) -> tuple[UnitStatus, ...]:
        """未报 and 有误 together, by category then roster order: the 催报名单."""
        return self._sorted(CHASE)

    @property
    def complete(self) -> bool:
        return not self.to_chase

    def deadline_line(self) -> str:
        """截止日期 2020-08-14，还有 2 天 / 今天截止 / 已过截止日期 3 天."""
        days = self.days_left
        if self.deadline is None or days is None:
            return "表式未规定截止日期（可用 --deadline 指定）"
        when = f"截止日期 {self.deadline.isoformat()}"
        if days > 0:
            return f"{when}，还有 {days} 天"
        if days == 0:
            return f"{when}，今天截止"
        return f"{when}，已过截止日期 {-days} 天"

    def headline(self) -> str:
        """名册共 97 个单位：已报 60，未报 13，有误 5，逾期 2，重复 3."""
        counts = "，".join(f"{st.value} {n}" for st, n in self.counts.items())
        line = f"名册共 {len(self.statuses)} 个单位：{counts}"
        if self.unlisted:
            line += f"；另有未列入名册的单位 {len(self.unlisted)} 个"
        return line

    def final_line(self) -> str:
        """The last line on the terminal."""
        counts = self.counts
        if self.complete:
            head = f"名册中 {len(self.statuses)} 个单位均已报送"
        else:
            head = f"未报 {counts[Status.MISSING]} 个，有误 {counts[Status.ERRORS]} 个"
        return f"截至 {self.today.isoformat()}：{head}；{self.deadline_line()}。"

    def to_dict(self) -> dict[str, Any]:
        def unit(s: UnitStatus) -> dict[str, Any]:
            return {
                "name": s.name,
                "category": s.category,
                "status": STATUS_KEYS[s.status],
                "status_label": s.status.value,
                "contact": s.contact,
                "phone": s.phone,
                "file": s.file,
                "files": list(s.files),
                "date": s.date.isoformat() if s.date else None,
                "note": s.note,
                "unusable_files": list(s.unusable),
                "fixes": list(self.fixes.get(s.name, ())),
            }

        return {
            "today": self.today.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_left": self.days_left,
            "files": self.files,
            "roster_units": len(self.statuses),
            "counts": {STATUS_KEYS[st]: n for st, n in self.counts.items()},
            "unlisted": len(self.unlisted),
            "complete": self.complete,
            "missing": [unit(s) for s in self.missing],
            "errors": [unit(s) for s in self.errors],
            "units": [unit(s) for s in self.statuses],
            "unlisted_units": [unit(s) for s in self.unlisted],
            "unattributed_files": list(self.unattributed),
            "notes": self.notes(),
        }


def build_board(
    report: Report,
    spec: FormSpec,
    roster: Roster,
    *,
    today: dt.date,
    deadline: dt.date | None = None,
) -> Board:
    """The board for the files of ``report`` (validated with ``roster``) on ``today``.
    ``deadline`` overrides the form's; statuses (逾期 included) are judged against it."""
    if deadline is not None:
        spec = dataclasses.replace(spec, deadline=deadline)
    summary = merge_results(report.files, spec, roster, name="", date=None, general=report.general)
    return Board(
        today=today,
        deadline=spec.deadline,
        files=len(report.files),
        statuses=tuple(s for s in summary.statuses if s.on_roster),
        unlisted=tuple(s for s in summary.statuses if not s.on_roster),
        categories=tuple(dict.fromkeys([*roster.categories, *(u.category for u in roster)])),
        unattributed=tuple(
            r.path for r in report.files if not r.roster_unit and (r.data is None or not r.unit)
        ),
        fixes=_fixes(report, summary),
        unknown=tuple(
            f"{r.path}：{f.message}"
            for r in report.files
            for f in r.findings
            if f.code == "roster.unknown_unit"
        ),
    )


def _fixes(report: Report, summary: Summary) -> dict[str, tuple[str, ...]]:
    by_path = {r.path: r for r in report.files}
    fixes: dict[str, tuple[str, ...]] = {}
    for s in summary.statuses:
        if s.status is not Status.ERRORS:
            continue
        messages = [
            f.message
            for path in (s.files or (s.file,))
            if path in by_path
            for f in by_path[path].findings
            if f.severity is Severity.ERROR and not f.code.startswith(MERGE_PREFIX)
        ]
        fixes[s.name] = tuple(dict.fromkeys(messages))
    return fixes


# -- 催报名单 ------------------------------------------------------------------------------------


_RESEND = re.compile(r"重新(?:报送|发送)|再报送|报送(?:下发|填好|其中)")
"""The reason already asks for the file again: 请重新发送完整的文件, …另存为…再报送,
请去除打开密码后重新报送, 请报送下发的 Excel 统计表, 请报送其中的统计表."""


def chase_note(s: UnitStatus, fixes: Sequence[str] = ()) -> str:
    """What to tell the unit on the phone: for a return with errors, what to correct."""
    if s.status is Status.MISSING:
        if s.unusable:  # files named for the unit came but cannot be used: the note says why
            # and often already how (请重新发送完整的文件): the advice is not said twice
            return s.note if _RESEND.search(s.note) else f"{s.note}；请重新报送"
        return f"未收到报表（{s.note}）" if s.note else "未收到报表"
    head = f"报表有误，需改正后重新报送（{s.note}）" if s.note else "报表有误，需改正后重新报送"
    return head + ("：" + "".join(fixes) if fixes else "")
