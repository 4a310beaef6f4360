"""Fuzzing the whole pipeline with mutated real returns (hypothesis, a fixed budget).

A valid return's bytes are damaged the ways mail, disks and people damage files: bytes flipped,
the file cut short, zip entries dropped, swapped or duplicated, the sheet XML edited and zipped
again. Whatever comes out, ``check_file`` answers with a ``FileResult`` (never an exception)
that holds either findings or the typed return, and the commands finish with a report and a
documented exit code. The budget is small and the examples derandomized, so CI stays fast and
stable; ``tests/hostile/test_fuzz.py`` sends more mutants through the reader alone.
"""

from __future__ import annotations

import functools
import io
import json
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hostile.builders import deflated, entries_of, put_cell_xml, raw_zip, rezip
from returnfiles import SPEC, plausible, write_return
from shuangyong_cli.cli.app import cli
from shuangyong_cli.model.findings import CODES, FileResult, Severity
from shuangyong_cli.reading.returned_file import ReadLimits
from shuangyong_cli.season.inbox import InputFile, check_file

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SHEET = "xl/worksheets/sheet1.xml"

#: Fragments a damaged or hand-edited sheet may hold.
TOKENS = [
    '<c r="XFD1048576"><v>1</v></c>',
    '<c r="D6"><f>1+2</f></c>',
    '<c r="E6" t="e"><v>#DIV/0!</v></c>',
    '<c r="H6" t="inlineStr"><is><t>=cmd|" /C calc"!A0</t></is></c>',
    '<c r="C3" t="s"><v>99</v></c>',
    '<row r="1048577">',
    "<row>",
    "</c>",
    "&#0;",
    "&#x1F;",
    "<!-- x -->",
    ' t="e"',
    ' r="A0"',
    "_x0007_",
    "<![CDATA[",
]


@functools.cache
def valid_return() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return write_return(Path(tmp) / "r.xlsx", "城东街道", plausible(1, "街道")).read_bytes()


@functools.cache
def entries() -> tuple[str, ...]:
    return tuple(zipfile.ZipFile(io.BytesIO(valid_return())).namelist())


@st.composite
def flipped(draw: st.DrawFn) -> bytes:
    data = bytearray(valid_return())
    for at, value in draw(
        st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), min_size=1)
    ):
        data[at] = value
    return bytes(data)


@st.composite
def truncated(draw: st.DrawFn) -> bytes:
    data = valid_return()
    return data[: draw(st.integers(0, len(data) - 1))]


@st.composite
def spliced(draw: st.DrawFn) -> bytes:
    """Entries dropped, replaced by another entry's content, or added twice over."""
    data = valid_return()
    source = zipfile.ZipFile(io.BytesIO(data))
    names = entries()
    target = draw(st.sampled_from(names))
    how = draw(st.sampled_from(["drop", "swap", "add"]))
    if how == "drop":
        return rezip(data, {target: None})
    other = source.read(draw(st.sampled_from(names)))
    if how == "swap":
        return rezip(data, {target: other})
    name = draw(st.sampled_from([*names, "xl/worksheets/sheet9.xml"]))
    return raw_zip([*entries_of(data), deflated(other, name)])  # a second entry of that name


@st.composite
def edited_sheet(draw: st.DrawFn) -> bytes:
    """The sheet XML as text: a slice replaced by a token or by any text, then zipped again."""
    data = valid_return()
    xml = zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()
    start = draw(st.integers(0, len(xml)))
    end = draw(st.integers(start, min(len(xml), start + 40)))
    new = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=20)))
    edited = xml[:start] + new + xml[end:]
    if draw(st.booleans()):  # a cell's row number pushed far away
        edited = re.sub(r'r="([A-H])6"', r'r="\g<1>1048576"', edited, count=1)
    return rezip(data, {SHEET: edited.encode("utf-8", errors="surrogatepass")})


@st.composite
def edited_cell(draw: st.DrawFn) -> bytes:
    """One body cell replaced by a token cell (through the builders' helper)."""
    ref = draw(st.sampled_from(["D6", "E6", "F8", "G6", "H6", "C3", "G3"]))
    text = draw(st.one_of(st.sampled_from(["约5", "１２", "5000元", "-1", "1e308"]), st.text()))
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    cell = f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'
    return put_cell_xml(valid_return(), ref, cell)


MUTANTS = st.one_of(flipped(), truncated(), spliced(), edited_sheet(), edited_cell())


def chinese(text: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("CJK UNIFIED") for ch in text)


def assert_answered(result: FileResult) -> None:
    assert isinstance(result, FileResult)
    assert result.findings or result.data is not None
    if result.data is None:
        assert any(f.severity is Severity.ERROR for f in result.findings)
    for f in result.findings:
        assert f.code in CODES
        assert chinese(f.message), f


@FUZZ
@given(data=MUTANTS)
def test_check_file_always_answers(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "变异.xlsx"
        path.write_bytes(data)
        result = check_file(InputFile(path, path.name), SPEC, ReadLimits())
    assert_answered(result)
    assert result.path == "变异.xlsx"
    event(" ".join(sorted({f.code for f in result.findings})) or "clean")


@settings(FUZZ, max_examples=6)
@given(batch=st.lists(MUTANTS, min_size=3, max_size=3))
def test_commands_always_report(batch: list[bytes]) -> None:
    """validate (with --report and --annotate) and merge over a folder of mutants and one valid
    return: a JSON report naming every file, an exit code from the contract, outputs without a
    formula in them and no temporary file left."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "回收"
        folder.mkdir()
        names = [f"变异{i}.xlsx" for i in range(len(batch))]
        for name, data in zip(names, batch, strict=True):
            (folder / name).write_bytes(data)
        (folder / "城东街道.xlsx").write_bytes(valid_return())
        runner = CliRunner()
        env = {"NO_COLOR": "1", "TERM": "dumb"}
        report, copies = Path(tmp) / "校验结果.xlsx", Path(tmp) / "退回"
        checked = runner.invoke(
            cli,
            ["validate", str(folder), "--json", "--report", str(report), "--annotate", str(copies)],
            env=env,
        )
        assert checked.exit_code in (0, 1), checked.output
        found = json.loads(checked.stdout)
        assert {f["path"] for f in found["files"]} == {*names, "城东街道.xlsx"}
        out = Path(tmp) / "汇总.xlsx"
        merged = runner.invoke(cli, ["merge", str(folder), "-o", str(out), "--json"], env=env)
        assert merged.exit_code in (0, 1), merged.output  # the valid return is always there
        assert "城东街道" in {f["unit"] for f in json.loads(merged.stdout)["files"]}
        for written in (report, out):
            with zipfile.ZipFile(written) as z:
                for name in z.namelist():
                    if name.startswith("xl/worksheets/"):
                        assert b"<f>" not in z.read(name), name
        assert not list(Path(tmp).rglob(".~shuangyong-*"))
