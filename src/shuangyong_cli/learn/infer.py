"""Reading a form definition off a blank: title, fields, column header, row stub, units, cell
kinds, sum rules and 其中 rules. Each step records what it decided and why as an ``Inference``.

The order matters and is the order of the functions below: the column header first (it anchors
everything), then the fields above and below it, the body rows, the cells' kinds, the rules from
formulas, then the rules the labels imply (合计/小计 columns and rows) where no formula says so.
"""

from __future__ import annotations

from shuangyong_cli.learn.blank import Blank
from shuangyong_cli.learn.body import BodySteps
from shuangyong_cli.learn.context import Context
from shuangyong_cli.learn.fields import FieldSteps
from shuangyong_cli.learn.header import HeaderSteps
from shuangyong_cli.learn.model import Draft
from shuangyong_cli.learn.rules import RuleSteps, parse_sum
from shuangyong_cli.learn.words import CONFIRM, LIKELY, SURE, compact, text_of

__all__ = ["Context", "Learner", "compact", "parse_sum", "text_of"]


class Learner(HeaderSteps, BodySteps, FieldSteps, RuleSteps):
    """One run of learning over one blank."""

    def __init__(self, blank: Blank, form_id: str = "learned") -> None:
        super().__init__(blank, form_id)

    def run(self) -> Draft:
        for message in self.blank.notes:
            self.note("读取方式", self.blank.path.name, LIKELY, message)
        if len(self.blank.sheet_names) > 1:
            self.note(
                "工作表",
                self.sheet.name,
                CONFIRM,
                f"有 {len(self.blank.sheet_names)} 个有内容的工作表"
                f"（{'、'.join(self.blank.sheet_names)}），取内容最多的一个",
                key="sheet",
            )
        else:
            self.note("工作表", self.sheet.name, SURE, "唯一有内容的可见工作表", key="sheet")
        top, bottom = self.find_header()
        self.draft.header_rows = (top, bottom)
        self.find_unit_note()
        self.read_columns(top, bottom)
        body_end = self.read_rows(bottom + 1)
        self.read_title(top)
        self.read_fields(1, top - 1, footer=False)
        self.read_notes_and_footer(body_end + 1)
        self.decide_kinds_from_rows()
        self.read_cells()
        self.rules_from_formulas()
        self.rules_from_total_columns()
        self.rules_from_total_rows()
        self.read_subsets()
        self.settle_row_rules()
        self.set_limits()
        return self.draft
