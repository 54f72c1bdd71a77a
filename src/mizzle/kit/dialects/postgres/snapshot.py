"""The drizzle-kit PostgreSQL snapshot (version "7"), key order exactly as drizzle-kit 0.31 writes it.

Tables are keyed `"<schema>.<name>"` in the JSON (`"public.users"`); in memory they are keyed by their
display name: `users` for the public schema, `auth.users` for others (so rename hints, answers and
messages read like the SQLite kit's). `table_key()` / `json_key()` convert between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from mizzle.kit.dialects.sqlite.snapshot import CheckConstraint
from mizzle.kit.snapshot import EMPTY_ID, Reader, Snapshot

DefaultValue = str | int | float | bool
"""A snapshot `default`: SQL text (`"'idle'"`, `"now()"`, `"'{}'::jsonb"`) or a JSON number/boolean."""


def table_key(schema: str, name: str) -> str:
    """In-memory key of a table: `name` in the public schema, `schema.name` elsewhere."""
    return name if schema in ("", "public") else f"{schema}.{name}"


def json_key(schema: str, name: str) -> str:
    """The JSON key drizzle-kit uses: `public.name` / `schema.name`."""
    return f"{schema or 'public'}.{name}"


def _number_text(r: Reader, d: dict[str, Any], key: str, path: str, default: str) -> str:
    """A sequence option (`increment`, `minValue`, ...): a string, or a JSON number read as its text."""
    v = d.get(key, default)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    if not isinstance(v, str):
        raise r.fail(r.join(path, key), "a string", v)
    return v


@dataclass(slots=True)
class Generated:
    """`generated`: `{"as": "<sql>", "type": "stored"}`."""

    as_: str
    type: str = "stored"

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"as": self.as_, "type": self.type}


@dataclass(slots=True)
class Identity:
    """`identity` of a column: `type, name, schema, increment, startWith, minValue, maxValue, cache, cycle`."""

    type: str
    name: str
    schema: str = "public"
    increment: str = "1"
    start_with: str = "1"
    min_value: str = "1"
    max_value: str = "2147483647"
    cache: str = "1"
    cycle: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"type": self.type, "name": self.name, "schema": self.schema, "increment": self.increment,
                "startWith": self.start_with, "minValue": self.min_value, "maxValue": self.max_value,
                "cache": self.cache, "cycle": self.cycle}

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Identity:
        """Parse and validate."""
        def s(key: str, default: str) -> str:
            return _number_text(r, d, key, path, default)

        kind = r.string(d, "type", path)
        if kind not in ("always", "byDefault"):
            raise r.fail(r.join(path, "type"), '"always" or "byDefault"', kind)
        return cls(kind, r.string(d, "name", path), r.string(d, "schema", path, "public"), s("increment", "1"),
                   s("startWith", "1"), s("minValue", "1"), s("maxValue", "2147483647"), s("cache", "1"),
                   r.boolean(d, "cycle", path, False))


@dataclass(slots=True)
class Column:
    """A column: `name, type[, typeSchema], primaryKey, notNull[, generated][, identity][, default]`."""

    name: str
    type: str
    type_schema: str | None = None
    primary_key: bool = False
    not_null: bool = False
    generated: Generated | None = None
    identity: Identity | None = None
    default: DefaultValue | None = None
    autoincrement: ClassVar[bool] = False  # the generic differ compares it; PostgreSQL has serial/identity instead

    def to_dict(self) -> dict[str, Any]:
        """JSON object in drizzle-kit's key order."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.type_schema is not None:
            out["typeSchema"] = self.type_schema
        out["primaryKey"] = self.primary_key
        out["notNull"] = self.not_null
        if self.generated is not None:
            out["generated"] = self.generated.to_dict()
        if self.identity is not None:
            out["identity"] = self.identity.to_dict()
        if self.default is not None:
            out["default"] = self.default
        return out

    @property
    def auto_generated(self) -> bool:
        """Whether the database fills the column itself (serial, identity, generated)."""
        return self.identity is not None or self.generated is not None or self.type in (
            "serial", "smallserial", "bigserial")

    @property
    def is_enum(self) -> bool:
        """Whether the type is a user enum (drizzle marks those with `typeSchema`)."""
        return self.type_schema is not None

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Column:
        """Parse and validate."""
        g = r.generated(d, path, "stored")
        ident = None
        if d.get("identity") is not None:
            ip = r.join(path, "identity")
            ident = Identity.from_dict(r.obj(d["identity"], ip), ip, r)
        default = r.default_value(d, path)
        return cls(
            name=r.string(d, "name", path),
            type=r.string(d, "type", path),
            type_schema=r.opt_string(d, "typeSchema", path),
            primary_key=r.boolean(d, "primaryKey", path),
            not_null=r.boolean(d, "notNull", path),
            generated=Generated(*g) if g else None,
            identity=ident,
            default=default,
        )


