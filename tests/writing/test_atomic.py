from __future__ import annotations

import datetime as dt
import io
import os
import stat
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from shuangyong_cli.model.errors import OutputError
from shuangyong_cli.writing.atomic import (
    FIXED_ZIP_TIME,
    check_output,
    save_workbook_atomic,
    workbook_bytes,
    write_atomic,
    write_bytes_atomic,
)


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


def _workbook(text: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in range(1, 2001):
        ws.cell(r, 1, r * 7 % 1000)
        ws.cell(r, 2, f"{text}{r}")
    return wb


def test_save_workbook_gives_the_same_bytes_at_any_time(monkeypatch: pytest.MonkeyPatch) -> None:
    first = workbook_bytes(_workbook("甲"))
    wb = _workbook("甲")
    wb.properties.created = dt.datetime(2031, 5, 5, 11, 11, 11)
    monkeypatch.setattr(time, "time", lambda: 1_900_000_000.0)  # zip's clock, years later
    assert workbook_bytes(wb) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {FIXED_ZIP_TIME}
    assert {info.external_attr >> 16 for info in archive.infolist()} == {0o644}
    core = archive.read("docProps/core.xml").decode()
    assert core.count("2020-01-01T00:00:00Z") == 2  # created and modified


def test_save_workbook_deflates_at_the_level_asked() -> None:
    fast = workbook_bytes(_workbook("乙"), level=1)
    small = workbook_bytes(_workbook("乙"), level=9)
    assert len(fast) > len(small)
    assert workbook_bytes(_workbook("乙")) == workbook_bytes(_workbook("乙"), level=6)
    for data in (fast, small):
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}
        ws = openpyxl.load_workbook(io.BytesIO(data)).active
        assert ws is not None
        assert ws.cell(2000, 2).value == "乙2000"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_a_written_file_gets_the_mode_of_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        write_bytes_atomic(tmp_path / "a.bin", b"1")
        save_workbook_atomic(_workbook("丙"), tmp_path / "汇总.xlsx")
    finally:
        os.umask(old)
    for name in ("a.bin", "汇总.xlsx"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~mask


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("汇总.xls", "汇总表 {out} 的扩展名是“.xls”：本工具写出的是 Excel 工作簿（.xlsx），"),
        ("汇总.et", "汇总表 {out} 的扩展名是“.et”：本工具写出的是 Excel 工作簿（.xlsx），"),
        ("汇总", "汇总表 {out} 没有扩展名：本工具写出的是 Excel 工作簿（.xlsx），"),
    ],
)
def test_an_output_not_named_xlsx_is_refused(tmp_path: Path, name: str, said: str) -> None:
    out = tmp_path / name
    with pytest.raises(OutputError) as e:
        check_output(out, what="汇总表")
    assert str(e.value) == said.format(out=out) + "请以 .xlsx 结尾，如 汇总.xlsx"
    assert check_output(tmp_path / "汇总.XLSX", what="汇总表") == (tmp_path / "汇总.XLSX")
