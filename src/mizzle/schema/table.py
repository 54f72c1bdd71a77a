"""`Table`: declare a table as a class; its columns become typed descriptors."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any, ClassVar, TypeVar, dataclass_transform

from mizzle.errors import SchemaError
from mizzle.schema.column import MISSING, Column, ForeignKeyRef
from mizzle.schema.constraints import Check, ForeignKey, Index, PrimaryKey, UniqueConstraint
from mizzle.schema.relation import Many, One, many, one
from mizzle.schema.view_options import (
    PgMaterializedViewWith,
    PgViewWith,
    ViewAlgorithm,
    ViewCheckOption,
    ViewSqlSecurity,
)
from mizzle.sql.identifiers import IdentifierRules

TT = TypeVar("TT", bound="Table")

_registry: dict[tuple[str, str, str | None, str], type[Table]] = {}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class ResolvedForeignKey:
    """A foreign key with its target columns known."""

    __slots__ = ("columns", "foreign_columns", "name", "on_delete", "on_update")

    def __init__(
        self,
        columns: tuple[Column[Any], ...],
        foreign_columns: tuple[Column[Any], ...],
        name: str,
        on_delete: str | None,
        on_update: str | None,
    ) -> None:
        self.columns = columns
        self.foreign_columns = foreign_columns
        self.name = name
        self.on_delete = on_delete
        self.on_update = on_update

    @property
    def foreign_table(self) -> type[Table]:
        """The referenced table."""
        table = self.foreign_columns[0].table
        assert table is not None
        return table

    def __repr__(self) -> str:
        cols = ", ".join(c.name for c in self.columns)
        fcols = ", ".join(c.qualified_name for c in self.foreign_columns)
        return f"ForeignKey({cols} -> {fcols})"


class TableMeta:
    """Everything mizzle knows about a table class, kept under `Table.__table__`."""

    def __init__(self, cls: type[Table], name: str, schema: str | None, dialect: str) -> None:
        self.cls = cls
        self.name = name
        self.schema = schema
        self.dialect = dialect
        self.alias: str | None = None
        self.source: Any = None  # a subquery this "table" selects from, if any
        self.columns: dict[str, Column[Any]] = {}
        self.primary_key: tuple[Column[Any], ...] = ()
        self.primary_key_name: str | None = None
        self.indexes: list[Index] = []
        self.uniques: list[UniqueConstraint] = []
        self.checks: list[Check] = []
        self.fk_decls: list[tuple[Column[Any], ForeignKeyRef] | ForeignKey] = []
        self.options: dict[str, Any] = {}
        self.renamed_from: str | None = None
        self.view: Any = None  # a `mizzle.schema.view.ViewInfo` when the class declares a view
        self.view_sources: dict[str, Column[Any]] = {}  # view columns copied from a table: key -> that column
        self._fks: list[ResolvedForeignKey] | None = None
        self._row_cls: type[Any] | None = None

    # ---- rendering ----------------------------------------------------------

    @property
    def ref_name(self) -> str:
        """The name other clauses use for this table (its alias if aliased)."""
        return self.alias or self.name

    def ref_sql(self, quote: Callable[[str], str]) -> str:
        """How a reference to the table renders in an expression."""
        if self.alias:
            return quote(self.alias)
        if self.schema:
            return quote(self.schema) + "." + quote(self.name)
        return quote(self.name)

    def from_sql(self, quote: Callable[[str], str]) -> str:
        """How the table renders in a FROM or JOIN clause."""
        base = quote(self.schema) + "." + quote(self.name) if self.schema else quote(self.name)
        if self.alias:
            return base + " " + quote(self.alias)
        return base

    # ---- derived ------------------------------------------------------------

    @property
    def foreign_keys(self) -> list[ResolvedForeignKey]:
        """Foreign keys with their targets resolved (raises SchemaError if a target is missing)."""
        if self._fks is None:
            fks: list[ResolvedForeignKey] = []
            for decl in self.fk_decls:
                if isinstance(decl, ForeignKey):
                    targets = decl.targets()
                    cols = tuple(self.own(c) for c in decl.columns)
                    if len(targets) != len(cols):
                        raise SchemaError(
                            f"table {self.name}: foreign key has {len(cols)} columns but "
                            f"{len(targets)} referenced columns"
                        )
                    name = decl.name or _fk_name(self.name, cols, targets)
                    fks.append(ResolvedForeignKey(cols, tuple(targets), name, decl.on_delete_, decl.on_update_))
                else:
                    col, ref = decl
                    target = ref.resolve(col)
                    name = ref.name or _fk_name(self.name, (col,), (target,))
                    fks.append(ResolvedForeignKey((col,), (target,), name, ref.on_delete, ref.on_update))
            for fk in fks:
                for target in fk.foreign_columns:
                    if target.table is None:
                        raise SchemaError(f"table {self.name}: foreign key {fk.name} targets an unbound column")
            self._fks = fks
        return self._fks

    def own(self, col: Column[Any]) -> Column[Any]:
        """Map a column object (possibly from a mixin) to this table's bound column."""
        mine = self.columns.get(col.key)
        if mine is None or (col.table is not None and col.table is not self.cls and mine is not col
                            and not issubclass(self.cls, col.table)):
            raise SchemaError(
                f"table {self.name}: column {col.qualified_name} belongs to another table"
            )
        return mine

    def row_cls(self) -> type[Any]:
        """The tuple-backed row class returned by full-row selects of this table."""
        if self._row_cls is None:
            self._row_cls = make_row_class(self.cls, list(self.columns))
        return self._row_cls