@dataclass(frozen=True, slots=True)
class IndexColumn:
    """One index element: `expression, isExpression, asc, nulls[, opclass]`."""

    expression: str
    is_expression: bool = False
    asc: bool = True
    nulls: str = "last"
    opclass: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        out: dict[str, Any] = {"expression": self.expression, "isExpression": self.is_expression,
                               "asc": self.asc, "nulls": self.nulls}
        if self.opclass is not None:
            out["opclass"] = self.opclass
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> IndexColumn:
        """Parse and validate."""
        return cls(r.string(d, "expression", path), r.boolean(d, "isExpression", path), r.boolean(d, "asc", path, True),
                   r.string(d, "nulls", path, "last"), r.opt_string(d, "opclass", path))


@dataclass(slots=True)
class Index:
    """An index: `name, columns, isUnique[, where], concurrently, method, with`."""

    name: str
    columns: list[IndexColumn]
    is_unique: bool = False
    where: str | None = None
    concurrently: bool = False
    method: str = "btree"
    with_: dict[str, Any] = field(default_factory=dict[str, Any])

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        out: dict[str, Any] = {"name": self.name, "columns": [c.to_dict() for c in self.columns],
                               "isUnique": self.is_unique}
        if self.where is not None:
            out["where"] = self.where
        out["concurrently"] = self.concurrently
        out["method"] = self.method
        out["with"] = dict(self.with_)
        return out

    @property
    def column_names(self) -> list[str]:
        """Plain column names (expressions as their text)."""
        return [c.expression for c in self.columns]

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Index:
        """Parse and validate (v5/v6 string columns are read as plain columns)."""
        raw = r.get(d, "columns", path)
        if not isinstance(raw, list):
            raise r.fail(r.join(path, "columns"), "a list", raw)
        cols: list[IndexColumn] = []
        for i, c in enumerate(raw):  # pyright: ignore[reportUnknownVariableType,reportUnknownArgumentType]
            cp = f"{r.join(path, 'columns')}[{i}]"
            if isinstance(c, str):
                cols.append(IndexColumn(c))
            else:
                cols.append(IndexColumn.from_dict(r.obj(c, cp), cp, r))
        return cls(r.string(d, "name", path), cols, r.boolean(d, "isUnique", path), r.opt_string(d, "where", path),
                   r.boolean(d, "concurrently", path, False), r.string(d, "method", path, "btree"),
                   r.mapping(d, "with", path, None, {}))


@dataclass(slots=True)
class ForeignKey:
    """A foreign key: `name, tableFrom, tableTo[, schemaTo], columnsFrom, columnsTo, onDelete, onUpdate`."""

    name: str
    table_from: str
    table_to: str
    columns_from: list[str]
    columns_to: list[str]
    on_delete: str | None = "no action"
    on_update: str | None = "no action"
    schema_to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        out: dict[str, Any] = {"name": self.name, "tableFrom": self.table_from, "tableTo": self.table_to}
        if self.schema_to is not None:
            out["schemaTo"] = self.schema_to
        out["columnsFrom"] = list(self.columns_from)
        out["columnsTo"] = list(self.columns_to)
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
            r.opt_string(d, "onDelete", path), r.opt_string(d, "onUpdate", path), r.opt_string(d, "schemaTo", path),
        )


@dataclass(slots=True)
class CompositePK:
    """A composite primary key: `name, columns`."""

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
class UniqueConstraint:
    """A unique constraint: `name, nullsNotDistinct, columns`."""

    name: str
    columns: list[str]
    nulls_not_distinct: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"name": self.name, "nullsNotDistinct": self.nulls_not_distinct, "columns": list(self.columns)}

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> UniqueConstraint:
        """Parse and validate."""
        return cls(r.string(d, "name", path), r.strings(d, "columns", path),
                   r.boolean(d, "nullsNotDistinct", path, False))


