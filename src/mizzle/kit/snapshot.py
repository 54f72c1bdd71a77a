"""Schema snapshots (drizzle-kit's `meta/NNNN_snapshot.json`): the generic part.

Each dialect defines its snapshot as dataclasses in `mizzle.kit.dialects.<dialect>.snapshot`
(SQLite: `SQLiteSnapshot`, version "6") subclassing `Snapshot`; its kit dialect's `snapshot_class()`
names it. This module holds what every dialect shares: the JSON encoding drizzle
uses (`JSON.stringify(obj, null, 2)`: 2-space indent, raw UTF-8, no trailing newline), the
`id`/`prevId` chain, dispatch on the `dialect` key, and a validating `Reader` whose errors name
the file and the JSON key at fault.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Self, TypeVar

from mizzle.errors import MigrationError, SchemaError

T = TypeVar("T")

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


@dataclass(slots=True, kw_only=True)
class Snapshot:
    """Base of every dialect's snapshot: `version`, `dialect`, `id`, `prevId` plus dialect content."""

    dialect: ClassVar[str] = ""
    versions: ClassVar[tuple[str, ...]] = ()

    version: str
    id: str = EMPTY_ID
    prev_id: str = EMPTY_ID

    def to_dict(self) -> dict[str, Any]:
        """The JSON object, keys in drizzle-kit's order."""
        raise NotImplementedError

    def to_json(self) -> str:
        """The snapshot file text, byte-identical to drizzle-kit's."""
        return dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any], reader: Reader) -> Self:
        """Build from parsed JSON, validating every key through `reader`."""
        raise NotImplementedError

    @classmethod
    def empty(cls) -> Self:
        """The snapshot of an empty schema (what the first migration is diffed against)."""
        raise NotImplementedError

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
    return cls.from_dict(obj, reader)


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
    """Validating accessors over parsed JSON; errors name the source file and the key path."""

    source: str
    _missing: ClassVar[object] = object()
    strict: bool = field(default=True)

    def fail(self, path: str, expected: str, got: Any) -> MigrationError:
        """The error for a value at `path` that is not what was `expected`."""
        where = f'key "{path}"' if path else "top level"
        shown = "missing" if got is Reader._missing else f"got {json.dumps(got)[:60]}"
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

    def get(self, data: dict[str, Any], key: str, path: str, default: Any = _missing) -> Any:
        """`data[key]`, or `default` when absent (an error when no default is given)."""
        if key in data:
            return data[key]
        if default is Reader._missing:
            raise self.fail(self.join(path, key), "a value", Reader._missing)
        return default

    def string(self, data: dict[str, Any], key: str, path: str, default: Any = _missing) -> str:
        """A required (or defaulted) string."""
        value = self.get(data, key, path, default)
        if not isinstance(value, str):
            raise self.fail(self.join(path, key), "a string", value)
        return value

    def opt_string(self, data: dict[str, Any], key: str, path: str) -> str | None:
        """An optional string (absent -> None)."""
        if key not in data:
            return None
        return self.string(data, key, path)

    def boolean(self, data: dict[str, Any], key: str, path: str, default: Any = _missing) -> bool:
        """A required (or defaulted) boolean."""
        value = self.get(data, key, path, default)
        if not isinstance(value, bool):
            raise self.fail(self.join(path, key), "true or false", value)
        return value

    def strings(self, data: dict[str, Any], key: str, path: str, default: Any = _missing) -> list[str]:
        """A list of strings."""
        value = self.get(data, key, path, default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):  # pyright: ignore[reportUnknownVariableType]
            raise self.fail(self.join(path, key), "a list of strings", value)
        return list(value)  # pyright: ignore[reportUnknownArgumentType]

    def mapping(
        self, data: dict[str, Any], key: str, path: str, item: Callable[[dict[str, Any], str], Any] | None = None,
        default: Any = _missing,
    ) -> dict[str, Any]:
        """An object whose values are objects parsed by `item(value, path)` (raw when None)."""
        value = self.obj(self.get(data, key, path, default), self.join(path, key))
        if item is None:
            return dict(value)
        out: dict[str, Any] = {}
        for k, v in value.items():
            sub = self.join(self.join(path, key), k)
            out[k] = item(self.obj(v, sub), sub)
        return out

    def parser(self, kind: Any) -> Callable[[dict[str, Any], str], Any]:
        """`kind.from_dict(value, path, self)` as an item parser for `mapping`."""

        def parse(value: dict[str, Any], path: str) -> Any:
            return kind.from_dict(value, path, self)

        return parse

    def default_value(self, data: dict[str, Any], path: str) -> str | int | float | bool | None:
        """A column's optional `default`: SQL text or a JSON number/boolean (absent or null -> None)."""
        value = data.get("default")
        if value is not None and not isinstance(value, str | int | float | bool):
            raise self.fail(self.join(path, "default"), "a string, number or boolean", value)
        return value  # pyright: ignore[reportUnknownVariableType]

    def generated(self, data: dict[str, Any], path: str, default_type: Any = _missing) -> tuple[str, str] | None:
        """A column's optional `generated` object as `(as, type)` (absent or null -> None)."""
        if data.get("generated") is None:
            return None
        gp = self.join(path, "generated")
        g = self.obj(data["generated"], gp)
        return self.string(g, "as", gp), self.string(g, "type", gp, default_type)

    def column_keys(self, table_key: str, columns: dict[str, Any]) -> None:
        """Check that every column of table `table_key` is keyed by its own `name`."""
        for key, col in columns.items():
            if key != col.name:
                raise self.fail(f"tables.{table_key}.columns.{key}.name", f"{key!r}", col.name)

    def renames(self, data: dict[str, Any]) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        """`_meta`'s rename maps `(schemas, tables, columns)` (absent -> empty)."""
        meta = self.obj(self.get(data, "_meta", "", {}), "_meta")
        return (self.string_map(meta, "schemas", "_meta"), self.string_map(meta, "tables", "_meta"),
                self.string_map(meta, "columns", "_meta"))

    def string_map(self, data: dict[str, Any], key: str, path: str) -> dict[str, str]:
        """An object of string values (absent -> empty)."""
        value = self.obj(self.get(data, key, path, {}), self.join(path, key))
        for k, v in value.items():
            if not isinstance(v, str):
                raise self.fail(self.join(self.join(path, key), k), "a string", v)
        return dict(value)


__all__ = [
    "EMPTY_ID",
    "Reader",
    "Snapshot",
    "dumps",
    "new_id",
    "parse_snapshot",
    "put_named",
    "read_snapshot",
    "snapshot_class",
]
