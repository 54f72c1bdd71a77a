"""The SQLite kit dialect: drizzle-kit's sqlite snapshots and DDL, `BEGIN IMMEDIATE` migrations, a file per database."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any

import mizzle
from mizzle.kit import statements as st
from mizzle.kit.codegen import generate_sqlite_module, pull_sqlite
from mizzle.kit.dialects import kit_dialect
from mizzle.kit.dialects.base import KitDialect
from mizzle.kit.dialects.sqlite import convert
from mizzle.kit.dialects.sqlite.convert import add_column_problem
from mizzle.kit.dialects.sqlite.introspect import introspect_sqlite
from mizzle.kit.dialects.sqlite.migrate import SQLiteRunner
from mizzle.kit.dialects.sqlite.push import SQLiteChecker
from mizzle.kit.dialects.sqlite.snapshot import SQLiteSnapshot
from mizzle.kit.from_schema import sqlite_snapshot, sqlite_views
from mizzle.sql.chunks import SQL

if TYPE_CHECKING:
    from mizzle.kit.codegen import CodegenOptions
    from mizzle.kit.commutativity import Footprint
    from mizzle.kit.diff import Diff
    from mizzle.kit.push import Checker
    from mizzle.kit.runner import ScriptRunner
    from mizzle.kit.snapshot import Snapshot
    from mizzle.kit.tracking_v1 import TrackingV1
    from mizzle.kit.up import SnapshotUpgrade
    from mizzle.schema.table import Table
    from mizzle.session.sync import Database


_LIBSQL_ALTER = re.compile(r"\bALTER\s+TABLE\s+\S+\s+ALTER\s+COLUMN\b", re.IGNORECASE)


def is_remote(url: str) -> bool:
    """Whether `url` names a libSQL server (libsql://, https://, http://)."""
    return url.split(":", 1)[0].lower() in ("libsql", "https", "http")


class SQLiteKit(KitDialect):
    """SQLite through the stdlib driver (libSQL files too)."""

    name = "sqlite"
    title = "SQLite"
    snapshot_dialect = "sqlite"
    schema_module = "mizzle.sqlite"
    default_url = "sqlite:///local.db"
    pulls_views = True
    driver: str | None = None
    """The driver a scratch database needs (None: the default)."""

    def snapshot_class(self) -> type[Snapshot]:
        """`SQLiteSnapshot` (version 6)."""
        return SQLiteSnapshot

    def snapshot(self, tables: Sequence[type[Table]]) -> Snapshot:
        """drizzle-kit's `generateSqliteSnapshot`."""
        return sqlite_snapshot(tables)

    def snapshot_views(self, views: Sequence[type[Table]]) -> dict[str, Any]:
        """drizzle-kit's `views` entries (`kit.from_schema.sqlite_views`)."""
        return sqlite_views(views)

    def view_sql(self, s: st.Statement) -> list[str]:
        """drizzle-kit's CREATE VIEW and DROP VIEW (backtick-quoted names)."""
        if isinstance(s, st.CreateView):
            return [f"CREATE VIEW {convert.bt(s.view['name'])} AS {s.view['definition']};"]
        if isinstance(s, st.DropView):
            return [f"DROP VIEW {convert.bt(s.view['name'])};"]
        raise TypeError(f"not a view statement: {s.type}")

    def convertor(self) -> Any:
        """`kit.dialects.sqlite.convert` (table rebuilds)."""
        return convert

    def for_scripts(self, texts: Sequence[str]) -> KitDialect:
        """turso's dialect when a text uses libSQL's `ALTER TABLE ... ALTER COLUMN`."""
        return kit_dialect("turso") if any(_LIBSQL_ALTER.search(t) for t in texts) else self

    def v1_version(self) -> str:
        """drizzle-kit 1.0's SQLite snapshots are version 7."""
        return "7"

    def v1_generate(self, tables: Sequence[type[Table]], prev_ddl: list[dict[str, Any]],
                    resolve: Callable[..., Any]) -> tuple[list[dict[str, Any]], list[str], list[str]]:
        """drizzle-kit 1.0's SQLite `generate` (`kit/dialects/sqlite/v1gen.py`)."""
        from mizzle.kit.dialects.sqlite.v1gen import DDL, ddl_of, diff_sql

        cur = ddl_of(tables)
        entities = cur.entities()  # the snapshot lists these rows; the diff may rename their implicit names
        statements, renames = diff_sql(DDL(prev_ddl), cur, resolve)
        return entities, statements, renames

    def v1_diff(self, from_ddl: list[dict[str, Any]], to_ddl: list[dict[str, Any]],
                resolve: Callable[..., Any]) -> tuple[list[str], list[str]]:
        """drizzle-kit 1.0's SQLite `ddlDiff` of two snapshots (`kit/dialects/sqlite/v1gen.py`)."""
        import copy

        from mizzle.kit.dialects.sqlite.v1gen import DDL, diff_sql

        return diff_sql(DDL(copy.deepcopy(from_ddl)), DDL(copy.deepcopy(to_ddl)), resolve)

    def v1_footprints(self, from_ddl: list[dict[str, Any]], to_ddl: list[dict[str, Any]]) -> list[Footprint]:
        """drizzle-kit 1.0's `SqliteCommutativity` (`kit/dialects/sqlite/commutativity.py`) on the dry diff."""
        import copy

        from mizzle.kit.dialects.sqlite.commutativity import footprints
        from mizzle.kit.dialects.sqlite.v1gen import DDL, diff_sql

        events: list[tuple[str, str, str]] = []
        diff_sql(DDL(copy.deepcopy(from_ddl)), DDL(copy.deepcopy(to_ddl)), lambda _k, c, d: (c, d, []), events)
        return footprints(events)

    def add_column_problem(self, col: Any) -> str | None:
        """Also a non-constant default (SQLite cannot add it to existing rows)."""
        return add_column_problem(col)

    def connect(self, url: str) -> Database:
        """A local file as given; a libSQL server (`http(s)://`, `libsql://`) through Hrana over HTTP, where a
        whole migration (a table rebuild with foreign keys off included) is one server-side transaction."""
        return mizzle.connect(url, driver="libsql-http") if is_remote(url) else mizzle.connect(url)

    def exists(self, url: str) -> bool:
        """False for a `sqlite:///` file that does not exist."""
        path = url.split("sqlite:///", 1)[-1].split("?", 1)[0]
        return not url.startswith("sqlite:///") or os.path.exists(path)

    def introspect(self, db: Database, *, include: Callable[[str], bool] | None = None,
                   migrations_table: str = "__drizzle_migrations") -> Snapshot:
        """`sqlite_master` and the table pragmas."""
        return introspect_sqlite(db.execute, include=include, migrations_table=migrations_table)

    def checker(self, db: Database, d: Diff) -> Checker:
        """rowid as the row identity, type changes by SQLite's type affinity."""
        return SQLiteChecker(db, d)

    def view_names(self, db: Database) -> list[str]:
        """`sqlite_master` rows of type view."""
        return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")]

    def pull(self, db: Database, *, include: Any = None, migrations_table: str = "__drizzle_migrations",
             infer: bool = True, relations: bool = True, header: str | None = None,
             known_views: dict[str, Any] | None = None) -> tuple[str, Snapshot]:
        """Introspect, guess modes from the data, keep STRICT / WITHOUT ROWID."""
        snap = self.settled(db, self.introspect(db, include=include, migrations_table=migrations_table), known_views)
        return pull_sqlite(snap, db, infer=infer, relations=relations, header=header)

    def generate_module(self, snapshot: Snapshot, options: CodegenOptions | None = None) -> str:
        """A `mizzle.sqlite` schema module."""
        return generate_sqlite_module(snapshot, options)

    def runner(self, db: Database, table: str) -> ScriptRunner:
        """`BEGIN IMMEDIATE` scripts with FK-safe rebuilds."""
        return SQLiteRunner(db, table)

    def tracking_v1(self, runner: ScriptRunner) -> TrackingV1:
        """drizzle-orm 1.0's tracking table."""
        from mizzle.kit.dialects.sqlite.tracking_v1 import SQLiteTrackingV1

        return SQLiteTrackingV1(runner)

    def snapshot_upgrade_v1(self) -> SnapshotUpgrade | None:
        """Version 6 -> 7, as drizzle-kit 1.0's `up`."""
        from mizzle.kit.dialects.sqlite.snapshot_v7 import upgrade

        return upgrade

    def reset(self, db: Database, tables: Sequence[type[Table]], order: Sequence[type[Table]]) -> dict[str, int]:
        """DELETE with foreign keys off (outside the transaction: inside one it is a no-op), sqlite_sequence reset."""
        fk_on = bool(db.execute("PRAGMA foreign_keys")[0][0])
        if fk_on:
            db.execute("PRAGMA foreign_keys=OFF")
        deleted: dict[str, int] = {}
        try:
            with db.transaction("immediate"):
                has_seq = bool(db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")[0][0])
                for t in reversed(order):
                    name = t.__table__.name
                    deleted[name] = int(db.execute(SQL("SELECT count(*) FROM {}", SQL.identifier(name)))[0][0])
                    db.execute(SQL("DELETE FROM {}", SQL.identifier(name)))
                    if has_seq:
                        db.execute("DELETE FROM sqlite_sequence WHERE name = ?", name)
        finally:
            if fk_on:
                db.execute("PRAGMA foreign_keys=ON")
        return deleted

    def seed_transaction(self, db: Database) -> contextlib.AbstractContextManager[Any]:
        """`BEGIN IMMEDIATE`."""
        return db.transaction("immediate")

    @contextlib.contextmanager
    def scratch(self, url: str) -> Generator[Database, None, None]:
        """An in-memory database, foreign keys on."""
        db = mizzle.connect(":memory:", driver=self.driver) if self.driver else mizzle.connect(":memory:")
        db.execute("PRAGMA foreign_keys=ON")
        try:
            yield db
        finally:
            db.driver.close()


DIALECT = SQLiteKit()

__all__ = ["DIALECT", "SQLiteKit"]
