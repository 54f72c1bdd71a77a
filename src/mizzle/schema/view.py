"""Views: a table class with `view=` (a select built with mizzle's builder, or raw SQL).

    class ActiveUsers(Table, name="active_users", view=select(Users.id, Users.name).from_(Users)):
        id: Column[int] = integer()
        name: Column[str] = text()

The class's columns are the view's columns (so selecting from it is typed like any table);
`existing=True` declares a view the application reads but does not create; `materialized=True`
(PostgreSQL) declares a materialized view, refreshed with `db.refresh_materialized_view(V)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mizzle.errors import SchemaError
from mizzle.schema.column import Column
from mizzle.schema.view_options import (
    VIEW_OPTIONS,
    ViewAlgorithm,
    ViewCheckOption,
    ViewSqlSecurity,
    check_view_options,
    given_options,
    with_sql,
)
from mizzle.sql.chunks import SQL, Aliased, Inline
from mizzle.sql.render import render

if TYPE_CHECKING:
    from mizzle.schema.table import Table


@dataclass(frozen=True, slots=True)
class ViewInfo:
    """What a view class declares beyond its columns (the options as given: None when not given)."""

    definition: Any  # a Select, an `sql(...)` fragment, a string of SQL, or None (existing)
    materialized: bool = False
    existing: bool = False
    algorithm: ViewAlgorithm | None = None  # MySQL/MariaDB
    sql_security: ViewSqlSecurity | None = None  # MySQL/MariaDB
    with_check_option: ViewCheckOption | None = None  # MySQL/MariaDB
    with_: Mapping[str, bool | int | float | str] | None = None  # PostgreSQL, keys are the SQL names
    using: str | None = None  # PostgreSQL materialized views
    tablespace: str | None = None  # PostgreSQL materialized views
    with_no_data: bool = False  # PostgreSQL materialized views: created empty, filled by a refresh

    def options(self) -> dict[str, Any]:
        """The view options given, by class keyword (`{"algorithm": "merge", ...}`)."""
        return given_options({k: getattr(self, k) for k in VIEW_OPTIONS})


def declare_view(
    cls: type[Table], definition: Any, *, materialized: bool, existing: bool, options: Mapping[str, Any] | None = None
) -> None:
    """Mark a just-defined table class as a view (called by `Table.__init_subclass__`)."""
    meta = cls.__table__
    given = given_options(options or {})
    if definition is None and not materialized and not existing:
        option = next(iter(given))
        raise SchemaError(
            f"table {meta.name}: {option}= is a view option; declare a view with view=<select or SQL> "
            f"(or existing=True), or drop {option}="
        )
    if existing and definition is not None:
        raise SchemaError(f"view {meta.name}: existing=True declares a view mizzle does not create; drop view=")
    if not existing and definition is None:
        raise SchemaError(f"view {meta.name}: give view=<select or SQL> (or existing=True)")
    if existing and given:
        option = next(iter(given))
        raise SchemaError(
            f"view {meta.name}: {option}= says how mizzle creates the view, but existing=True declares a view "
            f"mizzle never creates; drop {option}="
        )
    if meta.indexes or meta.uniques or meta.checks or meta.fk_decls or meta.primary_key:
        raise SchemaError(f"view {meta.name}: a view has no keys, indexes or constraints")
    check_view_options(meta.name, meta.dialect, given, materialized=materialized)
    if definition is not None and not isinstance(definition, SQL | str):
        if getattr(definition, "_field_items", None) is None:
            raise SchemaError(f"view {meta.name}: view= takes a select, an sql(...) fragment or a string")
        _check_columns(cls, definition)
    with_ = given.get("with_")
    meta.view = ViewInfo(
        definition, materialized, existing,
        algorithm=given.get("algorithm"), sql_security=given.get("sql_security"),
        with_check_option=given.get("with_check_option"),
        with_=None if with_ is None else MappingProxyType(dict(with_)),
        using=given.get("using"), tablespace=given.get("tablespace"), with_no_data=bool(given.get("with_no_data")),
    )


def _output_names(select: Any) -> list[tuple[str | None, object]]:
    """(the SQL name of the column a select field becomes, or None if it has none; the field) per field."""
    full = getattr(select, "_mode", None) == "full"
    out: list[tuple[str | None, object]] = []
    items: list[tuple[str, object]] = select._field_items()
    for key, field in items:
        name: str | None = key
        column = _source_column(field)
        alias = _alias(field)
        if alias is not None:
            name = alias
        elif full and column is not None:
            name = column.name
        elif column is None and key.startswith("_"):
            name = None  # an expression selected without a name
        out.append((name, field))
    return out


def _alias(field: object) -> str | None:
    return field.alias if isinstance(field, Aliased) else None


def _source_column(field: object) -> Column[Any] | None:
    """The column a select field reads as is (through `.as_()` and `nullable()`), else None."""
    expr: object = _unalias(field)
    if isinstance(expr, SQL) and len(expr.chunks) == 1:
        expr = expr.chunks[0]
    return expr if isinstance(expr, Column) else None  # pyright: ignore[reportUnknownVariableType]


def _unalias(field: object) -> object:
    return field.expr if isinstance(field, Aliased) else field  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


def _check_columns(cls: type[Table], select: Any) -> None:
    """The class's columns are the select's fields: same count, same names, in order; a column copied
    from a table (`email = Users.email`) must be that table column in the select."""
    meta = cls.__table__
    fields = _output_names(select)
    columns = list(meta.columns.values())
    if len(fields) != len(columns):
        names = ", ".join(n or f"<field {i}>" for i, (n, _) in enumerate(fields, 1))
        plural = "column" if len(columns) == 1 else "columns"
        raise SchemaError(
            f"view {meta.name}: the select has {len(fields)} fields ({names}) but the class "
            f"declares {len(columns)} {plural} ({', '.join(c.name for c in columns)})"
        )
    tables: list[tuple[Any, bool]] = getattr(select, "_tables", [])
    outer = {src for src, nullable in tables if nullable}
    for i, ((name, expr), col) in enumerate(zip(fields, columns, strict=True), 1):
        if name is None:
            raise SchemaError(
                f"view {meta.name}: field {i} of the select (an expression) has no name; name it with a keyword, "
                f"e.g. select(..., {col.name}=...), or with .as_({col.name!r})"
            )
        if name != col.name:
            raise SchemaError(
                f"view {meta.name}: column {i} is declared as {col.name!r} but the select names it {name!r}; "
                f"declare the columns in the select's order with its names (or name the field: "
                f"select(..., {col.name}=...))"
            )
        source = meta.view_sources.get(col.key)
        if source is None:
            continue
        if _source_column(expr) is not source:
            raise SchemaError(
                f"view {meta.name}: column {col.key} is declared as {source.qualified_name} but the select's field "
                f"{name!r} is not that column; declare it with its own type (e.g. {col.key}: Column[...] = ...) or "
                f"select {source.qualified_name}"
            )
        if source.not_null_ and (_unalias(expr) is not source or source.table in outer):
            raise SchemaError(
                f"view {meta.name}: column {col.key} is declared as {source.qualified_name}, which is NOT NULL, but "
                f"the select makes it nullable (nullable() or an outer join); declare it with its own type, "
                f"e.g. {col.key}: Column[... | None] = ..."
            )


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
    """`CREATE [options] [MATERIALIZED] VIEW "name" [options] AS <definition> [options]`."""
    info = view_info(table)
    meta = table.__table__
    if info is None:
        raise SchemaError(f"{meta.name} is not a view")
    if info.materialized and not dialect.caps.materialized_views:
        raise SchemaError(f"view {meta.name}: {dialect.name} has no materialized views")
    check_view_options(meta.name, dialect.name, info.options(), materialized=info.materialized, creating=True)
    q = dialect.quote
    out = ["CREATE"]
    if info.algorithm:
        out.append(f"ALGORITHM = {info.algorithm}")
    if info.sql_security:
        out.append(f"SQL SECURITY {info.sql_security}")
    out += ["MATERIALIZED VIEW" if info.materialized else "VIEW", meta.from_sql(q)]
    if info.using:
        out.append(f"USING {q(info.using)}")
    if info.with_:
        out.append(f"WITH ({with_sql(info.with_)})")
    if info.tablespace:
        out.append(f"TABLESPACE {q(info.tablespace)}")
    out += ["AS", view_definition(table, dialect)]
    if info.with_check_option:
        out.append(f"WITH {info.with_check_option} CHECK OPTION")
    if info.with_no_data:
        out.append("WITH NO DATA")
    return " ".join(out)


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
