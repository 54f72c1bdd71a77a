"""The kit's dialect seam: generic modules never branch on a dialect name, and the kit has no import cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mizzle.kit.dialects import NAMES, kit_dialect
from mizzle.kit.dialects.base import KitDialect

SRC = Path(__file__).resolve().parents[2] / "src"
KIT = SRC / "mizzle" / "kit"
DIALECT_NAMES = {"sqlite", "turso", "postgresql", "postgres", "pg", "mysql", "mariadb", "libsql"}


def _names_in(node: ast.AST) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and n.value in DIALECT_NAMES}


def dialect_branches(path: Path) -> list[str]:
    """`x == "mysql"`, `d in ("sqlite", "turso")`, `{"postgresql": ...}[d]`, `case "mysql":` in one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and _names_in(node):
            found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Dict) and any(k is not None and _names_in(k) for k in node.keys):
            found.append(f"{path.name}:{node.lineno}: a dict keyed by dialect names")
        elif isinstance(node, ast.match_case) and _names_in(node.pattern):
            found.append(f"{path.name}:{node.pattern.lineno}: case {ast.unparse(node.pattern)}")
    return found


def test_the_checker_sees_each_kind_of_branch(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('a = d == "mysql"\nb = d in ("sqlite", "turso")\nc = {"postgresql": 1}\n'
                      'match d:\n    case "pg":\n        pass\nok = d == "other"\n', encoding="utf-8")
    assert [f.split(":")[1] for f in dialect_branches(sample)] == ["1", "2", "3", "5"]


def test_generic_kit_modules_have_no_dialect_name_branches() -> None:
    found = [f for path in sorted(KIT.glob("*.py")) for f in dialect_branches(path)]
    assert not found, "dialect differences belong in kit/dialects/<d>/kit.py:\n" + "\n".join(found)


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same tree it imports anywhere (functions too; TYPE_CHECKING blocks not)."""
    modules = {_module_name(p): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {id(n) for top in ast.walk(tree) if isinstance(top, ast.If)
                       and ast.unparse(top.test).endswith("TYPE_CHECKING") for n in ast.walk(top)}
        deps: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    deps.add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                deps.update(alias.name for alias in node.names)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp: list[str] = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_kit_has_no_import_cycle() -> None:
    assert cycles(import_graph(KIT)) == []


@pytest.mark.parametrize("name", NAMES)
def test_every_registered_dialect_is_one_object_with_its_name(name: str) -> None:
    kit = kit_dialect(name)
    assert isinstance(kit, KitDialect) and kit.name == name and kit_dialect(name) is kit
    assert kit.snapshot_class().dialect == kit.snapshot_dialect


def test_an_unknown_dialect_is_refused_naming_the_supported_ones() -> None:
    from mizzle.errors import MigrationError

    with pytest.raises(MigrationError, match=r"'mssql' \(supported: sqlite, turso, postgresql, mysql\)"):
        kit_dialect("mssql")
