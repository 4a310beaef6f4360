"""Findings as data: what is wrong, where, and how to fix it.

A ``Finding`` is one observation about one place (file, sheet, A1 cell). A ``FileResult`` holds a
file's findings and what was read from it; a ``Report`` collects the files and the findings that
belong to no single file (a roster unit that has not reported). The terminal, JSON and xlsx
renderers all draw from the same objects.

Codes are stable: scripts and the README rely on them. Every code is listed in ``CODES`` with its
severity and a short Chinese title; ``finding()`` refuses an unknown code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shuangyong_cli.model.returns import ReturnData


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

#: code → (severity, short title). The message of each finding says the details and the fix.
CODES: dict[str, tuple[Severity, str]] = {
    # the file as a whole
    "file.empty": (E, "文件为空"),
    "file.too_large": (E, "文件过大"),
    "file.encrypted": (E, "文件已加密"),
    "file.not_workbook": (E, "不是 Excel/WPS 表格"),
    "file.truncated": (E, "文件不完整"),
    "file.corrupt": (E, "文件已损坏"),
    "file.zip_bomb": (E, "压缩内容异常"),
    "file.xml_entities": (E, "含有不安全的 XML 声明"),
    "file.unreadable": (E, "无法读取"),
    "file.reader_crashed": (E, "读取时程序异常退出"),
    "file.extension_mismatch": (N, "扩展名与实际格式不符"),
    "file.far_cells": (W, "表格范围异常"),
    # finding the form in the workbook
    "form.not_found": (E, "找不到统计表"),
    "form.label_missing": (E, "缺少表格项目"),
    "form.identity_mismatch": (W, "表式版本不符"),
    "form.other_sheets": (N, "另有工作表"),
    # one value
    "value.not_number": (E, "不是数字"),
    "value.guess": (E, "数值不确定"),
    "value.negative": (E, "不能为负数"),
    "value.too_long": (E, "数字超过15位"),
    "value.long_number_text": (W, "长数字已失真"),
    "value.not_whole": (E, "数量应为整数"),
    "value.too_many_decimals": (W, "小数位数过多"),
    "value.converted": (N, "已按数字读取"),
    "value.yuan_converted": (W, "已由元换算为万元"),
    "value.implausible": (E, "金额偏大"),
    "value.accepted": (W, "金额偏大，已确认"),
    "value.money_without_qty": (W, "数量为0但有金额"),
    "value.in_na_cell": (E, "此格不应填写"),
    "value.outside_form": (W, "表格外有数值"),
    "value.formula_no_cache": (E, "公式没有计算结果"),
    "value.error_cell": (E, "单元格显示错误值"),
    "value.control_chars": (W, "含有不可见字符"),
    "value.formula_text": (N, "文字以等号等开头"),
    "calc.mismatch": (E, "合计不符"),
    "calc.sheet_differs": (W, "表内合计与上报数不同"),
    "return.empty": (E, "空表"),
    # 填报单位, 日期 and the footer
    "header.unit_missing": (E, "未填填报单位"),
    "header.date_missing": (W, "未填日期"),
    "header.date_invalid": (W, "日期无法识别"),
    "header.late": (W, "逾期报送"),
    # the roster
    "roster.near_match": (W, "单位名称不完全一致"),
    "roster.unknown_unit": (W, "不在名册中"),
    "roster.duplicate": (W, "同一单位多份报表"),
    "roster.not_reported": (W, "未报"),
    "roster.other_units_copy": (W, "用了发给别的单位的表"),
    "roster.file_name_other": (N, "文件名像是别的单位"),
    # merging
    # the file's own errors are the errors; this says what follows from them, once per file
    "merge.excluded": (N, "未计入汇总"),
    "merge.duplicate_identical": (N, "重复文件只计一次"),
    "merge.duplicate_replaced": (W, "同一单位多份，以较新者为准"),
    "merge.double_counted": (E, "重复汇总"),
}


#: The prefix of the merge's own findings (its decisions about files), see ``Report.count``.
MERGE_PREFIX = "merge."


def count(findings: Iterable[Finding], severity: Severity) -> int:
    """Findings of ``severity`` about the files themselves: the checks' findings, counted the
    same in ``validate``, ``merge`` and ``status`` and in their JSON. The merge's decisions
    about a file (``merge.*``: not counted, a copy replaced) follow from those and are said in
    its closing line, not counted again."""
    return sum(
        1 for f in findings if f.severity is severity and not f.code.startswith(MERGE_PREFIX)
    )


@dataclass(frozen=True)
class Finding:
    """One observation. ``cell`` is an A1 address ("" for the whole file); ``field`` names the form
    item in the form's words (「走访慰问驻黔部队 / 慰问金」); ``value`` is what was typed."""

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""
    value: str = ""

    def to_dict(self) -> dict[str, str]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    @property
    def title(self) -> str:
        return CODES[self.code][1]


def finding(
    code: str,
    message: str,
    *,
    file: str = "",
    sheet: str = "",
    cell: str = "",
    field: str = "",
    value: object = "",
    severity: Severity | None = None,
) -> Finding:
    """Make a Finding with the catalogue's severity (override with ``severity``)."""
    if code not in CODES:
        raise KeyError(f"unknown finding code {code!r}")
    return Finding(
        code=code,
        severity=severity or CODES[code][0],
        message=message,
        file=file,
        sheet=sheet,
        cell=cell,
        field=field,
        value=display_value(value),
    )


def display_value(value: object) -> str:
    """A value as the clerk would see it typed: no quotes, no float noise."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


@dataclass
class FileResult:
    """What one file gave: its findings, and (when the form was found) the typed return."""

    path: str
    """The file as shown to the user (relative to the folder given, when there is one)."""
    findings: list[Finding] = field(default_factory=list)
    unit: str = ""
    """填报单位 as typed."""
    roster_unit: str = ""
    """The roster's 单位名称 it was matched to ("" when no roster or no match)."""
    category: str = ""
    """The roster unit's 单位类别 (canonical name), "" when not matched."""
    data: ReturnData | None = None
    source: str = ""
    """The absolute path of the file read."""
    included: bool | None = None
    """Whether the merge counted it (None outside a merge)."""

    @property
    def errors(self) -> int:
        return count(self.findings, Severity.ERROR)

    @property
    def warnings(self) -> int:
        return count(self.findings, Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "unit": self.unit,
            "roster_unit": self.roster_unit,
            "errors": self.errors,
            "warnings": self.warnings,
            **({} if self.included is None else {"included": self.included}),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Report:
    """All files of one run, plus findings about no single file (roster units not reported)."""

    files: list[FileResult] = field(default_factory=list)
    general: list[Finding] = field(default_factory=list)

    def all_findings(self) -> list[Finding]:
        out = [f for r in self.files for f in r.findings]
        return out + list(self.general)

    def count(self, severity: Severity) -> int:
        """See ``count``."""
        return count(self.all_findings(), severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": [r.to_dict() for r in self.files],
            "general": [f.to_dict() for f in self.general],
            "summary": {
                "files": len(self.files),
                "files_with_errors": sum(1 for r in self.files if not r.ok),
                "errors": self.count(Severity.ERROR),
                "warnings": self.count(Severity.WARNING),
                "infos": self.count(Severity.INFO),
            },
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
