"""The benchmark: ``shuangyong validate`` and ``merge`` against a naive baseline and the read floor.

Run from the repository root (see bench/README.md)::

    python bench/run.py                         # 1,000 returns, 3 runs of each
    python bench/run.py --sizes 1000 5000       # and the linear-growth check
    python bench/run.py --runs 5 --jobs 1 2
    python bench/run.py --only producer        # only the time per file of each producer

Every measurement is a whole process (start-up and imports included), timed with
``time.perf_counter`` around ``subprocess.Popen``/``os.wait4``; the runs of all commands are
interleaved round by round, each round in a random (seeded) order, and the median is reported,
with the CPU time (user + system, workers included). Peak memory is the largest sum of resident
memory over the process and its workers, sampled every 10 ms, or the process's own high-water
mark if larger. After the merge runs, ``writer_floor.py`` times XlsxWriter writing the cells of
the summary merge wrote (no formats): merge cannot beat validate plus that. The returns are
generated once and cached under bench/out/ (see
``returns.py``). Results are printed as Markdown tables and saved to bench/out/results-*.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import returns  # noqa: E402


@dataclass
class Measured:
    name: str
    files: int
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """User + system CPU seconds of the process and its workers."""
    peak_mb: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    pythonpath: str = ""
    """For a ``--variant``: the source folder put first on PYTHONPATH."""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


def shuangyong() -> list[str]:
    """The installed console script beside this Python (not a pyenv shim), else ``-m``."""
    script = Path(sys.executable).with_name("shuangyong")
    return [str(script)] if script.exists() else [sys.executable, "-m", "shuangyong_cli"]


def child_env() -> dict[str, str]:
    """As a user runs it: byte-code cached (an installed package has its .pyc files), no colour."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env.update(NO_COLOR="1", TERM="dumb", COLUMNS="100")
    return env


