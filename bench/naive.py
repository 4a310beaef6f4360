"""The naive baseline: the loop a clerk who knows some Python writes. ``pandas.read_excel``
with ``engine="openpyxl"`` (xlrd for .xls, which openpyxl cannot read) over every file below a
folder, summing every number of the first sheet. No checks, no per-cell sums, no output file::

    python bench/naive.py bench/out/n1000
"""

from __future__ import annotations

import os
import sys

import pandas as pd


def main(folder: str) -> int:
    total = 0.0
    files = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            engine = "xlrd" if name.lower().endswith(".xls") else "openpyxl"
            df = pd.read_excel(path, header=None, engine=engine)
            total += float(pd.to_numeric(df.stack(), errors="coerce").sum())
            files += 1
    print(f"{files} files, sum of numbers {total:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
