"""The registry of finding codes: every code the tool can report, with its level, its short
title, what it means and how it is fixed, in one table.

Codes are stable: scripts, the JSON output and the README rely on them. ``findings.finding``
refuses a code that is not here, and the README's table of codes is rendered from this table
(``python -m shuangyong_cli.model.codes``, checked by a test), so the two cannot drift. The
message of each finding says the details (the cell, the value, the number expected); the
``fix`` here is the general advice, for the README and the printed legend.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Code:
    """One finding code. ``title`` is what the 校验结果 sheet shows in a few words; ``meaning``
    and ``fix`` are what the README says of it."""

    code: str
    severity: Severity
    title: str
    meaning: str
    fix: str


_TABLE: tuple[Code, ...] = (
    # the file as a whole
    Code("file.empty", E, "文件为空", "文件大小为 0 字节。", "请对方重新发送填好的统计表。"),
    Code(
        "file.too_large",
        E,
        "文件过大",
        "文件超过读取上限（默认 20 MB）或读取时内存不足。",
        "请对方删除与统计表无关的工作表、图片后重新报送；确属正常时用 --max-file-mb 放宽。",
    ),
    Code(
        "file.encrypted",
        E,
        "文件已加密",
        "文件设了打开密码。",
        "请对方去除打开密码后重新报送（消息中写有 Excel 和 WPS 的操作步骤）。",
    ),
    Code(
        "file.not_workbook",
        E,
        "不是 Excel/WPS 表格",
        "按文件内容判断不是表格：改了扩展名的 CSV、网页、Word 文档、PDF、图片等。",
        "请对方报送填好的 Excel 统计表（.xlsx）。",
    ),
    Code(
        "file.truncated",
        E,
        "文件不完整",
        "文件在下载或传输中被截断。",
        "请对方重新发送完整的文件。",
    ),
    Code(
        "file.corrupt",
        E,
        "文件已损坏",
        "文件内部结构损坏，无法读取。",
        "请对方在 Excel/WPS 中打开后“另存为”Excel 工作簿（.xlsx）再报送。",
    ),
    Code(
        "file.zip_bomb",
        E,
        "压缩内容异常",
        "解压后的大小或压缩比超过读取上限（可能是恶意文件）。",
        "不要打开该文件；请对方另存为新的工作簿后重新报送。",
    ),
    Code(
        "file.xml_entities",
        E,
        "含有不安全的 XML 声明",
        "文件中含有 DTD 或实体声明（正常的 Excel/WPS 文件没有）。",
        "不要打开该文件；请对方另存为新的工作簿后重新报送。",
    ),
    Code(
        "file.unreadable",
        E,
        "无法读取",
        "文件打不开（没有权限、被占用或格式无法识别）。",
        "按消息中的原因处理，或请对方另存为 .xlsx 后重新报送。",
    ),
    Code(
        "file.reader_crashed",
        E,
        "读取时程序异常退出",
        "读取该文件的进程意外退出，其余文件照常处理。",
        "请对方另存为 .xlsx 后重新报送，并把该文件发给维护人员。",
    ),
    Code(
        "file.extension_mismatch",
        N,
        "扩展名与实际格式不符",
        "扩展名与文件内容不符（如 .xls 实为 .xlsx），仍按实际格式读取。",
        "无需处理。",
    ),
    Code(
        "file.far_cells",
        W,
        "表格范围异常",
        "工作表登记的范围远大于实际内容（如一直到 XFD1048576）。",
        "一般无需处理；如有遗漏的数值，请对方检查表格外的单元格。",
    ),
    # finding the form in the workbook
    Code(
        "form.not_found",
        E,
        "找不到统计表",
        "文件中没有本次的统计表（按标题和表头文字查找）。",
        "请对方用下发的统计表填写，不要改动标题、表头和项目名称。",
    ),
    Code(
        "form.label_missing",
        E,
        "缺少表格项目",
        "找到了统计表，但缺少某一栏或某一行的项目名称。",
        "请对方恢复被删改的栏目或项目名称，或改用下发的统计表重新填写。",
    ),
    Code(
        "form.identity_mismatch",
        W,
        "表式版本不符",
        "文件是另一种表式或另一版本的统计表。",
        "请对方改用本次下发的统计表；数值仍按项目名称读取。",
    ),
    Code(
        "form.other_sheets",
        N,
        "另有工作表",
        "工作簿中还有统计表以外的工作表（不读取）。",
        "无需处理。",
    ),
    # one value
    Code("value.not_number", E, "不是数字", "数值格中填的不是数字。", "请对方按消息改为数字。"),
    Code(
        "value.guess",
        E,
        "数值不确定",
        "填的是约数或范围（约5、3-5、若干），无法确定数值。",
        "请对方填写确切的数。",
    ),
    Code("value.negative", E, "不能为负数", "数量或金额为负数。", "请对方改为不小于 0 的数。"),
    Code(
        "value.too_long",
        E,
        "数字超过15位",
        "数字超过 15 位，Excel 已无法准确保存。",
        "请对方核对后重填。",
    ),
    Code(
        "value.long_number_text",
        W,
        "长数字已失真",
        "文字栏中超过 15 位的数字已被 Excel 改变（身份证号等）。",
        "请对方把该格设为文本格式后重新填写。",
    ),
    Code(
        "value.not_whole", E, "数量应为整数", "数量（人、人次、个……）填了小数。", "请对方改为整数。"
    ),
    Code(
        "value.too_many_decimals",
        W,
        "小数位数过多",
        "金额超过两位小数（按所填的数计入）。",
        "请对方核对单位是否为万元，保留两位小数。",
    ),
    Code(
        "value.converted",
        N,
        "已按数字读取",
        "填的是文字形式的数（１２、1,200、3人），已按数字读取。",
        "无需处理；今后请直接填数字。",
    ),
    Code(
        "value.yuan_converted",
        W,
        "已由元换算为万元",
        "金额带“元”字（如 5000元），已换算为万元计入。",
        "请核对换算后的数；今后请按万元填写。",
    ),
    Code(
        "value.implausible",
        E,
        "金额偏大",
        "金额超过表式定义的每格上限，可能按元填写；改正前不计入汇总。",
        "请对方按万元改正；经办人核实无误时可用 --accept 文件:单元格 确认。",
    ),
    Code(
        "value.accepted",
        W,
        "金额偏大，已确认",
        "金额偏大，已由经办人确认（--accept），按所填的数计入。",
        "无需处理。",
    ),
    Code(
        "value.money_without_qty",
        W,
        "数量为0但有金额",
        "数量为 0 或未填，但填了金额。",
        "请对方补填数量，或核对金额是否填错了行。",
    ),
    Code(
        "value.in_na_cell",
        E,
        "此格不应填写",
        "在不适用的格（灰色或 —）中填了数。",
        "请对方把数移到正确的格中，或删除。",
    ),
    Code(
        "value.outside_form",
        W,
        "表格外有数值",
        "统计表范围以外的单元格中有数值（不计入）。",
        "请对方核对是否填错了位置。",
    ),
    Code(
        "value.formula_no_cache",
        E,
        "公式没有计算结果",
        "单元格是公式，但文件中没有保存计算结果（常见于程序生成的文件）。",
        "请对方在 Excel/WPS 中打开、保存后重新报送，或直接填数。",
    ),
    Code(
        "value.error_cell",
        E,
        "单元格显示错误值",
        "单元格显示 #DIV/0!、#N/A 等错误值。",
        "请对方改正公式或直接填数。",
    ),
    Code(
        "value.control_chars",
        W,
        "含有不可见字符",
        "文字中有看不见的控制字符（已删去）。",
        "一般无需处理。",
    ),
    Code(
        "value.formula_text",
        N,
        "文字以等号等开头",
        "文字以 = + - @ 开头，按文字保存（不会在 Excel 中变成公式）。",
        "无需处理。",
    ),
    Code(
        "calc.mismatch",
        E,
        "合计不符",
        "计算格（小计、合计）手填的数与各项之和不符。",
        "请对方核对各项和合计；本工具总是按各项重新计算。",
    ),
    Code(
        "calc.sheet_differs",
        W,
        "表内合计与上报数不同",
        "文字已按数字换算，单位表中的公式却不计算文字，两处合计不同（两个数都列出）。",
        "请对方把文字改为数字，使表内合计与上报数一致。",
    ),
    Code(
        "return.empty",
        E,
        "空表",
        "所有应填的格都是空的（空表不是全为 0 的表）。",
        "请对方填写后重新报送；确无数据请填 0。",
    ),
    # 填报单位, 日期 and the footer
    Code(
        "header.unit_missing",
        E,
        "未填填报单位",
        "“填报单位”为空。",
        "请对方填写本单位全称（与名册一致）。",
    ),
    Code("header.date_missing", W, "未填日期", "“日期”为空或找不到。", "请对方填写报送日期。"),
    Code(
        "header.date_invalid",
        W,
        "日期无法识别",
        "“日期”不是可识别的日期，或与截止日期相差一年以上。",
        "请对方写成 2020-08-10 这样的日期。",
    ),
    Code(
        "header.late",
        W,
        "逾期报送",
        "日期晚于表式定义的截止日期。",
        "核实后照常汇总；报送情况中记为逾期。",
    ),
    # the roster
    Code(
        "roster.near_match",
        W,
        "单位名称不完全一致",
        "填报单位与名册中的名称不完全一致（简称、别名、多了字）。",
        "照常汇总；请对方今后填写名册中的全称。",
    ),
    Code(
        "roster.unknown_unit",
        W,
        "不在名册中",
        "填报单位在名册中找不到（列入“未列入名册”）。",
        "核对单位名称，或把该单位加入名册。",
    ),
    Code(
        "roster.duplicate",
        W,
        "同一单位多份报表",
        "同一单位报送了不止一份报表（汇总时只计一份）。",
        "确认哪一份为准，删去其余的。",
    ),
    Code(
        "roster.not_reported",
        W,
        "未报",
        "名册中的单位没有报送任何文件。",
        "催报（status --export 生成催报名单）。",
    ),
    Code(
        "roster.other_units_copy",
        W,
        "用了发给别的单位的表",
        "按名册生成的表记着发给谁；填报单位与之不同时，两个名字都列出。",
        "核实是哪个单位的报表，改正填报单位或改用本单位的表。",
    ),
    Code(
        "roster.file_name_other",
        N,
        "文件名像是别的单位",
        "文件名中有名册里另一个单位的名称（较弱的线索）。",
        "核实是否发错了文件或填错了单位。",
    ),
    # merging: the file's own errors are the errors; these say what follows from them, once
    Code(
        "merge.excluded",
        N,
        "未计入汇总",
        "该文件没有计入汇总（原因由该文件自己的错误而来，不再另算一个错误）。",
        "改正该文件的错误后重新汇总。",
    ),
    Code(
        "merge.duplicate_identical",
        N,
        "重复文件只计一次",
        "同一单位的两份文件内容相同，只计一次。",
        "无需处理。",
    ),
    Code(
        "merge.duplicate_replaced",
        W,
        "同一单位多份，以较新者为准",
        "同一单位有内容不同的多份报表，以日期（再按修改时间）较新者为准。",
        "确认计入的是正确的一份。",
    ),
    Code(
        "merge.double_counted",
        E,
        "重复汇总",
        "同一单位既单独报送、又含在另一份汇总表中（或含在两份汇总表中），只计一次。",
        "确认该单位的数据应以哪一份为准。",
    ),
)

#: code → its entry, in the order above (the README's order).
CODES: dict[str, Code] = {c.code: c for c in _TABLE}

#: The prefix of the merge's own findings (its decisions about files): not counted again.
MERGE_PREFIX = "merge."


def markdown_table() -> str:
    """The README's table of codes."""
    lines = ["| 代码 | 级别 | 含义 | 怎样改 |", "|---|---|---|---|"]
    for c in CODES.values():
        lines.append(f"| `{c.code}` | {c.severity.label} | {c.meaning} | {c.fix} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover - python -m shuangyong_cli.model.codes
    print(markdown_table(), end="")
