"""`Column[T]`: a typed column, configured fluently in a table class body and bound to it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Self, overload

from typing_extensions import TypeVar

from mizzle.errors import SchemaError
from mizzle.schema.codecs import checked_encoder
from mizzle.sql.chunks import SQL, Codec, ColumnRef, Expr, Yields

if TYPE_CHECKING:
    from mizzle.schema.table import Table

T = TypeVar("T", default=Any)
U = TypeVar("U")

FKAction = Literal["cascade", "restrict", "no action", "set null", "set default"]
_FK_ACTIONS = ("cascade", "restrict", "no action", "set null", "set default")


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""Marks an absent default (distinct from a `None` default)."""


@dataclass(slots=True)
class ForeignKeyRef:
    """A column-level `REFERENCES` clause, resolved lazily (the target may be defined later)."""

    target: Callable[[], Column[Any]]
    on_delete: FKAction | None = None
    on_update: FKAction | None = None
    name: str | None = None

    def resolve(self, owner: Column[Any]) -> Column[Any]:
        """The referenced column, or a SchemaError naming the missing target."""
        try:
            col = self.target()
        except AttributeError as exc:
            raise SchemaError(
                f"column {owner.qualified_name}: foreign key target does not exist ({exc})"
            ) from None
        if not isinstance(col, Column):
            raise SchemaError(
                f"column {owner.qualified_name}: references() must return a column, got {col!r}"
            )
        return col


