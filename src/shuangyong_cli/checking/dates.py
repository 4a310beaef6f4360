"""Reading a date cell (报送日期) the way a clerk means it: ``parse_date`` and its messages.

An Excel date or serial number, ``2020-08-10``, ``2020/8/10``, ``2020.8.10``, ``2020年8月10日``
(also 号, full-width, Chinese numerals), ``20200810``, and ``8月10日`` in the season's year. Every
error detail follows ``单元格 E8「日期」`` and says what was typed and how to type a date."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from shuangyong_cli.checking.display import shown
from shuangyong_cli.checking.numerals import CN_DIGITS, cn_int
from shuangyong_cli.checking.values import INVISIBLE
from shuangyong_cli.model import CellError, CellValue, FormulaNoValue, message

MSG_DATE = message("header.date_invalid")
WHY_NO_YEAR = "（缺少年份）"
WHY_NO_SUCH_DAY = "（没有这一天）"
WHY_TIME_ONLY = "（只有时间）"
MSG_DATE_FORMULA = message("header.date_invalid", "formula")
MSG_DATE_ERROR = message("header.date_invalid", "error")

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
        digits = [CN_DIGITS.get(ch) for ch in s]
        if any(x is None for x in digits):
            return None
        return int("".join(str(x) for x in digits))
    return cn_int(s)


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
    t = unicodedata.normalize("NFKC", typed).translate(INVISIBLE).strip()
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
