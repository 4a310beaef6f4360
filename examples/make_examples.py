"""Generate the examples: a roster of 黔江区 units and their returns, clean and flawed.

Run from the repository root::

    python examples/make_examples.py            # LibreOffice files only when missing
    python examples/make_examples.py --soffice always

It writes ``examples/名册.csv``, ``examples/回收/`` (one file per return, named the way e-mail
attachments arrive) and ``examples/README.md`` (which file has which flaw, and what
``shuangyong validate`` says about it). Everything is drawn from ``random.Random`` seeded per unit,
and every workbook is saved by ``atomic.workbook_bytes`` (fixed timestamps): a re-run gives
identical bytes.
The few files LibreOffice makes (.xls, a re-saved .xlsx) differ per conversion, so they are only
made when missing (``--soffice always`` remakes them; without ``soffice`` they are skipped with a
note).

The benchmark imports three functions from here:

* ``make_roster_rows()`` — the roster as dicts (单位名称, 单位类别, 别名, 联系人, 联系电话);
* ``plausible_values(rng, category)`` — one unit's values, plausible for its 单位类别;
* ``fill_return(spec, unit, values, ...)`` — those values in a copy of the template, as a workbook;

and ``workbook_bytes(wb)`` to save one deterministically.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model.form import ColumnRole, FormSpec
from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.model.grid import col_letter
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.cell_text import set_text
from shuangyong_cli.writing.template import build_template
from shuangyong_cli.writing.template_layout import template_positions

SEED = 20200801
HERE = Path(__file__).resolve().parent
ROSTER_NAME = "名册.csv"
RETURNS_DIR = "回收"
ROSTER_COLUMNS = ("单位名称", "单位类别", "别名", "联系人", "联系电话")

CellKey = tuple[str, str]
Value = int | Decimal | str
"""What a unit typed in one cell: a whole number, a 万元 amount, or text (typed as text)."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# -- the units ------------------------------------------------------------------------------------

#: (单位名称, 单位类别, 别名) in the order of the notice's address line.
UNITS: tuple[tuple[str, str, str], ...] = (
    *(
        (n, "街道", "")
        for n in ("城东街道", "城南街道", "城西街道", "正阳街道", "舟白街道", "冯家街道")
    ),
    *(
        (n, "乡镇", "")
        for n in _words("""
            阿蓬江镇 石会镇 黑溪镇 黄溪镇 黎水镇 金溪镇 马喇镇 濯水镇 石家镇 鹅池镇 小南海镇 邻鄂镇
            中塘镇 蓬东乡 沙坝镇 白石镇 杉岭乡 太极镇 水田乡 白土乡 金洞乡 五里镇 水市乡 新华乡
        """)
    ),
    *(
        (n, "区委各部委", a)
        for n, a in (
            ("区委办公室", "区委办"),
            ("区纪委监委机关", "区纪委"),
            ("区委组织部", ""),
            ("区委宣传部", ""),
            ("区委统战部", ""),
            ("区委政法委", ""),
            ("区委编办", ""),
            ("区委政研室", ""),
            ("区委网信办", ""),
            ("区委老干部局", ""),
            ("区直机关工委", ""),
            ("区委党校", ""),
        )
    ),
    *(
        (n, "区级国家机关各部门", a)
        for n, a in (
            ("区人大常委会办公室", "区人大办"),
            ("区政府办公室", "区府办"),
            ("区政协办公室", "区政协办"),
            ("黔江区人民法院", "区法院"),
            ("黔江区人民检察院", "区检察院"),
            ("黔江区发展和改革委员会", "区发展改革委"),
            ("黔江区教育委员会", "区教委"),
            ("黔江区科学技术局", "区科技局"),
            ("黔江区经济和信息化委员会", "区经济信息委"),
            ("黔江区公安局", "区公安局"),
            ("黔江区民政局", "区民政局"),
            ("黔江区司法局", "区司法局"),
            ("黔江区财政局", "区财政局"),
            ("黔江区人力资源和社会保障局", "区人社局"),
            ("黔江区规划和自然资源局", "区规划自然资源局"),
            ("黔江区生态环境局", "区生态环境局"),
            ("黔江区住房和城乡建设委员会", "区住房城乡建委"),
            ("黔江区城市管理局", "区城市管理局"),
            ("黔江区交通局", "区交通局"),
            ("黔江区水利局", "区水利局"),
            ("黔江区农业农村委员会", "区农业农村委"),
            ("黔江区商务委员会", "区商务委"),
            ("黔江区文化和旅游发展委员会", "区文化旅游委"),
            ("黔江区卫生健康委员会", "区卫生健康委"),
            ("黔江区退役军人事务局", "区退役军人事务局"),
            ("黔江区应急管理局", "区应急局"),
            ("黔江区审计局", "区审计局"),
            ("黔江区市场监督管理局", "区市场监管局"),
            ("黔江区统计局", "区统计局"),
            ("黔江区医疗保障局", "区医保局"),
        )
    ),
    *(
        (n, "人民团体", a)
        for n, a in (
            ("黔江区总工会", "区总工会"),
            ("共青团重庆市黔江区委员会", "团区委、共青团黔江区委"),
            ("黔江区妇女联合会", "区妇联"),
            ("黔江区科学技术协会", "区科协"),
            ("黔江区文学艺术界联合会", "区文联"),
            ("黔江区残疾人联合会", "区残联"),
            ("黔江区工商业联合会", "区工商联"),
            ("黔江区红十字会", "区红十字会"),
            ("黔江区归国华侨联合会", "区侨联"),
            ("黔江区社会科学界联合会", "区社科联"),
        )
    ),
    *(
        (n, "区属企事业单位", a)
        for n, a in (
            ("黔江区人民医院", "区人民医院"),
            ("黔江区中医院", "区中医院"),
            ("黔江区妇幼保健院", "区妇幼保健院"),
            ("黔江区光荣院", "区光荣院"),
            ("黔江区融媒体中心", "区融媒体中心"),
            ("黔江区城市建设投资（集团）有限公司", "区城投集团"),
            ("黔江区交通旅游建设投资（集团）有限公司", "区交旅集团"),
            ("黔江区供排水有限责任公司", "区供排水公司"),
            ("黔江区公共交通有限公司", "区公交公司"),
            ("黔江区国有资产经营管理有限公司", "区国资公司"),
        )
    ),
    *(
        (n, "驻黔部队", a)
        for n, a in (
            ("黔江区人民武装部", "区人武部"),
            ("武警黔江中队", ""),
            ("黔江区消防救援支队", "区消防救援支队"),
            ("驻黔某部雷达站", ""),
            ("驻黔某部通信站", ""),
        )
    ),
)

