"""Reading one typed number (数量, 万元) the way a clerk means it.

A returned form is typed by people, in Excel, WPS or a copy of a copy. This module turns what is
in one cell into a value, and says in Chinese what it did or why it refused. It knows nothing
about sheets or addresses: ``checks`` puts every detail after
``单元格 E8「抗战老战士 / 慰问金」`` and files it under the cell.

Numbers (``parse_number``):

* Nothing typed (no value, spaces only) is blank: 0, and ``Parsed.blank`` is true. A form whose
  every input is blank is an empty return.
* ``—``, ``——``, ``-``, ``－``, ``/``, ``无`` are an *explicit* zero: 0, reported nowhere, and not
  blank. A unit that had nothing to report and typed 无 everywhere has sent a return of zeros; a
  unit that sent the form untouched has sent an empty return.
* Numbers the reader hands on (``int``, ``float``) are taken as they are. A float is read to
  Excel's 15 significant digits (``format(f, ".15g")``), which for anything a person typed is the
  shortest repr: 0.1 stays 0.1, and the binary noise of a formula (0.30000000000000004) is the
  0.3 the clerk sees on the screen.
* Text is read where the meaning is certain and reported with a note either way: full-width
  digits (``１２``), thousands separators (``1,200``), a unit that fits the column (``3人`` in
  a 人次 row, ``0.5万元``), ``5000元`` in a 万元 column (converted to 0.5, a warning), Chinese
  numerals (``三``, ``两千``), a number stored as text (an info).
* Refused (``Parsed.value`` is None): guesses (``约5``, ``若干``, ``5左右``, ``5-6``,
  ``不详``, a lone ``一``, which may be 1 or a dash), other text, a negative number, a count
  that is not whole, logical values, dates and times in a number cell, error values, formulas
  saved without a result.
* Money with more than two decimals is kept as typed, with a warning.

Every note is ``(finding code, detail)``; the detail says what was typed and what to type instead.
A date cell is read by ``dates``, a text cell by ``text_cells``; ``display`` shows a value as the
clerk sees it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shuangyong_cli.checking.display import plain, shown
from shuangyong_cli.checking.numerals import CN_CHARS, cn_int
from shuangyong_cli.model import CellError, CellValue, FormulaNoValue, ValueKind, message

Note = tuple[str, str]
"""(finding code, Chinese detail)."""

#: Count units a clerk may type after a number, longest first.
COUNT_UNITS = ("人次", "场次", "人", "个", "份", "块", "场", "次", "户", "名")
#: Units that mean the same thing as a row's 计量单位.
_UNIT_GROUPS = (
    frozenset({"人", "名", "人次"}),
    frozenset({"场", "场次", "次"}),
    frozenset({"次", "人次"}),
)
#: Words that make a number a guess.
GUESS_WORDS = (
    "约",
    "大概",
    "若干",
    "左右",
    "上下",
    "多",
    "余",
    "几",
    "近",
    "以上",
    "以下",
    "不少于",
    "超过",
    "至少",
    "估计",
    "不详",
    "待定",
    "未知",
    "不清楚",
    "不确定",
    "待统计",
    "待核实",
    "?",
)

_ZERO_FAST = frozenset({"", "—", "——", "-", "－", "/", "无"})
_ZERO_TEXT = re.compile(r"^(?:[-—–―─]+|/|无)$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_RANGE = re.compile(r"\d[-~〜—–至到]+\d")
_DATE_LIKE = re.compile(r"^\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月(?:\d{1,2}[日号]?)?)$")
_FIRST_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
INVISIBLE = dict.fromkeys((0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD), None)
_EXTRA_FOLD = str.maketrans({"\u2212": "-", "〜": "~"})

_YUAN_PER_WAN = Decimal(10000)
#: How many 元 one of each money unit is.
_IN_YUAN = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000)}
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Parsed:
    """One number cell as read. ``value`` is None when the cell was refused (a guess, text, …);
    ``blank`` is true only when nothing was typed. ``notes`` are (finding code, detail) for every
    conversion and problem, each detail phrased to follow ``单元格 E8「项目 / 栏目」``."""

    value: Decimal | None
    blank: bool = False
    notes: tuple[Note, ...] = ()

    @property
    def refused(self) -> bool:
        return self.value is None


_float_cache: dict[tuple[float, ValueKind, str, str], Parsed] = {}
"""Parsed floats: the same few amounts recur in every file. Parsed is immutable."""

BLANK = Parsed(_ZERO, blank=True)
EXPLICIT_ZERO = Parsed(_ZERO)


# -- messages ---------------------------------------------------------------------------------
# Every detail follows 单元格 E8「项目 / 栏目」 and says what was typed and what to type instead.

ASK_MONEY = "请填写确切金额（{unit}），如 {n} 或 {n2}"
ASK_MONEY_ONE = "请填写确切金额（{unit}），如 {n}"
ASK_COUNT_OF = "请填写确切的{measure}数（整数），如 {n}"
ASK_COUNT = "请填写确切的整数，如 {n}"
MSG_NOT_NUMBER = message("value.not_number")
MSG_GUESS = message("value.guess")
MSG_ONE_OR_DASH = message("value.guess", "one_or_dash")
MSG_DATE_TEXT_IN_NUMBER = message("value.not_number", "date_text")
MSG_DATE_IN_NUMBER = message("value.not_number", "date")
MSG_FORMULA_NO_CACHE = message("value.formula_no_cache")
MSG_ERROR_CELL = message("value.error_cell")
MSG_UNIT_MISFIT = message("value.not_number", "unit_misfit")
MSG_TOO_LONG = message("value.too_long")
MSG_NEGATIVE = message("value.negative")
MSG_NOT_WHOLE = message("value.not_whole")
MSG_TOO_MANY_DECIMALS = message("value.too_many_decimals")
MSG_YUAN = message("value.yuan_converted")
MSG_CONVERTED = message("value.converted")
MSG_UNIT_CONVERTED = message("value.unit_converted")
HINT_WAN = "已按 {v} 万元计；本栏单位已是万元，请只填数字。"
HINT_UNIT = "已按 {v} 计；请只填数字，不带单位。"
HINT_MONEY_UNIT = "已按 {v} {unit}计；本栏单位是{unit}，请只填数字。"
HINT_CHINESE = "已按 {v} 计；请填写阿拉伯数字。"
HINT_FULLWIDTH = "已按 {v} 计；请用半角数字填写（关闭全角输入）。"
HINT_THOUSANDS = "已按 {v} 计；请不要加千位分隔符。"
HINT_TEXT = "该格是文本格式，已按数字 {v} 读取；今后可设为数值格式。"
WHY_BOOL = "（逻辑值）"
WHY_PERCENT = "（百分数）"
WHY_COMMA = "（逗号位置不对；小数点请用“.”）"
WHY_COUNT_UNIT_IN_MONEY = "（本栏是金额，单位为{unit}）"
WHY_MONEY_IN_COUNT = "（本栏是数量，不是金额）"


# -- numbers -----------------------------------------------------------------------------------


def _what(kind: ValueKind, measure: str, *, one_example: bool = False) -> str:
    """How to ask for the right value in this column."""
    if kind is ValueKind.MONEY:
        return ASK_MONEY_ONE if one_example else ASK_MONEY
    if measure:
        return ASK_COUNT_OF.replace("{measure}", measure)
    return ASK_COUNT


_YUAN_MARKS = ("元", "￥", "¥")
#: How many a number followed by each of these means (``3千元``, ``1500万``, ``2千万``, ``3k``).
_MULTIPLIERS = (
    ("千万", Decimal(10_000_000)),
    ("百万", Decimal(1_000_000)),
    ("亿", Decimal(100_000_000)),
    ("万", Decimal(10000)),
    ("千", Decimal(1000)),
    ("百", Decimal(100)),
    ("k", Decimal(1000)),
    ("K", Decimal(1000)),
)


def _example(text: str, kind: ValueKind, unit: str = "万元") -> tuple[str, str]:
    """An example number for the hint, and for money the same with two decimals ("" when that
    is the same text, or would round it): the number in what was typed (``1,500`` is 1500,
    ``约1.5万人`` 15000, ``约3-4千元`` 3000), else a plain one. For money, a Chinese full stop
    is taken for the decimal point (``1。5`` shows 1.5), and an amount typed in a money unit
    (``约3千元``, ``￥5000``, ``0.5万元``) is shown in the cell's unit (0.3, 0.5 万元; 5000 元),
    so that following the hint does not make it a thousand or ten thousand times off."""
    money = kind is ValueKind.MONEY
    text = unicodedata.normalize("NFKC", text)  # １２ｋ is 12k
    typed = text.replace("。", ".") if money else text
    m = _FIRST_NUMBER.search(typed)
    d = Decimal(m.group().replace(",", "")) if m else (Decimal("0.5") if money else Decimal(5))
    # the word after a range (约3-4千元) is the first number's too
    times = _multiplier(_RANGE_END.sub("", typed[m.end() :]).lstrip()) if m else None
    if not money:
        return plain((d * (times or 1)).to_integral_value()), ""
    if m and unit in _IN_YUAN:
        yuan = times if times is not None else (1 if any(c in text for c in _YUAN_MARKS) else None)
        if yuan is not None:
            d = d * yuan / _IN_YUAN[unit]
    n = plain(d)
    n2 = format(d.quantize(Decimal("0.01")), "f")
    return n, ("" if n2 == n or Decimal(n2) != d else n2)


_RANGE_END = re.compile(r"^\s*[-~〜—–至到]+\s*\d+(?:\.\d+)?")


def _multiplier(after: str) -> Decimal | None:
    """How many the typed number means by the word right after it (千万, 万, 千, 百, k …): the
    number of 元 for money; None when there is none."""
    for word, times in _MULTIPLIERS:
        if after.startswith(word):
            return times
    return None


def _ask(kind: ValueKind, measure: str, text: str, unit: str = "万元") -> str:
    n, n2 = _example(text, kind, unit)
    return _what(kind, measure, one_example=not n2).format(n=n, n2=n2, unit=unit)


def _refuse(code: str, detail: str) -> Parsed:
    return Parsed(None, notes=((code, detail),))


def _not_number(
    kind: ValueKind, measure: str, typed: str, why: str = "", *, unit: str = "万元"
) -> Parsed:
    ask = _ask(kind, measure, typed, unit)
    return _refuse("value.not_number", MSG_NOT_NUMBER.format(typed=typed, why=why, ask=ask))


def _unit_fits(suffix: str, measure: str) -> bool:
    if not measure or suffix == measure:
        return True
    return any(suffix in g and measure in g for g in _UNIT_GROUPS)


def _from_float(f: float) -> Decimal | None:
    if math.isnan(f) or math.isinf(f):
        return None
    return Decimal(format(f, ".15g"))


def parse_number(
    raw: CellValue | None, kind: ValueKind, *, measure: str = "", unit: str = "万元"
) -> Parsed:
    """Read a 数量 (``ValueKind.COUNT``) or money (``ValueKind.MONEY``) cell. ``measure`` is the
    row's 计量单位 (人次, 个 …): a count typed with a unit that does not fit it is refused.
    ``unit`` is a money cell's unit (元, 千元, 万元): money typed in another is converted."""
    # The common cases first: this runs for every cell of every file.
    if type(raw) is int:
        return Parsed(Decimal(raw)) if raw >= 0 else _negative(str(raw))
    if type(raw) is float:
        key = (raw, kind, measure, unit)
        got = _float_cache.get(key)
        if got is None:
            d = _from_float(raw)
            got = (
                _not_number(kind, measure, shown(raw), unit=unit)
                if d is None
                else _checked(d, kind, measure, raw)
            )
            if len(_float_cache) > 4096:
                _float_cache.clear()
            _float_cache[key] = got
        return got
    if raw is None:
        return BLANK
    if type(raw) is str:
        if raw in _ZERO_FAST:
            return BLANK if raw == "" else EXPLICIT_ZERO
        return _parse_text(raw, kind, measure, unit)
    if isinstance(raw, FormulaNoValue):
        return _refuse("value.formula_no_cache", MSG_FORMULA_NO_CACHE.format(formula=raw))
    if isinstance(raw, CellError):
        return _refuse("value.error_cell", MSG_ERROR_CELL.format(error=raw))
    if isinstance(raw, bool):
        return _not_number(kind, measure, shown(raw), WHY_BOOL, unit=unit)
    if isinstance(raw, (dt.datetime, dt.date, dt.time)):
        what = "时间" if isinstance(raw, dt.time) else "日期"
        detail = MSG_DATE_IN_NUMBER.format(what=what, typed=shown(raw))
        return _refuse("value.not_number", detail)
    if isinstance(raw, int):  # an int subclass other than bool
        return _checked(Decimal(int(raw)), kind, measure, raw)
    if isinstance(raw, float):
        return parse_number(float(raw), kind, measure=measure, unit=unit)
    return _parse_text(str(raw), kind, measure, unit)


