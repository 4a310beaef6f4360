"""Two seasons of one district, built in code: last season's and this season's returns, for the
comparison and the summary's 同比 sheet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from scenarios import SPEC, bad_cell, make_result, make_return
from shuangyong_cli.model.form import FormSpec
from shuangyong_cli.model.returns import CellKey
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.roster import Roster, RosterUnit
from shuangyong_cli.season.totals import Summary

D = Decimal


Inputs = dict[CellKey, Decimal]


ROSTER = Roster(
    units=(
        RosterUnit("石会镇", "乡镇", (), "冉明", "023-79220001", 2),
        RosterUnit("黑溪镇", "乡镇", (), "向静", "023-79220002", 3),
        RosterUnit("城东街道", "街道", (), "赵军", "023-79220003", 4),
        RosterUnit("城南街道", "街道", (), "高小红", "023-79220004", 5),
        RosterUnit("黔江区民政局", "区级国家机关各部门", ("区民政局",), "王芳", "023-79220005", 6),
        RosterUnit("黔江区财政局", "区级国家机关各部门", ("区财政局",), "李伟", "023-79220006", 7),
        RosterUnit("黔江区总工会", "人民团体", ("区总工会",), "张勇", "023-79220007", 8),
        RosterUnit("武警黔江中队", "驻黔部队", (), "刘强", "023-79220008", 9),
    ),
    categories=tuple(c.name for c in SPEC.categories),
)


LAST: dict[str, Inputs] = {
    "城东街道": {
        ("troops", "qty"): D(2),
        ("troops", "cash"): D("1.00"),
        ("troops", "goods"): D("0.50"),
    },
    "城南街道": {
        ("military_family", "qty"): D(10),
        ("military_family", "cash"): D("0.80"),
        ("hardship", "qty"): D(3),
        ("hardship", "cash"): D("0.30"),
    },
    "石会镇": {
        ("honor_plaques", "qty"): D(100),
        ("anti_japanese", "qty"): D(1),
        ("anti_japanese", "cash"): D("0.10"),
    },
    "黑溪镇": {("troops", "qty"): D(1), ("troops", "cash"): D("0.20")},
    "黔江区民政局": {("veterans", "qty"): D(5), ("veterans", "cash"): D("0.50")},
    "黔江区财政局": {
        ("merit_notices", "qty"): D(2),
        ("troops", "qty"): D(1),
        ("troops", "cash"): D("0.40"),
    },
    "武警黔江中队": {("gatherings", "qty"): D(3)},
}


THIS: dict[str, Inputs] = {
    "城东街道": {
        ("troops", "qty"): D(2),
        ("troops", "cash"): D("4.50"),
        ("troops", "goods"): D("0.50"),
    },
    "城南街道": {("military_family", "qty"): D(10), ("military_family", "cash"): D("0.80")},
    "石会镇": {
        ("honor_plaques", "qty"): D(30),
        ("gatherings", "qty"): D(2),
        ("anti_japanese", "qty"): D(1),
        ("anti_japanese", "cash"): D("0.10"),
    },
    "黔江区民政局": {("veterans", "qty"): D(5), ("veterans", "cash"): D("0.50")},  # with an error
    "黔江区财政局": {
        ("merit_notices", "qty"): D(6),
        ("troops", "qty"): D(1),
        ("troops", "cash"): D("0.40"),
    },
    "黔江区总工会": {("troops", "qty"): D(1), ("troops", "cash"): D("0.30")},
    "武警黔江中队": {("gatherings", "qty"): D(3)},
}


THIS_ERRORS = {"黔江区民政局"}


def season(
    returns: Mapping[str, Inputs],
    *,
    spec: FormSpec = SPEC,
    errors: set[str] | frozenset[str] = frozenset(),
    date: dt.date = dt.date(2020, 8, 10),
) -> Summary:
    results = []
    for name, inputs in returns.items():
        path = f"{name}.xlsx"
        data = make_return(path, name, inputs, date)
        unit = ROSTER.get(name)
        assert unit is not None
        findings = [dataclasses.replace(bad_cell(path), file=path)] if name in errors else []
        results.append(
            make_result(data, path, roster_unit=name, category=unit.category, findings=findings)
        )
    return merge_results(results, spec, ROSTER, name="黔江区", date=None)
