"""Small workbooks, one for each reading case of issue 16, built here from their XML or records.

No binary blob of unknown origin: every file is written by the functions below, from the XML of
an .xlsx package (``package``) or the BIFF records of an .xls (``xls``, through
``hostile.builders.compound_file``). Each ``Case`` says what our reader must give, cell by cell
(``expected``), and which reader agrees (``reference``: ``"calamine"``; checked in
``test_reader_cases.py``), or, where the reference readers give something else, why
(``differs``) — that difference is checked too, so the note stays true.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from hostile.builders import biff_stream, compound_file, label, record

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

Cells = dict[tuple[int, int], object]


# -- .xlsx packages written part by part ------------------------------------------------------


def package(
    sheet_data: str,
    *,
    xfs: list[int] | None = None,
    numfmts: Mapping[int, str] | None = None,
    dxfs: str = "",
    strings: list[str] | None = None,
    workbook: str = "xl/workbook.xml",
    rename: Mapping[str, str] | None = None,
) -> bytes:
    """A one-sheet .xlsx ("Sheet1") whose sheetData is ``sheet_data``.

    ``xfs``: the number format id of each cell style (``s``); ``numfmts``: the workbook's own
    number formats; ``dxfs``: the XML of the conditional formats; ``strings``: the shared
    strings; ``workbook``: where the workbook part lives (``_rels/.rels`` names it);
    ``rename``: zip entry names written otherwise than the part names (letter case, ``\\``).
    """
    folder, _, leaf = workbook.rpartition("/")
    inside = f"{folder}/" if folder else ""
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    overrides = [
        (workbook, "sheet.main+xml"),
        (f"{inside}worksheets/sheet1.xml", "worksheet+xml"),
        (f"{inside}styles.xml", "styles+xml"),
    ]
    if strings is not None:
        overrides.append((f"{inside}sharedStrings.xml", "sharedStrings+xml"))
    types = "".join(
        f'<Override PartName="/{name}" ContentType="{_CT}.{kind}"/>' for name, kind in overrides
    )
    parts: dict[str, str] = {
        "[Content_Types].xml": decl
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + types + "</Types>",
        "_rels/.rels": decl + f'<Relationships xmlns="{PACKAGE_REL}">'
        f'<Relationship Id="rId1" Type="{OFFICE_REL}/officeDocument" Target="{workbook}"/>'
        "</Relationships>",
        workbook: decl + f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE_REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    }
    rels = (
        f'<Relationship Id="rId1" Type="{OFFICE_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{OFFICE_REL}/styles" Target="styles.xml"/>'
    )
    if strings is not None:
        rels += (
            f'<Relationship Id="rId3" Type="{OFFICE_REL}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
        items = "".join(f"<si><t>{text}</t></si>" for text in strings)
        parts[f"{inside}sharedStrings.xml"] = decl + f'<sst xmlns="{MAIN}">{items}</sst>'
    parts[f"{inside}_rels/{leaf}.rels"] = (
        decl + f'<Relationships xmlns="{PACKAGE_REL}">{rels}</Relationships>'
    )
    parts[f"{inside}worksheets/sheet1.xml"] = (
        decl + f'<worksheet xmlns="{MAIN}" xmlns:r="{OFFICE_REL}">'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    formats = "".join(
        f'<numFmt numFmtId="{i}" formatCode="{code}"/>' for i, code in (numfmts or {}).items()
    )
    cell_xfs = "".join(f'<xf numFmtId="{i}"/>' for i in (xfs or [0]))
    parts[f"{inside}styles.xml"] = (
        decl
        + f'<styleSheet xmlns="{MAIN}">'
        + (f'<numFmts count="{len(numfmts or {})}">{formats}</numFmts>' if formats else "")
        + '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        f"<cellXfs>{cell_xfs}</cellXfs>{dxfs}</styleSheet>"
    )
    renamed = rename or {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(renamed.get(name, name), content.encode("utf-8"))
    return buf.getvalue()


# -- .xls workbooks written record by record ----------------------------------------------------


def _font() -> bytes:
    body = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
    return record(0x0031, body + struct.pack("<BB", 5, 1) + "Arial".encode("utf-16-le"))


def _format(index: int, code: str) -> bytes:
    return record(0x041E, struct.pack("<HHB", index, len(code), 1) + code.encode("utf-16-le"))


def _xf(format_id: int) -> bytes:
    return record(0x00E0, struct.pack("<HHHBBBBIIH", 0, format_id, 0, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _number(row: int, col: int, xf: int, value: float) -> bytes:
    return record(0x0203, struct.pack("<HHHd", row, col, xf, value))


def xls(
    values: list[tuple[int, float]],
    *,
    formats: Mapping[int, str] | None = None,
    extra: list[bytes] | None = None,
    stream: str = "Workbook",
    mini: bool = False,
) -> bytes:
    """A one-sheet .xls ("S"): ``values`` are (number format id, number) in row 1 from A1 on,
    each cell with its own style; ``formats`` the workbook's own number formats; ``extra`` more
    cell records; ``stream`` the name of the workbook stream."""
    fonts = [_font()] * 5  # xlrd wants the first five (index 4 is skipped by the spec)
    own = [_format(i, code) for i, code in (formats or {}).items()]
    styles = [_xf(0)] * 16 + [_xf(fmt) for fmt, _ in values]
    cells = [_number(0, col, 16 + col, value) for col, (_, value) in enumerate(values)]
    biff = biff_stream([("S", 0, cells + (extra or []))], fonts + own + styles)
    return compound_file({stream: biff}, mini=mini)


# -- the cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    build: Callable[[], bytes]
    expected: Mapping[str, Cells]
    """Sheet name → the cells our reader gives (values and their types)."""
    reference: str = "calamine"
    """The reader that gives the same (``""``: none does; see ``differs``)."""
    differs: str = ""
    """Why calamine (or xlrd) gives something else, where it does."""
    twin: Callable[[], bytes] | None = None
    """The same workbook without what only our reader can afford (a cell far away): the
    reference reads this instead, and must give ``expected`` less the cells the twin lacks."""
    notes: tuple[str, ...] = field(default=())
    """The finding codes of ``Grid.notes``."""


_CJK_IDS = [*range(27, 37), *range(50, 59)]
"""Chinese Excel's and WPS's built-in dates and times (never defined in styles.xml)."""
_NOON = dt.datetime(2020, 8, 10, 12, 0)


def _cjk_dates_xlsx() -> bytes:
    cells = "".join(
        f'<c r="{_col(k)}1" s="{k + 1}"><v>44053.5</v></c>' for k in range(len(_CJK_IDS))
    )
    return package(f'<row r="1">{cells}</row>', xfs=[0, *_CJK_IDS])


def _col(index: int) -> str:
    """0 → A, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _cjk_dates_xls() -> bytes:
    return xls([(fmt, 44053.5) for fmt in _CJK_IDS])


