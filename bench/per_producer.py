"""Time per file for each producer's returns, in one process (run by ``bench/run.py``).

For every producer folder under the given folder (``bench/out/n1000-by-producer/<producer>/``,
hard links into the corpus), each file is read ``--runs`` times round by round (the producers
interleaved, in a seeded random order each round) by

* ``read``: ``reading.read_grid`` (our reader: the zip checks and the sheet scan);
* ``check``: ``validate.check_file`` (what a ``validate`` worker does for one file: read, find
  the form, check every cell);
* ``calamine``: python-calamine reading every sheet (the read floor per file);
* ``first``: ``check`` as a ``validate`` worker meets each file, once. The runs above read every
  file again and again, so the reader's memo of cell tokens already holds each file's values;
  a worker reads each file once, and the values of a return (new in every return) are read
  anew. So each producer is also timed in a fresh process (``--first``), after a warm-up on
  ten files of each other producer (the imports, the form's labels as the others write them),
  over one pass of its files; ``--runs`` such processes, in a seeded random order.

The median over the runs of each producer's total, divided by its files, is printed as JSON on
stdout (milliseconds per file). The code measured is whatever ``shuangyong_cli`` is first on the
path (``bench/run.py --variant`` puts an older checkout first)::

    python bench/per_producer.py bench/out/n1000-by-producer --runs 5
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from shuangyong_cli.model.form import FormSpec
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.reading.returned_file import DEFAULT_LIMITS, read_grid
from shuangyong_cli.season.inbox import InputFile, check_file


def _calamine(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for sheet in wb.sheet_names:
        wb.get_sheet_by_name(sheet).to_python()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--first", metavar="PRODUCER", help="time one first pass (see above)")
    args = ap.parse_args(argv)
    spec = load_form()
    groups = {
        d.name: sorted(p for p in d.iterdir() if p.is_file())
        for d in sorted(args.folder.iterdir())
        if d.is_dir()
    }
    groups = {k: v for k, v in groups.items() if v}
    if args.first:
        print(json.dumps(_first_pass(groups, args.first, spec)))
        return 0

    def read(path: Path) -> None:
        read_grid(path, DEFAULT_LIMITS)

    def check(path: Path) -> None:
        check_file(InputFile(path, path.name), spec, DEFAULT_LIMITS)

    steps = {"read": read, "check": check, "calamine": _calamine}
    for files in groups.values():  # warm-up: byte-code, page cache, the first-use caches
        for path in files:
            for step in steps.values():
                step(path)
    seconds: dict[str, dict[str, list[float]]] = {g: {s: [] for s in steps} for g in groups}
    rng = random.Random(args.seed)
    gc.disable()  # a collection would land on whichever producer is being timed
    for _ in range(args.runs):
        for group in rng.sample(list(groups), len(groups)):
            for name, step in steps.items():
                start = time.process_time()
                for path in groups[group]:
                    step(path)
                seconds[group][name].append(time.process_time() - start)
            gc.collect()
    first: dict[str, list[float]] = {g: [] for g in groups}
    for _ in range(args.runs):
        for group in rng.sample(list(groups), len(groups)):
            done = subprocess.run(
                [sys.executable, __file__, str(args.folder), "--first", group],
                capture_output=True,
                check=True,
            )
            first[group].append(json.loads(done.stdout))
    out = {
        group: {
            "files": len(groups[group]),
            **{
                name: 1000 * statistics.median(times) / len(groups[group])
                for name, times in seconds[group].items()
            },
            "first": statistics.median(first[group]),
        }
        for group in groups
    }
    json.dump(out, sys.stdout)
    print()
    return 0


def _first_pass(groups: dict[str, list[Path]], producer: str, spec: FormSpec) -> float:
    """CPU milliseconds per file of one pass over ``producer``'s files, in this fresh process,
    after a warm-up on ten files of each other producer."""
    for name, files in groups.items():
        if name != producer:
            for path in files[:10]:
                check_file(InputFile(path, path.name), spec, DEFAULT_LIMITS)
    files = groups[producer]
    start = time.process_time()
    for path in files:
        check_file(InputFile(path, path.name), spec, DEFAULT_LIMITS)
    return 1000 * (time.process_time() - start) / len(files)


if __name__ == "__main__":
    sys.exit(main())
