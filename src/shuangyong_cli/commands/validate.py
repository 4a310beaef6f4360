"""`shuangyong validate` (placeholder until its issue lands)."""

from __future__ import annotations

import click


@click.command("validate")
def validate_command() -> None:
    """(建设中)"""
    raise click.ClickException("此命令尚未完成")
