"""The registry of finding codes: every code the tool can report, with its level, its short
title, what it means, how it is fixed and the templates of its messages, in one table
(``codes.toml`` beside this module, loaded once).

Codes are stable: scripts, the JSON output and the README rely on them. ``findings.finding``
refuses a code that is not here; the checks take their messages' templates from here
(``message``) and fill in the details (the cell, the value, the number expected); and the
README's table of codes is rendered from here (``scripts/codes_table.py``, checked by a test),
so none of them can drift from the others.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from types import MappingProxyType

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True)
class Code:
    """One finding code. ``title`` is what the 校验结果 sheet shows in a few words; ``meaning``
    and ``fix`` are what the README says of it; ``messages`` are the templates of its messages
    by name (``main`` the usual one)."""

    code: str
    severity: Severity
    title: str
    meaning: str
    fix: str
    messages: Mapping[str, str] = field(default_factory=dict)


def _load() -> dict[str, Code]:
    text = (
        resources.files(__package__ or "shuangyong_cli.model")
        .joinpath(REGISTRY)
        .read_text(encoding="utf-8")
    )
    codes = {}
    for entry in tomllib.loads(text)["code"]:
        code = Code(
            code=entry["code"],
            severity=Severity(entry["level"]),
            title=entry["title"],
            meaning=entry["meaning"],
            fix=entry["fix"],
            messages=MappingProxyType(dict(entry.get("messages", {}))),
        )
        codes[code.code] = code
    return codes


#: The registry's file, beside this module.
REGISTRY = "codes.toml"

#: code → its entry, in the registry's order (the README's order).
CODES: Mapping[str, Code] = MappingProxyType(_load())


def message(code: str, name: str = "main") -> str:
    """The template of one of ``code``'s messages; a KeyError names what is missing."""
    try:
        return CODES[code].messages[name]
    except KeyError:
        raise KeyError(f"no message {name!r} of finding code {code!r}") from None


#: The prefix of the merge's own findings (its decisions about files): not counted again.
MERGE_PREFIX = "merge."


def markdown_table() -> str:
    """The README's table of codes."""
    lines = ["| 代码 | 级别 | 含义 | 怎样改 |", "|---|---|---|---|"]
    for c in CODES.values():
        lines.append(f"| `{c.code}` | {c.severity.label} | {c.meaning} | {c.fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - python -m shuangyong_cli.model.codes
    print(markdown_table(), end="")
