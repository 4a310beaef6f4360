"""`shuangyong status` (placeholder until its issue lands)."""

from __future__ import annotations

import click


@click.command("status")
def status_command() -> None:
    """(建设中)"""
    raise click.ClickException("此命令尚未完成")
