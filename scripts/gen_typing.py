#!/usr/bin/env python3
"""Generate the arity overloads of positional selections and `returning(...)` (1..MAX columns).

Python has no variadic mapping from `Expr[T1], Expr[T2], ...` to `tuple[T1, T2, ...]`, so each
arity is an overload. They are generated, not hand-written: this script rewrites the regions
between `# BEGIN GENERATED <name>` and `# END GENERATED <name>` markers.

    python scripts/gen_typing.py          # rewrite the regions
    python scripts/gen_typing.py --check  # exit 1 if a region is stale (run by the test suite)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

MAX = 16
ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "mizzle"


def typevars() -> str:
    lines = [f'"""TypeVars T1..T{MAX} for the generated arity overloads (scripts/gen_typing.py)."""', "",
             "from typing import TypeVar", ""]
    lines += [f'T{i} = TypeVar("T{i}")' for i in range(1, MAX + 1)]
    lines += ["", "__all__ = [" + ", ".join(f'"T{i}"' for i in range(1, MAX + 1)) + "]", ""]
    return "\n".join(lines)


def _params(n: int) -> str:
    return ", ".join(f"c{i}: Expr[T{i}]" for i in range(1, n + 1))


def _tuple(n: int) -> str:
    return "tuple[" + ", ".join(f"T{i}" for i in range(1, n + 1)) + "]"


def select_overloads(start: str, partial: str) -> str:
    out = [
        "    @overload",
        f"    def __call__(self) -> {start}: ...  # pyright: ignore[reportOverlappingOverload]",
        "    @overload",
        f"    def __call__(self, selection: S, /) -> {partial}[S]: ...",
    ]
    for n in range(1, MAX + 1):
        out += ["    @overload", f"    def __call__(self, {_params(n)}, /) -> {partial}[{_tuple(n)}]: ..."]
    out += [
        "    @overload",
        f"    def __call__(self, {_params(MAX)}, c{MAX + 1}: Expr[Any], /, *more: Expr[Any]) -> "
        f"{partial}[tuple[Any, ...]]: ...",
        "    @overload",
        f"    def __call__(self, **named: Expr[Any] | Mapping[str, Any]) -> {partial}[Any]: ...",
    ]
    return "\n".join(out)


def returning_overloads(query: str) -> str:
    out = ["    @overload", f"    def returning(self) -> {query}[R]: ...  # pyright: ignore[reportOverlappingOverload]"]
    for n in range(1, MAX + 1):
        out += ["    @overload", f"    def returning(self, {_params(n)}, /) -> {query}[{_tuple(n)}]: ..."]
    out += [
        "    @overload",
        f"    def returning(self, {_params(MAX)}, c{MAX + 1}: Expr[Any], /, *more: Expr[Any]) -> "
        f"{query}[tuple[Any, ...]]: ...",
    ]
    return "\n".join(out)


REGIONS: dict[tuple[str, str], str] = {
    ("query/select.py", "select"): select_overloads("SelectStart", "PartialStart"),
    ("session/aio_types.py", "select"): select_overloads("AsyncSelectStart", "AsyncPartialStart"),
    ("query/dml.py", "returning"): returning_overloads("ReturningQuery"),
    ("session/aio_types.py", "returning"): returning_overloads("AsyncReturningQuery").replace("[R]", "[TT]"),
}


def render(text: str, name: str, body: str, path: str) -> str:
    pattern = re.compile(rf"(# BEGIN GENERATED {name}[^\n]*\n)(.*?)([ \t]*# END GENERATED {name})", re.S)
    if not pattern.search(text):
        raise SystemExit(f"{path}: no '# BEGIN GENERATED {name}' ... '# END GENERATED {name}' region")
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(3), text, count=1)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    outputs: dict[Path, str] = {SRC / "query" / "_arity.py": typevars()}
    for (rel, name), body in REGIONS.items():
        path = SRC / rel
        current = outputs.get(path, path.read_text())
        outputs[path] = render(current, name, body, rel)
    stale = [p for p, text in outputs.items() if not p.exists() or p.read_text() != text]
    if check:
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)} (run python scripts/gen_typing.py)")
        return 1 if stale else 0
    for p in stale:
        p.write_text(outputs[p])
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
