"""Learning a form definition from a clerk's own blank (``form new``), checking one against a
blank (``form check``), laying one out (``form show``) and filling the blank with totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from shuangyong_cli import lazy_exports

if TYPE_CHECKING:
    from shuangyong_cli.learn.learner import Learned, label_fingerprint, learn
    from shuangyong_cli.learn.own_template import own_copies, own_summary_blank, own_summary_form

#: name → the module that defines it, imported on first use (``lazy_exports``).
_EXPORTS = {
    "Learned": "shuangyong_cli.learn.learner",
    "label_fingerprint": "shuangyong_cli.learn.learner",
    "learn": "shuangyong_cli.learn.learner",
    "own_copies": "shuangyong_cli.learn.own_template",
    "own_summary_blank": "shuangyong_cli.learn.own_template",
    "own_summary_form": "shuangyong_cli.learn.own_template",
}

__all__ = [
    "Learned",
    "label_fingerprint",
    "learn",
    "own_copies",
    "own_summary_blank",
    "own_summary_form",
]


__getattr__ = lazy_exports(__name__, _EXPORTS)