#: Roster units that send nothing at all (they show as 未报).
NO_RETURN = (
    "水市乡",
    "区委网信办",
    "黔江区科学技术局",
    "黔江区生态环境局",
    "黔江区医疗保障局",
    "黔江区社会科学界联合会",
    "黔江区公共交通有限公司",
    "黔江区国有资产经营管理有限公司",
    "驻黔某部通信站",
)

#: A unit not on the roster that sends a return anyway.
OFF_ROSTER_UNIT = "正阳工业园区管委会"

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林冉向田彭谭邓余庞简蒋"
_GIVEN = _words("""
    明 静 伟 芳 勇 丽 军 敏 强 燕 磊 霞 杰 娟 建国 小红 志强 红梅 德明 晓燕 春林 海燕 永红 家兵
    世平 文静 光辉 玉兰 国庆 秀英
""")


def _rng(*parts: object) -> random.Random:
    """A generator seeded by text: the same parts give the same numbers on every run."""
    return random.Random(":".join(str(p) for p in (SEED, *parts)))


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _phone(rng: random.Random) -> str:
    """An invented number: a 023-7922xxxx landline, or a 1xx0000xxxx mobile."""
    if rng.random() < 0.7:
        return f"023-7922{rng.randrange(10000):04d}"
    return f"1{rng.choice(('36', '38', '39', '58', '87'))}0000{rng.randrange(10000):04d}"


def make_roster_rows() -> list[dict[str, str]]:
    """The roster: one dict per unit with the keys 单位名称, 单位类别, 别名, 联系人, 联系电话.

    6 街道, 24 乡镇, 12 区委各部委, 30 区级国家机关各部门, 10 人民团体, 10 区属企事业单位 and
    5 驻黔部队 (97 units). 联系人 and 联系电话 are invented, and the same on every call."""
    rows = []
    for name, category, aliases in UNITS:
        rng = _rng("roster", name)
        rows.append(
            {
                "单位名称": name,
                "单位类别": category,
                "别名": aliases,
                "联系人": _person(rng),
                "联系电话": _phone(rng),
            }
        )
    return rows


