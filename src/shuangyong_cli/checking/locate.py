"""Finding the form in a workbook by its labels: which cell is which field.

Units insert rows and columns, add a sheet in front, type ``填报单位:`` with a half-width colon,
write ``慰问金（万元）`` over a column, split the title over two lines. So nothing here trusts a
coordinate. Every text cell of a sheet is normalised once (NFKC, no whitespace at all, one kind of
quotes and brackets; for matching a label also without a trailing ``（…）`` or colon: ``labels``)
and put in an index (``sheet_index``); the form's labels (``label_plan``) are then looked up in it:

* the sheet: the one named like ``FormSpec.sheet`` if it looks like the form, else the sheet with
  the most of the form's labels (visible before hidden); ``form.not_found`` when none has them;
* the column header: the band of at most three rows holding the most column labels;
* the body rows: each item's label (or, for the 合计 row, its 序号 text) below the header, in
  order; ``一、走访慰问驻黔部队`` and ``其中：抗战老战士`` are recognised too;
* the header and footer fields: the label cell, and the value either in the same cell after the
  colon or in the next non-empty cell to the right (before the next label).

Every value column, every row and every required field that cannot be found is named in its own
``form.label_missing`` finding; the rest is still located, so a clerk learns all at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from shuangyong_cli.checking.label_plan import LabelPlan, label_plan
from shuangyong_cli.checking.labels import cell_key, norm
from shuangyong_cli.checking.sheet_index import Pos, SheetIndex
from shuangyong_cli.model import (
    META_SHEET,
    CellKey,
    CellValue,
    ColumnRole,
    Finding,
    FormSpec,
    Grid,
    Sheet,
    ShuangyongError,
    finding,
    message,
)

#: How many rows a column header may span (a two-level header plus a stray blank row).
HEADER_BAND = 3
#: How far right of a field's label its value may be.
FIELD_REACH = 8
#: A sheet with fewer of the form's labels than this does not look like the form.
MIN_SCORE = 4

_BLANKISH = re.compile(r"^[\s_＿]*$")

# -- messages ---------------------------------------------------------------------------------

MSG_NOT_FOUND = message("form.not_found")
WHERE_SHEETS = message("form.not_found", "where_sheets")
WHERE_NO_SHEETS = message("form.not_found", "where_no_sheets")
MSG_OTHER_SHEET = message("form.other_sheets")
MSG_NO_COLUMN = message("form.label_missing", "column")
MSG_NO_ROW = message("form.label_missing", "row")
MSG_NO_SEQ_ROW = message("form.label_missing", "seq_row")
MSG_NO_FIELD = message("form.label_missing", "field")


# -- the result --------------------------------------------------------------------------------


@dataclass
class Located:
    """Where everything is in the sheet that holds the form. Positions are 1-based (row, col)."""

    sheet: Sheet
    columns: dict[str, int]
    """Column id → sheet column, for every column whose label was found."""
    rows: dict[str, int]
    """Row id → sheet row, for every row whose label was found."""
    body: dict[CellKey, Pos]
    """(row id, column id) → position, for every value-column cell of every found row."""
    fields: dict[str, Pos]
    """Field id → where its value is, or where it should be typed when blank."""
    inline: dict[str, str]
    """Field id → the value typed in the label's own cell (``填报单位：黔江区民政局``)."""
    header_top: int
    header_row: int
    """The last row of the column header; the body is below it."""
    region: tuple[int, int, int, int]
    """(top, left, bottom, right) of the form: title or header fields to the footer."""
    known: frozenset[Pos]
    """Cells the form explains: labels, header, body, field labels and values."""
    missing: tuple[str, ...] = ()
    """The labels that could not be found (each also has a ``form.label_missing`` finding)."""
    findings: list[Finding] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    def field_value(self, field_id: str) -> CellValue | None:
        """What was typed for a header or footer field (None when blank or not found)."""
        if field_id in self.inline:
            return self.inline[field_id]
        pos = self.fields.get(field_id)
        return None if pos is None else self.sheet.get(*pos)


