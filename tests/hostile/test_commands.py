"""Issue 6 at the level of whole commands: one folder holding every hostile file, and the
commands a clerk runs over it (validate, merge, status), each in a child process under an
address-space limit. Every file is named with its exact code and a Chinese reason, the valid
returns are still checked and merged, no output holds a formula a unit did not write or a byte of
/etc/passwd, memory stays bounded, and the inputs (read-only, modified in 2020) are never touched.

The "no data loss" tests run in-process: an output over an input or inside the folder being read
is refused, and a write that fails halfway leaves the previous output as it was and no temporary
file behind.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from hostile.builders import (
    LAUGHS,
    XXE,
    bomb_xlsx,
    compound_file,
    edit_sheet,
    encrypted_xlsx,
    entities_in_odd_parts,
    entities_in_sheet,
    entities_in_workbook,
    libreoffice_xls,
    lying_sizes,
    patch_biff,
    put_cell_xml,
    rezip,
    set_cells_xml,
    soffice,
    sparse_file,
)
from returnfiles import plausible, write_return
from shuangyong_cli.cli.app import cli
from shuangyong_cli.model.findings import CODES, Severity
from shuangyong_cli.writing.annotate import REBUILT_NOTE

#: Peak resident memory of one command over the whole folder, its worker processes included.
MAX_RSS_MB = 400
#: The address space each command may reserve. A run over this folder needs less than 384 MB
#: here (measured: 256 MB is too little for openpyxl's numpy/OpenBLAS, 384 MB is enough); the
#: margin covers other machines. OpenBLAS reserves memory per CPU, so it runs on one thread.
ADDRESS_SPACE_MB = 1024
#: The first line of /etc/passwd on any Linux: it must never appear anywhere.
PASSWD = "root:x:0:0"

HAS_XLS = soffice() is not None
TODAY = "2020-08-12"

ROSTER = """单位名称,单位类别,别名,联系人,联系电话
城东街道,街道,,赵军,023-79224991
城南街道,街道,,高小红,023-79224080
城西街道,街道,,徐海燕,023-79225132
正阳街道,街道,,邓小红,023-79228546
舟白街道,街道,,李明,023-79221111
冯家街道,街道,,王芳,023-79222222
濯水镇,乡镇,,张伟,023-79223333
石会镇,乡镇,,刘洋,023-79224444
白石镇,乡镇,,陈静,023-79225555
中塘镇,乡镇,,杨勇,023-79226666
水田乡,乡镇,,黄磊,023-79227777
黔江区民政局,区级国家机关各部门,,周涛,023-79228888
黔江区财政局,区级国家机关各部门,,吴敏,023-79229999
"""

#: Text typed to look like a formula: the second valid return's 填报单位 and 备注.
INJECTED_UNIT = '=cmd|" /C calc"!A0'
INJECTED_REMARKS = {
    "troops": '=HYPERLINK("http://example.com","点击")',
    "objects": "+SUM(1,2)",
    "hardship": "-1+cmd|' /C calc'!A0",
    "merit_notices": "@SUM(A1:A2)",
    "honor_plaques": "\t=1+1",
}

CSV_GBK = "序号,项目,数量,慰问金\r\n一,走访慰问驻黔部队,3,1.5\r\n".encode("gbk")
HTML_GBK = (
    '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="gbk"></head>'
    "<body><table><tr><td>填报单位</td><td>城东街道</td></tr></table></body></html>"
).encode("gbk")


# -- the files -----------------------------------------------------------------------------------


def _return(unit: str, seed: object, category: str = "乡镇", **remarks: str) -> bytes:
    """A valid return of ``unit`` as the examples generator saves it (``remarks``: 备注 by row)."""
    values = plausible(seed, category)
    for row, text in remarks.items():
        values[(row, "remark")] = text
    with tempfile.TemporaryDirectory() as tmp:
        return write_return(Path(tmp) / "r.xlsx", unit, values).read_bytes()


def _valid() -> bytes:
    return _return("城东街道", 1, "街道")


def _zip(entries: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _xls(unit: str = "黔江区民政局") -> bytes:
    """LibreOffice's .xls of the builders' form, its 填报单位 patched to ``unit`` (same length)."""
    old, new = "黔江区民政局".encode("utf-16-le"), unit.encode("utf-16-le")
    assert len(old) == len(new)

    def patch(stream: bytearray) -> None:
        at = stream.find(old)
        assert at >= 0
        stream[at : at + len(old)] = new

    return patch_biff(libreoffice_xls()["form"], patch)


def _wrong_dimension(data: bytes) -> bytes:
    """What WPS writes: <dimension ref="A1"/> over a sheet of many rows."""
    return edit_sheet(
        data, lambda x: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1"/>', x)
    )


def _error_cells() -> bytes:
    data = put_cell_xml(_return("白石镇", 9), "E6", '<c r="E6" t="e"><f>D6/0</f><v>#DIV/0!</v></c>')
    return put_cell_xml(data, "F6", '<c r="F6" t="e"><v>#N/A</v></c>')


def _long_numbers() -> bytes:
    data = put_cell_xml(_return("中塘镇", 11), "D8", '<c r="D8"><v>123456789012345678</v></c>')
    return put_cell_xml(data, "H8", '<c r="H8"><v>500239199001011234</v></c>')


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[], bytes]
    codes: tuple[str, ...]
    """What ``validate --roster`` finds in it, sorted."""
    unit: str = ""
    """填报单位 as typed, when the form can be read."""
    needs_xls: bool = False


FILES: tuple[Hostile, ...] = (
    # the two valid returns
    Hostile("城东街道.xlsx", _valid, (), "城东街道"),
    Hostile(
        "公式文本.xlsx",
        lambda: _return(INJECTED_UNIT, 2, "街道", **INJECTED_REMARKS),
        ("roster.unknown_unit", *("value.formula_text",) * 6),
        INJECTED_UNIT,
    ),
    # not a workbook, or one that cannot be read
    Hostile("空文件.xlsx", lambda: b"", ("file.empty",)),
    Hostile("截断.xlsx", lambda: _valid()[: len(_valid()) // 2], ("file.truncated",)),
    Hostile("GBK表格.xlsx", lambda: CSV_GBK, ("file.not_workbook",)),
    Hostile("GBK表格.xls", lambda: CSV_GBK, ("file.not_workbook",)),
    Hostile("导出网页.xlsx", lambda: HTML_GBK, ("file.not_workbook",)),
    Hostile("导出网页.xls", lambda: HTML_GBK, ("file.not_workbook",)),
    Hostile("加密.xlsx", encrypted_xlsx, ("file.encrypted",)),
    Hostile("打包.zip", lambda: _zip({"城东街道.xlsx": _valid()}), ("file.not_workbook",)),
    Hostile(
        "Word改名.xlsx",
        lambda: _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}),
        ("file.not_workbook",),
    ),
    Hostile("WPS专用.et", lambda: compound_file({"WPSData": b"x"}), ("file.not_workbook",)),
    Hostile(
        "缺少workbook.xlsx", lambda: rezip(_valid(), {"xl/workbook.xml": None}), ("file.corrupt",)
    ),
    Hostile(
        "缺少工作表.xlsx",
        lambda: rezip(_valid(), {"xl/worksheets/sheet1.xml": None}),
        ("file.corrupt",),
    ),
    Hostile(
        "实体-表.xlsx",
        lambda: entities_in_sheet(_return("石会镇", 7), LAUGHS, "&lol9;"),
        ("file.xml_entities",),
    ),
    Hostile(
        "实体-工作簿.xlsx",
        lambda: entities_in_workbook(_return("石会镇", 7), LAUGHS, "&lol9;"),
        ("file.xml_entities",),
    ),
    Hostile(
        "XXE-表.xlsx",
        lambda: entities_in_sheet(_return("石会镇", 7), XXE, "&xxe;"),
        ("file.xml_entities",),
    ),
    Hostile(
        "XXE-工作簿.xlsx",
        lambda: entities_in_workbook(_return("石会镇", 7), XXE, "&xxe;"),
        ("file.xml_entities",),
    ),
    Hostile("压缩炸弹.xlsx", bomb_xlsx, ("file.zip_bomb",)),
    Hostile("压缩炸弹-大小造假.xlsx", lambda: bomb_xlsx(declared=2000), ("file.zip_bomb",)),
    Hostile("大小不符.xlsx", lambda: lying_sizes(_valid()), ("file.corrupt",)),
    # read, with what is odd about them said
    Hostile(
        "xlsx改名.xls",
        lambda: _return("城南街道", 3, "街道"),
        ("file.extension_mismatch",),
        "城南街道",
    ),
    Hostile("WPS新版.et", lambda: _return("城西街道", 4, "街道"), (), "城西街道"),
    Hostile(
        "维度错误.xlsx", lambda: _wrong_dimension(_return("正阳街道", 5, "街道")), (), "正阳街道"
    ),
    Hostile(
        "远端单元格.xlsx",
        lambda: set_cells_xml(
            _return("舟白街道", 6, "街道"), 1048576, '<c r="XFD1048576"><v>1</v></c>'
        ),
        ("file.far_cells", "value.outside_form"),
        "舟白街道",
    ),
    Hostile(
        "公式无值.xlsx",
        lambda: put_cell_xml(_return("濯水镇", 8), "D6", '<c r="D6"><f>1+2</f></c>'),
        ("value.formula_no_cache",),
        "濯水镇",
    ),
    Hostile("错误值.xlsx", _error_cells, ("value.error_cell", "value.error_cell"), "白石镇"),
    Hostile(
        "控制字符.xlsx",
        lambda: put_cell_xml(
            _return("冯家街道", 10, "街道"),
            "H6",
            '<c r="H6" t="inlineStr"><is><t>慰问_x0007_军属_x001B_\u200b</t></is></c>',
        ),
        ("value.control_chars",),
        "冯家街道",
    ),
    # read as floats: the digits past the 15th-17th are lost without a word (see issue 6's report)
    Hostile("18位数字.xlsx", _long_numbers, ("value.long_number_text", "value.too_long"), "中塘镇"),
    # entities in parts whose names do not end in .xml: the form is read; openpyxl (annotate)
    # refuses the strings (defusedxml) and leaves the comment's entity unresolved (lxml)
    Hostile(
        "XXE-文字表.xlsx",
        lambda: entities_in_odd_parts(_return("黔江区总工会", 12), comments=False),
        ("roster.unknown_unit",),
        "黔江区总工会",
    ),
    Hostile(
        "XXE-批注.xlsx",
        lambda: entities_in_odd_parts(_return("黔江区妇联", 13), strings=False),
        ("roster.unknown_unit",),
        "黔江区妇联",
    ),
    Hostile(
        "实体-批注.xlsx",
        lambda: entities_in_odd_parts(_return("区委党校", 14), LAUGHS, "&lol9;", strings=False),
        ("roster.unknown_unit",),
        "区委党校",
    ),
    # real .xls files (LibreOffice's) under other names
    Hostile(
        "xls改名.xlsx",
        _xls,
        ("file.extension_mismatch", "form.other_sheets"),
        "黔江区民政局",
        needs_xls=True,
    ),
    Hostile(
        "WPS旧版.et",
        lambda: _xls("黔江区财政局"),
        ("form.other_sheets",),
        "黔江区财政局",
        needs_xls=True,
    ),
)
BIG = "大文件.xlsx"
"""50 MB, made sparse (no disk, no time)."""
LOCK_FILES = ("~$城东街道.xlsx", ".~lock.城东街道.xlsx#")
USED = tuple(f for f in FILES if HAS_XLS or not f.needs_xls)
EXPECTED = {f.name: f.codes for f in USED} | {BIG: ("file.too_large",)}


def has_error(codes: tuple[str, ...]) -> bool:
    return any(CODES[c].severity is Severity.ERROR for c in codes)


#: 填报单位 of the returns that count in a summary.
MERGED_UNITS = {f.unit for f in USED if f.unit and not has_error(f.codes)}
#: Files refused as a whole: annotate must not open them again.
UNREADABLE = {
    name
    for name, codes in EXPECTED.items()
    if any(c.startswith("file.") and CODES[c].severity is Severity.ERROR for c in codes)
}


# -- the folder, built once ----------------------------------------------------------------------


@dataclass
class Inbox:
    folder: Path
    roster: Path
    out: Path


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inbox]:
    """Every file read-only, every modification time in 2020; the roster beside the folder."""
    root = tmp_path_factory.mktemp("hostile-commands")
    folder = root / "回收"
    folder.mkdir()
    for f in USED:
        (folder / f.name).write_bytes(f.build())
    sparse_file(folder / BIG, 50)
    for name in LOCK_FILES:
        (folder / name).write_bytes(b"\x00lock")
    roster = root / "名册.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    then = int(dt.datetime(2020, 8, 10, 9, 30).timestamp()) * 10**9
    for path in [*folder.iterdir(), roster]:
        os.utime(path, ns=(then, then))
        path.chmod(0o444)
    out = root / "输出"
    out.mkdir()
    yield Inbox(folder, roster, out)
    for path in [*folder.iterdir(), roster]:
        path.chmod(0o644)


Snapshot = dict[str, tuple[str, int, int]]


def snapshot(*paths: Path) -> Snapshot:
    """Every file at or below ``paths``: (sha256, st_mtime_ns, permission bits)."""
    out = {}
    for top in paths:
        for p in sorted([top, *top.rglob("*")] if top.is_dir() else [top]):
            if p.is_file():
                info = p.stat()
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
                out[str(p)] = (digest, info.st_mtime_ns, stat.S_IMODE(info.st_mode))
    return out


def test_the_folder_holds_what_the_issue_lists(inbox: Inbox) -> None:
    sizes = {p.name: p.stat().st_size for p in inbox.folder.iterdir()}
    assert set(sizes) == set(EXPECTED) | set(LOCK_FILES)
    assert sizes["空文件.xlsx"] == 0
    assert sizes[BIG] == 50 << 20
    for bomb in ("压缩炸弹.xlsx", "压缩炸弹-大小造假.xlsx"):
        assert sizes[bomb] < 1 << 20  # 400 MB of zeros inside
        with zipfile.ZipFile(inbox.folder / bomb) as z:
            declared = z.getinfo("xl/worksheets/sheet1.xml").file_size
        assert declared == (400 << 20 if bomb == "压缩炸弹.xlsx" else 2000)
    ws = openpyxl.load_workbook(inbox.folder / "公式文本.xlsx")["统计表"]
    texts = {c.value for row in ws.iter_rows() for c in row if c.data_type == "s"}
    assert {INJECTED_UNIT, *INJECTED_REMARKS.values()} <= texts


# -- the commands, each in a child process -------------------------------------------------------

RUNNER = """
import sys
if sys.argv[1] == "no-lxml":
    sys.modules["lxml"] = None  # openpyxl then parses every part with defusedxml
    import openpyxl
    assert not openpyxl.LXML
