"""Reading one typed value the way a clerk means it.

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
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shuangyong_cli.model import CellError, CellValue, FormulaNoValue, ValueKind

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
_FIRST_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_INVISIBLE = dict.fromkeys((0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD), None)
_EXTRA_FOLD = str.maketrans({"\u2212": "-", "〜": "~"})

_CN_DIGITS = {
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
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = frozenset(_CN_DIGITS) | frozenset(_CN_UNITS) | {"万"}

_YUAN_PER_WAN = Decimal(10000)
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


_float_cache: dict[tuple[float, ValueKind, str], Parsed] = {}
"""Parsed floats: the same few amounts recur in every file. Parsed is immutable."""

BLANK = Parsed(_ZERO, blank=True)
EXPLICIT_ZERO = Parsed(_ZERO)


# -- messages ---------------------------------------------------------------------------------
# Every detail follows 单元格 E8「项目 / 栏目」 and says what was typed and what to type instead.

ASK_MONEY = "请填写确切金额（万元），如 {n} 或 {n2}"
ASK_COUNT_OF = "请填写确切的{measure}数（整数），如 {n}"
ASK_COUNT = "请填写确切的整数，如 {n}"
MSG_NOT_NUMBER = "应为数字，实际为“{typed}”{why}；{ask}。"
MSG_GUESS = "应为数字，实际为“{typed}”；{ask}。"
MSG_ONE_OR_DASH = "填的是“{typed}”，不能确定是数字 1 还是表示“没有”的横线；请填写 1 或 0。"
MSG_DATE_TEXT_IN_NUMBER = "应为数字，实际为日期“{typed}”；{ask}。"
MSG_DATE_IN_NUMBER = (
    "应为数字，实际显示为{what}“{typed}”（单元格格式为{what}）；"
    "请把单元格格式改为“常规”或“数值”后重新填写数字。"
)
MSG_FORMULA_NO_CACHE = (
    "是公式“{formula}”，但文件中没有保存计算结果（常见于程序生成或未重新计算的文件）；"
    "请在 Excel 或 WPS 中打开并保存后再报送，或直接填写数字。"
)
MSG_ERROR_CELL = "显示错误值“{error}”；请改正公式，或直接填写数字。"
MSG_UNIT_MISFIT = "填的是“{typed}”，但本项的计量单位是“{measure}”；请按{measure}数填写，只填数字。"
MSG_TOO_LONG = (
    "数字“{typed}”超过 15 位，Excel 只能保存 15 位有效数字，这个数已不准确；请核对后填写正确的数。"
)
MSG_LONG_NUMBER_TEXT = (
    "填的是超过 15 位的数字，Excel 只保存了近似值“{typed}”，后几位已丢失；"
    "身份证号、银行账号等长数字请先把单元格设为“文本”格式再填写。"
)
MSG_NEGATIVE = "不能为负数，实际为“{typed}”；请填写 0 或正数。"
MSG_NOT_WHOLE = "{unit}应为整数，实际为“{typed}”；请填写整数，如 {lo} 或 {hi}。"
MSG_TOO_MANY_DECIMALS = (
    "超过两位小数，实际为“{typed}”，已按所填的 {value} 计入（未四舍五入）；"
    "请保留两位小数{example}。"
)
MSG_YUAN = "填的是“{typed}”，已按 {value} 万元计；今后请直接填写万元数。"
MSG_CONVERTED = "填的是“{typed}”，{hint}"
HINT_WAN = "已按 {v} 万元计；本栏单位已是万元，请只填数字。"
HINT_UNIT = "已按 {v} 计；请只填数字，不带单位。"
HINT_CHINESE = "已按 {v} 计；请填写阿拉伯数字。"
HINT_FULLWIDTH = "已按 {v} 计；请用半角数字填写（关闭全角输入）。"
HINT_THOUSANDS = "已按 {v} 计；请不要加千位分隔符。"
HINT_TEXT = "该格是文本格式，已按数字 {v} 读取；今后可设为数值格式。"
WHY_BOOL = "（逻辑值）"
WHY_PERCENT = "（百分数）"
WHY_COMMA = "（逗号位置不对；小数点请用“.”）"
WHY_COUNT_UNIT_IN_MONEY = "（本栏是金额，单位为万元）"
WHY_MONEY_IN_COUNT = "（本栏是数量，不是金额）"
MSG_DATE = "应为日期，实际为“{typed}”{why}；请填写如 2020-08-10 或 2020年8月10日。"
WHY_NO_YEAR = "（缺少年份）"
WHY_NO_SUCH_DAY = "（没有这一天）"
WHY_TIME_ONLY = "（只有时间）"
MSG_DATE_FORMULA = "是公式“{formula}”，但文件中没有保存计算结果；请直接填写日期，如 2020-08-10。"
MSG_DATE_ERROR = "显示错误值“{error}”；请填写日期，如 2020-08-10。"
MSG_TEXT_FORMULA = "是公式“{formula}”，但文件中没有保存计算结果；请直接填写文字。"
MSG_TEXT_ERROR = "显示错误值“{error}”；请直接填写文字。"
MSG_CONTROL_CHARS = "含有看不见的控制字符，已删除，按“{text}”读取；请检查是否从别处复制粘贴而来。"
MSG_FORMULA_TEXT = "文字“{text}”以“{first}”开头，看起来像公式；本工具按文字原样保存，不会计算。"


# -- showing values --------------------------------------------------------------------------


def shown(raw: CellValue | None) -> str:
    """A cell value as the clerk sees it on the screen (for messages and ``Finding.value``)."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return str(raw)
        if not raw.is_integer():
            return format(raw, ".15g")
        # Excel shows a long whole number with its 15 digits and zeros after: 500239199001011000
        return format(Decimal(format(raw, ".15g")), "f") if abs(raw) >= 1e15 else str(int(raw))
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0):
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    return str(raw)


