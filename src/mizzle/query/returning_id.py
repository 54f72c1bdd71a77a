"""`insert(...).returning_id()`: the primary keys of the inserted rows (drizzle's `$returningId()`).

Where the database has `INSERT ... RETURNING` (SQLite, PostgreSQL, MariaDB 10.5+) the keys are
returned by the statement itself. On MySQL, which has none, keys the rows carry (given values and
`default_fn` keys, computed before the insert) are reported as they are, and an AUTO_INCREMENT
key is computed from the first generated id the server reports: MySQL numbers the rows of one
multi-row INSERT consecutively (assumes `auto_increment_increment = 1`, the default).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from mizzle.errors import QueryError
from mizzle.schema.column import Column

if TYPE_CHECKING:
    from mizzle.query.dml import Insert
    from mizzle.sql.render import Query


def _then(value: Any, fn: Callable[[Any], Any]) -> Any:
    """`fn(value)`, or a coroutine doing so once `value` is awaited (async sessions)."""
    if inspect.isawaitable(value):
        aw: Awaitable[Any] = value

        async def finish() -> Any:
            return fn(await aw)

        return finish()
    return fn(value)


class ReturningId:
    """The primary keys of the rows an INSERT adds: `.all()` -> `[{"id": 1}, {"id": 2}]`."""

    __slots__ = ("_insert",)

    def __init__(self, insert: Insert[Any, Any]) -> None:
        self._insert = insert

    def _pk(self) -> tuple[Column[Any], ...]:
        meta = self._insert._table.__table__
        if not meta.primary_key:
            raise QueryError(f"returning_id(): table {meta.name} has no primary key")
        return meta.primary_key

    def _materialized(self) -> Insert[Any, Any]:
        """The insert with `default_fn` primary keys computed now (so they can be reported)."""
        q = self._insert
        if q._select is not None:
            raise QueryError("returning_id() does not work with insert ... select")
        pk = self._pk()
        rows: list[dict[str, Any]] = []
        changed = False
        for row in q._rows:
            new = dict(row)
            for col in pk:
                if col.key not in new and col.default_factory is not None:
                    new[col.key] = col.default_factory()
                    changed = True
            rows.append(new)
        if not changed:
            return q
        out = q._copy()
        out._rows = rows
        return out

    def to_sql(self, dialect: Any = None) -> Query:
        """The INSERT this runs (with RETURNING of the key where the database has it)."""
        q = self._materialized()
        d = dialect or q._dialect()
        if d.caps.returning_insert:
            return q.returning(*self._pk()).to_sql(d)
        return q.to_sql(d)

    def all(self) -> list[dict[str, Any]]:
        """Run the insert; one dict per inserted row, keyed by the primary key's attribute names."""
        q = self._materialized()
        sess = q._sess()
        pk = self._pk()
        keys = [c.key for c in pk]
        if sess.dialect.caps.returning_insert:
            found: Any = sess.values(q.returning(*pk))

            def from_rows(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
                return [dict(zip(keys, r, strict=True)) for r in rows]

            out: list[dict[str, Any]] = _then(found, from_rows)
            return out
        if q._conflict is not None:
            raise QueryError(
                f"returning_id(): {sess.dialect.name} cannot tell which rows an insert with "
                "on_duplicate_key_update / on_conflict_do_nothing added; select them afterwards"
            )
        auto = [c for c in pk if c.autoincrement or c.extra.get("serial")]
        rows = q._rows

        def from_result(result: Any) -> list[dict[str, Any]]:
            next_id = result.last_insert_id
            ids: list[dict[str, Any]] = []
            for row in rows:
                item: dict[str, Any] = {}
                for col in pk:
                    if col.key in row:
                        item[col.key] = row[col.key]
                    elif auto and col is auto[0] and next_id is not None:
                        item[col.key] = next_id
                        next_id += 1
                    else:
                        raise QueryError(
                            f"returning_id(): no value for primary key column {col.qualified_name} "
                            "and the database does not generate it"
                        )
                ids.append(item)
            return ids

        result: list[dict[str, Any]] = _then(sess.run(q), from_result)
        return result
