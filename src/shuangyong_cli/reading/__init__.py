"""Bytes to a Grid: sniff a file's format, bound every read, read .xlsx (``ooxml``) and .xls
(``xls``). One entry point, ``read_grid(path, limits)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuangyong_cli.reading.limits import ReadLimits
    from shuangyong_cli.reading.returned_file import read_grid

#: name → the module that defines it; imported on first use (PEP 562), so importing
#: the package costs nothing and one name does not pull in the package's other modules.
_EXPORTS = {
    "ReadLimits": "shuangyong_cli.reading.limits",
    "read_grid": "shuangyong_cli.reading.returned_file",
}

__all__ = [
    "ReadLimits",
    "read_grid",
]


def __getattr__(name: str) -> object:
    from importlib import import_module

    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
