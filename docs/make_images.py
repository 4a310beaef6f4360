"""Render the README's pictures from the real files (run by hand; needs soffice, pdftoppm,
rsvg-convert and a CJK font, e.g. Debian's libreoffice-calc, poppler-utils, librsvg2-bin,
fonts-noto-cjk).

    python docs/make_images.py

- docs/img/template.png: the blank form as LibreOffice prints it;
- docs/img/summary.png: the 汇总表 sheet of the examples' summary;
- docs/img/validate.png: the terminal report of `validate examples/回收 --roster examples/名册.csv`;
- docs/img/form_new.png: the inferences `form new` prints for the blank of
  `examples/自己的表/`.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"


def to_png(xlsx: Path, png: Path, work: Path, *, first_page_only: bool = True) -> None:
    profile = f"-env:UserInstallation=file://{work / 'lo_profile'}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(work), str(xlsx)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = work / (xlsx.stem + ".pdf")
    args = ["pdftoppm", "-png", "-r", "90", "-singlefile"] if first_page_only else ["pdftoppm"]
    subprocess.run([*args, str(pdf), str(png.with_suffix(""))], check=True, timeout=120)


def summary_first_sheet(src: Path, dst: Path) -> None:
    """A copy of the summary with only 汇总表 visible, so the PDF's first page is that sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        if ws.title != "汇总表":
            wb.remove(ws)
    wb.save(dst)


def terminal_png(png: Path) -> None:
    from rich.console import Console

    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.cli.report_view import render_report
    from shuangyong_cli.model import load_form
    from shuangyong_cli.season import load_roster, validate_paths

    spec = load_form()
    roster = load_roster(ROOT / "examples" / "名册.csv", spec)
    report = validate_paths([ROOT / "examples" / "回收"], spec, roster=roster)
    # A short excerpt: the files with errors, as a clerk first sees them.
    report.files = [r for r in report.files if not r.ok][:5] + [r for r in report.files if r.ok][:3]
    report.general = report.general[:3]
    out = Output(stdout=io.StringIO(), stderr=io.StringIO(), width=110)
    out.console = Console(record=True, width=110, file=io.StringIO(), force_terminal=True)
    render_report(report, out)
    svg = png.with_suffix(".svg")
    out.console.save_svg(str(svg), title="shuangyong validate 回收/ --roster 名册.csv")
    subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True, timeout=60)
    svg.unlink()


def form_new_png(png: Path) -> None:
    """The inferences ``form new`` prints for the example blank of README「用自己的表」."""
    from rich.console import Console

    from shuangyong_cli.cli.commands.form import print_inferences
    from shuangyong_cli.cli.output import Output
    from shuangyong_cli.learn.learner import learn

    blank = ROOT / "examples" / "自己的表" / "春节慰问统计表.xlsx"
    learned = learn(blank, "chunjie", None)
    out = Output(stdout=io.StringIO(), stderr=io.StringIO(), width=118)
    out.console = Console(record=True, width=118, file=io.StringIO(), force_terminal=True)
    print_inferences(out, learned)
    svg = png.with_suffix(".svg")
    out.console.save_svg(str(svg), title="shuangyong form new 春节慰问统计表.xlsx -o 春节慰问.toml")
    subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True, timeout=60)
    svg.unlink()


def main() -> int:
    for tool in ("soffice", "pdftoppm", "rsvg-convert"):
        if shutil.which(tool) is None:
            print(f"需要 {tool}", file=sys.stderr)
            return 1
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        blank = work / "统计表.xlsx"
        subprocess.run(["shuangyong", "template", "-o", str(blank)], check=True)
        to_png(blank, IMG / "template.png", work)
        summary = work / "汇总.xlsx"
        subprocess.run(
            [
                "shuangyong",
                "merge",
                str(ROOT / "examples" / "回收"),
                "--roster",
                str(ROOT / "examples" / "名册.csv"),
                "-o",
                str(summary),
                "--date",
                "2020-08-15",
                "--name",
                "黔江区",
                "-q",
            ],
            check=False,
            capture_output=True,
        )
        only = work / "汇总表.xlsx"
        summary_first_sheet(summary, only)
        to_png(only, IMG / "summary.png", work)
    terminal_png(IMG / "validate.png")
    form_new_png(IMG / "form_new.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
