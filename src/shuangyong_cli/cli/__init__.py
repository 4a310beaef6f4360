"""The command line: click commands and options, terminal and JSON rendering, exit codes.
The only package that knows click, rich and exit statuses.
"""

from __future__ import annotations

from shuangyong_cli.cli.app import cli, main

__all__ = ["cli", "main"]
