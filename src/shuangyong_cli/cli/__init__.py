from shuangyong_cli.cli.main import cli, main

__all__ = ["cli", "main"]
