"""The read floor: python-calamine reads every sheet of every file below a folder, and nothing
else (no checks, no sums, no output). Run as a whole process by ``bench/run.py``::

    python bench/floor.py bench/out/n1000
"""

from __future__ import annotations

import os
import sys

from python_calamine import CalamineWorkbook


def main(folder: str) -> int:
    files = cells = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            wb = CalamineWorkbook.from_path(os.path.join(root, name))
            for sheet in wb.sheet_names:
                cells += sum(len(row) for row in wb.get_sheet_by_name(sheet).to_python())
            files += 1
    print(f"{files} files, {cells} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