def _fk_name(table: str, cols: Iterable[Column[Any]], targets: Iterable[Column[Any]]) -> str:
    targets = list(targets)
    ftable = targets[0].table.__table__.name if targets and targets[0].table is not None else "?"
    return f"{table}_{'_'.join(c.name for c in cols)}_{ftable}_{'_'.join(c.name for c in targets)}_fk"


def _strip_constraints(col: Column[Any]) -> None:
    """Keep a copied column's type, mode and nullability; drop what belongs to its table."""
    col.not_null_ = col.not_null_ or col.primary
    col.primary = False
    col.autoincrement = False
    col.is_unique = False
    col.unique_name = None
    col.default_value = MISSING
    col.default_factory = None
    col.on_update_factory = None
    col.references_ = []
    col.generated = None
    col.renamed_from_ = None


def make_row_class(base: type[Any], keys: list[str], name: str | None = None) -> type[Any]:
    """A tuple subclass of `base` with a read-only attribute per key (fast to build from a row)."""
    ns: dict[str, Any] = {"__slots__": (), "_fields": tuple(keys)}
    for i, key in enumerate(keys):
        ns[key] = property(itemgetter(i), doc=f"column {key}")
    ns["__repr__"] = _row_repr
    ns["_asdict"] = _row_asdict
    ns["__getnewargs__"] = _row_getnewargs
    # `Row(values)` builds the row like `tuple(values)` (the table class's keyword __init__ is not a row's):
    # the compiled decoders call the class directly, the cheapest way to build a tuple subclass
    ns["__init__"] = object.__init__
    bases: tuple[type[Any], ...]
    kwargs: dict[str, Any]
    if issubclass(base, tuple):
        bases, kwargs = (base,), {}  # pyright: ignore[reportUnknownVariableType]
    else:
        bases, kwargs = (tuple, base), {"_row": True}
    return type(name or base.__name__, bases, ns, **kwargs)  # pyright: ignore[reportUnknownArgumentType]


def _row_repr(self: Any) -> str:
    inner = ", ".join(f"{k}={v!r}" for k, v in zip(self._fields, self, strict=True))
    return f"{type(self).__name__}({inner})"


def _row_asdict(self: Any) -> dict[str, Any]:
    return dict(zip(self._fields, self, strict=True))


def _row_getnewargs(self: Any) -> tuple[Any, ...]:
    return (tuple(self),)


@dataclass_transform(kw_only_default=True, field_specifiers=(Column, One, Many, one, many))
class Table:
    """Base of every table class: `class Users(Table, name="users"): id: Column[int] = ...`.

    Class keywords: `name` (SQL name; default: the class name in snake_case), `schema`,
    `abstract=True` for mixins holding shared columns, `renamed_from` (kit rename hint),
    and dialect options such as `strict=True` / `without_rowid=True` for SQLite.
    Views: `view=<select or SQL>`, `existing=True`, `materialized=True` and the view options
    (`mizzle.schema.view_options`; see docs/views.md).
    Constraints and indexes go in `__constraints__` (a tuple, or a function of the class).
    """

    __table__: ClassVar[TableMeta]
    __dialect__: ClassVar[str] = ""
    __identifiers__: ClassVar[IdentifierRules] = IdentifierRules()
    __constraints__: ClassVar[Any] = ()
    __indexes__: ClassVar[Any] = ()

    def __init_subclass__(
        cls,
        *,
        name: str | None = None,
        schema: str | None = None,
        abstract: bool = False,
        dialect: str | None = None,
        renamed_from: str | None = None,
        view: Any = None,
        materialized: bool = False,
        existing: bool = False,
        algorithm: ViewAlgorithm | None = None,
        sql_security: ViewSqlSecurity | None = None,
        with_check_option: ViewCheckOption | None = None,
        with_: PgViewWith | PgMaterializedViewWith | None = None,
        using: str | None = None,
        tablespace: str | None = None,
        with_no_data: bool = False,
        _row: bool = False,
        **options: Any,
    ) -> None:
        super().__init_subclass__()
        if _row:
            return
        if dialect is not None:
            cls.__dialect__ = dialect
        if abstract or dialect is not None:
            return
        is_view = view is not None or materialized or existing
        _define_table(cls, name or _snake(cls.__name__), schema, renamed_from, options, is_view=is_view)
        view_options: dict[str, Any] = {
            "algorithm": algorithm, "sql_security": sql_security, "with_check_option": with_check_option,
            "with_": with_, "using": using, "tablespace": tablespace, "with_no_data": with_no_data,
        }
        if view is not None or materialized or existing or any(v is not None and v is not False
                                                                 for v in view_options.values()):
            from mizzle.schema.view import declare_view

            declare_view(cls, view, materialized=materialized, existing=existing, options=view_options)

    def __init__(self, **values: Any) -> None:
        columns = self.__table__.columns
        for key, value in values.items():
            if key not in columns:
                raise TypeError(
                    f"{type(self).__name__}() got an unexpected column {key!r}; "
                    f"columns are: {', '.join(columns)}"
                )
            self.__dict__[key] = value

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]


