"""View options, as Drizzle declares them: typed class keywords of a view, checked when it is declared.

MySQL/MariaDB (`mysqlView(...).algorithm().sqlSecurity().withCheckOption()`):
`algorithm=`, `sql_security=`, `with_check_option=`.
PostgreSQL (`pgView(...).with({...})`, `pgMaterializedView(...).using().with().tablespace().withNoData()`):
`with_=` (a `PgViewWith` for a view, a `PgMaterializedViewWith` for a materialized view; the keys are
the storage parameters' SQL names), and for materialized views `using=`, `tablespace=`, `with_no_data=`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, TypedDict

from mizzle.errors import SchemaError

ViewAlgorithm = Literal["undefined", "merge", "temptable"]
"""MySQL/MariaDB `ALGORITHM = ...` of a view."""
ViewSqlSecurity = Literal["definer", "invoker"]
"""MySQL/MariaDB `SQL SECURITY ...` of a view."""
ViewCheckOption = Literal["cascaded", "local"]
"""`WITH ... CHECK OPTION` (MySQL/MariaDB `with_check_option=`, PostgreSQL `with_={"check_option": ...}`)."""


class PgViewWith(TypedDict, total=False):
    """`CREATE VIEW ... WITH (...)` options of a PostgreSQL view (Drizzle's `pgView(...).with({...})`)."""

    check_option: ViewCheckOption
    security_barrier: bool
    security_invoker: bool


class PgMaterializedViewWith(TypedDict, total=False):
    """Storage parameters of a PostgreSQL materialized view (Drizzle's `pgMaterializedView(...).with({...})`)."""

    fillfactor: int
    toast_tuple_target: int
    parallel_workers: int
    autovacuum_enabled: bool
    vacuum_index_cleanup: Literal["auto", "off", "on"]
    vacuum_truncate: bool
    autovacuum_vacuum_threshold: int
    autovacuum_vacuum_scale_factor: float
    autovacuum_vacuum_cost_delay: float
    autovacuum_vacuum_cost_limit: int
    autovacuum_freeze_min_age: int
    autovacuum_freeze_max_age: int
    autovacuum_freeze_table_age: int
    autovacuum_multixact_freeze_min_age: int
    autovacuum_multixact_freeze_max_age: int
    autovacuum_multixact_freeze_table_age: int
    log_autovacuum_min_duration: int
    user_catalog_table: bool


MYSQL_OPTIONS = ("algorithm", "sql_security", "with_check_option")
"""The class keywords of a MySQL/MariaDB view."""
POSTGRES_OPTIONS = ("with_", "using", "tablespace", "with_no_data")
"""The class keywords of a PostgreSQL view (all but `with_` for materialized views only)."""
VIEW_OPTIONS = MYSQL_OPTIONS + POSTGRES_OPTIONS
"""Every view option class keyword."""

_DIALECT_OPTIONS = {"mysql": MYSQL_OPTIONS, "postgresql": POSTGRES_OPTIONS}
_DIALECT_LABELS = {"mysql": "MySQL/MariaDB", "postgresql": "PostgreSQL", "sqlite": "SQLite/libSQL"}
_CHOICES: dict[str, tuple[str, ...]] = {
    "algorithm": ("undefined", "merge", "temptable"),
    "sql_security": ("definer", "invoker"),
    "with_check_option": ("cascaded", "local"),
}


def _choice(*values: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if isinstance(v, str) and v in values else f"is not one of {', '.join(values)}"
    return check


def _boolean(v: Any) -> str | None:
    return None if isinstance(v, bool) else "must be True or False"


def _integer(v: Any) -> str | None:
    return None if isinstance(v, int) and not isinstance(v, bool) else "must be an int"


def _number(v: Any) -> str | None:
    return None if isinstance(v, int | float) and not isinstance(v, bool) else "must be a number"


_VIEW_WITH: dict[str, Callable[[Any], str | None]] = {
    "check_option": _choice("local", "cascaded"),
    "security_barrier": _boolean,
    "security_invoker": _boolean,
}
_MATERIALIZED_WITH: dict[str, Callable[[Any], str | None]] = {
    "fillfactor": _integer,
    "toast_tuple_target": _integer,
    "parallel_workers": _integer,
    "autovacuum_enabled": _boolean,
    "vacuum_index_cleanup": _choice("auto", "off", "on"),
    "vacuum_truncate": _boolean,
    "autovacuum_vacuum_threshold": _integer,
    "autovacuum_vacuum_scale_factor": _number,
    "autovacuum_vacuum_cost_delay": _number,
    "autovacuum_vacuum_cost_limit": _integer,
    "autovacuum_freeze_min_age": _integer,
    "autovacuum_freeze_max_age": _integer,
    "autovacuum_freeze_table_age": _integer,
    "autovacuum_multixact_freeze_min_age": _integer,
    "autovacuum_multixact_freeze_max_age": _integer,
    "autovacuum_multixact_freeze_table_age": _integer,
    "log_autovacuum_min_duration": _integer,
    "user_catalog_table": _boolean,
}


def given_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The view options actually given (None and with_no_data=False are "not given")."""
    return {k: v for k, v in options.items() if v is not None and v is not False}


def check_view_options(
    view: str, dialect: str, options: Mapping[str, Any], *, materialized: bool, creating: bool = False
) -> None:
    """Raise SchemaError naming the view and the option if an option does not fit the view.

    `dialect` is the dialect the view is declared for ("" when not known yet: only the values are
    checked then; `create_view_sql` checks again with the database's dialect, `creating=True`).
    """
    for option, value in given_options(options).items():
        owner = next(d for d, opts in _DIALECT_OPTIONS.items() if option in opts)
        if dialect and dialect != owner:
            raise SchemaError(
                f"view {view}: {option}= is a {_DIALECT_LABELS[owner]} view option, but the view is "
                f"{'created on' if creating else 'declared for'} {_DIALECT_LABELS.get(dialect, dialect)}; "
                f"drop {option}= (or declare the view with "
                f"mizzle.{'postgres' if owner == 'postgresql' else owner}.Table)"
            )
        if option in _CHOICES:
            if not isinstance(value, str) or value not in _CHOICES[option]:
                raise SchemaError(
                    f"view {view}: {option}={value!r} is not one of {', '.join(_CHOICES[option])}"
                )
        elif option in ("using", "tablespace", "with_no_data"):
            if not materialized:
                raise SchemaError(
                    f"view {view}: {option}= applies to materialized views only; declare the view with "
                    f"materialized=True or drop {option}="
                )
            if option == "with_no_data" and value is not True:
                raise SchemaError(f"view {view}: with_no_data={value!r} must be True or False")
            if option != "with_no_data" and (not isinstance(value, str) or not value):
                raise SchemaError(f"view {view}: {option}={value!r} must be a non-empty name")
        elif option == "with_":
            _check_with(view, value, materialized=materialized)


def _check_with(view: str, value: Any, *, materialized: bool) -> None:
    if not isinstance(value, Mapping):
        raise SchemaError(f"view {view}: with_={value!r} must be a dict of options, e.g. with_={{...}}")
    items: dict[str, Any] = dict(value)  # pyright: ignore[reportUnknownArgumentType]
    if not items:
        raise SchemaError(f"view {view}: with_={{}} is empty; give at least one option or drop with_=")
    specs = _MATERIALIZED_WITH if materialized else _VIEW_WITH
    kind = "a materialized view" if materialized else "a view"
    for key, v in items.items():
        check = specs.get(key)
        if check is None:
            other = _VIEW_WITH if materialized else _MATERIALIZED_WITH
            hint = (f"; it is an option of {'a view' if materialized else 'a materialized view'}"
                    if key in other else "")
            raise SchemaError(
                f"view {view}: with_={{{key!r}: {v!r}}}: {key} is not an option of {kind} "
                f"(options: {', '.join(specs)}){hint}"
            )
        problem = check(v)
        if problem is not None:
            raise SchemaError(f"view {view}: with_ option {key}={v!r} {problem}")


def with_sql(options: Mapping[str, Any]) -> str:
    """The `key = value, ...` list of a PostgreSQL `WITH (...)` clause."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)
    return ", ".join(f"{k} = {value(v)}" for k, v in options.items())


__all__ = [
    "MYSQL_OPTIONS",
    "POSTGRES_OPTIONS",
    "VIEW_OPTIONS",
    "PgMaterializedViewWith",
    "PgViewWith",
    "ViewAlgorithm",
    "ViewCheckOption",
    "ViewSqlSecurity",
    "check_view_options",
    "given_options",
    "with_sql",
]
