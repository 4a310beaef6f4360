"""Building test workbooks, good and hostile, in code: nothing is downloaded or committed.

Good files come from openpyxl (and .xls from LibreOffice, converted once per session); hostile
files are made by patching those bytes or writing the container by hand (zip entries with forged
sizes, a compound file with an encrypted-package stream, a 400 MB deflate stream of zeros).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import PatternFill

from shuangyong_cli.model.grid import FormulaNoValue, parse_a1

TITLE = "2020年“八一”期间走访慰问驻黔部队和优抚对象情况统计表"

ITEMS = [
    ("一", "走访慰问驻黔部队", "个"),
    ("二", "走访慰问优抚对象", "人次"),
    ("1", "抗战老战士", "人次"),
    ("2", "抗美援朝老战士", "人次"),
    ("3", "烈属", "人次"),
    ("4", "军属", "人次"),
    ("5", "残疾军人", "人次"),
    ("6", "退役军人", "人次"),
    ("7", "其他优抚对象", "人次"),
    ("三", "帮扶困难优抚对象", "人次"),
    ("四", "送达立功受奖喜报", "份"),
    ("五", "悬挂光荣牌", "块"),
    ("六", "座谈交流、军民联谊活动", "场次"),
    ("七", "送法律、文化、科技、医疗进军营", "次"),
]

MERGED = ["A2:H2", "C3:E3", "G3:H3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:G4", "H4:H5"]


def form_cells(unit: str = "黔江区民政局", seed: int = 0) -> dict[str, object]:
    """The filled form as A1 address → value typed (formulas as openpyxl writes them)."""
    cells: dict[str, object] = {
        "A1": "附件",
        "A2": TITLE,
        "A3": "填报单位：",
        "C3": unit,
        "F3": "日期：",
        "G3": dt.date(2020, 8, 10),
        "A4": "序号",
        "B4": "项目",
        "C4": "计量单位",
        "D4": "数量",
        "E4": "慰问款物（万元）",
        "H4": "备注",
        "E5": "慰问金",
        "F5": "物资折款",
        "G5": "小计",
    }
    for index, (seq, label, measure) in enumerate(ITEMS):
        row = 6 + index
        cells[f"A{row}"] = seq
        cells[f"B{row}"] = label
        cells[f"C{row}"] = measure
        if seq == "二":
            cells[f"D{row}"] = "=SUM(D8:D14)"
            cells[f"E{row}"] = "=SUM(E8:E14)"
            cells[f"F{row}"] = "=SUM(F8:F14)"
        else:
            cells[f"D{row}"] = index + 1 + seed
            if seq not in ("四", "五", "六", "七"):
                cells[f"E{row}"] = round(0.5 * (index + 1) + seed / 100, 2)
                cells[f"F{row}"] = 1.25
        if seq not in ("四", "五", "六", "七"):
            cells[f"G{row}"] = f"=E{row}+F{row}"
    cells["A20"] = "合计"
    cells["E20"] = "=E6+E7+E15"
    cells["F20"] = "=F6+F7+F15"
    cells["G20"] = "=G6+G7+G15"
    cells["H6"] = "含春节慰问"
    cells["A21"] = "说明：1. 数量填整数；金额单位为万元，保留两位小数。"
    cells["A25"] = "填表人："
    cells["B25"] = "张三"
    cells["C25"] = "审核人："
    cells["D25"] = "李四"
    cells["F25"] = "联系电话："
    cells["G25"] = "023-79223456"
    return cells


def form_workbook(unit: str = "黔江区民政局", seed: int = 0) -> openpyxl.Workbook:
    """The form as a unit returns it: a sheet 统计表, a hidden note sheet, the meta sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计表"
    for ref, value in form_cells(unit, seed).items():
        ws[ref] = value
    ws["G3"].number_format = "yyyy-mm-dd"
    for ref in MERGED:
        ws.merge_cells(ref)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for row in range(16, 20):
        for col in "EFG":
            ws[f"{col}{row}"].fill = grey  # styled but empty: not a cell in the Grid
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "金额单位：万元"
    notes.sheet_state = "hidden"
    meta = wb.create_sheet("_shuangyong")
    meta["A1"] = "form_id"
    meta["B1"] = "bayi-2020"
    meta.sheet_state = "veryHidden"
    return wb


