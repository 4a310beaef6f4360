"""A district's returns built in code, for the merge and everything written from it.

``scenario()`` builds a district of 35 roster units over all seven categories, with every case the
merge must handle (errors, duplicates, late, unlisted, missing, summaries). Used by the tests of
the merge, the summary, the status board and the comparison.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from shuangyong_cli.model.findings import FileResult, Finding, finding
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.model.identity import Identity
from shuangyong_cli.model.returns import CellKey, ReturnData
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.roster import Roster, RosterUnit
from shuangyong_cli.season.totals import UNLISTED, Status, Summary

SPEC = load_form()


DEADLINE = dt.date(2020, 8, 14)


HYPERLINK = '=HYPERLINK("http://x","y")'


# The form's rows by FORM.md, written out here so the expected sums do not reuse merge.py's rules.
SUB_ROWS = [
    "anti_japanese",
    "korean_war",
    "martyr_family",
    "military_family",
    "disabled",
    "veterans",
    "other_objects",
]


INPUT_MONEY_ROWS = ["troops", *SUB_ROWS, "hardship"]


COUNT_ONLY_ROWS = ["merit_notices", "honor_plaques", "gatherings", "services"]


ROSTER_NAMES: dict[str, list[str]] = {
    "乡镇": ["石会镇", "黑溪镇", "黄溪镇", "黎水镇", "金溪镇"],
    "街道": ["城东街道", "城南街道", "城西街道", "正阳街道", "舟白街道"],
    "区委各部委": ["区委办公室", "区委组织部", "区委宣传部", "区委统战部", "区委政法委"],
    "区级国家机关各部门": ["区民政局", "区财政局", "区教委", "区卫生健康委", "区退役军人事务局"],
    "人民团体": ["区总工会", "团区委", "区妇联", "区科协", "区残联"],
    "区属企事业单位": ["区城投集团", "区人民医院", "区中医院", "区供电公司", "区自来水公司"],
    "驻黔部队": ["武警黔江中队", "消防救援大队", "区人武部", "某部一营", "某部二营"],
}


MISSING = ["黎水镇", "区委政法委", "区科协"]


NO_CONTACT = {"金溪镇", "区残联"}


def independent_cells(inputs: Mapping[CellKey, Decimal]) -> dict[CellKey, Decimal]:
    """FORM.md's computations, spelled out (not via FormSpec rules)."""
    v: dict[CellKey, Decimal] = {}
    for r in INPUT_MONEY_ROWS:
        for c in ("qty", "cash", "goods"):
            v[(r, c)] = inputs.get((r, c), Decimal(0))
    for r in COUNT_ONLY_ROWS:
        v[(r, "qty")] = inputs.get((r, "qty"), Decimal(0))
    for c in ("qty", "cash", "goods"):
        v[("objects", c)] = sum((v[(r, c)] for r in SUB_ROWS), Decimal(0))
    for c in ("cash", "goods"):
        v[("total", c)] = v[("troops", c)] + v[("objects", c)] + v[("hardship", c)]
    for r in [*INPUT_MONEY_ROWS, "objects", "total"]:
        v[(r, "subtotal")] = v[(r, "cash")] + v[(r, "goods")]
    return v


def add_up(parts: Iterable[Mapping[CellKey, Decimal]]) -> dict[CellKey, Decimal]:
    total: dict[CellKey, Decimal] = {}
    for p in parts:
        for k, x in p.items():
            total[k] = total.get(k, Decimal(0)) + x
    return independent_cells(total)


def random_inputs(rng: random.Random) -> dict[CellKey, Decimal]:
    out: dict[CellKey, Decimal] = {}
    for r in INPUT_MONEY_ROWS:
        if rng.random() < 0.3:
            continue  # a row the unit left blank
        out[(r, "qty")] = Decimal(rng.randint(1, 40))
        out[(r, "cash")] = Decimal(rng.randint(0, 2000)) / 100
        out[(r, "goods")] = Decimal(rng.randint(0, 1500)) / 100
    for r in COUNT_ONLY_ROWS:
        out[(r, "qty")] = Decimal(rng.randint(0, 9))
    return out


