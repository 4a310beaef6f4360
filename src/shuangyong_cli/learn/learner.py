"""Learning a form definition from a blank: ``learn(path)`` reads a blank (.xlsx or .xls), infers
the form and returns a ``Learned``: the inferences (what, where, how sure, why), the draft, the
TOML text in the layout of ``templates/bayi-2020.toml`` and the ``FormSpec`` that text loads as.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from shuangyong_cli.learn.blank import Blank, read_blank
from shuangyong_cli.learn.emit import emit_toml
from shuangyong_cli.learn.infer import Learner
from shuangyong_cli.learn.model import Draft, Inference
from shuangyong_cli.model.form import FormSpec
from shuangyong_cli.model.form_file import parse_form

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass
class Learned:
    blank: Blank
    draft: Draft
    inferences: list[Inference]
    toml: str
    spec: FormSpec

    @property
    def uncertain(self) -> list[Inference]:
        return [i for i in self.inferences if i.uncertain]


def label_fingerprint(spec: FormSpec) -> str:
    """A short hash of the form's labels only (title, fields, column header, row stub): what
    identifies a form to a clerk, whatever ids and kinds a definition gives it."""
    labels = {
        "title": "".join(spec.title.split()),
        "fields": sorted(f.label for f in spec.fields),
        "columns": [(c.group or "", c.label) for c in spec.columns],
        "rows": [(r.seq, r.label, r.measure) for r in spec.rows],
    }
    blob = json.dumps(labels, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def render(draft: Draft, inferences: list[Inference], blank_name: str = "") -> tuple[str, FormSpec]:
    """The TOML text of a draft (with its label fingerprint) and the FormSpec it loads as."""
    text = emit_toml(draft, inferences, blank_name=blank_name)
    spec = parse_form(tomllib.loads(text), f"{draft.id}.toml")
    text = emit_toml(draft, inferences, blank_name=blank_name, fingerprint=label_fingerprint(spec))
    return text, parse_form(tomllib.loads(text), f"{draft.id}.toml")


def learn_blank(blank: Blank, form_id: str = "learned") -> Learned:
    learner = Learner(blank, form_id)
    draft = learner.run()
    text, spec = render(draft, learner.inferences, blank.path.name)
    return Learned(blank, draft, learner.inferences, text, spec)


def learn(path: Path, form_id: str = "learned", sheet: str | None = None) -> Learned:
    """Read the blank at ``path`` and learn its form."""
    return learn_blank(read_blank(path, sheet), form_id)