def expected_form_grid(unit: str = "黔江区民政局", seed: int = 0) -> dict[tuple[int, int], object]:
    """What the reader must give for ``form_workbook``'s 统计表: formulas without a value."""
    out: dict[tuple[int, int], object] = {}
    for ref, value in form_cells(unit, seed).items():
        if isinstance(value, str) and value.startswith("="):
            value = FormulaNoValue(value)
        out[parse_a1(ref)] = value
    return out


def xlsx_bytes(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def form_xlsx(unit: str = "黔江区民政局", seed: int = 0) -> bytes:
    return xlsx_bytes(form_workbook(unit, seed))


def rezip(
    data: bytes,
    change: Mapping[str, bytes | Callable[[bytes], bytes] | None] | None = None,
    add: Mapping[str, bytes] | None = None,
) -> bytes:
    """Copy a zip, replacing (bytes), editing (callable) or dropping (None) some entries."""
    change = change or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename in change:
                new = change[info.filename]
                if new is None:
                    continue
                content = new(content) if callable(new) else new
            out.writestr(info.filename, content)
        for name, content in (add or {}).items():
            out.writestr(name, content)
    return buf.getvalue()


def edit_sheet(
    data: bytes, fn: Callable[[str], str], part: str = "xl/worksheets/sheet1.xml"
) -> bytes:
    """Edit one worksheet's XML as text."""
    return rezip(data, {part: lambda raw: fn(raw.decode("utf-8")).encode("utf-8")})


def set_cells_xml(data: bytes, row: int, cells_xml: str) -> bytes:
    """Append a ``<row>`` of raw cell XML to sheet1's sheetData."""
    return edit_sheet(
        data, lambda x: x.replace("</sheetData>", f'<row r="{row}">{cells_xml}</row></sheetData>')
    )


# -- zips written by hand ---------------------------------------------------------------------


@dataclass
class RawEntry:
    name: str
    raw: bytes
    """The stored bytes (deflated unless ``method`` is 0)."""
    crc: int
    size: int
    """The size declared in both headers (it may lie)."""
    method: int = zipfile.ZIP_DEFLATED


def raw_zip(entries: list[RawEntry]) -> bytes:
    """A zip whose headers say exactly what the entries say, true or not."""
    out = io.BytesIO()
    central = io.BytesIO()
    for entry in entries:
        name = entry.name.encode("utf-8")
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0x800,
                entry.method,
                0,
                0x21,
                entry.crc,
                len(entry.raw),
                entry.size,
                len(name),
                0,
            )
        )
        out.write(name)
        out.write(entry.raw)
        central.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0x800,
                entry.method,
                0,
                0x21,
                entry.crc,
                len(entry.raw),
                entry.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(name)
    cd = central.getvalue()
    start = out.tell()
    out.write(cd)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), start, 0)
    )
    return out.getvalue()


def deflated(content: bytes, name: str = "", declared: int | None = None) -> RawEntry:
    """``content`` deflated, declaring ``declared`` bytes (its true size by default)."""
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = co.compress(content) + co.flush()
    return RawEntry(name, raw, zlib.crc32(content), len(content) if declared is None else declared)


