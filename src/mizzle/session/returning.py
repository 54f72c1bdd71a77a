"""UPDATE/DELETE ... RETURNING on databases without it (MySQL, MariaDB's UPDATE), in several steps.

`emulated_returning(c, values)` yields the statements to run, in the caller's transaction (the
sync and async sessions open one when none is open), and returns the rows RETURNING would give:

- delete: lock and read the rows (`select <returning>, <key> ... for update`), delete them by key;
- update: lock the rows and read their keys, plus the new key values when `set` changes the key
  (`select <key>, <new key> ... for update`), update them by key, read them back by new key.

The rows are written by primary key, not by the statement's `where`: a `set` that changes the
columns of the `where` (or the key itself) still returns exactly the rows it changed. A table
without a primary key is refused: its rows cannot be read back.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import Any

from mizzle.dialects.base import Dialect
from mizzle.errors import QueryError
from mizzle.query.base import Compiled
from mizzle.query.dml import Delete, ReturningQuery, Update
from mizzle.schema.column import Column
from mizzle.sql.chunks import SQL, ColumnRef, Factory
from mizzle.sql.render import render

Step = tuple[str, Sequence[Any]]


def emulated_returning(c: Compiled, values: dict[str, Any]) -> Generator[Step, list[Any], list[Any]]:
    """Statements to run (send each one's rows back in); returns the RETURNING rows, undecoded."""
    rq: ReturningQuery[Any] = c.statement
    stmt: Update[Any, Any] | Delete[Any] = rq._stmt  # type: ignore[assignment]
    d = c.dialect
    if not isinstance(d, Dialect):
        raise QueryError(f"emulated RETURNING needs a mizzle dialect, got {d!r}")
    table = stmt._table
    meta = table.__table__
    what = f"update {meta.name} ... returning" if isinstance(stmt, Update) else f"delete from {meta.name} ... returning"
    keys = meta.primary_key
    if not keys:
        raise QueryError(
            f"{what}: {d.name} has no such RETURNING and mizzle emulates it by reading the rows back by "
            f"primary key, but table {meta.name} has no primary key; add one, or run the statement "
            "without .returning() and select the rows yourself in the same transaction"
        )

    def step(fragment: SQL[Any]) -> Step:
        q = render(fragment, d)
        return q.sql, q.fill(values) if q.slots else q.params

    fields = d.returning_list(rq._fields or (), table)
    k = len(keys)
    if isinstance(stmt, Delete):
        rows = yield step(d.lock_rows(stmt, [*fields, ", ", *_listed(keys)]))
        if rows:
            yield step(d.build_delete(stmt._on_rows(d.keyed(keys, [r[-k:] for r in rows])), None))
        return [tuple(r[:-k]) for r in rows]
    new_keys = _new_keys(stmt, keys, what)
    locked = yield step(d.lock_rows(stmt, _listed((*keys, *new_keys))))
    if not locked:
        return []
    yield step(d.build_update(stmt._on_rows(d.keyed(keys, [r[:k] for r in locked])), None))
    return (yield step(d.select_keyed(table, fields, keys, [r[k:] for r in locked])))


def _listed(items: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for i, item in enumerate(items):
        if i:
            out.append(", ")
        out.append(item)
    return out


def _new_keys(stmt: Update[Any, Any], keys: tuple[Column[Any], ...], what: str) -> list[Any]:
    """Per key column, what it holds after the update (the column itself when `set` leaves it).

    The new value is computed by the locking select from the old row. That is what the update
    computes too, unless the database reads columns already set earlier in the same SET list
    (MySQL does): such a key is refused rather than read back wrongly.
    """
    assignments = stmt.assignments()
    out: list[Any] = []
    for key in keys:
        found = [i for i, (col, _) in enumerate(assignments) if col is key]
        if not found:
            out.append(key)
            continue
        value = assignments[found[0]][1]
        set_before = {col.name for col, _ in assignments[: found[0]]}
        used = _columns_in(value)
        if used is None or used & set_before:
            raise QueryError(
                f"{what}: the new value of key column {key.name} cannot be read back ("
                + ("it is computed per run" if used is None else
                   f"it reads {', '.join(sorted(used & set_before))}, which this update sets before it")
                + "); set the key from constants or from columns this update does not change"
            )
        out.append(value)
    return out


def _columns_in(chunk: Any) -> set[str] | None:
    """Names of the columns an expression reads, or None when it holds a per-run value (a factory)."""
    names: set[str] = set()
    stack = [chunk]
    while stack:
        c = stack.pop()
        if isinstance(c, Factory):
            return None
        if isinstance(c, ColumnRef):
            names.add(c.name)
        elif isinstance(c, SQL):
            stack.extend(c.chunks)
        elif hasattr(c, "__sql__") and not isinstance(c, type):
            stack.append(c.__sql__())
    return names


class RowsCursor:
    """The rows of an emulated statement, read like a driver cursor."""

    __slots__ = ("_rows", "description", "lastrowid", "rowcount")

    def __init__(self, rows: list[Any]) -> None:
        self._rows = rows
        self.rowcount = len(rows)
        self.lastrowid = None
        self.description = ()

    def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    def fetchmany(self, n: int) -> list[Any]:
        rows, self._rows = self._rows[:n], self._rows[n:]
        return rows
