"""Schema snapshots (drizzle-kit's `meta/NNNN_snapshot.json`): the generic part.

Each dialect defines its snapshot as dataclasses in `mizzle.kit.dialects.<dialect>.snapshot`
(SQLite: `SQLiteSnapshot`, version "6") subclassing `Snapshot`; its kit dialect's `snapshot_class()`
names it. This module holds what every dialect shares: the JSON encoding drizzle
uses (`JSON.stringify(obj, null, 2)`: 2-space indent, raw UTF-8, no trailing newline), the
`id`/`prevId` chain, dispatch on the `dialect` key, and a validating `Reader` whose errors name
the file and the JSON key at fault.
"""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar, cast

from mizzle.errors import MigrationError, SchemaError

T = TypeVar("T")

MISSING: Any = object()
"""A `Reader`/`F` default meaning: required."""

EMPTY_ID = "00000000-0000-0000-0000-000000000000"
"""The `prevId` of the first snapshot in a folder."""

def dumps(obj: Any) -> str:
    """JSON exactly as drizzle writes it: `JSON.stringify(obj, null, 2)` (no trailing newline)."""
    return json.dumps(obj, indent=2, ensure_ascii=False)


def put_named(items: dict[str, T], name: str, item: T, table: str, what: str) -> None:
    """`items[name] = item`, a SchemaError when table `table` already has one of `what` named so."""
    if name in items:
        raise SchemaError(f"table {table}: two {what} are named {name!r}")
    items[name] = item


def new_id() -> str:
    """A fresh snapshot id (uuid v4, as drizzle-kit uses)."""
    return str(uuid.uuid4())


def snapshot_class(dialect: str, source: str = "snapshot") -> type[Snapshot]:
    """The snapshot class for a `dialect` value (its kit dialect's)."""
    from mizzle.kit.dialects import NAMES, kit_dialect

    if dialect not in NAMES:
        raise MigrationError(f"{source}: unknown dialect {dialect!r} (expected one of {', '.join(sorted(NAMES))})")
    return kit_dialect(dialect).snapshot_class()


def parse_snapshot(text: str, source: str = "snapshot") -> Snapshot:
    """Parse snapshot JSON text; `source` (usually the file path) is named in every error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MigrationError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    reader = Reader(source)
    obj = reader.obj(data, "")
    dialect = reader.string(obj, "dialect", "")
    cls = snapshot_class(dialect, source)
    version = reader.string(obj, "version", "")
    if cls.versions and version not in cls.versions:
        raise MigrationError(
            f"{source}: key \"version\": {dialect} snapshot version {version!r} is not supported "
            f"(expected {' or '.join(repr(v) for v in cls.versions)})"
        )
    return cls.from_dict(obj, "", reader)


def read_snapshot(path: str | Path) -> Snapshot:
    """Read and validate a snapshot file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise MigrationError(f"{p}: cannot read snapshot ({exc.strerror})") from None
    return parse_snapshot(text, str(p))


