"""Generate N realistic returns for the benchmark (cached under bench/out/).

Each return is made the way the examples are: ``make_examples.plausible_values`` for the unit's
单位类别 and ``make_examples.fill_return`` into a copy of the template, saved with
``workbook_bytes``. About 5% are converted to .xls by one LibreOffice batch, and about 5% carry a
flaw a clerk makes (a guess, 元 in a 万元 cell, a wrong total, a stamped name, full-width digits, a
late date, a corrected copy sent again, an untouched form).

Returns come back from many programs, so the .xlsx returns are spread evenly over the producers
of ``tests/producers.py`` (slot i gets ``PRODUCERS[i % 7]``): openpyxl with and without lxml,
XlsxWriter, XlsxWriter's inline strings, a LibreOffice re-save, Excel's shape and an online-form
export's shape; each made from the slot's openpyxl file by one batch per producer.

Units: the 97 units of the example roster, repeated over Chongqing's districts and counties
(黔江区民政局, 渝中区民政局, …), so 1,000 or 5,000 returns each have their own roster unit.

Layout of bench/out/ (git-ignored):

* ``pool/00042.xlsx`` — slot 42's file as openpyxl saves it (bytes cached across runs, made
  once); ``pool/<producer>/00042.xlsx`` the same return in another producer's shape;
* ``n1000/<name as e-mailed>.xlsx`` — hard links to the first 1,000 slots, named realistically;
* ``n1000-by-producer/<producer>/00042.xlsx`` — the same files, by producer (``xls`` for the
  .xls), for ``per_producer.py``;
* ``roster-1000.csv`` — the roster for those 1,000 slots.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
POOL = OUT / "pool"
sys.path.insert(0, str(ROOT / "examples"))
sys.path.insert(0, str(ROOT / "tests"))

_was, sys.dont_write_bytecode = sys.dont_write_bytecode, True  # no examples/__pycache__
import make_examples  # noqa: E402

sys.dont_write_bytecode = _was

import producers  # noqa: E402
from shuangyong_cli.model.form import FormSpec  # noqa: E402
from shuangyong_cli.model.form_file import load_form  # noqa: E402

#: Chongqing's districts and counties; 黔江区 first (its units keep their own names).
DISTRICTS = make_examples._words("""
    黔江区 渝中区 江北区 沙坪坝区 九龙坡区 南岸区 北碚区 渝北区 巴南区 万州区 涪陵区 大渡口区
    长寿区 江津区 合川区 永川区 南川区 綦江区 大足区 璧山区 铜梁区 潼南区 荣昌区 开州区
    梁平区 武隆区 城口县 丰都县 垫江县 忠县 云阳县 奉节县 巫山县 巫溪县 石柱县 秀山县
    酉阳县 彭水县 万盛区 两江新区 高新区 经开区 双桥区 江南新区 长寿经开区 万州经开区
    涪陵新区 永川高新区 璧山高新区 荣昌高新区 合川高新区 綦江工业园 大足高新区 铜梁高新区
    潼南高新区 南川工业园 梁平工业园 丰都工业园 垫江工业园 忠县工业园
