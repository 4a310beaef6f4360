"""Typed errors for expected failures. The CLI turns each into a one-line Chinese message."""

from __future__ import annotations

import errno


class ShuangyongError(Exception):
    """An expected failure the user can act on; its message is Chinese and complete."""


class FormDefinitionError(ShuangyongError):
    """The form definition file is missing or malformed."""


class RosterError(ShuangyongError):
    """The roster file is missing or malformed."""


class OutputError(ShuangyongError):
    """An output file cannot be written where asked."""


class UsageError(ShuangyongError):
    """The command's arguments do not fit together."""


class CompareError(ShuangyongError):
    """The earlier file cannot be read or compared with this season's form."""


class UnreadableFileError(ShuangyongError):
    """A returned file cannot be read as a workbook. ``code`` is a stable finding code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_OS_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EACCES: "没有权限（文件可能正被 Excel/WPS 打开，或文件夹不允许写入）",
    errno.EPERM: "没有权限（文件可能正被 Excel/WPS 打开，或文件夹不允许写入）",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.EEXIST: "已存在同名的文件",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EBUSY: "文件正在被其他程序使用",
    errno.EIO: "磁盘读写出错",
}


def os_reason(e: OSError) -> str:
    """A system error in Chinese words a clerk can act on (the system's own text otherwise)."""
    if e.errno in _OS_REASONS:
        return _OS_REASONS[e.errno]
    return str(e.strerror or e)
