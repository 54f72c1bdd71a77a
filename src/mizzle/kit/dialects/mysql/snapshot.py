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
from mizzle.kit.snapshot import F, Node, Snapshot


@dataclass(slots=True)
class Index(Node):
    """An index: `name, columns, isUnique[, using][, algorithm][, lock]`."""

    json_fields = (F("name"), F("columns", "strings"), F("isUnique", "boolean", False),
                   *(F(k, "opt_string", omit=None) for k in ("using", "algorithm", "lock")))
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


@dataclass(slots=True)
class Table(SQLiteTable):
    """`name, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, checkConstraint`."""

    json_fields = (*SQLiteTable.json_fields[:2], F("indexes", "nodes", {}, node=Index),
                   SQLiteTable.json_fields[3], F("compositePrimaryKeys", "nodes", {}, node=CompositePK),
                   SQLiteTable.json_fields[5], F("checkConstraint", "nodes", {}, attr="check_constraints",
                                                 node=CheckConstraint, old_key="checkConstraints"))

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
    json_fields = (F("version", None), F("dialect", attr="dialect_name"), F("id"), F("prevId"),
                   F("tables", "nodes", node=Table), F("views", "raw", {}), F("_meta", "node", attr="meta", node=Meta),
                   F("internal", "raw_or", {"tables": {}, "indexes": {}}))

    version: str = "5"
    tables: dict[str, Table] = field(default_factory=dict[str, Table])
    views: dict[str, Any] = field(default_factory=dict[str, Any])
    meta: Meta = field(default_factory=Meta)
    internal: dict[str, Any] = field(default_factory=lambda: {"tables": {}, "indexes": {}})
    dialect_name: str = "mysql"

    def schema_dict(self) -> dict[str, Any]:
        """The JSON object without ids, `_meta` and `internal`, tables sorted (for comparisons)."""
        out = Snapshot.schema_dict(self)
        out.pop("internal", None)
        out["tables"] = dict(sorted(out["tables"].items()))
        return out


__all__ = ["CheckConstraint", "Column", "CompositePK", "DefaultValue", "ForeignKey", "Index", "MySQLSnapshot",
           "Meta", "Table", "UniqueConstraint"]
