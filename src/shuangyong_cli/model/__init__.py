"""What the tool knows, with no I/O: the form definition, findings and their codes, a
return's identity, the Grid a reader hands on, a return as checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuangyong_cli import lazy_exports

if TYPE_CHECKING:
    from shuangyong_cli.model.codes import MERGE_PREFIX, Severity, message
    from shuangyong_cli.model.errors import (
        CompareError,
        OutputError,
        RosterError,
        ShuangyongError,
        UnreadableFileError,
        UsageError,
        os_reason,
    )
    from shuangyong_cli.model.findings import FileResult, Finding, Report, count, finding
    from shuangyong_cli.model.form import (
        MONEY_UNITS,
        CellKind,
        Column,
        ColumnRole,
        Field,
        FormSpec,
        Row,
        ValueKind,
        per_form,
    )
    from shuangyong_cli.model.form_file import load_form
    from shuangyong_cli.model.grid import (
        CellError,
        CellValue,
        FormulaNoValue,
        Grid,
        Sheet,
        a1,
        col_letter,
        parse_a1,
    )
    from shuangyong_cli.model.identity import META_SHEET, Identity, read_identity
    from shuangyong_cli.model.returns import CellKey, ReturnData

#: name → the module that defines it, imported on first use (``lazy_exports``).
_EXPORTS = {
    "CellError": "shuangyong_cli.model.grid",
    "CellKey": "shuangyong_cli.model.returns",
    "CellKind": "shuangyong_cli.model.form",
    "CellValue": "shuangyong_cli.model.grid",
    "Column": "shuangyong_cli.model.form",
    "ColumnRole": "shuangyong_cli.model.form",
    "CompareError": "shuangyong_cli.model.errors",
    "Field": "shuangyong_cli.model.form",
    "FileResult": "shuangyong_cli.model.findings",
    "Finding": "shuangyong_cli.model.findings",
    "FormSpec": "shuangyong_cli.model.form",
    "FormulaNoValue": "shuangyong_cli.model.grid",
    "Grid": "shuangyong_cli.model.grid",
    "Identity": "shuangyong_cli.model.identity",
    "MERGE_PREFIX": "shuangyong_cli.model.codes",
    "META_SHEET": "shuangyong_cli.model.identity",
    "MONEY_UNITS": "shuangyong_cli.model.form",
    "OutputError": "shuangyong_cli.model.errors",
    "Report": "shuangyong_cli.model.findings",
    "ReturnData": "shuangyong_cli.model.returns",
    "RosterError": "shuangyong_cli.model.errors",
    "Row": "shuangyong_cli.model.form",
    "Severity": "shuangyong_cli.model.codes",
    "Sheet": "shuangyong_cli.model.grid",
    "ShuangyongError": "shuangyong_cli.model.errors",
    "UnreadableFileError": "shuangyong_cli.model.errors",
    "UsageError": "shuangyong_cli.model.errors",
    "ValueKind": "shuangyong_cli.model.form",
    "a1": "shuangyong_cli.model.grid",
    "col_letter": "shuangyong_cli.model.grid",
    "count": "shuangyong_cli.model.findings",
    "finding": "shuangyong_cli.model.findings",
    "load_form": "shuangyong_cli.model.form_file",
    "message": "shuangyong_cli.model.codes",
    "os_reason": "shuangyong_cli.model.errors",
    "parse_a1": "shuangyong_cli.model.grid",
    "per_form": "shuangyong_cli.model.form",
    "read_identity": "shuangyong_cli.model.identity",
}

__all__ = [
    "MERGE_PREFIX",
    "META_SHEET",
    "MONEY_UNITS",
    "CellError",
    "CellKey",
    "CellKind",
    "CellValue",
    "Column",
    "ColumnRole",
    "CompareError",
    "Field",
    "FileResult",
    "Finding",
    "FormSpec",
    "FormulaNoValue",
    "Grid",
    "Identity",
    "OutputError",
    "Report",
    "ReturnData",
    "RosterError",
    "Row",
    "Severity",
    "Sheet",
    "ShuangyongError",
    "UnreadableFileError",
    "UsageError",
    "ValueKind",
    "a1",
    "col_letter",
    "count",
    "finding",
    "load_form",
    "message",
    "os_reason",
    "parse_a1",
    "per_form",
    "read_identity",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