@dataclass(slots=True)
class Table:
    """A table: `name, schema, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, policies,
    checkConstraints, isRLSEnabled` (`schema` is `""` for public)."""

    name: str
    schema: str = ""
    columns: dict[str, Column] = field(default_factory=dict[str, Column])
    indexes: dict[str, Index] = field(default_factory=dict[str, Index])
    foreign_keys: dict[str, ForeignKey] = field(default_factory=dict[str, ForeignKey])
    composite_primary_keys: dict[str, CompositePK] = field(default_factory=dict[str, CompositePK])
    unique_constraints: dict[str, UniqueConstraint] = field(default_factory=dict[str, UniqueConstraint])
    policies: dict[str, Any] = field(default_factory=dict[str, Any])
    check_constraints: dict[str, CheckConstraint] = field(default_factory=dict[str, CheckConstraint])
    is_rls_enabled: bool = False

    @property
    def key(self) -> str:
        """The in-memory key (`users` or `auth.users`)."""
        return table_key(self.schema, self.name)

    @property
    def schema_name(self) -> str:
        """The schema, `public` when unset."""
        return self.schema or "public"

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {
            "name": self.name,
            "schema": self.schema,
            "columns": {k: v.to_dict() for k, v in self.columns.items()},
            "indexes": {k: v.to_dict() for k, v in self.indexes.items()},
            "foreignKeys": {k: v.to_dict() for k, v in self.foreign_keys.items()},
            "compositePrimaryKeys": {k: v.to_dict() for k, v in self.composite_primary_keys.items()},
            "uniqueConstraints": {k: v.to_dict() for k, v in self.unique_constraints.items()},
            "policies": dict(self.policies),
            "checkConstraints": {k: v.to_dict() for k, v in self.check_constraints.items()},
            "isRLSEnabled": self.is_rls_enabled,
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
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Table:
        """Parse and validate."""
        sub = r.parser
        return cls(
            name=r.string(d, "name", path),
            schema=r.string(d, "schema", path, ""),
            columns=r.mapping(d, "columns", path, sub(Column)),
            indexes=r.mapping(d, "indexes", path, sub(Index), {}),
            foreign_keys=r.mapping(d, "foreignKeys", path, sub(ForeignKey), {}),
            composite_primary_keys=r.mapping(d, "compositePrimaryKeys", path, sub(CompositePK), {}),
            unique_constraints=r.mapping(d, "uniqueConstraints", path, sub(UniqueConstraint), {}),
            policies=r.mapping(d, "policies", path, None, {}),
            check_constraints=r.mapping(d, "checkConstraints", path, sub(CheckConstraint), {}),
            is_rls_enabled=r.boolean(d, "isRLSEnabled", path, False),
        )


@dataclass(slots=True)
class Enum:
    """An enum type: `name, schema, values`."""

    name: str
    schema: str
    values: list[str]

    @property
    def key(self) -> str:
        """`schema.name` (the JSON key)."""
        return f"{self.schema}.{self.name}"

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"name": self.name, "schema": self.schema, "values": list(self.values)}

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Enum:
        """Parse and validate."""
        return cls(r.string(d, "name", path), r.string(d, "schema", path, "public"), r.strings(d, "values", path))


@dataclass(slots=True)
class Sequence:
    """A sequence: `name, schema, increment, startWith, minValue, maxValue, cache, cycle`."""

    name: str
    schema: str = "public"
    increment: str = "1"
    start_with: str = "1"
    min_value: str = "1"
    max_value: str = "9223372036854775807"
    cache: str = "1"
    cycle: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"name": self.name, "schema": self.schema, "increment": self.increment, "startWith": self.start_with,
                "minValue": self.min_value, "maxValue": self.max_value, "cache": self.cache, "cycle": self.cycle}

    @classmethod
    def from_dict(cls, d: dict[str, Any], path: str, r: Reader) -> Sequence:
        """Parse and validate."""
        def s(key: str, default: str) -> str:
            return _number_text(r, d, key, path, default)

        return cls(r.string(d, "name", path), r.string(d, "schema", path, "public"), s("increment", "1"),
                   s("startWith", "1"), s("minValue", "1"), s("maxValue", "9223372036854775807"), s("cache", "1"),
                   r.boolean(d, "cycle", path, False))