def make_return(
    path: str,
    unit: str,
    inputs: Mapping[CellKey, Decimal],
    date: dt.date | None,
    *,
    mtime: float = 1_597_000_000.0,
    sha: str | None = None,
    remarks: Mapping[str, str] | None = None,
    identity: Identity | None = None,
    empty: bool = False,
    filler: str = "",
    phone: str = "",
) -> ReturnData:
    values = independent_cells(inputs)
    return ReturnData(
        path=path,
        sheet="统计表",
        unit=unit,
        date=date,
        values=values,
        remarks=dict(remarks or {}),
        fields={
            "unit": unit,
            "date": date.isoformat() if date else "",
            "filler": filler,
            "phone": phone,
        },
        empty=empty,
        identity=identity,
        sha256=sha or hashlib.sha256(path.encode()).hexdigest(),
        size=9000 + len(path),
        mtime=mtime,
    )


def make_result(
    data: ReturnData | None,
    path: str,
    *,
    roster_unit: str = "",
    category: str = "",
    findings: Iterable[Finding] = (),
) -> FileResult:
    return FileResult(
        path=path,
        findings=list(findings),
        unit=data.unit if data else "",
        roster_unit=roster_unit,
        category=category,
        data=data,
        source=f"/回收/{path}",
    )


def bad_cell(path: str) -> Finding:
    return finding(
        "value.not_number",
        "单元格 E6「走访慰问驻黔部队 / 慰问金」应为数字，实际为“约5”；"
        "请填写确切金额（万元），如 5 或 5.00。",
        file=path,
        sheet="统计表",
        cell="E6",
        field="走访慰问驻黔部队 / 慰问金",
        value="约5",
    )


@dataclass
class Scenario:
    results: list[FileResult]
    roster: Roster
    inputs: dict[str, dict[CellKey, Decimal]]
    """The inputs of every file built, by path."""
    included: dict[str, str] = field(default_factory=dict)
    """Expected: path → category of each return that counts."""
    statuses: dict[str, Status] = field(default_factory=dict)

    def expected_total(self, category: str | None = None) -> dict[CellKey, Decimal]:
        return add_up(self.inputs[p] for p, c in self.included.items() if category in (None, c))


