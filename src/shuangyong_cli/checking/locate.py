"""Finding the form in a workbook by its labels: which cell is which field.

Units insert rows and columns, add a sheet in front, type ``填报单位:`` with a half-width colon,
write ``慰问金（万元）`` over a column, split the title over two lines. So nothing here trusts a
coordinate. Every text cell of a sheet is normalised once (NFKC, no whitespace at all, one kind of
quotes and brackets; for matching a label also without a trailing ``（…）`` or colon) and put in an
index; the form's labels are then looked up in it:

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

from shuangyong_cli.model import (
    META_SHEET,
    CellError,
    CellKey,
    CellValue,
    ColumnRole,
    Field,
    Finding,
    FormSpec,
    FormulaNoValue,
    Grid,
    Row,
    Sheet,
    ShuangyongError,
    finding,
    per_form,
)

Pos = tuple[int, int]
"""A 1-based (row, column) position in a sheet."""

#: How many rows a column header may span (a two-level header plus a stray blank row).
HEADER_BAND = 3
#: How far right of a field's label its value may be.
FIELD_REACH = 8
#: A sheet with fewer of the form's labels than this does not look like the form.
MIN_SCORE = 4

_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "〝": '"',
        "〞": '"',
        "‘": "'",
        "’": "'",
        "【": "[",
        "】": "]",
        "〔": "(",
        "〕": ")",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_TRAILING = re.compile(r"(?:\([^()]*\)|:)+$")
_ENUMERATOR = re.compile(r"^(?:其中:?|\(?[一二三四五六七八九十\d]+\)?[、.,:)]?)")
_BLANKISH = re.compile(r"^[\s_＿]*$")

_norm_cache: dict[str, str] = {}
_key_cache: dict[str, str] = {}
_CACHE_LIMIT = 50_000


def norm(text: str) -> str:
    """NFKC (full-width → half-width), one kind of quotes and brackets, no whitespace at all."""
    got = _norm_cache.get(text)
    if got is None:
        if len(_norm_cache) > _CACHE_LIMIT:
            _norm_cache.clear()
        t = unicodedata.normalize("NFKC", text).translate(_FOLD)
        got = _norm_cache[text] = "".join(t.split())
    return got


def label_key(text: str) -> str:
    """The text a label is matched by: ``norm`` without a trailing ``（万元）`` or colon, and
    without a leading ``*``. ``慰问金（万元）``, ``慰 问 金`` and ``慰问金:`` all give
    ``慰问金``."""
    got = _key_cache.get(text)
    if got is None:
        if len(_key_cache) > _CACHE_LIMIT:
            _key_cache.clear()
        got = _key_cache[text] = _TRAILING.sub("", norm(text)).lstrip("*")
    return got


def _enumerator_stripped(key: str) -> str:
    """``一、走访慰问驻黔部队`` → ``走访慰问驻黔部队``; ``其中:抗战老战士`` → ``抗战老战士``."""
    for _ in range(2):
        stripped = _ENUMERATOR.sub("", key, count=1)
        if stripped == key:
            break
        key = stripped
    return key


def _cell_key(value: CellValue) -> str | None:
    if isinstance(value, (CellError, FormulaNoValue)):
        return None
    if isinstance(value, str):
        return label_key(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


# -- messages ---------------------------------------------------------------------------------

MSG_NOT_FOUND = "找不到“{title}”：{where}；请用下发的模板填写，不要改动标题、表头和项目名称。"
WHERE_SHEETS = "工作表{names}中都没有本表的标题、表头（如{labels}）和项目名称"
WHERE_NO_SHEETS = "工作簿中没有工作表"
MSG_OTHER_SHEET = (
    "工作簿中另有工作表“{name}”{hidden}（{n} 个非空单元格），本工具只读取“{form}”；"
    "如其中有本表数据，请填入“{form}”。"
)
MSG_NO_COLUMN = "工作表“{sheet}”中找不到“{label}”所在的列；请不要删除或改写表头中的栏目名称。"
MSG_NO_ROW = "工作表“{sheet}”中找不到项目“{label}”所在的行；请不要删除或改写表中的项目名称。"
MSG_NO_SEQ_ROW = "工作表“{sheet}”中找不到“{seq}”所在的行；请不要删除或改写“{seq}”行。"
MSG_NO_FIELD = "工作表“{sheet}”中找不到“{label}”一栏；请保留“{label}：”，并在其后填写。"


# -- the form's labels, prepared once per FormSpec ---------------------------------------------


def _field_pattern(label: str, colon: bool) -> re.Pattern[str]:
    body = r"\s*".join(re.escape(ch) for ch in label)
    tail = r"\s*(?:[(（][^)）]*[)）])?\s*" + ("[:：]" if colon else "[:：]?")
    return re.compile(body + tail + r"\s*")


@dataclass(frozen=True)
class _FieldPlan:
    field: Field
    key: str
    prefix: re.Pattern[str]
    """Matches the label at the start of a cell, colon optional."""
    inside: re.Pattern[str]
    """Finds the label followed by a colon anywhere in a cell."""
    footer: bool


@dataclass(frozen=True)
class _Plan:
    spec: FormSpec
    title: str
    columns: tuple[tuple[str, str, ColumnRole], ...]
    rows: tuple[tuple[Row, str, bool], ...]
    """(row, key, keyed by 序号 rather than label)."""
    fields: tuple[_FieldPlan, ...]
    first_chars: frozenset[str]
    value_columns: tuple[tuple[str, str], ...]
    """(column id, label) of every value column."""
    seq_column: str
    seqs: dict[str, str]
    """Row id → the key of its 序号."""
    texts: dict[str, tuple[str, str, bool, bool]] = field(default_factory=dict)
    """A cell text → (norm, label_key, may start a field label, holds the title): the form's
    labels come back in every return, so each is worked out once."""

    def text_info(self, text: str) -> tuple[str, str, bool, bool]:
        n = norm(text)
        k = label_key(text)
        title = self.title
        return n, k, n[:1] in self.first_chars, bool(title) and title in k


@per_form
def _plan(spec: FormSpec) -> _Plan:
    fields = tuple(
        _FieldPlan(
            field=f,
            key=label_key(f.label),
            prefix=_field_pattern(f.label, colon=False),
            inside=_field_pattern(f.label, colon=True),
            footer=f in spec.footer_fields,
        )
        for f in spec.fields
    )
    plan = _Plan(
        spec=spec,
        title=label_key(spec.title),
        columns=tuple((c.id, label_key(c.label), c.role) for c in spec.columns),
        rows=tuple(
            (r, label_key(r.label), False) if r.label else (r, label_key(r.seq), True)
            for r in spec.rows
        ),
        fields=fields,
        first_chars=frozenset(fp.key[:1] for fp in fields if fp.key),
        value_columns=tuple((c.id, c.label) for c in spec.value_columns),
        seq_column=next((c.id for c in spec.columns if c.role is ColumnRole.SEQ), ""),
        seqs={r.id: label_key(r.seq) for r in spec.rows},
    )
    return plan


# -- a sheet's text index ----------------------------------------------------------------------


@dataclass
class _Index:
    sheet: Sheet
    keys: dict[str, list[Pos]]
    merges: dict[Pos, tuple[int, int, int, int]]
    starts: list[tuple[Pos, str, str]]
    """(position, text, normalised text) of the text cells that may start with a field label."""
    titles: list[Pos]
    """Text cells that contain the form's title."""
    _variants: dict[str, list[Pos]] | None = None

    @classmethod
    def build(cls, sheet: Sheet, plan: _Plan) -> _Index:
        keys: dict[str, list[Pos]] = {}
        starts: list[tuple[Pos, str, str]] = []
        titles: list[Pos] = []
        texts = plan.texts
        if len(texts) > _CACHE_LIMIT:
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
                k = _cell_key(value) or ""
            if k:
                keys.setdefault(k, []).append(pos)
        merges = {(m[0], m[1]): m for m in sheet.merged}
        return cls(sheet, keys, merges, starts, titles)

    def variants(self) -> dict[str, list[Pos]]:
        """Keys with a leading enumerator (一、 1. （一） 其中：) removed, built on first use."""
        if self._variants is None:
            self._variants = {}
            for k, positions in self.keys.items():
                v = _enumerator_stripped(k)
                if v and v != k:
                    self._variants.setdefault(v, []).extend(positions)
        return self._variants

    def bottom(self, pos: Pos) -> int:
        m = self.merges.get(pos)
        return m[2] if m else pos[0]

    def right(self, pos: Pos) -> int:
        m = self.merges.get(pos)
        return m[3] if m else pos[1]

    def score(self, plan: _Plan) -> int:
        n = sum(1 for _, key, _ in plan.columns if key in self.keys)
        n += sum(1 for _, key, _ in plan.rows if key in self.keys)
        if self.titles:
            n += 3
        return n


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