def _parse_text(typed: str, kind: ValueKind, measure: str, unit: str = "万元") -> Parsed:
    """Text typed in a number cell: refused when it is a guess, a date or a percentage; else a
    number with the unit that may follow it, converted with a note saying how it was read."""
    folded = unicodedata.normalize("NFKC", typed).translate(_EXTRA_FOLD).translate(INVISIBLE)
    t = "".join(folded.split())
    if not t:
        return BLANK
    if _ZERO_TEXT.match(t):
        return EXPLICIT_ZERO
    if _DATE_LIKE.match(t):
        ask = _ask(kind, measure, "", unit)
        return _refuse("value.not_number", MSG_DATE_TEXT_IN_NUMBER.format(typed=typed, ask=ask))
    if "%" in t:
        return _not_number(kind, measure, typed, WHY_PERCENT, unit=unit)
    if t == "一":
        return _refuse("value.guess", MSG_ONE_OR_DASH.format(typed=typed))
    if _RANGE.search(t) or any(w in t for w in GUESS_WORDS):
        return _refuse(
            "value.guess", MSG_GUESS.format(typed=typed, ask=_ask(kind, measure, t, unit))
        )

    split = _split_unit(t, typed, kind, measure, unit)
    if isinstance(split, Parsed):
        return split
    suffix, body = split
    number = _read_digits(body, typed, kind, measure, unit)
    if isinstance(number, Parsed):
        return number
    d, how = number

    if suffix == "元" and unit == "万元":
        if d < 0:
            return _negative(typed)
        value = d / _YUAN_PER_WAN
        note = ("value.yuan_converted", MSG_YUAN.format(typed=typed, value=plain(value)))
        return Parsed(value, notes=(note,))
    typed_unit = "万元" if suffix == "万" else suffix
    # Typed in another money unit: converted, and a warning as 元 in a 万元 cell is (the
    # number changed by a factor: worth a look by the unit).
    code = "value.converted"
    if typed_unit in _IN_YUAN and typed_unit != unit:
        d = d * _IN_YUAN[typed_unit] / _IN_YUAN[unit]  # 0.5万元 in a 元 column is 5000
        code = "value.unit_converted"
    parsed = _checked(d, kind, measure, typed)
    if parsed.value is None:
        return parsed
    hint = _hint(suffix, how, unit).format(v=plain(parsed.value), unit=unit)
    template = MSG_UNIT_CONVERTED if code == "value.unit_converted" else MSG_CONVERTED
    note = (code, template.format(typed=typed, hint=hint))
    return Parsed(parsed.value, notes=(note, *parsed.notes))


