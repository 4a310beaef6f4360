"""The same return written the way each program that sends returns back writes it.

Returns come from Excel, WPS, LibreOffice, online-form exports and scripts; each writes the same
cells in its own bytes. ``convert(producer, sources, out)`` rewrites .xlsx files saved by openpyxl
(the form as the office sends it, filled in) in one producer's shape:

============== ==========================================================================
``openpyxl``      as saved by openpyxl with lxml installed (the source, copied)
``openpyxl-etree`` re-saved by openpyxl without lxml (a subprocess where ``import lxml`` fails)
``xlsxwriter``    written by XlsxWriter: shared strings, its own XML layout
``inline``        written by XlsxWriter in constant-memory mode: inline strings, as streaming
                  writers write them (and no merged cells: that mode cannot merge)
``libreoffice``   re-saved by LibreOffice (``soffice --convert-to xlsx``)
``excel``         Excel's shape, written here: shared strings with phonetic properties, rows with
                  ``spans`` and ``x14ac:dyDescent``, styled empty cells, shared formulas with
                  their results, ``mc:Ignorable`` namespaces
``export``        an online-form export's shape, written here: every element prefixed (``x:``),
                  cells without ``r`` where they follow the one before, inline strings, numbers
                  without styles but the dates
============== ==========================================================================

Formulas get their results where the producer computes them (LibreOffice, and the shapes written
here, as Excel does); openpyxl and XlsxWriter leave them without (XlsxWriter: its default 0 is
replaced by the computed result, as a workbook Excel saved has it). Used by the tests (every
producer reads as calamine reads it) and by ``bench/returns.py`` (a corpus of mixed producers).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries

PRODUCERS = (
    "openpyxl",
    "openpyxl-etree",
    "xlsxwriter",
    "inline",
    "libreoffice",
    "excel",
    "export",
)
"""Every producer ``convert`` knows, in the order the bench lists them."""


# -- what a return holds, producer-free ---------------------------------------------------------


@dataclass
class Cell:
    value: Any
    number_format: str = "General"
    style: int = 0
    """openpyxl's style id: cells styled alike share it (written as ``s`` by some shapes)."""


@dataclass
class SheetModel:
    name: str
    state: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    protected: bool = False


def model_of(path: Path) -> list[SheetModel]:
    """The sheets of an .xlsx as openpyxl reads them (values, number formats, merges)."""
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        model = SheetModel(ws.title, ws.sheet_state, protected=bool(ws.protection.sheet))
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style:
                    continue
                model.cells[(c.row, c.column)] = Cell(c.value, c.number_format, c.style_id)
        model.merged = [str(r) for r in ws.merged_cells.ranges]
        sheets.append(model)
    return sheets


_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]+)")
_SUM = re.compile(r"SUM\(([A-Z]+[0-9]+):([A-Z]+[0-9]+)\)")


def evaluate(sheet: SheetModel, formula: str, depth: int = 0) -> float | None:
    """The result of the simple formulas a return holds (``=SUM(D8:D14)``, ``=E6+F6``), as
    Excel computes it (text and blanks count 0); None for anything else."""
    body = formula.lstrip("=").replace(" ", "")
    if depth > 20:
        return None
    total = 0.0
    for term in body.split("+"):
        match = _SUM.fullmatch(term)
        if match is not None:
            c1, r1, c2, r2 = range_boundaries(f"{match[1]}:{match[2]}")
            assert c1 is not None and r1 is not None and c2 is not None and r2 is not None
            cells = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        elif _REF.fullmatch(term):
            c, r, _, _ = range_boundaries(term.replace("$", ""))
            assert c is not None and r is not None
            cells = [(r, c)]
        else:
            return None
        for pos in cells:
            value = sheet.cells[pos].value if pos in sheet.cells else None
            if isinstance(value, str) and value.startswith("="):
                value = evaluate(sheet, value, depth + 1)
                if value is None:
                    return None
            if isinstance(value, int | float) and not isinstance(value, bool):
                total += value
    return total


