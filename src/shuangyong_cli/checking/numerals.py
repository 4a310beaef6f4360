"""Chinese numerals as a clerk types them (三, 十二, 两千, 一百零五, 三万五千): ``cn_int`` and the
digits and characters it knows, shared by the number and the date readers."""

from __future__ import annotations

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = frozenset(CN_DIGITS) | frozenset(CN_UNITS) | {"万"}


def cn_int(s: str) -> int | None:
    """A Chinese numeral (三, 十二, 两千, 一百零五, 三万五千) as an int, or None."""
    if not s or any(ch not in CN_CHARS for ch in s):
        return None
    if not any(ch in CN_UNITS or ch == "万" for ch in s):
        return CN_DIGITS[s] if len(s) == 1 else None
    total = section = 0
    num: int | None = None
    prev_digit = False
    for ch in s:
        if ch in CN_DIGITS:
            if prev_digit and num:
                return None  # 三四: three or four
            num = CN_DIGITS[ch]
            prev_digit = True
            continue
        prev_digit = False
        if ch == "万":
            if section == 0 and not num:
                return None
            total = (total + section + (num or 0)) * 10000
            section, num = 0, None
        else:
            if num is None and not (ch == "十" and section == 0):
                return None
            section += (num if num is not None else 1) * CN_UNITS[ch]
            num = None
    return total + section + (num or 0)
