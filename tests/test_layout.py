"""The house rules of the source layout (README「设计说明」), checked on the code itself.

Packages import only downwards (``LAYERS``), no module imports another's private name, there is
no import cycle, only ``cli`` knows click and rich, no module is over 500 lines, and a function
over 60 lines says why in its docstring ("Long because …").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "shuangyong_cli"
PKG = "shuangyong_cli"

#: package → the packages it may import (besides itself and the top-level ``shuangyong_cli``).
LAYERS: dict[str, set[str]] = {
    "model": set(),
    "reading": {"model"},
    "checking": {"model", "reading"},
    "season": {"model", "reading", "checking"},
    "writing": {"model", "reading", "checking", "season"},
    "learn": {"model", "reading", "writing"},
    "cli": {"model", "reading", "checking", "season", "writing", "learn"},
}
UI_LIBRARIES = {"click", "rich"}
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
LONG_REASON = "Long because"


@dataclass(frozen=True)
class Import:
    module: str
    """The importing module, dotted."""
    target: str
    """The imported module, dotted."""
    names: tuple[str, ...]
    line: int


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join((PKG, *parts))] = path
    return out


MODULES = _modules()


def _imports(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                yield Import(module, *_resolve(target, alias.name), node.lineno)


def _resolve(target: str, name: str) -> tuple[str, tuple[str, ...]]:
    """Where ``from target import name`` really reaches: the module ``target.name``, or, for a
    name a package exports (``_EXPORTS``, imported on first use), the module defining it."""
    if f"{target}.{name}" in MODULES:
        return f"{target}.{name}", ()
    exports = _exports(target)
    if name in exports:
        return exports[name], (name,)
    return target, (name,)


def _exports(package: str) -> dict[str, str]:
    if package not in MODULES or MODULES[package].name != "__init__.py":
        return {}
    for node in ast.parse(MODULES[package].read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "_EXPORTS" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return value
    return {}


IMPORTS = [imp for module, path in MODULES.items() for imp in _imports(module, path)]


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and module in _PACKAGES) else ""


_PACKAGES = {m for m, p in MODULES.items() if p.name == "__init__.py"}


def test_every_module_lives_in_a_package() -> None:
    loose = [
        m for m in MODULES if m.count(".") == 1 and m not in _PACKAGES and m != f"{PKG}.__main__"
    ]
    assert loose == []


def test_packages_import_only_downwards() -> None:
    wrong = []
    for imp in IMPORTS:
        if not imp.target.startswith(PKG + "."):
            continue
        source, target = _package(imp.module), _package(imp.target)
        if not source or not target or source == target:
            continue
        if target not in LAYERS[source]:
            wrong.append(f"{imp.module}:{imp.line} imports {imp.target}")
    assert wrong == []


def test_only_the_cli_knows_click_and_rich() -> None:
    wrong = [
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in IMPORTS
        if imp.target.split(".")[0] in UI_LIBRARIES and _package(imp.module) != "cli"
    ]
    assert wrong == []


def test_no_module_imports_a_private_name() -> None:
    wrong = [
        f"{imp.module}:{imp.line} imports {name} from {imp.target}"
        for imp in IMPORTS
        if imp.target.startswith(PKG)
        for name in imp.names
        if name.startswith("_") and name != "__version__"
    ]
    wrong += [
        f"{imp.module}:{imp.line} imports {imp.target}"
        for imp in IMPORTS
        if imp.target.startswith(PKG) and any(p.startswith("_") for p in imp.target.split(".")[1:])
    ]
    assert wrong == []


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        if imp.target in MODULES and imp.target != imp.module:
            graph[imp.module].add(imp.target)
    # a package's __init__ re-exports its modules; an import of the package is an import of those
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(" → ".join([*stack[stack.index(n) :], n]))
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{module}: {lines} lines"


def test_long_functions_say_why() -> None:
    unexplained = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and LONG_REASON not in (
                    ast.get_docstring(node) or ""
                ):
                    unexplained.append(f"{module}.{node.name}: {length} lines")
    assert unexplained == []


def test_a_package_export_is_not_also_a_module_name() -> None:
    """``from shuangyong_cli.season import compare`` must mean one thing: a module attribute
    set by an earlier import would win over the lazily exported name."""
    clashes = [
        f"{package}.{name}"
        for package in _PACKAGES
        for name in _exports(package)
        if f"{package}.{name}" in MODULES
    ]
    assert clashes == []


def test_package_exports_exist() -> None:
    """Every lazily exported name is defined in the module the package names."""
    import importlib

    missing = [
        f"{package}.{name} ({module})"
        for package in _PACKAGES
        for name, module in _exports(package).items()
        if not hasattr(importlib.import_module(module), name)
    ]
    assert missing == []


def test_every_package_says_what_it_owns() -> None:
    missing = [
        m for m in _PACKAGES if not ast.get_docstring(ast.parse(MODULES[m].read_text("utf-8")))
    ]
    assert missing == []


def test_every_import_of_the_package_resolves() -> None:
    """Scripts run by hand (docs/, scripts/, bench/, examples/) import the package too: a name
    that moved must be found by them as by the tests."""
    import importlib

    root = SRC.parents[1]
    wrong = []
    for folder in ("src", "tests", "bench", "docs", "scripts", "examples"):
        for path in sorted((root / folder).rglob("*.py")):
            if "out" in path.relative_to(root).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.ImportFrom) and node.level == 0):
                    continue
                if not (node.module or "").startswith(PKG):
                    continue
                module = importlib.import_module(node.module or "")
                for alias in node.names:
                    if not hasattr(module, alias.name) and f"{node.module}.{alias.name}" not in (
                        MODULES
                    ):
                        wrong.append(f"{path.relative_to(root)}:{node.lineno} {alias.name}")
    assert wrong == []
