"""Dependency order for dropped tables: a table is dropped after the tables (and foreign keys) referencing it.

drizzle-kit drops tables in snapshot (alphabetical) order. With rows present that fails: SQLite's
`DROP TABLE parent` deletes its rows first and a child's foreign key rejects it; MySQL refuses to drop
a table another table's foreign key references. Reverting an initial migration drops every table, so
its down script hit exactly this. `order_drops` moves each `DropTable` later, just far enough to follow
the drops of its child tables and the `DeleteReference`s pointing at it; everything else keeps its place.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mizzle.kit import statements as st


def _references(definition: Any) -> set[str]:
    """Names of the tables a table definition's foreign keys point to (itself excluded)."""
    fks: dict[str, Any] = getattr(definition, "foreign_keys", None) or {}
    name = getattr(definition, "name", None)
    return {str(fk.table_to) for fk in fks.values() if getattr(fk, "table_to", None) not in (None, name)}


def order_drops(statements: Sequence[st.Statement]) -> list[st.Statement]:
    """`statements` with each `DropTable` after the drops of its children and the foreign keys removed from it.

    Stable: nothing moves unless a dependency requires it; a cycle of dropped tables keeps the given order.
    """
    drops = [i for i, s in enumerate(statements) if isinstance(s, st.DropTable)]
    if not drops:
        return list(statements)
    deps: dict[int, set[int]] = {}
    for i in drops:
        target = statements[i].table
        before: set[int] = set()
        for j, s in enumerate(statements):
            if j == i:
                continue
            child_drop = isinstance(s, st.DropTable) and target in _references(s.definition)
            fk_removed = isinstance(s, st.DeleteReference) and getattr(s.fk, "table_to", None) == target
            if child_drop or fk_removed:
                before.add(j)
        deps[i] = before
    out: list[int] = []
    done: set[int] = set()
    deferred: list[int] = []

    def flush() -> None:
        progress = True
        while progress:
            progress = False
            for k in list(deferred):
                if deps[k] <= done:
                    deferred.remove(k)
                    out.append(k)
                    done.add(k)
                    progress = True

    for i in range(len(statements)):
        if i in deps and not deps[i] <= done:
            deferred.append(i)
            continue
        out.append(i)
        done.add(i)
        flush()
    out += deferred  # a cycle: keep the given order (the database reports what it cannot do)
    return [statements[i] for i in out]


__all__ = ["order_drops"]