sys.argv = ["shuangyong", *sys.argv[2:]]
from shuangyong_cli.cli.app import main
main()
"""


@dataclass
class Run:
    args: list[str]
    exit_code: int
    stdout: str
    stderr: str
    max_rss_mb: float
    """Peak resident memory of the command and of every worker process it waited for."""
    before: Snapshot
    after: Snapshot
    """The inputs (folder and roster) before and after the command."""

    @property
    def data(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.stdout)
        return data


def run_command(box: Inbox, *args: str | Path, lxml: bool = True) -> Run:
    """``shuangyong *args`` in a child process under ``ADDRESS_SPACE_MB`` of address space
    (inherited by its workers); wait4 gives the peak RSS of the child and its workers."""

    def limit() -> None:
        size = ADDRESS_SPACE_MB << 20
        import resource  # POSIX only: imported where used, so the module collects on Windows

        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    argv = [str(a) for a in args]
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "TERM": "dumb",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    }
    before = snapshot(box.folder, box.roster)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", RUNNER, "lxml" if lxml else "no-lxml", *argv],
            stdout=out,
            stderr=err,
            env=env,
            preexec_fn=limit,
        )
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    after = snapshot(box.folder, box.roster)
    return Run(argv, proc.returncode, stdout, stderr, usage.ru_maxrss / 1024, before, after)


@dataclass
class Runs:
    validate: Run
    validate_roster: Run
    merge: Run
    merge_roster: Run
    status: Run
    no_lxml: Run
    report: Path
    annotated: Path
    annotated_no_lxml: Path
    summary: Path
    summary_roster: Path
    chase: Path

    def all(self) -> list[Run]:
        return [
            self.validate,
            self.validate_roster,
            self.merge,
            self.merge_roster,
            self.status,
            self.no_lxml,
        ]

    def outputs(self) -> list[Path]:
        return [self.report, self.summary, self.summary_roster, self.chase, *self.copies()]

    def copies(self) -> list[Path]:
        return sorted([*self.annotated.iterdir(), *self.annotated_no_lxml.iterdir()])


@pytest.fixture(scope="module")
def runs(inbox: Inbox) -> Runs:
    if not sys.platform.startswith("linux"):
        pytest.skip("address-space limits and wait4 figures are Linux's")
    box, roster, out = inbox.folder, inbox.roster, inbox.out
    paths = {
        "report": out / "校验结果.xlsx",
        "annotated": out / "退回",
        "annotated_no_lxml": out / "退回-无lxml",
        "summary": out / "汇总.xlsx",
        "summary_roster": out / "汇总-名册.xlsx",
        "chase": out / "催报名单.xlsx",
    }
    return Runs(
        validate=run_command(inbox, "validate", box, "--json"),
        validate_roster=run_command(
            inbox,
            "validate",
            box,
            "--roster",
            roster,
            "--json",
            "--report",
            paths["report"],
            "--annotate",
            paths["annotated"],
        ),
        merge=run_command(inbox, "merge", box, "-o", paths["summary"], "--json"),
        merge_roster=run_command(
            inbox,
            "merge",
            box,
            "--roster",
            roster,
            "-o",
            paths["summary_roster"],
            "--json",
            "-j",
            "2",
        ),
        status=run_command(
            inbox,
            "status",
            box,
            "--roster",
            roster,
            "--json",
            "--today",
            TODAY,
            "--export",
            paths["chase"],
        ),
        no_lxml=run_command(
            inbox,
            "validate",
            box,
            "--roster",
            roster,
            "--annotate",
            paths["annotated_no_lxml"],
            "-q",
            lxml=False,
        ),
        **paths,
    )


def codes_by_file(
    data: dict[str, object], drop: tuple[str, ...] = ()
) -> dict[str, tuple[str, ...]]:
    files = data["files"]
    assert isinstance(files, list)
    return {
        f["path"]: tuple(sorted(x["code"] for x in f["findings"] if not x["code"].startswith(drop)))
        for f in files
    }


def chinese(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)


def unit_cells(path: Path, sheet: str) -> set[str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            c for row in wb[sheet].iter_rows(values_only=True) for c in row if isinstance(c, str)
        }
    finally:
        wb.close()


# -- what each command said ----------------------------------------------------------------------


def test_every_command_finishes_without_a_traceback(runs: Runs) -> None:
    for run in runs.all():
        # validate: some file has an error; merge: written, files excluded; status: 未报/有误
        assert run.exit_code == 1, (run.args, run.stderr[-3000:])
        assert "Traceback" not in run.stderr + run.stdout, run.stderr[-3000:]
        assert "panicked" not in run.stderr  # a Rust panic's message
        for line in run.stderr.splitlines():
            assert line.startswith("已写出：") or chinese(line), line


def test_validate_names_every_file_with_its_code(runs: Runs) -> None:
    data = runs.validate.data
    assert codes_by_file(data) == {
        name: tuple(c for c in codes if not c.startswith("roster."))
        for name, codes in EXPECTED.items()
    }
    files = data["files"]
    assert isinstance(files, list)
    for f in files:
        for x in f["findings"]:
            assert x["file"] == f["path"]
            assert chinese(x["message"]), x
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert summary["files"] == len(EXPECTED)
    assert summary["files_with_errors"] == sum(1 for c in EXPECTED.values() if has_error(c))


def test_validate_with_a_roster(runs: Runs) -> None:
    data = runs.validate_roster.data
    assert codes_by_file(data) == EXPECTED
    general = data["general"]
    assert isinstance(general, list)
    # 石会镇's four files are all refused (entities): 石会镇 has not reported
    assert [(g["code"], g["value"]) for g in general] == [
        ("roster.not_reported", "石会镇"),
        ("roster.not_reported", "水田乡"),
    ]
    units = {f["path"]: f["unit"] for f in data["files"]}  # type: ignore[union-attr]
    assert units == {f.name: f.unit for f in USED} | {BIG: ""}


def test_lock_files_are_skipped_without_a_word(runs: Runs) -> None:
    for run in (runs.validate, runs.validate_roster, runs.merge, runs.merge_roster):
        files = run.data["files"]
        assert isinstance(files, list)
        assert {f["path"] for f in files} == set(EXPECTED)
    assert runs.status.data["files"] == len(EXPECTED)


@pytest.mark.parametrize("which", ["merge", "merge_roster"])
def test_merge_counts_the_good_returns_and_names_the_rest(runs: Runs, which: str) -> None:
    run: Run = getattr(runs, which)
    codes = codes_by_file(run.data)
    drop = () if which == "merge_roster" else ("roster.",)
    for name, expected in EXPECTED.items():
        expected = tuple(c for c in expected if not c.startswith(drop))
        if has_error(expected):
            expected = tuple(sorted((*expected, "merge.excluded")))
        assert codes[name] == expected, name
    summary = runs.summary_roster if which == "merge_roster" else runs.summary
    names = unit_cells(summary, "分单位明细")
    assert names >= MERGED_UNITS
    assert not {"濯水镇", "白石镇", "中塘镇"} & names  # their returns have errors: 未计入
    sources = unit_cells(summary, "来源文件")
    assert set(EXPECTED) <= sources  # every file is listed, with why it does not count


def test_status_board_and_chase_list(runs: Runs) -> None:
    board = runs.status.data
    assert board["counts"] == {
        "reported": 8,
        "missing": 2,
        "errors": 3,
        "late": 0,
        "duplicate": 0,
    }
    assert [u["name"] for u in board["missing"]] == ["石会镇", "水田乡"]  # type: ignore[union-attr]
    assert [u["name"] for u in board["errors"]] == ["濯水镇", "白石镇", "中塘镇"]  # type: ignore[union-attr]
    assert board["unattributed_files"] == sorted(UNREADABLE)
    chased = unit_cells(runs.chase, "催报名单")
    assert {"石会镇", "水田乡", "濯水镇", "白石镇"} <= chased


# -- what each command wrote ---------------------------------------------------------------------

_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>([^<]*)</(?:\w+:)?f>)")


def formulas(data: bytes) -> list[bytes]:
    """The text of every formula in every worksheet of a workbook's bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [
            m.group(1) or b""
            for name in z.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
            for m in _FORMULA.finditer(z.read(name))
        ]


