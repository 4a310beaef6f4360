"""Fixtures shared by the tests of every package: the blank form as the tool writes it, one
filled return, and a small season (returns in a folder and their roster).

The tests are organised as the packages are (``model/``, ``reading/``, ``checking/``,
``season/``, ``writing/``, ``cli/``), plus ``hostile/`` (files and runs meant to break the tool)
and the checks of the repository itself at the top. Workbooks are built in code by the helper
modules beside this file: ``returnfiles`` (a return filled as a unit fills it), ``scenarios`` and
``seasons`` (districts of returns as data), ``formgrid`` (a form as a Grid), ``producers`` and
``reader_cases`` (the same return in each producer's bytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from returnfiles import SPEC, plausible, write_return
from shuangyong_cli.writing.template import write_template


@pytest.fixture(scope="session")
def blank_form(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The blank form as ``shuangyong template`` writes it. Shared: copy it before changing it."""
    return write_template(SPEC, tmp_path_factory.mktemp("blank") / "空白.xlsx")


@pytest.fixture
def filled_return(tmp_path: Path) -> Path:
    """One clean return: 城东街道's, filled in as a unit fills the form."""
    return write_return(tmp_path / "城东街道.xlsx", "城东街道", plausible(1, "街道"))


@dataclass(frozen=True)
class Season:
    """A folder of returns and the roster they answer to."""

    inbox: Path
    roster: Path
    missing: tuple[str, ...]
    """Roster units with no file in ``inbox``."""


@pytest.fixture
def season_folder(tmp_path: Path) -> Season:
    """Two clean returns (城东街道, 濯水镇) in 回收/, and a roster of three units: 黎水镇 has
    not reported."""
    inbox = tmp_path / "回收"
    inbox.mkdir()
    write_return(inbox / "城东街道.xlsx", "城东街道", plausible(1, "街道"))
    write_return(inbox / "濯水镇.xlsx", "濯水镇", plausible(2, "乡镇"))
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,单位类别\n城东街道,街道\n濯水镇,乡镇\n黎水镇,乡镇\n", encoding="utf-8"
    )
    return Season(inbox, roster, ("黎水镇",))
