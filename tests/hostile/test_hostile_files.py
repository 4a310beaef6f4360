"""Bad files a district office really receives, and files made to hurt: each one gives a clear
code and a message a clerk can forward, fast and with bounded memory; none crashes the reader."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from hostile.builders import (
    biff_records,
    biff_stream,
    bomb_xlsx,
    compound_file,
    deflated,
    dimensions,
    edit_sheet,
    encrypted_xlsx,
    entries_of,
    expected_form_grid,
    form_xlsx,
    label,
    libreoffice_xls,
    mulrk,
    number,
    patch_biff,
    raw_zip,
    read_isolated,
    record,
    rezip,
    set_cells_xml,
    soffice,
    tiny_xls,
)
from shuangyong_cli.model.errors import UnreadableFileError
from shuangyong_cli.model.grid import FormulaNoValue
from shuangyong_cli.reading.returned_file import ReadLimits, read_grid

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")

RESAVE = "请在 Excel/WPS 中打开后“另存为”Excel 工作簿(.xlsx) 再报送"
UNSAFE_XML = (
    "文件含有不安全的 XML 声明（可能是恶意文件），已拒绝读取；"
    "请在 Excel/WPS 中“另存为”新的 Excel 工作簿(.xlsx) 后重新报送"
)
TRUNCATED = "文件不完整（可能下载或传输中断），无法打开；请重新发送完整的文件"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path, limits: ReadLimits | None = None) -> UnreadableFileError:
    with pytest.raises(UnreadableFileError) as info:
        if limits is None:
            read_grid(path)
        else:
            read_grid(path, limits)
    return info.value


# -- not a workbook at all --------------------------------------------------------------------


def test_zero_bytes(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "空.xlsx", b""))
    assert err.code == "file.empty"
    assert err.message == "文件是空的（0 字节），可能保存或传输失败；请重新报送"


def test_only_zero_bytes(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "坏.xlsx", bytes(4096)))
    assert err.code == "file.empty"
    assert err.message.startswith("文件内容全是空字节（4096 字节")


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_gbk_csv_renamed(tmp_path: Path, suffix: str) -> None:
    csv = "序号,项目,数量,慰问金\r\n一,走访慰问驻黔部队,3,1.5\r\n".encode("gbk")
    err = refused(write(tmp_path, f"民政局{suffix}", csv))
    assert err.code == "file.not_workbook"
    assert err.message == (
        f"这是 CSV 文本文件（被改成了 {suffix} 扩展名），不是 Excel 表格；"
        "请在 Excel/WPS 中打开统计表后“另存为”Excel 工作簿(.xlsx) 再报送"
    )


def test_csv_named_csv(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "民政局.csv", "序号,项目\n".encode()))
    assert err.code == "file.not_workbook"
    assert err.message.startswith("这是 CSV 文本文件，不是 Excel 表格；")


@pytest.mark.parametrize(
    "html",
    [
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table><tr><td>填报单位'
        "</td></tr></table></body></html>".encode(),
        "\r\n  <table border=1><tr><td>填报单位</td></tr></table>".encode("gbk"),
    ],
)
@pytest.mark.parametrize("suffix", [".xls", ".xlsx"])
def test_html_export_renamed(tmp_path: Path, html: bytes, suffix: str) -> None:
    err = refused(write(tmp_path, f"导出{suffix}", html))
    assert err.code == "file.not_workbook"
    assert err.message == (
        f"这是网页(HTML)格式的文件（被改成了 {suffix} 扩展名），常见于从业务系统“导出 Excel”"
        f"得到的文件，并不是真正的 Excel 表格；{RESAVE}"
    )


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
            "这是 PDF 文件（被改成了 .xlsx 扩展名），不是 Excel 表格",
        ),
        (
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            "这是图片文件（照片或截图）（被改成了 .xlsx 扩展名）",
        ),
        (b"Rar!\x1a\x07\x00\xcf\x90", "这是压缩包（RAR/7z）（被改成了 .xlsx 扩展名）"),
        ("这是一份说明，请查收。".encode(), "这是纯文本文件（被改成了 .xlsx 扩展名）"),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
            "这是 XML 格式的表格文件（Excel 2003 XML）（被改成了 .xlsx 扩展名）",
        ),
        (bytes(range(1, 256)) * 4, "无法识别的文件格式（被改成了 .xlsx 扩展名）"),
    ],
)
def test_other_files_say_what_they_are(tmp_path: Path, content: bytes, start: str) -> None:
    err = refused(write(tmp_path, "统计表.xlsx", content))
    assert err.code == "file.not_workbook"
    assert err.message.startswith(start)


def test_plain_zip_lists_what_is_inside(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("黔江区民政局.xlsx", form_xlsx())
        zf.writestr("说明.txt", "见附件")
    err = refused(write(tmp_path, "报表.xlsx", buf.getvalue()))
    assert err.code == "file.not_workbook"
    assert err.message == (
        "这是 ZIP 压缩包，不是 Excel 表格（压缩包内有：黔江区民政局.xlsx）；"
        "请解压后报送其中的统计表(.xlsx)，或直接发送统计表文件"
    )


def test_docx_renamed(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    err = refused(write(tmp_path, "统计表.xlsx", buf.getvalue()))
    assert err.code == "file.not_workbook"
    assert err.message.startswith("这是 Word 文档，不是统计表；请报送下发的 Excel 统计表(.xlsx)")


def test_word_97_document_renamed(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "统计表.xls", compound_file({"WordDocument": b"\xec\xa5"})))
    assert err.code == "file.not_workbook"
    assert err.message.startswith("这是 Word 文档(.doc)，不是统计表")


def test_compound_file_of_another_kind(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "表.et", compound_file({"WPSData": b"x"})))
    assert err.code == "file.not_workbook"
    assert err.message == (
        "这不是本工具能读取的表格（可能是 WPS 专用格式或其他 Office 文件）；"
        "请在 WPS/Excel 中打开后“另存为”Excel 工作簿(.xlsx) 再报送"
    )


# -- encrypted -----------------------------------------------------------------------------------


def test_encrypted_xlsx(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "加密.xlsx", encrypted_xlsx()))
    assert err.code == "file.encrypted"
    assert err.message.startswith("文件已加密，请去除打开密码后重新报送")


@pytest.mark.soffice
@needs_soffice
def test_encrypted_xls(tmp_path: Path) -> None:
    def add_filepass(stream: bytearray) -> None:
        # turn a harmless globals record (WRITEACCESS / INTERFACEHDR …) into FILEPASS
        for offset, typ, _ in biff_records(stream)[1:]:
            if typ in (0x005C, 0x00E1, 0x00E2, 0x0161, 0x0042):
                struct.pack_into("<H", stream, offset, 0x002F)
                return
        raise AssertionError("no record to replace")

    data = patch_biff(libreoffice_xls()["form"], add_filepass)
    err = refused(write(tmp_path, "加密.xls", data))
    assert err.code == "file.encrypted"
    assert err.message.startswith(
        "文件已加密，请去除打开密码后重新报送（如设置了“保护工作簿”密码，也请一并取消）"
    )


# -- broken zips and packages --------------------------------------------------------------------


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = form_xlsx()
    err = refused(write(tmp_path, "半截.xlsx", data[: len(data) // 2]))
    assert err.code == "file.truncated"
    assert err.message == TRUNCATED


@pytest.mark.soffice
@needs_soffice
def test_truncated_xls(tmp_path: Path) -> None:
    data = libreoffice_xls()["form"]
    err = refused(write(tmp_path, "半截.xls", data[: len(data) // 2]))
    assert err.code == "file.truncated"


def test_no_workbook_xml(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "坏.xlsx", rezip(form_xlsx(), {"xl/workbook.xml": None})))
    assert err.code == "file.corrupt"
    assert err.message == f"文件已损坏（缺少工作簿内容 xl/workbook.xml），无法读取；{RESAVE}"


def test_missing_sheet_part(tmp_path: Path) -> None:
    data = rezip(form_xlsx(), {"xl/worksheets/sheet1.xml": None})
    err = refused(write(tmp_path, "坏.xlsx", data))
    assert err.code == "file.corrupt"
    assert err.message == (
        f"文件已损坏（工作表「统计表」的内容缺失（xl/worksheets/sheet1.xml）），无法读取；{RESAVE}"
    )


def test_malformed_sheet_xml(tmp_path: Path) -> None:
    data = edit_sheet(
        form_xlsx(),
        lambda x: x.replace("</sheetData>", '<row r="99"><c r="A99"><v>1</v></c</row></sheetData>'),
    )
    err = refused(write(tmp_path, "坏.xlsx", data))
    assert err.code == "file.corrupt"
    assert "工作表「统计表」 的 XML 格式有误" in err.message


def test_duplicate_zip_entries(tmp_path: Path) -> None:
    entries = entries_of(form_xlsx())
    sheet = next(e for e in entries if e.name == "xl/worksheets/sheet1.xml")
    err = refused(write(tmp_path, "重名.xlsx", raw_zip([*entries, sheet])))
    assert err.code == "file.corrupt"
    assert "压缩结构中有重名的部件" in err.message


# -- XML entities -------------------------------------------------------------------------------

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _with_doctype(xml: str, doctype: str, entity: str) -> str:
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    body = body.replace(
        "</sheetData>",
        f'<row r="99"><c r="A99" t="inlineStr"><is><t>{entity}</t></is></c></row></sheetData>',
    )
    return doctype + body


@pytest.mark.parametrize(("doctype", "entity"), [(LAUGHS, "&lol9;"), (XXE, "&xxe;")])
def test_entities_in_a_sheet(tmp_path: Path, doctype: str, entity: str) -> None:
    data = edit_sheet(form_xlsx(), lambda x: _with_doctype(x, doctype, entity))
    err = refused(write(tmp_path, "恶意.xlsx", data))
    assert err.code == "file.xml_entities"
    assert err.message == UNSAFE_XML
    assert "root:" not in err.message


@pytest.mark.parametrize(("doctype", "entity"), [(LAUGHS, "&lol9;"), (XXE, "&xxe;")])
def test_entities_in_workbook_xml(tmp_path: Path, doctype: str, entity: str) -> None:
    def poison(raw: bytes) -> bytes:
        xml = raw.decode()
        body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
        return (doctype + body.replace('name="统计表"', f'name="{entity}"')).encode()

    data = rezip(form_xlsx(), {"xl/workbook.xml": poison})
    err = refused(write(tmp_path, "恶意.xlsx", data))
    assert err.code == "file.xml_entities"
    assert err.message == UNSAFE_XML


def test_entities_in_utf16_xml(tmp_path: Path) -> None:
    def utf16(raw: bytes) -> bytes:
        xml = _with_doctype(
            raw.decode(), XXE.replace('1.0"?>', '1.0" encoding="UTF-16"?>'), "&xxe;"
        )
        return xml.encode("utf-16")

    data = rezip(form_xlsx(), {"xl/worksheets/sheet1.xml": utf16})
    err = refused(write(tmp_path, "恶意.xlsx", data))
    assert err.code == "file.xml_entities"


def test_passwd_never_reaches_a_grid(tmp_path: Path) -> None:
    """Even a DOCTYPE in a part nobody parses is refused; nothing of /etc/passwd is read."""
    data = rezip(form_xlsx(), add={"xl/custom.xml": XXE.encode() + b"<a>&xxe;</a>"})
    err = refused(write(tmp_path, "恶意.xlsx", data))
    assert err.code == "file.xml_entities"


# -- sizes --------------------------------------------------------------------------------------


def test_zip_bomb(tmp_path: Path) -> None:
    data = bomb_xlsx()
    assert len(data) < 1 << 20
    err = refused(write(tmp_path, "炸弹.xlsx", data))
    assert err.code == "file.zip_bomb"
    assert err.message.startswith("文件解压后的内容异常庞大（声明解压后共 400 MB）")


def test_zip_bomb_with_lying_sizes(tmp_path: Path) -> None:
    data = bomb_xlsx(declared=2000)
    err = refused(write(tmp_path, "炸弹.xlsx", data))
    assert err.code == "file.zip_bomb"
    assert err.message.startswith(
        "文件解压后的内容异常庞大（部件 xl/worksheets/sheet1.xml 压缩比异常），可能是恶意文件"
    )


def test_lying_size_without_a_bomb(tmp_path: Path) -> None:
    entries = entries_of(form_xlsx())
    sheet = next(e for e in entries if e.name == "xl/worksheets/sheet1.xml")
    sheet.size -= 10
    err = refused(write(tmp_path, "坏.xlsx", raw_zip(entries)))
    assert err.code == "file.corrupt"
    assert "部件 xl/worksheets/sheet1.xml 的大小记录与内容不符" in err.message


def test_lying_crc(tmp_path: Path) -> None:
    entries = entries_of(form_xlsx())
    entries[0].crc ^= 1
    err = refused(write(tmp_path, "坏.xlsx", raw_zip(entries)))
    assert err.code == "file.corrupt"
    assert "校验值不符" in err.message


@pytest.mark.parametrize(
    ("forge", "limits", "code", "message"),
    [
        ("crc", None, "file.corrupt", "的校验值不符"),
        ("size", None, "file.corrupt", "的大小记录与内容不符"),
        ("size", "just_under", "file.zip_bomb", "文件解压后的内容异常庞大（解压后超过"),
    ],
)
def test_parts_inflated_before_are_checked_again(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    forge: str,
    limits: str | None,
    code: str,
    message: str,
) -> None:
    """A part whose compressed bytes another return had already (ooxml._INFLATED: the returns
    of one form share most parts) is not inflated again, but its entry in this file is checked
    as closely as when it is: CRC, size and the caps give the same finding either way."""
    from shuangyong_cli.reading.ooxml import package as ooxml

    entries = entries_of(form_xlsx())
    sheet = next(e for e in entries if e.name == "xl/worksheets/sheet1.xml")
    entries = [*(e for e in entries if e is not sheet), sheet]  # the last inflated: on budget
    good = write(tmp_path, "好.xlsx", raw_zip(entries))
    if forge == "crc":
        sheet.crc ^= 1
    else:
        sheet.size -= 10  # the true total is 10 bytes more than declared
    bad = write(tmp_path, "坏.xlsx", raw_zip(entries))
    total = sum(e.size for e in entries)
    read_limits = ReadLimits(max_uncompressed_bytes=total) if limits else None

    monkeypatch.setattr(ooxml, "_INFLATED", {})
    fresh = refused(bad, read_limits)
    assert fresh.code == code
    assert message in fresh.message
    monkeypatch.setattr(ooxml, "_INFLATED", {})
    read_grid(good)
    assert sheet.raw in ooxml._INFLATED  # remembered
    again = refused(bad, read_limits)
    assert (again.code, again.message) == (fresh.code, fresh.message)


def test_the_memory_of_inflated_parts_is_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shuangyong_cli.reading.ooxml import package as ooxml

    monkeypatch.setattr(ooxml, "_INFLATED", {})
    monkeypatch.setattr(ooxml, "_memo_size", 0)
    monkeypatch.setattr(ooxml, "_MEMO_BYTES", 64 * 1024)
    sizes = []
    for i in range(12):
        grid = read_grid(write(tmp_path, f"u{i}.xlsx", form_xlsx(f"单位{i}", seed=i)))
        assert grid.sheets[0].cells == expected_form_grid(f"单位{i}", seed=i)
        sizes.append(ooxml._memo_size)
        assert ooxml._memo_size == sum(len(v[0]) for v in ooxml._INFLATED.values())
    assert max(sizes) <= 64 * 1024
    assert min(sizes[6:]) < max(sizes)  # it started again


def test_too_many_zip_entries(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "多.xlsx", form_xlsx()), ReadLimits(max_zip_entries=5))
    assert err.code == "file.zip_bomb"
    assert "上限 5" in err.message


def test_too_many_cells(tmp_path: Path) -> None:
    err = refused(write(tmp_path, "大.xlsx", form_xlsx()), ReadLimits(max_cells=50))
    assert err.code == "file.too_large"
    assert err.message == (
        "工作表「统计表」的非空单元格超过 50 个，不像是一份统计表；"
        "请删除与统计表无关的工作表或内容后重新报送"
    )


def test_50_mb_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "大文件.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(50 * 1024 * 1024)  # sparse: costs no disk and no time

    def no_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_open)
    err = refused(path)
    assert err.code == "file.too_large"
    assert err.message == (
        "文件过大（50.0 MB，上限 20 MB），不像是一份统计表；"
        "请检查是否发错了文件，或删除无关的工作表、图片后重新报送"
    )


# -- odd but readable ----------------------------------------------------------------------------


def test_wrong_dimension_element(tmp_path: Path) -> None:
    """WPS writes <dimension ref="A1"/> over real data: every row is still read."""
    rows = "".join(f'<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>' for r in range(30, 330))
    data = edit_sheet(
        form_xlsx(),
        lambda x: (
            x.split("<dimension ")[0]
            + '<dimension ref="A1"/>'
            + x.split("<dimension ", 1)[1]
            .split("/>", 1)[1]
            .replace("</sheetData>", rows + "</sheetData>")
        ),
    )
    cells = read_grid(write(tmp_path, "wps.xlsx", data)).sheets[0].cells
    assert {k: v for k, v in cells.items() if k[0] >= 30} == {(r, 2): r for r in range(30, 330)}
    assert cells[(3, 3)] == "黔江区民政局"


def test_one_cell_at_xfd1048576(tmp_path: Path) -> None:
    data = set_cells_xml(form_xlsx(), 1048576, '<c r="XFD1048576"><v>1</v></c>')
    result = read_isolated(write(tmp_path, "远.xlsx", data))
    assert result["rss_growth_mb"] < 200  # type: ignore[operator]
    sheets = result["sheets"]
    assert isinstance(sheets, dict)
    assert sheets["统计表"]["XFD1048576"] == "1"
    assert sheets["统计表"]["C3"] == "黔江区民政局"
    assert result["notes"] == [
        [
            "file.far_cells",
            "工作表「统计表」的 XFD1048576（“1”）有内容，远在表格之外；已读取。"
            "如非有意填写，请删除这些单元格的内容后保存",
        ]
    ]


def test_formulas_without_cached_values(tmp_path: Path) -> None:
    cells = read_grid(write(tmp_path, "公式.xlsx", form_xlsx())).sheets[0].cells
    formulas = {k: v for k, v in cells.items() if isinstance(v, FormulaNoValue)}
    assert formulas == {
        k: v for k, v in expected_form_grid().items() if isinstance(v, FormulaNoValue)
    }
    assert formulas[(7, 4)] == "=SUM(D8:D14)"
    assert len(formulas) == 3 + 10 + 3


def test_error_cells(tmp_path: Path) -> None:
    data = set_cells_xml(
        form_xlsx(),
        30,
        '<c r="E30" t="e"><f>E6/0</f><v>#DIV/0!</v></c><c r="F30" t="e"><v>#N/A</v></c>',
    )
    cells = read_grid(write(tmp_path, "错.xlsx", data)).sheets[0].cells
    assert (cells[(30, 5)], cells[(30, 6)]) == ("#DIV/0!", "#N/A")
    assert type(cells[(30, 5)]).__name__ == "CellError"


def test_control_characters_and_long_numbers(tmp_path: Path) -> None:
    data = set_cells_xml(
        form_xlsx(),
        30,
        '<c r="A30" t="inlineStr"><is><t>军属_x0007_\t_x001B_</t></is></c>'
        '<c r="B30" t="inlineStr"><is><t>123456789012345678</t></is></c>'
        '<c r="C30"><v>123456789012345678</v></c>',
    )
    cells = read_grid(write(tmp_path, "怪.xlsx", data)).sheets[0].cells
    assert cells[(30, 1)] == "军属\x07\t\x1b"
    assert cells[(30, 2)] == "123456789012345678"
    assert cells[(30, 3)] == 1.2345678901234568e17


def test_xlsx_named_xls_is_read_with_a_note(tmp_path: Path) -> None:
    grid = read_grid(write(tmp_path, "民政局.xls", form_xlsx()))
    assert grid.format == "xlsx"
    assert grid.sheets[0].cells == expected_form_grid()
    assert grid.notes == [
        (
            "file.extension_mismatch",
            "文件扩展名是 .xls，实际是 Excel 工作簿(.xlsx)；已照常读取。"
            "建议把扩展名改回 .xlsx，以免别人打不开",
        )
    ]


@pytest.mark.soffice
@needs_soffice
def test_xls_named_xlsx_is_read_with_a_note(tmp_path: Path) -> None:
    grid = read_grid(write(tmp_path, "民政局.xlsx", libreoffice_xls()["form"]))
    assert grid.format == "xls"
    assert grid.sheets[0].get(3, 3) == "黔江区民政局"
    assert grid.notes == [
        (
            "file.extension_mismatch",
            "文件扩展名是 .xlsx，实际是 Excel 97-2003 工作簿(.xls)；已照常读取。"
            "建议今后在 Excel/WPS 中“另存为”Excel 工作簿(.xlsx)",
        )
    ]


def test_read_only_file_is_left_untouched(tmp_path: Path) -> None:
    data = form_xlsx()
    path = write(tmp_path, "只读.xlsx", data)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    path.chmod(0o444)
    before = path.stat()
    grid = read_grid(path)
    after = path.stat()
    assert grid.sheets[0].cells == expected_form_grid()
    assert path.read_bytes() == data
    assert after.st_mtime_ns == before.st_mtime_ns == 1_600_000_000_000_000_000
    assert after.st_mode & 0o777 == 0o444


# -- hostile .xls: what would abort calamine is caught first ----------------------------------


def _sheet_records(stream: bytearray, typ: int) -> list[int]:
    """Offsets of records of ``typ`` after the globals (in the sheets)."""
    records = biff_records(stream)
    first_eof = next(i for i, r in enumerate(records) if r[1] == 0x000A)
    return [offset for offset, t, _ in records[first_eof:] if t == typ]


@pytest.mark.soffice
@needs_soffice
def test_xls_with_forged_dimensions(tmp_path: Path) -> None:
    """DIMENSIONS says 4 billion rows: calamine would reserve them and abort the process."""

    def forge(stream: bytearray) -> None:
        offset = _sheet_records(stream, 0x0200)[0]
        assert struct.unpack_from("<H", stream, offset + 2)[0] == 14
        struct.pack_into("<IIHH", stream, offset + 4, 0, 0xFFFFFFFF, 0, 0xFFFF)

    data = patch_biff(libreoffice_xls()["form"], forge)
    result = read_isolated(write(tmp_path, "维度.xls", data))
    sheets = result["sheets"]
    assert isinstance(sheets, dict)
    assert sheets["统计表"]["C3"] == "黔江区民政局"
    assert result["notes"] == []


@pytest.mark.soffice
@needs_soffice
def test_xls_with_sector_number_past_the_end(tmp_path: Path) -> None:
    data = bytearray(libreoffice_xls()["form"])
    struct.pack_into("<I", data, 76, 0x7FFFFFF0)  # first FAT sector, far beyond the file
    result = read_isolated(write(tmp_path, "扇区.xls", bytes(data)))
    assert result["code"] == "file.corrupt"
    assert "扇区编号超出文件范围" in str(result["message"])


@pytest.mark.soffice
@needs_soffice
def test_xls_with_a_sector_chain_loop(tmp_path: Path) -> None:
    data = bytearray(libreoffice_xls()["form"])
    first_fat, dir_start = (
        struct.unpack_from("<I", data, 76)[0],
        struct.unpack_from("<I", data, 48)[0],
    )
    struct.pack_into("<I", data, (first_fat + 1) * 512 + 4 * dir_start, dir_start)
    result = read_isolated(write(tmp_path, "循环.xls", bytes(data)))
    assert result["code"] == "file.corrupt"
    assert "扇区链有误" in str(result["message"])


def test_compound_file_with_huge_stream_size(tmp_path: Path) -> None:
    data = bytearray(compound_file({"Workbook": b"\x09\x08" + bytes(100)}))
    struct.pack_into("<I", data, 1024 + 128 + 120, 0xFFFFFF00)  # the stream's size
    result = read_isolated(write(tmp_path, "大小.xls", bytes(data)))
    assert result["code"] == "file.corrupt"
    assert "大小记录有误" in str(result["message"])


def test_shared_strings_count_is_bounded(tmp_path: Path) -> None:
    strings = b'<sst xmlns="x">' + b"<si><t>a</t></si>" * 60 + b"</sst>"
    data = rezip(form_xlsx(), add={"xl/sharedStrings.xml": strings})
    err = refused(write(tmp_path, "字.xlsx", data), ReadLimits(max_shared_strings=50))
    assert err.code == "file.too_large"
    assert "文字条目过多（60 条，上限 50）" in err.message


def test_deflated_helper_roundtrip() -> None:
    entry = deflated(b"abc", "x.xml")
    assert (entry.name, entry.size) == ("x.xml", 3)


# -- hand-made .xls files (no LibreOffice needed) ---------------------------------------------


def _form_sheet(*extra: bytes) -> list[tuple[str, int, list[bytes]]]:
    return [("统计表", 0, [label(2, 2, "黔江区民政局"), number(5, 3, 12.5), *extra])]


def test_hand_made_xls_with_filepass(tmp_path: Path) -> None:
    data = tiny_xls(_form_sheet(), [record(0x002F, b"\x01\x00" + bytes(52))])
    err = refused(write(tmp_path, "加密.xls", data))
    assert err.code == "file.encrypted"
    assert err.message.startswith(
        "文件已加密，请去除打开密码后重新报送（如设置了“保护工作簿”密码，也请一并取消）。"
    )


@pytest.mark.parametrize(
    "forged",
    [
        dimensions(0, 0xFFFFFFFF, 0, 0xFFFF),  # 4 billion rows × 65535 columns
        dimensions(5, 1, 0, 3),  # last row before first: calamine's subtraction wraps
    ],
    ids=["4 billion rows", "last row before first"],
)
def test_hand_made_xls_with_forged_dimensions(tmp_path: Path, forged: bytes) -> None:
    data = tiny_xls([("统计表", 0, [forged, label(2, 2, "黔江区民政局")])])
    result = read_isolated(write(tmp_path, "维度.xls", data))
    assert result["sheets"] == {"统计表": {"C3": "黔江区民政局"}}
    assert result["notes"] == []


def test_hand_made_xls_with_a_cell_at_iv65536(tmp_path: Path) -> None:
    data = tiny_xls(_form_sheet(label(65535, 255, "误填")))
    result = read_isolated(write(tmp_path, "远.xls", data))
    assert result["sheets"] == {"统计表": {"C3": "黔江区民政局", "D6": "12.5", "IV65536": "误填"}}
    assert result["rss_growth_mb"] < 200  # type: ignore[operator]
    assert result["notes"] == [
        [
            "file.far_cells",
            "工作表「统计表」的 IV65536（“误填”）有内容，远在表格之外；已读取。"
            "如非有意填写，请删除这些单元格的内容后保存",
        ]
    ]


def test_hand_made_xls_with_a_forged_string_count(tmp_path: Path) -> None:
    data = tiny_xls(_form_sheet(), [record(0x00FC, struct.pack("<ii", 10, 0x7FFFFFFF))])
    result = read_isolated(write(tmp_path, "字.xls", data))
    assert result["code"] == "file.corrupt"
    assert result["message"] == f"文件已损坏（文字表的条目数记录有误），无法读取；{RESAVE}"


def test_hand_made_xls_with_a_backwards_mulrk(tmp_path: Path) -> None:
    data = tiny_xls(_form_sheet(mulrk(1, 5, [1, 2], last=2)))
    err = refused(write(tmp_path, "坏.xls", data))
    assert err.code == "file.corrupt"
    assert "工作表「统计表」的单元格记录有误" in err.message


def test_hand_made_xls_with_a_sheet_offset_past_the_end(tmp_path: Path) -> None:
    stream = bytearray(biff_stream(_form_sheet()))
    offset = next(o for o, t, _ in biff_records(stream) if t == 0x0085)
    struct.pack_into("<I", stream, offset + 4, 0x7FFFFFFF)
    err = refused(write(tmp_path, "坏.xls", compound_file({"Workbook": bytes(stream)}, mini=True)))
    assert err.code == "file.corrupt"
    assert "工作表「统计表」的位置记录有误" in err.message


def test_hand_made_xls_with_too_many_cells(tmp_path: Path) -> None:
    data = tiny_xls(_form_sheet(mulrk(9, 0, list(range(10)))))
    err = refused(write(tmp_path, "多.xls", data), ReadLimits(max_cells=5))
    assert err.code == "file.too_large"
    assert err.message.startswith("工作表「统计表」的非空单元格超过 5 个")


def test_hand_made_xls_with_sheets_sharing_one_offset(tmp_path: Path) -> None:
    """Thousands of sheets over the same records would make any reader walk them each time."""
    stream = bytearray(biff_stream([*_form_sheet(), ("二", 0, [number(0, 0, 1)])]))
    bound = [o for o, t, _ in biff_records(stream) if t == 0x0085]
    first = struct.unpack_from("<I", stream, bound[0] + 4)[0]
    struct.pack_into("<I", stream, bound[1] + 4, first)
    err = refused(write(tmp_path, "坏.xls", compound_file({"Workbook": bytes(stream)}, mini=True)))
    assert err.code == "file.corrupt"
    assert "几个工作表的位置记录相同" in err.message


def test_sheets_sharing_one_part(tmp_path: Path) -> None:
    def second_sheet(raw: bytes) -> bytes:
        xml = raw.decode()
        sheet = xml.split("<sheet ", 2)[1].split("/>", 1)[0]
        twin = sheet.replace('name="统计表"', 'name="副本"').replace('sheetId="1"', 'sheetId="9"')
        return xml.replace("</sheets>", f"<sheet {twin}/></sheets>").encode()

    data = rezip(form_xlsx(), {"xl/workbook.xml": second_sheet})
    err = refused(write(tmp_path, "坏.xlsx", data))
    assert err.code == "file.corrupt"
    assert "工作表「副本」与其他工作表指向同一内容" in err.message


def test_calamine_panic_is_a_quiet_corrupt_file(tmp_path: Path) -> None:
    """A MERGEDCELLS record that promises 5 ranges and holds none makes calamine panic: the
    panic becomes file.corrupt, and Rust's panic message never reaches the terminal."""
    data = tiny_xls(_form_sheet(record(0x00E5, b"\x05\x00")))
    result = read_isolated(write(tmp_path, "坏.xls", data))
    assert result["code"] == "file.corrupt"
    assert str(result["message"]).startswith("文件已损坏，无法读取（打开工作簿时出错，技术信息：")
    assert str(result["message"]).endswith(RESAVE)
    assert result["stderr"] == ""
