"""The same returns, written by every producer (``producers.PRODUCERS``), read as calamine reads
them, every sheet through the fast path, and with the same values whichever wrote them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from calamine_check import assert_same_as_calamine
from hostile.builders import form_workbook
from producers import PRODUCERS, convert, soffice
from shuangyong_cli.model.grid import FormulaNoValue
from shuangyong_cli.reading.limits import DEFAULT_LIMITS
from shuangyong_cli.reading.ooxml.sheet_regex import fast_scan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "回收"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("sources")
    paths = []
    for i, unit in enumerate(["黔江区民政局", "城东街道", "石会镇"]):
        path = folder / f"{i}.xlsx"
        form_workbook(unit, seed=i).save(path)
        paths.append(path)
    examples = [p for p in sorted(EXAMPLES.glob("*.xlsx")) if zipfile.is_zipfile(p)]
    return paths + examples[:3]


def _params() -> list[object]:
    needs = pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
    return [
        pytest.param(p, marks=[pytest.mark.soffice, needs]) if p == "libreoffice" else p
        for p in PRODUCERS
    ]


@pytest.mark.parametrize("producer", _params())
def test_every_producer_reads_as_calamine_reads_it_on_the_fast_path(
    producer: str, sources: list[Path], tmp_path: Path
) -> None:
    made = convert(producer, sources, tmp_path / producer)
    assert len(made) == len(sources)
    for path in made:
        assert_same_as_calamine(path)
        book = openpyxl.load_workbook(path, read_only=True)  # the naive loop's reader too
        assert [list(ws.values) for ws in book.worksheets]
        book.close()
        with zipfile.ZipFile(path) as zf:
            sheets = [n for n in zf.namelist() if "/worksheets/" in n and n.endswith(".xml")]
            for name in sheets:
                assert fast_scan(zf.read(name), name, DEFAULT_LIMITS) is not None, (producer, name)


@pytest.mark.parametrize("producer", _params())
def test_every_producer_gives_the_values_openpyxl_wrote(
    producer: str, sources: list[Path], tmp_path: Path
) -> None:
    """The same cells, but formulas: openpyxl saves them without results, the others with."""
    from shuangyong_cli.reading.returned_file import read_grid

    made = convert(producer, sources, tmp_path / producer)
    for source, path in zip(sources, made, strict=True):
        theirs = read_grid(path)
        for sheet in read_grid(source).sheets:
            other = theirs.sheet(sheet.name)
            assert other is not None
            plain = {k: v for k, v in sheet.cells.items() if not isinstance(v, FormulaNoValue)}
            assert {k: other.cells.get(k) for k in plain} == plain, (producer, sheet.name)
            assert set(other.cells) <= set(sheet.cells)
            if producer != "inline":  # constant-memory XlsxWriter cannot merge
                assert sorted(other.merged) == sorted(sheet.merged)


@pytest.mark.parametrize(
    "sst",
    [
        b'<sst xmlns="m" count="3"><si><t>a</t></si><si><r><rPr><b/><sz val="11"/></rPr>'
        b'<t>b</t></r><r><t xml:space="preserve"> c</t></r></si><si><t>\xe4\xb8\xad</t>'
        b'<rPh sb="0" eb="1"><t>zhong</t></rPh><phoneticPr fontId="1"/></si><si/><si><t/></si>'
        b"<si><t>&amp;&#20013;_x000D_\r\n</t></si><si><t xml:space='preserve'/></si></sst>",
        b'<x:sst xmlns:x="m"><x:si><x:t>p</x:t></x:si>\n  <x:si><x:t>q</x:t></x:si></x:sst>',
        b"<sst/>",
    ],
)
def test_shared_strings_read_by_regular_expressions_as_expat_reads_them(sst: bytes) -> None:
    from shuangyong_cli.reading.ooxml.parts import _expat_shared_strings, _plain_shared_strings

    plain = _plain_shared_strings(sst)
    assert plain is not None
    assert plain == _expat_shared_strings(sst)


@pytest.mark.parametrize(
    "sst",
    [
        b"<sst><si><t>a</t>x</si></sst>",  # text outside <t>
        b"<sst><si><t>a</t><foo/></si></sst>",  # an unknown element
        b"<sst><si><t><![CDATA[a]]></t></si></sst>",
        b"<sst><si><t>a</t></si><!-- c --></sst>",
    ],
)
def test_other_shared_strings_go_to_expat(sst: bytes) -> None:
    from shuangyong_cli.reading.ooxml.parts import _plain_shared_strings

    assert _plain_shared_strings(sst) is None
