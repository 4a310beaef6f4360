"""shuangyong: hand out a statistics form, check what comes back, and consolidate it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

__version__ = "0.1.0"


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """A package's module ``__getattr__`` (PEP 562): each name of ``exports`` (name → the module
    that defines it) imported on first use, so importing a package costs nothing and one name
    does not pull in the package's other modules (``shuangyong --help`` stays fast)."""

    def __getattr__(name: str) -> object:
        from importlib import import_module

        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(exports[name]), name)

    return __getattr__
