"""Double counting across levels of summaries: a unit's own return beside a summary that includes
it, or two summaries that include the same unit.

Summaries nest: a summary records the units it includes (its identity sheet), as paths
``街道/社区`` relative to itself, so a summary of summaries records ``区/街道/社区``. Two paths
name the same unit when one is a suffix of the other, component by component, so a unit is caught
at any level without confusing ``甲区/区民政局`` with ``乙区/区民政局``.
"""

from __future__ import annotations

from collections.abc import Iterable

from shuangyong_cli.model import Severity, message
from shuangyong_cli.season.candidates import MergeFile
from shuangyong_cli.season.roster import normalize_unit_name
from shuangyong_cli.season.totals import PATH_SEP

Path_ = tuple[str, ...]


def _path(text: str) -> Path_:
    return tuple(normalize_unit_name(p) for p in text.split(PATH_SEP) if p.strip())


def _covered(f: MergeFile) -> dict[Path_, str]:
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
    more = message("merge.double_counted", "units_more").format(count=len(items))
    return shown + (more if len(items) > limit else "")


def _first_clash(f: MergeFile, kept: list[MergeFile]) -> tuple[MergeFile, list[str]] | None:
    """The first counted summary that includes a unit ``f`` covers, with the units shared."""
    for k in kept:
        names = _overlap(_covered(f), _covered(k))
        if names:
            return k, names
    return None


def resolve_double_counting(winners: list[MergeFile]) -> list[MergeFile]:
    """A unit must count once: of summaries that include the same unit, the one covering more
    units counts; a unit's own return beside a summary that includes it does not count (the
    summary already holds its numbers)."""
    summaries = sorted(
        (f for f in winners if f.is_summary),
        key=lambda f: (len(f.includes), f.order()),
        reverse=True,
    )
    kept: list[MergeFile] = []
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
            message("merge.double_counted", "summaries").format(
                path=s.path, name=s.name, kept=k.path, kept_name=k.name, units=_names(names)
            ),
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
            message("merge.double_counted").format(
                name=f.name, path=f.path, summary=s.path, summary_name=s.name, units=_names(names)
            ),
        )
        s.add(
            "merge.double_counted",
            message("merge.double_counted", "summary_side").format(
                path=s.path, name=s.name, unit=names[0], other=f.path
            ),
            severity=Severity.WARNING,
        )
    counted.sort(key=lambda f: f.index)
    return counted


def summary_including(name: str, summaries: Iterable[MergeFile]) -> MergeFile | None:
    """The first summary that includes the unit ``name`` (at any level), or None."""
    mine: dict[Path_, str] = {(normalize_unit_name(name),): name}
    return next((s for s in summaries if _overlap(mine, _covered(s))), None)
