"""The drizzle-kit SQLite snapshot (version "6"; version "5" files are read too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from mizzle.kit.snapshot import EMPTY_ID, Reader, Snapshot

DefaultValue = str | int | float | bool
"""A snapshot `default`: SQL text (`"'idle'"`, `"CURRENT_TIMESTAMP"`) or a JSON number/boolean."""


@dataclass(slots=True)
class Generated:
    """`generated`: `{"as": "(<sql>)", "type": "virtual"|"stored"}`."""

    as_: str
    type: str

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"as": self.as_, "type": self.type}


@dataclass(slots=True)
class Column:
    """A column: `name, type, primaryKey, notNull, autoincrement[, onUpdate][, generated][, default]`.

    Shared by SQLite and MySQL (`onUpdate: true` is MySQL's ON UPDATE CURRENT_TIMESTAMP, written only when set)."""

    name: str
    type: str
    primary_key: bool = False
    not_null: bool = False
    autoincrement: bool = False
    default: DefaultValue | None = None
    generated: Generated | None = None
    on_update: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON object in drizzle-kit's key order."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "primaryKey": self.primary_key,
            "notNull": self.not_null,
            "autoincrement": self.autoincrement,
        }
        if self.on_update:
            out["onUpdate"] = True
        if self.generated is not None:
            out["generated"] = self.generated.to_dict()
        if self.default is not None:
            out["default"] = self.default
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Column:
        """Parse and validate."""
        g = r.generated(d, path)
        default = r.default_value(d, path)
        return cls(
            name=r.string(d, "name", path),
            type=r.string(d, "type", path),
            primary_key=r.boolean(d, "primaryKey", path, False),
            not_null=r.boolean(d, "notNull", path),
            autoincrement=r.boolean(d, "autoincrement", path, False),
            default=default,
            generated=Generated(*g) if g else None,
            on_update=r.boolean(d, "onUpdate", path, False),
        )


@dataclass(slots=True)
class Index:
    """An index: `name, columns, isUnique[, where]`."""

    name: str
    columns: list[str]
    is_unique: bool = False
    where: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        out: dict[str, Any] = {"name": self.name, "columns": list(self.columns), "isUnique": self.is_unique}
        if self.where is not None:
            out["where"] = self.where
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Index:
        """Parse and validate."""
        return cls(r.string(d, "name", path), r.strings(d, "columns", path), r.boolean(d, "isUnique", path),
                   r.opt_string(d, "where", path))


@dataclass(slots=True)
class ForeignKey:
    """A foreign key: `name, tableFrom, tableTo, columnsFrom, columnsTo, onDelete, onUpdate`."""

    name: str
    table_from: str
    table_to: str
    columns_from: list[str]
    columns_to: list[str]
    on_delete: str | None = "no action"
    on_update: str | None = "no action"

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        out: dict[str, Any] = {
            "name": self.name,
            "tableFrom": self.table_from,
            "tableTo": self.table_to,
            "columnsFrom": list(self.columns_from),
            "columnsTo": list(self.columns_to),
        }
        if self.on_delete is not None:
            out["onDelete"] = self.on_delete
        if self.on_update is not None:
            out["onUpdate"] = self.on_update
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> ForeignKey:
        """Parse and validate."""
        return cls(
            r.string(d, "name", path), r.string(d, "tableFrom", path), r.string(d, "tableTo", path),
            r.strings(d, "columnsFrom", path), r.strings(d, "columnsTo", path),
            r.opt_string(d, "onDelete", path), r.opt_string(d, "onUpdate", path),
        )


@dataclass(slots=True)
class CompositePK:
    """A composite primary key: `columns, name` (columns first)."""

    columns: list[str]
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        out: dict[str, Any] = {"columns": list(self.columns)}
        if self.name is not None:
            out["name"] = self.name
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> CompositePK:
        """Parse and validate."""
        return cls(r.strings(d, "columns", path), r.opt_string(d, "name", path))


@dataclass(slots=True)
class UniqueConstraint:
    """A unique constraint: `name, columns` (never written by drizzle-kit generate for SQLite)."""

    name: str
    columns: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"name": self.name, "columns": list(self.columns)}

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> UniqueConstraint:
        """Parse and validate."""
        return cls(r.string(d, "name", path), r.strings(d, "columns", path))


@dataclass(slots=True)
class CheckConstraint:
    """A check constraint: `name, value` (SQL text)."""

    name: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"name": self.name, "value": self.value}

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> CheckConstraint:
        """Parse and validate."""
        return cls(r.string(d, "name", path), r.string(d, "value", path))


