"""The MySQL/MariaDB kit dialect: drizzle-kit's mysql snapshots and DDL, resumable per-statement migrations."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, cast

from mizzle.kit.dialects.base import KitDialect, server_scratch
from mizzle.kit.dialects.mysql import convert
from mizzle.kit.dialects.mysql.codegen import generate_module
from mizzle.kit.dialects.mysql.from_schema import mysql_snapshot
from mizzle.kit.dialects.mysql.introspect import introspect_mysql
from mizzle.kit.dialects.mysql.migrator import MySQLRunner
from mizzle.kit.dialects.mysql.push import MySQLChecker, comparable
from mizzle.kit.dialects.mysql.snapshot import MySQLSnapshot
from mizzle.sql.chunks import SQL
from mizzle.sql.identifiers import quote_identifier

if TYPE_CHECKING:
    from mizzle.kit import statements as st
    from mizzle.kit.codegen import CodegenOptions
    from mizzle.kit.diff import Diff, Resolver
    from mizzle.kit.push import Checker
    from mizzle.kit.runner import ScriptRunner
    from mizzle.kit.snapshot import Snapshot
    from mizzle.kit.tracking_v1 import TrackingV1
    from mizzle.kit.up import SnapshotUpgrade
    from mizzle.schema.table import Table
    from mizzle.session.sync import Database


class MySQLKit(KitDialect):
    """MySQL and MariaDB."""

    name = "mysql"
    title = "MySQL/MariaDB"
    pulls_views = True
    snapshot_dialect = "mysql"
    schema_module = "mizzle.mysql"

    def snapshot_class(self) -> type[Snapshot]:
        """`MySQLSnapshot` (version 5)."""
        return MySQLSnapshot

    def snapshot(self, tables: Sequence[type[Table]]) -> Snapshot:
        """drizzle-kit's `generateMySqlSnapshot`."""
        return mysql_snapshot(tables)

    def push_target(self, tables: Sequence[type[Table]]) -> Snapshot:
        """As introspection reports it (unique indexes as unique constraints)."""
        return comparable(mysql_snapshot(tables))

    def convertor(self) -> Any:
        """`kit.dialects.mysql.convert`."""
        return convert

    def introspect(self, db: Database, *, include: Callable[[str], bool] | None = None,
                   migrations_table: str = "__drizzle_migrations") -> Snapshot:
        """`information_schema`."""
        from mizzle.kit.dialects.mysql.introspect import introspect_views

        snap = introspect_mysql(db.execute, include=include, migrations_table=migrations_table)
        setattr(snap, "views", introspect_views(db.execute, include))  # noqa: B010
        return snap

    def plan_sql(self, d: Diff, cur: Snapshot, resolver: Resolver | None) -> tuple[list[st.Statement], list[str]]:
        """Views where drizzle-kit puts them: drops, renames and in-place changes after the created, dropped and
        renamed tables and renamed columns; creates last."""
        from mizzle.kit import statements as gst
        from mizzle.kit.dialects.sqlite.convert import sql_statements as sqlite_sql_statements
        from mizzle.kit.order import order_drops

        combined: list[st.Statement] = order_drops(convert.combine(d.statements, cast(MySQLSnapshot, cur), d.patched_prev))
        views = self.view_plan(d, combined, resolver, rename=True, drops_first=True)
        if views is None:
            return combined, convert.sql_statements(combined, getattr(cur, "internal", None))
        early, late = views
        i = 0
        while i < len(combined) and isinstance(combined[i], gst.CreateTable | gst.DropTable | gst.RenameTable
                                                                 | gst.RenameColumn):
            i += 1
        out = combined[:i] + early + combined[i:] + late
        internal = getattr(cur, "internal", None)
        kinds = (gst.CreateView, gst.DropView, gst.RenameView, gst.AlterView)
        return out, sqlite_sql_statements(
            out, render=lambda s: self.view_sql(s) if isinstance(s, kinds) else convert.to_sql(s, internal))

    def snapshot_views(self, views: Sequence[type[Table]]) -> dict[str, Any]:
        """drizzle-kit's `views` entries."""
        from mizzle.kit.dialects.mysql.from_schema import mysql_views

        return mysql_views(views)

    def view_changes(self, key: str, old: dict[str, Any], new: dict[str, Any]
                     ) -> tuple[list[st.Statement], list[st.Statement], list[st.Statement]]:
        """drizzle-kit's MySQL rules: `isExisting` changed: drop and create; definition changed: `CREATE OR
        REPLACE`; algorithm, security or check option changed: `ALTER ... VIEW`."""
        from mizzle.kit import statements as gst

        if bool(old.get("isExisting")) != bool(new.get("isExisting")):
            return ([gst.DropView(key, old)] if not old.get("isExisting") else []), [], [gst.CreateView(key, new)]
        if old.get("definition") != new.get("definition"):
            return [], [], [gst.CreateView(key, new, replace=True)]
        if any(old.get(k) != new.get(k) for k in ("algorithm", "sqlSecurity", "withCheckOption")):
            return [], [gst.AlterView(key, new)], []
        return [], [], []

    def view_sql(self, s: st.Statement) -> list[str]:
        """drizzle-kit's MySQL view statements."""
        from mizzle.kit import statements as gst

        v: dict[str, Any] = getattr(s, "view", {})
        name = quote_identifier(str(v.get("name", s.table)), "`")
        check = f"\nWITH {v['withCheckOption']} CHECK OPTION" if v.get("withCheckOption") else ""
        meta = (f"ALGORITHM = {v['algorithm']}\n" if v.get("algorithm") else "") + (
            f"SQL SECURITY {v['sqlSecurity']}\n" if v.get("sqlSecurity") else "")
        if isinstance(s, gst.CreateView):
            return [f"CREATE {'OR REPLACE ' if s.replace else ''}{meta}VIEW {name} AS ({v['definition']}){check};"]
        if isinstance(s, gst.AlterView):
            return [f"ALTER {meta}VIEW {name} AS {v['definition']}{check};"]
        if isinstance(s, gst.DropView):
            return [f"DROP VIEW {name};"]
        if isinstance(s, gst.RenameView):
            old: dict[str, Any] = getattr(s, "old", {})
            return [f"RENAME TABLE {quote_identifier(str(old.get('name', s.from_name)), '`')} TO {name};"]
        raise TypeError(f"not a view statement: {s.type}")

    def same_view(self, db: Database, live: dict[str, Any], known: dict[str, Any]) -> bool:
        """The server's own rendering of the known definition (a throw-away view) is the live one."""
        import secrets

        from mizzle.errors import MizzleError

        name = "mizzle_pull_" + secrets.token_hex(4)
        try:
            db.execute(f"CREATE VIEW {name} AS ({known['definition']})")  # as the migration created it
        except MizzleError:
            return False
        try:
            text = db.execute(SQL("SELECT view_definition FROM information_schema.views "
                                  "WHERE table_schema = database() AND table_name = {}", name))[0][0]
        finally:
            db.execute(f"DROP VIEW {name}")
        return str(text) == live.get("definition")

    def view_names(self, db: Database) -> list[str]:
        """`information_schema.views` of the current database."""
        return [r[0] for r in db.execute(
            "SELECT table_name FROM information_schema.views WHERE table_schema = database() ORDER BY table_name")]

    def checker(self, db: Database, d: Diff) -> Checker:
        """The generic checks with MySQL's range checks."""
        return MySQLChecker(db, d)

    def generate_module(self, snapshot: Snapshot, options: CodegenOptions | None = None) -> str:
        """A `mizzle.mysql` module."""
        return generate_module(cast(Any, snapshot), options if options is not None and options.header else None)

    def runner(self, db: Database, table: str) -> ScriptRunner:
        """Per-statement resume under `GET_LOCK` (MySQL DDL auto-commits)."""
        return MySQLRunner(db, table)

    def snapshot_upgrade_v1(self) -> SnapshotUpgrade | None:
        """Version 5 -> 6, as drizzle-kit 1.0's `up` (`kit/dialects/mysql/snapshot_v6.py`)."""
        from mizzle.kit.dialects.mysql.snapshot_v6 import upgrade

        return upgrade

    def tracking_v1(self, runner: ScriptRunner) -> TrackingV1:
        """drizzle-orm 1.0's tracking table."""
        from mizzle.kit.dialects.mysql.tracking_v1 import MySQLTrackingV1

        return MySQLTrackingV1(runner)

    def reset(self, db: Database, tables: Sequence[type[Table]], order: Sequence[type[Table]]) -> dict[str, int]:
        """DELETE with `foreign_key_checks` off, then `AUTO_INCREMENT = 1`."""
        deleted: dict[str, int] = {}
        db.execute("SET foreign_key_checks = 0")
        try:
            with db.transaction():
                for t in reversed(order):
                    name = t.__table__.name
                    deleted[name] = int(db.execute(SQL("SELECT count(*) FROM {}", SQL.identifier(name)))[0][0])
                    db.execute(SQL("DELETE FROM {}", SQL.identifier(name)))
            for t in order:
                db.execute(SQL("ALTER TABLE {} AUTO_INCREMENT = 1", SQL.identifier(t.__table__.name)))
        finally:
            db.execute("SET foreign_key_checks = 1")
        return deleted

    @contextlib.contextmanager
    def scratch(self, url: str) -> Generator[Database, None, None]:
        """`CREATE DATABASE mizzle_scratch_<random>` on `url`'s server, dropped afterwards."""
        with server_scratch(self, url, "drop database if exists {}") as db:
            yield db


DIALECT = MySQLKit()

__all__ = ["DIALECT", "MySQLKit"]
