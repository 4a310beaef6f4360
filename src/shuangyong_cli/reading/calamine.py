"""Calling calamine: every failure becomes an ``UnreadableFileError``, every value a Grid value.

``rust_quiet`` keeps a Rust panic's backtrace off the terminal, ``guarded`` turns the panic (and
any other reader error) into ``file.corrupt``/``file.encrypted``, and ``calamine_sheet`` reads one
sheet's cells and merged ranges (.xls). ``plain_value``, ``serial_to_date`` and
``serial_to_duration`` give values the shapes calamine gives them, so our .xlsx reader and xlrd
produce the same Grid as calamine would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any, TypeVar

import python_calamine

from shuangyong_cli.model import CellValue, UnreadableFileError, message
from shuangyong_cli.reading.failures import RESAVE, encrypted, fail

_T = TypeVar("_T")

MSG_CALAMINE = message("file.corrupt", "calamine")


_QUIET_LOCK = threading.Lock()
_quiet_depth = 0
_quiet_saved = -1


@contextlib.contextmanager
def rust_quiet() -> Iterator[None]:
    """Silence file descriptor 2 while a file is read: a Rust panic in calamine (which becomes a
    Python exception, see ``guarded``) first prints its message and a backtrace to stderr.

    Descriptor 2 belongs to the whole process, so concurrent reads share one redirection: the
    first to enter swaps it, the last to leave puts it back.
    """
    global _quiet_depth, _quiet_saved
    with _QUIET_LOCK:
        if _quiet_depth == 0:
            try:
                saved = os.dup(2)
                null = os.open(os.devnull, os.O_WRONLY)
            except OSError:
                saved = -1
            else:
                os.dup2(null, 2)
                os.close(null)
            _quiet_saved = saved
        _quiet_depth += 1
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_saved >= 0:
                os.dup2(_quiet_saved, 2)
                os.close(_quiet_saved)
                _quiet_saved = -1


def guarded(call: Callable[[], _T], what: str) -> _T:
    """Run a reader call; its errors (and Rust panics, which are BaseExceptions) become ours."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit, MemoryError, GeneratorExit, UnreadableFileError):
        raise
    except python_calamine.PasswordError:
        encrypted()
    except BaseException as exc:  # a Rust panic is a BaseException
        text = str(exc).strip()
        detail = text.splitlines()[0][:120] if text else type(exc).__name__
        fail("file.corrupt", MSG_CALAMINE.format(what=what, detail=detail, resave=RESAVE))


def whole_or_float(number: float) -> int | float:
    """A number as calamine's readers give it to us: an int when whole (and exact), else float."""
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def plain_value(value: Any) -> CellValue | None:
    """A reader's value as a Grid value; None for empty."""
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return whole_or_float(value)
    if isinstance(value, int | dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    if value is None:
        return None
    return str(value)


def _calamine_cells(sheet: Any) -> dict[tuple[int, int], CellValue]:
    cells: dict[tuple[int, int], CellValue] = {}
    start = sheet.start
    if start is None:
        return cells
    row0, col0 = start[0] + 1, start[1] + 1
    # to_python() starts at sheet.start; iter_rows() would start at row 0 (one list per row)
    for i, row in enumerate(sheet.to_python()):
        for j, value in enumerate(row):
            if value == "" and isinstance(value, str):
                continue
            plain = plain_value(value)
            if plain is not None:
                cells[(row0 + i, col0 + j)] = plain
    return cells


def _calamine_merged(sheet: Any) -> list[tuple[int, int, int, int]]:
    ranges = sheet.merged_cell_ranges or []
    return [(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in ranges]


def calamine_sheet(
    book: Any, name: str
) -> tuple[dict[tuple[int, int], CellValue], list[tuple[int, int, int, int]]]:
    """One sheet's cells and merged ranges (1-based), read by calamine."""
    what = message("file.corrupt", "calamine_sheet").format(sheet=name)
    sheet = guarded(partial(book.get_sheet_by_name, name), what)
    cells = guarded(partial(_calamine_cells, sheet), what)
    merged = guarded(partial(_calamine_merged, sheet), what)
    return cells, merged


def serial_to_date(serial: float, date1904: bool) -> CellValue:
    """An Excel date serial as calamine gives it: below 1 (negative too) the time of day, a whole
    number a date, else a datetime; to the millisecond. In the 1900 system day 60 is the
    1900-02-29 that never was: calamine reads it as 02-28, as here. Beyond 9999 the number."""
    if date1904:
        base = dt.datetime(1904, 1, 1)
    elif serial < 60:
        base = dt.datetime(1899, 12, 31)
    else:
        base = dt.datetime(1899, 12, 30)
    try:
        moment = base + dt.timedelta(milliseconds=round(serial * 86_400_000))
    except (OverflowError, ValueError):
        number = plain_value(serial)
        return serial if number is None else number
    if serial < 1:
        return moment.time()
    if serial == int(serial):
        return moment.date()
    return moment


def serial_to_duration(serial: float) -> float:
    """An ``[h]:mm:ss`` cell as calamine gives it (a timedelta, to the millisecond) in days."""
    try:
        return dt.timedelta(milliseconds=round(serial * 86_400_000)).total_seconds() / 86400
    except (OverflowError, ValueError):
        return serial