def _excel_number(value: float) -> str:
    """A number as Excel writes it: the shortest repr, whole numbers without ``.0``."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


_EPOCH = dt.datetime(1899, 12, 30)


def _serial(value: dt.date | dt.datetime | dt.time) -> float:
    if isinstance(value, dt.datetime):
        delta = value - _EPOCH
    elif isinstance(value, dt.date):
        delta = dt.datetime.combine(value, dt.time()) - _EPOCH
    else:
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    return delta.days + delta.seconds / 86400


# -- the producers -----------------------------------------------------------------------------


def convert(producer: str, sources: list[Path], out: Path) -> list[Path]:
    """``sources`` (.xlsx saved by openpyxl) rewritten in ``producer``'s shape into folder
    ``out``, under the same names; returns the files made (LibreOffice may fail on one)."""
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / src.name for src in sources]
    if producer == "openpyxl":
        for src, dst in zip(sources, targets, strict=True):
            shutil.copyfile(src, dst)
    elif producer == "openpyxl-etree":
        _openpyxl_without_lxml(list(zip(sources, targets, strict=True)))
    elif producer == "libreoffice":
        _libreoffice(sources, out)
    elif producer in ("xlsxwriter", "inline"):
        for src, dst in zip(sources, targets, strict=True):
            dst.write_bytes(xlsxwriter_bytes(model_of(src), inline=producer == "inline"))
    elif producer in ("excel", "export"):
        for src, dst in zip(sources, targets, strict=True):
            dst.write_bytes(handwritten_bytes(model_of(src), producer))
    else:
        raise ValueError(f"unknown producer {producer!r}")
    return [t for t in targets if t.is_file()]


_WITHOUT_LXML = """
import sys
sys.modules["lxml"] = None  # openpyxl falls back to xml.etree
import openpyxl
import openpyxl.xml
assert not openpyxl.xml.LXML
for line in sys.stdin.read().splitlines():
    src, dst = line.split("\\t")
    openpyxl.load_workbook(src).save(dst)
"""


def _openpyxl_without_lxml(pairs: list[tuple[Path, Path]]) -> None:
    job = "\n".join(f"{src}\t{dst}" for src, dst in pairs)
    subprocess.run(
        [sys.executable, "-c", _WITHOUT_LXML], input=job.encode(), check=True, timeout=3600
    )


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice(sources: list[Path], out: Path) -> None:
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="shuangyong-producers-") as tmp:
        # LibreOffice writes into --outdir under the source's name: convert from a copy so the
        # source folder may be the output folder's neighbour
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={Path(tmp).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xlsx:Calc MS Excel 2007 XML",
                "--outdir",
                str(out),
                *(str(s) for s in sources),
            ],
            check=False,
            capture_output=True,
            timeout=3600,
        )


def xlsxwriter_bytes(sheets: list[SheetModel], *, inline: bool = False) -> bytes:
    """The sheets written by XlsxWriter (``inline``: constant-memory mode, inline strings)."""
    import xlsxwriter

    buf = io.BytesIO()
    options: dict[str, object] = {"in_memory": not inline, "strings_to_numbers": False}
    if inline:  # rows go to temporary files as they are written (not with in_memory)
        options["constant_memory"] = True
    wb = xlsxwriter.Workbook(buf, options)
    formats: dict[str, Any] = {}

    def fmt(code: str) -> Any:
        if code not in formats:
            formats[code] = wb.add_format({"num_format": code}) if code != "General" else None
        return formats[code]

    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        if sheet.state == "hidden":
            ws.hide()
        elif sheet.state == "veryHidden":
            ws.very_hidden()
        if sheet.protected:
            ws.protect()
        if not inline:  # merged first, each first cell's value written over it below
            for ref in sheet.merged:  # (constant-memory mode cannot merge: rows go out at once)
                c1, r1, c2, r2 = range_boundaries(ref)
                assert c1 is not None and r1 is not None and c2 is not None and r2 is not None
                ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, "")
        for (row, col), cell in sorted(sheet.cells.items()):
            r, c, value, f = row - 1, col - 1, cell.value, fmt(cell.number_format)
            if value is None:
                continue
            if isinstance(value, str) and value.startswith("="):
                result = evaluate(sheet, value)
                ws.write_formula(r, c, value, f, "" if result is None else result)
            elif isinstance(value, str):
                ws.write_string(r, c, value, f)
            elif isinstance(value, dt.date | dt.time):
                ws.write_datetime(r, c, value, f)
            else:
                ws.write(r, c, value, f)
    wb.close()
    return buf.getvalue()


# -- the shapes written here --------------------------------------------------------------------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_MC = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'mc:Ignorable="x14ac xr xr2 xr3" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
    'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
    'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3"'
)
_BUILTIN_IDS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "@": 49}
_BUILTIN_IDS |= {'yyyy"年"m"月"d"日"': 31}  # Chinese Excel's built-in date, never defined


class _Styles:
    """Cell styles by (openpyxl style, number format): Excel's cellXfs."""

    def __init__(self) -> None:
        self.xfs: list[int] = [0]  # numFmtId of each xf
        self.by_key: dict[tuple[int, str], int] = {}
        self.custom: dict[str, int] = {}

    def index(self, cell: Cell) -> int:
        key = (cell.style, cell.number_format)
        if key not in self.by_key:
            code = cell.number_format
            fmt_id = _BUILTIN_IDS.get(code)
            if fmt_id is None:
                fmt_id = self.custom.setdefault(code, 176 + len(self.custom))
            self.by_key[key] = len(self.xfs)
            self.xfs.append(fmt_id)
        return self.by_key[key]

    def xml(self) -> str:
        fmts = "".join(
            f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>'
            for code, i in self.custom.items()
        )
        xfs = "".join(
            f'<xf numFmtId="{i}" fontId="0" fillId="0" borderId="{1 if k else 0}" xfId="0"'
            + (' applyNumberFormat="1"' if i else "")
            + ' applyBorder="1"><alignment vertical="center" wrapText="1"/></xf>'
            for k, i in enumerate(self.xfs)
        )
        return (
            _DECL + f'<styleSheet xmlns="{_MAIN}" {_MC}>'
            f'<numFmts count="{len(self.custom)}">{fmts}</numFmts>'
            '<fonts count="1" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/>'
            '<name val="宋体"/><family val="2"/><charset val="134"/><scheme val="minor"/></font>'
            '</fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '<border><left style="thin"><color indexed="64"/></left><right style="thin">'
            '<color indexed="64"/></right><top style="thin"><color indexed="64"/></top>'
            '<bottom style="thin"><color indexed="64"/></bottom><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0">'
            '<alignment vertical="center"/></xf></cellStyleXfs>'
            f'<cellXfs count="{len(self.xfs)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
            '<dxfs count="1"><dxf><numFmt numFmtId="176" formatCode="0.0000"/></dxf></dxfs>'
            '<tableStyles count="0" defaultTableStyle="TableStyleMedium2" '
            'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
        )