def _split_unit(
    t: str, typed: str, kind: ValueKind, measure: str, unit: str = "万元"
) -> tuple[str, str] | Parsed:
    """(unit, number) for text with a unit after the number (``3人``, ``0.5万元``, ``5000元``),
    ("", t) without one; refused when the unit does not fit the column or the row."""
    if kind is ValueKind.MONEY:
        for s in ("万元", "千元", "万", "元"):
            if t.endswith(s) and len(t) > len(s):
                if s == "千元" and not t[-3].isdigit():
                    continue  # 五千元 is 5000 元, a Chinese numeral with 元
                return s, t[: -len(s)]
        if any(t.endswith(u) for u in COUNT_UNITS):
            why = WHY_COUNT_UNIT_IN_MONEY.format(unit=unit)
            return _not_number(kind, measure, typed, why, unit=unit)
        return "", t
    units = (measure, *COUNT_UNITS) if measure and measure not in COUNT_UNITS else COUNT_UNITS
    for s in units:
        if t.endswith(s) and len(t) > len(s):
            if not _unit_fits(s, measure):
                detail = MSG_UNIT_MISFIT.format(typed=typed, measure=measure)
                return _refuse("value.not_number", detail)
            return s, t[: -len(s)]
    if t.endswith("元"):
        return _not_number(kind, measure, typed, WHY_MONEY_IN_COUNT)
    return "", t