def entries_of(data: bytes) -> list[RawEntry]:
    """A zip's entries as raw entries (recompressed), to rebuild it with forged headers."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = []
    for info in src.infolist():
        out.append(deflated(src.read(info.filename), info.filename))
    return out


@functools.cache
def zeros_entry(megabytes: int = 400) -> RawEntry:
    """``megabytes`` MB of zeros as one deflate stream of about 1 KB per MB, built in a blink:
    after a full flush deflate starts afresh, so one compressed megabyte can be repeated."""
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return RawEntry("", block * megabytes + tail, crc, megabytes << 20)


def bomb_xlsx(declared: int | None = None) -> bytes:
    """A form whose sheet1.xml is replaced by 400 MB of zeros (declared truthfully or not)."""
    entries = [e for e in entries_of(form_xlsx()) if e.name != "xl/worksheets/sheet1.xml"]
    zeros = zeros_entry()
    bomb = RawEntry(
        "xl/worksheets/sheet1.xml",
        zeros.raw,
        zeros.crc,
        zeros.size if declared is None else declared,
    )
    return raw_zip([*entries, bomb])


# -- compound files written by hand -------------------------------------------------------------

_FREE = 0xFFFFFFFF
_END = 0xFFFFFFFE
_FATSECT = 0xFFFFFFFD


def compound_file(streams: Mapping[str, bytes], *, mini: bool = False) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding ``streams``.

    Sector 0 is the FAT, sector 1 the directory (root + up to three streams). By default every
    stream is padded to 4096 bytes so none lives in the mini stream; with ``mini`` a stream under
    4096 bytes goes to the mini stream (sector 2 the mini FAT, then the mini stream's sectors),
    as Excel stores a small workbook.
    """
    if len(streams) > 3:
        raise ValueError("at most three streams fit the one directory sector")
    items = [
        (name, content if mini else content.ljust(4096, b"\x00"))
        for name, content in streams.items()
    ]
    small = [(n, c) for n, c in items if len(c) < 4096]
    ministream = b""
    minifat: list[int] = []
    mini_starts: dict[str, int] = {}
    for name, content in small:
        count = max(1, -(-len(content) // 64))
        first = len(minifat)
        mini_starts[name] = first
        minifat.extend(range(first + 1, first + count))
        minifat.append(_END)
        ministream += content.ljust(count * 64, b"\x00")
    fat = [_FATSECT, _END]
    next_sector = 2
    minifat_sector = root_start = _END
    if small:
        minifat_sector = 2
        fat.append(_END)
        next_sector = 3
        root_start = next_sector
        count = -(-len(ministream) // 512)
        fat.extend(range(next_sector + 1, next_sector + count))
        fat.append(_END)
        next_sector += count
    starts: dict[str, int] = {}
    big = [(n, c) for n, c in items if len(c) >= 4096]
    for name, content in big:
        count = -(-len(content) // 512)
        starts[name] = next_sector
        fat.extend(range(next_sector + 1, next_sector + count))
        fat.append(_END)
        next_sector += count
    if len(fat) > 128 or len(minifat) > 128:
        raise ValueError("streams too large for one FAT sector")
    fat.extend([_FREE] * (128 - len(fat)))

    def entry(name: str, kind: int, start: int, size: int, child: int, right: int) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sI8s8sIII",
            encoded,
            len(encoded),
            kind,
            1,
            _FREE,
            right,
            child,
            b"\x00" * 16,
            0,
            b"\x00" * 8,
            b"\x00" * 8,
            start,
            size,
            0,
        )

    dirs = [entry("Root Entry", 5, root_start, len(ministream), 1 if items else _FREE, _FREE)]
    for index, (name, content) in enumerate(items):
        right = index + 2 if index + 1 < len(items) else _FREE
        start = mini_starts[name] if name in mini_starts else starts[name]
        dirs.append(entry(name, 2, start, len(content), _FREE, right))
    directory = b"".join(dirs).ljust(512, b"\x00")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"\x00" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,
        1,
        1,
        0,
        4096,
        minifat_sector,
        1 if small else 0,
        _END,
        0,
    )
    header += struct.pack("<I", 0) + struct.pack("<108I", *([_FREE] * 108))
    assert len(header) == 512
    out = header + struct.pack("<128I", *fat) + directory
    if small:
        out += struct.pack("<128I", *(minifat + [_FREE] * (128 - len(minifat))))
        out += ministream.ljust(-(-len(ministream) // 512) * 512, b"\x00")
    for _, content in big:
        out += content.ljust(-(-len(content) // 512) * 512, b"\x00")
    return out


# -- BIFF8 records written by hand -------------------------------------------------------------


def record(typ: int, body: bytes) -> bytes:
    return struct.pack("<HH", typ, len(body)) + body


def number(row: int, col: int, value: float) -> bytes:
    """NUMBER at 0-based (row, col)."""
    return record(0x0203, struct.pack("<HHHd", row, col, 0, value))


def label(row: int, col: int, text: str) -> bytes:
    encoded = text.encode("utf-16-le")
    return record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + encoded)


def boolerr(row: int, col: int, value: int, error: bool) -> bytes:
    return record(0x0205, struct.pack("<HHHBB", row, col, 0, value, int(error)))


def formula_error(row: int, col: int, code: int) -> bytes:
    """A FORMULA (=1, as ptgInt) whose cached result is the error ``code``."""
    result = bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])
    rgce = b"\x1e" + struct.pack("<H", 1)
    body = struct.pack("<HHH", row, col, 0) + result + struct.pack("<HIH", 0, 0, len(rgce)) + rgce
    return record(0x0006, body)


def mulrk(row: int, first: int, values: list[int], last: int | None = None) -> bytes:
    rks = b"".join(struct.pack("<HI", 0, (v << 2) | 2) for v in values)
    end = first + len(values) - 1 if last is None else last
    return record(0x00BD, struct.pack("<HH", row, first) + rks + struct.pack("<H", end))


def dimensions(first_row: int, last_row_plus_1: int, first_col: int, last_col_plus_1: int) -> bytes:
    body = struct.pack("<IIHHH", first_row, last_row_plus_1, first_col, last_col_plus_1, 0)
    return record(0x0200, body)


def biff_stream(
    sheets: list[tuple[str, int, list[bytes]]], globals_extra: list[bytes] | None = None
) -> bytes:
    """A BIFF8 Workbook stream: globals (BOF, ``globals_extra``, one BOUNDSHEET per sheet,
    EOF), then each sheet (name, visibility 0/1/2, cell records) between BOF and EOF."""
    bof_globals = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    bof_sheet = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
    eof = record(0x000A, b"")

    def boundsheet(offset: int, name: str, state: int) -> bytes:
        body = struct.pack("<IBBBB", offset, state, 0, len(name), 1) + name.encode("utf-16-le")
        return record(0x0085, body)

    extra = b"".join(globals_extra or [])
    head = len(bof_globals) + len(extra) + len(eof)
    head += sum(len(boundsheet(0, name, state)) for name, state, _ in sheets)
    bodies = [bof_sheet + b"".join(cells) + eof for _, _, cells in sheets]
    offsets = []
    at = head
    for body in bodies:
        offsets.append(at)
        at += len(body)
    bound = b"".join(
        boundsheet(offset, name, state)
        for offset, (name, state, _) in zip(offsets, sheets, strict=True)
    )
    return bof_globals + extra + bound + eof + b"".join(bodies)


def tiny_xls(
    sheets: list[tuple[str, int, list[bytes]]], globals_extra: list[bytes] | None = None
) -> bytes:
    """A hand-made .xls (its Workbook stream in the mini stream when small)."""
    return compound_file({"Workbook": biff_stream(sheets, globals_extra)}, mini=True)


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected .xlsx: a compound file, not a zip."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 9000) + bytes(range(256)) * 20
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": package})


# -- LibreOffice ----------------------------------------------------------------------------------


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(
    files: list[Path], to: str, out: Path, profile: Path, timeout: int = 180
) -> subprocess.CompletedProcess[bytes]:
    """LibreOffice converts ``files`` to format ``to`` into folder ``out`` (one process, its
    own profile folder); check ``returncode`` or the files in ``out``."""
    return subprocess.run(
        [
            soffice() or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *(str(f) for f in files),
        ],
        capture_output=True,
        timeout=timeout,
        check=False,
    )


def xls_far_workbook() -> openpyxl.Workbook:
    """A small form plus one value at IV65536, the last cell an .xls has."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计表"
    ws["A1"] = "填报单位："
    ws["B1"] = "黔江区民政局"
    ws["D8"] = 12
    ws["IV65536"] = "误填"
    return wb


def xls_errors_workbook() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "统计表"
    ws["C5"] = 3
    ws["D5"] = "=C5/0"
    ws["E5"] = "=NA()"
    ws["F5"] = "=C5*2"
    return wb


@functools.cache
def libreoffice_xls() -> dict[str, bytes]:
    """Every .xls the tests need, converted by LibreOffice in one call (it costs seconds)."""
    program = soffice()
    if program is None:
        raise RuntimeError("soffice is not installed")
    sources = {
        "form": form_workbook(),
        "far": xls_far_workbook(),
        "errors": xls_errors_workbook(),
    }
    work = Path(tempfile.mkdtemp(prefix="shuangyong-lo-"))
    try:
        inputs = []
        for name, wb in sources.items():
            target = work / f"{name}.xlsx"
            wb.save(target)
            inputs.append(str(target))
        out = work / "out"
        done = libreoffice_convert([Path(i) for i in inputs], "xls", out, work / "lo_profile")
        done.check_returncode()
        return {name: (out / f"{name}.xls").read_bytes() for name in sources}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def patch_biff(xls: bytes, fn: Callable[[bytearray], None]) -> bytes:
    """Edit an .xls file's Workbook stream in place (same length), through olefile."""
    import olefile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "book.xls"
        path.write_bytes(xls)
        ole = olefile.OleFileIO(str(path), write_mode=True)
        stream = bytearray(ole.openstream("Workbook").read())
        fn(stream)
        ole.write_stream("Workbook", bytes(stream))
        ole.close()
        return path.read_bytes()


def biff_records(stream: bytes | bytearray) -> list[tuple[int, int, int]]:
    """(offset, type, length) of every record of a Workbook stream."""
    out = []
    pos = 0
    while pos + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, pos)
        out.append((pos, typ, length))
        pos += 4 + length
    return out


# -- running a read in a separate process --------------------------------------------------------

_ISOLATED = r"""
import json, resource, sys
from pathlib import Path
from shuangyong_cli.model.errors import UnreadableFileError
from shuangyong_cli.model.grid import a1
from shuangyong_cli.reading.returned_file import read_grid

before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    grid = read_grid(Path(sys.argv[1]))
    result = {
        "notes": grid.notes,
        "sheets": {s.name: {a1(*p): str(v) for p, v in s.cells.items()} for s in grid.sheets},
    }
except UnreadableFileError as exc:
    result = {"code": exc.code, "message": exc.message}
result["rss_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(result, ensure_ascii=False))
"""


def read_isolated(path: Path, memory_limit_mb: int = 2048) -> dict[str, object]:
    """Open ``path`` in a child process (under an address-space limit), so a reader that blows
    up takes only the child with it. Returns the Grid's cells as text, or code and message."""
    import json
    import resource

    def limit() -> None:
        size = memory_limit_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    proc = subprocess.run(
        [sys.executable, "-c", _ISOLATED, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
        check=False,
    )
    if proc.returncode != 0:
        raise AssertionError(f"reader died (exit {proc.returncode}): {proc.stderr[-2000:]}")
    result: dict[str, object] = json.loads(proc.stdout)
    result["stderr"] = proc.stderr
    return result


# -- more hostile parts (for whole-command tests) -----------------------------------------------

#: A DOCTYPE whose nine nested entities expand to 10**9 "lol"s ("billion laughs").
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)
#: A DOCTYPE whose entity is the content of /etc/passwd (XXE).
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _doctype_over(xml: str, doctype: str) -> str:
    return doctype + (xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml)


def entities_in_sheet(data: bytes, doctype: str, entity: str) -> bytes:
    """sheet1.xml under ``doctype``, with a cell A99 whose text is ``entity`` (``&xxe;``)."""
    row = f'<row r="99"><c r="A99" t="inlineStr"><is><t>{entity}</t></is></c></row>'
    return edit_sheet(
        data, lambda x: _doctype_over(x.replace("</sheetData>", row + "</sheetData>"), doctype)
    )


def entities_in_workbook(data: bytes, doctype: str, entity: str, sheet: str = "统计表") -> bytes:
    """xl/workbook.xml under ``doctype``, the sheet ``sheet`` renamed to ``entity``."""

    def poison(raw: bytes) -> bytes:
        xml = raw.decode().replace(f'name="{sheet}"', f'name="{entity}"')
        return _doctype_over(xml, doctype).encode()

    return rezip(data, {"xl/workbook.xml": poison})


_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.{}+xml"
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/{}"


def entities_in_odd_parts(
    data: bytes,
    doctype: str = XXE,
    entity: str = "&xxe;",
    *,
    strings: bool = True,
    comments: bool = True,
) -> bytes:
    """XML parts under ``doctype`` whose names do not end in .xml, each holding ``entity``: a
    shared-strings table ``xl/strings.dat`` (found through the workbook's relationships and
    content types) and a comments part ``xl/notes.dat`` on sheet1 (cell B30). No cell uses the
    strings, so a reader that looks only at ``.xml`` parts reads the form; openpyxl parses both
    (the strings with defusedxml, the comments with lxml when it is installed)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts: dict[str, bytes] = {}
    overrides = ""
    change: dict[str, bytes | Callable[[bytes], bytes] | None] = {}
    if strings:
        table = f'<sst xmlns="{ns}" count="1" uniqueCount="1"><si><t>{entity}</t></si></sst>'
        parts["xl/strings.dat"] = (doctype + table).encode()
        overrides += (
            '<Override PartName="/xl/strings.dat" '
            f'ContentType="{_CONTENT_TYPE.format("sharedStrings")}"/>'
        )
        relationship = (
            f'<Relationship Id="rId99" Type="{_REL_TYPE.format("sharedStrings")}" '
            'Target="strings.dat"/></Relationships>'
        ).encode()
        change["xl/_rels/workbook.xml.rels"] = lambda raw: raw.replace(
            b"</Relationships>", relationship
        )
    if comments:
        notes = (
            f'<comments xmlns="{ns}"><authors><author>x</author></authors><commentList>'
            f'<comment ref="B30" authorId="0"><text><t>{entity}</t></text></comment>'
            "</commentList></comments>"
        )
        parts["xl/notes.dat"] = (doctype + notes).encode()
        overrides += (
            f'<Override PartName="/xl/notes.dat" ContentType="{_CONTENT_TYPE.format("comments")}"/>'
        )
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{_REL_TYPE.format("comments")}" Target="../notes.dat"/></Relationships>'
        ).encode()
    types = overrides.encode() + b"</Types>"
    change["[Content_Types].xml"] = lambda raw: raw.replace(b"</Types>", types)
    return rezip(data, change, add=parts)


def put_cell_xml(
    data: bytes, ref: str, cell_xml: str, part: str = "xl/worksheets/sheet1.xml"
) -> bytes:
    """Replace cell ``ref`` of a worksheet (its ``<c r="ref" …>…</c>`` or ``<c r="ref" …/>``,
    which must be there, as openpyxl writes every styled cell) by raw ``cell_xml``."""
    import re

    pattern = re.compile(rf'<c r="{ref}"(?:\s[^>]*?)?(?:/>|>.*?</c>)', re.DOTALL)

    def put(xml: str) -> str:
        new, count = pattern.subn(lambda _m: cell_xml, xml, count=1)
        if count != 1:
            raise ValueError(f"no cell {ref} in {part}")
        return new

    return edit_sheet(data, put, part)


def lying_sizes(data: bytes, part: str = "xl/worksheets/sheet1.xml", by: int = -10) -> bytes:
    """The zip rebuilt with ``part``'s declared size off by ``by`` bytes (no bomb)."""
    entries = entries_of(data)
    entry = next(e for e in entries if e.name == part)
    entry.size += by
    return raw_zip(entries)


def sparse_file(path: Path, megabytes: int, head: bytes = b"PK\x03\x04") -> Path:
    """A file of ``megabytes`` MB starting with ``head``, the rest a hole: no disk, no time."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(megabytes << 20)
    return path