class FormNotFound(ShuangyongError):
    """No sheet of the workbook looks like the form; ``findings`` says which sheets were seen."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings[0].message)
        self.findings = findings


# -- locating ----------------------------------------------------------------------------------


def _quoted(names: Iterable[str]) -> str:
    return "、".join(f"“{n}”" for n in names)


def _choose_sheet(grid: Grid, plan: LabelPlan, file: str) -> tuple[Sheet, SheetIndex]:
    spec = plan.spec
    candidates = [s for s in grid.sheets if s.name != META_SHEET]
    best: tuple[tuple[bool, int, bool, int], Sheet, SheetIndex] | None = None
    wanted = norm(spec.sheet)
    for order, sheet in enumerate(candidates):
        index = SheetIndex.build(sheet, plan)
        score = index.score(plan)
        if score < MIN_SCORE:
            continue
        rank = (norm(sheet.name) == wanted, score, sheet.visibility == "visible", -order)
        if best is None or rank > best[0]:
            best = (rank, sheet, index)
    if best is None:
        labels = _quoted(c.label for c in spec.value_columns[:2])
        if candidates:
            names = _quoted(s.name for s in candidates)
            where = WHERE_SHEETS.format(names=names, labels=labels)
        else:
            where = WHERE_NO_SHEETS
        message = MSG_NOT_FOUND.format(title=spec.title, where=where)
        raise FormNotFound([finding("form.not_found", message, file=file)])
    return best[1], best[2]


def _header(index: SheetIndex, plan: LabelPlan) -> dict[str, Pos]:
    """The column label cells: the band of up to HEADER_BAND rows with the most labels."""
    hits = {cid: index.keys.get(key, []) for cid, key, _ in plan.columns}
    rows = sorted({p[0] for positions in hits.values() for p in positions})
    best_row, best_n = 0, 0
    for r in rows:
        n = sum(1 for ps in hits.values() if any(r <= p[0] < r + HEADER_BAND for p in ps))
        if n > best_n:
            best_row, best_n = r, n
    if not best_n:
        return {}
    found: dict[str, Pos] = {}
    taken: set[int] = set()
    for cid, positions in hits.items():
        band = sorted(p for p in positions if best_row <= p[0] < best_row + HEADER_BAND)
        band = [p for p in band if p[1] not in taken] or band
        if band:
            found[cid] = band[0]
            taken.add(band[0][1])
    return found


def _rows(
    index: SheetIndex, plan: LabelPlan, header_bottom: int, columns: dict[str, int]
) -> dict[str, Pos]:
    """Each body row's label cell (or 序号 cell), below the header and in order if possible."""
    item_col = next((columns[c] for c, _, r in plan.columns if r is ColumnRole.ITEM), 0)
    seq_col = next((columns[c] for c, _, r in plan.columns if r is ColumnRole.SEQ), 0)
    found: dict[str, Pos] = {}
    used: set[int] = set()
    prev = header_bottom
    for row, key, by_seq in plan.rows:
        if not key:
            continue
        want = seq_col if by_seq else item_col
        candidates = [p for p in index.keys.get(key, ()) if p[0] > header_bottom]
        candidates = [p for p in candidates if p[0] not in used]
        if not candidates:
            variants = index.variants().get(key, ())
            candidates = [p for p in variants if p[0] > header_bottom and p[0] not in used]
        if not candidates:
            continue
        pos = min(candidates, key=lambda p: (p[0] <= prev, p[1] != want, p[0], p[1]))
        found[row.id] = pos
        used.add(pos[0])
        prev = pos[0]
    return found


