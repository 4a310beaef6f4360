"""Around the table: the title, the 附件 line, the header and footer fields, the notes."""

from __future__ import annotations

import re

from shuangyong_cli.learn.context import Context, looks_like_note, unique_id
from shuangyong_cli.learn.model import DField
from shuangyong_cli.learn.words import (
    CONFIRM,
    FIELD_LABELS,
    FIELD_RE,
    LIKELY,
    NOTES_START,
    PLACEHOLDER,
    SURE,
    UNIT_NOTE,
    compact,
)
from shuangyong_cli.model.grid import a1


class FieldSteps(Context):
    def read_title(self, header_top: int) -> None:
        best: tuple[float, float, int, int, int, str] | None = None
        for row in range(1, header_top):
            for c, t in self.row_texts(row):
                if FIELD_RE.search(t) or UNIT_NOTE.search(t):
                    continue
                if re.fullmatch(r"附(件|表)\s*\d*", compact(t)):
                    self.draft.attachment = t
                    self.note("附件号", a1(row, c), SURE, "表名上方的“附件”", key="attachment")
                    continue
                _r1, c1, _r2, c2 = self.span(row, c)
                size = self.blank.font_size.get((row, c), 0.0)
                score = (float(c2 - c1 + 1), size, len(t), row, c, t)
                if best is None or score[:3] > best[:3]:
                    best = score
        if best is None:
            self.note("表名", "", CONFIRM, "表头上方没有文字，表名留空，请填写", key="title")
            return
        width, size, _, row, c, title = best
        n_cols = len(self.draft.columns)
        self.draft.title = "".join(title.split("\n"))
        sure = width >= n_cols / 2
        self.note(
            "表名",
            a1(row, c),
            SURE if sure else CONFIRM,
            f"表头上方最宽的合并文字（跨 {int(width)} 栏"
            + (f"，{size:g} 号字" if size else "")
            + "）",
            key="title",
        )

    def read_fields(self, first: int, last: int, *, footer: bool) -> None:
        for row in range(first, last + 1):
            for c, t in self.row_texts(row):
                self.fields_in_cell(row, c, t, footer)

    def fields_in_cell(self, row: int, col: int, text: str, footer: bool) -> None:
        matches = list(FIELD_RE.finditer(text))
        taken = {f.id for f in self.draft.fields}
        for i, m in enumerate(matches):
            label = m.group(0)
            if text[: m.start()].endswith(("金额", "计量")):
                continue
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            after = text[m.end() : end]
            colon = after[:1] in ("：", ":")
            rest = after[1:] if colon else after
            fid, kind, required = FIELD_LABELS[label]
            if rest.strip() and not PLACEHOLDER.match(rest):
                continue  # "日期" inside a sentence
            _r1, _c1, _r2, c2 = self.span(row, col)
            if len(matches) > 1 or (rest and PLACEHOLDER.match(rest)):
                value, value_cell = "after_colon", a1(row, col)
                why = f"“{label}：”后留有填写位置（{rest.strip() or '空格'}），值写在同一格"
                confidence = SURE if rest.strip() else LIKELY
            else:
                value, value_cell = "next", a1(row, c2 + 1)
                why = f"“{label}”后的单元格 {value_cell} 用来填写"
                right = self.text(row, c2 + 1)
                confidence = SURE if not right else CONFIRM
                if right:
                    why += f"，但它已有文字“{right}”"
            self.draft.fields.append(
                DField(
                    id=unique_id(fid, taken),
                    label=label,
                    kind=kind,
                    required=required and not footer,
                    value=value,
                    row=row,
                    col=col,
                    value_cell=value_cell,
                    footer=footer,
                )
            )
            place = "表尾" if footer else "表头"
            mode = "同格冒号后" if value == "after_colon" else "右侧单元格"
            self.note(
                f"{place}栏目“{label}”（{mode}）",
                a1(row, col),
                confidence,
                why,
                key=f"field:{self.draft.fields[-1].id}",
            )

    def read_notes_and_footer(self, first: int) -> None:
        lines: list[str] = []
        where = ""
        in_notes = False
        for row in range(first, self.last_row + 1):
            for c, t in self.row_texts(row):
                m = NOTES_START.match(t)
                if FIELD_RE.search(t) and not m and not in_notes:
                    self.fields_in_cell(row, c, t, footer=True)
                    continue
                if FIELD_RE.search(t) and not m and in_notes and not looks_like_note(t):
                    self.fields_in_cell(row, c, t, footer=True)
                    in_notes = False
                    continue
                if m:
                    self.draft.notes_label = m.group(1)
                    t = t[m.end() :]
                    in_notes = True
                    where = where or a1(row, c)
                if in_notes:
                    for line in t.split("\n"):
                        line = line.strip().strip("\u3000").strip()
                        if line:
                            lines.append(line)
        self.draft.notes = lines
        if lines:
            self.note(
                f"说明 {len(lines)} 条",
                where,
                SURE,
                f"表体下方以“{self.draft.notes_label}：”开头的文字",
                key="notes",
            )
        text = "".join(lines)
        m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:前|之前|以前)", text)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            self.draft.deadline = f"{y:04d}-{mo:02d}-{d:02d}"
            self.note("截止日期", where, LIKELY, f"说明中“{m.group(0)}”", key="deadline")
        m = re.search(r"报送(?:至|到|给)([^。；;，,、]+)", text)
        if m:
            self.draft.submit_to = m.group(1).strip()
            self.note("报送去处", where, LIKELY, f"说明中“{m.group(0)}”", key="submit_to")