def _tree_memory(pid: int, hwm: dict[int, int]) -> int:
    """Resident bytes of ``pid`` and all its descendants now (0 once gone); records each
    process's high-water mark (VmHWM, reset by exec) in ``hwm``."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status", "rb") as fh:
                for line in fh:
                    if line.startswith(b"VmHWM:"):
                        hwm[p] = max(hwm.get(p, 0), int(line.split()[1]) * 1024)
                    elif line.startswith(b"VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", "rb") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """(seconds, CPU seconds, peak MB, exit code, stderr tail) of one whole-process run.

    Peak memory: the largest sum of resident memory over the process and its workers, sampled
    every 10 ms, or the process's own high-water mark if larger. (``ru_maxrss`` is no use here:
    it keeps the size of this runner, forked before the exec.)"""
    peak = 0
    hwm: dict[int, int] = {}
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=HERE.parent
    )

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.01):
            peak = max(peak, _tree_memory(proc.pid, hwm))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = max(peak, hwm.get(proc.pid, 0))
    cpu = usage.ru_utime + usage.ru_stime  # the workers' too: they are waited for
    return seconds, cpu, peak / 1e6, proc.returncode, err.decode("utf-8", "replace")[-2000:]


def commands(
    n: int, folder: Path, jobs: list[int], naive: bool, variants: dict[str, str]
) -> list[Measured]:
    roster = OUT / f"roster-{n}.csv"
    py = sys.executable
    out: list[Measured] = [Measured(FLOOR, n, [py, str(HERE / "floor.py"), str(folder)])]
    if naive:
        out.append(Measured(NAIVE, n, [py, str(HERE / "naive.py"), str(folder)]))
    sy = shuangyong()
    for variant, pythonpath in {"": "", **variants}.items():
        tag = f" [{variant}]" if variant else ""
        for j in jobs:
            out.extend(_ours(n, folder, roster, sy, j, tag, pythonpath))
    return out


def _ours(
    n: int, folder: Path, roster: Path, sy: list[str], j: int, tag: str, pythonpath: str
) -> list[Measured]:
    return [
        Measured(
            f"shuangyong validate -j {j}{tag}",
            n,
            [*sy, "validate", str(folder), "--roster", str(roster), "-q", "-j", str(j)],
            pythonpath=pythonpath,
        ),
        Measured(
            f"shuangyong merge -j {j}{tag}",
            n,
            [
                *sy,
                "merge",
                str(folder),
                "--roster",
                str(roster),
                "-q",
                "-j",
                str(j),
                "-o",
                str(OUT / f"汇总-{n}-j{j}.xlsx"),
                "--force",
            ],
            pythonpath=pythonpath,
        ),
    ]


FLOOR = "floor (python-calamine)"
NAIVE = "naive (pandas + openpyxl)"
OK_CODES = {0, 1}
"""validate exits 1 when a file has an error, merge when a file is left out: both expected here.
The floor and the naive loop must exit 0 (a file they cannot read stops them early)."""


def _ok(item: Measured) -> set[int]:
    return {0} if item.name in (FLOOR, NAIVE) else OK_CODES


def measure(
    items: list[Measured], runs: int, env: dict[str, str], log: bool = True, seed: int = 0
) -> None:
    """Run each item ``runs`` times, round by round; each round in its own (seeded) random
    order, so that no command always runs right after the same one (on a shared virtual machine
    the command after the 20-second naive run is often slowed down)."""
    for item in items:  # a warm-up run each: byte-code, page cache
        *_, code, err = run_once(item.argv, _env_for(item, env))
        if code not in _ok(item):
            raise SystemExit(f"{item.name} failed (exit {code}):\n{err}")
    rng = random.Random(seed)
    for r in range(runs):
        for item in rng.sample(items, len(items)):
            seconds, cpu, peak, code, err = run_once(item.argv, _env_for(item, env))
            if code not in _ok(item):
                raise SystemExit(f"{item.name} failed (exit {code}):\n{err}")
            item.seconds.append(seconds)
            item.cpu.append(cpu)
            item.peak_mb.append(peak)
            item.exit_codes.append(code)
            if log:
                print(
                    f"  run {r + 1}/{runs} {item.name:<34} {item.files:>5} 个文件 {seconds:7.2f} s "
                    f"{peak:6.0f} MB",
                    file=sys.stderr,
                )


def _env_for(item: Measured, env: dict[str, str]) -> dict[str, str]:
    if not item.pythonpath:
        return env
    paths = [item.pythonpath, env.get("PYTHONPATH", "")]
    return {**env, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}


def table(items: list[Measured]) -> str:
    """Seconds are wall-clock medians (and the best run); CPU is user + system of the process
    and its workers (the same work on a busy machine shows about the same CPU, a longer wall
    time). The ratios are of the medians."""
    by = {(m.name, m.files): m for m in items}
    lines = [
        "| command | files | seconds | best | ms per file | CPU s "
        "| naive ÷ this | this ÷ floor | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in items:
        floor = by.get((FLOOR, m.files))
        naive = by.get((NAIVE, m.files))
        vs_naive = f"{naive.median / m.median:.1f}" if naive and m is not naive else ""
        vs_floor = f"{m.median / floor.median:.2f}" if floor and m is not floor else ""
        lines.append(
            f"| {m.name} | {m.files:,} | {m.median:.2f} | {m.best:.2f} | "
            f"{1000 * m.median / m.files:.2f} | {m.cpu_median:.2f} | {vs_naive} | {vs_floor} | "
            f"{m.peak:.0f} |"
        )
    return "\n".join(lines)


def per_producer(
    folder: Path, runs: int, env: dict[str, str], variants: dict[str, str], seed: int
) -> dict[str, dict[str, dict[str, float]]]:
    """``per_producer.py`` over ``folder`` (one folder per producer), for this code and each
    variant, one after the other: {variant ("" for this code): {producer: {step: ms per file}}}."""
    out = {}
    for variant, pythonpath in {"": "", **variants}.items():
        item = Measured(variant, 0, [], pythonpath=pythonpath)
        argv = [sys.executable, str(HERE / "per_producer.py"), str(folder)]
        done = subprocess.run(
            [*argv, "--runs", str(runs), "--seed", str(seed)],
            env=_env_for(item, env),
            capture_output=True,
            check=False,
            cwd=HERE.parent,
        )
        if done.returncode != 0:
            raise SystemExit(f"per_producer.py failed:\n{done.stderr.decode()[-2000:]}")
        out[variant] = json.loads(done.stdout)
    return out


def producer_table(found: dict[str, dict[str, dict[str, float]]]) -> str:
    """CPU milliseconds per file of each producer's returns (medians): ``read`` is our reader
    alone, ``check`` what a validate worker does for one file (read, find the form, check every
    cell), ``calamine`` python-calamine reading every sheet, ``first`` the check as a worker
    meets each file (once, in a fresh process: see ``per_producer.py``); the ratios are to the
    producer whose time is least (.xls left out: not an .xlsx producer)."""
    ours = found[""]
    xlsx = [p for p in ours if p != "xls"]
    steps = ("read", "check", "calamine", "first")
    fastest = {step: min(ours[p].get(step, 0.0) for p in xlsx) or 1.0 for step in steps}
    variants = [v for v in found if v]
    head = "| producer | files | read ms | check ms | first ms | calamine ms "
    head += "| read ÷ fastest | check ÷ fastest | first ÷ fastest "
    head += "".join(f"| read [{v}] | check [{v}] | check [{v}] ÷ fastest " for v in variants)
    lines = [head + "|", "|---|" + "---:|" * (8 + 3 * len(variants))]
    for producer, row in ours.items():
        cells = [
            producer,
            f"{int(row['files'])}",
            f"{row['read']:.2f}",
            f"{row['check']:.2f}",
            f"{row.get('first', 0.0):.2f}",
            f"{row['calamine']:.2f}",
            f"{row['read'] / fastest['read']:.2f}" if producer != "xls" else "",
            f"{row['check'] / fastest['check']:.2f}" if producer != "xls" else "",
            f"{row.get('first', 0.0) / fastest['first']:.2f}" if producer != "xls" else "",
        ]
        for v in variants:
            other = found[v].get(producer, {})
            if not other:
                cells += ["", "", ""]
                continue
            least = min(found[v][p]["check"] for p in xlsx if p in found[v])
            cells += [
                f"{other['read']:.2f}",
                f"{other['check']:.2f}",
                f"{other['check'] / least:.2f}" if producer != "xls" else "",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def writer_floor(items: list[Measured], env: dict[str, str]) -> dict[str, dict[str, float]]:
    """``writer_floor.py`` over the summary each measured ``merge`` wrote (the last run's), one
    per size and jobs: {"merge -j J" name: {cells, writes, close, seconds}}."""
    out = {}
    for m in items:
        if not m.name.startswith("shuangyong merge") or "[" in m.name:
            continue
        summary = m.argv[m.argv.index("-o") + 1]
        done = subprocess.run(
            [sys.executable, str(HERE / "writer_floor.py"), summary, "--runs", "5"],
            env=env,
            capture_output=True,
            check=False,
            cwd=HERE.parent,
        )
        if done.returncode != 0:
            raise SystemExit(f"writer_floor.py failed:\n{done.stderr.decode()[-2000:]}")
        out[f"{m.name} {m.files}"] = json.loads(done.stdout)
    return out


def writer_table(items: list[Measured], writer: dict[str, dict[str, float]]) -> str:
    """What ``merge`` cannot go below: the read floor plus the write floor (XlsxWriter writing
    the summary's cells, no formats: ``writer_floor.py``), and ``validate`` plus the write floor
    (merge reads and checks as validate does, then writes); merge's median against both."""
    by = {(m.name, m.files): m for m in items}
    lines = [
        "| merge | files | cells written | write floor s | read floor + write floor s "
        "| merge ÷ that | validate + write floor s | merge ÷ that |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in items:
        found = writer.get(f"{m.name} {m.files}")
        floor = by.get((FLOOR, m.files))
        if found is None or floor is None:
            continue
        both = floor.median + found["seconds"]
        validate = by.get((m.name.replace("merge", "validate"), m.files))
        with_validate = validate.median + found["seconds"] if validate else float("nan")
        lines.append(
            f"| {m.name} | {m.files:,} | {int(found['cells']):,} | {found['seconds']:.2f} | "
            f"{both:.2f} | {m.median / both:.2f} | {with_validate:.2f} | "
            f"{m.median / with_validate:.2f} |"
        )
    return "\n".join(lines) if len(lines) > 2 else ""


def growth(items: list[Measured], sizes: list[int]) -> str:
    if len(sizes) < 2:
        return ""
    lo, hi = sizes[0], sizes[-1]
    by = {(m.name, m.files): m for m in items}
    lines = [
        f"| command | {lo:,} files (s) | {hi:,} files (s) | ratio (files × {hi / lo:g}) |",
        "|---|---:|---:|---:|",
    ]
    for m in items:
        if m.files != lo or (m.name, hi) not in by:
            continue
        big = by[(m.name, hi)]
        lines.append(
            f"| {m.name} | {m.median:.2f} | {big.median:.2f} | {big.median / m.median:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument(
        "--naive-max",
        type=int,
        default=1000,
        help="run the naive baseline only up to this many files (it is slow)",
    )
    ap.add_argument(
        "--only",
        nargs="+",
        default=None,
        metavar="WORD",
        help="measure only the commands whose name contains one of these words (floor, naive, "
        "validate, merge, help, producer)",
    )
    ap.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=SRC",
        help="also measure validate and merge with another copy of the code first on PYTHONPATH "
        "(e.g. base=/tmp/base/src from `git archive`), named [NAME]",
    )
    ap.add_argument(
        "--seed", type=int, default=0, help="of the random order of the commands in each round"
    )
    ap.add_argument(
        "--producer-runs",
        type=int,
        default=5,
        help="rounds of per_producer.py (the time per file of each producer's returns)",
    )
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument(
        "--show", type=Path, metavar="RESULTS.json", help="print the tables of an earlier run"
    )
    args = ap.parse_args(argv)
    if args.show:
        return show(args.show)

    def wanted(m: Measured) -> bool:
        return args.only is None or any(w in m.name for w in args.only)

    sizes = sorted(args.sizes)
    folders = {n: returns.generate(n, log=lambda s: print(s, file=sys.stderr)) for n in sizes}
    if args.generate_only:
        return 0
    env = child_env()
    items: list[Measured] = []

    load_before = os.getloadavg()
    help_cmd = Measured("shuangyong --help", 0, [*shuangyong(), "--help"])
    if wanted(help_cmd):
        measure([help_cmd], max(args.runs, 5), env, log=False)
    for n in sizes:
        variants = dict(v.split("=", 1) for v in args.variant)
        ms = commands(n, folders[n], args.jobs, naive=n <= args.naive_max, variants=variants)
        batch = [m for m in ms if wanted(m)]
        print(f"{n} 个文件：", file=sys.stderr)
        measure(batch, args.runs, env, seed=args.seed)
        items.extend(batch)
    producers_found: dict[str, dict[str, dict[str, float]]] = {}
    if args.only is None or "producer" in args.only:
        n = sizes[0]
        print(f"{n} 个文件：按生成程序逐个读取 …", file=sys.stderr)
        variants = dict(v.split("=", 1) for v in args.variant)
        producers_found = per_producer(
            OUT / f"n{n}-by-producer", args.producer_runs, env, variants, args.seed
        )
    writer = writer_floor(items, env)
    load_after = os.getloadavg()

    cpu = os.cpu_count()
    print(
        f"\n{dt.date.today().isoformat()}, {cpu} CPU, Python {sys.version.split()[0]}, "
        f"median of {args.runs} runs; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after\n"
    )
    if help_cmd.seconds:
        print(f"`shuangyong --help`: {help_cmd.median:.3f} s (median of {len(help_cmd.seconds)})\n")
    print(table(items))
    g = growth(items, sizes)
    if g:
        print("\n" + g)
    w = writer_table(items, writer)
    if w:
        print("\nWhat merge cannot go below (writer_floor.py, median of 5):\n")
        print(w)
    if producers_found:
        runs = args.producer_runs
        print(f"\nCPU ms per file by producer, {sizes[0]:,} files (median of {runs}):\n")
        print(producer_table(producers_found))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    record = {
        "date": stamp,
        "cpu": cpu,
        "python": sys.version,
        "runs": args.runs,
        "load": [load_before, load_after],
        "help": asdict(help_cmd),
        "producers": producers_found,
        "writer": writer,
        "items": [
            asdict(m) | {"median": m.median, "cpu_median": m.cpu_median, "peak": m.peak}
            for m in items
        ],
    }
    (OUT / f"results-{stamp}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))
    return 0


def show(path: Path) -> int:
    record = json.loads(path.read_text())
    fields = {f.name for f in dataclasses.fields(Measured)}
    items = [Measured(**{k: v for k, v in m.items() if k in fields}) for m in record["items"]]
    load = record.get("load")
    print(f"{record['date']}, {record['cpu']} CPU, median of {record['runs']} runs", end="")
    print(f"; load average {load[0][0]:.2f} before, {load[1][0]:.2f} after\n" if load else "\n")
    if record["help"]["seconds"]:
        print(f"`shuangyong --help`: {statistics.median(record['help']['seconds']):.3f} s\n")
    print(table(items))
    sizes = sorted({m.files for m in items})
    g = growth(items, sizes)
    if g:
        print("\n" + g)
    w = writer_table(items, record.get("writer", {}))
    if w:
        print("\n" + w)
    if record.get("producers"):
        print("\n" + producer_table(record["producers"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
