"""The words a blank is read by: stub and field labels, units, the texts of not-applicable cells,
and the patterns that find them."""

from __future__ import annotations

import re

from shuangyong_cli.learn.model import Confidence
from shuangyong_cli.model.grid import CellValue

SURE, LIKELY, CONFIRM = Confidence.SURE, Confidence.LIKELY, Confidence.CONFIRM

SEQ_LABELS = ("序号", "编号", "序")
ITEM_LABELS = (
    "项目",
    "指标",
    "指标名称",
    "项目名称",
    "慰问对象",
    "对象",
    "类别",
    "名称",
    "内容",
    "单位名称",
)
MEASURE_LABELS = ("计量单位", "单位")
STUB_LABELS = SEQ_LABELS + ITEM_LABELS + MEASURE_LABELS

MONEY_UNITS = ("元", "千元", "万元")
COUNT_UNITS = (
    "人",
    "人次",
    "个",
    "户",
    "次",
    "件",
    "名",
    "家",
    "场",
    "场次",
    "份",
    "块",
    "处",
    "所",
    "辆",
    "套",
    "项",
    "期",
    "批",
)
#: A bound per money unit for one unit's return: the built-in 100 万元, in each unit.
PLAUSIBLE_MAX = {"元": "1000000", "千元": "1000", "万元": "100"}

TEXT_WORDS = ("备注", "说明", "情况", "名称", "地址", "联系人", "电话", "姓名", "内容", "事迹")
MONEY_WORDS = ("金额", "资金", "经费", "慰问金", "折款", "款", "费", "价值", "投入", "金")
COUNT_WORDS = ("人数", "户数", "个数", "次数", "件数", "数量", "人次", "男", "女", "场次")
TOTAL_WORDS = ("合计", "总计", "小计")

NA_TEXTS = frozenset(
    {"—", "——", "－", "-", "--", "/", "／", "\\", "×", "不填", "无需填写", "不适用"}
)

#: Field labels, longest first so 填报日期 wins over 日期. id, kind, required.
FIELD_LABELS: dict[str, tuple[str, str, bool]] = {
    "填报单位": ("unit", "text", True),
    "报送单位": ("unit", "text", True),
    "填报日期": ("date", "date", False),
    "报送日期": ("date", "date", False),
    "填表日期": ("date", "date", False),
    "单位负责人": ("head", "text", False),
    "日期": ("date", "date", False),
    "填表人": ("filler", "text", False),
    "填报人": ("filler", "text", False),
    "统计人": ("filler", "text", False),
    "审核人": ("reviewer", "text", False),
    "负责人": ("head", "text", False),
    "联系电话": ("phone", "text", False),
}
FIELD_RE = re.compile("|".join(sorted(FIELD_LABELS, key=len, reverse=True)))
#: A line of fields, not a body row: it starts with a field label and a colon (or is one).
FIELD_LINE = re.compile(r"^\s*(?:" + FIELD_RE.pattern + r")\s*(?:[：:]|$)")
PLACEHOLDER = re.compile(r"^[\s_＿\u3000年月日.．\-—]*$")
UNIT_NOTE = re.compile(r"(?:金额)?单位[：:]\s*(千元|万元|元)")
HEADER_UNIT = re.compile(r"[（(]([^（）()]+)[）)]")
NOTES_START = re.compile(r"^(说明|注|填表说明|备注)\s*[：:]")
CN_NUM = re.compile(r"^[一二三四五六七八九十百]+[、.．]?$")
ARABIC = re.compile(r"^\d+[、.．]?$")
PAREN_NUM = re.compile(r"^[（(]\s*[一二三四五六七八九十\d]+\s*[）)]$")
COLUMN_IDS = {
    "序号": "seq",
    "编号": "seq",
    "计量单位": "measure",
    "备注": "remark",
    "男": "male",
    "女": "female",
    "合计": "sum",
    "小计": "subtotal",
    "总计": "grand_total",
    "数量": "qty",
    "金额": "amount",
}


def compact(value: object) -> str:
    """Text without any whitespace (full-width spaces and line breaks included)."""
    return "".join(str(value).split()) if value is not None else ""


def text_of(value: CellValue | None) -> str:
    """A cell as the form shows it: strings stripped, whole numbers without “.0”."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().strip("\u3000").strip()
