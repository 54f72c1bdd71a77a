"""`seed`: deterministic fake data for every table of a schema (drizzle-seed's `seed`/`reset`, small).

Rows are generated from the schema, not the database: each column gets values of its mode (numbers,
booleans, timestamps, JSON, decimals, bytes), enum columns take their values, NOT NULL columns are
always filled, unique columns, unique indexes, unique constraints and primary keys get distinct
values, and foreign keys point at rows that exist (parent tables are filled first; a self-reference
points at an earlier row). The same `seed` on the same database state gives the same rows: every
table draws from its own `random.Random(f"{seed}:{table}")`. Rows go in through the query builder
(so column encoders apply) in one transaction. `reset` empties the tables with foreign keys off.
"""

from __future__ import annotations

import random
import string
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit.dialects import kit_dialect_of
from mizzle.schema.column import Column
from mizzle.schema.table import ResolvedForeignKey, Table
from mizzle.session.sync import Database
from mizzle.sql.chunks import SQL

BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)
"""Generated timestamps fall in the year after this instant (fixed, so runs are reproducible)."""

_FIRST = ("Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances", "Edsger",
          "Radia", "Tim", "Hedy", "John", "Katherine", "Donald")
_LAST = ("Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Hamilton", "Ritchie", "Allen",
         "Dijkstra", "Perlman", "Berners-Lee", "Lamarr", "Backus", "Johnson", "Knuth")
_WORDS = ("alpha", "bravo", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "island", "juniper",
          "kernel", "lumen", "meadow", "nimbus", "orbit", "prism", "quartz", "river", "summit", "tundra")


@dataclass(slots=True)
class SeedResult:
    """What `seed` inserted: rows per table (in insertion order), plus what `reset` deleted."""

    inserted: dict[str, int] = field(default_factory=dict[str, int])
    deleted: dict[str, int] = field(default_factory=dict[str, int])
    seconds: float = 0.0

    @property
    def total(self) -> int:
        """Rows inserted into all tables."""
        return sum(self.inserted.values())


def insertion_order(tables: Sequence[type[Table]]) -> list[type[Table]]:
    """Parents before children (self-references ignored); raises for a cycle of NOT NULL foreign keys."""
    by_name = {t.__table__.name: t for t in tables}
    deps: dict[str, set[str]] = {}
    for t in tables:
        meta = t.__table__
        deps[meta.name] = set()
        for fk in meta.foreign_keys:
            parent = fk.foreign_table.__table__.name
            if parent != meta.name and parent in by_name:
                deps[meta.name].add(parent)
    order: list[str] = []
    while deps:
        ready = sorted(n for n, d in deps.items() if not d)
        if not ready:
            cycle = _breakable(deps, by_name)
            if cycle is None:
                names = ", ".join(sorted(deps))
                raise MigrationError(
                    f"seed: the foreign keys of {names} form a cycle of NOT NULL columns; no insertion order "
                    "can satisfy them (make one of those columns nullable)"
                )
            deps[cycle[0]].discard(cycle[1])
            continue
        for n in ready:
            order.append(n)
            del deps[n]
            for d in deps.values():
                d.discard(n)
    return [by_name[n] for n in order]


def _breakable(deps: Mapping[str, set[str]], by_name: Mapping[str, type[Table]]) -> tuple[str, str] | None:
    """A (child, parent) edge of a cycle whose FK columns are all nullable (filled with NULL instead)."""
    for child in sorted(deps):
        for fk in by_name[child].__table__.foreign_keys:
            parent = fk.foreign_table.__table__.name
            if parent in deps[child] and not any(c.not_null_ for c in fk.columns):
                return child, parent
    return None


