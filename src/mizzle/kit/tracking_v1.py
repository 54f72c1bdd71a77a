"""drizzle-orm 1.0's tracking table: which migrations are applied, and the upgrade of an old table (pure).

drizzle-orm 1.0 (`up-migrations/*.js`, `migrator.utils.js` of 1.0.0-rc.5) adds `name` and `applied_at`
to `__drizzle_migrations` and matches applied migrations by `name` (the migration's folder name). A
table without a `name` column (version 0: `id, hash, created_at`) is upgraded on the first v1 migrate:
each row is matched to a local migration by `created_at` truncated to the second (= the folder's
stamp), by hash among several migrations of that second, or by hash alone; any row left unmatched
refuses the upgrade; then both columns are added and each row's `name` is backfilled (`applied_at`
NULL). The statements are the dialect runner's; the matching is here.

Where mizzle is stricter than drizzle-orm 1.0 (documented in docs/drizzle-v1.md): a tracked name the
folder lacks, or a migration whose file changed after it was applied, is refused (drizzle-orm skips
both silently), and a row without a name (written by a 0.x tool after the upgrade) is matched like an
old row instead of being ignored (drizzle-orm would apply that migration a second time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from mizzle.errors import MigrationError
from mizzle.kit.folder_v1 import locale_key
from mizzle.kit.journal import MigrationFile
from mizzle.sql.chunks import SQL

MatchedBy = Literal["id", "millis", "hash"]


@dataclass(frozen=True, slots=True)
class TrackedRow:
    """A row of the tracking table as read (`name` None for an old-format row)."""

    id: Any
    hash: str
    created_at: Any
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Backfill:
    """The name to write into an old row, and how drizzle-orm's upgrade addresses the row."""

    name: str
    id: Any
    created_at: str
    hash: str
    by: MatchedBy


