"""The write floor: XlsxWriter writing the cells of a summary workbook, and nothing else.

``merge`` reads and checks every return (what ``validate`` does), then writes the summary
workbook through XlsxWriter's public API. This measures the least that writing can cost: every
non-empty cell of the summary that ``merge`` wrote (read back by python-calamine), written
again with ``write_string``/``write_number`` into a new workbook in memory, with no formats, no
merged cells, no column widths, no charts, no sheet protection; then ``close()``, which makes
the XML and the zip. Run by ``bench/run.py`` after the merge runs (in-process, ``--runs``
times, the median), or by hand::

    python bench/writer_floor.py bench/out/汇总-1000-j2.xlsx --runs 5

Prints JSON on stdout: the cells, and the median seconds of the writes, of ``close()`` and of
both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import sys
import time

from python_calamine import CalamineWorkbook
from xlsxwriter.workbook import Workbook

Rows = list[list[object]]


def summary_cells(path: str) -> list[tuple[str, Rows]]:
    """Every sheet of the summary at ``path`` as python-calamine reads it."""
    wb = CalamineWorkbook.from_path(path)
    return [(name, wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names]


def write_once(sheets: list[tuple[str, Rows]]) -> tuple[int, float, float]:
    """(cells written, seconds of the writes, seconds of ``close()``)."""
    start = time.perf_counter()
    book = Workbook(
        io.BytesIO(),
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    cells = 0
    for name, rows in sheets:
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value == "" or value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                elif isinstance(value, (dt.date, dt.datetime, dt.time, dt.timedelta)):
                    ws.write_datetime(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
                cells += 1
    written = time.perf_counter()
    book.close()
    return cells, written - start, time.perf_counter() - written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("summary", help="a summary workbook written by shuangyong merge")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    sheets = summary_cells(args.summary)
    write_once(sheets)  # warm-up: imports, first allocations
    runs = [write_once(sheets) for _ in range(args.runs)]
    found = {
        "cells": runs[0][0],
        "writes": statistics.median(r[1] for r in runs),
        "close": statistics.median(r[2] for r in runs),
        "seconds": statistics.median(r[1] + r[2] for r in runs),
    }
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
