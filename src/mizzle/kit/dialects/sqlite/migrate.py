"""SQLite/libSQL hooks of the migration runner: drizzle-orm's tracking table, `BEGIN IMMEDIATE`, FK-safe rebuilds.

* `BEGIN IMMEDIATE` holds the write lock, and the pending list is re-read under it, so two processes
  migrating at once apply each migration once;
* table rebuilds are FK-safe: `PRAGMA foreign_keys=OFF` runs *outside* the transaction (inside one it
  is a no-op and `ON DELETE CASCADE` empties child tables), `PRAGMA foreign_key_check` runs before
  COMMIT, and row counts of rebuilt tables and of tables referencing them are compared; any
  disagreement rolls the migration back with a report;
* libSQL's in-place `ALTER TABLE t ALTER COLUMN "c" TO "c" ...` (dialect "turso") does not check the
  rows it already holds, so before COMMIT the runner counts NULLs of a column made NOT NULL and runs
  `PRAGMA foreign_key_check` on a column given REFERENCES; violations roll the migration back.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from mizzle.errors import MigrationError, MizzleError
from mizzle.kit.runner import MIGRATIONS_TABLE, ScriptKey, ScriptRunner
from mizzle.sql.identifiers import quote_identifier

_NEW_TABLE = re.compile(r"CREATE TABLE\s+[`\"\[]?__new_([^`\"\]\s(]+)", re.IGNORECASE)
_FK_PRAGMA = re.compile(r"^\s*PRAGMA\s+foreign_keys\s*=\s*(\w+)\s*;?\s*$", re.IGNORECASE)
_ALTER_COLUMN = re.compile(
    r"^\s*ALTER\s+TABLE\s+[`\"\[]?([^`\"\]\s]+)[`\"\]]?\s+ALTER\s+COLUMN\s+\"([^\"]+)\"\s+TO\s+\"[^\"]+\"(.*)$",
    re.IGNORECASE | re.DOTALL,
)


def create_table_sql(table: str = MIGRATIONS_TABLE) -> str:
    """drizzle-orm's (better-sqlite3) DDL for the tracking table, whitespace included."""
    return (
        f"\n\t\t\tCREATE TABLE IF NOT EXISTS {quote_identifier(table)} (\n\t\t\t\tid SERIAL PRIMARY KEY,\n"
        "\t\t\t\thash text NOT NULL,\n\t\t\t\tcreated_at numeric\n\t\t\t)\n\t\t"
    )


_NAME = r"""(?:"(?:[^"]|"")+"|`(?:[^`]|``)+`|\[[^\]]+\]|[^\s;(."`\[]+)"""
_QNAME = rf"(?:{_NAME}\s*\.\s*)?({_NAME})"
_DROP_TABLE = re.compile(rf"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?{_QNAME}", re.IGNORECASE)
_RENAME_TABLE = re.compile(rf"ALTER\s+TABLE\s+{_QNAME}\s+RENAME\s+TO\s", re.IGNORECASE)
_DELETE = re.compile(rf"DELETE\s+FROM\s+{_QNAME}", re.IGNORECASE)
_COMMENTS = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.DOTALL)


def _unquote(name: str) -> str:
    if name[:1] in ('"', "`"):
        return name[1:-1].replace(name[0] * 2, name[0])
    return name[1:-1] if name[:1] == "[" else name


def _targets(rx: re.Pattern[str], statements: Sequence[str]) -> set[str]:
    """Tables (case-folded) named by statements matching `rx` at their start (leading comments skipped)."""
    out: set[str] = set()
    for s in statements:
        m = rx.match(s, _COMMENTS.match(s).end())  # type: ignore[union-attr]
        if m is not None:
            out.add(_unquote(m.group(1)).casefold())
    return out


def _rebuilt(statements: Sequence[str]) -> set[str]:
    return {m.group(1).casefold() for s in statements for m in [_NEW_TABLE.search(s)] if m}


def _needs_fk_off(statements: Sequence[str]) -> bool:
    return any(_NEW_TABLE.search(s) or _FK_PRAGMA.match(s) for s in statements)


