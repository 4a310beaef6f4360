"""Blank forms of different shapes, drawn as real ones are, for the form-learning tests.

Each builder writes one blank into a folder and returns its path:

- ``bayi``: the built-in form, drawn by the tool's own template writer;
- ``weiwen``: a two-level header (慰问人数（人） over 男/女/合计), a 合计 row, ``=SUM`` and
  ``=C5+D5`` formulas, 慰问金（元）, header fields in the next cell, a grey not-applicable cell;
- ``jingfei``: a stub with a 计量单位 column and mixed 万元/元/人次/件/人 rows, 其中 rows (one
  continued on the next line, indented), not-applicable cells drawn grey, with “/” and “不填”;
- ``chuangjian``: header fields after the colon in the same cell (``填报单位：______``), a
  “金额单位：万元” note, no formulas but a 合计 row and a 合计 column, the footer in one cell;
- ``youfu_xls``: an .xls (converted by LibreOffice from an .xlsx drawn here; openpyxl cannot write
  .xls and xlwt is not installed): 户数（户）/人数（人）/金额（千元）, a 其中 row, a 总计 row whose
  formulas the .xls keeps but a reader sees as values only, and “—” cells.

Run as a script to write them all: ``python tests/blank_forms.py 文件夹``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from shuangyong_cli.model.form_file import load_form
from shuangyong_cli.writing import atomic
from shuangyong_cli.writing.template import build_template

_THIN = Side(style="thin")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
GREY = PatternFill("solid", fgColor="D9D9D9")
GREY_THEME = PatternFill("solid", fgColor="FFBFBFBF")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _font(size: int = 11, bold: bool = False) -> Font:
    return Font(name="宋体", size=size, bold=bold)


def _title(ws: Worksheet, row: int, text: str, last_col: int) -> None:
    ws.cell(row, 1, text).font = _font(18, bold=True)
    ws.cell(row, 1).alignment = CENTRE
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    ws.row_dimensions[row].height = 36


def _grid(ws: Worksheet, rows: range, last_col: int) -> None:
    for r in rows:
        for c in range(1, last_col + 1):
            ws.cell(r, c).border = BOX
            ws.cell(r, c).font = _font()


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + i)].width = w


def _save(wb: Workbook, path: Path) -> Path:
    atomic.save_workbook(wb, path)
    return path


def bayi(folder: Path) -> Path:
    """The built-in form as ``shuangyong template`` writes it."""
    return _save(build_template(load_form()), folder / "八一统计表.xlsx")


def weiwen(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "慰问情况"
    _widths(ws, [6, 24, 8, 8, 8, 14, 16])
    _title(ws, 1, "2021年春节期间走访慰问困难退役军人情况统计表", 7)
    ws["A2"] = "填报单位："
    ws.merge_cells("A2:B2")
    ws.merge_cells("C2:D2")
    ws["E2"] = "填报日期："
    ws.merge_cells("F2:G2")
    for ref in ("C2", "F2"):
        ws[ref].border = Border(bottom=_THIN)
    _grid(ws, range(3, 10), 7)
    for ref, text in {
        "A3": "序号",
        "B3": "慰问对象",
        "C3": "慰问人数（人）",
        "C4": "男",
        "D4": "女",
        "E4": "合计",
        "F3": "慰问金（元）",
        "G3": "备注",
    }.items():
        ws[ref] = text
        ws[ref].font = _font(bold=True)
        ws[ref].alignment = CENTRE
    for rng in ("A3:A4", "B3:B4", "C3:E3", "F3:F4", "G3:G4"):
        ws.merge_cells(rng)
    labels = ["伤残军人", "烈士遗属", "带病回乡退伍军人", "其他困难退役军人"]
    for i, label in enumerate(labels):
        r = 5 + i
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, label)
        ws.cell(r, 5, f"=C{r}+D{r}")
    ws["A9"] = "合计"
    ws.merge_cells("A9:B9")
    for col in "CDEF":
        ws[f"{col}9"] = f"=SUM({col}5:{col}8)"
    ws["G9"] = "/"
    ws["G9"].fill = GREY
    ws["A10"] = "说明：慰问金以元为单位，保留两位小数；合计由公式自动计算。"
    ws.merge_cells("A10:G10")
    ws["A12"] = "填表人："
    ws["D12"] = "联系电话："
    ws.merge_cells("E12:F12")
    return _save(wb, folder / "春节慰问统计表.xlsx")


def jingfei(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    _widths(ws, [6, 30, 10, 12, 12, 18])
    ws["A1"] = "附件2"
    ws["A1"].font = _font(12, bold=True)
    _title(ws, 2, "2021年度双拥工作经费投入情况统计表", 6)
    ws["A3"] = "填报单位："
    ws.merge_cells("B3:C3")
    ws["D3"] = "日期："
    ws.merge_cells("E3:F3")
    _grid(ws, range(4, 13), 6)
    for c, text in enumerate(["序号", "指标", "计量单位", "本年数", "上年数", "备注"], start=1):
        ws.cell(4, c, text).font = _font(bold=True)
        ws.cell(4, c).alignment = CENTRE
    body = [
        ("一", "双拥工作经费", "万元"),
        ("", "其中：拥军优属经费", "万元"),
        ("", "\u3000\u3000\u3000军民共建经费", "万元"),
        ("二", "走访慰问驻地部队官兵", "人次"),
        ("三", "发放慰问金", "元"),
        ("四", "为部队办实事", "件"),
        ("五", "优抚对象人数", "人"),
        ("", "其中：烈士遗属", "人"),
    ]
    for i, (seq, label, measure) in enumerate(body):
        r = 5 + i
        ws.cell(r, 1, seq or None)
        ws.cell(r, 2, label)
        ws.cell(r, 3, measure)
    ws["E8"].fill = GREY  # 二 / 上年数: grey, nothing written
    ws["E10"] = "不填"
    ws["E12"] = "/"
    ws["A13"] = "说明：1. 金额按计量单位栏所列单位填写，保留两位小数。"
    ws["A14"] = "\u3000\u3000\u30002. “其中”项不得大于所属项目。"
    ws.merge_cells("A13:F13")
    ws.merge_cells("A14:F14")
    ws["A16"] = "填表人："
    ws["C16"] = "审核人："
    ws["E16"] = "联系电话："
    return _save(wb, folder / "经费统计表.xlsx")


def chuangjian(folder: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "创建经费"
    _widths(ws, [6, 26, 12, 12, 12, 12])
    _title(ws, 1, "2021年双拥模范城创建资金投入统计表", 6)
    ws["A2"] = "填报单位：__________________"
    ws.merge_cells("A2:C2")
    ws["D2"] = "填报日期：      年    月    日"
    ws.merge_cells("D2:F2")
    ws["F3"] = "金额单位：万元"
    ws["F3"].alignment = Alignment(horizontal="right")
    _grid(ws, range(4, 10), 6)
    for c, text in enumerate(["序号", "项目", "区级资金", "镇街资金", "村社区资金", "合计"], 1):
        ws.cell(4, c, text).font = _font(bold=True)
        ws.cell(4, c).alignment = CENTRE
    for i, label in enumerate(["拥军优属", "军民共建", "双拥宣传", "其他"]):
        ws.cell(5 + i, 1, str(i + 1))
        ws.cell(5 + i, 2, label)
    ws["B9"] = "合计"
    ws["C8"].fill = GREY_THEME  # 其他 / 区级资金: drawn grey only
    ws["A11"] = "填表人：__________    审核人：__________    联系电话：______________"
    ws.merge_cells("A11:F11")
    return _save(wb, folder / "创建资金统计表.xlsx")


def youfu_xlsx(folder: Path) -> Path:
    """The .xlsx that ``youfu_xls`` converts."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "优抚"
    _widths(ws, [6, 26, 12, 12, 14])
    _title(ws, 1, "2021年优抚对象走访情况统计表", 5)
    ws["A2"] = "填报单位："
    ws.merge_cells("B2:C2")
    ws["D2"] = "日期："
    _grid(ws, range(3, 9), 5)
    for c, text in enumerate(["序号", "项目", "户数（户）", "人数（人）", "金额（千元）"], 1):
        ws.cell(3, c, text).font = _font(bold=True)
    rows = [
        ("1", "重点优抚对象"),
        ("", "其中：一级至四级残疾军人"),
        ("2", "一般优抚对象"),
        ("3", "其他"),
    ]
    for i, (seq, label) in enumerate(rows):
        ws.cell(4 + i, 1, seq or None)
        ws.cell(4 + i, 2, label)
    ws["C7"] = "—"
    ws["A8"] = "总计"
    for col in "CDE":
        ws[f"{col}8"] = f"=SUM({col}4,{col}6:{col}7)"
    ws["A10"] = "填表人："
    ws["C10"] = "联系电话："
    return _save(wb, folder / "优抚走访统计表-原.xlsx")


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def youfu_xls(folder: Path) -> Path:
    """``youfu_xlsx`` saved as .xls by LibreOffice (raises RuntimeError without it)."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    src = youfu_xlsx(folder)
    with tempfile.TemporaryDirectory(prefix="shuangyong-blank-") as tmp:
        subprocess.run(
            [
                program,
                f"-env:UserInstallation={Path(tmp).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "xls:MS Excel 97",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out = folder / "优抚走访统计表.xls"
        shutil.move(str(Path(tmp) / f"{src.stem}.xls"), out)
    return out


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "bayi": bayi,
    "weiwen": weiwen,
    "jingfei": jingfei,
    "chuangjian": chuangjian,
}


def main(argv: list[str]) -> None:
    folder = Path(argv[1] if len(argv) > 1 else ".")
    folder.mkdir(parents=True, exist_ok=True)
    for build in BUILDERS.values():
        print(build(folder))
    if soffice() is not None:
        print(youfu_xls(folder))


if __name__ == "__main__":
    main(sys.argv)