def _durations_xls(far: bool) -> bytes:
    values = [(46, 1.5), (164, 1.5), (14, 44053.0), (0, 2.25)]
    return xls(
        values,
        formats={164: "[h]:mm:ss"},
        extra=[label(60000, 200, "误填")] if far else [],
    )


CASES: list[Case] = [
    Case(
        "cjk_builtin_dates",
        ".xlsx",
        _cjk_dates_xlsx,
        {"Sheet1": {(1, k + 1): _NOON for k in range(len(_CJK_IDS))}},
    ),
    Case(
        "cjk_builtin_dates",
        ".xls",
        _cjk_dates_xls,
        {"S": {(1, k + 1): _NOON for k in range(len(_CJK_IDS))}},
    ),
    Case(
        "dxf_number_format",
        ".xlsx",
        lambda: package(
            '<row r="1"><c r="A1" s="1"><v>44053</v></c><c r="B1" s="2"><v>44053</v></c></row>',
            xfs=[0, 164, 165],
            numfmts={164: "0.00", 165: "yyyy-mm-dd"},
            dxfs='<dxfs count="2"><dxf><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></dxf>'
            '<dxf><numFmt numFmtId="165" formatCode="0.00"/></dxf></dxfs>',
        ),
        {"Sheet1": {(1, 1): 44053, (1, 2): dt.date(2020, 8, 10)}},
    ),
    Case(
        "t_d_cells",
        ".xlsx",
        lambda: package(
            '<row r="1"><c r="A1" t="d"><v>2020-08-10</v></c>'
            '<c r="B1" t="d"><v>2020-08-10T09:30:00</v></c>'
            '<c r="C1" t="d"><v>09:30</v></c>'
            '<c r="D1" t="d"><v>2020-08-10T09:30:00Z</v></c>'
            '<c r="E1" t="d"><v>2020-8-1</v></c></row>'
        ),
        {
            "Sheet1": {
                (1, 1): dt.date(2020, 8, 10),
                (1, 2): dt.datetime(2020, 8, 10, 9, 30),
                (1, 3): dt.time(9, 30),
                (1, 4): "2020-08-10T09:30:00Z",  # a time zone: calamine keeps the text
                (1, 5): dt.date(2020, 8, 1),
            }
        },
    ),
    Case(
        "formula_with_inline_string_result",
        ".xlsx",
        lambda: package(
            '<row r="1"><c r="A1" t="inlineStr"><f>"合"&amp;"计"</f><is><t>合计</t></is></c>'
            '<c r="B1" t="str"><f>"小计"</f><v>小计</v></c>'
            '<c r="C1"><f>1+1</f><v>2</v></c></row>'
        ),
        {"Sheet1": {(1, 1): "合计", (1, 2): "小计", (1, 3): 2}},
    ),
    Case(
        "surrogate_pair_escapes",
        ".xlsx",
        lambda: package(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>慰问_xD83D__xDE00_</t></is></c>'
            '<c r="B1" t="s"><v>0</v></c>'
            '<c r="C1" t="str"><v>半个_xD83D_</v></c>'
            '<c r="D1" t="s"><v>1</v></c></row>',
            strings=["军属_xD83C__xDF96_", "回车_x000D_"],
        ),
        {
            "Sheet1": {
                (1, 1): "慰问😀",
                (1, 2): "军属🎖",
                (1, 3): "半个_xD83D_",  # half a character stays as written, as calamine does
                (1, 4): "回车\r",
            }
        },
        reference="",
        differs=(
            "calamine leaves _xD83D__xDE00_ as written: it cannot make a character of each "
            "half, and does not join the two; ST_Xstring escapes UTF-16 code units, so the two "
            "escapes are one character, as Excel shows it"
        ),
    ),
    Case(
        "text_in_v_without_t",
        ".xlsx",
        lambda: package(
            '<row r="1"><c r="A1"><v>abc</v></c><c r="B1"><v>12</v></c>'
            '<c r="C1"><v> 12 </v></c><c r="D1"><v>1,5</v></c><c r="E1"><v>+5</v></c></row>'
        ),
        {"Sheet1": {(1, 1): "abc", (1, 2): 12, (1, 3): " 12 ", (1, 4): "1,5", (1, 5): 5}},
    ),
    Case(
        "workbook_part_elsewhere",
        ".xlsx",
        lambda: package('<row r="1"><c r="A1"><v>1</v></c></row>', workbook="book/wb.xml"),
        {"Sheet1": {(1, 1): 1}},
        reference="",
        differs=(
            "calamine finds book/wb.xml from _rels/.rels, then looks for its relationships "
            "under a fixed name (book/_rels/workbook.xml.rels, not book/_rels/wb.xml.rels) and "
            "refuses the file; read from memory it cannot even tell it is an .xlsx. A part's "
            "relationships are in _rels/<its name>.rels (ECMA-376 part 2), as openpyxl reads them"
        ),
    ),
    Case(
        "part_names_in_another_case",
        ".xlsx",
        lambda: package(
            '<row r="1"><c r="A1" s="1"><v>44053</v></c></row>',
            xfs=[0, 14],
            rename={
                "xl/worksheets/sheet1.xml": "xl/worksheets/Sheet1.xml",
                "xl/styles.xml": "XL/Styles.XML",
                "xl/_rels/workbook.xml.rels": "xl/_rels/Workbook.xml.rels",
            },
        ),
        {"Sheet1": {(1, 1): dt.date(2020, 8, 10)}},
    ),
    Case(
        "zip_names_with_backslashes",
        ".xlsx",
        lambda: package(
            '<row r="1"><c r="A1" s="1"><v>44053</v></c></row>',
            xfs=[0, 14],
            rename={
                "xl/worksheets/sheet1.xml": "xl\\worksheets\\sheet1.xml",
                "xl/_rels/workbook.xml.rels": "xl\\_rels\\workbook.xml.rels",
                "xl/styles.xml": "xl\\styles.xml",
            },
        ),
        {"Sheet1": {(1, 1): dt.date(2020, 8, 10)}},
    ),
    Case(
        "cfb_stream_named_WORKBOOK",
        ".xls",
        lambda: xls([(0, 12.0), (14, 44053.0)], stream="WORKBOOK"),
        {"S": {(1, 1): 12, (1, 2): dt.date(2020, 8, 10)}},
    ),
    Case(
        "cfb_short_last_sector",
        ".xls",
        lambda: _short_last_sector(xls([(0, 12.0), (0, 2.5)], mini=True)),
        {"S": {(1, 1): 12, (1, 2): 2.5}},
    ),
    Case(
        "xls_far_cells_durations",
        ".xls",
        lambda: _durations_xls(far=True),
        {
            "S": {
                (1, 1): 1.5,  # [h]:mm:ss, built in (46): a duration, in days
                (1, 2): 1.5,  # [h]:mm:ss, the workbook's own
                (1, 3): dt.date(2020, 8, 10),
                (1, 4): 2.25,
                (60001, 201): "误填",
            }
        },
        twin=lambda: _durations_xls(far=False),
        notes=("file.far_cells",),
    ),
]


def _short_last_sector(data: bytes) -> bytes:
    """The file cut right after the workbook stream's last byte, inside its last (mini) sector,
    as some writers leave it: the sector is short, not padded to its size."""
    root_start = struct.unpack_from("<I", data, 512 + 512 + 116)[0]
    stream_size = struct.unpack_from("<I", data, 512 + 512 + 128 + 120)[0]
    return data[: (root_start + 1) * 512 + stream_size]