def scenario(seed: int = 8) -> Scenario:
    rng = random.Random(seed)
    units = []
    line = 2
    for cat, names in ROSTER_NAMES.items():
        for n in names:
            contact = "" if n in NO_CONTACT else f"{n[-3:]}联络员"
            phone = "" if n in NO_CONTACT else f"138{line:08d}"
            units.append(RosterUnit(n, cat, (), contact, phone, line))
            line += 1
    roster = Roster(units=tuple(units), categories=tuple(c.name for c in SPEC.categories))
    cat_of = {u.name: u.category for u in units}
    results: list[FileResult] = []
    inputs: dict[str, dict[CellKey, Decimal]] = {}
    sc = Scenario(results, roster, inputs)
    counter = iter(range(1, 1000))

    def add(
        unit: str,
        *,
        typed: str | None = None,
        date: dt.date | None = dt.date(2020, 8, 12),
        on_roster: bool = True,
        findings: Iterable[Finding] = (),
        same_as: str | None = None,
        counted: bool = True,
        **kw: object,
    ) -> str:
        path = f"{next(counter):02d}_{unit}.xlsx"
        vals = dict(inputs[same_as]) if same_as else random_inputs(rng)
        inputs[path] = vals
        data = make_return(path, typed or unit, vals, date, **kw)  # type: ignore[arg-type]
        errors = list(findings)
        for f in errors:
            object.__setattr__(f, "file", path)
        results.append(
            make_result(
                data,
                path,
                roster_unit=unit if on_roster else "",
                category=cat_of[unit] if on_roster else "",
                findings=errors,
            )
        )
        if counted:
            sc.included[path] = cat_of[unit] if on_roster else UNLISTED
        return path

    # Every roster unit but the missing and the special ones: one clean return.
    special = {
        "黑溪镇", "城东街道", "城西街道", "正阳街道", "区民政局", "区财政局", "区教委",
        "区总工会", "区中医院", "消防救援大队", "金溪镇",
    }  # fmt: skip
    for u in units:
        if u.name in MISSING or u.name in special:
            continue
        add(u.name, date=dt.date(2020, 8, rng.randint(5, 14)))
        sc.statuses[u.name] = Status.REPORTED
    for name in MISSING:
        sc.statuses[name] = Status.MISSING
    # A near-matched name, with the contact only in the return and a stale typed total.
    add("金溪镇", typed="金溪镇人民政府（盖章）", filler="王五", phone="023-79222222")
    sc.results[-1].data.values[("total", "cash")] = Decimal("999")  # type: ignore[union-attr]
    sc.statuses["金溪镇"] = Status.REPORTED
    # Errors only.
    add("区教委", findings=[bad_cell("")], counted=False)
    add("区中医院", findings=[bad_cell("")], counted=False)
    sc.statuses["区教委"] = sc.statuses["区中医院"] = Status.ERRORS
    # An empty return (checks report it as an error too).
    add(
        "正阳街道",
        findings=[finding("return.empty", "所有数值格均为空。")],
        empty=True,
        counted=False,
    )
    inputs[sc.results[-1].path] = {}
    sc.statuses["正阳街道"] = Status.ERRORS
    # A bad file and a corrected one.
    add("黑溪镇", findings=[bad_cell("")], counted=False, date=dt.date(2020, 8, 10))
    add("黑溪镇", date=dt.date(2020, 8, 11), remarks={"troops": HYPERLINK})
    sc.statuses["黑溪镇"] = Status.DUPLICATE
    # The same file twice (same sha256): counted once.
    first = add("区民政局", sha="a" * 64, counted=False, typed="民政局（盖章）")
    add("区民政局", sha="a" * 64, same_as=first, typed="民政局（盖章）")
    sc.statuses["区民政局"] = Status.DUPLICATE
    # Re-saved with the same values, later date: counted once (the later one).
    first = add("城东街道", date=dt.date(2020, 8, 9), counted=False)
    add("城东街道", date=dt.date(2020, 8, 10), same_as=first)
    sc.statuses["城东街道"] = Status.DUPLICATE
    # Two different returns: the later date wins, even when it comes first.
    add("区财政局", date=dt.date(2020, 8, 13), mtime=1.0)
    add("区财政局", date=dt.date(2020, 8, 11), mtime=2.0, counted=False)
    sc.statuses["区财政局"] = Status.DUPLICATE
    # Same date: the later modification time wins.
    add("区总工会", date=dt.date(2020, 8, 12), mtime=5.0, counted=False)
    add("区总工会", date=dt.date(2020, 8, 12), mtime=4.0, counted=False)
    sc.included[sc.results[-2].path] = "人民团体"
    sc.statuses["区总工会"] = Status.DUPLICATE
    # Late.
    add("消防救援大队", date=dt.date(2020, 8, 16))
    sc.statuses["消防救援大队"] = Status.LATE
    # Not on the roster.
    cat_of["区融媒体中心"] = UNLISTED
    add("区融媒体中心", on_roster=False, remarks={"hardship": "含春节结转"})
    sc.statuses["区融媒体中心"] = Status.REPORTED
    # A street's summary of its communities, and one community that also sent its own return.
    summary_identity = Identity(
        form_id=SPEC.id, kind="summary", summary_name="城西街道", included=("社区甲", "社区乙")
    )
    add("城西街道", identity=summary_identity)
    sc.statuses["城西街道"] = Status.REPORTED
    cat_of["社区甲"] = UNLISTED
    add("社区甲", on_roster=False, counted=False)
    sc.statuses["社区甲"] = Status.DUPLICATE
    # A file that could not be read at all.
    results.append(
        FileResult(
            path="99_坏文件.xlsx",
            findings=[finding("file.corrupt", "文件已损坏。", file="99_坏文件.xlsx")],
            source="/nonexistent/99_坏文件.xlsx",
        )
    )
    return sc


def merged(sc: Scenario, **kw: object) -> Summary:
    return merge_results(sc.results, SPEC, sc.roster, name="黔江区", date=None, **kw)  # type: ignore[arg-type]
