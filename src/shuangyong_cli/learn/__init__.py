"""Learning a form definition from a clerk's own blank (``form new``), checking one against a
blank (``form check``), laying one out (``form show``) and filling the blank with totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shuangyong_cli.learn.learner import Learned, label_fingerprint, learn
    from shuangyong_cli.learn.own_template import check_own_blank, own_copies, own_summary_form

#: name → the module that defines it; imported on first use (PEP 562), so importing
#: the package costs nothing and one name does not pull in the package's other modules.
_EXPORTS = {
    "Learned": "shuangyong_cli.learn.learner",
    "check_own_blank": "shuangyong_cli.learn.own_template",
    "label_fingerprint": "shuangyong_cli.learn.learner",
    "learn": "shuangyong_cli.learn.learner",
    "own_copies": "shuangyong_cli.learn.own_template",
    "own_summary_form": "shuangyong_cli.learn.own_template",
}

__all__ = [
    "Learned",
    "check_own_blank",
    "label_fingerprint",
    "learn",
    "own_copies",
    "own_summary_form",
]


def __getattr__(name: str) -> object:
    from importlib import import_module

    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
