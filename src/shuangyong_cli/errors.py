"""Typed errors for expected failures. The CLI turns each into a one-line Chinese message."""

from __future__ import annotations


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
