"""The drizzle-kit MySQL snapshot (version "5", dialect "mysql").

Differences from SQLite's (all as drizzle-kit 0.31 writes them): a column's `primaryKey` is always
false — every primary key, single-column ones included, lives in `compositePrimaryKeys` (named
`<table>_<col>` for one column, `<table>_<cols>_pk` otherwise) and `name` comes before `columns`;
a column may carry `"onUpdate": true` (ON UPDATE CURRENT_TIMESTAMP); a table's checks are under
`checkConstraint` (singular); an index may carry `using`/`algorithm`/`lock`; there is no `enums`
key and `internal` is `{"tables": {}, "indexes": {}}`. Foreign keys, unique and check constraints
and `_meta` share SQLite's shapes (the classes are reused).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from mizzle.kit.dialects.sqlite.snapshot import CheckConstraint, ForeignKey, Generated, Meta, UniqueConstraint
from mizzle.kit.snapshot import EMPTY_ID, Reader, Snapshot

DefaultValue = str | int | float | bool
"""A snapshot `default`: SQL text (`"'member'"`, `"(now())"`) or a JSON number/boolean."""


@dataclass(slots=True)
class Column:
    """A column: `name, type, primaryKey, notNull, autoincrement[, onUpdate][, generated][, default]`."""

    name: str
    type: str
    primary_key: bool = False
    not_null: bool = False
    autoincrement: bool = False
    default: DefaultValue | None = None
    on_update: bool = False
    generated: Generated | None = None

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
        on_update = d.get("onUpdate")
        if on_update is not None and not isinstance(on_update, bool):
            raise r.fail(r.join(path, "onUpdate"), "true or false", on_update)
        return cls(
            name=r.string(d, "name", path),
            type=r.string(d, "type", path),
            primary_key=r.boolean(d, "primaryKey", path, False),
            not_null=r.boolean(d, "notNull", path),
            autoincrement=r.boolean(d, "autoincrement", path, False),
            default=default,
            on_update=bool(on_update),
            generated=Generated(*g) if g else None,
        )


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
class CompositePK:
    """A primary key: `name, columns` (MySQL always calls it PRIMARY; the name is drizzle-kit's)."""

    name: str
    columns: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"name": self.name, "columns": list(self.columns)}

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> CompositePK:
        """Parse and validate."""
        return cls(r.string(d, "name", path), r.strings(d, "columns", path))


@dataclass(slots=True)
class Table:
    """`name, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, checkConstraint`."""

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
            "checkConstraint": {k: v.to_dict() for k, v in self.check_constraints.items()},
        }

    @property
    def primary_key(self) -> list[str]:
        """The primary key column names."""
        for pk in self.composite_primary_keys.values():
            return list(pk.columns)
        return [c.name for c in self.columns.values() if c.primary_key]

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Table:
        """Parse and validate (`checkConstraints`, as older files spell it, is read too)."""
        sub = r.parser
        checks_key = "checkConstraint" if "checkConstraint" in d or "checkConstraints" not in d else "checkConstraints"
        return cls(
            name=r.string(d, "name", path),
            columns=r.mapping(d, "columns", path, sub(Column)),
            indexes=r.mapping(d, "indexes", path, sub(Index), {}),
            foreign_keys=r.mapping(d, "foreignKeys", path, sub(ForeignKey), {}),
            composite_primary_keys=r.mapping(d, "compositePrimaryKeys", path, sub(CompositePK), {}),
            unique_constraints=r.mapping(d, "uniqueConstraints", path, sub(UniqueConstraint), {}),
            check_constraints=r.mapping(d, checks_key, path, sub(CheckConstraint), {}),
        )


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
