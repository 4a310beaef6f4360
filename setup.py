"""Which packages ship: every package found under src/ (setuptools' discovery), and the form
definitions of templates/ as the data package ``shuangyong_cli.forms``. The rest of the
metadata is in pyproject.toml."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "shuangyong_cli.forms"],
    package_dir={"": "src", "shuangyong_cli.forms": "templates"},
)
