"""What every step of learning shares: the blank, its merged ranges, the draft being built and the
inferences recorded, with the small look-ups the steps use."""

from __future__ import annotations

import re
from collections.abc import Iterable

from shuangyong_cli.learn.blank import Blank, Pos
from shuangyong_cli.learn.model import Confidence, DColumn, Draft, Inference
from shuangyong_cli.learn.words import (
    text_of,
)
from shuangyong_cli.model.grid import CellValue, a1


class Context:
    """One run of learning over one blank: the state the steps (``header``, ``body``,
    ``fields``, ``rules``) read and write."""

    def __init__(self, blank: Blank, form_id: str = "learned") -> None:
        self.blank = blank
        self.sheet = blank.sheet
        self.inferences: list[Inference] = []
        self.draft = Draft(id=form_id, sheet=blank.sheet.name, source=str(blank.path))
        self._top_left: dict[Pos, Pos] = {}
        self._range: dict[Pos, tuple[int, int, int, int]] = {}
        for r1, c1, r2, c2 in self.sheet.merged:
            self._range[(r1, c1)] = (r1, c1, r2, c2)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self._top_left[(r, c)] = (r1, c1)
        rows = [r for r, _ in self.sheet.cells] or [1]
        self.last_row = max(rows)
        self.note_unit: tuple[str, str] | None = None  # (unit, A1)
        self._kind_why: dict[int, dict[str, tuple[Confidence, str]]] = {}

    def note(
        self,
        what: str,
        where: str,
        confidence: Confidence,
        why: str,
        key: str = "",
        choices: Iterable[str] = (),
    ) -> None:
        self.inferences.append(Inference(what, where, confidence, why, key, tuple(choices)))

    def raw(self, row: int, col: int) -> CellValue | None:
        return self.sheet.get(row, col)

    def text(self, row: int, col: int) -> str:
        return text_of(self.sheet.get(row, col))

    def span(self, row: int, col: int) -> tuple[int, int, int, int]:
        """The merged range a cell heads, or the cell itself."""
        return self._range.get((row, col), (row, col, row, col))

    def covered(self, row: int, col: int) -> bool:
        """Inside a merged range but not its first cell."""
        tl = self._top_left.get((row, col))
        return tl is not None and tl != (row, col)

    def row_texts(self, row: int) -> list[tuple[int, str]]:
        return sorted(
            (c, text_of(v)) for (r, c), v in self.sheet.cells.items() if r == row and text_of(v)
        )


def span_a1(row: int, cols: list[DColumn]) -> str:
    first, last = cols[0].col, cols[-1].col
    if first == last:
        return a1(row, first)
    if last - first + 1 == len(cols):
        return f"{a1(row, first)}:{a1(row, last)}"
    return ",".join(a1(row, c.col) for c in cols)


def looks_like_note(text: str) -> bool:
    return bool(re.match(r"^\s*[\d一二三四五六七八九十]+[、.．]", text))


def unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate)
    return candidate


def row_list(draft: Draft, ids: list[str]) -> str:
    names = [draft.row(i).label or draft.row(i).seq for i in ids]
    if len(names) > 4:
        return f"“{names[0]}”至“{names[-1]}” {len(names)} 行"
    return "、".join(f"“{n}”" for n in names)
