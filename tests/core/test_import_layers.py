"""The core packages form layers: no import cycle among `sql`, `schema`, `query`, `dialects`, `session`.

The graph is read from the source (every `import` in the AST: module level, function level and
`if TYPE_CHECKING:` blocks alike), so a cycle hidden behind a late import still fails here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import mizzle

ROOT = Path(mizzle.__file__).parent
CORE = ("sql", "schema", "query", "dialects", "session")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def module_graph() -> dict[str, set[str]]:
    """Module -> the mizzle modules it imports (anywhere in its source)."""
    modules = {_module_name(p): p for p in ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
                module = ".".join(p for p in (base, node.module or "") if p)
                candidates = [module, *(f"{module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            else:
                continue
            targets |= {c for c in candidates if c in modules and c != name}
        graph[name] = targets
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work: list[tuple[str, list[str]]] = [(start, sorted(graph.get(start, ())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, todo = work[-1]
            if todo:
                nxt = todo.pop()
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in CORE) else module


def test_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_graph_sees_function_level_and_type_checking_imports() -> None:
    graph = module_graph()
    # mizzle.connect imports its drivers inside functions; the graph must see those edges
    assert any(t.startswith("mizzle.drivers.") for t in graph["mizzle.connect"])
    assert "mizzle.schema.column" in graph["mizzle.schema.table"]


def test_no_cycle_among_core_packages() -> None:
    packages: dict[str, set[str]] = {p: set() for p in CORE}
    for module, targets in module_graph().items():
        src = _package(module)
        if src not in CORE:
            continue
        for target in targets:
            dst = _package(target)
            if dst in CORE and dst != src:
                packages[src].add(dst)
    assert cycles(packages) == [], {p: sorted(t) for p, t in packages.items()}


def test_no_module_cycle_through_core_crosses_packages() -> None:
    """A cycle through core modules that passes through another package (relations, drivers) counts too."""
    bad = [
        c for c in cycles(module_graph())
        if any(_package(m) in CORE for m in c) and len({_package(m) for m in c}) > 1
    ]
    assert bad == []
