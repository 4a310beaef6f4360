"""The tool as a user installs it: only the runtime dependencies, so no lxml and no pandas.

openpyxl writes other XML when lxml is missing (a summary writer that matched openpyxl's bytes
once failed for every user that way), and pandas is an extra. Each command runs here in a
subprocess that cannot import either, from a folder outside the checkout, and writes workbooks
that hold the same values as those written with both installed, and that LibreOffice opens.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from hostile.builders import libreoffice_convert

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: Runs the console script's ``main`` with the named modules made unimportable.
_RUN = """
import sys
for name in sys.argv[1].split(","):
    if name:
        sys.modules[name] = None
import openpyxl.xml
if "lxml" in sys.argv[1]:
    assert not openpyxl.xml.LXML, "openpyxl still writes with lxml"
from shuangyong_cli.cli.app import main
sys.argv = ["shuangyong", *sys.argv[2:]]
main()
"""


def shuangyong(cwd: Path, *args: str | Path, blocked: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-c", _RUN, blocked, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )


def season(folder: Path, blocked: str) -> dict[str, Path]:
    """The README's season, run in ``folder``: every workbook the commands write."""
    folder.mkdir()
    inbox, roster = EXAMPLES / "回收", EXAMPLES / "名册.csv"
    runs = [
        ("template", "-o", "空白.xlsx"),
        ("template", "--roster", roster, "--out-dir", "下发"),
        (
            "validate",
            inbox,
            "--roster",
            roster,
            "-q",
            "--annotate",
            "退回",
            "--report",
            "校.xlsx",
        ),
        ("merge", inbox, "--roster", roster, "-q", "-o", "汇总.xlsx", "--name", "黔江区"),
        ("status", inbox, "--roster", roster, "--today", "2020-08-12", "--export", "催报.xlsx"),
    ]
    for args in runs:
        done = shuangyong(folder, *args, blocked=blocked)
        assert done.returncode in (0, 1), (args, done.stdout[-2000:], done.stderr[-2000:])
    written = {str(p.relative_to(folder)): p for p in sorted(folder.rglob("*.xlsx"))}
    assert {"空白.xlsx", "校.xlsx", "汇总.xlsx", "催报.xlsx"} <= set(written)
    assert sum(name.startswith("下发") for name in written) == 97  # one per roster unit
    assert sum(name.startswith("退回") for name in written) >= 9  # one per file with problems
    return written


def values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


@pytest.fixture(scope="module")
def seasons(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], dict[str, Path]]:
    base = tmp_path_factory.mktemp("别处")
    return season(base / "全装", ""), season(base / "用户", "lxml,pandas")


def test_without_lxml_every_workbook_holds_the_same_values(
    seasons: tuple[dict[str, Path], dict[str, Path]],
) -> None:
    full, plain = seasons
    assert full.keys() == plain.keys()
    for name in full:
        assert values(plain[name]) == values(full[name]), name


def test_without_lxml_a_summary_is_the_same_bytes_each_time(
    seasons: tuple[dict[str, Path], dict[str, Path]], tmp_path: Path
) -> None:
    _, plain = seasons
    again = shuangyong(
        tmp_path,
        "merge", EXAMPLES / "回收", "--roster", EXAMPLES / "名册.csv", "-q",
        "-o", "汇总.xlsx", "--name", "黔江区",
        blocked="lxml,pandas",
    )  # fmt: skip
    assert again.returncode == 1, again.stderr
    assert (tmp_path / "汇总.xlsx").read_bytes() == plain["汇总.xlsx"].read_bytes()


@pytest.mark.soffice
def test_libreoffice_opens_the_summary_written_without_lxml(
    seasons: tuple[dict[str, Path], dict[str, Path]], tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    full, plain = seasons
    src = tmp_path / "summary.xlsx"
    shutil.copy(plain["汇总.xlsx"], src)
    out = tmp_path / "lo"
    run = libreoffice_convert([src], "xlsx:Calc MS Excel 2007 XML", out, tmp_path / "profile")
    converted = out / "summary.xlsx"
    assert run.returncode == 0 and converted.exists(), run.stderr
    theirs = openpyxl.load_workbook(converted, data_only=True)["汇总表"]
    ours = openpyxl.load_workbook(full["汇总.xlsx"])["汇总表"]
    numbers = 0
    for row in ours.iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float):
                numbers += 1
                assert theirs[cell.coordinate].value == pytest.approx(cell.value, abs=1e-9)
    assert numbers > 40
