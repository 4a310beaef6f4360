"""The example of README「用自己的表」: a clerk's own blank (2021年春节 慰问 form, drawn as
tests/blank_forms.py draws it), the definition ``form new`` learns from it, the copies
``template --form`` sends out, and five returns filled in those copies, one with mistakes.

    python examples/make_own_form.py

Writes examples/自己的表/: 春节慰问统计表.xlsx (the blank), 春节慰问.toml, 名册.csv and 回收/.
Runs the installed ``shuangyong`` command, as a clerk would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "examples" / "自己的表"
sys.path.insert(0, str(ROOT / "tests"))

import blank_forms  # noqa: E402

ROSTER = """单位名称,单位类别,联系人,联系电话
城东街道,街道,赵军,023-79224991
城南街道,街道,高小红,023-79224080
石会镇,乡镇,徐敏,13800003542
黑溪镇,乡镇,蒋静,13600006872
濯水镇,乡镇,张小红,18700008271
区民政局,区级国家机关各部门,李华,023-79222001
"""

#: unit → (男, 女, 慰问金（元）) for each row: 伤残军人, 烈士遗属, 带病回乡退伍军人,
#: 其他困难退役军人.
RETURNS: dict[str, list[tuple[int, int, float]]] = {
    "城东街道": [(3, 1, 2400), (2, 2, 3200), (1, 0, 800), (4, 2, 4800)],
    "城南街道": [(2, 0, 1600), (1, 1, 1600), (0, 1, 800), (3, 3, 4800)],
    "石会镇": [(5, 2, 5600), (3, 1, 3200), (2, 1, 2400), (6, 4, 8000)],
    "黑溪镇": [(1, 1, 1600), (2, 0, 1600), (1, 1, 1600), (2, 2, 3200)],
}


def run(*args: str | Path) -> None:
    subprocess.run(["shuangyong", *map(str, args)], check=True, cwd=HERE)


def main() -> None:
    if HERE.exists():
        shutil.rmtree(HERE)
    HERE.mkdir(parents=True)
    blank = blank_forms.weiwen(HERE)
    (HERE / "名册.csv").write_text(ROSTER, encoding="utf-8")
    run("form", "new", blank.name, "-o", "春节慰问.toml", "-q")
    inbox = HERE / "回收"
    inbox.mkdir()
    with tempfile.TemporaryDirectory() as tmp:
        sent = Path(tmp) / "下发"
        run("template", "--form", "春节慰问.toml", "--roster", "名册.csv", "--out-dir", sent)
        for unit, rows in RETURNS.items():
            copy = next(sent.glob(f"{unit}-*.xlsx"))
            wb = openpyxl.load_workbook(copy)
            ws = wb["慰问情况"]
            ws["F2"] = "2021-02-05"
            for i, (men, women, money) in enumerate(rows):
                r = 5 + i
                ws[f"C{r}"], ws[f"D{r}"], ws[f"F{r}"] = men, women, money
            ws["B12"], ws["E12"] = "张三", "023-79220000"
            if unit == "黑溪镇":  # typed over the formula: 合计 says 3, 男＋女 is 2
                ws["E5"] = 3
                ws["F6"] = "约1600"
            wb.save(inbox / f"{unit}.xlsx")


if __name__ == "__main__":
    main()