def _choose_sheet(grid: Grid, plan: _Plan, file: str) -> tuple[Sheet, _Index]:
    spec = plan.spec
    candidates = [s for s in grid.sheets if s.name != META_SHEET]
    best: tuple[tuple[bool, int, bool, int], Sheet, _Index] | None = None
    wanted = norm(spec.sheet)
    for order, sheet in enumerate(candidates):
        index = _Index.build(sheet, plan)
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


def _header(index: _Index, plan: _Plan) -> dict[str, Pos]:
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
    index: _Index, plan: _Plan, header_bottom: int, columns: dict[str, int]
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
    index: _Index, plan: _Plan, header_top: int, body_bottom: int
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


def _inline_value(rest: str, plan: _Plan, own: str) -> str:
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
    plan = _plan(spec)
    sheet, index = _choose_sheet(grid, plan, file)
    findings: list[Finding] = []
    missing: list[str] = []

    def lost(label: str, message: str) -> None:
        missing.append(label)
        findings.append(
            finding("form.label_missing", message, file=file, sheet=sheet.name, field=label)
        )

    for other in grid.sheets:
        if other is sheet or other.name == META_SHEET or not other.cells:
            continue
        hidden = "" if other.visibility == "visible" else "（隐藏）"
        message = MSG_OTHER_SHEET.format(
            name=other.name, hidden=hidden, n=len(other.cells), form=sheet.name
        )
        findings.append(finding("form.other_sheets", message, file=file, sheet=other.name))

    header = _header(index, plan)
    columns = {cid: pos[1] for cid, pos in header.items()}
    header_top = min((p[0] for p in header.values()), default=0)
    header_bottom = max((index.bottom(p) for p in header.values()), default=0)
    for cid, label in plan.value_columns:
        if cid not in columns:
            lost(label, MSG_NO_COLUMN.format(sheet=sheet.name, label=label))

    row_cells = _rows(index, plan, header_bottom, columns)
    rows = {rid: pos[0] for rid, pos in row_cells.items()}
    for row, _, _ in plan.rows:
        if row.id in rows:
            continue
        if row.label:
            lost(row.label, MSG_NO_ROW.format(sheet=sheet.name, label=row.label))
        else:
            lost(row.seq, MSG_NO_SEQ_ROW.format(sheet=sheet.name, seq=row.seq))

    body: dict[CellKey, Pos] = {}
    found_columns = [(cid, columns[cid]) for cid, _ in plan.value_columns if cid in columns]
    for rid, r in rows.items():
        for cid, c in found_columns:
            body[(rid, cid)] = (r, c)

    body_bottom = max(rows.values(), default=header_bottom)
    labels = _field_cells(index, plan, header_top or body_bottom + 1, body_bottom)
    label_positions = {pos for pos, _ in labels.values()}
    fields: dict[str, Pos] = {}
    inline: dict[str, str] = {}
    for fp in plan.fields:
        got = labels.get(fp.field.id)
        if got is None:
            if fp.field.required:
                label = fp.field.label
                lost(label, MSG_NO_FIELD.format(sheet=sheet.name, label=label))
            continue
        pos, rest = got
        value = _inline_value(rest, plan, fp.field.id)
        if value:
            fields[fp.field.id] = pos
            inline[fp.field.id] = value
            continue
        fields[fp.field.id] = _value_right_of(index, pos, label_positions)

    seq_col = columns.get(plan.seq_column, 0)
    known: set[Pos] = set(header.values()) | set(row_cells.values()) | set(body.values())
    known |= label_positions | set(fields.values())
    if seq_col:
        for rid, r in rows.items():
            seq = sheet.cells.get((r, seq_col))
            if seq is not None and _cell_key(seq) == plan.seqs[rid]:
                known.add((r, seq_col))
    known.update(index.titles)

    tops = [header_top] if header_top else []
    tops += [p[0] for p in label_positions if p[0] <= (header_top or body_bottom)]
    bottoms = [body_bottom, *(p[0] for p in label_positions)]
    cols = list(columns.values()) or [p[1] for p in row_cells.values()] or [1]
    region = (min(tops, default=1), min(cols), max(bottoms), max(cols))

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
        missing=tuple(missing),
        findings=findings,
    )


def _value_right_of(index: _Index, label: Pos, labels: set[Pos]) -> Pos:
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
