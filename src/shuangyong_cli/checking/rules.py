"""The rules of FORM.md over a located return: findings, and the data the merge sums.

``check_return`` takes a ``Grid`` (any reader's output) and the ``FormSpec`` and gives back every
finding about the file, in reading order, and a ``ReturnData``:

* what ``locate`` saw comes first (other sheets, missing labels), then the form's identity, the
  header and footer fields, the body cell by cell, and last any number typed outside the form.
  The Grid's own notes from opening (``Grid.notes``) are not repeated: the caller reports them;
* every input cell is read by ``values.parse_number``; each conversion and refusal is a finding
  with the cell's address in the file as returned;
* computed cells are always recomputed from the inputs. A total typed by hand is compared with the
  computation (``calc.mismatch`` beyond ``limits.calc_tolerance``), never used. A computed cell
  that is blank or a formula saved without its result is simply recomputed, with no finding; one
  showing an error value (``#VALUE!``) is reported as a warning, since the number used is the
  recomputed one;
* a value in a not-applicable cell is reported (``value.in_na_cell``) and not counted;
* a summary made by this tool (its identity says ``kind = summary``) is the same form filled with
  totals: its own other sheets, its date and the per-cell 万元 bound are not held against it;
* a file whose form was found yields a ``ReturnData`` even with errors (refused cells count as 0
  there; the merge leaves out files with errors). When the form or one of its labels cannot be
  found, the data is None.

Every message starts with where (单元格 E8「抗战老战士 / 慰问金」), says what was found, and what to
type instead. Here: the order of the checks, the form's identity and numbers typed outside the form;
the header and footer fields are checked in ``header_fields``, the input cells in ``body``, the
computed cells in ``totals``.
"""

from __future__ import annotations

from shuangyong_cli.checking.body import check_money_without_qty, read_body
from shuangyong_cli.checking.cell_plan import CheckPlan, check_plan
from shuangyong_cli.checking.display import shown
from shuangyong_cli.checking.header_fields import check_fields
from shuangyong_cli.checking.label_plan import label_plan
from shuangyong_cli.checking.labels import enumerator_stripped, label_key
from shuangyong_cli.checking.locate import FormNotFound, Located, locate
from shuangyong_cli.checking.sink import Sink, address
from shuangyong_cli.checking.subsets import check_subsets
from shuangyong_cli.checking.totals import check_totals
from shuangyong_cli.checking.values import parse_number
from shuangyong_cli.model import (
    ColumnRole,
    Finding,
    FormSpec,
    Grid,
    Identity,
    ReturnData,
    ValueKind,
    a1,
    message,
    read_identity,
)

MSG_EMPTY = message("return.empty")
MSG_OUTSIDE = message("value.outside_form")
MSG_OTHER_FORM = message("form.identity_mismatch", "other_form")
MSG_OTHER_VERSION = message("form.identity_mismatch", "other_version")


def check_return(
    grid: Grid, spec: FormSpec, *, display_path: str, mtime: float = 0.0
) -> tuple[list[Finding], ReturnData | None]:
    """Check one returned workbook against the form. Returns every finding about the form (not
    ``grid.notes``, which the caller reports) and the data read, or None when the form or one of
    its labels could not be found."""
    plan = check_plan(spec)
    out = Sink(display_path, [])
    try:
        loc = locate(grid, spec, file=display_path)
    except FormNotFound as e:
        out.findings.extend(e.findings)
        return out.findings, None
    identity = read_identity(grid)
    summary = identity is not None and identity.is_summary
    # A summary's own sheets (分单位明细 …) are its explanation, not stray data.
    out.findings.extend(f for f in loc.findings if not (summary and f.code == "form.other_sheets"))
    out.sheet = loc.sheet.name
    if identity is not None:
        _check_identity(out, identity, plan)

    fields, unit, date = check_fields(out, loc, plan, summary)
    body = read_body(out, loc, plan, summary)
    check_totals(out, plan, body)
    check_subsets(out, plan, body.values, body.unknown, body.addresses)
    check_money_without_qty(out, plan, body.values, body.unknown, body.blank, body.addresses)
    if body.empty:
        out.add("return.empty", MSG_EMPTY)
    _check_outside(out, loc, plan)

    if not loc.complete:
        return out.findings, None
    data = ReturnData(
        path=display_path,
        sheet=loc.sheet.name,
        unit=unit,
        date=date,
        values=body.values,
        remarks=body.remarks,
        fields=fields,
        addresses=body.addresses,
        field_addresses={fid: a1(*pos) for fid, pos in loc.fields.items()},
        empty=body.empty,
        identity=identity,
        sha256=grid.sha256,
        size=grid.size,
        mtime=mtime,
    )
    return out.findings, data


