"""The form's identity recorded inside a workbook, so a return can be recognised later.

Templates and summaries carry a very hidden sheet ``_shuangyong`` with key/value rows (column A
key, column B value). A sheet survives Excel, WPS and LibreOffice re-saves, and .xls conversion,
where custom document properties do not always. Summaries also list the units they include (key
``included``, one row each), so merging a summary beside one of its own units is caught. A copy
made for one unit (``template --roster``) records that unit (key ``issued_to``), so a copy filled
in by another unit is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shuangyong_cli.model.form import FormSpec
from shuangyong_cli.model.grid import Grid

META_SHEET = "_shuangyong"


@dataclass(frozen=True)
class Identity:
    form_id: str = ""
    form_version: str = ""
    fingerprint: str = ""
    kind: str = ""  # "template" or "summary"
    summary_name: str = ""
    included: tuple[str, ...] = field(default_factory=tuple)
    issued_to: str = ""
    """The unit a per-unit copy was made for (``template --roster``), "" for the blank form."""

    @property
    def is_summary(self) -> bool:
        return self.kind == "summary"


def identity_rows(
    spec: FormSpec,
    kind: str,
    *,
    summary_name: str = "",
    included: tuple[str, ...] = (),
    issued_to: str = "",
) -> list[tuple[str, str]]:
    """The rows to write into the meta sheet."""
    rows = [
        ("form_id", spec.id),
        ("form_version", spec.version),
        ("fingerprint", spec.fingerprint),
        ("kind", kind),
    ]
    if summary_name:
        rows.append(("summary_name", summary_name))
    if issued_to:
        rows.append(("issued_to", issued_to))
    rows.extend(("included", u) for u in included)
    return rows


def read_identity(grid: Grid) -> Identity | None:
    """The identity recorded in a workbook, or None when it has none."""
    sheet = grid.sheet(META_SHEET)
    if sheet is None:
        return None
    values: dict[str, str] = {}
    included: list[str] = []
    rows = sorted({r for r, _ in sheet.cells})
    for r in rows:
        key = sheet.get(r, 1)
        val = sheet.get(r, 2)
        if not isinstance(key, str):
            continue
        text = "" if val is None else str(val)
        if key == "included":
            included.append(text)
        else:
            values.setdefault(key, text)
    return Identity(
        form_id=values.get("form_id", ""),
        form_version=values.get("form_version", ""),
        fingerprint=values.get("fingerprint", ""),
        kind=values.get("kind", ""),
        summary_name=values.get("summary_name", ""),
        included=tuple(included),
        issued_to=values.get("issued_to", ""),
    )
