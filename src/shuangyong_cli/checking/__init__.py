"""A Grid against a form: locate the form by its labels, read each value as a clerk means it,
apply the form's rules. Gives findings and a ``ReturnData``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuangyong_cli import lazy_exports

if TYPE_CHECKING:
    from shuangyong_cli.checking.dates import parse_date
    from shuangyong_cli.checking.display import plain
    from shuangyong_cli.checking.labels import label_key, norm
    from shuangyong_cli.checking.rules import check_return
    from shuangyong_cli.checking.values import parse_number

#: name → the module that defines it, imported on first use (``lazy_exports``).
_EXPORTS = {
    "check_return": "shuangyong_cli.checking.rules",
    "label_key": "shuangyong_cli.checking.labels",
    "norm": "shuangyong_cli.checking.labels",
    "parse_date": "shuangyong_cli.checking.dates",
    "parse_number": "shuangyong_cli.checking.values",
    "plain": "shuangyong_cli.checking.display",
}

__all__ = [
    "check_return",
    "label_key",
    "norm",
    "parse_date",
    "parse_number",
    "plain",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