def _check_identity(out: Sink, identity: Identity, plan: CheckPlan) -> None:
    spec = plan.spec
    if not (identity.form_id or identity.fingerprint):
        return
    if identity.form_id and identity.form_id != spec.id:
        message = MSG_OTHER_FORM.format(
            their=identity.form_id,
            their_version=identity.form_version or "?",
            title=spec.title,
            ours=spec.id,
            version=spec.version,
        )
    elif (identity.form_version and identity.form_version != spec.version) or (
        identity.fingerprint and identity.fingerprint != plan.fingerprint
    ):
        message = MSG_OTHER_VERSION.format(
            their_version=identity.form_version or "?", version=spec.version
        )
    else:
        return
    out.add("form.identity_mismatch", message, value=identity.form_id)


def _check_outside(out: Sink, loc: Located, plan: CheckPlan) -> None:
    """Numbers typed where the form has no cell: beside the table, in a label column, in a
    blank row between body rows. Never silently dropped."""
    known = loc.known
    stray = []
    for pos, raw in loc.sheet.cells.items():
        if pos in known:
            continue
        kind = type(raw)
        if kind is str:
            assert isinstance(raw, str)
            if len(raw) > 20 or not any(ch.isdigit() for ch in raw):
                continue
            parsed = parse_number(raw, ValueKind.MONEY)
            if parsed.value is None or parsed.blank:
                continue
        elif kind is not int and kind is not float:
            continue
        stray.append((pos, raw))
    if not stray:
        return
    by_row = {r: rid for rid, r in loc.rows.items()}
    item = next((c.id for c in plan.spec.columns if c.role is ColumnRole.ITEM), "")
    item_col = loc.columns.get(item, 0)
    # the form's rows as the locator finds them: by label, or by 序号 (合计); numbering (1.
    # （一） 其中：) aside
    form_rows = {enumerator_stripped(key) for _, key, _ in label_plan(plan.spec).rows if key}
    for pos, raw in sorted(stray, key=lambda x: x[0]):
        cell = address(*pos)
        rid = by_row.get(pos[0])
        name = plan.row_names[rid] if rid else ""
        if name:
            where = f"单元格 {cell}（「{name}」行）"
        elif (added := _row_label(loc, pos, item_col)) is not None:
            again = enumerator_stripped(label_key(added)) in form_rows
            how = "与表中的同名行重复" if again else "不是表中的项目"
            where = f"单元格 {cell}（「{added}」行，{how}）"
        else:
            where = f"单元格 {cell} "
        out.add(
            "value.outside_form",
            where + MSG_OUTSIDE.format(v=shown(raw)),
            cell=cell,
            name=name,
            value=shown(raw),
        )


def _row_label(loc: Located, pos: tuple[int, int], item_col: int) -> str | None:
    """The label a unit wrote in the 项目 column of a row the form does not have (a row it
    inserted among the body rows: 复员军人), when the number is in the table's columns beside
    it; else None (a line under the table, 负责人：张三, is no row of it)."""
    last = max(loc.rows.values(), default=0)
    if not item_col or pos[1] <= item_col or not loc.header_row < pos[0] < last:
        return None
    label = loc.sheet.cells.get((pos[0], item_col))
    if not isinstance(label, str):
        return None
    text = " ".join(label.split())
    return text if text and len(text) <= 30 else None