def _unique_sets(table: type[Table]) -> list[tuple[str, ...]]:
    """Column-name tuples that must be distinct across rows (PK, unique columns, unique indexes/constraints)."""
    meta = table.__table__
    out: list[tuple[str, ...]] = []
    if meta.primary_key:
        out.append(tuple(c.name for c in meta.primary_key))
    out += [(c.name,) for c in meta.columns.values() if c.is_unique]
    out += [tuple(c.name for c in u.columns) for u in meta.uniques if u.columns]
    for ix in meta.indexes:
        if ix.unique and ix.where_ is None and all(isinstance(c, Column) for c in ix.columns):
            out.append(tuple(c.name for c in ix.columns if isinstance(c, Column)))
    return list(dict.fromkeys(out))


def _rowid_alias(table: type[Table]) -> Column[Any] | None:
    """The single integer primary key column (SQLite's rowid, serial, AUTO_INCREMENT): ids max+1, max+2, ..."""
    pk = table.__table__.primary_key
    if len(pk) == 1 and int in pk[0].py_types and pk[0].mode in ("number", None):
        return pk[0]
    return None


def _text(col: Column[Any], n: int, rng: random.Random, unique: bool) -> str:
    name = col.name.lower()
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    word = rng.choice(_WORDS)
    distinct = False  # the value is unique by construction (a random UUID)
    if "email" in name:
        value = f"{first.lower()}.{last.lower()}{n}@example.com"
    elif name in ("id", "uuid", "guid") or name.endswith(("_id", "uuid")):
        value = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        distinct = True
    elif name.endswith(("_at", "_on")) or "date" in name or "time" in name:
        when = BASE_TIME + timedelta(seconds=rng.randrange(365 * 24 * 3600))
        value = when.isoformat().replace("+00:00", "Z")
    elif "url" in name or "link" in name or "website" in name:
        value = f"https://example.com/{word}/{n}"
    elif "phone" in name:
        value = f"+1-555-{rng.randrange(1000):03d}-{n % 10000:04d}"
    elif "slug" in name:
        value = f"{word}-{n}"
    elif name in ("name", "full_name", "fullname", "display_name", "username", "user_name", "author"):
        value = f"{first} {last}" if not name.startswith("user") else f"{first.lower()}{n}"
        if unique and "user" not in name:
            value += f" {n}"
    elif name in ("first_name", "firstname", "given_name"):
        value = first
    elif name in ("last_name", "lastname", "family_name", "surname"):
        value = last
    elif any(k in name for k in ("body", "content", "description", "bio", "text", "note", "message", "summary")):
        value = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
    elif any(k in name for k in ("title", "label", "subject", "heading")):
        value = f"{word.capitalize()} {rng.choice(_WORDS)}"
    elif "color" in name or "colour" in name:
        value = "#" + "".join(rng.choice("0123456789abcdef") for _ in range(6))
    else:
        value = f"{word}_{''.join(rng.choice(string.ascii_lowercase) for _ in range(5))}"
    if unique and not distinct and str(n) not in value:
        value = f"{value}_{n}"
    if col.length is not None and len(value) > col.length:
        value = value[-col.length:] if unique else value[: col.length]
    return value


def fake_value(col: Column[Any], n: int, rng: random.Random, *, unique: bool = False) -> Any:
    """A value for `col` in row number `n` (1-based, distinct per row when `unique`), of the column's mode."""
    if col.enum_values:
        return col.enum_values[(n - 1) % len(col.enum_values)] if unique else rng.choice(col.enum_values)
    if col.extra.get("array"):  # PostgreSQL arrays: an empty one fits every element type
        return []
    t, mode = col.sql_type, col.mode
    when = BASE_TIME + timedelta(seconds=rng.randrange(365 * 24 * 3600) if not unique else n * 61)
    if mode == "boolean":
        return rng.random() < 0.5
    if mode == "timestamp":
        return when
    if mode == "timestamp_ms":
        return when + timedelta(milliseconds=rng.randrange(1000))
    if mode == "datetime":  # PostgreSQL/MySQL timestamps: naive unless the column keeps a time zone
        return when if col.extra.get("with_timezone") else when.replace(tzinfo=None)
    if mode == "date":
        return when.date()
    if mode == "json":
        return {"n": n, "tag": rng.choice(_WORDS), "ok": rng.random() < 0.5}
    if t == "integer" or mode == "bigint" or (int in col.py_types and mode in ("number", None)):
        return n if unique else rng.randint(0, 1000)
    if t == "real":
        return n + 0.5 if unique else round(rng.uniform(0, 1000), 2)
    if t.split("(")[0] in ("numeric", "decimal"):
        value = Decimal(n) + Decimal("0.25") if unique else Decimal(rng.randint(0, 100_000)) / 100
        return {"number": float(value), "decimal": value}.get(mode or "", str(value))
    if t == "blob":
        return n.to_bytes(8, "big") + rng.randbytes(4) if unique else rng.randbytes(12)
    return _text(col, n, rng, unique)


