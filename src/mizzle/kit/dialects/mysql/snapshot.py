"""The drizzle-kit MySQL snapshot (version "5", dialect "mysql").

Differences from SQLite's (all as drizzle-kit 0.31 writes them): a column's `primaryKey` is always
false — every primary key, single-column ones included, lives in `compositePrimaryKeys` (named
`<table>_<col>` for one column, `<table>_<cols>_pk` otherwise) and `name` comes before `columns`;
a column may carry `"onUpdate": true` (ON UPDATE CURRENT_TIMESTAMP); a table's checks are under
`checkConstraint` (singular); an index may carry `using`/`algorithm`/`lock`; there is no `enums`
key and `internal` is `{"tables": {}, "indexes": {}}`. Foreign keys, unique and check constraints,
columns and `_meta` share SQLite's shapes (the classes are reused, the table subclassed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from mizzle.kit.dialects.postgres.snapshot import CompositePK
from mizzle.kit.dialects.sqlite.snapshot import (
    CheckConstraint,
    Column,
    DefaultValue,
    ForeignKey,
    Meta,
    UniqueConstraint,
)
from mizzle.kit.dialects.sqlite.snapshot import Table as SQLiteTable
from mizzle.kit.snapshot import EMPTY_ID, Reader, Snapshot


@dataclass(slots=True)
class Index:
    """An index: `name, columns, isUnique[, using][, algorithm][, lock]`."""

    name: str
    columns: list[str]
    is_unique: bool = False
    using: str | None = None
    algorithm: str | None = None
    lock: str | None = None

    @property
    def where(self) -> None:
        """MySQL has no partial indexes (the generic push checker asks)."""
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        out: dict[str, Any] = {"name": self.name, "columns": list(self.columns), "isUnique": self.is_unique}
        for key, value in (("using", self.using), ("algorithm", self.algorithm), ("lock", self.lock)):
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Index:
        """Parse and validate."""
        return cls(r.string(d, "name", path), r.strings(d, "columns", path), r.boolean(d, "isUnique", path, False),
                   r.opt_string(d, "using", path), r.opt_string(d, "algorithm", path), r.opt_string(d, "lock", path))


@dataclass(slots=True)
class Table(SQLiteTable):
    """`name, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, checkConstraint`."""

    checks_key: ClassVar[str] = "checkConstraint"
    old_checks_key: ClassVar[str | None] = "checkConstraints"
    index_class: ClassVar[type[Any]] = Index
    pk_class: ClassVar[type[Any]] = CompositePK

    indexes: dict[str, Index] = field(  # pyright: ignore[reportIncompatibleVariableOverride]
        default_factory=dict[str, Index])  # type: ignore[assignment]
    composite_primary_keys: dict[str, CompositePK] = field(  # pyright: ignore[reportIncompatibleVariableOverride]
        default_factory=dict[str, CompositePK])  # type: ignore[assignment]

    @property
    def primary_key(self) -> list[str]:
        """The primary key column names."""
        for pk in self.composite_primary_keys.values():
            return list(pk.columns)
        return [c.name for c in self.columns.values() if c.primary_key]


@dataclass(slots=True, kw_only=True)
class MySQLSnapshot(Snapshot):
    """`{version, dialect, id, prevId, tables, views, _meta, internal}`."""

    dialect: ClassVar[str] = "mysql"
    versions: ClassVar[tuple[str, ...]] = ("5",)

    version: str = "5"
    tables: dict[str, Table] = field(default_factory=dict[str, Table])
    views: dict[str, Any] = field(default_factory=dict[str, Any])
    meta: Meta = field(default_factory=Meta)
    internal: dict[str, Any] = field(default_factory=lambda: {"tables": {}, "indexes": {}})
    dialect_name: str = "mysql"

    def to_dict(self) -> dict[str, Any]:
        """JSON object in drizzle-kit's key order."""
        return {
            "version": self.version,
            "dialect": self.dialect_name,
            "id": self.id,
            "prevId": self.prev_id,
            "tables": {k: v.to_dict() for k, v in self.tables.items()},
            "views": dict(self.views),
            "_meta": self.meta.to_dict(),
            "internal": self.internal,
        }

    @classmethod
    def empty(cls) -> MySQLSnapshot:
        """No tables."""
        return cls(id=EMPTY_ID, prev_id=EMPTY_ID)

    @classmethod
    def from_dict(cls, data: dict[str, Any], reader: Reader) -> MySQLSnapshot:
        """Parse and validate a v5 MySQL snapshot."""
        r = reader
        tables: dict[str, Table] = r.mapping(data, "tables", "", lambda v, p: Table.from_dict(v, p, r))
        for key, t in tables.items():
            r.column_keys(key, t.columns)
        meta = Meta(*r.renames(data))
        internal = r.obj(data.get("internal") or {"tables": {}, "indexes": {}}, "internal")
        return cls(
            version="5",
            id=r.string(data, "id", ""),
            prev_id=r.string(data, "prevId", ""),
            tables=tables,
            views=r.mapping(data, "views", "", None, {}),
            meta=meta,
            internal=internal,
            dialect_name=r.string(data, "dialect", ""),
        )

    def schema_dict(self) -> dict[str, Any]:
        """The JSON object without ids, `_meta` and `internal` (for comparisons)."""
        out = Snapshot.schema_dict(self)
        out.pop("internal", None)
        out["tables"] = dict(sorted(out["tables"].items()))
        return out


__all__ = ["CheckConstraint", "Column", "CompositePK", "DefaultValue", "ForeignKey", "Index", "MySQLSnapshot",
           "Meta", "Table", "UniqueConstraint"]
