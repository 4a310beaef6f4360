"""Render the README's table of finding codes from the registry (``model.codes``).

    python scripts/codes_table.py          # rewrite the table in README.md
    python scripts/codes_table.py --check  # exit 1 when README.md differs from the registry

The table sits between the markers ``<!-- codes:start -->`` and ``<!-- codes:end -->``;
tests/test_docs.py checks it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shuangyong_cli.model.codes import markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- codes:start -->\n", "<!-- codes:end -->"


def rendered(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return head + START + markdown_table() + END + tail


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = rendered(text)
    if "--check" in argv:
        return 0 if new == text else 1
    if new != text:
        README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