class _TableSeeder:
    """Generates the rows of one table."""

    def __init__(self, db: Database, table: type[Table], count: int, seed: int | str,
                 parents: Mapping[str, list[tuple[Any, ...]]]) -> None:
        self.db = db
        self.table = table
        self.meta = table.__table__
        self.count = count
        self.rng = random.Random(f"{seed}:{self.meta.name}")
        self.parents = parents
        self.uniques = _unique_sets(table)
        self.unique_cols = {c for u in self.uniques if len(u) == 1 for c in u}
        self.seen: list[set[tuple[Any, ...]]] = [set() for _ in self.uniques]
        self.rowid = _rowid_alias(table)
        self.existing = _count(db, self.meta.name)
        self.start_id = (_max(db, self.meta.name, self.rowid.name) if self.rowid is not None else 0) + 1
        for i, u in enumerate(self.uniques):  # values already in the table count as taken
            self.seen[i] |= set(_distinct(db, self.meta.name, u))
        self.fk_of: dict[str, ResolvedForeignKey] = {c.name: fk for fk in self.meta.foreign_keys for c in fk.columns}

    def rows(self) -> list[dict[str, Any]]:
        """Up to `count` rows (fewer only when the unique keys run out of parent combinations)."""
        out: list[dict[str, Any]] = []
        own: list[tuple[Any, ...]] = []  # this table's rows so far, for self-references
        attempts = 0
        while len(out) < self.count and attempts < self.count * 20 + 100:
            attempts += 1
            row = self._row(self.existing + attempts, own)
            if row is None:
                continue
            keys = [tuple(row.get(c) for c in u) for u in self.uniques]
            if any(k in s for k, s in zip(keys, self.seen, strict=True) if None not in k):
                continue
            for k, s in zip(keys, self.seen, strict=True):
                s.add(k)
            out.append(row)
            own.append(tuple(row.get(c.name) for c in self.meta.columns.values()))
        by_name = {c.name: c for c in self.meta.columns.values()}  # `columns` is keyed by attribute
        return [{by_name[name].key: v for name, v in r.items()} for r in out]

    def _row(self, n: int, own: list[tuple[Any, ...]]) -> dict[str, Any] | None:
        row: dict[str, Any] = {}
        if self.rowid is not None:
            row[self.rowid.name] = self.start_id + len(own)
        for fk in self.meta.foreign_keys:
            if any(c.name in row for c in fk.columns):
                continue
            choice = self._parent_row(fk, own, row)
            if choice is None:
                if any(c.not_null_ for c in fk.columns):
                    return None
                for c in fk.columns:
                    row[c.name] = None
            else:
                for c, v in zip(fk.columns, choice, strict=True):
                    row[c.name] = v
        for col in self.meta.columns.values():
            if col.name in row or col.generated is not None:
                continue
            row[col.name] = fake_value(col, n, self.rng, unique=col.name in self.unique_cols or col.primary)
        return row

    def _parent_row(self, fk: ResolvedForeignKey, own: list[tuple[Any, ...]],
                    row: Mapping[str, Any]) -> tuple[Any, ...] | None:
        parent = fk.foreign_table.__table__
        if parent.name == self.meta.name:  # self-reference: an earlier row of this table (roots get NULL)
            names = [c.name for c in self.meta.columns.values()]
            candidates = [tuple(r[names.index(c.name)] for c in fk.foreign_columns) for r in own]
            nullable = not any(c.not_null_ for c in fk.columns)
            if nullable and (not candidates or self.rng.random() < 0.3):
                return None
            if not candidates and all(c.name in row for c in fk.foreign_columns):
                return tuple(row[c.name] for c in fk.foreign_columns)  # a NOT NULL root points at itself
            return self.rng.choice(candidates) if candidates else None
        values = self.parents.get(f"{parent.name}:{','.join(c.name for c in fk.foreign_columns)}")
        if values is None:
            values = _distinct(self.db, parent.name, tuple(c.name for c in fk.foreign_columns))
        return self.rng.choice(values) if values else None