def plain(d: Decimal) -> str:
    """A computed Decimal without exponent or trailing zeros: 0.5, 100, 1.25."""
    if d == 0:
        return "0"
    return format(d.normalize(), "f")


# -- numbers -----------------------------------------------------------------------------------


def _what(kind: ValueKind, measure: str) -> str:
    """How to ask for the right value in this column."""
    if kind is ValueKind.MONEY:
        return ASK_MONEY
    if measure:
        return ASK_COUNT_OF.replace("{measure}", measure)
    return ASK_COUNT


def _example(text: str, kind: ValueKind) -> tuple[str, str]:
    """An example number for the hint: the one in what was typed, else a plain one."""
    m = _FIRST_NUMBER.search(text)
    default = Decimal("0.5") if kind is ValueKind.MONEY else Decimal(5)
    d = Decimal(m.group()) if m else default
    if kind is ValueKind.COUNT:
        d = d.to_integral_value()
    return plain(d), format(d.quantize(Decimal("0.01")), "f")


def _ask(kind: ValueKind, measure: str, text: str) -> str:
    n, n2 = _example(text, kind)
    return _what(kind, measure).format(n=n, n2=n2)


def _refuse(code: str, detail: str) -> Parsed:
    return Parsed(None, notes=((code, detail),))


def _not_number(kind: ValueKind, measure: str, typed: str, why: str = "") -> Parsed:
    ask = _ask(kind, measure, typed)
    return _refuse("value.not_number", MSG_NOT_NUMBER.format(typed=typed, why=why, ask=ask))


def _unit_fits(suffix: str, measure: str) -> bool:
    if not measure or suffix == measure:
        return True
    return any(suffix in g and measure in g for g in _UNIT_GROUPS)


def _cn_int(s: str) -> int | None:
    """A Chinese numeral (三, 十二, 两千, 一百零五, 三万五千) as an int, or None."""
    if not s or any(ch not in _CN_CHARS for ch in s):
        return None
    if not any(ch in _CN_UNITS or ch == "万" for ch in s):
        return _CN_DIGITS[s] if len(s) == 1 else None
    total = section = 0
    num: int | None = None
    prev_digit = False
    for ch in s:
        if ch in _CN_DIGITS:
            if prev_digit and num:
                return None  # 三四: three or four
            num = _CN_DIGITS[ch]
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
            section += (num if num is not None else 1) * _CN_UNITS[ch]
            num = None
    return total + section + (num or 0)


def _from_float(f: float) -> Decimal | None:
    if math.isnan(f) or math.isinf(f):
        return None
    return Decimal(format(f, ".15g"))


