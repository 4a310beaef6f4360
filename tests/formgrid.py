"""Returned forms built in code, as a reader would hand them on: ``Grid`` objects, no files.

``FormGrid`` lays the form out from its ``FormSpec`` the way the template draws it (sheet 统计表:
附件 in A1, the title merged over row 2, 填报单位/日期 on row 3, the two-level header on rows 4–5,
one body row per item from row 6, the 说明 lines, a blank line, then 填表人/审核人/联系电话), with
``—`` in not-applicable cells and the very hidden ``_shuangyong`` identity sheet. Tests then
change it the way clerks do and call ``grid()``::

    fg = filled()                                   # a clean, complete return
    fg.set("troops", "cash", "约5")                 # a value by (row id, column id)
    fg.field("unit", None)                          # 填报单位 left blank
    fg.insert_rows(before=7)                        # a blank row above 二
    fg.insert_cols(before=5)                        # a blank column before 慰问金
    fg.relabel("慰问金", "慰问金（万元）")
    fg.sheet_before("说明")                          # another sheet in front
    fg.addr("troops", "cash")                       # → "F6": where E6 ended up
    grid = fg.grid()

Everything is written in *template* coordinates; inserted rows and columns move it on the way out,
merged ranges included, exactly as Excel's "insert row" would. ``addr`` and ``field_addr`` give
the final addresses, so a test can both assert literal cells ("E6") and follow a shift.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from shuangyong_cli.model.form import CellKind, ColumnRole, FormSpec
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.model.grid import (
    CellError,
    CellValue,
    FormulaNoValue,
    Grid,
    Sheet,
    a1,
    parse_a1,
)
from shuangyong_cli.model.identity import META_SHEET, identity_rows

Pos = tuple[int, int]
CellKey = tuple[str, str]

SPEC = load_form()

#: A clean, complete return: whole counts, money in 万元 with at most two decimals, money only
#: where the count is not 0, and nothing in not-applicable cells.
SAMPLE: dict[CellKey, CellValue] = {
    ("troops", "qty"): 3,
    ("troops", "cash"): 1.5,
    ("troops", "goods"): 0.8,
    ("troops", "remark"): "含慰问信",
    ("anti_japanese", "qty"): 2,
    ("anti_japanese", "cash"): 0.2,
    ("anti_japanese", "goods"): 0.1,
    ("korean_war", "qty"): 5,
    ("korean_war", "cash"): 0.5,
    ("korean_war", "goods"): 0.25,
    ("martyr_family", "qty"): 12,
    ("martyr_family", "cash"): 1.2,
    ("martyr_family", "goods"): 0.6,
    ("military_family", "qty"): 30,
    ("military_family", "cash"): 1.5,
    ("military_family", "goods"): 0.9,
    ("disabled", "qty"): 4,
    ("disabled", "cash"): 0.4,
    ("disabled", "goods"): 0.2,
    ("veterans", "qty"): 20,
    ("veterans", "cash"): 1,
    ("veterans", "goods"): 0.5,
    ("other_objects", "qty"): 0,
    ("hardship", "qty"): 6,
    ("hardship", "cash"): 1.2,
    ("hardship", "goods"): 0,
    ("merit_notices", "qty"): 8,
    ("honor_plaques", "qty"): 15,
    ("gatherings", "qty"): 2,
    ("services", "qty"): 1,
    ("services", "remark"): "医疗巡诊",
}

SAMPLE_FIELDS: dict[str, CellValue] = {
    "unit": "黔江区民政局",
    "date": dt.datetime(2020, 8, 10),
    "filler": "张三",
    "reviewer": "李四",
    "phone": "023-79223456",
}

#: Footer lines of the built-in form: (label col, input first col, input last col).
_FOOTER_SLOTS = ((1, 2, 2), (3, 4, 4), (6, 7, 8))


class FormGrid:
    """One returned form, built from a FormSpec in the template's layout.

    ``na_text`` is what not-applicable cells show (None: left empty). ``calc`` is what computed
    cells hold: "value" (the number Excel caches when it saves, from float arithmetic like Excel),
    "formula" (a formula saved without its value, as openpyxl writes it) or "blank".
    """

    def __init__(
        self,
        spec: FormSpec | None = None,
        *,
        na_text: str | None = "—",
        calc: str = "value",
        identity: bool = True,
    ) -> None:
        if calc not in ("value", "formula", "blank"):
            raise ValueError(calc)
        self.spec = spec or SPEC
        self.calc = calc
        self.na_text = na_text
        self.sheet_name = self.spec.sheet
        self.visibility = "visible"
        self.path = Path("黔江区民政局.xlsx")
        self.cells: dict[Pos, CellValue] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.row: dict[str, int] = {}
        self.col: dict[str, int] = {}
        self.field_label: dict[str, Pos] = {}
        self.field_input: dict[str, Pos] = {}
        self.before: list[Sheet] = []
        self.after: list[Sheet] = []
        self.identity: list[tuple[str, str]] | None = (
            identity_rows(self.spec, "template") if identity else None
        )
        self._row_inserts: list[tuple[int, int]] = []
        self._col_inserts: list[tuple[int, int]] = []
        self._emptied: set[int] = set()
        self._draw()

    # -- the template layout ----------------------------------------------------------------

    def _merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merged.append((r1, c1, r2, c2))

    def _draw(self) -> None:
        spec = self.spec
        n = len(spec.columns)
        self.col = {c.id: i for i, c in enumerate(spec.columns, start=1)}
        if spec.attachment:
            self.cells[(1, 1)] = spec.attachment
        self.cells[(2, 1)] = spec.title
        self._merge(2, 1, 2, n)
        # 填报单位 over A:B with its input C:E; 日期 in F with its input G:H.
        header_slots = ((1, 2, 3, 5), (n - 2, n - 2, n - 1, n))
        for f, (l1, l2, i1, i2) in zip(spec.header_fields, header_slots, strict=False):
            self._field(f.id, f.label, 3, l1, l2, i1, i2)
        top, bottom = 4, 5
        i = 0
        while i < n:
            column = spec.columns[i]
            if column.group is None:
                self.cells[(top, i + 1)] = column.label
                self._merge(top, i + 1, bottom, i + 1)
                i += 1
                continue
            j = i
            while j + 1 < n and spec.columns[j + 1].group == column.group:
                j += 1
            self.cells[(top, i + 1)] = column.group
            self._merge(top, i + 1, top, j + 1)
            for k in range(i, j + 1):
                self.cells[(bottom, k + 1)] = spec.columns[k].label
            i = j + 1
        r = bottom + 1
        roles = {c.role: c.id for c in spec.columns if c.role is not ColumnRole.VALUE}
        for row in spec.rows:
            self.row[row.id] = r
            for role, text in (
                (ColumnRole.SEQ, row.seq),
                (ColumnRole.ITEM, row.label),
                (ColumnRole.MEASURE, row.measure),
            ):
                if role in roles and text:
                    self.cells[(r, self.col[roles[role]])] = text
            for column in spec.value_columns:
                if row.kind(column.id) is CellKind.NA and self.na_text is not None:
                    self.cells[(r, self.col[column.id])] = self.na_text
            r += 1
        prefix = f"{spec.notes_label}：" if spec.notes_label else ""
        for k, line in enumerate(spec.notes):
            self.cells[(r, 1)] = (prefix if k == 0 else "\u3000" * len(prefix)) + line
            self._merge(r, 1, r, n)
            r += 1
        r += 1
        for f, (lc, i1, i2) in zip(spec.footer_fields, _FOOTER_SLOTS, strict=False):
            self._field(f.id, f.label, r, lc, lc, i1, i2)

    def _field(self, fid: str, label: str, r: int, l1: int, l2: int, i1: int, i2: int) -> None:
        self.cells[(r, l1)] = f"{label}："
        self._merge(r, l1, r, l2)
        self._merge(r, i1, r, i2)
        self.field_label[fid] = (r, l1)
        self.field_input[fid] = (r, i1)

    # -- filling ----------------------------------------------------------------------------

    def set(self, row_id: str, column_id: str, value: CellValue | None) -> FormGrid:
        """Type ``value`` into a body cell (None empties it)."""
        self.spec.row(row_id)  # KeyError for a typo in a test
        return self.put((self.row[row_id], self.col[column_id]), value)

    def fill(self, values: Mapping[CellKey, CellValue | None]) -> FormGrid:
        for (rid, cid), value in values.items():
            self.set(rid, cid, value)
        return self

    def field(self, field_id: str, value: CellValue | None) -> FormGrid:
        """Type ``value`` into a header or footer field's input cell."""
        return self.put(self.field_input[field_id], value)

    def put(self, where: str | Pos, value: CellValue | None) -> FormGrid:
        """Write any cell, addressed in *template* coordinates ("I8" or (8, 9))."""
        pos = parse_a1(where) if isinstance(where, str) else where
        if value is None:
            self.cells.pop(pos, None)
        else:
            self.cells[pos] = value
        return self

    # -- what clerks do to a form ----------------------------------------------------------

    def relabel(self, old: str, new: str) -> FormGrid:
        """Replace a label wherever it is a whole cell (``填报单位：`` included): the title, a
        column header, a row label, a field label, a 序号."""
        for pos, value in list(self.cells.items()):
            if value == old:
                self.cells[pos] = new
        return self

    def map_labels(self, change: Callable[[str], str]) -> FormGrid:
        """Rewrite every label cell (title, header, 序号, 项目, 计量单位, field labels)."""
        spec = self.spec
        labels = {
            spec.title,
            *(c.label for c in spec.columns),
            *(c.group or "" for c in spec.columns),
        }
        labels |= {r.label for r in spec.rows} | {r.seq for r in spec.rows}
        labels |= {r.measure for r in spec.rows} | {f"{f.label}：" for f in spec.fields}
        labels.discard("")
        for pos, value in list(self.cells.items()):
            if isinstance(value, str) and value in labels:
                self.cells[pos] = change(value)
        return self

    def insert_rows(self, before: int, n: int = 1) -> FormGrid:
        """Insert ``n`` blank rows before template row ``before`` (Excel's "insert row")."""
        self._row_inserts.append((before, n))
        return self

    def insert_cols(self, before: int, n: int = 1) -> FormGrid:
        """Insert ``n`` blank columns before template column ``before``."""
        self._col_inserts.append((before, n))
        return self

    def delete_row(self, row_id: str) -> FormGrid:
        """Empty a body row entirely (label, values and totals), as if the clerk deleted it."""
        self._emptied.add(self.row[row_id])
        return self

    def sheet_before(
        self, name: str, cells: Mapping[Pos, CellValue] | None = None, visibility: str = "visible"
    ) -> FormGrid:
        self.before.append(Sheet(name, dict(cells or {}), visibility=visibility))
        return self

    def sheet_after(
        self, name: str, cells: Mapping[Pos, CellValue] | None = None, visibility: str = "visible"
    ) -> FormGrid:
        self.after.append(Sheet(name, dict(cells or {}), visibility=visibility))
        return self

    # -- where things ended up --------------------------------------------------------------

    def _shift(self, pos: Pos) -> Pos:
        r, c = pos
        r += sum(n for before, n in self._row_inserts if before <= pos[0])
        c += sum(n for before, n in self._col_inserts if before <= pos[1])
        return r, c

    def pos(self, row_id: str, column_id: str) -> Pos:
        return self._shift((self.row[row_id], self.col[column_id]))

    def addr(self, row_id: str, column_id: str) -> str:
        """The final A1 address of a body cell, after inserted rows and columns."""
        return a1(*self.pos(row_id, column_id))

    def field_addr(self, field_id: str) -> str:
        return a1(*self._shift(self.field_input[field_id]))

    def moved(self, where: str) -> str:
        """Where template cell ``where`` ended up."""
        return a1(*self._shift(parse_a1(where)))

    # -- the result -------------------------------------------------------------------------

    def _calc_values(self) -> dict[Pos, CellValue]:
        """Computed cells as Excel caches them when it saves the template's formulas: ``SUM`` over
        three or more adjacent cells (text left out), ``+`` otherwise (numeric text coerced, other
        text ``#VALUE!``); error values propagate; a computed cell the test typed over is used
        as it stands."""
        spec = self.spec
        out: dict[Pos, CellValue] = {}
        if self.calc == "blank":
            return out
        for rid, cid in spec.calc_order():
            pos = (self.row[rid], self.col[cid])
            if pos in self.cells:  # typed over by the test
                continue
            sources = [(self.row[r], self.col[c]) for r, c in spec.sources(rid, cid)]
            if self.calc == "formula":
                refs = "+".join(a1(*self._shift(p)) for p in sources)
                out[pos] = FormulaNoValue(f"={refs}")
                continue
            out[pos] = _excel_sum(
                [self.cells.get(p, out.get(p)) for p in sources], _is_sum(sources)
            )
        return out

    def sheet(self) -> Sheet:
        cells = {**self._calc_values(), **self.cells}
        shifted = {self._shift(p): v for p, v in cells.items() if p[0] not in self._emptied}
        merged = []
        for r1, c1, r2, c2 in self.merged:
            (a, b), (c, d) = self._shift((r1, c1)), self._shift((r2, c2))
            merged.append((a, b, c, d))
        return Sheet(self.sheet_name, shifted, merged, visibility=self.visibility)

    def grid(self) -> Grid:
        sheets = [*self.before, self.sheet(), *self.after]
        if self.identity is not None:
            meta = {}
            for i, (k, v) in enumerate(self.identity, start=1):
                meta[(i, 1)] = k
                meta[(i, 2)] = v
            sheets.append(Sheet(META_SHEET, meta, visibility="veryhidden"))
        blob = repr([(s.name, sorted(s.cells.items(), key=lambda kv: kv[0])) for s in sheets])
        data = blob.encode("utf-8")
        return Grid(
            path=self.path,
            format="xlsx",
            sheets=sheets,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )


