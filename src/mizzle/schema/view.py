"""Views: a table class with `view=` (a select built with mizzle's builder, or raw SQL).

    class ActiveUsers(Table, name="active_users", view=select(Users.id, Users.name).from_(Users)):
        id: Column[int] = integer()
        name: Column[str] = text()

The class's columns are the view's columns (so selecting from it is typed like any table);
`existing=True` declares a view the application reads but does not create; `materialized=True`
(PostgreSQL) declares a materialized view, refreshed with `db.refresh_materialized_view(V)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mizzle.errors import SchemaError
from mizzle.sql.chunks import SQL, Inline
from mizzle.sql.render import render

if TYPE_CHECKING:
    from mizzle.schema.table import Table


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """What a view class declares beyond its columns."""

    definition: Any  # a Select, an `sql(...)` fragment, a string of SQL, or None (existing)
    materialized: bool = False
    existing: bool = False


def declare_view(cls: type[Table], definition: Any, *, materialized: bool, existing: bool) -> None:
    """Mark a just-defined table class as a view (called by `Table.__init_subclass__`)."""
    meta = cls.__table__
    if existing and definition is not None:
        raise SchemaError(f"view {meta.name}: existing=True declares a view mizzle does not create; drop view=")
    if not existing and definition is None:
        raise SchemaError(f"view {meta.name}: give view=<select or SQL> (or existing=True)")
    if meta.indexes or meta.uniques or meta.checks or meta.fk_decls or meta.primary_key:
        raise SchemaError(f"view {meta.name}: a view has no keys, indexes or constraints")
    if definition is not None and not isinstance(definition, SQL | str):
        items = getattr(definition, "_field_items", None)
        if items is None:
            raise SchemaError(f"view {meta.name}: view= takes a select, an sql(...) fragment or a string")
        fields = [key for key, _ in items()]
        if len(fields) != len(meta.columns):
            raise SchemaError(
                f"view {meta.name}: the select has {len(fields)} fields ({', '.join(fields)}) but the class "
                f"declares {len(meta.columns)} columns ({', '.join(meta.columns)})"
            )
    meta.view = ViewInfo(definition, materialized, existing)


def view_info(table: type[Table]) -> ViewInfo | None:
    """The view declaration of a table class, or None for a table."""
    info: ViewInfo | None = table.__table__.view
    return info


def is_view(table: type[Table]) -> bool:
    """True if the class declares a view."""
    return table.__table__.view is not None


class _Unescaped:
    """A dialect seen without its text escaping (the definition is run as raw SQL, escaped then)."""

    escape_text: Callable[[str], str] | None = None

    def __init__(self, dialect: Any) -> None:
        self._dialect = dialect
        self.quote: Callable[[str], str] = dialect.quote
        self.placeholder: Callable[[int], str] = dialect.placeholder

    def literal(self, value: Any) -> str:
        text: str = self._dialect.literal(value)
        return text


def view_definition(table: type[Table], dialect: Any) -> str:
    """The view's query as SQL text, values written as literals."""
    info = view_info(table)
    if info is None or info.definition is None:
        raise SchemaError(f"{table.__table__.name} has no view definition")
    d: Any = info.definition
    if isinstance(d, str):
        return d
    frag: Any = d._build(dialect) if hasattr(d, "_build") else d
    return render(Inline(frag), _Unescaped(dialect)).sql


def create_view_sql(table: type[Table], dialect: Any) -> str:
    """`CREATE [MATERIALIZED] VIEW "name" AS <definition>`."""
    info = view_info(table)
    meta = table.__table__
    if info is not None and info.materialized and not dialect.caps.materialized_views:
        raise SchemaError(f"view {meta.name}: {dialect.name} has no materialized views")
    kind = "MATERIALIZED VIEW" if info is not None and info.materialized else "VIEW"
    return f"CREATE {kind} {meta.from_sql(dialect.quote)} AS {view_definition(table, dialect)}"


def drop_view_sql(table: type[Table], dialect: Any, *, if_exists: bool = False) -> str:
    """`DROP [MATERIALIZED] VIEW [IF EXISTS] "name"`."""
    info = view_info(table)
    kind = "MATERIALIZED VIEW" if info is not None and info.materialized else "VIEW"
    exists = "IF EXISTS " if if_exists else ""
    return f"DROP {kind} {exists}{table.__table__.from_sql(dialect.quote)}"


def refresh_sql(table: type[Table], dialect: Any, *, concurrently: bool, with_no_data: bool) -> str:
    """`REFRESH MATERIALIZED VIEW [CONCURRENTLY] "name" [WITH NO DATA]` (PostgreSQL)."""
    info = view_info(table)
    meta = table.__table__
    if info is None or not info.materialized:
        raise SchemaError(f"{meta.name} is not a materialized view (declare it with materialized=True)")
    if not dialect.caps.materialized_views:
        raise SchemaError(f"view {meta.name}: {dialect.name} has no materialized views")
    if concurrently and with_no_data:
        raise SchemaError("refresh_materialized_view: concurrently and with_no_data cannot be combined")
    out = "REFRESH MATERIALIZED VIEW " + ("CONCURRENTLY " if concurrently else "") + meta.from_sql(dialect.quote)
    return out + (" WITH NO DATA" if with_no_data else "")


def split_views(tables: Iterable[type[Table]]) -> tuple[list[type[Table]], list[type[Table]]]:
    """(tables, views) of a schema, each in declaration order."""
    plain: list[type[Table]] = []
    views: list[type[Table]] = []
    for t in tables:
        (views if is_view(t) else plain).append(t)
    return plain, views


def refuse_managed_views(tables: list[type[Table]]) -> list[type[Table]]:
    """The tables of a schema without its `existing=True` views; SchemaError if it declares managed views.

    The kit does not generate, push or pull views yet: a schema declaring one is refused rather than
    migrated without it (or with the view created as a table).
    """
    managed: list[str] = []
    out: list[type[Table]] = []
    for t in tables:
        info = view_info(t)
        if info is None:
            out.append(t)
        elif not info.existing:
            managed.append(t.__table__.name)
    if managed:
        raise SchemaError(
            f"views are not supported by the migration kit yet (generate, push, pull, check, export): "
            f"{', '.join(managed)}. Create them with mizzle.create_all(db, [...]) or in a custom migration "
            f"(mizzle generate --custom) and declare them with existing=True instead of view=."
        )
    return out


__all__ = [
    "ViewInfo",
    "create_view_sql",
    "drop_view_sql",
    "is_view",
    "refresh_sql",
    "refuse_managed_views",
    "split_views",
    "view_definition",
    "view_info",
]
