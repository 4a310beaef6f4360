"""findings.finding: every finding's message is a sentence."""

from __future__ import annotations

import pytest

from shuangyong_cli.model.findings import finding


@pytest.mark.parametrize(
    ("said", "shown"),
    [
        ("文件不完整（可能下载或传输中断），无法打开；请重新发送完整的文件", "…完整的文件。"),
        ("单元格 E6 应为数字。", "…应为数字。"),
        ("如 70。（该格为计算格，本工具已按各项重新计算为 73。）", "…为 73。）"),
        ("（见下）", "（见下）。"),
        ("", ""),
    ],
)
def test_every_message_is_said_as_a_sentence(said: str, shown: str) -> None:
    """A reader's message has no full stop of its own (it is read inside other sentences too);
    as a finding it ends with one, as the cell-level messages do."""
    message = finding("file.truncated", said).message
    assert message.startswith(said)
    assert message.endswith(shown.lstrip("…"))
    assert message.count("。") - said.count("。") in (0, 1)
