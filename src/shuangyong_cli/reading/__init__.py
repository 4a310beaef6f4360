"""Bytes to a Grid: sniff a file's format, bound every read, read .xlsx (``ooxml``) and .xls
(``xls``). One entry point, ``read_grid(path, limits)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuangyong_cli import lazy_exports

if TYPE_CHECKING:
    from shuangyong_cli.reading.limits import ReadLimits
    from shuangyong_cli.reading.returned_file import read_grid

#: name → the module that defines it, imported on first use (``lazy_exports``).
_EXPORTS = {
    "ReadLimits": "shuangyong_cli.reading.limits",
    "read_grid": "shuangyong_cli.reading.returned_file",
}

__all__ = [
    "ReadLimits",
    "read_grid",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