def roster_csv(rows: Iterable[Mapping[str, str]]) -> bytes:
    """The roster as CSV the way Excel saves it: UTF-8 with BOM, CRLF line ends."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(ROSTER_COLUMNS)
    for row in rows:
        writer.writerow([row[c] for c in ROSTER_COLUMNS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# -- plausible values -----------------------------------------------------------------------------

_ONE = Decimal("0.01")


@dataclass(frozen=True)
class _Item:
    """How one row is filled for a category: count range, how often, and 元 per count."""

    qty: tuple[int, int]
    chance: float = 1.0
    cash: tuple[int, int] = (0, 0)
    """慰问金 per count, in 元 (0 = none)."""
    goods: tuple[int, int] = (0, 0)
    """物资折款 per count, in 元 (0 = none)."""
    money_chance: float = 0.9


_TOWN: dict[str, _Item] = {
    "troops": _Item((1, 2), 0.4, (2000, 8000), (1000, 5000)),
    "anti_japanese": _Item((1, 2), 0.3, (500, 1000), (200, 500)),
    "korean_war": _Item((1, 8), 0.8, (500, 1000), (200, 400)),
    "martyr_family": _Item((3, 30), 1.0, (300, 800), (100, 300)),
    "military_family": _Item((10, 60), 1.0, (200, 500), (100, 300)),
    "disabled": _Item((3, 25), 1.0, (300, 800), (100, 300)),
    "veterans": _Item((50, 300), 1.0, (100, 300), (50, 150), 0.6),
    "other_objects": _Item((1, 20), 0.5, (200, 500), (100, 200)),
    "hardship": _Item((5, 30), 1.0, (500, 2000), (200, 500)),
    "merit_notices": _Item((1, 8), 0.6),
    "honor_plaques": _Item((80, 900), 0.9),
    "gatherings": _Item((1, 4), 1.0),
    "services": _Item((1, 2), 0.3),
}
_OFFICE: dict[str, _Item] = {
    "troops": _Item((1, 2), 0.8, (3000, 10000), (2000, 6000)),
    "military_family": _Item((1, 3), 0.4, (300, 500), (0, 0)),
    "veterans": _Item((1, 8), 0.5, (200, 500), (0, 0), 0.5),
    "hardship": _Item((1, 3), 0.4, (500, 2000), (200, 500)),
    "gatherings": _Item((1, 2), 0.7),
    "services": _Item((1, 2), 0.3),
}
_ENTERPRISE: dict[str, _Item] = {
    "troops": _Item((1, 1), 0.5, (3000, 10000), (2000, 6000)),
    "military_family": _Item((1, 5), 0.5, (300, 500), (100, 200)),
    "veterans": _Item((2, 20), 0.7, (200, 500), (100, 200), 0.6),
    "hardship": _Item((1, 3), 0.4, (500, 2000), (200, 500)),
    "gatherings": _Item((1, 1), 0.5),
    "services": _Item((1, 3), 0.5),
}
_TROOPS: dict[str, _Item] = {
    "military_family": _Item((3, 15), 0.6, (300, 800), (100, 300)),
    "hardship": _Item((1, 5), 0.5, (500, 1500), (0, 0)),
    "gatherings": _Item((1, 3), 1.0),
    "services": _Item((1, 2), 0.3),
}
#: The office the returns go to visits more than anyone.
_VETERANS_BUREAU: dict[str, _Item] = {
    "troops": _Item((4, 6), 1.0, (5000, 20000), (5000, 10000)),
    "anti_japanese": _Item((4, 8), 1.0, (1000, 2000), (300, 500)),
    "korean_war": _Item((20, 40), 1.0, (500, 1000), (200, 300)),
    "martyr_family": _Item((20, 50), 1.0, (500, 1000), (200, 300)),
    "disabled": _Item((10, 30), 1.0, (500, 1000), (200, 300)),
    "hardship": _Item((20, 40), 1.0, (1000, 3000), (0, 0)),
    "merit_notices": _Item((30, 60), 1.0),
    "gatherings": _Item((2, 4), 1.0),
}
PROFILES: dict[str, dict[str, _Item]] = {
    "街道": _TOWN,
    "乡镇": _TOWN,
    "区委各部委": _OFFICE,
    "区级国家机关各部门": _OFFICE,
    "人民团体": _OFFICE,
    "区属企事业单位": _ENTERPRISE,
    "驻黔部队": _TROOPS,
    "区退役军人事务局": _VETERANS_BUREAU,
}

_REMARKS = {
    "troops": ("含慰问信", "走访驻黔部队营区", "“八一”座谈慰问"),
    "honor_plaques": ("新悬挂", "含补挂"),
    "hardship": ("含临时救助", "结对帮扶"),
    "services": ("医疗巡诊", "法律讲座"),
}

#: The most one 万元 cell gets: realistic returns stay well under the form's plausible maximum.
MONEY_CAP = Decimal(20)


def _money(rng: random.Random, qty: int, per_yuan: tuple[int, int]) -> Decimal | None:
    if per_yuan == (0, 0):
        return None
    per = rng.randrange(per_yuan[0], per_yuan[1] + 1, 50) if per_yuan[1] >= 100 else per_yuan[0]
    wan = min((Decimal(qty * per) / 10000).quantize(_ONE, ROUND_HALF_UP), MONEY_CAP)
    return wan if wan > 0 else None


def plausible_values(rng: random.Random, category: str) -> dict[CellKey, Value]:
    """One unit's values, plausible for its 单位类别 (a category name of the form, or
    ``"区退役军人事务局"`` for the office the returns go to).

    Returns {(row id, column id): value} for input cells only: 数量 as ``int`` (whole, ≥ 0),
    慰问金/物资折款 as ``Decimal`` 万元 with two decimals (0.01–20), only on rows whose 数量 is
    above 0, and now and then a 备注 as ``str``. Rows the unit did not do are left out (blank).
    街道/乡镇 visit many 优抚对象 and hang hundreds of 光荣牌; offices visit one or two units of
    troops and a few families; 驻黔部队 visit no troops. Deterministic for a given ``rng`` state."""
    profile = PROFILES.get(category)
    if profile is None:
        raise KeyError(f"unknown category {category!r}; one of {', '.join(PROFILES)}")
    values: dict[CellKey, Value] = {}
    for row_id, item in profile.items():
        if rng.random() >= item.chance:
            continue
        qty = rng.randint(*item.qty)
        values[(row_id, "qty")] = qty
        if rng.random() < item.money_chance:
            for col, per in (("cash", item.cash), ("goods", item.goods)):
                amount = _money(rng, qty, per)
                if amount is not None:
                    values[(row_id, col)] = amount
        if row_id in _REMARKS and rng.random() < 0.15:
            values[(row_id, "remark")] = rng.choice(_REMARKS[row_id])
    return values


# -- filling a return -----------------------------------------------------------------------------


def fill_return(
    spec: FormSpec,
    unit: str,
    values: Mapping[CellKey, Value | None],
    *,
    date: dt.date | str | None = None,
    remarks: Mapping[str, str] | None = None,
    footer: Mapping[str, str] | None = None,
    unprotect: bool = False,
    issued_to: str | None = None,
) -> Workbook:
    """A copy of the template (``template.build_template(spec, unit=unit)``) filled the way a
    unit fills it in Excel, as an openpyxl workbook.

    * ``values``: {(row id, column id): value} at ``template_positions``. ``int`` and ``Decimal``
      are written as numbers (a Decimal as the float Excel stores), ``str`` as text exactly as
      typed (``"约5"``, ``"１２"``, ``"5000元"``; never a formula), ``None`` leaves the cell
      blank. Any body cell may be named: a value in a computed cell replaces its formula (a
      total typed by hand), one in a not-applicable cell replaces its ``—``.
    * ``date``: 日期, a ``datetime.date`` (an Excel date) or text as typed (``"2020.8.10"``).
    * ``remarks``: {row id: 备注 text}, the same as ``values[(row id, "remark")]``.
    * ``footer``: {field id: text} for 填表人/审核人/联系电话 (``filler``, ``reviewer``, ``phone``).
    * ``unprotect``: leave the sheet unprotected, as a unit that typed over a locked cell did.
    * ``issued_to``: the copy was made for this unit (``template --roster``) and ``unit`` typed
      over its 填报单位: another unit's copy, filled in.

    ``unit`` "" leaves 填报单位 blank. Unknown row, column or field ids raise ``KeyError``. Save
    with ``workbook_bytes`` for the same bytes on every run."""
    wb = build_template(spec, unit=unit if issued_to is None else issued_to)
    ws = wb[spec.sheet]
    pos = template_positions(spec)
    if issued_to is not None:
        unit_field = next(f for f in spec.header_fields if f.id == "unit")
        _write(ws[pos.field_cell(unit_field.id)], unit or None)
    cells: dict[CellKey, Value | None] = dict(values)
    for row_id, text in (remarks or {}).items():
        cells[(row_id, "remark")] = text
    for (row_id, column_id), value in cells.items():
        spec.row(row_id)
        if spec.column(column_id).role is not ColumnRole.VALUE:
            raise KeyError(f"{column_id!r} is not a value column")
        _write(ws[pos.cell(row_id, column_id)], value)
    if date is not None:
        date_field = next(f for f in spec.fields if f.kind == "date")
        _write(ws[pos.field_cell(date_field.id)], date)
    for field_id, text in (footer or {}).items():
        spec.field(field_id)
        set_text(ws[pos.field_cell(field_id)], text)
    if unprotect:
        ws.protection.sheet = False
    return wb


def _write(cell: object, value: Value | dt.date | None) -> None:
    if value is None:
        cell.value = None  # type: ignore[attr-defined]
    elif isinstance(value, str):
        set_text(cell, value)
    elif isinstance(value, bool):
        raise TypeError("a return holds numbers or text, not True/False")
    elif isinstance(value, Decimal):
        cell.value = float(value)  # type: ignore[attr-defined]
    else:
        cell.value = value  # type: ignore[attr-defined]


def workbook_bytes(wb: Workbook) -> bytes:
    """A workbook saved as .xlsx bytes, the same bytes for the same content on every run."""
    return atomic.workbook_bytes(wb)


# -- the returns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """One file of 回收/: who sent it, what is wrong with it, and what validate reports."""

    file: str
    unit: str
    """The roster unit that sent it ("" when not on the roster)."""
    flaw: str = ""
    """What is wrong, in Chinese ("" for a clean return)."""
    codes: tuple[str, ...] = ()
    """The finding codes ``validate --roster`` reports for this file, sorted."""
    says: str = ""
    """What validate says, in short (for the README)."""
    soffice: str = ""
    """"xls" or "xlsx" when LibreOffice makes the file from the openpyxl one."""
    skipped: bool = False
    """A file validate skips without a word (an Excel lock file)."""


_DEADLINE_DAYS = range(5, 15)


def _date_as_typed(rng: random.Random, day: int) -> dt.date | str:
    """日期 the way clerks type it: mostly an Excel date, sometimes text in some shape."""
    kind = rng.random()
    if kind < 0.5:
        return dt.date(2020, 8, day)
    if kind < 0.65:
        return f"2020-08-{day:02d}"
    if kind < 0.8:
        return f"2020.8.{day}"
    if kind < 0.95:
        return f"2020年8月{day}日"
    return f"2020/8/{day}"


_NAME_PATTERNS = (
    "{u}-八一统计表.xlsx",
    "附件：统计表（{u}）.xlsx",
    "{u}2020年八一双拥统计表.xlsx",
    "2020年“八一”期间走访慰问驻黔部队和优抚对象情况统计表（{u}）.xlsx",
    "{u} 八一 走访慰问情况统计.xlsx",
    "附件{u}.xlsx",
    "{u}.xlsx",
)


@dataclass
class _Return:
    """A return being made: the unit, its values and the header/footer as typed."""

    unit: str
    typed_unit: str
    category: str
    values: dict[CellKey, Value | None]
    date: dt.date | str | None
    footer: dict[str, str]


def _base_return(unit: str, category: str, contact: str, phone: str) -> _Return:
    rng = _rng("return", unit)
    profile = "区退役军人事务局" if unit == "黔江区退役军人事务局" else category
    values: dict[CellKey, Value | None] = dict(plausible_values(rng, profile))
    date = _date_as_typed(rng, rng.choice(_DEADLINE_DAYS))
    footer = {"filler": contact, "reviewer": _person(rng), "phone": phone}
    return _Return(unit, unit, category, values, date, footer)


def _build(
    spec: FormSpec, r: _Return, *, unprotect: bool = False, issued_to: str | None = None
) -> Workbook:
    return fill_return(
        spec,
        r.typed_unit,
        r.values,
        date=r.date,
        footer=r.footer,
        unprotect=unprotect,
        issued_to=issued_to,
    )


def _ensure(r: _Return, row_id: str, qty: int, cash: str | None = None) -> None:
    """Make sure a row has a count (and 慰问金), so a flaw has a plausible place to sit."""
    r.values[(row_id, "qty")] = qty
    if cash is not None:
        r.values[(row_id, "cash")] = Decimal(cash)


def _insert_blank_row(ws: Worksheet, at: int) -> None:
    """Insert an empty row before row ``at`` the way Excel does: everything below moves down,
    merged ranges, validations and row heights with it, and formulas follow their cells."""
    last_row, last_col = ws.max_row, ws.max_column
    below = [str(m) for m in ws.merged_cells.ranges if m.min_row >= at]
    for ref in below:
        ws.unmerge_cells(ref)
    heights = {r: ws.row_dimensions[r].height for r in range(at, last_row + 1)}
    ws.move_range(f"A{at}:{col_letter(last_col)}{last_row}", rows=1)
    for r, h in heights.items():
        ws.row_dimensions[r + 1].height = h
    ws.row_dimensions[at].height = None
    for ref in below:
        ws.merge_cells(_shift_refs(ref, at))
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f" and isinstance(cell.value, str):
                cell.value = _shift_refs(cell.value, at)
    for dv in ws.data_validations.dataValidation:
        dv.sqref = type(dv.sqref)(_shift_refs(str(dv.sqref), at))
    ws.print_area = _shift_refs(f"A1:{col_letter(last_col)}{last_row}", at)


_REF = re.compile(r"(\$?[A-Z]{1,3}\$?)(\d+)")


def _shift_refs(text: str, at: int) -> str:
    def shift(m: re.Match[str]) -> str:
        row = int(m.group(2))
        return f"{m.group(1)}{row + 1 if row >= at else row}"

    return _REF.sub(shift, text)


def _lock_file_bytes() -> bytes:
    """What Excel leaves beside an open workbook: the user's name in a 165-byte file."""
    user = "Administrator".encode("ascii")
    data = bytes([len(user)]) + user + b"\x20" * (54 - len(user))
    data += "Administrator".encode("utf-16-le")
    return data.ljust(165, b"\x00")