@dataclass(slots=True)
class Reader:
    """Validating accessors over parsed JSON; errors name the source file and the key path.

    Every value accessor takes `(data, key, path, default)`: `default` is what an absent key means, an
    error when not given."""

    source: str

    def fail(self, path: str, expected: str, got: Any) -> MigrationError:
        """The error for a value at `path` that is not what was `expected`."""
        where = f'key "{path}"' if path else "top level"
        shown = "missing" if got is MISSING else f"got {json.dumps(got)[:60]}"
        return MigrationError(f"{self.source}: {where}: expected {expected}, {shown} (corrupt snapshot?)")

    @staticmethod
    def join(path: str, key: str) -> str:
        """`path.key`."""
        return f"{path}.{key}" if path else key

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        """`value` as a JSON object."""
        if not isinstance(value, dict):
            raise self.fail(path, "an object", value)
        return value  # pyright: ignore[reportUnknownVariableType]

    def get(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> Any:
        """`data[key]`, or `default` when absent (an error when no default is given)."""
        if key in data:
            return data[key]
        if default is MISSING:
            raise self.fail(self.join(path, key), "a value", MISSING)
        return default

    def string(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> str:
        """A string."""
        value = self.get(data, key, path, default)
        if not isinstance(value, str):
            raise self.fail(self.join(path, key), "a string", value)
        return value

    def opt_string(self, data: dict[str, Any], key: str, path: str, default: Any = None) -> str | None:
        """An optional string (absent -> None)."""
        return self.string(data, key, path) if key in data else None

    def number_text(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> str:
        """A string, or a JSON number read as its text (PostgreSQL sequence options)."""
        value = self.get(data, key, path, default)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise self.fail(self.join(path, key), "a string", value)
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> bool:
        """True or false."""
        value = self.get(data, key, path, default)
        if not isinstance(value, bool):
            raise self.fail(self.join(path, key), "true or false", value)
        return value

    def strings(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> list[str]:
        """A list of strings."""
        value = self.get(data, key, path, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):  # pyright: ignore[reportUnknownVariableType]
            raise self.fail(self.join(path, key), "a list of strings", value)
        return list(value)  # pyright: ignore[reportUnknownArgumentType]

    def raw(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> dict[str, Any]:
        """An object, kept as parsed."""
        return dict(self.obj(self.get(data, key, path, default), self.join(path, key)))

    def raw_or(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> dict[str, Any]:
        """An object; absent, null or empty -> (a copy of) `default`."""
        return self.obj(data.get(key) or copy.deepcopy(default), self.join(path, key))

    def nodes(self, data: dict[str, Any], key: str, path: str, default: Any, kind: type[Node]) -> dict[str, Any]:
        """An object whose values are `kind` nodes."""
        sub = self.join(path, key)
        return {k: kind.from_dict(self.obj(v, self.join(sub, k)), self.join(sub, k), self)
                for k, v in self.raw(data, key, path, default).items()}

    def node(self, data: dict[str, Any], key: str, path: str, default: Any, kind: type[Node]) -> Any:
        """One `kind` node; absent or null -> `default` (an empty object's node when no default is given)."""
        value = data.get(key)
        if value is None and default is not MISSING:
            return default
        sub = self.join(path, key)
        return kind.from_dict(self.obj({} if value is None else value, sub), sub, self)

    def default_value(self, data: dict[str, Any], key: str, path: str, default: Any = None) -> Any:
        """A column's optional `default`: SQL text or a JSON number/boolean (absent or null -> None)."""
        value = data.get(key)
        if value is not None and not isinstance(value, str | int | float | bool):
            raise self.fail(self.join(path, key), "a string, number or boolean", value)
        return value  # pyright: ignore[reportUnknownVariableType]

    def string_map(self, data: dict[str, Any], key: str, path: str, default: Any = MISSING) -> dict[str, str]:
        """An object of string values (absent -> empty)."""
        value = self.raw(data, key, path, {})
        for k, v in value.items():
            if not isinstance(v, str):
                raise self.fail(self.join(self.join(path, key), k), "a string", v)
        return value

    def column_keys(self, table_key: str, columns: dict[str, Any]) -> None:
        """Check that every column of table `table_key` is keyed by its own `name`."""
        for key, col in columns.items():
            if key != col.name:
                raise self.fail(f"tables.{table_key}.columns.{key}.name", f"{key!r}", col.name)


@dataclass(frozen=True, slots=True)
class F:
    """One JSON key of a snapshot node; a node lists them in the order drizzle-kit writes them.

    `read` names the `Reader` accessor that parses it (`node`/`nodes` with the nested class as `node`;
    None: written, never read), `default` is what an absent key means (required when not given), the
    key is left out of the JSON when the value is `omit`, `attr` is the attribute (by default the key in
    snake_case) and `old_key` the key's older spelling, read when the key itself is absent."""

    key: str
    read: str | None = "string"
    default: Any = MISSING
    omit: Any = MISSING
    attr: str = ""
    node: type[Node] | None = None
    old_key: str | None = None

    def __post_init__(self) -> None:
        if not self.attr:
            object.__setattr__(self, "attr", re.sub(r"(?<=[a-z])(?=[A-Z])", "_", self.key).lower())

    def value(self, r: Reader, data: dict[str, Any], path: str) -> Any:
        """The parsed value of this key in `data`."""
        read: Callable[..., Any] = getattr(r, self.read or "")
        key = self.old_key if self.old_key in data and self.key not in data else self.key
        return read(data, key, path, self.default, *([self.node] if self.node else []))


def _plain(value: Any) -> Any:
    """`value` as JSON data (nodes through `to_dict`, lists and objects copied)."""
    if isinstance(value, Node):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    return value


class Node:
    """A snapshot JSON object described by its `json_fields`: `to_dict` writes them, `from_dict` reads them."""

    __slots__ = ()
    json_fields: ClassVar[tuple[F, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, keys in drizzle-kit's order."""
        out: dict[str, Any] = {}
        for f in self.json_fields:
            value = getattr(self, f.attr)
            if value is not f.omit:
                out[f.key] = _plain(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str, r: Reader) -> Self:
        """Build from parsed JSON, validating every key through `r`."""
        made: Self = cast(Any, cls)(**{f.attr: f.value(r, data, path) for f in cls.json_fields if f.read})
        made.validate(path, r)
        return made

    def validate(self, path: str, r: Reader) -> None:
        """Checks across keys once parsed (none unless overridden)."""


@dataclass(slots=True, kw_only=True)
class Snapshot(Node):
    """Base of every dialect's snapshot: `version`, `dialect`, `id`, `prevId` plus dialect content."""

    dialect: ClassVar[str] = ""
    versions: ClassVar[tuple[str, ...]] = ()

    version: str
    id: str = EMPTY_ID
    prev_id: str = EMPTY_ID

    def to_json(self) -> str:
        """The snapshot file text, byte-identical to drizzle-kit's."""
        return dumps(self.to_dict())

    @classmethod
    def empty(cls) -> Self:
        """The snapshot of an empty schema (what the first migration is diffed against)."""
        made: Self = cast(Any, cls)()
        return made

    def validate(self, path: str, r: Reader) -> None:
        """Every table's columns are keyed by their names."""
        for key, table in self.table_map().items():
            r.column_keys(key, table.columns)

    def chained(self, prev_id: str, id: str | None = None) -> Self:
        """A copy with a new id (fresh uuid unless given) whose `prevId` is `prev_id`."""
        return replace(self, id=id or new_id(), prev_id=prev_id)

    def table_map(self) -> dict[str, Any]:
        """The snapshot's tables by key."""
        tables: dict[str, Any] = getattr(self, "tables", {})
        return tables

    def same_schema(self, other: Snapshot) -> bool:
        """Whether both describe the same schema (ignoring ids and per-migration metadata)."""
        return self.schema_dict() == other.schema_dict()

    def schema_dict(self) -> dict[str, Any]:
        """The JSON object without ids and `_meta` (for comparisons)."""
        out = self.to_dict()
        for key in ("id", "prevId", "_meta"):
            out.pop(key, None)
        return out


__all__ = [
    "EMPTY_ID",
    "MISSING",
    "F",
    "Node",
    "Reader",
    "Snapshot",
    "dumps",
    "new_id",
    "parse_snapshot",
    "put_named",
    "read_snapshot",
    "snapshot_class",
]
