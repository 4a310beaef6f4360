"""Meta-tests: every command and option has help text and is documented in the README; every
finding code is in the README's table; .ci/run runs the README's test command."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from shuangyong_cli.cli.app import cli
from shuangyong_cli.model.codes import CODES, markdown_table

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def test_every_command_is_documented() -> None:
    assert COMMANDS == ["form", "merge", "status", "template", "validate"]
    for name in COMMANDS:
        assert f"### shuangyong {name}" in README, name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help_and_is_in_the_readme(name: str) -> None:
    command = cli.commands[name]
    assert command.help and "建设中" not in command.help
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        assert param.help, f"{name} {param.opts} has no help"
        longest = max(param.opts, key=len)
        assert longest in README, f"README does not mention {name} {longest}"


@pytest.mark.parametrize("name", ["validate", "merge", "status"])
def test_the_readme_synopsis_lists_every_option(name: str) -> None:
    """The command's synopsis under its heading (the code block starting ``shuangyong <name>
    文件或文件夹...``) lists every option ``--help`` shows, not only the prose below it."""
    found = re.search(rf"```\n(shuangyong {name} 文件或文件夹\.\.\..*?)```", README, re.S)
    assert found is not None, name
    synopsis = found.group(1)
    for param in cli.commands[name].params:
        if isinstance(param, click.Option) and not param.hidden and param.name != "help":
            longest = max(param.opts, key=len)
            shortest = min(param.opts, key=len)
            assert longest in synopsis or shortest in synopsis, f"{name} {longest}"


def test_every_finding_code_is_in_the_readme() -> None:
    section = README.split("## 发现代码", 1)[1].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", section, flags=re.M)
    assert documented == list(CODES)


def test_the_readme_table_of_codes_is_rendered_from_the_registry() -> None:
    """``python scripts/codes_table.py`` renders it; a code changed in ``model.codes`` and not
    rendered again fails here."""
    assert "<!-- codes:start -->\n" + markdown_table() + "<!-- codes:end -->" in README


def test_ci_runs_the_readme_test_command() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README, flags=re.S)
    assert blocks[0].startswith("pip install . && shuangyong merge examples/回收")  # as a user
    test_command = blocks[1]
    assert test_command == "pip install -e '.[test]' && python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci


def test_help_starts_fast_without_heavy_imports() -> None:
    code = (
        "import sys; from shuangyong_cli.cli.app import cli; "
        "mods = ('openpyxl', 'pandas', 'rich', 'python_calamine'); "
        "heavy = [m for m in mods if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_readme_stands_alone_in_the_repository() -> None:
    """Every link of the README points inside the repository, at a file that exists: a user has
    the project, nothing beside it."""
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README)
    assert links, "the README links to its pictures and docs"
    for link in links:
        assert "://" not in link or link.startswith("https://"), link
        if "://" in link:
            continue
        target = (ROOT / link).resolve()
        assert ROOT in target.parents, f"{link} points outside the repository"
        assert target.exists(), f"{link} does not exist"
    assert "../" not in README
    for doc in ("docs/通知原文.txt", "docs/表式.md"):
        assert f"({doc})" in README
