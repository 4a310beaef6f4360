"""Applying the clerk's answers to 待确认 inferences (``form new --interactive``), without asking:
the command asks, this module changes the draft and re-renders it."""

from __future__ import annotations

import copy
from dataclasses import replace

from shuangyong_cli.learn.learner import Learned, render
from shuangyong_cli.learn.model import Confidence, Draft, Inference
from shuangyong_cli.model.errors import FormDefinitionError

#: The answers ``apply_answer`` takes for each kind of choice.
KEEP, DROP = "keep", "drop"


def apply_answer(draft: Draft, inference: Inference, answer: str) -> None:
    """Change ``draft`` as ``answer`` says (one of ``inference.choices``, or the new text for the
    title; "" keeps the inference as it is)."""
    kind, _, rest = inference.key.partition(":")
    if not answer:
        return
    if kind == "title":
        draft.title = answer
    elif kind == "column" and answer in ("count", "money", "text"):
        column = next(c for c in draft.columns if c.id == rest or str(c.col) == rest)
        column.kind = answer
    elif kind == "cell" and answer in ("in", "na"):
        row_id, _, column_id = rest.partition(":")
        draft.row(row_id).cells[column_id] = answer
    elif kind == "rule" and answer == DROP:
        rule = next(r for r in draft.rules if r.id == rest)
        draft.rules.remove(rule)
        if rule.target_row is not None:
            for column_id in rule.columns:
                draft.row(rule.target_row).cells[column_id] = "in"
        else:
            assert rule.target_column is not None
            for row in draft.rows:
                if row.cells.get(rule.target_column) == "calc" and not any(
                    r.target_row == row.id and rule.target_column in r.columns for r in draft.rules
                ):
                    row.cells[rule.target_column] = "in"
    elif kind == "subset" and answer == DROP:
        draft.subsets = [s for s in draft.subsets if s.id != rest]


def answered(learned: Learned, answers: dict[int, str]) -> Learned:
    """``learned`` with the answers (by index into ``learned.inferences``) applied: the draft
    changed, each answered inference marked 确定 (so it is no longer a comment to confirm), and
    the TOML rendered again. Raises ``FormDefinitionError`` when the answers leave a definition
    that does not load (say, a cell made not applicable that a sum adds)."""
    draft = copy.deepcopy(learned.draft)
    inferences = list(learned.inferences)
    for index, answer in answers.items():
        inference = inferences[index]
        apply_answer(draft, inference, answer)
        note = "经核对确认" if answer in ("", KEEP) else f"经核对改为“{answer}”"
        inferences[index] = replace(
            inference, confidence=Confidence.SURE, why=f"{inference.why}；{note}"
        )
    try:
        text, spec = render(draft, inferences, learned.blank.path.name)
    except FormDefinitionError as e:
        raise FormDefinitionError(f"按所作的回答，表式定义不再成立：{e}") from None
    return Learned(learned.blank, draft, inferences, text, spec)
