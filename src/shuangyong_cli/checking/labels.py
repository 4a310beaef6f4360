"""How a cell's text is matched against the form's labels. Units type ``填报单位:`` with a
half-width colon, ``慰问金（万元）`` over a column, ``一、走访慰问驻黔部队``: every text is
normalised (``norm``: NFKC, no whitespace at all, one kind of quotes and brackets), and a label is
matched by its ``label_key`` (also without a trailing ``（…）`` or colon), or with a leading
enumerator removed (``enumerator_stripped``). Each text is worked out once per process."""

from __future__ import annotations

import re
import unicodedata

from shuangyong_cli.model import CellError, CellValue, FormulaNoValue

_FOLD = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "〝": '"',
        "〞": '"',
        "‘": "'",
        "’": "'",
        "【": "[",
        "】": "]",
        "〔": "(",
        "〕": ")",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_TRAILING = re.compile(r"(?:\([^()]*\)|:)+$")
_ENUMERATOR = re.compile(r"^(?:其中:?|\(?[一二三四五六七八九十\d]+\)?[、.,:)]?)")
_norm_cache: dict[str, str] = {}
_key_cache: dict[str, str] = {}
CACHE_LIMIT = 50_000


def norm(text: str) -> str:
    """NFKC (full-width → half-width), one kind of quotes and brackets, no whitespace at all."""
    got = _norm_cache.get(text)
    if got is None:
        if len(_norm_cache) > CACHE_LIMIT:
            _norm_cache.clear()
        t = unicodedata.normalize("NFKC", text).translate(_FOLD)
        got = _norm_cache[text] = "".join(t.split())
    return got


def label_key(text: str) -> str:
    """The text a label is matched by: ``norm`` without a trailing ``（万元）`` or colon, and
    without a leading ``*``. ``慰问金（万元）``, ``慰 问 金`` and ``慰问金:`` all give
    ``慰问金``."""
    got = _key_cache.get(text)
    if got is None:
        if len(_key_cache) > CACHE_LIMIT:
            _key_cache.clear()
        got = _key_cache[text] = _TRAILING.sub("", norm(text)).lstrip("*")
    return got


def enumerator_stripped(key: str) -> str:
    """``一、走访慰问驻黔部队`` → ``走访慰问驻黔部队``; ``其中:抗战老战士`` → ``抗战老战士``."""
    for _ in range(2):
        stripped = _ENUMERATOR.sub("", key, count=1)
        if stripped == key:
            break
        key = stripped
    return key


def cell_key(value: CellValue) -> str | None:
    if isinstance(value, (CellError, FormulaNoValue)):
        return None
    if isinstance(value, str):
        return label_key(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None