def test_outputs_were_written(runs: Runs) -> None:
    copies = sorted(p.name for p in runs.annotated.iterdir())
    annotated = sorted(
        n for n, c in EXPECTED.items() if any(CODES[x].severity is not Severity.INFO for x in c)
    )
    annotated = [n for n in annotated if n not in UNREADABLE]
    assert copies == sorted(f"{Path(n).stem}-校验意见.xlsx" for n in annotated)
    assert sorted(p.name for p in runs.annotated_no_lxml.iterdir()) == copies
    assert all(path.stat().st_size > 0 for path in runs.outputs())
    assert not list(runs.report.parent.rglob(".~shuangyong-*"))  # no temporary file left


def test_no_output_holds_a_formula_a_unit_did_not_write(runs: Runs, inbox: Inbox) -> None:
    for path in (runs.report, runs.summary, runs.summary_roster, runs.chase):
        assert formulas(path.read_bytes()) == [], path.name
    for copy in runs.copies():
        stem = copy.stem.removesuffix("-校验意见")
        source = inbox.folder / next(n for n in EXPECTED if Path(n).stem == stem)
        theirs = set(formulas(source.read_bytes()))
        assert set(formulas(copy.read_bytes())) <= theirs, copy
    # the text that looks like a formula stays text, in the copy sent back too
    wb = openpyxl.load_workbook(runs.annotated / "公式文本-校验意见.xlsx")
    texts = {c.value for row in wb["统计表"].iter_rows() for c in row if c.data_type == "s"}
    assert INJECTED_UNIT in texts
    assert {v.strip() for v in INJECTED_REMARKS.values()} <= {str(t).strip() for t in texts}


