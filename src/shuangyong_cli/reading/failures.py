"""How a read fails: the ``UnreadableFileError`` raisers and the advice every reader shares.

Each reader (``sniff``, ``ooxml``, ``cfb``, ``biff``…) stops at the first thing it cannot read and
says so in a sentence a clerk can forward to the unit; the common endings of those sentences live
here so they read the same whichever reader wrote them.
"""

from __future__ import annotations

from typing import NoReturn

from shuangyong_cli.model import UnreadableFileError, message

# What a clerk passes on: say what the file is and what to do.
# (The phrases are the registry's, ``model/codes.toml``, like every finding's text.)
RESAVE = message("file.corrupt", "resave")
SEND_FORM = message("file.not_workbook", "send_form")
TRUNCATED = message("file.truncated")
RESAVE_NEW = message("file.zip_bomb", "resave_new")
MSG_CORRUPT = message("file.corrupt")
MSG_ENCRYPTED = message("file.encrypted")


def fail(code: str, message: str) -> NoReturn:
    raise UnreadableFileError(code, message)


def corrupt(detail: str) -> NoReturn:
    fail("file.corrupt", MSG_CORRUPT.format(detail=detail, resave=RESAVE))


def encrypted(extra: str = "") -> NoReturn:
    fail("file.encrypted", MSG_ENCRYPTED.format(extra=extra))
