"""`db.query`: the relational query API (`db.query.users.find_many(with_={...})`).

Which tables `db.query.<name>` knows:

- with `mizzle.connect(url, schema=...)` (a module, or a list of tables / `relations(...)`
  results): every table in it;
- without `schema=`: every table that has `relations(...)` registered (at the time of access).

Each table is reachable by its SQL name (`db.query.workspace_members`) and by its class name
in snake_case (`db.query.workspace_member` for `class WorkspaceMember`). `db.query(Users)` works
for any table and is typed: its `find_many(...).all()` is `list[Users]` for pyright and mypy, and
relations declared on the class (`posts: Many[Posts] = many()`) are typed at every depth.
`db.query.<name>` is typed `TableQueries[Any]`.

What to load is typed too: `with_=[Users.posts, Users.profile.load(columns=[Profiles.bio])]` takes
relations read on the class (`RelationRef[Users, Posts]`, a `Load[Users]`), so a misspelt relation or
one of another table is a type error; `columns=[Users.id, ...]` / `{Users.password: False}` take
column objects. Drizzle's name-keyed dicts still run (checked at run time only).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any, Generic, TypeVar

from mizzle.errors import QueryError
from mizzle.relations.config import parse_level
from mizzle.relations.define import TableRelations, tables_with_relations
from mizzle.relations.query import FindFirst, FindMany
from mizzle.schema.relation import Columns, Load
from mizzle.schema.table import Table, is_table

T = TypeVar("T", bound=Table)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class TableQueries(Generic[T]):
    """`find_many` / `find_first` for one table."""

    __slots__ = ("_db", "table")

    def __init__(self, db: Any, table: type[T]) -> None:
        self._db = db
        self.table = table

    def find_many(
        self,
        *,
        columns: Columns | None = None,
        with_: Sequence[Load[T]] | None = None,
        where: Any = None,
        order_by: Any = None,
        limit: Any = None,
        offset: Any = None,
        extras: Mapping[str, Any] | Any = None,
    ) -> FindMany[T]:
        """Rows of the table with their relations (run it with `.all()` / `.execute()`)."""
        level = parse_level(self.table, self.table.__table__.name, columns=columns, with_=with_, where=where,
                            order_by=order_by, limit=limit, offset=offset, extras=extras)
        return FindMany(self._db, level, False)

    def find_first(
        self,
        *,
        columns: Columns | None = None,
        with_: Sequence[Load[T]] | None = None,
        where: Any = None,
        order_by: Any = None,
        offset: Any = None,
        extras: Mapping[str, Any] | Any = None,
    ) -> FindFirst[T]:
        """The first row with its relations (run it with `.get()` / `.execute()`: a row or None)."""
        level = parse_level(self.table, self.table.__table__.name, columns=columns, with_=with_, where=where,
                            order_by=order_by, limit=None, offset=offset, extras=extras)
        return FindFirst(self._db, level, True)

    def __repr__(self) -> str:
        return f"<db.query.{self.table.__table__.name}>"


def collect_tables(schema: Any) -> list[type[Table]]:
    """The tables of a schema given as a module, a list/tuple/dict of tables and relations, or one table."""
    items: Iterable[Any]
    raw: Any = schema
    if isinstance(raw, ModuleType):
        items = list(vars(raw).values())
    elif isinstance(raw, Mapping):
        items = list(raw.values())  # pyright: ignore[reportUnknownArgumentType,reportUnknownMemberType]
    elif isinstance(raw, list | tuple | set | frozenset):
        items = list(raw)  # pyright: ignore[reportUnknownArgumentType]
    else:
        items = [raw]
    out: list[type[Table]] = []
    for obj in items:
        item: Any = obj.table if isinstance(obj, TableRelations) else obj
        if is_table(item) and item.__table__.alias is None and item not in out:
            table: type[Table] = item
            out.append(table)
    return out


class RelationalQueries:
    """`db.query`: `db.query.users` (by SQL name or snake_case class name) or `db.query(Users)`."""

    def __init__(self, db: Any, schema: Any = None) -> None:
        self._db = db
        self._schema = schema
        self._fixed: dict[str, type[Table]] | None = None
        if schema is not None:
            tables = collect_tables(schema)
            if not tables:
                raise QueryError(f"schema={schema!r} holds no table classes")
            self._fixed = _names(tables)

    def _tables(self) -> dict[str, type[Table]]:
        if self._fixed is not None:
            return self._fixed
        return _names(tables_with_relations())

    def __call__(self, table: type[T]) -> TableQueries[T]:
        """Queries on `table` (typed)."""
        if not is_table(table):
            raise QueryError(f"db.query(...) takes a table class, got {table!r}")
        return TableQueries(self._db, table)

    def __getattr__(self, name: str) -> TableQueries[Any]:
        if name.startswith("__"):
            raise AttributeError(name)
        tables = self._tables()
        table = tables.get(name)
        if table is None:
            known = ", ".join(sorted(tables)) or "none"
            how = ("it is not in the schema passed to connect(schema=...)" if self._fixed is not None
                   else "without connect(schema=...), db.query knows only tables with relations(...) declared")
            raise AttributeError(f"db.query has no table {name!r} ({how}; known: {known}); "
                                 f"db.query(TableClass) works for any table")
        return TableQueries(self._db, table)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._tables()))


def _names(tables: Iterable[type[Table]]) -> dict[str, type[Table]]:
    out: dict[str, type[Table]] = {}
    for t in tables:
        for name in (t.__table__.name, _snake(t.__name__)):
            prev = out.get(name)
            if prev is not None and prev is not t:
                continue  # first one wins; db.query(Table) always works
            out[name] = t
    return out