def parse_number(raw: CellValue | None, kind: ValueKind, *, measure: str = "") -> Parsed:
    """Read a 数量 (``ValueKind.COUNT``) or 万元 (``ValueKind.MONEY``) cell. ``measure`` is the
    row's 计量单位 (人次, 个 …): a count typed with a unit that does not fit it is refused."""
    # The common cases first: this runs for every cell of every file.
    if type(raw) is int:
        return Parsed(Decimal(raw)) if raw >= 0 else _negative(str(raw))
    if type(raw) is float:
        key = (raw, kind, measure)
        got = _float_cache.get(key)
        if got is None:
            d = _from_float(raw)
            got = (
                _not_number(kind, measure, shown(raw))
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
        return _parse_text(raw, kind, measure)
    if isinstance(raw, FormulaNoValue):
        return _refuse("value.formula_no_cache", MSG_FORMULA_NO_CACHE.format(formula=raw))
    if isinstance(raw, CellError):
        return _refuse("value.error_cell", MSG_ERROR_CELL.format(error=raw))
    if isinstance(raw, bool):
        return _not_number(kind, measure, shown(raw), WHY_BOOL)
    if isinstance(raw, (dt.datetime, dt.date, dt.time)):
        what = "时间" if isinstance(raw, dt.time) else "日期"
        detail = MSG_DATE_IN_NUMBER.format(what=what, typed=shown(raw))
        return _refuse("value.not_number", detail)
    if isinstance(raw, int):  # an int subclass other than bool
        return _checked(Decimal(int(raw)), kind, measure, raw)
    if isinstance(raw, float):
        return parse_number(float(raw), kind, measure=measure)
    return _parse_text(str(raw), kind, measure)


def _parse_text(typed: str, kind: ValueKind, measure: str) -> Parsed:
    folded = unicodedata.normalize("NFKC", typed).translate(_EXTRA_FOLD).translate(_INVISIBLE)
    t = "".join(folded.split())
    if not t:
        return BLANK
    if _ZERO_TEXT.match(t):
        return EXPLICIT_ZERO
    if _DATE_LIKE.match(t):
        ask = _ask(kind, measure, "")
        return _refuse("value.not_number", MSG_DATE_TEXT_IN_NUMBER.format(typed=typed, ask=ask))
    if "%" in t:
        return _not_number(kind, measure, typed, WHY_PERCENT)
    if t == "一":
        return _refuse("value.guess", MSG_ONE_OR_DASH.format(typed=typed))
    if _RANGE.search(t) or any(w in t for w in GUESS_WORDS):
        return _refuse("value.guess", MSG_GUESS.format(typed=typed, ask=_ask(kind, measure, t)))

    # A unit after the number.
    suffix = ""
    body = t
    if kind is ValueKind.MONEY:
        for s in ("万元", "万", "元"):
            if t.endswith(s) and len(t) > len(s):
                suffix, body = s, t[: -len(s)]
                break
        else:
            if any(t.endswith(u) for u in COUNT_UNITS):
                return _not_number(kind, measure, typed, WHY_COUNT_UNIT_IN_MONEY)
    else:
        units = (measure, *COUNT_UNITS) if measure and measure not in COUNT_UNITS else COUNT_UNITS
        for s in units:
            if t.endswith(s) and len(t) > len(s):
                suffix, body = s, t[: -len(s)]
                break
        if suffix and not _unit_fits(suffix, measure):
            detail = MSG_UNIT_MISFIT.format(typed=typed, measure=measure)
            return _refuse("value.not_number", detail)
        if not suffix and t.endswith("元"):
            return _not_number(kind, measure, typed, WHY_MONEY_IN_COUNT)

    # The number itself.
    how = "text"
    if "," in body:
        if not _THOUSANDS.match(body):
            return _not_number(kind, measure, typed, WHY_COMMA)
        body = body.replace(",", "")
        how = "thousands"
    if _NUMBER.match(body):
        try:
            d = Decimal(body)
        except InvalidOperation:  # pragma: no cover - the pattern admits only plain numbers
            return _not_number(kind, measure, typed)
    else:
        n = _cn_int(body)
        if n is None:
            if all(ch in _CN_CHARS for ch in body):
                ask = _ask(kind, measure, "")
                return _refuse("value.guess", MSG_GUESS.format(typed=typed, ask=ask))
            return _not_number(kind, measure, typed)
        d = Decimal(n)
        how = "chinese"
    if how == "text" and any("\uff01" <= ch <= "\uff5e" for ch in typed):
        how = "fullwidth"

    if suffix == "元":
        if d < 0:
            return _negative(typed)
        value = d / _YUAN_PER_WAN
        note = ("value.yuan_converted", MSG_YUAN.format(typed=typed, value=plain(value)))
        return Parsed(value, notes=(note,))
    parsed = _checked(d, kind, measure, typed)
    if parsed.value is None:
        return parsed
    v = plain(parsed.value)
    if suffix in ("万元", "万"):
        hint = HINT_WAN
    elif suffix:
        hint = HINT_UNIT
    elif how == "chinese":
        hint = HINT_CHINESE
    elif how == "fullwidth":
        hint = HINT_FULLWIDTH
    elif how == "thousands":
        hint = HINT_THOUSANDS
    else:
        hint = HINT_TEXT
    note = ("value.converted", MSG_CONVERTED.format(typed=typed, hint=hint.format(v=v)))
    return Parsed(parsed.value, notes=(note, *parsed.notes))


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


# -- dates -------------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_MIN = (dt.date(1950, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (dt.date(2099, 12, 31) - _EXCEL_EPOCH).days
_CN_DATE_PART = "[0-9〇零一二三四五六七八九十]"
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[日号]?$"),
    re.compile(
        rf"^({_CN_DATE_PART}{{4}})年({_CN_DATE_PART}{{1,3}})月({_CN_DATE_PART}{{1,3}})[日号]?$"
    ),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_DATE_NO_YEAR = re.compile(rf"^({_CN_DATE_PART}{{1,3}})月({_CN_DATE_PART}{{1,3}})[日号]?$")
_TIME_TAIL = re.compile(r"(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


def _date_part(s: str, year: bool = False) -> int | None:
    if s.isdigit():
        return int(s)
    if year:  # 二〇二〇: digit by digit
        digits = [_CN_DIGITS.get(ch) for ch in s]
        if any(x is None for x in digits):
            return None
        return int("".join(str(x) for x in digits))
    return _cn_int(s)


def _date_error(typed: str, why: str = "") -> str:
    return MSG_DATE.format(typed=typed, why=why)


def parse_date(
    raw: CellValue | None, *, default_year: int | None = None
) -> tuple[dt.date | None, str | None]:
    """Read a date cell: an Excel date, a serial number, ``2020-08-10``, ``2020/8/10``,
    ``2020.8.10``, ``2020年8月10日`` (also 号, full-width, Chinese numerals), ``20200810``, and
    ``8月10日`` when ``default_year`` is given. Returns (date, None), (None, error detail), or
    (None, None) when nothing was typed."""
    if raw is None:
        return None, None
    if isinstance(raw, FormulaNoValue):
        return None, MSG_DATE_FORMULA.format(formula=raw)
    if isinstance(raw, CellError):
        return None, MSG_DATE_ERROR.format(error=raw)
    if isinstance(raw, bool):
        return None, _date_error(shown(raw))
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, dt.time):
        return None, _date_error(shown(raw), WHY_TIME_ONLY)
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and (math.isnan(raw) or math.isinf(raw)):
            return None, _date_error(shown(raw))
        if 19000101 <= raw <= 21001231 and float(raw).is_integer():
            return _ymd(shown(raw), *_split_yyyymmdd(int(raw)))
        if _SERIAL_MIN <= raw <= _SERIAL_MAX:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw)), None
        return None, _date_error(shown(raw))
    typed = str(raw)
    t = unicodedata.normalize("NFKC", typed).translate(_INVISIBLE).strip()
    t = _TIME_TAIL.sub("", t)
    t = "".join(t.split())
    if not t:
        return None, None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(t)
        if m:
            y, mo, d = (
                _date_part(m.group(1), year=True),
                _date_part(m.group(2)),
                _date_part(m.group(3)),
            )
            return _ymd(typed, y, mo, d)
    m = _DATE_NO_YEAR.match(t)
    if m and default_year is not None:
        return _ymd(typed, default_year, _date_part(m.group(1)), _date_part(m.group(2)))
    if m:
        return None, _date_error(typed, WHY_NO_YEAR)
    return None, _date_error(typed)


def _split_yyyymmdd(n: int) -> tuple[int, int, int]:
    """20200810 → (2020, 8, 10)."""
    y, md = divmod(n, 10000)
    m, d = divmod(md, 100)
    return y, m, d


def _ymd(
    typed: str, y: int | None, m: int | None, d: int | None
) -> tuple[dt.date | None, str | None]:
    if y is None or m is None or d is None:
        return None, _date_error(typed)
    try:
        return dt.date(y, m, d), None
    except ValueError:
        return None, _date_error(typed, WHY_NO_SUCH_DAY)


# -- text --------------------------------------------------------------------------------------

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
