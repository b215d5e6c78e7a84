"""No import cycles among the modules of services/ and schemas/: a module may import another only if that one
does not, through any chain, import it back. Imports inside functions count (they run, only later); imports
under `if TYPE_CHECKING:` do not (they never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
Graph = dict[str, set[str]]


def module_name(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (i for child in node.orelse for i in runtime_imports(ast.Module([child], [])))
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from runtime_imports(node)


def import_graph(root: Path, packages: tuple[str, ...]) -> Graph:
    """Module -> the modules of `packages` it imports (a `from package import name` that names a submodule is
    an import of that submodule)."""
    paths = {module_name(root, p): p for package in packages for p in (root / package).rglob("*.py")}
    graph: Graph = {}
    for name, path in paths.items():
        targets: set[str] = set()
        for node in runtime_imports(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif node.module and node.level == 0:
                targets |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in paths else node.module
                            for a in node.names}  # fmt: skip
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while (top := stack.pop()) != node:
                component.append(top)
            component.append(node)
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# schemas.events imports schemas.opendata at its very end, so that EVENT_TYPES holds the open-data types for
# whoever imports events; opendata's classes subclass EventData. The one cycle left, and a deliberate one.
REGISTRATION = ["schemas.events", "schemas.opendata"]


def test_services_and_schemas_import_no_cycle() -> None:
    graph = import_graph(ROOT, ("services", "schemas"))
    assert len(graph) > 100  # the walk saw the code
    assert [c for c in cycles(graph) if c != REGISTRATION] == []


def test_a_cycle_through_a_function_level_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("def up():\n    from pkg.demo import run\n")
    (package / "demo.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.types\n"
                                     "def run():\n    from pkg import cli\n")  # fmt: skip
    (package / "types.py").write_text("import pkg.demo\n")
    assert cycles(import_graph(tmp_path, ("pkg",))) == [["pkg.cli", "pkg.demo"]]
