"""The sheet scan's shortcut for a plain number cell reads every token as the general reading
does, or leaves it to that reading."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuangyong_cli.reading.ooxml.sheet_regex import (
    _read_token,
    _simple_number,
    _token_patterns,
)

STRICT, _LOOSE = _token_patterns(b"")


def general(token: bytes) -> object:
    return _read_token(token, STRICT)


@pytest.mark.parametrize(
    "token",
    [
        b'<c r="D8" s="4"><v>1</v></c>',
        b'<c r="E8" s="3"><v>0.09</v></c>',
        b'<c r="E8"><v>0.09</v></c>',
        b'<c r="E8"><v>12</v></c>',
        b'<c r="E8"><v>-3.5E-2</v></c>',
        b'<c r="E8" t="n"><v>12</v></c>',
        b'<c r="E8" s="2" t="n"><v>12</v></c>',
        b'<c r="B3" s="7" t="s"><v>14</v></c>',
        b'<c r="B3" t="s"><v>0</v></c>',
        b'<c r="G8" s="3"><f>E8+F8</f><v>0.12</v></c>',
        b'<c r="D7" s="4"><f>SUM(D8:D14)</f><v>129.0</v></c>',
        b'<c r="XFD1048576"><v>1</v></c>',
    ],
)
def test_the_plain_shapes_take_the_shortcut(token: bytes) -> None:
    got = _simple_number(token)
    assert got is not None
    assert got == general(token)


@pytest.mark.parametrize(
    "token",
    [
        b'<c r="XFE1"><v>1</v></c>',  # past the last column: the general reading refuses it
        b'<c r="A1048577"><v>1</v></c>',  # past the last row
        b'<c r="a1"><v>1</v></c>',
        b'<c r="$A$1"><v>1</v></c>',
        b'<c s="3" r="A1"><v>1</v></c>',
        b"<c r='A1'><v>1</v></c>",
        b'<c r="A1" t="e"><v>#N/A</v></c>',
        b'<c r="A1" t="str"><f>A2</f><v>12</v></c>',
        b'<c r="A1"><f t="shared" si="0">A2</f><v>1</v></c>',
        b'<c r="A1"><f>A2&amp;B2</f><v>1</v></c>',
        b'<c r="A1"><v> 1</v></c>',
        b'<c r="A1"><v></v></c>',
        b'<c r="A1"><v>1</v></c >',
        b'<x:c r="A1"><x:v>1</x:v></x:c>',
    ],
)
def test_other_shapes_are_left_to_the_general_reading(token: bytes) -> None:
    assert _simple_number(token) is None


_ADDRESS = st.tuples(
    st.sampled_from(["A", "D", "Z", "AA", "XFD", "XFE", "ZZZ", "a", "$A"]),
    st.sampled_from(["1", "7", "20", "1048576", "1048577", "9999999", "0", "$3"]),
).map("".join)
_VALUE = st.sampled_from(
    [
        "1",
        "0",
        "12",
        "0.09",
        "129.0",
        "1.2400000000000002",
        "-3",
        "1E+3",
        "1e5",
        "-",
        "1-2",
        ".5",
        "",
        " ",
        "abc",
        "1&amp;2",
        "99999999999999999999",
    ]
)


@st.composite
def _cells(draw: st.DrawFn) -> bytes:
    r = draw(_ADDRESS)
    attrs = f' r="{r}"'
    if draw(st.booleans()):
        attrs += f' s="{draw(st.sampled_from(["0", "3", "12", "x", ""]))}"'
    if draw(st.booleans()):
        attrs += f' t="{draw(st.sampled_from(["n", "s", "str", "b", "e", "d", "inlineStr"]))}"'
    inner = ""
    if draw(st.booleans()):
        inner += f"<f>{draw(st.sampled_from(['E8+F8', 'SUM(D8:D14)', '', 'A1&lt;2']))}</f>"
    inner += f"<v>{draw(_VALUE)}</v>"
    return f"<c{attrs}>{inner}</c>".encode()


@settings(max_examples=600, deadline=None)
@given(_cells())
def test_the_shortcut_reads_as_the_general_reading(token: bytes) -> None:
    got = _simple_number(token)
    if got is not None:
        assert got == general(token)