@dataclass(slots=True)
class Table:
    """A table: `name, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, checkConstraints`.

    MySQL's table subclasses it (other index and primary key shapes, checks under `checkConstraint`)."""

    checks_key: ClassVar[str] = "checkConstraints"
    old_checks_key: ClassVar[str | None] = None
    index_class: ClassVar[type[Any]] = Index
    pk_class: ClassVar[type[Any]] = CompositePK

    name: str
    columns: dict[str, Column] = field(default_factory=dict[str, Column])
    indexes: dict[str, Index] = field(default_factory=dict[str, Index])
    foreign_keys: dict[str, ForeignKey] = field(default_factory=dict[str, ForeignKey])
    composite_primary_keys: dict[str, CompositePK] = field(default_factory=dict[str, CompositePK])
    unique_constraints: dict[str, UniqueConstraint] = field(default_factory=dict[str, UniqueConstraint])
    check_constraints: dict[str, CheckConstraint] = field(default_factory=dict[str, CheckConstraint])

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {
            "name": self.name,
            "columns": {k: v.to_dict() for k, v in self.columns.items()},
            "indexes": {k: v.to_dict() for k, v in self.indexes.items()},
            "foreignKeys": {k: v.to_dict() for k, v in self.foreign_keys.items()},
            "compositePrimaryKeys": {k: v.to_dict() for k, v in self.composite_primary_keys.items()},
            "uniqueConstraints": {k: v.to_dict() for k, v in self.unique_constraints.items()},
            self.checks_key: {k: v.to_dict() for k, v in self.check_constraints.items()},
        }

    @property
    def primary_key(self) -> list[str]:
        """The primary key column names (single-column or composite)."""
        single = [c.name for c in self.columns.values() if c.primary_key]
        if single:
            return single
        for pk in self.composite_primary_keys.values():
            return list(pk.columns)
        return []

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Self:
        """Parse and validate (checks under `old_checks_key`, as older files spell it, are read too)."""
        sub = r.parser
        checks = cls.old_checks_key if cls.old_checks_key in d and cls.checks_key not in d else cls.checks_key
        return cls(
            name=r.string(d, "name", path),
            columns=r.mapping(d, "columns", path, sub(Column)),
            indexes=r.mapping(d, "indexes", path, sub(cls.index_class), {}),
            foreign_keys=r.mapping(d, "foreignKeys", path, sub(ForeignKey), {}),
            composite_primary_keys=r.mapping(d, "compositePrimaryKeys", path, sub(cls.pk_class), {}),
            unique_constraints=r.mapping(d, "uniqueConstraints", path, sub(UniqueConstraint), {}),
            check_constraints=r.mapping(d, checks or cls.checks_key, path, sub(CheckConstraint), {}),
        )


@dataclass(slots=True)
class Meta:
    """`_meta`: the renames resolved by this migration (`"\\"old\\""` -> `"\\"new\\""`)."""

    schemas: dict[str, str] = field(default_factory=dict[str, str])
    tables: dict[str, str] = field(default_factory=dict[str, str])
    columns: dict[str, str] = field(default_factory=dict[str, str])

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"schemas": dict(self.schemas), "tables": dict(self.tables), "columns": dict(self.columns)}


@dataclass(slots=True, kw_only=True)
class SQLiteSnapshot(Snapshot):
    """`{version, dialect, id, prevId, tables, views, enums, _meta, internal}`."""

    dialect: ClassVar[str] = "sqlite"
    versions: ClassVar[tuple[str, ...]] = ("5", "6")

    version: str = "6"
    tables: dict[str, Table] = field(default_factory=dict[str, Table])
    views: dict[str, Any] = field(default_factory=dict[str, Any])
    enums: dict[str, Any] = field(default_factory=dict[str, Any])
    meta: Meta = field(default_factory=Meta)
    internal: dict[str, Any] = field(default_factory=lambda: {"indexes": {}})
    dialect_name: str = "sqlite"

    def to_dict(self) -> dict[str, Any]:
        """JSON object in drizzle-kit's key order."""
        return {
            "version": self.version,
            "dialect": self.dialect_name,
            "id": self.id,
            "prevId": self.prev_id,
            "tables": {k: v.to_dict() for k, v in self.tables.items()},
            "views": dict(self.views),
            "enums": dict(self.enums),
            "_meta": self.meta.to_dict(),
            "internal": self.internal,
        }

    @classmethod
    def empty(cls) -> SQLiteSnapshot:
        """No tables."""
        return cls(id=EMPTY_ID, prev_id=EMPTY_ID)

    @classmethod
    def from_dict(cls, data: dict[str, Any], reader: Reader) -> SQLiteSnapshot:
        """Parse and validate a v5/v6 SQLite snapshot (v5 is read as v6)."""
        r = reader
        tables: dict[str, Table] = r.mapping(data, "tables", "", lambda v, p: Table.from_dict(v, p, r))
        for key, t in tables.items():
            r.column_keys(key, t.columns)
        meta = Meta(*r.renames(data))
        internal = r.obj(data.get("internal") or {"indexes": {}}, "internal")
        return cls(
            version="6",
            id=r.string(data, "id", ""),
            prev_id=r.string(data, "prevId", ""),
            tables=tables,
            views=r.mapping(data, "views", "", None, {}),
            enums=r.mapping(data, "enums", "", None, {}),
            meta=meta,
            internal=internal,
            dialect_name=r.string(data, "dialect", ""),
        )

    def schema_dict(self) -> dict[str, Any]:
        """The JSON object without ids, `_meta` and `internal` (for comparisons)."""
        out = Snapshot.schema_dict(self)
        out["tables"] = dict(sorted(out["tables"].items()))
        return out


__all__ = [
    "CheckConstraint",
    "Column",
    "CompositePK",
    "DefaultValue",
    "ForeignKey",
    "Generated",
    "Index",
    "Meta",
    "SQLiteSnapshot",
    "Table",
    "UniqueConstraint",
]
