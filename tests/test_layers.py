"""Layers point one way: readers → transforms → warehouse → expectations → flows, evaluation and the CLI on top.

Every import counts, including those inside functions (they run too): a module never imports a
higher layer, and no two modules import each other, directly or around a longer cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

PACKAGES = ("transforms", "warehouse", "expectations", "flows", "evaluation", "benchmarks")
# (module prefix, layer): the longest matching prefix decides.
LAYERS = [
    ("transforms.readers", 0),
    ("transforms", 1),
    ("warehouse", 2),
    ("expectations", 3),
    ("flows", 4),
    ("evaluation", 5),
    ("flows.cli", 6),
    ("benchmarks", 6),
]


def layer(module: str) -> int:
    matches = [(len(prefix), rank) for prefix, rank in LAYERS if module == prefix or module.startswith(prefix + ".")]
    return max(matches)[1]


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports (anywhere in it), resolved to the modules that exist."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in names:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, name, known) for name, path in known.items()}


def test_no_module_imports_a_higher_layer():
    upward = sorted((module, target) for module, targets in graph().items() for target in targets
                    if layer(target) > layer(module))
    assert upward == []


def test_no_import_cycles():
    edges = graph()
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    # a package's __init__ re-exporting its modules is not a cycle between modules
    cycles = [c for c in cycles if not any(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(c, c[1:]))]
    assert cycles == []


def test_the_layer_table_covers_every_module():
    assert all(layer(name) >= 0 for name in modules())
