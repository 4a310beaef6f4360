"""A worksheet cell's value from its XML, as calamine decodes it (``CellDecoder``): its type
``t``, style ``s``, ``<v>`` text and inline text to a value; ISO dates of ``t="d"``; whether a
formula was saved without its result. Both sheet scans (``sheet_expat``, ``sheet_regex``) decode
cells here.
"""

from __future__ import annotations

import datetime as dt
import re

from shuangyong_cli.model import CellError, CellValue, a1, message
from shuangyong_cli.reading.calamine import plain_value, serial_to_date, serial_to_duration
from shuangyong_cli.reading.failures import corrupt
from shuangyong_cli.reading.ooxml.parts import unescape_x

Pos = tuple[int, int]
"""A cell's (row, column)."""


_ISO_DATE = r"\+?([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_ISO_TIME = r"([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\.([0-9]+))?)?"
_ISO_DATE_RE = re.compile(_ISO_DATE)
_ISO_TIME_RE = re.compile(_ISO_TIME)
_ISO_DATETIME_RE = re.compile(_ISO_DATE + "T" + _ISO_TIME)


def _parse_iso(text: str) -> CellValue:
    """A ``t="d"`` cell as calamine reads it: a date alone a date, a date and a time (with its
    seconds) a datetime, a time alone a time; anything else (a time zone, a blank for ``T``)
    the text as written."""
    try:
        match = _ISO_DATE_RE.fullmatch(text)
        if match is not None:
            return dt.date(*map(int, match.groups()))
        match = _ISO_DATETIME_RE.fullmatch(text)
        if match is not None and match.group(6) is not None:
            day = dt.date(*map(int, match.groups()[:3]))
            return dt.datetime.combine(day, _iso_time(*match.groups()[3:]))
        match = _ISO_TIME_RE.fullmatch(text)
        if match is not None:
            return _iso_time(*match.groups())
    except ValueError:
        pass
    return text


def _iso_time(hour: str, minute: str, second: str | None, fraction: str | None) -> dt.time:
    sec = int(second or 0)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    return dt.time(int(hour), int(minute), min(sec, 59) if sec == 60 else sec, micro)


NUMBER_RE = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.IGNORECASE
)
"""A number as calamine parses one (Rust's ``f64`` grammar: no blanks, no ``_``, ASCII digits)."""


def saved_without_value(t: str, v: str | None, inline: bool) -> bool:
    """Whether a formula cell was saved without its result: no ``<v>`` (or blanks in one, but
    for a text result), and no inline text for a ``t="inlineStr"`` result."""
    if v is None:
        return not (inline and t == "inlineStr")
    return not v.strip() and t not in ("str", "inlineStr")


class CellDecoder:
    """A cell's value from its type ``t``, style ``s``, ``<v>`` text and inline text, as calamine
    decodes it: shared strings by index, numbers as int when whole, date styles as dates."""

    def __init__(
        self,
        strings: list[str] | None = None,
        time_styles: dict[int, str] | None = None,
        date1904: bool = False,
    ) -> None:
        self.strings = strings or []
        self.time_styles = time_styles or {}
        """Cell style index → "date" or "duration" (``Styles.time_xfs``)."""
        self.date1904 = date1904

    def value(
        self, t: str, s: str, v: str | None, inline: str | None, pos: Pos, sheet_name: str
    ) -> CellValue | None:
        if t == "inlineStr":
            return unescape_x(inline or "") or None
        if not v or (t != "str" and not v.strip()):
            return None  # blanks alone in <v>: nothing, as calamine reads them
        if t == "s":
            try:
                text = self.strings[int(v)]
            except (ValueError, IndexError):
                corrupt(
                    message("file.corrupt", "string_index").format(sheet=sheet_name, cell=a1(*pos))
                )
            return text or None
        if t == "str":
            return unescape_x(v)
        if t == "b":
            return v.strip().lower() in ("1", "true")
        if t == "d":
            return _parse_iso(v.strip())
        if t == "e":
            return CellError(v)
        if NUMBER_RE.fullmatch(v) is None:
            if not t:
                return v  # <c><v>abc</v></c>: no type said, the text (as calamine reads it)
            try:
                number = float(v)
            except ValueError:
                corrupt(
                    message("file.corrupt", "number").format(
                        sheet=sheet_name, cell=a1(*pos), value=v[:20]
                    )
                )
        else:
            number = float(v)
        kind = self.time_styles.get(int(s)) if s and self.time_styles and s.isdigit() else None
        if kind == "date":
            return serial_to_date(number, self.date1904)
        if kind == "duration":
            return serial_to_duration(number)
        return plain_value(number)
