"""Workbooks out: the blank form and per-unit copies, the summary, the findings report, the
annotated copies; shared cell text, printing and atomic saving.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuangyong_cli import lazy_exports

if TYPE_CHECKING:
    from shuangyong_cli.writing.annotate import annotate_report, annotated_names
    from shuangyong_cli.writing.atomic import check_output
    from shuangyong_cli.writing.cell_text import display_width
    from shuangyong_cli.writing.report import write_report_xlsx
    from shuangyong_cli.writing.summary import write_summary
    from shuangyong_cli.writing.template import write_template
    from shuangyong_cli.writing.unit_copies import safe_filename, write_unit_copies

#: name → the module that defines it, imported on first use (``lazy_exports``).
_EXPORTS = {
    "annotate_report": "shuangyong_cli.writing.annotate",
    "annotated_names": "shuangyong_cli.writing.annotate",
    "check_output": "shuangyong_cli.writing.atomic",
    "display_width": "shuangyong_cli.writing.cell_text",
    "safe_filename": "shuangyong_cli.writing.unit_copies",
    "write_report_xlsx": "shuangyong_cli.writing.report",
    "write_summary": "shuangyong_cli.writing.summary",
    "write_template": "shuangyong_cli.writing.template",
    "write_unit_copies": "shuangyong_cli.writing.unit_copies",
}

__all__ = [
    "annotate_report",
    "annotated_names",
    "check_output",
    "display_width",
    "safe_filename",
    "write_report_xlsx",
    "write_summary",
    "write_template",
    "write_unit_copies",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
