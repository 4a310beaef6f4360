"""frame.returns_frame: the returns that count, as a long pandas table, summing to the merge."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.season.frame import COLUMNS, returns_frame
from shuangyong_cli.season.inbox import validate_paths
from shuangyong_cli.season.merge import merge_results
from shuangyong_cli.season.roster import load_roster

pandas = pytest.importorskip("pandas")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_frame_sums_to_the_merge_to_the_cent() -> None:
    df = returns_frame([EXAMPLES / "回收"], roster=EXAMPLES / "名册.csv")
    assert tuple(df.columns) == COLUMNS
    spec = load_form()
    roster = load_roster(EXAMPLES / "名册.csv", spec)
    report = validate_paths([EXAMPLES / "回收"], spec, roster=roster)
    summary = merge_results(report.files, spec, roster, name="区", date=None)
    units = {u.name for c in summary.categories for u in c.units}
    assert set(df["单位"]) == units
    assert len(df) == len(units) * len(summary.total)
    assert all(type(v) is Decimal for v in df["数值"])
    for (row_id, col_id), total in summary.total.items():
        cell = df[(df["行"] == row_id) & (df["列"] == col_id)]
        assert sum(cell["数值"], Decimal(0)) == total, (row_id, col_id)
    cash = df[(df["项目"] == "合计") & (df["栏目"] == "慰问款物（万元）/慰问金")]
    assert sum(cash["数值"], Decimal(0)) == summary.total[("total", "cash")]
    one = df[df["单位"] == "阿蓬江镇"]
    assert set(one["来源文件"]) == {"附件阿蓬江镇.xlsx"}
    assert set(one["单位类别"]) == {"乡镇"}


def test_the_cli_never_imports_pandas() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from shuangyong_cli.cli.app import cli; "
        "from shuangyong_cli.cli.commands import merge, status, template, validate; "
        "assert 'pandas' not in sys.modules, 'pandas imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