def _all_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist())


def test_nothing_of_etc_passwd_appears_anywhere(runs: Runs) -> None:
    for run in runs.all():
        assert PASSWD not in run.stdout + run.stderr
    for path in runs.outputs():
        assert PASSWD.encode() not in _all_bytes(path), path


def test_hostile_files_are_never_annotated_from_their_bytes(runs: Runs) -> None:
    """Files with entities in a sheet or workbook.xml are refused, so annotate never opens them.
    Entities in parts the reader does not need reach openpyxl, which never expands them: it
    refuses a shared-strings table (defusedxml), refuses billion laughs (libxml2's amplification
    limit) and leaves an external entity unresolved (lxml, resolve_entities=False); without lxml
    it refuses every DTD (defusedxml). A copy openpyxl cannot make is rebuilt from the cells as
    read, and says so."""
    names = {p.name for p in runs.annotated.iterdir()}
    for refused in ("实体-表", "实体-工作簿", "XXE-表", "XXE-工作簿"):
        assert f"{refused}-校验意见.xlsx" not in names

    def note(copy: Path) -> str:
        wb = openpyxl.load_workbook(copy)
        return "\n".join(str(c.value) for c in wb["校验意见"]["A"][:5] if c.value)

    def comments(copy: Path) -> list[str]:
        wb = openpyxl.load_workbook(copy)
        return [c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment]

    rebuilt = {"XXE-文字表", "实体-批注"}
    for name in ("XXE-文字表", "XXE-批注", "实体-批注"):
        with_lxml = runs.annotated / f"{name}-校验意见.xlsx"
        assert (REBUILT_NOTE in note(with_lxml)) is (name in rebuilt), name
        assert REBUILT_NOTE in note(runs.annotated_no_lxml / f"{name}-校验意见.xlsx")
        for text in comments(with_lxml):
            assert PASSWD not in text
            assert "lol" not in text
    # the unit's own comment (the unresolved entity) is kept, beside ours on the flagged cell
    kept = [t for t in comments(runs.annotated / "XXE-批注-校验意见.xlsx") if "【" not in t]
    assert kept == [""]


