"""How a read fails: the ``UnreadableFileError`` raisers and the advice every reader shares.

Each reader (``sniff``, ``ooxml``, ``cfb``, ``biff``…) stops at the first thing it cannot read and
says so in a sentence a clerk can forward to the unit; the common endings of those sentences live
here so they read the same whichever reader wrote them.
"""

from __future__ import annotations

from typing import NoReturn

from shuangyong_cli.model import UnreadableFileError

# What a clerk passes on: say what the file is and what to do.
RESAVE = "请在 Excel/WPS 中打开后“另存为”Excel 工作簿(.xlsx) 再报送"
SEND_FORM = "请报送填好的 Excel 统计表(.xlsx)"
TRUNCATED = "文件不完整（可能下载或传输中断），无法打开；请重新发送完整的文件"
RESAVE_NEW = "请在 Excel/WPS 中“另存为”新的 Excel 工作簿(.xlsx) 后重新报送"


def fail(code: str, message: str) -> NoReturn:
    raise UnreadableFileError(code, message)


def corrupt(detail: str) -> NoReturn:
    fail("file.corrupt", f"文件已损坏（{detail}），无法读取；{RESAVE}")


def encrypted(extra: str = "") -> NoReturn:
    fail(
        "file.encrypted",
        f"文件已加密，请去除打开密码后重新报送{extra}。去除方法：Excel 中点 文件 → 信息 → "
        "保护工作簿 → 用密码进行加密，清空密码后保存；WPS 中点 文件 → 文档加密 → 密码加密，"
        "清空后保存",
    )
