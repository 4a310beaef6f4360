"""Reading a text cell (填报单位, 备注, 填表人 …) as a clean string: ``clean_text`` and its
messages (control characters removed, text that looks like a formula, a long number that Excel
has already rounded, a formula or error value in place of the text)."""

from __future__ import annotations

import re
import unicodedata

from shuangyong_cli.checking.display import shown
from shuangyong_cli.checking.values import Note
from shuangyong_cli.model import CellError, CellValue, FormulaNoValue

MSG_LONG_NUMBER_TEXT = (
    "填的是超过 15 位的数字，Excel 只保存了近似值“{typed}”，后几位已丢失；"
    "身份证号、银行账号等长数字请先把单元格设为“文本”格式再填写。"
)
MSG_TEXT_FORMULA = "是公式“{formula}”，但文件中没有保存计算结果；请直接填写文字。"
MSG_TEXT_ERROR = "显示错误值“{error}”；请直接填写文字。"
MSG_CONTROL_CHARS = "含有看不见的控制字符，已删除，按“{text}”读取；请检查是否从别处复制粘贴而来。"
MSG_FORMULA_TEXT = "文字“{text}”以“{first}”开头，看起来像公式；本工具按文字原样保存，不会计算。"

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
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = "".join(
        ch
        for ch in text
        if ch in "\n\t" or not (unicodedata.category(ch) in ("Cc", "Cf") or ch in "\u2028\u2029")
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