def _field_cells(
    index: SheetIndex, plan: LabelPlan, header_top: int, body_bottom: int
) -> dict[str, tuple[Pos, str]]:
    """Each field's label cell and the text after the label in that cell."""
    starts: dict[str, list[tuple[Pos, str]]] = {}
    for pos, value, n in index.starts:
        for fp in plan.fields:
            if n.startswith(fp.key):
                m = fp.prefix.match(value)
                if m is None:
                    value = unicodedata.normalize("NFKC", value)
                    m = fp.prefix.match(value)
                if m:
                    starts.setdefault(fp.field.id, []).append((pos, value[m.end() :]))
    out: dict[str, tuple[Pos, str]] = {}
    for fp in plan.fields:
        cands = starts.get(fp.field.id, [])
        if not cands:  # 填报单位：黔江区民政局    日期：2020.8.10 in one cell
            for pos, cell in index.sheet.cells.items():
                if type(cell) is str:
                    m = fp.inside.search(cell)
                    if m:
                        cands.append((pos, cell[m.end() :]))
        if not cands:
            continue
        if fp.footer:
            zone = [c for c in cands if c[0][0] > body_bottom]
            pick = min(zone or cands, key=lambda c: c[0])
        else:
            zone = [c for c in cands if c[0][0] < header_top]
            if zone:  # the one closest above the table
                pick = max(zone, key=lambda c: (c[0][0], -c[0][1]))
            else:
                pick = min(cands, key=lambda c: c[0])
        out[fp.field.id] = pick
    return out


def _inline_value(rest: str, plan: LabelPlan, own: str) -> str:
    """The text after a label, up to the next field's label:
    ``黔江区民政局    日期：2020.8.10`` → ``黔江区民政局``."""
    cut = len(rest)
    for fp in plan.fields:
        if fp.field.id == own:
            continue
        m = fp.inside.search(rest)
        if m and m.start() < cut:
            cut = m.start()
    return rest[:cut].strip().strip("_＿").strip()


def locate(grid: Grid, spec: FormSpec, *, file: str = "") -> Located:
    """Find the form in ``grid``. Raises ``FormNotFound`` when no sheet looks like it; labels
    that are missing from the sheet it found are listed in ``Located.missing`` and findings.
    ``file`` is the path shown in findings."""
    plan = label_plan(spec)
    sheet, index = _choose_sheet(grid, plan, file)
    lost: list[tuple[str, str]] = []
    """(label, message) of every label not found, in the form's order."""

    header = _header(index, plan)
    columns = {cid: pos[1] for cid, pos in header.items()}
    header_top = min((p[0] for p in header.values()), default=0)
    header_bottom = max((index.bottom(p) for p in header.values()), default=0)
    for cid, label in plan.value_columns:
        if cid not in columns:
            lost.append((label, MSG_NO_COLUMN.format(sheet=sheet.name, label=label)))

    row_cells = _rows(index, plan, header_bottom, columns)
    rows = {rid: pos[0] for rid, pos in row_cells.items()}
    lost += _missing_rows(plan, rows, sheet.name)
    body = _body(plan, rows, columns)

    body_bottom = max(rows.values(), default=header_bottom)
    labels = _field_cells(index, plan, header_top or body_bottom + 1, body_bottom)
    label_positions = {pos for pos, _ in labels.values()}
    fields, inline = _field_values(index, plan, labels, label_positions, lost)

    known: set[Pos] = set(header.values()) | set(row_cells.values()) | set(body.values())
    known |= label_positions | set(fields.values())
    known |= _seq_cells(sheet, plan, rows, columns.get(plan.seq_column, 0))
    known.update(index.titles)

    region = _region(header_top, body_bottom, label_positions, columns, row_cells)
    findings = _other_sheets(grid, sheet, file)
    findings += [
        finding("form.label_missing", message, file=file, sheet=sheet.name, field=label)
        for label, message in lost
    ]
    return Located(
        sheet=sheet,
        columns=columns,
        rows=rows,
        body=body,
        fields=fields,
        inline=inline,
        header_top=header_top,
        header_row=header_bottom,
        region=region,
        known=frozenset(known),
        missing=tuple(label for label, _ in lost),
        findings=findings,
    )


