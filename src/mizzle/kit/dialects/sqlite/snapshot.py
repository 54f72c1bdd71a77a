"""The drizzle-kit SQLite snapshot (version "6"; version "5" files are read too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from mizzle.kit.snapshot import F, Node, Snapshot

DefaultValue = str | int | float | bool
"""A snapshot `default`: SQL text (`"'idle'"`, `"CURRENT_TIMESTAMP"`) or a JSON number/boolean."""


@dataclass(slots=True)
class Generated(Node):
    """`generated`: `{"as": "(<sql>)", "type": "virtual"|"stored"}`."""

    json_fields = (F("as", attr="as_"), F("type"))
    as_: str
    type: str


@dataclass(slots=True)
class Column(Node):
    """A column: `name, type, primaryKey, notNull, autoincrement[, onUpdate][, generated][, default]`.

    Shared by SQLite and MySQL (`onUpdate: true` is MySQL's ON UPDATE CURRENT_TIMESTAMP, written only when set)."""

    json_fields = (F("name"), F("type"), F("primaryKey", "boolean", False), F("notNull", "boolean"),
                   F("autoincrement", "boolean", False), F("onUpdate", "boolean", False, omit=False),
                   F("generated", "node", None, omit=None, node=Generated), F("default", "default_value", omit=None))
    name: str
    type: str
    primary_key: bool = False
    not_null: bool = False
    autoincrement: bool = False
    default: DefaultValue | None = None
    generated: Generated | None = None
    on_update: bool = False


@dataclass(slots=True)
class Index(Node):
    """An index: `name, columns, isUnique[, where]`."""

    json_fields = (F("name"), F("columns", "strings"), F("isUnique", "boolean"), F("where", "opt_string", omit=None))
    name: str
    columns: list[str]
    is_unique: bool = False
    where: str | None = None


@dataclass(slots=True)
class ForeignKey(Node):
    """A foreign key: `name, tableFrom, tableTo, columnsFrom, columnsTo, onDelete, onUpdate`."""

    json_fields = (F("name"), F("tableFrom"), F("tableTo"), F("columnsFrom", "strings"), F("columnsTo", "strings"),
                   F("onDelete", "opt_string", omit=None), F("onUpdate", "opt_string", omit=None))
    name: str
    table_from: str
    table_to: str
    columns_from: list[str]
    columns_to: list[str]
    on_delete: str | None = "no action"
    on_update: str | None = "no action"


@dataclass(slots=True)
class CompositePK(Node):
    """A composite primary key: `columns, name` (columns first)."""

    json_fields = (F("columns", "strings"), F("name", "opt_string", omit=None))
    columns: list[str]
    name: str | None = None


@dataclass(slots=True)
class UniqueConstraint(Node):
    """A unique constraint: `name, columns` (never written by drizzle-kit generate for SQLite)."""

    json_fields = (F("name"), F("columns", "strings"))
    name: str
    columns: list[str]


@dataclass(slots=True)
class CheckConstraint(Node):
    """A check constraint: `name, value` (SQL text)."""

    json_fields = (F("name"), F("value"))
    name: str
    value: str


@dataclass(slots=True)
class Table(Node):
    """A table: `name, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, checkConstraints`.

    MySQL's table subclasses it (other index and primary key shapes, checks under `checkConstraint`)."""

    json_fields = (F("name"), F("columns", "nodes", node=Column), F("indexes", "nodes", {}, node=Index),
                   F("foreignKeys", "nodes", {}, node=ForeignKey),
                   F("compositePrimaryKeys", "nodes", {}, node=CompositePK),
                   F("uniqueConstraints", "nodes", {}, node=UniqueConstraint),
                   F("checkConstraints", "nodes", {}, node=CheckConstraint))
    name: str
    columns: dict[str, Column] = field(default_factory=dict[str, Column])
    indexes: dict[str, Index] = field(default_factory=dict[str, Index])
    foreign_keys: dict[str, ForeignKey] = field(default_factory=dict[str, ForeignKey])
    composite_primary_keys: dict[str, CompositePK] = field(default_factory=dict[str, CompositePK])
    unique_constraints: dict[str, UniqueConstraint] = field(default_factory=dict[str, UniqueConstraint])
    check_constraints: dict[str, CheckConstraint] = field(default_factory=dict[str, CheckConstraint])

    @property
    def primary_key(self) -> list[str]:
        """The primary key column names (single-column or composite)."""
        single = [c.name for c in self.columns.values() if c.primary_key]
        if single:
            return single
        for pk in self.composite_primary_keys.values():
            return list(pk.columns)
        return []


@dataclass(slots=True)
class Meta(Node):
    """`_meta`: the renames resolved by this migration (`"\\"old\\""` -> `"\\"new\\""`)."""

    json_fields = (F("schemas", "string_map"), F("tables", "string_map"), F("columns", "string_map"))
    schemas: dict[str, str] = field(default_factory=dict[str, str])
    tables: dict[str, str] = field(default_factory=dict[str, str])
    columns: dict[str, str] = field(default_factory=dict[str, str])


@dataclass(slots=True, kw_only=True)
class SQLiteSnapshot(Snapshot):
    """`{version, dialect, id, prevId, tables, views, enums, _meta, internal}` (v5 is read as v6)."""

    dialect: ClassVar[str] = "sqlite"
    versions: ClassVar[tuple[str, ...]] = ("5", "6")
    json_fields = (F("version", None), F("dialect", attr="dialect_name"), F("id"), F("prevId"),
                   F("tables", "nodes", node=Table), F("views", "raw", {}), F("enums", "raw", {}),
                   F("_meta", "node", attr="meta", node=Meta), F("internal", "raw_or", {"indexes": {}}))

    version: str = "6"
    tables: dict[str, Table] = field(default_factory=dict[str, Table])
    views: dict[str, Any] = field(default_factory=dict[str, Any])
    enums: dict[str, Any] = field(default_factory=dict[str, Any])
    meta: Meta = field(default_factory=Meta)
    internal: dict[str, Any] = field(default_factory=lambda: {"indexes": {}})
    dialect_name: str = "sqlite"

    def schema_dict(self) -> dict[str, Any]:
        """The JSON object without ids and `_meta`, tables sorted (for comparisons)."""
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