def _define_table(
    cls: type[Table], name: str, schema: str | None, renamed_from: str | None, options: dict[str, Any],
    *, is_view: bool = False,
) -> None:
    meta = TableMeta(cls, name, schema, cls.__dialect__)
    meta.renamed_from = renamed_from
    meta.options = options
    cls.__table__ = meta
    # Collect columns: inherited ones (mixins) first, in MRO order, then this class's own.
    seen: dict[str, Column[Any]] = {}
    for klass in reversed(cls.__mro__[1:]):
        for key, value in vars(klass).items():
            if isinstance(value, Column):
                seen[key] = value
    for key, value in vars(cls).items():
        if isinstance(value, Column):
            seen[key] = value
    by_name: dict[str, str] = {}
    for key, col in seen.items():
        if col.table is None and key in vars(cls):
            col.table = cls
            col.table_alias = name
            bound = col
        elif key in vars(cls) and col.table is not None and not issubclass(cls, col.table):
            # a column of another table assigned in the class body (`email = Users.email`): in a view,
            # the view's column of that type, named by the attribute, without the table's keys/defaults
            bound = col.bound_copy(cls, name)
            bound.key = key
            if is_view:
                bound.name = key
                _strip_constraints(bound)
                meta.view_sources[key] = col
            else:
                bound.references_ = list(col.references_)
            setattr(cls, key, bound)
        else:
            bound = col.bound_copy(cls, name)
            bound.references_ = list(col.references_)
            setattr(cls, key, bound)
        if not bound.key:
            bound.key = key
        if not bound.name:
            bound.name = key
        if bound.name in by_name:
            raise SchemaError(
                f"table {name}: duplicate column name {bound.name!r} "
                f"(attributes {by_name[bound.name]!r} and {key!r})"
            )
        by_name[bound.name] = key
        meta.columns[key] = bound
        bound.validate()
    if not meta.columns:
        raise SchemaError(f"table {name} (class {cls.__name__}) has no columns")

    pk = [c for c in meta.columns.values() if c.primary]
    for col in meta.columns.values():
        for ref in col.references_:
            meta.fk_decls.append((col, ref))

    extras: list[Any] = []
    for attr in ("__constraints__", "__indexes__"):
        extra: Any = getattr(cls, attr, ())
        if callable(extra):
            extra = extra(cls)
        if isinstance(extra, dict):
            extra = list(extra.values())  # pyright: ignore[reportUnknownArgumentType, reportUnknownMemberType, reportUnknownVariableType]
        extras.extend(extra or ())
    for item in extras:
        if isinstance(item, Index):
            for c in item.columns:
                if isinstance(c, Column):
                    _check_own(meta, c, f"index {item.name}")
            meta.indexes.append(item)
        elif isinstance(item, UniqueConstraint):
            for c in item.columns:
                _check_own(meta, c, f"unique constraint {item.name or ''}".strip())
            meta.uniques.append(item)
        elif isinstance(item, PrimaryKey):
            if pk:
                raise SchemaError(
                    f"table {name}: both a column primary key ({pk[0].name}) and a composite primary key"
                )
            cols = tuple(_check_own(meta, c, "primary key") for c in item.columns)
            for c in cols:
                c.not_null_ = True
            meta.primary_key = cols
            meta.primary_key_name = item.name
        elif isinstance(item, ForeignKey):
            for c in item.columns:
                _check_own(meta, c, f"foreign key {item.name or ''}".strip())
            meta.fk_decls.append(item)
        elif isinstance(item, Check):
            meta.checks.append(item)
        else:
            raise SchemaError(f"table {name}: {item!r} in __constraints__ is not an index or constraint")
    if pk:
        if len(pk) > 1:
            raise SchemaError(
                f"table {name}: {len(pk)} columns are marked primary_key() "
                f"({', '.join(c.name for c in pk)}); use primary_key(a, b) in __constraints__ for a composite key"
            )
        meta.primary_key = (pk[0],)
    _check_index_names(meta)
    _check_identifiers(meta, cls.__identifiers__)
    # Resolve foreign keys now when possible; targets defined later are resolved on first use.
    try:
        meta.foreign_keys  # noqa: B018
    except NameError:
        meta._fks = None
    _register(cls, meta)


