"""Reading a text cell (填报单位, 备注, 填表人 …) as a clean string: ``clean_text`` and its
messages (control characters removed, text that looks like a formula, a long number that Excel
has already rounded, a formula or error value in place of the text)."""

from __future__ import annotations

import re
import unicodedata

from shuangyong_cli.checking.display import shown
from shuangyong_cli.checking.values import Note
from shuangyong_cli.model import CellError, CellValue, FormulaNoValue, message

MSG_LONG_NUMBER_TEXT = message("value.long_number_text")
MSG_TEXT_FORMULA = message("value.formula_no_cache", "text")
MSG_TEXT_ERROR = message("value.error_cell", "text")
MSG_CONTROL_CHARS = message("value.control_chars")
MSG_FORMULA_TEXT = message("value.formula_text")

_FORMULA_START = frozenset("=@")
_SIGNED_NUMBERISH = re.compile(r"^[+-][\d\s().-]*$")


def clean_text(raw: CellValue | None) -> tuple[str, list[Note]]:
    """A text cell (填报单位, 备注 …) as a clean string: numbers without ``.0``, dates as
    2020-08-10, ends stripped, invisible and control characters removed (reported), line breaks
    kept. Text starting like a formula (= + - @) is noted: it is always written back as text."""
    notes: list[Note] = []
    if raw is None:
        return "", notes
    if isinstance(raw, FormulaNoValue):
        notes.append(("value.formula_no_cache", MSG_TEXT_FORMULA.format(formula=raw)))
        return "", notes
    if isinstance(raw, CellError):
        notes.append(("value.error_cell", MSG_TEXT_ERROR.format(error=raw)))
        return "", notes
    if not isinstance(raw, str):
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and abs(raw) >= 1e15:
            notes.append(("value.long_number_text", MSG_LONG_NUMBER_TEXT.format(typed=shown(raw))))
        return shown(raw), notes
    if raw.isprintable():
        # No category C or Z character but the ASCII space (most cells): nothing to remove,
        # and only ASCII spaces to strip.
        cleaned = raw.strip()
    else:
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        cleaned = "".join(
            ch
            for ch in text
            if ch in "\n\t"
            or not (unicodedata.category(ch) in ("Cc", "Cf") or ch in "\u2028\u2029")
        )
        cleaned = cleaned.replace("\t", " ").strip()
        if cleaned != text.replace("\t", " ").strip():
            notes.append(("value.control_chars", MSG_CONTROL_CHARS.format(text=cleaned)))
    if cleaned and (
        cleaned[0] in _FORMULA_START
        or (cleaned[0] in "+-" and not _SIGNED_NUMBERISH.match(cleaned))
    ):
        detail = MSG_FORMULA_TEXT.format(text=cleaned, first=cleaned[0])
        notes.append(("value.formula_text", detail))
    return cleaned, notes
