"""A sheet's text index: every cell's label key once, with its positions, the cells that may start
with a field's label and those holding the title, and the merged ranges; ``score`` says how much
of the form a sheet holds."""

from __future__ import annotations

from dataclasses import dataclass

from shuangyong_cli.checking.label_plan import LabelPlan
from shuangyong_cli.checking.labels import CACHE_LIMIT, cell_key, enumerator_stripped
from shuangyong_cli.model import Sheet

Pos = tuple[int, int]
"""A 1-based (row, column) position in a sheet."""


@dataclass
class SheetIndex:
    sheet: Sheet
    keys: dict[str, list[Pos]]
    merges: dict[Pos, tuple[int, int, int, int]]
    starts: list[tuple[Pos, str, str]]
    """(position, text, normalised text) of the text cells that may start with a field label."""
    titles: list[Pos]
    """Text cells that contain the form's title."""
    _variants: dict[str, list[Pos]] | None = None

    @classmethod
    def build(cls, sheet: Sheet, plan: LabelPlan) -> SheetIndex:
        keys: dict[str, list[Pos]] = {}
        starts: list[tuple[Pos, str, str]] = []
        titles: list[Pos] = []
        texts = plan.texts
        if len(texts) > CACHE_LIMIT:
            texts.clear()
        for pos, value in sheet.cells.items():
            t = type(value)
            if t is str:
                assert isinstance(value, str)
                info = texts.get(value)
                if info is None:
                    info = texts[value] = plan.text_info(value)
                n, k, start, is_title = info
                if start:
                    starts.append((pos, value, n))
                if is_title:
                    titles.append(pos)
            elif t is int:
                k = str(value)
            elif t is float:
                assert isinstance(value, float)
                if not value.is_integer():
                    continue
                k = str(int(value))
            else:
                k = cell_key(value) or ""
            if k:
                keys.setdefault(k, []).append(pos)
        merges = {(m[0], m[1]): m for m in sheet.merged}
        return cls(sheet, keys, merges, starts, titles)

    def variants(self) -> dict[str, list[Pos]]:
        """Keys with a leading enumerator (一、 1. （一） 其中：) removed, built on first use."""
        if self._variants is None:
            self._variants = {}
            for k, positions in self.keys.items():
                v = enumerator_stripped(k)
                if v and v != k:
                    self._variants.setdefault(v, []).extend(positions)
        return self._variants

    def bottom(self, pos: Pos) -> int:
        m = self.merges.get(pos)
        return m[2] if m else pos[0]

    def right(self, pos: Pos) -> int:
        m = self.merges.get(pos)
        return m[3] if m else pos[1]

    def score(self, plan: LabelPlan) -> int:
        n = sum(1 for _, key, _ in plan.columns if key in self.keys)
        n += sum(1 for _, key, _ in plan.rows if key in self.keys)
        if self.titles:
            n += 3
        return n