def _js_string(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _second_of(created_at: str) -> int | None:
    """`Number(s.substring(0, s.length - 3) + "000")`: the ms value truncated to the second."""
    head = created_at[:-3] if len(created_at) > 3 else ""
    try:
        return int(head + "000")
    except ValueError:
        return None


def match_rows(rows: Sequence[TrackedRow], local: Sequence[MigrationFile]) -> tuple[list[Backfill], list[TrackedRow]]:
    """Each old row's migration as drizzle-orm 1.0's upgrade matches it, and the rows nothing matches."""
    ordered = sorted(local, key=lambda m: (m.when, locale_key(m.tag)))
    by_second: dict[int, list[MigrationFile]] = {}
    by_hash: dict[str, MigrationFile] = {}
    hash_count: dict[str, int] = {}
    for m in ordered:
        by_second.setdefault(m.when, []).append(m)
        by_hash[m.hash] = m
        hash_count[m.hash] = hash_count.get(m.hash, 0) + 1
    matched: list[Backfill] = []
    unmatched: list[TrackedRow] = []
    for row in rows:
        text = _js_string(row.created_at)
        second = _second_of(text)
        candidates = by_second.get(second, []) if second is not None else []
        found: MigrationFile | None
        by: MatchedBy
        if hash_count.get(row.hash) == 1 and (len(candidates) != 1 or candidates[0].hash != row.hash):
            # deliberate fix: a hash only one migration has wins over drizzle-orm's same-second guess
            found, by = by_hash[row.hash], "hash"
        elif len(candidates) == 1:
            found, by = candidates[0], "millis"
        elif candidates:
            found, by = next((c for c in candidates if row.hash and c.hash == row.hash), None), "hash"
        else:
            found, by = by_hash.get(row.hash), "hash"
        if found is None:
            unmatched.append(row)
            continue
        matched.append(Backfill(found.tag, row.id, text, row.hash, "id" if row.id else by))
    return matched, unmatched


def upgrade_plan(rows: Sequence[TrackedRow], local: Sequence[MigrationFile], table: str) -> list[Backfill]:
    """The backfill of an old tracking table; refuses rows no local migration matches (as drizzle-orm does)."""
    matched, unmatched = match_rows(rows, local)
    if unmatched:
        listed = ", ".join(f"[id: {r.id}, created_at: {_js_string(r.created_at)}, hash: {r.hash[:12]}…]"
                           for r in unmatched)
        raise MigrationError(
            f"cannot upgrade {table} to the drizzle 1.0 format: {len(unmatched)} applied migration(s) match no "
            f"migration of the folder ({listed}); they were applied from another branch or folder. Add them to "
            "the folder (merge the branch) and migrate again; nothing was changed"
        )
    return matched


def pending(local: Sequence[MigrationFile], rows: Sequence[TrackedRow]) -> list[MigrationFile]:
    """The folder's migrations the database lacks, in folder order (pure).

    A migration is applied when a row has its name (drizzle-orm 1.0's rule); a row without a name is
    matched as the upgrade matches old rows. Refuses a tracked name the folder lacks and a migration
    whose file changed since it was applied.
    """
    by_name = {m.tag: m for m in local}
    done: set[str] = set()
    for row in rows:
        if row.name is None:
            continue
        m = by_name.get(row.name)
        if m is None:
            raise MigrationError(
                f"the database has migration {row.name!r} the folder lacks: it was applied from another branch "
                "or folder. Add that migration to this folder (merge the branch) before migrating, or point at "
                "the right folder"
            )
        if m.hash != row.hash:
            raise MigrationError(
                f"migration {row.name} was edited after it was applied: the database recorded hash "
                f"{row.hash[:12]}… but {m.path} now hashes to {m.hash[:12]}…. Restore the file (git checkout) "
                "and put further changes into a new migration"
            )
        done.add(m.tag)
    nameless = [r for r in rows if r.name is None]
    if nameless:
        matched, unmatched = match_rows(nameless, [m for m in local if m.tag not in done])
        if unmatched:
            r = unmatched[0]
            raise MigrationError(
                f"the database has a migration the folder lacks (hash {r.hash[:12]}…, created_at {r.created_at}, "
                "no name): it was applied from another branch or folder. Add that migration to this folder "
                "(merge the branch) before migrating, or point at the right folder"
            )
        done.update(b.name for b in matched)
    return [m for m in local if m.tag not in done]


class TrackingV1:
    """drizzle-orm 1.0's tracking table on one database; each dialect fills in its statements.

    `runner` is the dialect's migration runner (its `q()` runs a statement, its `transaction()` holds the
    migration lock, `table` is the table name).
    """

    order_column: ClassVar[str] = "id"

    def __init__(self, runner: Any) -> None:
        self.runner = runner
        self.table: str = runner.table

    def q(self, stmt: str | SQL[Any]) -> list[tuple[Any, ...]]:
        """Run one statement."""
        rows: list[tuple[Any, ...]] = self.runner.q(stmt)
        return rows

    def ref(self) -> SQL[Any]:
        """The table's (qualified) name."""
        return SQL.identifier(self.table)

    # ---- the dialect's statements -----------------------------------------------------------

    def create_ddl(self) -> list[str]:
        """drizzle-orm 1.0's CREATE statements for a new database."""
        raise NotImplementedError

    def exists(self) -> bool:
        """Whether the tracking table exists."""
        raise NotImplementedError

    def support_ddl(self) -> list[str]:
        """The runner's own tables beside the tracking table (created if missing; default none)."""
        return []

    def columns(self) -> list[str]:
        """The tracking table's column names."""
        raise NotImplementedError

    def add_columns(self) -> list[str]:
        """drizzle-orm 1.0's ALTERs adding `name` and `applied_at` to an old table."""
        raise NotImplementedError

    def backfill(self, b: Backfill) -> SQL[Any]:
        """The UPDATE writing one old row's name (drizzle-orm's WHERE: by `id`)."""
        return SQL("UPDATE {} SET {} = {}, {} = NULL WHERE {} = {}", self.ref(), SQL.identifier("name"), b.name,
                   SQL.identifier("applied_at"), SQL.identifier("id"), b.id)

    def insert(self, m: MigrationFile) -> SQL[Any]:
        """The row drizzle-orm 1.0 inserts for an applied migration (`applied_at` by the column default)."""
        return SQL("INSERT INTO {} ({}, {}, {}) VALUES ({}, {}, {})", self.ref(), SQL.identifier("hash"),
                   SQL.identifier("created_at"), SQL.identifier("name"), m.hash, m.when, m.tag)

    # ---- generic ----------------------------------------------------------------------------

    def ensure(self, local: Sequence[MigrationFile]) -> bool:
        """Create the table, or upgrade an old one as drizzle-orm 1.0 does; True when it was upgraded."""
        for stmt in self.support_ddl():
            self.q(stmt)
        if not self.exists():
            with self.runner.transaction():  # under the migration lock: concurrent creates can race
                for stmt in self.create_ddl():
                    self.q(stmt)
            return False
        if "name" in self.columns():
            return False
        with self.runner.transaction():
            if "name" in self.columns():  # upgraded meanwhile by another process
                return False
            old = [TrackedRow(i, str(h), c) for i, h, c in
                   self.q(SQL("SELECT id, hash, created_at FROM {} ORDER BY {}", self.ref(),
                              SQL.raw(self.order_column)))]
            plan = upgrade_plan(old, local, self.table)
            for stmt in self.add_columns():
                self.q(stmt)
            for b in plan:
                self.q(self.backfill(b))
        return True

    def rows(self) -> list[TrackedRow]:
        """Every tracking row."""
        return [TrackedRow(i, str(h), c, n) for i, h, c, n in
                self.q(SQL("SELECT id, hash, created_at, name FROM {} ORDER BY {}", self.ref(),
                           SQL.raw(self.order_column)))]

    def pending(self, local: Sequence[MigrationFile]) -> list[MigrationFile]:
        """The folder's migrations the database lacks."""
        return pending(local, self.rows())

    def record(self, m: MigrationFile) -> None:
        """Track an applied migration."""
        self.q(self.insert(m))

    def unrecord(self, m: MigrationFile) -> None:
        """Forget a reverted migration."""
        self.q(SQL("DELETE FROM {} WHERE {} = {}", self.ref(), SQL.identifier("name"), m.tag))


__all__ = ["Backfill", "MatchedBy", "TrackedRow", "TrackingV1", "match_rows", "pending", "upgrade_plan"]