def test_memory_is_bounded(runs: Runs) -> None:
    for run in runs.all():
        assert run.max_rss_mb < MAX_RSS_MB, (run.args, run.max_rss_mb)


def test_inputs_are_untouched_by_every_command(runs: Runs) -> None:
    for run in runs.all():
        assert run.after == run.before, run.args
        assert {mode for _, _, mode in run.after.values()} == {0o444}


# -- no data loss: outputs over inputs, and writes that fail halfway -----------------------------


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"NO_COLOR": "1", "TERM": "dumb"})


def one_line_error(result: Result) -> str:
    """The one Chinese line a refused or failed command leaves on stderr."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    assert chinese(lines[0]) and "Traceback" not in result.output
    return lines[0]


def temp_files(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob(".~shuangyong-*")]


@dataclass
class Season:
    """A small folder of returns (one with an error, so it gets an annotated copy), the roster
    and an output folder beside it."""

    folder: Path
    roster: Path
    out: Path

    def inputs(self) -> Snapshot:
        return snapshot(self.folder, self.roster)


@pytest.fixture
def season(tmp_path: Path) -> Season:
    folder = tmp_path / "回收"
    folder.mkdir()
    write_return(folder / "城东街道.xlsx", "城东街道", plausible(1, "街道"))
    write_return(folder / "城南街道.xlsx", "城南街道", plausible(2, "街道"))
    wrong = plausible(3, "乡镇")
    wrong[("troops", "cash")] = "约5"
    write_return(folder / "石会镇.xlsx", "石会镇", wrong)
    roster = tmp_path / "名册.csv"
    roster.write_text(ROSTER, encoding="utf-8-sig")
    then = int(dt.datetime(2020, 8, 10, 9, 30).timestamp()) * 10**9
    for path in [*folder.iterdir(), roster]:
        os.utime(path, ns=(then, then))
        path.chmod(0o444)
    out = tmp_path / "输出"
    out.mkdir()
    return Season(folder, roster, out)


def refusals(s: Season) -> list[tuple[list[str | Path], str]]:
    """(arguments, what the refusal says) for every way of pointing an output at an input."""
    given = s.folder / "城东街道.xlsx"
    link = s.out / "链接.xlsx"
    link.symlink_to(given)
    earlier = s.out / "去年汇总.xlsx"
    return [
        (["merge", given, "-o", given, "--force"], "就是输入文件"),
        (["merge", given, "-o", link, "--force"], "就是输入文件"),
        (["merge", s.folder, "--roster", s.roster, "-o", s.roster, "--force"], "就是输入文件"),
        (["merge", s.folder, "-o", earlier, "--compare", earlier, "--force"], "就是输入文件"),
        (["validate", given, "--report", given, "--force"], "就是输入文件"),
        (
            ["status", s.folder, "--roster", s.roster, "--export", s.roster, "--force"],
            "就是输入文件",
        ),
        (["merge", s.folder, "-o", link, "--force"], "位于正在读取的文件夹"),
        (["merge", s.folder, "-o", s.folder / "汇总.xlsx"], "位于正在读取的文件夹"),
        (["merge", s.folder, "-o", s.folder / "新" / "汇总.xlsx"], "位于正在读取的文件夹"),
        (["validate", s.folder, "--report", s.folder / "校验结果.xlsx"], "位于正在读取的文件夹"),
        (["validate", s.folder, "--annotate", s.folder / "退回"], "位于正在读取的文件夹"),
        (["validate", s.folder, "--annotate", s.folder], "位于正在读取的文件夹"),
        (
            ["status", s.folder, "--roster", s.roster, "--export", s.folder / "催报.xlsx"],
            "位于正在读取的文件夹",
        ),
        # an output whose folder is a file (an input, at that)
        (["merge", s.folder, "-o", s.roster / "汇总.xlsx"], "不存在"),
    ]


def test_outputs_over_an_input_or_into_its_folder_are_refused(season: Season) -> None:
    before = season.inputs()
    cases = refusals(season)
    for args, says in cases:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert says in one_line_error(result), args
        assert season.inputs() == before, args
        assert sorted(p.name for p in season.folder.iterdir()) == [
            "城东街道.xlsx",
            "城南街道.xlsx",
            "石会镇.xlsx",
        ]
    assert sorted(p.name for p in season.out.iterdir()) == ["链接.xlsx"]


def test_a_hard_link_to_an_input_is_replaced_not_written_through(season: Season) -> None:
    given = season.folder / "城东街道.xlsx"
    link = season.out / "汇总.xlsx"
    os.link(given, link)
    before = season.inputs()
    result = invoke("merge", season.folder, "-o", link, "--force", "-q")
    assert result.exit_code == 1, result.output  # written; 石会镇's return has an error
    assert season.inputs() == before
    assert link.stat().st_ino != given.stat().st_ino
    assert "汇总表" in openpyxl.load_workbook(link).sheetnames


#: Every command that writes, each over its previous output (--force).
def writers(s: Season) -> dict[str, list[str | Path]]:
    return {
        "validate --report": ["validate", s.folder, "--report", s.out / "校验结果.xlsx"],
        "validate --annotate": ["validate", s.folder, "--annotate", s.out / "退回"],
        "merge": ["merge", s.folder, "--roster", s.roster, "-o", s.out / "汇总.xlsx"],
        "status --export": [
            "status",
            s.folder,
            "--roster",
            s.roster,
            "--today",
            TODAY,
            "--export",
            s.out / "催报名单.xlsx",
        ],
        "template": ["template", "-o", s.out / "统计表.xlsx"],
        "template --roster": ["template", "--roster", s.roster, "--out-dir", s.out / "下发"],
    }


WRITERS = list(writers(Season(Path(), Path(), Path())))
EXIT_WHEN_WRITTEN = {
    "validate --report": 1,
    "validate --annotate": 1,
    "merge": 1,
    "status --export": 1,
    "template": 0,
    "template --roster": 0,
}


def _write_once(s: Season, which: str) -> Snapshot:
    """Run ``which`` once for real; returns the output folder as written."""
    result = invoke(*writers(s)[which])
    assert result.exit_code == EXIT_WHEN_WRITTEN[which], result.output
    written = snapshot(s.out)
    assert written, which
    return written


class _FillingDisk:
    """A file whose disk fills up: its first write lands, the next one raises ``exc``."""

    def __init__(self, f: Any, exc: BaseException) -> None:
        self._f, self._exc, self._writes = f, exc, 0

    def write(self, data: bytes) -> int:
        self._writes += 1
        if self._writes > 1:
            raise self._exc
        return int(self._f.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._f, name)

    def __enter__(self) -> _FillingDisk:
        return self

    def __exit__(self, *args: object) -> None:
        self._f.close()


def _failing_write(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> list[Path]:
    """Make the write of every temporary output file stop halfway with ``exc``: files written
    whole (``Path.write_bytes``) and workbooks saved into a zip archive (``io.open``)."""
    original = Path.write_bytes
    original_open = io.open
    hit: list[Path] = []

    def write_bytes(self: Path, data: bytes) -> int:  # type: ignore[override]
        if not self.name.startswith(".~shuangyong-"):
            return original(self, data)
        hit.append(self)
        original(self, data[: len(data) // 2])
        raise exc

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        f = original_open(file, mode, *args, **kwargs)
        name = Path(os.fsdecode(file)).name if isinstance(file, str | bytes | os.PathLike) else ""
        if "w" in mode and name.startswith(".~shuangyong-"):
            hit.append(Path(os.fsdecode(file)))
            return _FillingDisk(f, exc)
        return f

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    monkeypatch.setattr(io, "open", open_)
    return hit


@pytest.mark.parametrize("which", WRITERS)
def test_a_full_disk_halfway_keeps_the_previous_output(
    season: Season, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    previous = _write_once(season, which)
    inputs = season.inputs()
    hit = _failing_write(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = invoke(*writers(season)[which], "--force")
    assert hit, "the write was reached"
    assert result.exit_code == 2, result.output
    line = one_line_error(result)
    assert line.startswith(f"错误：写入 {hit[0].parent}"), line
    assert snapshot(season.out) == previous
    assert temp_files(season.out) == []
    assert season.inputs() == inputs


@pytest.mark.parametrize("which", WRITERS)
def test_a_folder_that_cannot_be_written_keeps_the_previous_output(
    season: Season, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    """The temporary file cannot be created (a read-only folder, as root never sees one)."""
    previous = _write_once(season, which)
    inputs = season.inputs()

    def mkstemp(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    result = invoke(*writers(season)[which], "--force")
    assert result.exit_code == 2, result.output
    assert one_line_error(result).startswith(f"错误：无法在 {season.out}")
    assert snapshot(season.out) == previous
    assert season.inputs() == inputs


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into read-only folders"
)
@pytest.mark.parametrize("which", WRITERS)
def test_a_read_only_output_folder_keeps_the_previous_output(season: Season, which: str) -> None:
    previous = _write_once(season, which)
    folders = [season.out, *(p for p in season.out.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        result = invoke(*writers(season)[which], "--force")
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert result.exit_code == 2, result.output
    assert "中写入文件" in one_line_error(result)
    assert snapshot(season.out) == previous


@pytest.mark.parametrize("which", WRITERS)
def test_a_failed_move_into_place_keeps_the_previous_output(
    season: Season, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    previous = _write_once(season, which)

    def replace(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "replace", replace)
    result = invoke(*writers(season)[which], "--force")
    assert result.exit_code == 2, result.output
    assert one_line_error(result).startswith(f"错误：写入 {season.out}")
    assert snapshot(season.out) == previous
    assert temp_files(season.out) == []


@pytest.mark.parametrize(
    "exc", [KeyboardInterrupt(), MemoryError(), RuntimeError("boom")], ids=type
)
@pytest.mark.parametrize("which", WRITERS)
def test_an_interruption_halfway_keeps_the_previous_output(
    season: Season, monkeypatch: pytest.MonkeyPatch, which: str, exc: BaseException
) -> None:
    """Ctrl-C, memory running out, or a bug, while the temporary file is half written: the
    previous output stays, the temporary file goes, and the clerk reads one Chinese line."""
    previous = _write_once(season, which)
    inputs = season.inputs()
    hit = _failing_write(monkeypatch, exc)
    result = invoke(*writers(season)[which], "--force")
    assert hit, "the write was reached"
    if isinstance(exc, KeyboardInterrupt):
        assert result.exit_code == 130
        assert one_line_error(result) == "错误：已中断；正在写出的文件没有写出，原有文件不受影响。"
    else:
        assert result.exit_code == 4
        assert one_line_error(result).startswith("错误：程序内部出错（")
    assert snapshot(season.out) == previous
    assert temp_files(season.out) == []
    assert season.inputs() == inputs


@pytest.mark.parametrize("which", WRITERS)
def test_inputs_are_untouched_by_every_writer(season: Season, which: str) -> None:
    """Read-only inputs are read; their bytes, modification times and modes stay."""
    before = season.inputs()
    _write_once(season, which)
    assert season.inputs() == before
    assert {mode for _, _, mode in before.values()} == {0o444}


def test_running_out_of_memory_on_one_file_skips_that_file(
    season: Season, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bounded as every read is, a machine short of memory may still fail on one file (the lying
    zip bomb is inflated to 84 MB before it is refused): that file is named, the rest checked."""
    from shuangyong_cli.season import inbox as validate

    real = validate.read_grid

    def read_grid(path: Path, *args: object) -> object:
        if path.name == "城南街道.xlsx":
            raise MemoryError
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "read_grid", read_grid)
    result = invoke("validate", season.folder, "--json")
    assert result.exit_code == 1, result.output
    codes = codes_by_file(json.loads(result.stdout))
    assert codes == {
        "城东街道.xlsx": (),
        "城南街道.xlsx": ("file.too_large",),
        "石会镇.xlsx": ("value.guess",),
    }
    message = json.loads(result.stdout)["files"][1]["findings"][0]["message"]
    assert message == (
        "读取此文件时内存不足（文件内容异常庞大），已跳过；请检查是否发错了文件，"
        "或请对方删除与统计表无关的工作表、图片后重新报送。"
    )