class Column(ColumnRef[T]):
    """A table column. Read on the class it is `Column[T]`; read on a row it is `T`.

    Columns are created by a dialect's type functions (`text()`, `integer(mode=...)`),
    configured with the fluent methods below in a `Table` class body, and bound to the
    table by `__set_name__`.
    """

    __slots__ = (
        "autoincrement",
        "check_value",
        "default_factory",
        "default_value",
        "enum_values",
        "extra",
        "generated",
        "is_unique",
        "key",
        "length",
        "mode",
        "not_null_",
        "on_update_factory",
        "primary",
        "py_types",
        "references_",
        "renamed_from_",
        "sql_type",
        "table",
        "unique_name",
    )

    def __init__(
        self,
        sql_type: str,
        *,
        name: str | None = None,
        mode: str = "",
        encoder: Codec | None = None,
        decoder: Codec | None = None,
        py_types: tuple[type, ...] = (),
        check_value: Callable[[Any], Any] | None = None,
        enum_values: tuple[str, ...] | None = None,
        length: int | None = None,
        extra: dict[str, Any] | None = None,
        write_types: tuple[type, ...] | None = None,
    ) -> None:
        """`encoder` is wrapped in the write-time check (see `mizzle.schema.codecs.checked_encoder`):
        values must be of `write_types` (default: `py_types`), one of `enum_values`, and pass
        `check_value` (None/True: fine; a string: why the value is refused)."""
        self.sql_type = sql_type
        self.name: str = name or ""
        self.key: str = ""
        self.mode = mode
        self.encoder = checked_encoder(
            encoder, py_types if write_types is None else write_types, enum_values, check_value
        )
        self.decoder = decoder
        self.py_types = py_types
        self.check_value = check_value
        self.enum_values = enum_values
        self.length = length
        self.extra: dict[str, Any] = dict(extra or {})
        self.not_null_ = False
        self.primary = False
        self.autoincrement = False
        self.is_unique = False
        self.unique_name: str | None = None
        self.default_value: Any = MISSING
        self.default_factory: Callable[[], Any] | None = None
        self.on_update_factory: Callable[[], Any] | None = None
        self.references_: list[ForeignKeyRef] = []
        self.generated: tuple[SQL[Any], str] | None = None
        self.renamed_from_: str | None = None
        self.table: type[Table] | None = None
        self.table_alias: str = ""
        self.render_cache: tuple[Any, str, str] | None = None

    # ---- descriptor protocol -------------------------------------------------

    @overload
    def __get__(self, obj: None, owner: Any) -> Column[T]: ...
    @overload
    def __get__(self, obj: object, owner: Any) -> T: ...
    def __get__(self, obj: object | None, owner: Any) -> Any:
        if obj is None:
            return self
        try:
            return obj.__dict__[self.key]
        except KeyError:
            raise AttributeError(f"{type(obj).__name__}.{self.key} was not set") from None

    def __set__(self, obj: object, value: T | Expr[T] | Yields[T]) -> None:
        obj.__dict__[self.key] = value

    def __set_name__(self, owner: type, name: str) -> None:
        if self.table is not None:  # a column of another table assigned in a class body (`email = Users.email`)
            return
        self.key = name
        if not self.name:
            self.name = name

    def __sql__(self) -> SQL[Any]:
        return SQL._of((self,))

    def __repr__(self) -> str:
        return f"Column({self.qualified_name}: {self.sql_type})"

    # Columns are compared by identity (use `eq()` for SQL equality).
    __hash__ = object.__hash__

    @property
    def qualified_name(self) -> str:
        """`table.column` for messages."""
        table = self.table_alias or (self.table.__table__.name if self.table is not None else "?")
        return f"{table}.{self.name or self.key}"

    # ---- fluent configuration (used in class bodies) -------------------------

    def not_null(self: Column[U | None]) -> Column[U]:
        """Mark the column NOT NULL; its Python type drops `None`."""
        self.not_null_ = True
        return self  # type: ignore[return-value]

    def primary_key(self: Column[U | None], *, autoincrement: bool = False) -> Column[U]:
        """Make the column the primary key (implies NOT NULL)."""
        self.primary = True
        self.not_null_ = True
        self.autoincrement = autoincrement
        return self  # type: ignore[return-value]

    def unique(self, name: str | None = None) -> Self:
        """Add a UNIQUE constraint on this column (optionally named)."""
        self.is_unique = True
        self.unique_name = name
        return self

    def default(self, value: T | SQL[Any]) -> Self:
        """A default written into the DDL: a literal value or an `sql(...)` expression."""
        self.default_value = value
        return self

    def default_fn(self, fn: Callable[[], T]) -> Self:
        """A Python function called at insert time when no value is given."""
        self.default_factory = fn
        return self

    def on_update_fn(self, fn: Callable[[], T]) -> Self:
        """A Python function called on every update that does not set this column."""
        self.on_update_factory = fn
        return self

    def references(
        self,
        target: Callable[[], Column[Any]],
        *,
        on_delete: FKAction | None = None,
        on_update: FKAction | None = None,
        name: str | None = None,
    ) -> Self:
        """A foreign key to `target()` (a lambda, so the referenced table may come later)."""
        for action in (on_delete, on_update):
            if action is not None and action not in _FK_ACTIONS:
                raise SchemaError(f"foreign key action {action!r} is not one of {', '.join(_FK_ACTIONS)}")
        self.references_.append(ForeignKeyRef(target, on_delete, on_update, name))
        return self

    def generated_always_as(self, expr: SQL[Any], *, mode: Literal["virtual", "stored"] = "virtual") -> Self:
        """A generated column computed by the database."""
        self.generated = (expr, mode)
        return self

    def renamed_from(self, old_name: str) -> Self:
        """Tell the migration kit this column was renamed from `old_name` (no prompt needed)."""
        self.renamed_from_ = old_name
        return self

    # ---- internals ------------------------------------------------------------

    def bound_copy(self, table: type[Table], alias: str) -> Column[T]:
        """A copy of this column bound to `table` (an alias or subclass) rendering as `alias`."""
        col = copy.copy(self)
        col.table = table
        col.table_alias = alias
        col.render_cache = None
        return col

    def validate(self) -> None:
        """Check the column definition; raise SchemaError naming the column on a problem."""
        default = self.default_value
        if default is MISSING or default is None or isinstance(default, SQL):
            return
        if self.enum_values is not None and default not in self.enum_values:
            raise SchemaError(
                f"column {self.qualified_name}: default {default!r} is not one of the enum values "
                f"{list(self.enum_values)}"
            )
        ok = not self.py_types or (
            isinstance(default, self.py_types) and not (isinstance(default, bool) and bool not in self.py_types)
        )
        why = ""
        if ok and self.encoder is not None:
            try:
                self.encoder(default)
            except (TypeError, ValueError, OverflowError) as exc:
                ok, why = False, f": {exc}"
        if not ok:
            expected = " or ".join(t.__name__ for t in self.py_types) or "a compatible value"
            raise SchemaError(
                f"column {self.qualified_name}: default {default!r} does not fit mode "
                f"{self.mode or self.sql_type!r} (expected {expected}){why}"
            )

    def has_default(self) -> bool:
        """Whether an INSERT may omit this column."""
        return (
            self.default_value is not MISSING
            or self.default_factory is not None
            or self.on_update_factory is not None
            or not self.not_null_
            or self.generated is not None
            or (self.primary and self.sql_type == "integer")
            or bool(self.extra.get("serial"))
            or bool(self.extra.get("identity"))
        )
