"""One season's returns together: the roster, which files count (duplicates, copies of
another unit), exact sums, reporting status, and the comparison with last season.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuangyong_cli import lazy_exports

if TYPE_CHECKING:
    from shuangyong_cli.season.accept import Acceptance, apply_acceptances, parse_acceptance
    from shuangyong_cli.season.comparison import (
        SWING_DEFAULT,
        Comparison,
        Level,
        Line,
        compare,
        money_unit,
        shown_value,
    )
    from shuangyong_cli.season.earlier import read_earlier
    from shuangyong_cli.season.inbox import collect_files, cycle_collector, validate_paths
    from shuangyong_cli.season.layout import (
        CHART_SHEET,
        COMPARE_SHEET,
        DETAIL_LEAD,
        DETAIL_SHEET,
        DETAIL_TAIL,
        FILES_SHEET,
        FINDINGS_SHEET,
        META_DETAIL_CELL,
        META_FAMILY,
        META_SUMMARY_DATE,
        STATUS_SHEET,
        SUMMARY_SHEET,
        detail_columns,
        item_name,
    )
    from shuangyong_cli.season.merge import merge_results
    from shuangyong_cli.season.roster import Roster, RosterUnit, load_roster
    from shuangyong_cli.season.status import CHASE_HEADER, CHASE_SHEET, Board, build_board
    from shuangyong_cli.season.sums import numeric_cells
    from shuangyong_cli.season.totals import UNLISTED, Status, Summary, UnitRow

#: name → the module that defines it, imported on first use (``lazy_exports``).
_EXPORTS = {
    "Acceptance": "shuangyong_cli.season.accept",
    "Board": "shuangyong_cli.season.status",
    "CHART_SHEET": "shuangyong_cli.season.layout",
    "CHASE_HEADER": "shuangyong_cli.season.status",
    "CHASE_SHEET": "shuangyong_cli.season.status",
    "COMPARE_SHEET": "shuangyong_cli.season.layout",
    "Comparison": "shuangyong_cli.season.comparison",
    "DETAIL_LEAD": "shuangyong_cli.season.layout",
    "DETAIL_SHEET": "shuangyong_cli.season.layout",
    "DETAIL_TAIL": "shuangyong_cli.season.layout",
    "FILES_SHEET": "shuangyong_cli.season.layout",
    "FINDINGS_SHEET": "shuangyong_cli.season.layout",
    "Level": "shuangyong_cli.season.comparison",
    "Line": "shuangyong_cli.season.comparison",
    "META_DETAIL_CELL": "shuangyong_cli.season.layout",
    "META_FAMILY": "shuangyong_cli.season.layout",
    "META_SUMMARY_DATE": "shuangyong_cli.season.layout",
    "Roster": "shuangyong_cli.season.roster",
    "RosterUnit": "shuangyong_cli.season.roster",
    "STATUS_SHEET": "shuangyong_cli.season.layout",
    "SUMMARY_SHEET": "shuangyong_cli.season.layout",
    "SWING_DEFAULT": "shuangyong_cli.season.comparison",
    "Status": "shuangyong_cli.season.totals",
    "Summary": "shuangyong_cli.season.totals",
    "UNLISTED": "shuangyong_cli.season.totals",
    "UnitRow": "shuangyong_cli.season.totals",
    "apply_acceptances": "shuangyong_cli.season.accept",
    "build_board": "shuangyong_cli.season.status",
    "collect_files": "shuangyong_cli.season.inbox",
    "compare": "shuangyong_cli.season.comparison",
    "cycle_collector": "shuangyong_cli.season.inbox",
    "detail_columns": "shuangyong_cli.season.layout",
    "item_name": "shuangyong_cli.season.layout",
    "load_roster": "shuangyong_cli.season.roster",
    "merge_results": "shuangyong_cli.season.merge",
    "money_unit": "shuangyong_cli.season.comparison",
    "numeric_cells": "shuangyong_cli.season.sums",
    "parse_acceptance": "shuangyong_cli.season.accept",
    "read_earlier": "shuangyong_cli.season.earlier",
    "shown_value": "shuangyong_cli.season.comparison",
    "validate_paths": "shuangyong_cli.season.inbox",
}

__all__ = [
    "CHART_SHEET",
    "CHASE_HEADER",
    "CHASE_SHEET",
    "COMPARE_SHEET",
    "DETAIL_LEAD",
    "DETAIL_SHEET",
    "DETAIL_TAIL",
    "FILES_SHEET",
    "FINDINGS_SHEET",
    "META_DETAIL_CELL",
    "META_FAMILY",
    "META_SUMMARY_DATE",
    "STATUS_SHEET",
    "SUMMARY_SHEET",
    "SWING_DEFAULT",
    "UNLISTED",
    "Acceptance",
    "Board",
    "Comparison",
    "Level",
    "Line",
    "Roster",
    "RosterUnit",
    "Status",
    "Summary",
    "UnitRow",
    "apply_acceptances",
    "build_board",
    "collect_files",
    "compare",
    "cycle_collector",
    "detail_columns",
    "item_name",
    "load_roster",
    "merge_results",
    "money_unit",
    "numeric_cells",
    "parse_acceptance",
    "read_earlier",
    "shown_value",
    "validate_paths",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