def _check_own(meta: TableMeta, col: Column[Any], what: str) -> Column[Any]:
    mine = meta.columns.get(col.key)
    if mine is None or (mine is not col and col.table is not None and not issubclass(meta.cls, col.table)):
        raise SchemaError(
            f"table {meta.name}: {what} uses column {col.qualified_name}, which belongs to another table"
        )
    return mine


def _check_identifiers(meta: TableMeta, rules: IdentifierRules) -> None:
    """Refuse, at definition, a name the table's database cannot hold (NUL, too long, trailing space)."""
    names: list[tuple[str, str | None]] = [("table", meta.name), ("schema of table", meta.schema)]
    names += [(f"column {key}", col.name) for key, col in meta.columns.items()]
    names += [("index", ix.name) for ix in meta.indexes]
    names += [("unique constraint", u.name) for u in meta.uniques]
    names += [("check constraint", c.name) for c in meta.checks]
    names += [("primary key", meta.primary_key_name)]
    for what, name in names:
        problem = rules.problem(name) if name is not None else None
        if problem is not None:
            where = f"{what} of table {meta.name!r}" if what != "table" else "table"
            raise SchemaError(f"{where}: the name {name!r} {problem}; choose another name")


def _check_index_names(meta: TableMeta) -> None:
    names: set[str] = set()
    for ix in meta.indexes:
        if ix.name in names:
            raise SchemaError(f"table {meta.name}: two indexes are named {ix.name!r}")
        if not ix.columns:
            raise SchemaError(f"table {meta.name}: index {ix.name!r} has no columns; call .on(...)")
        names.add(ix.name)


def _register(cls: type[Table], meta: TableMeta) -> None:
    key = (cls.__dialect__, cls.__module__, meta.schema, meta.name)
    prev = _registry.get(key)
    if prev is not None and prev.__qualname__ != cls.__qualname__:
        module = sys.modules.get(cls.__module__)
        where = getattr(module, "__file__", cls.__module__)
        raise SchemaError(
            f"two tables are named {meta.name!r} in {where}: classes {prev.__qualname__} and {cls.__qualname__}"
        )
    _registry[key] = cls


def table_columns(table: type[Table]) -> dict[str, Column[Any]]:
    """The columns of a table class, by attribute name, in declaration order."""
    return dict(table.__table__.columns)


def check_unique_names(tables: Iterable[type[Table]]) -> None:
    """Raise SchemaError if two of `tables` share one SQL name."""
    seen: dict[tuple[str | None, str], type[Table]] = {}
    for t in tables:
        key = (t.__table__.schema, t.__table__.name)
        if key in seen and seen[key] is not t:
            raise SchemaError(
                f"two tables are named {t.__table__.name!r}: {seen[key].__module__}.{seen[key].__qualname__} "
                f"and {t.__module__}.{t.__qualname__}"
            )
        seen[key] = t


def alias(table: type[TT], name: str) -> type[TT]:
    """The same table under another name, for self-joins: `Manager = alias(Employees, "manager")`."""
    src = table.__table__
    ns: dict[str, Any] = {}
    sub: type[Any] = type(f"{table.__name__}_{name}", (table,), ns, _row=True)
    meta = TableMeta(sub, src.name, src.schema, src.dialect)
    meta.alias = name
    meta.options = src.options
    for key, col in src.columns.items():
        bound = col.bound_copy(sub, name)
        setattr(sub, key, bound)
        meta.columns[key] = bound
    meta.primary_key = tuple(meta.columns[c.key] for c in src.primary_key)
    meta._row_cls = src.row_cls()
    meta.fk_decls = src.fk_decls
    sub.__table__ = meta
    return sub


def is_table(obj: object) -> bool:
    """Whether `obj` is a table class (or an alias of one)."""
    return isinstance(obj, type) and issubclass(obj, Table) and "__table__" in _table_dict(obj)


def _table_dict(obj: type[Any]) -> dict[str, Any]:
    for klass in obj.__mro__:
        if "__table__" in vars(klass):
            return dict(vars(klass))
    return {}


__all__ = [
    "MISSING",
    "ResolvedForeignKey",
    "Table",
    "TableMeta",
    "alias",
    "check_unique_names",
    "is_table",
    "make_row_class",
    "table_columns",
]