def _word_document_bytes() -> bytes:
    """A small Word document (.docx): the unit sent its written report instead of the form."""
    paragraphs = (
        "关于2020年“八一”期间双拥工作开展情况的报告",
        "区双拥办：",
        "“八一”期间，我局组织开展了走访慰问活动，现将有关情况报告如下。",
        "一、走访慰问驻黔部队1个，送去慰问金0.5万元。",
        "二、开展送法律进军营活动1次。",
    )
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=atomic.FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            z.writestr(info, text.encode("utf-8"))
    return out.getvalue()


def _hidden_scratch_sheet(wb: Workbook) -> None:
    """A hidden sheet the clerk used for working out, left in the file."""
    ws = wb.create_sheet("Sheet2")
    rows = (
        ("姓名", "村（社区）", "金额（元）"),
        ("向德明", "小南海村", 500),
        ("冉玉兰", "新建村", 500),
        ("田光辉", "桥梁村", 800),
        ("彭秀英", "朝阳村", 500),
    )
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                set_text(ws.cell(r, c), value)
            else:
                ws.cell(r, c).value = value
    ws.sheet_state = "hidden"


def plan_returns(spec: FormSpec) -> tuple[list[Example], dict[str, bytes]]:
    """Every file of 回收/ (as ``Example``) and the bytes of the ones made here (LibreOffice
    files are made later from the bytes stored under ``"soffice:" + file``)."""
    roster = {row["单位名称"]: row for row in make_roster_rows()}
    pos = template_positions(spec)
    examples: list[Example] = []
    files: dict[str, bytes] = {}
    taken: set[str] = set()

    def base(unit: str) -> _Return:
        row = roster[unit]
        return _base_return(unit, row["单位类别"], row["联系人"], row["联系电话"])

    def add(example: Example, data: bytes) -> None:
        key = example.file.casefold()
        if key in taken:
            raise ValueError(f"two examples named {example.file}")
        taken.add(key)
        examples.append(example)
        files[("soffice:" if example.soffice else "") + example.file] = data

    def flawed(
        file: str,
        unit: str,
        flaw: str,
        codes: Iterable[str],
        says: str,
        data: bytes,
        *,
        soffice: str = "",
        skipped: bool = False,
    ) -> None:
        add(Example(file, unit, flaw, tuple(sorted(codes)), says, soffice, skipped), data)

    special: set[str] = set()

    # 简称 instead of the full name.
    for unit, typed, file in (
        ("黔江区民政局", "区民政局", "附件：统计表（黔江区民政局）.xlsx"),
        ("黔江区财政局", "财政局（盖章）", "财政局八一统计表.xlsx"),
        ("黔江区妇女联合会", "区妇联", "区妇联.xlsx"),
    ):
        r = base(unit)
        r.typed_unit = typed
        flawed(
            file,
            unit,
            f"填报单位写的是“{typed}”（简称）",
            ["roster.near_match"],
            f"单位名称不完全一致，按“{unit}”处理",
            workbook_bytes(_build(spec, r)),
        )
        special.add(unit)

    # 元 in a 万元 column: a number, and a number with 元.
    r = base("石会镇")
    _ensure(r, "military_family", 25)
    r.values[("military_family", "cash")] = 5000
    r.values.pop(("military_family", "goods"), None)
    flawed(
        "石会镇-八一统计表.xlsx",
        "石会镇",
        "“军属 / 慰问金”填了 5000（按元填写）",
        ["value.implausible"],
        f"{pos.cell('military_family', 'cash')} 金额偏大（错误，不计入汇总），请改为 0.5（万元）",
        workbook_bytes(_build(spec, r)),
    )
    r = base("黑溪镇")
    _ensure(r, "martyr_family", 10)
    r.values[("martyr_family", "goods")] = "5000元"
    flawed(
        "黑溪镇 八一 走访慰问情况统计.xlsx",
        "黑溪镇",
        "“烈属 / 物资折款”填了“5000元”",
        ["value.yuan_converted", "calc.sheet_differs"],
        f"{pos.cell('martyr_family', 'goods')} 已由元换算为 0.5 万元；"
        f"{pos.cell('total', 'subtotal')} 表内合计与换算后不同（警告）",
        workbook_bytes(_build(spec, r)),
    )

    # Another unit's copy: made by `template --roster` for 水市乡, filled in by 金洞乡, and sent
    # under the name it came with. 金洞乡 counts; 水市乡 stays 未报, and both names are said.
    r = base("金洞乡")
    flawed(
        "水市乡.xlsx",
        "金洞乡",
        "用的是发给水市乡的表（template --roster），填报单位填的是“金洞乡”",
        ["roster.other_units_copy"],
        f"{pos.field_cell('unit')} 这份表是发给“水市乡”的，填报单位却是“金洞乡”（警告）",
        workbook_bytes(_build(spec, r, issued_to="水市乡")),
    )

    # Text in a number cell.
    r = base("城西街道")
    _ensure(r, "korean_war", 5, "0.25")
    r.values[("korean_war", "qty")] = "约5"
    flawed(
        "城西街道-八一统计表.xlsx",
        "城西街道",
        "“抗美援朝老战士 / 数量”填了“约5”",
        ["value.guess"],
        f"{pos.cell('korean_war', 'qty')} 数值不确定，不能计入",
        workbook_bytes(_build(spec, r)),
    )
    r = base("马喇镇")
    _ensure(r, "other_objects", 8, "0.30")
    r.values[("other_objects", "qty")] = "若干"
    flawed(
        "附件：统计表（马喇镇）.xlsx",
        "马喇镇",
        "“其他优抚对象 / 数量”填了“若干”",
        ["value.guess"],
        f"{pos.cell('other_objects', 'qty')} 数值不确定，不能计入",
        workbook_bytes(_build(spec, r)),
    )

    # A total typed by hand that does not add up (the unit took off the sheet protection).
    r = base("濯水镇")
    flawed_total = pos.cell("total", "subtotal")
    wb = _build(spec, r, unprotect=True)
    # The unit corrected a row afterwards but kept the total it had typed before.
    typed_total = _typed_total(r, spec) + Decimal("1.20")
    wb[spec.sheet][flawed_total] = float(typed_total)
    flawed(
        "濯水镇2020年八一双拥统计表.xlsx",
        "濯水镇",
        f"合计“小计”（{flawed_total}）的公式被改成手填的数，与各项之和不符",
        ["calc.mismatch"],
        f"{flawed_total} 合计不符（应为各项之和）",
        workbook_bytes(wb),
    )

    # 填报单位 left blank.
    r = base("黄溪镇")
    r.typed_unit = ""
    flawed(
        "黄溪镇八一统计表.xlsx",
        "黄溪镇",
        "未填填报单位（文件名看得出是黄溪镇，但表中没写）",
        ["header.unit_missing"],
        f"{pos.field_cell('unit')} 未填填报单位；该单位因此仍列为未报",
        workbook_bytes(_build(spec, r)),
    )

    # A duplicate: the same file sent twice.
    r = base("黔江区审计局")
    data = workbook_bytes(_build(spec, r))
    for file in ("附件：统计表（黔江区审计局）.xlsx", "附件：统计表（黔江区审计局）(1).xlsx"):
        flawed(
            file,
            "黔江区审计局",
            "同一份文件发了两次（两个文件完全相同）",
            ["roster.duplicate"],
            "同一单位多份报表（汇总时只计一份）",
            data,
        )

    # A corrected second version, dated later.
    r = base("太极镇")
    _ensure(r, "military_family", 32, "0.96")
    r.date = dt.date(2020, 8, 10)
    first = workbook_bytes(_build(spec, r))
    r.values[("military_family", "qty")] = 36
    r.values[("military_family", "cash")] = Decimal("1.08")
    r.values[("military_family", "remark")] = "更正：补报4人次"
    r.date = "2020-08-13"
    second = workbook_bytes(_build(spec, r))
    flawed(
        "太极镇-八一统计表.xlsx",
        "太极镇",
        "第一版（8月10日）；后来又报了更正版",
        ["roster.duplicate"],
        "同一单位多份报表；汇总以日期较新的更正版为准",
        first,
    )
    flawed(
        "太极镇-八一统计表（更正）.xlsx",
        "太极镇",
        "更正版（8月13日，军属人次和慰问金改了）",
        ["roster.duplicate"],
        "同一单位多份报表；汇总以这一份为准",
        second,
    )

    # Old .xls files (LibreOffice converts the openpyxl return).
    for unit, file in (("黔江区水利局", "统计表（黔江区水利局）.xls"), ("鹅池镇", "鹅池镇.xls")):
        flawed(
            file,
            unit,
            "Excel 97-2003 格式（.xls），由 LibreOffice 转存",
            [],
            "无问题（.xls 照常读取）",
            workbook_bytes(_build(spec, base(unit))),
            soffice="xls",
        )

    # Typing habits the reader converts.
    for unit, file, row_id, qty, typed, habit in (
        ("城南街道", "城南街道.xlsx", "military_family", 12, "１２", "全角数字"),
        ("阿蓬江镇", "附件阿蓬江镇.xlsx", "honor_plaques", 1200, "1,200", "千位分隔符"),
        ("黎水镇", "黎水镇-八一统计表.xlsx", "martyr_family", 3, "3人", "数字后带单位"),
    ):
        r = base(unit)
        r.values[(row_id, "qty")] = typed
        row = spec.row(row_id)
        flawed(
            file,
            unit,
            f"“{row.label} / 数量”填了“{typed}”（{habit}）",
            # Excel's SUM over 1-7 leaves the text out: 二's 数量 shows less than is counted
            ["value.converted", *(["calc.sheet_differs"] if row_id != "honor_plaques" else [])],
            f"{pos.cell(row_id, 'qty')} 已按 {qty} 读取（提示）"
            + (
                f"；{pos.cell('objects', 'qty')} 表内合计与之不同（警告）"
                if row_id != "honor_plaques"
                else ""
            ),
            workbook_bytes(_build(spec, r)),
        )

    # A formula saved without its result (a unit typed =2+3; openpyxl stores no cached value).
    r = base("区委宣传部")
    r.values.pop(("troops", "qty"), None)
    _ensure(r, "troops", 5, "1.00")
    wb = _build(spec, r)
    wb[spec.sheet][pos.cell("troops", "qty")] = "=2+3"
    flawed(
        "区委宣传部-八一统计表.xlsx",
        "区委宣传部",
        "“走访慰问驻黔部队 / 数量”是公式 =2+3，文件中没有计算结果",
        ["value.formula_no_cache"],
        f"{pos.cell('troops', 'qty')} 公式没有计算结果，请在 Excel/WPS 中打开保存后再报",
        workbook_bytes(wb),
    )

    # Re-saved by LibreOffice: every formula has its cached value, as after Excel or WPS.
    flawed(
        "黔江区商务委员会八一统计表.xlsx",
        "黔江区商务委员会",
        "用 LibreOffice 另存过（公式带计算结果，如同 Excel/WPS 保存）",
        [],
        "无问题",
        workbook_bytes(_build(spec, base("黔江区商务委员会"))),
        soffice="xlsx",
    )

    # A unit that is not on the roster.
    rng = _rng("return", OFF_ROSTER_UNIT)
    off = _Return(
        OFF_ROSTER_UNIT,
        OFF_ROSTER_UNIT,
        "区级国家机关各部门",
        dict(plausible_values(rng, "区级国家机关各部门")),
        dt.date(2020, 8, 12),
        {"filler": _person(rng), "reviewer": _person(rng), "phone": _phone(rng)},
    )
    flawed(
        "正阳工业园区统计表.xlsx",
        "",
        f"填报单位“{OFF_ROSTER_UNIT}”不在名册中",
        ["roster.unknown_unit"],
        "不在名册中（汇总时列入“未列入名册”）",
        workbook_bytes(_build(spec, off)),
    )

    # An empty return: the blank copy sent back with only 填报单位.
    flawed(
        "新华乡-八一统计表.xlsx",
        "新华乡",
        "空表：只有填报单位，其余都没填",
        ["header.date_missing", "return.empty"],
        "空表，不能当作全 0 计入；未填日期",
        workbook_bytes(fill_return(spec, "新华乡", {})),
    )

    # =HYPERLINK(...) typed in 备注: stays text.
    r = base("黔江区融媒体中心")
    _ensure(r, "troops", 1, "0.50")
    r.values[("troops", "remark")] = '=HYPERLINK("http://example.com","点击")'
    flawed(
        "附件：统计表（黔江区融媒体中心）.xlsx",
        "黔江区融媒体中心",
        '备注里写了 =HYPERLINK("http://example.com","点击")（文字，不是公式）',
        ["value.formula_text"],
        f"{pos.cell('troops', 'remark')} 文字以等号开头，按文字读取（提示）",
        workbook_bytes(_build(spec, r)),
    )

    # A hidden extra sheet.
    r = base("小南海镇")
    wb = _build(spec, r)
    _hidden_scratch_sheet(wb)
    flawed(
        "小南海镇-八一统计表.xlsx",
        "小南海镇",
        "多了一个隐藏的工作表“Sheet2”（草稿）",
        ["form.other_sheets"],
        "另有工作表“Sheet2”（隐藏），只读取“统计表”（提示）",
        workbook_bytes(wb),
    )

    # A blank row inserted between 二 and 1 (the unit unprotected the sheet to do it).
    r = base("沙坝镇")
    wb = _build(spec, r, unprotect=True)
    _insert_blank_row(wb[spec.sheet], pos.row["anti_japanese"])
    flawed(
        "沙坝镇 八一统计表.xlsx",
        "沙坝镇",
        "在“二”和“1”之间插入了一个空行（下面的格都下移了一行）",
        [],
        "无问题（按项目名称定位，不受影响）",
        workbook_bytes(wb),
    )

    # Late.
    for unit, file, date in (
        ("邻鄂镇", "邻鄂镇-八一统计表.xlsx", dt.date(2020, 8, 17)),
        ("区委统战部", "附件：统计表（区委统战部）.xlsx", "2020年8月17日"),
    ):
        r = base(unit)
        r.date = date
        flawed(
            file,
            unit,
            f"日期为 {date}，晚于截止日期 2020-08-14",
            ["header.late"],
            "逾期报送 3 天",
            workbook_bytes(_build(spec, r)),
        )

    # Money on a row whose count is blank.
    r = base("黔江区工商业联合会")
    r.values.pop(("troops", "qty"), None)
    r.values[("troops", "cash")] = Decimal("0.50")
    flawed(
        "黔江区工商业联合会-八一统计表.xlsx",
        "黔江区工商业联合会",
        "“走访慰问驻黔部队”有慰问金 0.5 万元，但数量没填",
        ["value.money_without_qty"],
        f"{pos.cell('troops', 'qty')} 数量为 0 但有金额",
        workbook_bytes(_build(spec, r)),
    )

    # More than two decimals (a figure worked out as 1/3 and pasted).
    r = base("黔江区中医院")
    _ensure(r, "veterans", 6)
    r.values[("veterans", "cash")] = "0.333"
    r.values.pop(("veterans", "goods"), None)
    flawed(
        "黔江区中医院-八一统计表.xlsx",
        "黔江区中医院",
        "“退役军人 / 慰问金”填了 0.333（三位小数，存为文本）",
        ["value.converted", "value.too_many_decimals", "calc.sheet_differs"],
        f"{pos.cell('veterans', 'cash')} 超过两位小数，按 0.333 计入；"
        f"{pos.cell('total', 'subtotal')} 表内合计与之不同（警告）",
        workbook_bytes(_build(spec, r)),
    )

    # A value in a not-applicable cell.
    r = base("白石镇")
    _ensure(r, "honor_plaques", 260)
    r.values[("honor_plaques", "cash")] = Decimal("0.30")
    flawed(
        "白石镇-八一统计表.xlsx",
        "白石镇",
        "“悬挂光荣牌 / 慰问金”（不适用，应为—）填了 0.3",
        ["value.in_na_cell"],
        f"{pos.cell('honor_plaques', 'cash')} 此格不应填写，该数未计入",
        workbook_bytes(_build(spec, r, unprotect=True)),
    )

    # An Excel lock file, a truncated upload, a Word document named .xlsx.
    flawed(
        "~$城东街道-八一统计表.xlsx",
        "",
        "Excel 打开文件时留下的锁定文件（165 字节）",
        [],
        "跳过，不计为文件",
        _lock_file_bytes(),
        skipped=True,
    )
    full = workbook_bytes(_build(spec, base("黔江区统计局")))
    flawed(
        "黔江区统计局-八一统计表.xlsx",
        "黔江区统计局",
        f"文件不完整（只收到前 {len(full) * 11 // 20} 字节，下载中断）",
        ["file.truncated"],
        "文件不完整，请对方重新发送；该单位仍列为未报",
        full[: len(full) * 11 // 20],
    )
    flawed(
        "黔江区司法局-统计表.xlsx",
        "黔江区司法局",
        "其实是 Word 文档（.docx 改名为 .xlsx）",
        ["file.not_workbook"],
        "不是 Excel/WPS 表格；该单位仍列为未报",
        _word_document_bytes(),
    )
    special.update(e.unit for e in examples if e.unit)

    # Everyone else: a clean return, named one of the usual ways.
    generic = iter(("统计表 (2).xlsx", "统计表 (3).xlsx", "新建 Microsoft Excel 工作表.xlsx"))
    generic_units = {"金溪镇", "区委编办", "黔江区红十字会"}
    for name, _category, _aliases in UNITS:
        if name in special or name in NO_RETURN:
            continue
        r = base(name)
        if name == "城东街道":
            file = "城东街道-八一统计表.xlsx"
        elif name in generic_units:
            file = next(generic)
        else:
            file = _rng("file", name).choice(_NAME_PATTERNS).format(u=name)
        add(Example(file, name), workbook_bytes(_build(spec, r)))
    return examples, files


def _typed_total(r: _Return, spec: FormSpec) -> Decimal:
    """The 合计 / 小计 a unit's inputs add up to."""
    total = Decimal(0)
    for row_id in ("troops", *(s for s, _ in spec.sources("objects", "qty")), "hardship"):
        for col in ("cash", "goods"):
            v = r.values.get((row_id, col))
            if isinstance(v, Decimal):
                total += v
    return total


# -- LibreOffice ----------------------------------------------------------------------------------

_SOFFICE_FILTERS = {"xls": "xls:MS Excel 97", "xlsx": "xlsx:Calc MS Excel 2007 XML"}


def soffice_convert(data: bytes, to: str) -> bytes | None:
    """``data`` (an .xlsx) converted by LibreOffice to ``to`` ("xls" or "xlsx": re-saved, so
    formulas carry their values). None when LibreOffice is not installed or fails."""
    with tempfile.TemporaryDirectory(prefix="shuangyong-examples-") as tmp:
        folder = Path(tmp)
        src = folder / "in" / "return.xlsx"
        src.parent.mkdir()
        src.write_bytes(data)
        out = folder / "out"
        if not soffice_convert_files([src], to, out, timeout=300):
            return None
        result = out / f"return.{to}"
        return result.read_bytes() if result.is_file() else None


def soffice_convert_files(sources: list[Path], to: str, out: Path, *, timeout: int) -> bool:
    """``sources`` converted by one LibreOffice run to ``to`` ("xls" or "xlsx"), into folder
    ``out`` under the same names. False when LibreOffice is not installed or could not run;
    a file it could not convert is simply missing from ``out``."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return False
    with tempfile.TemporaryDirectory(prefix="shuangyong-soffice-") as profile:
        try:
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    _SOFFICE_FILTERS[to],
                    "--outdir",
                    str(out),
                    *(str(src) for src in sources),
                ],
                check=False,
                capture_output=True,
                timeout=timeout,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
    return True


# -- README ---------------------------------------------------------------------------------------

README_HEAD = """\
# 示例：黔江区的名册和收回的报表

本文件夹由 `make_examples.py` 生成（请勿手工修改），供新同事把每个命令都试一遍。
单位名称取自黔江区的乡镇街道和区级部门；**联系人、电话和所有数字都是虚构的**，
驻黔部队用的是不含番号的泛称。

- `名册.csv`：{n_units} 个应报单位（{by_category}），UTF-8 带 BOM，列为 {columns}；
  部分单位有别名（简称）。
- `回收/`：{n_files} 个报表文件，像从邮件附件里存下来的一样命名，其中 {n_clean} 份是正常报表，
  其余每份带一种真实常见的问题（见下表）；另有一个 Excel 锁定文件 `~$…`，工具应跳过它。
- `make_examples.py`：生成以上文件的脚本。
- `自己的表/`：用单位自己画的空白表（2021 年春节走访慰问）发表、校验、汇总的例子，由
  `make_own_form.py` 生成，见 README「用自己的表」。

## 试一试

```
shuangyong template --roster examples/名册.csv --out-dir 各单位统计表
shuangyong validate examples/回收 --roster examples/名册.csv
shuangyong validate examples/回收 --roster examples/名册.csv --report 校验结果.xlsx
shuangyong validate examples/回收 --roster examples/名册.csv --annotate 校验意见
shuangyong merge examples/回收 --roster examples/名册.csv
shuangyong status examples/回收 --roster examples/名册.csv
```

## 有问题的文件

“validate 报告”一列是 `shuangyong validate examples/回收 --roster examples/名册.csv` 对该文件
报告的发现代码，测试 `tests/test_examples.py` 逐一核对。表中没有的文件没有任何发现。

| 文件 | 问题 | validate 报告 | 说明 |
|---|---|---|---|
"""

README_TAIL = """
## 未报单位

以下 {n} 个单位在 `回收/` 中没有可用的报表，`validate` 在最后列为“未报”（`roster.not_reported`）：
{names}。其中{broken}发了文件，但文件不能用或没写单位名称。

## 重新生成

```
python examples/make_examples.py
```

数字由固定的随机种子生成，xlsx 文件由 `atomic.workbook_bytes` 以固定的时间戳保存，重新运行得到逐字节
相同的文件。`.xls` 和“LibreOffice 另存”的文件要用 LibreOffice（`soffice`）转换，每次转换的
字节都不同，所以只在文件缺失时才生成；要重做请删掉它们，或运行
`python examples/make_examples.py --soffice always`。没有安装 LibreOffice 时脚本会跳过这几个文件
并给出提示。
"""


#: Findings that leave a file without a unit, so its unit stays 未报.
UNUSABLE = frozenset({"header.unit_missing", "file.truncated", "file.not_workbook"})


def not_reported(examples: Iterable[Example]) -> list[str]:
    """Roster units that end up 未报: no file, or only files that give no 填报单位."""
    reported: set[str] = set()
    for e in examples:
        if e.unit and not e.skipped and not (set(e.codes) & UNUSABLE):
            reported.add(e.unit)
    return [name for name, _c, _a in UNITS if name not in reported]


def readme_text(examples: list[Example]) -> str:
    counts: dict[str, int] = {}
    for _name, category, _aliases in UNITS:
        counts[category] = counts.get(category, 0) + 1
    by_category = "、".join(f"{c} {n}" for c, n in counts.items())
    real = [e for e in examples if not e.skipped]
    flawed = [e for e in examples if e.flaw]
    lines = [
        README_HEAD.format(
            n_units=len(UNITS),
            by_category=by_category,
            columns="、".join(ROSTER_COLUMNS),
            n_files=len(real),
            n_clean=sum(1 for e in real if not e.flaw),
        )
    ]
    for e in flawed:
        codes = "、".join(f"`{c}`" for c in e.codes) if e.codes else "（无）"
        flaw = e.flaw.replace("|", "\\|")
        lines.append(f"| `{e.file}` | {flaw} | {codes} | {e.says} |\n")
    missing = not_reported(examples)
    broken = [e.unit for e in examples if e.unit in missing and set(e.codes) & UNUSABLE]
    lines.append(
        README_TAIL.format(
            n=len(missing), names="、".join(missing), broken="、".join(dict.fromkeys(broken))
        )
    )
    return "".join(lines)


# -- main -----------------------------------------------------------------------------------------


def write_examples(
    out: Path, *, soffice: str = "missing", log: Callable[[str], None] = print
) -> list[Example]:
    """Write 名册.csv, 回收/ and README.md under ``out``. ``soffice``: "missing" (convert only
    files that do not exist yet), "always", or "never"."""
    spec = load_form()
    examples, files = plan_returns(spec)
    out.mkdir(parents=True, exist_ok=True)
    returns = out / RETURNS_DIR
    returns.mkdir(exist_ok=True)
    atomic.write_bytes_atomic(out / ROSTER_NAME, roster_csv(make_roster_rows()))
    wanted = {e.file for e in examples}
    for old in returns.iterdir():
        if old.is_file() and old.name not in wanted:
            old.unlink()
    for e in examples:
        target = returns / e.file
        if not e.soffice:
            atomic.write_bytes_atomic(target, files[e.file])
            continue
        if target.exists() and soffice != "always":
            continue
        if soffice == "never":
            log(f"跳过 {e.file}：未要求用 LibreOffice 转换")
            continue
        data = soffice_convert(files["soffice:" + e.file], e.soffice)
        if data is None:
            log(f"跳过 {e.file}：找不到 LibreOffice（soffice）或转换失败")
            continue
        atomic.write_bytes_atomic(target, data)
    atomic.write_bytes_atomic(out / "README.md", readme_text(examples).encode("utf-8"))
    present = sum(1 for e in examples if (returns / e.file).is_file())
    log(f"已写出 {out / ROSTER_NAME}、{returns}（{present} 个文件）和 {out / 'README.md'}")
    return examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 examples/ 下的名册和示例报表。")
    parser.add_argument("--out", type=Path, default=HERE, help="输出文件夹（默认本脚本所在文件夹）")
    parser.add_argument(
        "--soffice",
        choices=("missing", "always", "never"),
        default="missing",
        help="何时用 LibreOffice 生成 .xls 和另存的文件（默认只在缺失时）",
    )
    args = parser.parse_args(argv)
    write_examples(args.out, soffice=args.soffice)
    return 0


if __name__ == "__main__":
    sys.exit(main())
