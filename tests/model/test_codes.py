"""The registry of finding codes (``model/codes.toml``): complete, used, and the one source of
every finding's level, title and message templates."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from shuangyong_cli.model.codes import CODES, Severity, message
from shuangyong_cli.model.findings import finding

SRC = Path(__file__).resolve().parents[2] / "src" / "shuangyong_cli"


def _calls(name: str) -> list[tuple[str, ...]]:
    """The literal arguments of every call of ``name`` in the source."""
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == name
                and node.args
                and all(isinstance(a, ast.Constant) for a in node.args)
            ):
                found.append(tuple(str(a.value) for a in node.args))  # type: ignore[attr-defined]
    return found


def test_every_code_has_a_level_title_meaning_and_fix() -> None:
    for c in CODES.values():
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", c.code)
        assert isinstance(c.severity, Severity)
        assert c.title and c.meaning and c.fix, c.code


def test_every_code_has_a_message_template() -> None:
    """The registry is complete: no code's message is written at the call site alone."""
    assert [c.code for c in CODES.values() if not c.messages] == []


def test_every_message_template_in_the_registry_is_used() -> None:
    used = {(args[0], args[1] if len(args) > 1 else "main") for args in _calls("message")}
    listed = {(c.code, name) for c in CODES.values() for name in c.messages}
    assert listed == used


def test_every_code_the_source_names_is_registered() -> None:
    named = set()
    for path in SRC.rglob("*.py"):
        if path.name == "form_file.py":  # its "form.title", "form.family" are keys of a TOML file
            continue
        named |= set(
            re.findall(
                r'"((?:file|form|value|calc|return|header|roster|merge)\.[a-z_]+)"',
                path.read_text(encoding="utf-8"),
            )
        )
    assert named <= set(CODES)


def test_an_unknown_code_or_template_is_refused() -> None:
    with pytest.raises(KeyError, match=re.escape("value.nonsense")):
        finding("value.nonsense", "x")
    with pytest.raises(
        KeyError, match=re.escape("no message 'nonsense' of finding code 'value.guess'")
    ):
        message("value.guess", "nonsense")


def test_a_finding_takes_its_level_and_title_from_the_registry() -> None:
    f = finding("value.implausible", "x")
    assert (f.severity, f.title) == (Severity.ERROR, "金额偏大")