@dataclass(slots=True)
class Meta:
    """`_meta`: renames resolved by this migration (written in drizzle's order: columns, schemas, tables)."""

    schemas: dict[str, str] = field(default_factory=dict[str, str])
    tables: dict[str, str] = field(default_factory=dict[str, str])
    columns: dict[str, str] = field(default_factory=dict[str, str])

    def to_dict(self) -> dict[str, Any]:
        """JSON object."""
        return {"columns": dict(self.columns), "schemas": dict(self.schemas), "tables": dict(self.tables)}


@dataclass(slots=True, kw_only=True)
class PgSnapshot(Snapshot):
    """`{id, prevId, version, dialect, tables, enums, schemas, sequences, roles, policies, views, _meta}`."""

    dialect: ClassVar[str] = "postgresql"
    versions: ClassVar[tuple[str, ...]] = ("7",)

    version: str = "7"
    tables: dict[str, Table] = field(default_factory=dict[str, Table])
    enums: dict[str, Enum] = field(default_factory=dict[str, Enum])
    schemas: dict[str, str] = field(default_factory=dict[str, str])
    sequences: dict[str, Sequence] = field(default_factory=dict[str, Sequence])
    roles: dict[str, Any] = field(default_factory=dict[str, Any])
    policies: dict[str, Any] = field(default_factory=dict[str, Any])
    views: dict[str, Any] = field(default_factory=dict[str, Any])
    meta: Meta = field(default_factory=Meta)
    dialect_name: str = "postgresql"

    def to_dict(self) -> dict[str, Any]:
        """JSON object in drizzle-kit's key order (tables keyed `schema.name`, sorted)."""
        tables = sorted(((json_key(t.schema, t.name), t) for t in self.tables.values()), key=lambda kv: kv[0])
        return {
            "id": self.id,
            "prevId": self.prev_id,
            "version": self.version,
            "dialect": "postgresql",
            "tables": {k: t.to_dict() for k, t in tables},
            "enums": {k: v.to_dict() for k, v in sorted(self.enums.items())},
            "schemas": dict(sorted(self.schemas.items())),
            "sequences": {k: v.to_dict() for k, v in sorted(self.sequences.items())},
            "roles": dict(self.roles),
            "policies": dict(self.policies),
            "views": dict(self.views),
            "_meta": self.meta.to_dict(),
        }

    @classmethod
    def empty(cls) -> PgSnapshot:
        """No tables."""
        return cls(id=EMPTY_ID, prev_id=EMPTY_ID)

    def enum_of(self, column: Column) -> Enum | None:
        """The enum type a column uses (None for built-in types)."""
        if column.type_schema is None:
            return None
        base = column.type.split("[", 1)[0]
        return self.enums.get(f"{column.type_schema}.{base}")

    @classmethod
    def from_dict(cls, data: dict[str, Any], reader: Reader) -> PgSnapshot:
        """Parse and validate a v7 PostgreSQL snapshot."""
        r = reader
        raw: dict[str, Table] = r.mapping(data, "tables", "", lambda v, p: Table.from_dict(v, p, r))
        tables: dict[str, Table] = {}
        for key, t in raw.items():
            if key != json_key(t.schema, t.name):
                raise r.fail(f"tables.{key}", f"the key {json_key(t.schema, t.name)!r} for its name and schema", key)
            r.column_keys(key, t.columns)
            tables[t.key] = t
        meta = Meta(*r.renames(data))
        return cls(
            version="7",
            id=r.string(data, "id", ""),
            prev_id=r.string(data, "prevId", ""),
            tables=tables,
            enums=r.mapping(data, "enums", "", lambda v, p: Enum.from_dict(v, p, r), {}),
            schemas=r.string_map(data, "schemas", ""),
            sequences=r.mapping(data, "sequences", "", lambda v, p: Sequence.from_dict(v, p, r), {}),
            roles=r.mapping(data, "roles", "", None, {}),
            policies=r.mapping(data, "policies", "", None, {}),
            views=r.mapping(data, "views", "", None, {}),
            meta=meta,
        )


__all__ = [
    "CheckConstraint",
    "Column",
    "CompositePK",
    "DefaultValue",
    "Enum",
    "ForeignKey",
    "Generated",
    "Identity",
    "Index",
    "IndexColumn",
    "Meta",
    "PgSnapshot",
    "Sequence",
    "Table",
    "UniqueConstraint",
    "json_key",
    "table_key",
]