def _read_digits(
    body: str, typed: str, kind: ValueKind, measure: str, unit: str = "万元"
) -> tuple[Decimal, str] | Parsed:
    """The number itself, and how it was written (``text``, ``thousands``, ``chinese``,
    ``fullwidth``), or the refusal."""
    how = "text"
    if "," in body:
        if not _THOUSANDS.match(body):
            return _not_number(kind, measure, typed, WHY_COMMA, unit=unit)
        body = body.replace(",", "")
        how = "thousands"
    if _NUMBER.match(body):
        try:
            d = Decimal(body)
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
            return _not_number(kind, measure, typed, unit=unit)
    else:
        n = cn_int(body)
        if n is None:
            if all(ch in CN_CHARS for ch in body):
                ask = _ask(kind, measure, "", unit)
                return _refuse("value.guess", MSG_GUESS.format(typed=typed, ask=ask))
            return _not_number(kind, measure, typed, unit=unit)
        d = Decimal(n)
        how = "chinese"
    if how == "text" and any("\uff01" <= ch <= "\uff5e" for ch in typed):
        how = "fullwidth"
    return d, how


def _hint(suffix: str, how: str, unit: str = "万元") -> str:
    """What the converted-value note tells the clerk to type next time."""
    if suffix in ("万元", "万") and unit == "万元":
        return HINT_WAN
    if suffix in _IN_YUAN or suffix == "万":
        return HINT_MONEY_UNIT
    if suffix:
        return HINT_UNIT
    if how == "chinese":
        return HINT_CHINESE
    if how == "fullwidth":
        return HINT_FULLWIDTH
    if how == "thousands":
        return HINT_THOUSANDS
    return HINT_TEXT


