"""`shuangyong template` (placeholder until its issue lands)."""

from __future__ import annotations

import click


@click.command("template")
def template_command() -> None:
    """(建设中)"""
    raise click.ClickException("此命令尚未完成")
