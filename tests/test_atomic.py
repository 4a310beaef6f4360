from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from shuangyong_cli.atomic import (
    check_output,
    deterministic_xlsx,
    write_atomic,
    write_bytes_atomic,
)
from shuangyong_cli.errors import OutputError


def test_refuses_output_equal_to_input(tmp_path: Path) -> None:
    src = tmp_path / "甲.xlsx"
    src.write_bytes(b"x")
    with pytest.raises(OutputError, match="就是输入文件"):
        check_output(src, inputs=[src], force=True)


def test_refuses_output_inside_input_folder(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    folder.mkdir()
    with pytest.raises(OutputError, match="位于正在读取的文件夹"):
        check_output(folder / "sub" / "汇总.xlsx", inputs=[folder])


def test_refuses_existing_without_force(tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"old")
    with pytest.raises(OutputError, match="已存在；如要覆盖，请加 --force"):
        check_output(out)
    assert check_output(out, force=True) == out.resolve()


def test_refuses_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="不存在"):
        check_output(tmp_path / "无" / "汇总.xlsx")


def test_failed_write_keeps_previous_file_and_leaves_no_temp(tmp_path: Path) -> None:
    out = tmp_path / "汇总.xlsx"
    out.write_bytes(b"previous")

    def boom(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"写入 .* 失败：磁盘空间不足"):
        write_atomic(out, boom)
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总.xlsx"]


def test_write_bytes_atomic_replaces(tmp_path: Path) -> None:
    out = tmp_path / "a.bin"
    write_bytes_atomic(out, b"1")
    write_bytes_atomic(out, b"2")
    assert out.read_bytes() == b"2"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_deterministic_xlsx_fixes_times() -> None:
    def make(stamp: str, when: tuple[int, int, int, int, int, int]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(
                zipfile.ZipInfo("docProps/core.xml", date_time=when),
                f'<cp><dcterms:created xsi:type="x">{stamp}</dcterms:created>'
                f"<dcterms:modified>{stamp}</dcterms:modified></cp>",
            )
            z.writestr(zipfile.ZipInfo("xl/workbook.xml", date_time=when), "<workbook/>")
        return buf.getvalue()

    a = deterministic_xlsx(make("2026-01-01T10:00:00Z", (2026, 1, 1, 10, 0, 0)))
    b = deterministic_xlsx(make("2027-05-05T11:11:11Z", (2027, 5, 5, 11, 11, 10)))
    assert a == b
    core = zipfile.ZipFile(io.BytesIO(a)).read("docProps/core.xml").decode()
    assert "2020-01-01T00:00:00Z" in core


def test_deterministic_xlsx_deflates_at_the_level_asked() -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r * 7 % 1000}</v></c></row>' for r in range(5000))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/worksheets/sheet1.xml", f"<sheetData>{rows}</sheetData>")
    fast = deterministic_xlsx(buf.getvalue(), level=1)
    small = deterministic_xlsx(buf.getvalue(), level=9)
    assert len(fast) > len(small)
    assert deterministic_xlsx(buf.getvalue()) == deterministic_xlsx(buf.getvalue(), level=6)
    for data in (fast, small):
        info = zipfile.ZipFile(io.BytesIO(data)).infolist()[0]
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert zipfile.ZipFile(io.BytesIO(data)).read(info).decode().count("<row ") == 5000
