"""The drizzle-kit PostgreSQL snapshot (version "7"), key order exactly as drizzle-kit 0.31 writes it.

Tables are keyed `"<schema>.<name>"` in the JSON (`"public.users"`); in memory they are keyed by their
display name: `users` for the public schema, `auth.users` for others (so rename hints, answers and
messages read like the SQLite kit's). `table_key()` / `json_key()` convert between the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Self, cast

from mizzle.kit.dialects.sqlite import snapshot as sqlite
from mizzle.kit.dialects.sqlite.snapshot import CheckConstraint
from mizzle.kit.snapshot import F, Node, Reader, Snapshot

DefaultValue = str | int | float | bool
"""A snapshot `default`: SQL text (`"'idle'"`, `"now()"`, `"'{}'::jsonb"`) or a JSON number/boolean."""


def table_key(schema: str, name: str) -> str:
    """In-memory key of a table: `name` in the public schema, `schema.name` elsewhere."""
    return name if schema in ("", "public") else f"{schema}.{name}"


def json_key(schema: str, name: str) -> str:
    """The JSON key drizzle-kit uses: `public.name` / `schema.name`."""
    return f"{schema or 'public'}.{name}"


@dataclass(slots=True)
class Generated(sqlite.Generated):
    """`generated`: `{"as": "<sql>", "type": "stored"}`."""

    json_fields = (F("as", attr="as_"), F("type", default="stored"))
    type: str = "stored"


def _sequence_fields(max_value: str) -> tuple[F, ...]:
    """`increment, startWith, minValue, maxValue, cache, cycle` (numbers may be JSON numbers)."""
    return (F("increment", "number_text", "1"), F("startWith", "number_text", "1"), F("minValue", "number_text", "1"),
            F("maxValue", "number_text", max_value), F("cache", "number_text", "1"), F("cycle", "boolean", False))


@dataclass(slots=True)
class Identity(Node):
    """`identity` of a column: `type, name, schema, increment, startWith, minValue, maxValue, cache, cycle`."""

    json_fields = (F("type"), F("name"), F("schema", default="public"), *_sequence_fields("2147483647"))
    type: str
    name: str
    schema: str = "public"
    increment: str = "1"
    start_with: str = "1"
    min_value: str = "1"
    max_value: str = "2147483647"
    cache: str = "1"
    cycle: bool = False

    def validate(self, path: str, r: Reader) -> None:
        """`type` is `always` or `byDefault`."""
        if self.type not in ("always", "byDefault"):
            raise r.fail(r.join(path, "type"), '"always" or "byDefault"', self.type)


@dataclass(slots=True)
class Column(Node):
    """A column: `name, type[, typeSchema], primaryKey, notNull[, generated][, identity][, default]`."""

    json_fields = (F("name"), F("type"), F("typeSchema", "opt_string", omit=None), F("primaryKey", "boolean"),
                   F("notNull", "boolean"), F("generated", "node", None, omit=None, node=Generated),
                   F("identity", "node", None, omit=None, node=Identity), F("default", "default_value", omit=None))
    name: str
    type: str
    type_schema: str | None = None
    primary_key: bool = False
    not_null: bool = False
    generated: Generated | None = None
    identity: Identity | None = None
    default: DefaultValue | None = None
    autoincrement: ClassVar[bool] = False  # the generic differ compares it; PostgreSQL has serial/identity instead

    @property
    def auto_generated(self) -> bool:
        """Whether the database fills the column itself (serial, identity, generated)."""
        return self.identity is not None or self.generated is not None or self.type in (
            "serial", "smallserial", "bigserial")

    @property
    def is_enum(self) -> bool:
        """Whether the type is a user enum (drizzle marks those with `typeSchema`)."""
        return self.type_schema is not None


@dataclass(frozen=True, slots=True)
class IndexColumn(Node):
    """One index element: `expression, isExpression, asc, nulls[, opclass]`."""

    json_fields = (F("expression"), F("isExpression", "boolean"), F("asc", "boolean", True),
                   F("nulls", default="last"), F("opclass", "opt_string", omit=None))
    expression: str
    is_expression: bool = False
    asc: bool = True
    nulls: str = "last"
    opclass: str | None = None


@dataclass(slots=True)
class Index(Node):
    """An index: `name, columns, isUnique[, where], concurrently, method, with`."""

    json_fields = (F("name"), F("columns", None), F("isUnique", "boolean"), F("where", "opt_string", omit=None),
                   F("concurrently", "boolean", False), F("method", default="btree"), F("with", "raw", {}, attr="with_"))
    name: str
    columns: list[IndexColumn]
    is_unique: bool = False
    where: str | None = None
    concurrently: bool = False
    method: str = "btree"
    with_: dict[str, Any] = field(default_factory=dict[str, Any])

    @property
    def column_names(self) -> list[str]:
        """Plain column names (expressions as their text)."""
        return [c.expression for c in self.columns]

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str, r: Reader) -> Self:
        """Parse and validate (v5/v6 string columns are read as plain columns)."""
        raw = r.get(data, "columns", path)
        if not isinstance(raw, list):
            raise r.fail(r.join(path, "columns"), "a list", raw)
        cols: list[IndexColumn] = []
        for i, c in enumerate(raw):  # pyright: ignore[reportUnknownVariableType,reportUnknownArgumentType]
            cp = f"{r.join(path, 'columns')}[{i}]"
            cols.append(IndexColumn(c) if isinstance(c, str) else IndexColumn.from_dict(r.obj(c, cp), cp, r))
        made: Self = cast(Any, cls)(**{f.attr: f.value(r, data, path) for f in cls.json_fields if f.read}, columns=cols)
        return made


@dataclass(slots=True)
class ForeignKey(Node):
    """A foreign key: `name, tableFrom, tableTo[, schemaTo], columnsFrom, columnsTo, onDelete, onUpdate`."""

    json_fields = (F("name"), F("tableFrom"), F("tableTo"), F("schemaTo", "opt_string", omit=None),
                   F("columnsFrom", "strings"), F("columnsTo", "strings"),
                   F("onDelete", "opt_string", omit=None), F("onUpdate", "opt_string", omit=None))
    name: str
    table_from: str
    table_to: str
    columns_from: list[str]
    columns_to: list[str]
    on_delete: str | None = "no action"
    on_update: str | None = "no action"
    schema_to: str | None = None


@dataclass(slots=True)
class CompositePK(Node):
    """A composite primary key: `name, columns`."""

    json_fields = (F("name"), F("columns", "strings"))
    name: str
    columns: list[str]


@dataclass(slots=True)
class UniqueConstraint(Node):
    """A unique constraint: `name, nullsNotDistinct, columns`."""

    json_fields = (F("name"), F("nullsNotDistinct", "boolean", False), F("columns", "strings"))
    name: str
    columns: list[str]
    nulls_not_distinct: bool = False


@dataclass(slots=True)
class Table(Node):
    """A table: `name, schema, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, policies,
    checkConstraints, isRLSEnabled` (`schema` is `""` for public)."""

    json_fields = (F("name"), F("schema", default=""), F("columns", "nodes", node=Column),
                   F("indexes", "nodes", {}, node=Index), F("foreignKeys", "nodes", {}, node=ForeignKey),
                   F("compositePrimaryKeys", "nodes", {}, node=CompositePK),
                   F("uniqueConstraints", "nodes", {}, node=UniqueConstraint), F("policies", "raw", {}),
                   F("checkConstraints", "nodes", {}, node=CheckConstraint),
                   F("isRLSEnabled", "boolean", False, attr="is_rls_enabled"))
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

    primary_key = sqlite.Table.primary_key


@dataclass(slots=True)
class Enum(Node):
    """An enum type: `name, schema, values`."""

    json_fields = (F("name"), F("schema", default="public"), F("values", "strings"))
    name: str
    schema: str
    values: list[str]

    @property
    def key(self) -> str:
        """`schema.name` (the JSON key)."""
        return f"{self.schema}.{self.name}"


@dataclass(slots=True)
class Sequence(Node):
    """A sequence: `name, schema, increment, startWith, minValue, maxValue, cache, cycle`."""

    json_fields = (F("name"), F("schema", default="public"), *_sequence_fields("9223372036854775807"))
    name: str
    schema: str = "public"
    increment: str = "1"
    start_with: str = "1"
    min_value: str = "1"
    max_value: str = "9223372036854775807"
    cache: str = "1"
    cycle: bool = False


@dataclass(slots=True)
class Meta(sqlite.Meta):
    """`_meta`: renames resolved by this migration (written in drizzle's order: columns, schemas, tables)."""

    json_fields = (F("columns", "string_map"), F("schemas", "string_map"), F("tables", "string_map"))


@dataclass(slots=True, kw_only=True)
class PgSnapshot(Snapshot):
    """`{id, prevId, version, dialect, tables, enums, schemas, sequences, roles, policies, views, _meta}`."""

    dialect: ClassVar[str] = "postgresql"
    versions: ClassVar[tuple[str, ...]] = ("7",)
    json_fields = (F("id"), F("prevId"), F("version", None), F("dialect", None, attr="dialect_name"),
                   F("tables", "nodes", node=Table), F("enums", "nodes", {}, node=Enum), F("schemas", "string_map"),
                   F("sequences", "nodes", {}, node=Sequence), F("roles", "raw", {}), F("policies", "raw", {}),
                   F("views", "raw", {}), F("_meta", "node", attr="meta", node=Meta))

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
        """JSON object in drizzle-kit's key order (tables keyed `schema.name`; tables, enums, schemas and
        sequences sorted)."""
        out = Snapshot.to_dict(self)
        out["tables"] = {json_key(t.schema, t.name): t.to_dict() for t in self.tables.values()}
        for key in ("tables", "enums", "schemas", "sequences"):
            out[key] = dict(sorted(out[key].items()))
        return out

    def validate(self, path: str, r: Reader) -> None:
        """Tables are keyed `schema.name` in the JSON (re-keyed by `table_key` here), columns by name."""
        for key, t in self.tables.items():
            if key != json_key(t.schema, t.name):
                raise r.fail(f"tables.{key}", f"the key {json_key(t.schema, t.name)!r} for its name and schema", key)
        Snapshot.validate(self, path, r)
        self.tables = {t.key: t for t in self.tables.values()}

    def enum_of(self, column: Column) -> Enum | None:
        """The enum type a column uses (None for built-in types)."""
        if column.type_schema is None:
            return None
        base = column.type.split("[", 1)[0]
        return self.enums.get(f"{column.type_schema}.{base}")


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