def _is_sum(sources: list[Pos]) -> bool:
    """Whether the template writes ``=SUM(…)`` (three or more adjacent cells) rather than ``+``."""
    cells = sorted(sources)
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    if len(cells) < 3:
        return False
    same_col = len(set(cols)) == 1 and rows == list(range(rows[0], rows[0] + len(rows)))
    same_row = len(set(rows)) == 1 and cols == list(range(cols[0], cols[0] + len(cols)))
    return same_col or same_row


def _excel_sum(values: list[CellValue | None], is_sum: bool) -> CellValue:
    total = 0.0
    for v in values:
        if isinstance(v, CellError):
            return v
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, (int, float)):
            total += v
            continue
        if isinstance(v, FormulaNoValue):
            continue
        if is_sum:
            continue  # SUM leaves text out
        try:
            total += float(str(v))
        except ValueError:
            return CellError("#VALUE!")
    return int(total) if total.is_integer() else total


def blank(spec: FormSpec | None = None, **kwargs: object) -> FormGrid:
    """The form as sent out: nothing filled in."""
    return FormGrid(spec, **kwargs)  # type: ignore[arg-type]


def filled(
    spec: FormSpec | None = None,
    values: Mapping[CellKey, CellValue] | None = None,
    fields: Mapping[str, CellValue] | None = None,
    **kwargs: object,
) -> FormGrid:
    """A clean, complete return of the built-in form (``SAMPLE`` and ``SAMPLE_FIELDS``)."""
    fg = FormGrid(spec, **kwargs)  # type: ignore[arg-type]
    fg.fill(SAMPLE if values is None else values)
    for fid, value in (SAMPLE_FIELDS if fields is None else fields).items():
        fg.field(fid, value)
    return fg


def sample_decimal(key: CellKey) -> Decimal:
    """A SAMPLE value as the exact Decimal a return of it must give (blank → 0)."""
    v = SAMPLE.get(key)
    return Decimal(repr(v)) if isinstance(v, (int, float)) else Decimal(0)


def expected_totals(values: Mapping[CellKey, Decimal], spec: FormSpec | None = None) -> dict:
    """The computed cells of ``values`` by the form's rules, in exact Decimal."""
    spec = spec or SPEC
    out = dict(values)
    for rid, cid in spec.calc_order():
        out[(rid, cid)] = sum((out.get(s, Decimal(0)) for s in spec.sources(rid, cid)), Decimal(0))
    return out


def all_inputs(spec: FormSpec | None = None) -> Iterable[CellKey]:
    spec = spec or SPEC
    return ((r.id, c.id) for r, c in spec.input_cells())