""")

SEED = "bench-2020"
XLS_SHARE = 0.05


@dataclass(frozen=True)
class Slot:
    """One return of the benchmark set: whose it is, what it holds, how it is flawed."""

    index: int
    unit: str
    """The roster unit whose slot this is."""
    category: str
    contact: str
    phone: str
    typed_unit: str
    """填报单位 as typed (the unit before, for a corrected copy sent again)."""
    flaw: str
    xls: bool
    file: str
    """The file name as it arrives by e-mail."""
    producer: str = "openpyxl"
    """Which program wrote it (``producers.PRODUCERS``; the .xls are LibreOffice's)."""


def units(n: int) -> list[tuple[str, str, str, str]]:
    """(单位名称, 单位类别, 联系人, 联系电话) of the first ``n`` roster units."""
    base = make_examples.make_roster_rows()
    out = []
    for i in range(n):
        row = base[i % len(base)]
        district = DISTRICTS[i // len(base) % len(DISTRICTS)]
        name = row["单位名称"]
        rounds = i // (len(base) * len(DISTRICTS))
        if district != "黔江区":
            if "黔江" in name:
                name = name.replace("黔江区", district).replace("黔江", district[:-1])
            elif name.startswith("区"):
                name = district + name[1:]
            else:
                name = district + name
        if rounds:
            name += f"第{rounds + 1}分部"
        out.append((name, row["单位类别"], row["联系人"], row["联系电话"]))
    return out


FLAWS = (
    (0.010, "guess"),  # 约5 in a 数量 cell: an error
    (0.005, "yuan"),  # 5000元 in a 万元 cell: converted, a warning
    (0.005, "total"),  # 合计 typed by hand and wrong: an error
    (0.005, "stamp"),  # 填报单位 with （盖章）: a near match
    (0.010, "fullwidth"),  # １２ and a number stored as text
    (0.005, "late"),  # dated after the deadline
    (0.005, "resend"),  # the unit before sends a corrected copy; this unit sends nothing
    (0.002, "empty"),  # the form sent back untouched
)


def plan(n: int) -> list[Slot]:
    roster = units(n)
    slots = []
    for i, (unit, category, contact, phone) in enumerate(roster):
        rng = random.Random(f"{SEED}:slot:{i}")
        roll = rng.random()
        flaw = ""
        acc = 0.0
        for share, name in FLAWS:
            acc += share
            if roll < acc:
                flaw = name
                break
        if flaw == "resend" and i == 0:
            flaw = ""
        typed = unit
        if flaw == "stamp":
            typed = unit + "（盖章）"
        elif flaw == "resend":
            typed = roster[i - 1][0]
        xls = rng.random() < XLS_SHARE
        pattern = rng.choice(make_examples._NAME_PATTERNS)
        short = typed.removesuffix("（盖章）")
        file = pattern.format(u=short)
        if flaw == "resend":
            file = f"{short}（更正）.xlsx"
        if xls:
            file = file.removesuffix(".xlsx") + ".xls"
        producer = "xls" if xls else producers.PRODUCERS[i % len(producers.PRODUCERS)]
        slots.append(Slot(i, unit, category, contact, phone, typed, flaw, xls, file, producer))
    return slots


def _values(slot: Slot) -> tuple[dict[tuple[str, str], object], object]:
    """The cells and the date this slot's unit typed."""
    owner = slot.typed_unit if slot.flaw == "resend" else slot.unit
    rng = random.Random(f"{SEED}:values:{owner}")
    profile = "区退役军人事务局" if owner == "黔江区退役军人事务局" else slot.category
    values: dict[tuple[str, str], object] = dict(make_examples.plausible_values(rng, profile))
    date: object = make_examples._date_as_typed(rng, rng.choice(range(5, 15)))
    if slot.flaw == "guess":
        values[("gatherings", "qty")] = "约5"
    elif slot.flaw == "yuan":
        values[("hardship", "qty")] = 2
        values[("hardship", "cash")] = "5000元"
    elif slot.flaw == "total":
        values[("troops", "qty")] = 1
        values[("troops", "cash")] = Decimal("0.5")
        values[("total", "cash")] = Decimal("99.99")
    elif slot.flaw == "fullwidth":
        values[("gatherings", "qty")] = "１２"
        values[("services", "qty")] = "3"
    elif slot.flaw == "late":
        date = dt.date(2020, 8, 20)
    elif slot.flaw == "resend":
        values[("gatherings", "qty")] = int(str(values.get(("gatherings", "qty"), 0))) + 1
        date = dt.date(2020, 8, 14)
    elif slot.flaw == "empty":
        values, date = {}, None
    return values, date


def _make(slot: Slot, target: Path) -> None:
    spec = _spec()
    values, date = _values(slot)
    footer = {"filler": slot.contact, "phone": slot.phone}
    wb = make_examples.fill_return(spec, slot.typed_unit, values, date=date, footer=footer)  # type: ignore[arg-type]
    tmp = target.with_suffix(".part")
    tmp.write_bytes(make_examples.workbook_bytes(wb))
    tmp.replace(target)


@functools.cache
def _spec() -> FormSpec:
    return load_form()


def _make_many(batch: list[tuple[Slot, Path]]) -> int:
    for slot, target in batch:
        _make(slot, target)
    return len(batch)


def pool_path(slot: Slot) -> Path:
    if slot.xls:
        return POOL / f"{slot.index:05d}.xls"
    if slot.producer == "openpyxl":
        return _source(slot)
    return POOL / slot.producer / f"{slot.index:05d}.xlsx"


def _source(slot: Slot) -> Path:
    """The slot's return as openpyxl saves it: what every other shape is made from."""
    return POOL / f"{slot.index:05d}.xlsx"


def generate(n: int, *, jobs: int = 2, log: Callable[[str], object] = print) -> Path:
    """Make (or reuse) the first ``n`` slots and lay them out as ``bench/out/n{n}/``. Returns
    that folder; the roster is ``bench/out/roster-{n}.csv``."""
    POOL.mkdir(parents=True, exist_ok=True)
    slots = plan(n)
    todo = [(s, POOL / f"{s.index:05d}.xlsx") for s in slots if not pool_path(s).exists()]
    todo = [(s, p) for s, p in todo if not p.exists()]
    if todo:
        log(f"生成 {len(todo)} 份报表（约 {len(todo) * 0.08 / jobs:.0f} 秒）…")
        batches = [todo[i : i + 50] for i in range(0, len(todo), 50)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = 0
            for k in pool.map(_make_many, batches):
                done += k
                if done % 500 < 50:
                    log(f"  {done}/{len(todo)}")
    to_xls = [s for s in slots if s.xls and not pool_path(s).exists()]
    if to_xls:
        log(f"LibreOffice 转换 {len(to_xls)} 份为 .xls …")
        _convert_xls(to_xls)
    for producer in producers.PRODUCERS:
        todo_p = [s for s in slots if s.producer == producer and not pool_path(s).exists()]
        if todo_p:
            log(f"{producer}：{len(todo_p)} 份 …")
            producers.convert(producer, [_source(s) for s in todo_p], POOL / producer)
    folder = OUT / f"n{n}"
    by_producer = OUT / f"n{n}-by-producer"
    for old in (folder, by_producer):
        if old.exists():
            shutil.rmtree(old)
    folder.mkdir()
    for s in slots:
        src = pool_path(s)
        producer = s.producer
        if not src.exists():  # LibreOffice missing or failed: keep the openpyxl .xlsx
            src = _source(s)
            name = s.file.removesuffix(".xls") + ".xlsx"
            producer = "openpyxl"
        else:
            name = s.file
        dst = folder / name
        if dst.exists():
            dst = folder / f"{dst.stem}({s.index}){dst.suffix}"
        _link(src, dst)
        (by_producer / producer).mkdir(parents=True, exist_ok=True)
        _link(src, by_producer / producer / src.name)
    roster = OUT / f"roster-{n}.csv"
    rows = [
        {"单位名称": u, "单位类别": c, "别名": "", "联系人": who, "联系电话": tel}
        for u, c, who, tel in units(n)
    ]
    roster.write_bytes(make_examples.roster_csv(rows))
    return folder


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def _convert_xls(slots: list[Slot]) -> None:
    with tempfile.TemporaryDirectory(prefix="shuangyong-bench-") as tmp:
        src_dir = Path(tmp) / "in"
        src_dir.mkdir()
        for s in slots:
            shutil.copyfile(POOL / f"{s.index:05d}.xlsx", src_dir / f"{s.index:05d}.xlsx")
        out = Path(tmp) / "out"
        sources = sorted(src_dir.iterdir())
        if not make_examples.soffice_convert_files(sources, "xls", out, timeout=3600):
            print("LibreOffice 不可用：.xls 以 .xlsx 代替", file=sys.stderr)
            return
        for s in slots:
            made = out / f"{s.index:05d}.xls"
            if made.is_file():
                shutil.move(str(made), pool_path(s))