class _Strings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, text: str) -> int:
        self.count += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(
            "<si>"
            + (
                f'<t xml:space="preserve">{_text(s)}</t>'
                if s != s.strip() or "\n" in s
                else f"<t>{_text(s)}</t>"
            )
            + '<phoneticPr fontId="1" type="noConversion"/></si>'
            for s in self.index
        )
        return (
            _DECL + f'<sst xmlns="{_MAIN}" count="{self.count}" '
            f'uniqueCount="{len(self.index)}">{items}</sst>'
        )


def _text(value: str) -> str:
    """Text as Excel writes it in XML: ``&``, ``<``, ``>`` escaped, line breaks kept."""
    return escape(value)


def handwritten_bytes(sheets: list[SheetModel], shape: str) -> bytes:
    """The sheets in Excel's shape (``"excel"``) or an online-form export's (``"export"``)."""
    styles = _Styles()
    strings = _Strings()
    sheet_xml = [
        _excel_sheet(s, styles, strings) if shape == "excel" else _export_sheet(s, styles)
        for s in sheets
    ]
    parts: dict[str, str] = {}
    overrides = [("/xl/workbook.xml", "sheet.main+xml"), ("/xl/styles.xml", "styles+xml")]
    rels = []
    sheet_entries = []
    for k, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{k}.xml"] = sheet_xml[k - 1]
        overrides.append((f"/xl/worksheets/sheet{k}.xml", "worksheet+xml"))
        rels.append(
            f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/sheet{k}.xml"/>'
        )
        state = f' state="{sheet.state}"' if sheet.state != "visible" else ""
        sheet_entries.append(
            f'<sheet name={quoteattr(sheet.name)} sheetId="{k}"{state} r:id="rId{k}"/>'
        )
    n = len(sheets)
    rels.append(f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>')
    if shape == "excel":
        rels.append(
            f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
        overrides.append(("/xl/sharedStrings.xml", "sharedStrings+xml"))
        parts["xl/sharedStrings.xml"] = strings.xml()
    parts["xl/styles.xml"] = styles.xml()
    if shape == "excel":
        workbook = (
            _DECL + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'mc:Ignorable="x15"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" '
            'rupBuild="27328"/><workbookPr defaultThemeVersion="124226"/>'
            '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" '
            'windowHeight="12300"/></bookViews>'
            f'<sheets>{"".join(sheet_entries)}</sheets><calcPr calcId="191029"/></workbook>'
        )
    else:
        workbook = (
            f'<?xml version="1.0" encoding="utf-8"?><x:workbook xmlns:x="{_MAIN}" '
            f'xmlns:r="{_REL}"><x:sheets>'
            + "".join(e.replace("<sheet ", "<x:sheet ") for e in sheet_entries)
            + "</x:sheets></x:workbook>"
        )
    parts["xl/workbook.xml"] = workbook
    parts["xl/_rels/workbook.xml.rels"] = (
        _DECL + f'<Relationships xmlns="{_PKG}">{"".join(rels)}</Relationships>'
    )
    parts["_rels/.rels"] = (
        _DECL + f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    types = "".join(
        f'<Override PartName="{name}" ContentType="{_CT}.{kind}"/>' for name, kind in overrides
    )
    parts["[Content_Types].xml"] = (
        _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>'
    )
    order = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in [*order, *(p for p in parts if p not in order)]:
            info = zipfile.ZipInfo(name, (2020, 8, 10, 9, 30, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, parts[name].encode("utf-8"))
    return buf.getvalue()


def _rows(sheet: SheetModel) -> dict[int, list[tuple[int, Cell]]]:
    rows: dict[int, list[tuple[int, Cell]]] = {}
    for (r, c), cell in sorted(sheet.cells.items()):
        rows.setdefault(r, []).append((c, cell))
    return rows


def _shared_groups(sheet: SheetModel) -> dict[tuple[int, int], tuple[str, str]]:
    """Formulas Excel stores as shared (filled down: the same formula one row on): the master
    cell → (its ref range, si), each follower → ("", si)."""
    out: dict[tuple[int, int], tuple[str, str]] = {}
    si = 0
    by_col: dict[int, list[int]] = {}
    for (r, c), cell in sorted(sheet.cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if isinstance(cell.value, str) and cell.value.startswith("="):
            by_col.setdefault(c, []).append(r)
    for col, rows in by_col.items():
        run: list[int] = []
        for r in [*rows, -1]:
            prev = run[-1] if run else None
            if prev is not None and r == prev + 1 and _shifted(sheet, (prev, col), (r, col)):
                run.append(r)
                continue
            if len(run) > 1:
                ref = f"{get_column_letter(col)}{run[0]}:{get_column_letter(col)}{run[-1]}"
                out[(run[0], col)] = (ref, str(si))
                for follower in run[1:]:
                    out[(follower, col)] = ("", str(si))
                si += 1
            run = [r]
    return out


def _shifted(sheet: SheetModel, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether b's formula is a's moved one row down."""
    fa, fb = str(sheet.cells[a].value), str(sheet.cells[b].value)
    moved = _REF.sub(lambda m: f"{m[1]}{int(m[2]) + 1}", fa)
    return moved == fb


_HASH = base64.b64encode(hashlib.sha512(b"shuangyong").digest()).decode("ascii")
_SALT = base64.b64encode(hashlib.md5(b"shuangyong").digest()).decode("ascii")
"""A sheet protection's hash and salt, base64 as Excel writes them (openpyxl checks the form)."""


def _excel_sheet(sheet: SheetModel, styles: _Styles, strings: _Strings) -> str:
    rows = _rows(sheet)
    shared = _shared_groups(sheet)
    out = []
    for r, cells in rows.items():
        first, last = cells[0][0], cells[-1][0]
        row_cells = []
        for c, cell in cells:
            ref = f"{get_column_letter(c)}{r}"
            s = styles.index(cell)
            attrs = f' r="{ref}"' + (f' s="{s}"' if s else "")
            value = cell.value
            if value is None:
                row_cells.append(f"<c{attrs}/>")
            elif isinstance(value, str) and value.startswith("="):
                result = evaluate(sheet, value)
                master = shared.get((r, c))
                if master is None:
                    f = f"<f>{_text(value[1:])}</f>"
                elif master[0]:
                    f = f'<f t="shared" ref="{master[0]}" si="{master[1]}">{_text(value[1:])}</f>'
                else:
                    f = f'<f t="shared" si="{master[1]}"/>'
                v = f"<v>{_excel_number(result)}</v>" if result is not None else ""
                row_cells.append(f"<c{attrs}>{f}{v}</c>")
            elif isinstance(value, str):
                row_cells.append(f'<c{attrs} t="s"><v>{strings.add(value)}</v></c>')
            elif isinstance(value, bool):
                row_cells.append(f'<c{attrs} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.date | dt.time):
                row_cells.append(f"<c{attrs}><v>{_excel_number(_serial(value))}</v></c>")
            else:
                row_cells.append(f"<c{attrs}><v>{_excel_number(value)}</v></c>")
        out.append(
            f'<row r="{r}" spans="{first}:{last}" ht="20.1" customHeight="1" '
            f'x14ac:dyDescent="0.15">{"".join(row_cells)}</row>'
        )
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged)
    protection = (
        '<sheetProtection algorithmName="SHA-512" hashValue="'
        + _HASH
        + '" saltValue="'
        + _SALT
        + '" spinCount="100000" sheet="1" objects="1" scenarios="1"/>'
        if sheet.protected
        else ""
    )
    return (
        _DECL + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}" {_MC} '
        'xr:uid="{00000000-0001-0000-0000-000000000000}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:H25"/>'
        '<sheetViews><sheetView workbookViewId="0"><selection activeCell="D6" sqref="D6"/>'
        '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="13.5" '
        'x14ac:dyDescent="0.15"/><cols><col min="1" max="1" width="6.625" customWidth="1"/>'
        f"</cols><sheetData>{''.join(out)}</sheetData>{protection}"
        + (f'<mergeCells count="{len(sheet.merged)}">{merges}</mergeCells>' if merges else "")
        + '<phoneticPr fontId="1" type="noConversion"/><pageMargins left="0.7" right="0.7" '
        'top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        '<pageSetup paperSize="9" orientation="landscape"/></worksheet>'
    )


def _export_sheet(sheet: SheetModel, styles: _Styles) -> str:
    out = []
    for r, cells in _rows(sheet).items():
        row_cells = []
        last = 0
        for c, cell in cells:
            value = cell.value
            if value is None:
                continue
            ref = "" if c == last + 1 else f' r="{get_column_letter(c)}{r}"'
            last = c
            if isinstance(value, str) and value.startswith("="):
                result = evaluate(sheet, value)
                v = f"<x:v>{_excel_number(result)}</x:v>" if result is not None else ""
                row_cells.append(f"<x:c{ref}><x:f>{_text(value[1:])}</x:f>{v}</x:c>")
            elif isinstance(value, str):
                row_cells.append(
                    f'<x:c{ref} t="inlineStr"><x:is><x:t>{_text(value)}</x:t></x:is></x:c>'
                )
            elif isinstance(value, dt.date | dt.time):
                s = styles.index(cell)
                number = _excel_number(_serial(value))
                row_cells.append(f'<x:c{ref} s="{s}"><x:v>{number}</x:v></x:c>')
            else:
                row_cells.append(f"<x:c{ref}><x:v>{_excel_number(value)}</x:v></x:c>")
        if row_cells:
            out.append(f'<x:row r="{r}">{"".join(row_cells)}</x:row>')
    merges = "".join(f'<x:mergeCell ref="{ref}"/>' for ref in sheet.merged)
    return (
        f'<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="{_MAIN}" '
        f'xmlns:r="{_REL}"><x:sheetData>{"".join(out)}</x:sheetData>'
        + (f"<x:mergeCells>{merges}</x:mergeCells>" if merges else "")
        + "</x:worksheet>"
    )


def convert_all(sources: Iterable[Path], out: Path) -> dict[str, list[Path]]:
    """Every producer's version of ``sources``, under ``out/<producer>/`` (LibreOffice only
    when installed)."""
    files = list(sources)
    made = {}
    for producer in PRODUCERS:
        if producer == "libreoffice" and soffice() is None:
            continue
        made[producer] = convert(producer, files, out / producer)
    return made
