"""Which roster unit a file's name names (``FileNames``): the same answer as trying every name
of the roster against the file's name, for the examples' roster and for random names."""

from __future__ import annotations

from pathlib import PurePath

from hypothesis import given, settings
from hypothesis import strategies as st

from returnfiles import ROSTER_CSV, SPEC
from shuangyong_cli.season.matching import FileNames
from shuangyong_cli.season.roster import Roster, load_roster

ROSTER = load_roster(ROSTER_CSV, SPEC)
NAMES = [n for u in ROSTER for n in (u.name, *u.aliases)]


def every_name(path: str, roster: Roster) -> str | None:
    """The definition: the longest roster name or alias (two characters or more) in the file's
    name, ties to the greater unit name."""
    stem = PurePath(path).stem
    found = [
        (len(name), u.name)
        for u in roster
        for name in (u.name, *u.aliases)
        if len(name) >= 2 and name in stem
    ]
    return max(found)[1] if found else None


def test_the_examples_file_names() -> None:
    names = FileNames(ROSTER)
    paths = [p.name for p in (ROSTER_CSV.parent / "回收").iterdir()]
    assert [names.unit_in(p) for p in paths] == [every_name(p, ROSTER) for p in paths]
    assert names.unit_in("附件：统计表（黔江区民政局）.xlsx") == "黔江区民政局"
    assert names.unit_in("统计表.xlsx") is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(NAMES), max_size=3),
    st.text(alphabet="区镇街道乡局-（）_附件：统计表 .", max_size=6),
)
def test_any_file_name(parts: list[str], glue: str) -> None:
    path = glue.join(parts) + glue + ".xlsx"
    assert FileNames(ROSTER).unit_in(path) == every_name(path, ROSTER)