def _missing_rows(plan: LabelPlan, rows: dict[str, int], sheet: str) -> list[tuple[str, str]]:
    """(label, message) of each row not found: by its label, or the 合计 row by its 序号."""
    lost = []
    for row, _, _ in plan.rows:
        if row.id in rows:
            continue
        if row.label:
            lost.append((row.label, MSG_NO_ROW.format(sheet=sheet, label=row.label)))
        else:
            lost.append((row.seq, MSG_NO_SEQ_ROW.format(sheet=sheet, seq=row.seq)))
    return lost


def _body(plan: LabelPlan, rows: dict[str, int], columns: dict[str, int]) -> dict[CellKey, Pos]:
    """Every value-column cell of every found row."""
    body: dict[CellKey, Pos] = {}
    found_columns = [(cid, columns[cid]) for cid, _ in plan.value_columns if cid in columns]
    for rid, r in rows.items():
        for cid, c in found_columns:
            body[(rid, cid)] = (r, c)
    return body


def _region(
    header_top: int,
    body_bottom: int,
    label_positions: set[Pos],
    columns: dict[str, int],
    row_cells: dict[str, Pos],
) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of the form: title or header fields to the footer."""
    tops = [header_top] if header_top else []
    tops += [p[0] for p in label_positions if p[0] <= (header_top or body_bottom)]
    bottoms = [body_bottom, *(p[0] for p in label_positions)]
    cols = list(columns.values()) or [p[1] for p in row_cells.values()] or [1]
    return (min(tops, default=1), min(cols), max(bottoms), max(cols))


def _other_sheets(grid: Grid, sheet: Sheet, file: str) -> list[Finding]:
    """A ``form.other_sheets`` finding for each other sheet that holds anything."""
    findings = []
    for other in grid.sheets:
        if other is sheet or other.name == META_SHEET or not other.cells:
            continue
        hidden = "" if other.visibility == "visible" else "（隐藏）"
        message = MSG_OTHER_SHEET.format(
            name=other.name, hidden=hidden, n=len(other.cells), form=sheet.name
        )
        findings.append(finding("form.other_sheets", message, file=file, sheet=other.name))
    return findings


def _field_values(
    index: SheetIndex,
    plan: LabelPlan,
    labels: dict[str, tuple[Pos, str]],
    label_positions: set[Pos],
    lost: list[tuple[str, str]],
) -> tuple[dict[str, Pos], dict[str, str]]:
    """Where each field's value is (or should be typed), and the values typed in the label's own
    cell; a required field whose label was not found is added to ``lost``."""
    fields: dict[str, Pos] = {}
    inline: dict[str, str] = {}
    for fp in plan.fields:
        got = labels.get(fp.field.id)
        if got is None:
            if fp.field.required:
                label = fp.field.label
                lost.append((label, MSG_NO_FIELD.format(sheet=index.sheet.name, label=label)))
            continue
        pos, rest = got
        value = _inline_value(rest, plan, fp.field.id)
        if value:
            fields[fp.field.id] = pos
            inline[fp.field.id] = value
            continue
        fields[fp.field.id] = _value_right_of(index, pos, label_positions)
    return fields, inline


def _seq_cells(sheet: Sheet, plan: LabelPlan, rows: dict[str, int], seq_col: int) -> set[Pos]:
    """The 序号 cells of the found rows that hold their row's 序号."""
    known: set[Pos] = set()
    if seq_col:
        for rid, r in rows.items():
            seq = sheet.cells.get((r, seq_col))
            if seq is not None and cell_key(seq) == plan.seqs[rid]:
                known.add((r, seq_col))
    return known


def _value_right_of(index: SheetIndex, label: Pos, labels: set[Pos]) -> Pos:
    """The first non-blank cell right of a label (merge-aware), stopping at the next label; when
    there is none, the first cell right of the label: where the value should be typed."""
    r = label[0]
    first = index.right(label) + 1
    for cc in range(first, first + FIELD_REACH):
        if (r, cc) in labels:
            break
        v = index.sheet.get(r, cc)
        if v is None or (isinstance(v, str) and _BLANKISH.match(v)):
            continue
        return (r, cc)
    return (r, first)
