"""The house keeps its shape (docs/architecture.md): no import cycle anywhere in the package —
imports made inside functions counted — and each layer imports only the layers below it (the
`importlinter` contract in pyproject.toml: the two kinds never import each other)."""

import os
import subprocess
import sys
from pathlib import Path

import grimp

import builder

ROOT = Path(__file__).resolve().parent.parent


def cycles(graph) -> list[list[str]]:
    """The import cycles of a graph: its strongly connected parts of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.find_modules_directly_imported_by(module)):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            part = []
            while True:
                other = stack.pop()
                part.append(other)
                if other == module:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle():
    graph = grimp.build_graph("builder", cache_dir=None)
    assert next(iter(graph.modules)).startswith("builder")
    assert Path(builder.__file__).resolve().parent == ROOT / "builder"      # the source, not an install
    assert cycles(graph) == []


def test_a_cycle_is_found():
    class Graph:                       # a → b → a, c alone
        modules = {"a", "b", "c"}
        edges = {"a": {"b"}, "b": {"a"}, "c": set()}

        def find_modules_directly_imported_by(self, module):
            return self.edges[module]
    assert cycles(Graph()) == [["a", "b"]]


def test_the_layer_contract_holds():
    # lint-imports reads the package from the source tree, as the tests do
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
