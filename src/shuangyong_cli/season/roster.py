"""The roster: who must report, in which category, and matching the names units type to it.

A roster is a CSV (UTF-8 with or without BOM, or GBK as Chinese Excel saves it) or a workbook
(.xlsx/.xls/.ods, first sheet) with the columns 单位名称 and 单位类别, and optionally 别名 (several,
separated by 、，,;； or spaces), 联系人 and 联系电话. Columns are found by their header, which may
sit below a title row.

Units type their own name in 填报单位 (`黔江区民政局`, `区民政局`, `民政局（盖章）`).
``Roster.match`` finds the roster unit meant, says how when the name was not the roster's own, and
never guesses between two candidates.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shuangyong_cli.model import FormSpec, RosterError, message, os_reason

#: Prefixes a unit may put before (or leave off) its name; only one is stripped, longest first.
DISTRICT_PREFIXES: tuple[str, ...] = ("重庆市黔江区", "黔江区", "黔江", "区")

#: Stamps and remarks a unit may add after its name (compared after NFKC, so （ ） become ( )).
NAME_SUFFIXES: tuple[str, ...] = (
    "(盖章)",
    "(单位盖章)",
    "(签字盖章)",
    "(公章)",
    "(签章)",
    "(章)",
    "盖章",
)

#: The shortest text a containment match may rest on.
MIN_CONTAINED = 2

#: Column headers by field; the first name is the one messages use.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("单位名称", "单位全称", "单位"),
    "category": ("单位类别", "类别", "单位类型"),
    "aliases": ("别名", "简称", "单位简称"),
    "contact": ("联系人",),
    "phone": ("联系电话", "电话", "手机", "手机号码"),
}
REQUIRED = ("name", "category")

_ALIAS_SPLIT = re.compile(r"[、，,;；\s]+")
_HEADER_SCAN_ROWS = 10
_MAX_ROWS = 100_000

MSG_BY_ALIAS = message("roster.near_match", "by_alias")
MSG_BY_REMOVING = message("roster.near_match", "by_removing")
MSG_REMOVED = message("roster.near_match", "removed")
MSG_BY_PART = message("roster.near_match", "by_part")


@dataclass(frozen=True)
class RosterUnit:
    """One unit that must report."""

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    contact: str = ""
    phone: str = ""
    line: int = 0
    """The row of the roster file the unit is on (1-based, as a spreadsheet shows it)."""


@dataclass(frozen=True)
class Match:
    """A typed name matched to a roster unit. ``how`` says how when ``exact`` is False."""

    unit: RosterUnit
    exact: bool
    how: str = ""


@dataclass(frozen=True)
class Roster:
    units: tuple[RosterUnit, ...]
    categories: tuple[str, ...] = ()
    """The form's category names, in the order the summary groups them."""
    source: Path | None = None
    _plain: dict[str, RosterUnit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_plain", {plain_name(u.name): u for u in reversed(self.units)})

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[RosterUnit]:
        return iter(self.units)

    def get(self, name: str) -> RosterUnit | None:
        """The unit with exactly this name (spaces and full-width forms ignored)."""
        return self._plain.get(plain_name(name))

    def by_category(self) -> dict[str, tuple[RosterUnit, ...]]:
        """Units grouped by category, categories in the form's order (empty ones included)."""
        return {c: tuple(u for u in self.units if u.category == c) for c in self.categories}

    def match(self, name: str) -> Match | None:
        """The roster unit a typed name means, or None when there is none or more than one."""
        typed = plain_name(name)
        if not typed:
            return None
        unit = self._plain.get(typed)
        if unit is not None:
            return Match(unit, exact=True)
        for u in self.units:
            for alias in u.aliases:
                if plain_name(alias) == typed:
                    return Match(u, exact=False, how=MSG_BY_ALIAS.format(alias=alias))
        t_core, t_pre, t_suf = _split(typed)
        found: list[tuple[RosterUnit, list[str]]] = []
        for u in self.units:
            for candidate in (u.name, *u.aliases):
                c_core, c_pre, c_suf = _split(plain_name(candidate))
                if c_core == t_core:
                    prefixes = (t_pre, c_pre) if t_pre != c_pre else ()
                    removed = [x for x in (t_suf, *prefixes, c_suf) if x]
                    found.append((u, removed))
                    break
        if len(found) == 1:
            u, removed = found[0]
            shown = "、".join(MSG_REMOVED.format(part=_show(x)) for x in dict.fromkeys(removed))
            return Match(u, exact=False, how=MSG_BY_REMOVING.format(removed=shown))
        if found:
            return None
        contained = self._contained(t_core)
        if len(contained) == 1:
            u = contained[0]
            return Match(u, exact=False, how=MSG_BY_PART.format(name=u.name))
        return None

    def candidates(self, name: str) -> list[RosterUnit]:
        """Roster units close to a typed name (for a message when ``match`` found none)."""
        typed = plain_name(name)
        if not typed:
            return []
        t_core = _split(typed)[0]
        same = [
            u
            for u in self.units
            if any(_split(plain_name(c))[0] == t_core for c in (u.name, *u.aliases))
        ]
        if same:
            return same
        contained = self._contained(t_core)
        if contained:
            return contained
        cores = {_split(plain_name(u.name))[0]: u for u in self.units}
        close = difflib.get_close_matches(t_core, list(cores), n=3, cutoff=0.6)
        return [cores[c] for c in close]

    def _contained(self, t_core: str) -> list[RosterUnit]:
        out: list[RosterUnit] = []
        for u in self.units:
            for candidate in (u.name, *u.aliases):
                c_core = _split(plain_name(candidate))[0]
                if _contains(c_core, t_core):
                    out.append(u)
                    break
        return out


# -- names ----------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65_536)  # a typed name is compared with every unit's name
def plain_name(text: str) -> str:
    """A name with trivial differences removed: full-width forms (NFKC) and all whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def normalize_unit_name(text: str) -> str:
    """The core of a unit name: plain, without a stamp suffix or a district prefix."""
    return _split(plain_name(text))[0]


@functools.lru_cache(maxsize=65_536)
def _split(plain: str) -> tuple[str, str, str]:
    """(core, prefix removed, suffix removed) of a plain name."""
    core, suffix = plain, ""
    changed = True
    while changed:
        changed = False
        for s in NAME_SUFFIXES:
            if core.endswith(s) and len(core) > len(s):
                core = core[: -len(s)]
                suffix = s + suffix
                changed = True
    prefix = ""
    for p in _PREFIXES_LONGEST_FIRST:
        if core.startswith(p) and len(core) - len(p) >= MIN_CONTAINED:
            core, prefix = core[len(p) :], p
            break
    return core, prefix, suffix


_PREFIXES_LONGEST_FIRST = sorted(DISTRICT_PREFIXES, key=len, reverse=True)


def _contains(a: str, b: str) -> bool:
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= MIN_CONTAINED and short in long_


def _show(part: str) -> str:
    """A removed part as the user would have typed it (full-width brackets)."""
    return part.replace("(", "（").replace(")", "）")


# -- loading --------------------------------------------------------------------------------


def load_roster(path: Path, spec: FormSpec) -> Roster:
    """Read a roster file, checking every row; raises RosterError with one Chinese line."""
    rows = _read_rows(path)
    header_at, columns = _find_header(rows, path)
    units: list[RosterUnit] = []
    seen: dict[str, RosterUnit] = {}
    alias_owner: dict[str, RosterUnit] = {}
    for index in range(header_at + 1, len(rows)):
        if not any(v.strip() for v in rows[index]):
            continue
        unit = _roster_unit(rows[index], index + 1, columns, path, spec)
        _check_unique(unit, seen, alias_owner, path)
        seen[plain_name(unit.name)] = unit
        for a in unit.aliases:
            alias_owner[plain_name(a)] = unit
        units.append(unit)
    for unit in units:
        owner = alias_owner.get(plain_name(unit.name))
        if owner is not None and owner is not unit:
            raise RosterError(
                f"名册 {path} 第 {owner.line} 行“{owner.name}”的别名与第 {unit.line} 行的"
                f"单位名称“{unit.name}”相同；请删去这个别名"
            )
    if not units:
        raise RosterError(f"名册 {path} 中没有任何单位；请在表头下逐行填写单位名称和单位类别")
    return Roster(
        units=tuple(units), categories=tuple(c.name for c in spec.categories), source=path
    )


def _roster_unit(
    row: Sequence[str], line: int, columns: dict[str, int], path: Path, spec: FormSpec
) -> RosterUnit:
    """One roster row as a unit; raises RosterError for a row without a name or category."""

    def cell(key: str) -> str:
        col = columns.get(key)
        return row[col].strip() if col is not None and col < len(row) else ""

    name = " ".join(cell("name").split())
    where = f"名册 {path} 第 {line} 行"
    if not name:
        raise RosterError(f"{where}：单位名称为空；请填写单位全称，或删除这一行")
    category_text = cell("category")
    category = spec.category_for(category_text)
    if category is None:
        shown = f"“{category_text}”" if category_text else "空白"
        allowed = "、".join(c.name for c in spec.categories)
        raise RosterError(f"{where}（{name}）：单位类别为{shown}，应为以下之一：{allowed}")
    key = plain_name(name)
    aliases = tuple(
        dict.fromkeys(a for a in _ALIAS_SPLIT.split(cell("aliases")) if a and plain_name(a) != key)
    )
    return RosterUnit(
        name=name,
        category=category.name,
        aliases=aliases,
        contact=cell("contact"),
        phone=_phone(cell("phone")),
        line=line,
    )


def _check_unique(
    unit: RosterUnit,
    seen: dict[str, RosterUnit],
    alias_owner: dict[str, RosterUnit],
    path: Path,
) -> None:
    """A unit's name is listed once, and none of its aliases is another unit's name or alias."""
    where = f"名册 {path} 第 {unit.line} 行"
    earlier = seen.get(plain_name(unit.name))
    if earlier is not None:
        raise RosterError(
            f"名册 {path} 第 {earlier.line} 行和第 {unit.line} 行的单位名称“{unit.name}”重复；"
            "每个单位只能列一次"
        )
    for a in unit.aliases:
        other = seen.get(plain_name(a))
        if other is not None:
            raise RosterError(
                f"{where}（{unit.name}）：别名与第 {other.line} 行的单位名称“{other.name}”相同；"
                "请删去这个别名"
            )
    for a in unit.aliases:
        owner = alias_owner.get(plain_name(a))
        if owner is not None:
            raise RosterError(
                f"{where}（{unit.name}）：别名“{a}”与第 {owner.line} 行“{owner.name}”的别名相同；"
                "同一别名只能属于一个单位"
            )


def _find_header(rows: list[list[str]], path: Path) -> tuple[int, dict[str, int]]:
    """The header row's index and the column of each known field."""
    first_seen: list[str] | None = None
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if not any(v.strip() for v in row):
            continue
        if first_seen is None:
            first_seen = row
        columns: dict[str, int] = {}
        for col, text in enumerate(row):
            h = _header_key(text)
            for key, names in COLUMNS.items():
                if key not in columns and h in names:
                    columns[key] = col
                    break
        if "name" in columns or "category" in columns:
            missing = [COLUMNS[k][0] for k in REQUIRED if k not in columns]
            if missing:
                found = "、".join(v.strip() for v in row if v.strip())
                need = "、".join(missing)
                raise RosterError(
                    f"名册 {path} 缺少“{need}”列（第 {index + 1} 行的列为：{found}）；"
                    "表头应包含 单位名称、单位类别"
                )
            return index, columns
    if first_seen is None:
        raise RosterError(f"名册 {path} 是空的；表头应包含 单位名称、单位类别")
    found = "、".join(v.strip() for v in first_seen if v.strip())
    raise RosterError(
        f"名册 {path} 缺少“单位名称、单位类别”列（找到的列为：{found}）；"
        "表头应包含 单位名称、单位类别"
    )


def _header_key(text: str) -> str:
    return plain_name(text).strip("*:：").replace("*", "")


def _phone(text: str) -> str:
    """A phone number as text: ``13800000000.0`` (a number that passed through a float) loses
    its ``.0``."""
    t = text.strip()
    m = re.fullmatch(r"(\d+)\.0+", t)
    return m.group(1) if m else t


def _read_rows(path: Path) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RosterError(f"找不到名册文件：{path}") from None
    except IsADirectoryError:
        raise RosterError(f"名册 {path} 是一个文件夹；请给出名册文件") from None
    except OSError as e:
        raise RosterError(f"无法读取名册 {path}：{os_reason(e)}") from None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return _read_workbook(path)
    return _read_csv(path, data)


def _read_csv(path: Path, data: bytes) -> list[list[str]]:
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or "\x00" in text:
        raise RosterError(
            f"名册 {path} 无法识别：既不是 Excel 工作簿，也不是 UTF-8 或 GBK 编码的 CSV；"
            "请在 Excel 中另存为“CSV（逗号分隔）”或 .xlsx"
        )
    first = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count) if any(d in first for d in ",\t;") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        raise RosterError(f"名册 {path} 不是有效的 CSV：{e}") from None
    if len(rows) > _MAX_ROWS:
        raise RosterError(f"名册 {path} 超过 {_MAX_ROWS} 行，不像单位名册；请检查文件")
    return rows


def _read_workbook(path: Path) -> list[list[str]]:
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
        if not wb.sheet_names:
            raise RosterError(f"名册 {path} 中没有工作表")
        raw = wb.get_sheet_by_index(0).to_python(skip_empty_area=False, nrows=_MAX_ROWS + 1)
    except RosterError:
        raise
    except Exception:  # calamine raises several types for broken or encrypted files
        raise RosterError(
            f"名册 {path} 无法作为 Excel 工作簿读取（文件可能已损坏、不完整或加了密码）；"
            "请在 Excel/WPS 中打开后另存为 .xlsx 或 CSV 再用"
        ) from None
    if len(raw) > _MAX_ROWS:
        raise RosterError(f"名册 {path} 超过 {_MAX_ROWS} 行，不像单位名册；请检查文件")
    return [[_cell_text(v) for v in row] for row in raw]


def _cell_text(value: object) -> str:
    """A workbook cell as the text a clerk sees: whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