def _altered_columns(statements: Sequence[str]) -> list[tuple[str, str, bool, bool]]:
    """(table, column, made NOT NULL, given REFERENCES) of each libSQL `ALTER COLUMN` statement."""
    out: list[tuple[str, str, bool, bool]] = []
    for stmt in statements:
        m = _ALTER_COLUMN.match(stmt)
        if m is None:
            continue
        tail = re.sub(r"'(?:[^']|'')*'", "''", m.group(3)).upper()  # ignore quoted defaults
        before_refs = tail.split(" REFERENCES ", 1)[0]
        out.append((m.group(1), m.group(2), " NOT NULL" in before_refs, " REFERENCES " in tail))
    return out


def _quote(name: str) -> str:
    return quote_identifier(name)


class SQLiteRunner(ScriptRunner):
    """SQLite/libSQL: each script in `BEGIN IMMEDIATE` ... COMMIT, with the FK-safe rebuild checks."""

    order_column: ClassVar[str] = "rowid"  # drizzle's `id SERIAL` is no rowid alias in SQLite: always NULL

    def tracking_ddl(self) -> list[str]:
        """drizzle-orm's CREATE TABLE text."""
        return [create_table_sql(self.table)]

    def transaction(self) -> contextlib.AbstractContextManager[Any]:
        """`BEGIN IMMEDIATE`: the write lock is the migration lock."""
        return self.db.transaction("immediate")  # type: ignore[no-any-return]

    def tables(self) -> list[str]:
        """The database's tables."""
        return [r[0] for r in self.q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]

    def children(self, parents: set[str]) -> set[str]:
        """Tables with a foreign key to one of `parents`."""
        out: set[str] = set()
        for t in self.tables():
            for row in self.q(f"SELECT * FROM pragma_foreign_key_list('{t.replace(chr(39), chr(39) * 2)}')"):
                if row[2] in parents:
                    out.add(t)
        return out

    def count(self, table: str, condition: str = "1") -> int:
        """`count(*)` of a table's rows matching `condition`."""
        return int(self.q(f"SELECT count(*) FROM {_quote(table)} WHERE {condition}")[0][0])

    def referenced(self) -> set[str]:
        """Tables (case-folded) some foreign key points at."""
        return {str(row[2]).casefold() for t in self.tables()
                for row in self.q(f"SELECT * FROM pragma_foreign_key_list('{t.replace(chr(39), chr(39) * 2)}')")}

    def fk_sensitive(self, statements: Sequence[str]) -> bool:
        """Whether the script drops, renames or rebuilds a table that foreign keys reference (generated or
        hand-written): with foreign keys on, `DROP TABLE parent` deletes `ON DELETE CASCADE` children."""
        if _needs_fk_off(statements):
            return True
        touched = _targets(_DROP_TABLE, statements) | _targets(_RENAME_TABLE, statements)
        return bool(touched & self.referenced())

    def refuse_cascading_drops(self, label: str, statements: Sequence[str]) -> None:
        """Foreign keys stayed on (the libsql package's server connection does not keep the pragma between statements):
        any DROP TABLE could let ON DELETE CASCADE empty child tables — including children whose foreign
        key the same migration adds — so a migration with one is refused. Without one (libSQL ALTER
        COLUMN, renames) running with foreign keys on is safe."""
        dropped = sorted(_targets(_DROP_TABLE, statements))
        if dropped:
            raise MigrationError(
                f"{label}: not applied: it drops or rebuilds tables ({', '.join(dropped)}), which needs PRAGMA "
                "foreign_keys=OFF to hold until the migration commits, and this connection does not keep it (a "
                "libSQL server over HTTP runs each statement on a stream of its own); with foreign keys on, ON "
                "DELETE CASCADE could empty child tables. Apply it with `mizzle migrate` or through "
                "mizzle.connect(url, driver=\"libsql-http\"), which keeps the pragma for the migration's transaction"
            )

    def run_script(self, label: str, statements: Sequence[str], finish: Callable[[], None],
                   precheck: Callable[[], bool] | None = None, key: ScriptKey | None = None) -> bool:
        """The generic transactional run, with foreign keys off around it when a referenced table is dropped,
        renamed or rebuilt (then `foreign_key_check` and every table's row count are verified before COMMIT)."""
        self.guarded = self.fk_sensitive(statements)
        fk_off = self.guarded and bool(self.q("PRAGMA foreign_keys")[0][0])
        if fk_off:
            self.q("PRAGMA foreign_keys=OFF")  # outside the transaction: inside one it is a no-op
            if self.q("PRAGMA foreign_keys")[0][0]:
                self.refuse_cascading_drops(label, statements)
        try:
            return super().run_script(label, statements, finish, precheck, key)
        finally:
            if fk_off:
                self.q("PRAGMA foreign_keys=ON")

    def before_script(self, statements: Sequence[str]) -> dict[str, int]:
        """Row counts of every table when the script drops, renames or rebuilds a referenced table."""
        if not getattr(self, "guarded", False):
            return {}
        return {t: self.count(t) for t in self.tables() if t != self.table}

    def run_statement(self, label: str, index: int, statement: str) -> None:
        """Skip `PRAGMA foreign_keys` (a no-op inside a transaction; handled around it instead)."""
        if not _FK_PRAGMA.match(statement):
            super().run_statement(label, index, statement)

    def failure_hint(self, statement: str, exc: MizzleError) -> str:
        """libSQL's ALTER COLUMN run through stdlib sqlite3."""
        if _ALTER_COLUMN.match(statement) and "syntax error" in str(exc).lower():
            return (" (ALTER COLUMN is libSQL's: this folder was generated for dialect \"turso\"; "
                    "apply it through the libsql driver, e.g. mizzle.connect(url, driver=\"libsql\"))")
        return ""

    def after_script(self, label: str, statements: Sequence[str], state: dict[str, int]) -> None:
        """libSQL ALTER COLUMN checks, `PRAGMA foreign_key_check` after a rebuild, row counts unchanged."""
        self.check_altered_columns(label, statements)
        if state or _needs_fk_off(statements):
            problems = self.q("PRAGMA foreign_key_check")
            if problems:
                per: dict[tuple[str, str], int] = {}
                for r in problems:
                    per[(str(r[0]), str(r[2]))] = per.get((str(r[0]), str(r[2])), 0) + 1
                detail = ", ".join(f"{n} row(s) of {t} -> missing {p} rows" for (t, p), n in per.items())
                sample = "; ".join(f"{r[0]} rowid {r[1]} -> {r[2]}" for r in problems[:5])
                raise MigrationError(
                    f"{label}: rolled back: {len(problems)} row(s) violate foreign keys after the migration "
                    f"({detail}; e.g. {sample})"
                )
        deleted = _targets(_DELETE, statements)
        rebuilt = _rebuilt(statements)
        existing = set(self.tables())
        lost = [(t, n, m) for t, n in state.items() if t in existing for m in [self.count(t)]
                if (m < n and t.casefold() not in deleted) or (m != n and t.casefold() in rebuilt - deleted)]
        if lost:
            detail = ", ".join(f"{t}: {n} -> {m} rows" for t, n, m in lost)
            raise MigrationError(
                f"{label}: rolled back: rows lost from table(s) the migration does not DELETE from; row counts "
                f"({detail})"
            )
        for t, n in sorted(state.items()):
            if t.casefold() in rebuilt and t in existing:
                self.notes.append(f"{label}: rebuilt {t}, {n:,} row{'' if n == 1 else 's'} kept (counted before and after)")

    def check_altered_columns(self, label: str, statements: Sequence[str]) -> None:
        """Refuse NULLs in a column libSQL made NOT NULL and orphans of a column it gave REFERENCES."""
        for table, column, not_null, references in _altered_columns(statements):
            # not `IS NULL`: SQLite folds that to false on a column declared NOT NULL
            nulls = self.count(table, f"typeof({_quote(column)}) = 'null'") if not_null else 0
            if nulls:
                raise MigrationError(
                    f"{label}: rolled back: {table}.{column} is made NOT NULL but {nulls} row(s) hold NULL "
                    "(libSQL's ALTER COLUMN does not check existing rows); fill them first with a data "
                    "migration (`mizzle generate --custom`) or give the column a default"
                )
            problems = self.q(f"PRAGMA foreign_key_check({_quote(table)})") if references else []
            if problems:
                sample = "; ".join(f"{r[0]} rowid {r[1]} -> {r[2]}" for r in problems[:5])
                raise MigrationError(
                    f"{label}: rolled back: {len(problems)} row(s) of {table} reference missing rows after "
                    f"{table}.{column} got a foreign key ({sample})"
                )


__all__ = ["SQLiteRunner", "create_table_sql"]