def _q(name: str) -> SQL[Any]:
    return SQL.identifier(name)


def _count(db: Database, table: str) -> int:
    return int(db.execute(SQL("SELECT count(*) FROM {}", _q(table)))[0][0])


def _max(db: Database, table: str, column: str) -> int:
    value = db.execute(SQL("SELECT max({}) FROM {}", _q(column), _q(table)))[0][0]
    return int(value) if isinstance(value, int | float) else 0


def _distinct(db: Database, table: str, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    cols = SQL(", ".join("{}" for _ in columns), *(_q(c) for c in columns))
    rows: list[tuple[Any, ...]] = db.execute(
        SQL("SELECT DISTINCT {} FROM {} ORDER BY 1", cols, _q(table)))
    return [tuple(r) for r in rows if None not in r]


def reset(db: Database, tables: Sequence[type[Table]]) -> dict[str, int]:
    """Delete every row of `tables` (order and ON DELETE actions do not matter), key counters restarted."""
    return kit_dialect_of(db).reset(db, tables, insertion_order(tables))


def seed(
    db: Database,
    tables: Sequence[type[Table]],
    *,
    count: int = 10,
    seed: int | str = 0,
    counts: Mapping[str, int] | None = None,
    reset_first: bool = False,
    batch: int = 500,
) -> SeedResult:
    """Insert `count` fake rows into every table (`counts` overrides per table name), parents first, atomically."""
    if count < 0 or any(v < 0 for v in (counts or {}).values()):
        raise MigrationError("seed: counts must be 0 or more")
    started = time.perf_counter()
    result = SeedResult()
    if reset_first:
        result.deleted = reset(db, tables)
    order = insertion_order(tables)
    known = {t.__table__.name for t in tables}
    for name in counts or {}:
        if name not in known:
            raise MigrationError(f"seed: counts names table {name!r}, which is not in the schema "
                                 f"(tables: {', '.join(sorted(known))})")
    parents: dict[str, list[tuple[Any, ...]]] = {}
    kit = kit_dialect_of(db)
    with kit.seed_transaction(db):
        for t in order:
            meta = t.__table__
            n = (counts or {}).get(meta.name, count)
            rows = _TableSeeder(db, t, n, seed, parents).rows() if n else []
            for i in range(0, len(rows), batch):
                try:
                    db.insert(t).values(rows[i: i + batch]).run()
                except MizzleError as exc:
                    raise MigrationError(f"seed: inserting into {meta.name} failed, nothing was seeded: {exc}") from exc
            result.inserted[meta.name] = len(rows)
            rowid = _rowid_alias(t)
            if rows and rowid is not None:
                kit.sync_key_counter(db, meta.name, rowid.name)
            for child in tables:  # the keys children may reference, read back once
                for fk in child.__table__.foreign_keys:
                    if fk.foreign_table.__table__.name == meta.name:
                        cols = tuple(c.name for c in fk.foreign_columns)
                        parents[f"{meta.name}:{','.join(cols)}"] = _distinct(db, meta.name, cols)
    result.seconds = time.perf_counter() - started
    return result


__all__ = ["BASE_TIME", "SeedResult", "fake_value", "insertion_order", "reset", "seed"]
