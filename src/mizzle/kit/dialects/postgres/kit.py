"""The PostgreSQL kit dialect: drizzle-kit's postgresql snapshots (v7) and DDL, transactional migrations."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, cast

from mizzle.kit.dialects.base import KitDialect, V1Plan, server_scratch
from mizzle.kit.dialects.postgres import convert
from mizzle.kit.dialects.postgres.codegen import generate_pg_module
from mizzle.kit.dialects.postgres.convert import plan_sql
from mizzle.kit.dialects.postgres.from_schema import pg_snapshot, rename_hint_keys
from mizzle.kit.dialects.postgres.introspect import introspect_pg
from mizzle.kit.dialects.postgres.migrate import PgRunner
from mizzle.kit.dialects.postgres.push import PgChecker
from mizzle.kit.dialects.postgres.snapshot import PgSnapshot
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


class PostgresKit(KitDialect):
    """PostgreSQL."""

    name = "postgresql"
    title = "PostgreSQL"
    snapshot_dialect = "postgresql"
    schema_module = "mizzle.postgres"
    pulls_views = True

    def snapshot_class(self) -> type[Snapshot]:
        """`PgSnapshot` (version 7)."""
        return PgSnapshot

    def snapshot(self, tables: Sequence[type[Table]]) -> Snapshot:
        """drizzle-kit's `generatePgSnapshot`."""
        return pg_snapshot(tables)

    def table_key(self, table: type[Table]) -> tuple[str, str | None]:
        """`schema.name` outside public."""
        return rename_hint_keys(table)

    def plan_sql(self, d: Diff, cur: Snapshot, resolver: Resolver | None) -> tuple[list[st.Statement], list[str]]:
        """The convertor needs the whole diff (enums, sequences, identity); views go where drizzle-kit puts them:
        drops and renames after the created tables, creates before the dropped enums, sequences and schemas."""
        combined = convert.combine_diff(d, resolver)
        views = self.view_plan(d, combined, resolver, rename=True, drops_first=True)
        if views is None:
            return plan_sql(d, resolver)
        from mizzle.kit import statements as gst
        from mizzle.kit.dialects.postgres import statements as pst
        from mizzle.kit.dialects.sqlite.convert import sql_statements

        early, late = views
        head = (pst.CreateSchema, pst.CreateEnum, pst.AddEnumValue, pst.CreateSequence, pst.AlterSequence,
                gst.CreateTable)
        tail = (pst.DropEnum, pst.DropSequence, pst.DropSchema)
        i = 0
        while i < len(combined) and isinstance(combined[i], head):
            i += 1
        j = len(combined)
        while j > i and isinstance(combined[j - 1], tail):
            j -= 1
        out = combined[:i] + early + combined[i:j] + late + combined[j:]
        ctx = convert._Ctx(d.prev, d.cur, d.patched_prev)
        kinds = (gst.CreateView, gst.DropView, gst.RenameView, gst.AlterView)
        return out, sql_statements(out, render=lambda s: self.view_sql(s) if isinstance(s, kinds) else convert.to_sql(s, ctx))

    def snapshot_views(self, views: Sequence[type[Table]]) -> dict[str, Any]:
        """drizzle-kit's `views` entries (`schema.name` keys)."""
        from mizzle.kit.dialects.postgres.from_schema import pg_views

        return pg_views(views)

    def view_changed(self, old: dict[str, Any], new: dict[str, Any]) -> bool:
        """The definition, `isExisting` or materialized-ness changed."""
        return KitDialect.view_changed(self, old, new) or bool(old.get("materialized")) != bool(new.get("materialized"))

    def view_changes(self, key: str, old: dict[str, Any], new: dict[str, Any]
                     ) -> tuple[list[st.Statement], list[st.Statement], list[st.Statement]]:
        """Drop and create as drizzle-kit does; options changed in place (`ALTER VIEW ... SET (...)` / `RESET (...)`,
        `SET TABLESPACE`, `SET ACCESS METHOD`), in drizzle-kit's order."""
        from mizzle.kit import statements as gst

        if self.view_changed(old, new):
            return KitDialect.view_changes(self, key, old, new)
        base = {k: new[k] for k in ("name", "schema", "materialized") if k in new}
        alters: list[st.Statement] = []
        ow: dict[str, Any] = old.get("with") or {}
        nw: dict[str, Any] = new.get("with") or {}
        if nw and not ow:
            alters.append(gst.AlterView(key, {**base, "_set": nw}))
        if ow and not nw:
            alters.append(gst.AlterView(key, {**base, "_reset": list(ow)}))
        if ow and nw:
            added = {k: v for k, v in nw.items() if k not in ow}
            dropped = [k for k in ow if k not in nw]
            changed = {k: v for k, v in nw.items() if k in ow and ow[k] != v}
            alters += [gst.AlterView(key, {**base, "_set": added})] if added else []
            alters += [gst.AlterView(key, {**base, "_reset": dropped})] if dropped else []
            alters += [gst.AlterView(key, {**base, "_set": changed})] if changed else []
        if old.get("tablespace") != new.get("tablespace"):
            alters.append(gst.AlterView(key, {**base, "_tablespace": new.get("tablespace") or "pg_default"}))
        if old.get("using") != new.get("using"):
            alters.append(gst.AlterView(key, {**base, "_using": new.get("using") or "heap"}))
        return [], alters, []

    def view_sql(self, s: st.Statement) -> list[str]:
        """drizzle-kit's `CREATE [MATERIALIZED] VIEW "schema"."v" AS (...)`, DROP and `ALTER VIEW ... RENAME TO`."""
        from mizzle.kit import statements as gst

        v: dict[str, Any] = getattr(s, "view", {})
        kind = "MATERIALIZED VIEW" if v.get("materialized") else "VIEW"
        name = f'{quote_identifier(v.get("schema") or "public", chr(34))}.{quote_identifier(v["name"], chr(34))}'
        if isinstance(s, gst.CreateView):
            out = f"CREATE {kind} {name}"
            if v.get("using"):
                out += f' USING "{v["using"]}"'
            given: dict[str, Any] = v.get("with") or {}
            order = {k: i for i, k in enumerate(_WITH_ORDER)}  # drizzle-kit parses them in its schema's key order
            opts = dict(sorted(given.items(), key=lambda kv: order.get(kv[0], len(order))))
            if opts:
                snake = [(re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower(), val) for k, val in opts.items() if val is not None]
                out += " WITH (" + ", ".join(f"{k} = {_js(val)}" for k, val in snake) + ")"
            if v.get("tablespace"):
                out += f" TABLESPACE {v['tablespace']}"
            out += f" AS ({v['definition']})" + (" WITH NO DATA" if v.get("withNoData") else "") + ";"
            return [out]
        if isinstance(s, gst.DropView):
            return [f"DROP {kind} {name};"]
        if isinstance(s, gst.AlterView):
            if "_set" in v:
                snake = [(re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower(), val) for k, val in v["_set"].items()]
                return [f"ALTER {kind} {name} SET (" + ", ".join(f"{k} = {_js(val)}" for k, val in snake) + ");"]
            if "_reset" in v:
                keys = [re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower() for k in v["_reset"]]
                return [f"ALTER {kind} {name} RESET (" + ", ".join(keys) + ");"]
            if "_tablespace" in v:
                return [f"ALTER MATERIALIZED VIEW {name} SET TABLESPACE {v['_tablespace']};"]
            return [f"ALTER MATERIALIZED VIEW {name} SET ACCESS METHOD \"{v['_using']}\";"]
        if isinstance(s, gst.RenameView):
            old: dict[str, Any] = getattr(s, "old", {})
            old_name = f'{quote_identifier(old.get("schema") or "public", chr(34))}.{quote_identifier(old["name"], chr(34))}'
            return [f"ALTER {kind} {old_name} RENAME TO {quote_identifier(v['name'], chr(34))};"]
        raise TypeError(f"not a view statement: {s.type}")

    def same_view(self, db: Database, live: dict[str, Any], known: dict[str, Any]) -> bool:
        """PostgreSQL's own rendering of the known definition (a throw-away temporary view) is the live one."""
        import secrets

        from mizzle.errors import MizzleError
        from mizzle.kit.dialects.postgres.introspect import normalize_definition

        if bool(live.get("materialized")) != bool(known.get("materialized")):
            return False
        name = "mizzle_pull_" + secrets.token_hex(4)
        try:
            db.execute(f"CREATE TEMPORARY VIEW {name} AS {known['definition']}")
        except MizzleError:
            return False
        try:
            text = str(db.execute(f"SELECT pg_get_viewdef('{name}'::regclass, true)")[0][0])
        finally:
            db.execute(f"DROP VIEW {name}")
        return normalize_definition(text) == live.get("definition")

    def view_rebuilds(self, statements: Sequence[st.Statement]) -> set[str]:
        """Tables whose columns are dropped or change type (PostgreSQL refuses those under a view)."""
        from mizzle.kit import statements as gst

        out: set[str] = set()
        for s in statements:
            if isinstance(s, gst.DropColumn) or (isinstance(s, gst.AlterColumn) and s.what == "set_type"):
                out.add(s.table)
        return out

    def convertor(self) -> Any:
        """`kit.dialects.postgres.convert`."""
        return convert

    def v1_version(self) -> str:
        """drizzle-kit 1.0's PostgreSQL snapshots are version 9."""
        return "9"

    def v1_dialect(self) -> str:
        """`"postgres"` in a version 9 snapshot."""
        return "postgres"

    def v1_plan(self, tables: Sequence[type[Table]], snaps: Sequence[dict[str, Any]], leaves: Sequence[str],
                resolve: Callable[..., Any]) -> V1Plan:
        """drizzle-kit 1.0's PostgreSQL `generate` (`kit/dialects/postgres/v1gen.py`): the previous state is rebuilt
        from the folder's base and diff snapshots; the first snapshot is a `base` (the whole `ddl`), every later one a
        `diff` (its `deltas`), both with the statements' `footprints`."""
        import copy

        from mizzle.kit.dialects.postgres.v1gen import generate, state_of

        prev = state_of(list(snaps), list(leaves))
        prev_ddl = copy.deepcopy(prev.entities())
        ddl, statements, deltas, prints = generate(tables, prev, resolve)
        return V1Plan(statements, lambda new_id, prev_ids: _v1_snapshot(bool(snaps), new_id, prev_ids, ddl, deltas,
                                                                        prints), ddl, prev_ddl)

    def v1_diff(self, from_ddl: list[dict[str, Any]], to_ddl: list[dict[str, Any]],
                resolve: Callable[..., Any]) -> tuple[list[str], list[str]]:
        """drizzle-kit 1.0's PostgreSQL `ddlDiff` of two states (the down migration); PostgreSQL snapshots keep no
        `renames`."""
        import copy

        from mizzle.kit.dialects.postgres.v1gen import DDL, diff, sql_of

        statements, _ = diff(DDL(copy.deepcopy(from_ddl)), DDL(copy.deepcopy(to_ddl)), resolve)
        return [q for s in statements for q in sql_of(s)], []

    def snapshot_upgrade_v1(self) -> SnapshotUpgrade | None:
        """Version 7 -> 9 (base and diff snapshots), as drizzle-kit 1.0's `up` (`kit/dialects/postgres/up_v1.py`):
        one converter per folder, called in the folders' order."""
        from mizzle.kit.dialects.postgres.up_v1 import PgUpgrade

        return PgUpgrade()

    def v1_custom_snapshot(self, snaps: Sequence[dict[str, Any]], new_id: str,
                           prev_ids: list[str]) -> dict[str, Any]:
        """drizzle-kit's custom migration: an empty diff (a base of the empty state on a new folder)."""
        return _v1_snapshot(bool(snaps), new_id, prev_ids, [], [], [])

    def introspect(self, db: Database, *, include: Callable[[str], bool] | None = None,
                   migrations_table: str = "__drizzle_migrations") -> Snapshot:
        """`pg_catalog`."""
        return introspect_pg(db.execute, include=include, migrations_table=migrations_table)

    def view_names(self, db: Database) -> list[str]:
        """Views and materialized views in `public` (the schema introspection reads)."""
        return [r[0] for r in db.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('v', 'm') AND n.nspname = 'public' ORDER BY c.relname")]

    def checker(self, db: Database, d: Diff) -> Checker:
        """The generic checks with `ctid` and cast checks."""
        return PgChecker(db, d)

    def generate_module(self, snapshot: Snapshot, options: CodegenOptions | None = None) -> str:
        """A `mizzle.postgres` module."""
        return generate_pg_module(cast(Any, snapshot), options)

    def runner(self, db: Database, table: str) -> ScriptRunner:
        """Transactional scripts under `pg_advisory_xact_lock`."""
        return PgRunner(db, table)

    def tracking_v1(self, runner: ScriptRunner) -> TrackingV1:
        """drizzle-orm 1.0's tracking table."""
        from mizzle.kit.dialects.postgres.tracking_v1 import PgTrackingV1

        return PgTrackingV1(runner)

    def reset(self, db: Database, tables: Sequence[type[Table]], order: Sequence[type[Table]]) -> dict[str, int]:
        """`TRUNCATE ... RESTART IDENTITY` of all tables at once (foreign keys among them allow it)."""
        deleted: dict[str, int] = {}
        names = [SQL.identifier(t.__table__.name) for t in order]
        with db.transaction():
            for t in reversed(order):
                name = t.__table__.name
                deleted[name] = int(db.execute(SQL("SELECT count(*) FROM {}", SQL.identifier(name)))[0][0])
            if names:
                db.execute(SQL("TRUNCATE {} RESTART IDENTITY", SQL.join(names)))
        return deleted

    def sync_key_counter(self, db: Database, table: str, column: str) -> None:
        """`setval` of the column's serial sequence to the largest key (explicit keys do not advance it)."""
        db.execute(SQL("SELECT setval(s, (SELECT max({}) FROM {})) FROM pg_get_serial_sequence({}, {}) AS s "
                       "WHERE s IS NOT NULL", SQL.identifier(column), SQL.identifier(table),
                       quote_identifier(table, '"'), column))

    @contextlib.contextmanager
    def scratch(self, url: str) -> Generator[Database, None, None]:
        """`CREATE DATABASE mizzle_scratch_<random>` on `url`'s server, dropped afterwards."""
        with server_scratch(self, url, "drop database if exists {} with (force)") as db:
            yield db


_WITH_ORDER = (
    "checkOption", "securityBarrier", "securityInvoker", "fillfactor", "toastTupleTarget", "parallelWorkers",
    "autovacuumEnabled", "vacuumIndexCleanup", "vacuumTruncate", "autovacuumVacuumThreshold",
    "autovacuumVacuumScaleFactor", "autovacuumVacuumCostDelay", "autovacuumVacuumCostLimit", "autovacuumFreezeMinAge",
    "autovacuumFreezeMaxAge", "autovacuumFreezeTableAge", "autovacuumMultixactFreezeMinAge",
    "autovacuumMultixactFreezeMaxAge", "autovacuumMultixactFreezeTableAge", "logAutovacuumMinDuration",
    "userCatalogTable")
"""drizzle-kit's `mergedViewWithOption` keys, in the order its CREATE VIEW writes them."""


def _js(value: Any) -> str:
    """A view option as JavaScript's String() prints it."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


DIALECT = PostgresKit()

__all__ = ["DIALECT", "PostgresKit"]


def _v1_snapshot(has_parents: bool, new_id: str, prev_ids: list[str], ddl: list[dict[str, Any]],
                 deltas: list[dict[str, Any]], prints: list[dict[str, Any]]) -> dict[str, Any]:
    """drizzle-kit 1.0's `snapshotOf`: `base` for the first migration, `diff` after it."""
    head = {"version": "9", "dialect": "postgres", "id": new_id}
    if not has_parents:
        return {"type": "base", **head, "prevIds": prev_ids, "footprints": prints, "ddl": ddl}
    return {"type": "diff", **head, "prevIds": prev_ids, "footprints": prints, "deltas": deltas}