def _negative(typed: str) -> Parsed:
    return _refuse("value.negative", MSG_NEGATIVE.format(typed=typed))


def _typed(raw: CellValue) -> str:
    return raw if isinstance(raw, str) else shown(raw)


#: Excel keeps 15 significant digits: a whole number from 10**15 on may have lost its last digits.
_PRECISION_LIMIT = Decimal(10) ** 15


def _checked(d: Decimal, kind: ValueKind, measure: str, raw: CellValue) -> Parsed:
    """The checks every number passes, however it was typed."""
    if d < 0:
        return _negative(_typed(raw))
    if d >= _PRECISION_LIMIT:
        return _refuse("value.too_long", MSG_TOO_LONG.format(typed=_typed(raw)))
    if kind is ValueKind.COUNT:
        whole = d.to_integral_value()
        if d != whole:
            lo = plain(d.to_integral_value(rounding="ROUND_FLOOR"))
            hi = plain(d.to_integral_value(rounding="ROUND_CEILING"))
            unit = f"{measure}数" if measure else "数量"
            detail = MSG_NOT_WHOLE.format(unit=unit, typed=_typed(raw), lo=lo, hi=hi)
            return _refuse("value.not_whole", detail)
        return Parsed(whole + 0)  # + 0 turns -0 into 0
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and d != d.quantize(Decimal("0.01")):
        rounded = d.quantize(Decimal("0.01"))
        example = f"，如 {format(rounded, 'f')}" if rounded else ""
        detail = MSG_TOO_MANY_DECIMALS.format(typed=_typed(raw), value=plain(d), example=example)
        note = ("value.too_many_decimals", detail)
        return Parsed(d, notes=(note,))
    return Parsed(d)
