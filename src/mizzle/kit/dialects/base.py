"""The kit dialect interface: what the migration kit does differently per dialect, behind one object.

Each dialect package (`kit/dialects/<d>/kit.py`) defines one `KitDialect` subclass and its instance
`DIALECT`; the registry (`mizzle.kit.dialects.kit_dialect`) maps a name to it. The generic modules
(generate, migrate, check, push, pull, drop, export, seed, studio) call only these methods.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from mizzle.errors import MigrationError

if TYPE_CHECKING:
    from mizzle.kit import statements as st
    from mizzle.kit.codegen import CodegenOptions
    from mizzle.kit.commutativity import Footprint
    from mizzle.kit.diff import Diff, Resolver
    from mizzle.kit.push import Checker
    from mizzle.kit.runner import ScriptRunner
    from mizzle.kit.snapshot import Snapshot
    from mizzle.kit.tracking_v1 import TrackingV1
    from mizzle.kit.up import SnapshotUpgrade
    from mizzle.schema.table import Table
    from mizzle.session.sync import Database


@dataclass(slots=True)
class V1Plan:
    """What drizzle-kit 1.0 `generate` would write: the SQL, the new snapshot for (id, prevIds), and the new and the
    previous state's entities (the down migration diffs them back with `KitDialect.v1_diff`)."""

    statements: list[str]
    snapshot: Callable[[str, list[str]], dict[str, Any]]
    ddl: list[dict[str, Any]]
    prev_ddl: list[dict[str, Any]]


class KitDialect:
    """One dialect's part of the kit. A feature a dialect lacks raises `unsupported(...)`, never does nothing."""

    name: ClassVar[str] = ""
    """The config / journal name: "sqlite", "turso", "postgresql", "mysql"."""
    title: ClassVar[str] = ""
    """For messages: "SQLite", "PostgreSQL", ..."""
    snapshot_dialect: ClassVar[str] = ""
    """The `dialect` of its snapshots (turso writes SQLite's)."""
    schema_module: ClassVar[str] = ""
    """The module its tables are declared with ("mizzle.sqlite")."""
    default_url: ClassVar[str] = ""
    """The config's url when none is given ("" = required)."""
    pulls_views: ClassVar[bool] = False
    """Whether introspection reads views (and `pull` writes them); False: `pull` refuses a database with views."""

    def unsupported(self, what: str) -> MigrationError:
        """The error for a feature this dialect does not have."""
        return MigrationError(f"{what} is not supported on {self.title} yet")

    # ---- schema -> snapshot -> SQL --------------------------------------------------------------

    def snapshot_class(self) -> type[Snapshot]:
        """The snapshot dataclass of this dialect."""
        raise self.unsupported("snapshots")

    def snapshot(self, tables: Sequence[type[Table]]) -> Snapshot:
        """The snapshot of a schema (ids left empty: the caller chains it)."""
        raise self.unsupported("snapshots of a schema")

    def push_target(self, tables: Sequence[type[Table]]) -> Snapshot:
        """The snapshot `push` compares the live database with (as introspection would report it)."""
        return self.snapshot(tables)

    def schema_snapshot(self, tables: Sequence[type[Table]], *, push: bool = False) -> Snapshot:
        """The snapshot of a schema's tables and views (`push`: as introspection would report it)."""
        from mizzle.schema.view import split_views

        plain, views = split_views(tables)
        snap = self.push_target(plain) if push else self.snapshot(plain)
        entries = self.snapshot_views(views)
        if entries:
            setattr(snap, "views", entries)  # noqa: B010
        return snap

    def snapshot_views(self, views: Sequence[type[Table]]) -> dict[str, Any]:
        """The snapshot's `views` entries of these view classes, as drizzle-kit writes them.

        A dialect without view migrations leaves `existing=True` views out and refuses managed ones."""
        from mizzle.schema.view import view_info

        managed = [v.__table__.name for v in views if not getattr(view_info(v), "existing", False)]
        if managed:
            raise MigrationError(
                f"views are not supported by the migration kit on {self.title} yet (generate, push, check, "
                f"export): {', '.join(managed)}. Create them with mizzle.create_all(db, [...]) or in a custom "
                "migration (mizzle generate --custom) and declare them with existing=True instead of view=.")
        return {}

    def view_changed(self, old: dict[str, Any], new: dict[str, Any]) -> bool:
        """Whether a view present before and after must be dropped and created again."""
        return old.get("definition") != new.get("definition") or bool(old.get("isExisting")) != bool(new.get("isExisting"))

    def view_changes(self, key: str, old: dict[str, Any], new: dict[str, Any]
                     ) -> tuple[list[st.Statement], list[st.Statement], list[st.Statement]]:
        """(drops, in-place changes, creates) for a managed view present before and after (default: drop and
        create when `view_changed`)."""
        from mizzle.kit import statements as st

        if not self.view_changed(old, new):
            return [], [], []
        return ([st.DropView(key, old)] if not old.get("isExisting") else []), [], [st.CreateView(key, new)]

    def view_sql(self, s: st.Statement) -> list[str]:
        """The SQL of a view statement (`CreateView`, `DropView`)."""
        raise self.unsupported("views in migrations")

    def view_breakers(self, statements: Sequence[st.Statement]) -> set[str]:
        """The tables these statements drop or rebuild: views dropped in the same migration that read them are
        dropped before the table statements."""
        from mizzle.kit import statements as st

        return {s.table for s in statements if isinstance(s, st.DropTable | st.RecreateTable)} | self.view_rebuilds(
            statements)

    def view_rebuilds(self, statements: Sequence[st.Statement]) -> set[str]:
        """The tables these statements change in a way a view reading them does not survive (SQLite's table
        rebuild): such views are dropped before the table statements and created again after them."""
        from mizzle.kit import statements as st

        return {s.table for s in statements if isinstance(s, st.RecreateTable)}

    def view_plan(self, d: Diff, combined: Sequence[st.Statement], resolver: Resolver | None, *,
                  rename: bool = False, drops_first: bool = False) -> tuple[list[st.Statement], list[st.Statement]] | None:
        """(view statements before the table statements, after them) of a diff; None when neither side has views."""
        from mizzle.kit.views import diff_views, place_views

        prev_views: dict[str, Any] = getattr(d.prev, "views", {})
        cur_views: dict[str, Any] = getattr(d.cur, "views", {})
        if not prev_views and not cur_views:
            return None
        vd = diff_views(prev_views, cur_views, resolver, self.view_changes, rename=rename)
        d.view_renames = list(vd.renames)
        return place_views(vd, cur_views, self.view_breakers(combined), rebuilt=self.view_rebuilds(combined),
                           drops_first=drops_first)

    def with_views(self, d: Diff, combined: list[st.Statement], sql: list[str],
                   resolver: Resolver | None) -> tuple[list[st.Statement], list[str]]:
        """A diff's table statements and SQL with its view statements placed around them."""
        views = self.view_plan(d, combined, resolver)
        if views is None:
            return combined, sql
        early, late = views

        def text(items: list[st.Statement]) -> list[str]:
            return [t for s in items for t in self.view_sql(s)]

        return early + combined + late, text(early) + sql + text(late)

    def table_key(self, table: type[Table]) -> tuple[str, str | None]:
        """A table's key in the snapshot and the key of the table it was renamed from (schema hints)."""
        meta = table.__table__
        return meta.name, meta.renamed_from

    def plan_sql(self, d: Diff, cur: Snapshot, resolver: Resolver | None) -> tuple[list[st.Statement], list[str]]:
        """The statements of a diff, combined and ordered as drizzle-kit does, and their SQL."""
        from mizzle.kit.order import order_drops

        conv = self.convertor()
        combined: list[st.Statement] = order_drops(conv.combine(d.statements, cur, d.patched_prev))
        return self.with_views(d, combined, conv.sql_statements(combined, getattr(cur, "internal", None)), resolver)

    def v1_version(self) -> str:
        """The `version` of this dialect's drizzle 1.0 snapshots."""
        raise self.unsupported("`generate` in the drizzle 1.0 layout (format = \"v1\")")

    def v1_generate(self, tables: Sequence[type[Table]], prev_ddl: list[dict[str, Any]],
                    resolve: Callable[..., Any]) -> tuple[list[dict[str, Any]], list[str], list[str]]:
        """drizzle-kit 1.0 `generate`: (the snapshot's `ddl`, the SQL statements, the snapshot's `renames`)."""
        raise self.unsupported("`generate` in the drizzle 1.0 layout (format = \"v1\")")

    def v1_diff(self, from_ddl: list[dict[str, Any]], to_ddl: list[dict[str, Any]],
                resolve: Callable[..., Any]) -> tuple[list[str], list[str]]:
        """drizzle-kit 1.0's diff of two snapshots' `ddl` lists: (the SQL statements, the `renames`). `generate`
        writes the down migration with it (new snapshot -> previous one, the forward renames reversed)."""
        raise self.unsupported("down migrations in the drizzle 1.0 layout (format = \"v1\")")

    def v1_footprints(self, from_ddl: list[dict[str, Any]], to_ddl: list[dict[str, Any]]) -> list[Footprint]:
        """drizzle-kit 1.0 `check`'s view of a branch: the footprints of the diff (no renames) between two
        snapshots' `ddl` lists (`kit/commutativity.py`)."""
        raise self.unsupported("drizzle-kit 1.0's commutativity rules")

    def v1_dialect(self) -> str:
        """The `dialect` of this dialect's drizzle 1.0 snapshots."""
        return self.snapshot_dialect

    def v1_plan(self, tables: Sequence[type[Table]], snaps: Sequence[dict[str, Any]], leaves: Sequence[str],
                resolve: Callable[..., Any]) -> V1Plan:
        """drizzle-kit 1.0 `generate` against a folder's snapshots (by name; `leaves` their leaf ids). By default the
        previous state is the last snapshot's `ddl` and the snapshot is `{version, dialect, id, prevIds, ddl,
        renames}` (`v1_generate`)."""
        import copy

        prev = list(snaps[-1].get("ddl") or []) if snaps else []
        ddl, statements, renames = self.v1_generate(tables, copy.deepcopy(prev), resolve)

        def snapshot(new_id: str, prev_ids: list[str]) -> dict[str, Any]:
            return {"version": self.v1_version(), "dialect": self.v1_dialect(), "id": new_id, "prevIds": prev_ids,
                    "ddl": ddl, "renames": renames}

        return V1Plan(statements, snapshot, ddl, prev)

    def v1_custom_snapshot(self, snaps: Sequence[dict[str, Any]], new_id: str,
                           prev_ids: list[str]) -> dict[str, Any]:
        """The snapshot of `generate --custom`: the previous one under a new id (an empty one on a new folder)."""
        if not snaps:
            return {"version": self.v1_version(), "dialect": self.v1_dialect(), "id": new_id, "prevIds": prev_ids,
                    "ddl": [], "renames": []}
        body = {k: v for k, v in snaps[-1].items() if k not in ("id", "prevIds")}
        return {"id": new_id, "prevIds": prev_ids, **body}

    def add_column_problem(self, col: Any) -> str | None:
        """Why `ALTER TABLE ... ADD` of `col` fails on a table that has rows, or None."""
        from mizzle.kit import statements as st

        return st.add_column_problem(col)

    def convertor(self) -> Any:
        """The module turning statements into SQL (`combine`, `sql_statements`, `join_sql`)."""
        raise self.unsupported("SQL generation")

    def join_sql(self, sql: Sequence[str], breakpoints: bool = True) -> str:
        """A migration file's text from its statements."""
        text: str = self.convertor().join_sql(sql, breakpoints)
        return text

    def for_scripts(self, texts: Sequence[str]) -> KitDialect:
        """The dialect that can run these migration texts (SQLite's: turso's when they use libSQL's ALTER COLUMN)."""
        return self

    # ---- a live database ------------------------------------------------------------------------

    def connect(self, url: str) -> Database:
        """Open the database at `url`."""
        import mizzle

        return mizzle.connect(url)

    def exists(self, url: str) -> bool:
        """Whether the database at `url` may exist (False: connecting would create it; nothing was applied)."""
        return True

    def introspect(self, db: Database, *, include: Callable[[str], bool] | None = None,
                   migrations_table: str = "__drizzle_migrations") -> Snapshot:
        """The snapshot of the tables of `db` that `include(name)` keeps (tracking tables excluded)."""
        raise self.unsupported("introspection")

    def view_names(self, db: Database) -> list[str]:
        """The views (materialized ones too) in `db`: `pull` cannot write them yet and refuses to lose them."""
        raise self.unsupported("listing views")

    def checker(self, db: Database, d: Diff) -> Checker:
        """`push`'s checks of the existing rows against a diff."""
        raise self.unsupported("push")

    def pull(self, db: Database, *, include: Any = None, migrations_table: str = "__drizzle_migrations",
             infer: bool = True, relations: bool = True, header: str | None = None,
             known_views: dict[str, Any] | None = None) -> tuple[str, Snapshot]:
        """(a Python schema module declaring `db`'s tables, the snapshot it declares): introspection, then codegen.

        `known_views` (the migrations folder's last snapshot's views) lend their definition text to the views the
        database holds unchanged (see `settle_views`)."""
        from mizzle.kit.codegen import CodegenOptions

        snap = self.settled(db, self.introspect(db, include=include, migrations_table=migrations_table), known_views)
        opts = CodegenOptions(relations=relations) if header is None else CodegenOptions(header=header, relations=relations)
        return self.generate_module(snap, opts), snap

    def settled(self, db: Database, snap: Snapshot, known_views: dict[str, Any] | None) -> Snapshot:
        """`snap` with its views' definitions settled against `known_views` (see `settle_views`)."""
        live: dict[str, Any] = getattr(snap, "views", {})
        if known_views and live:
            setattr(snap, "views", self.settle_views(db, live, known_views))  # noqa: B010
        return snap

    def settle_views(self, db: Database, live: dict[str, Any], known: dict[str, Any]) -> dict[str, Any]:
        """The live views, each with the known definition text where the database holds that very definition.

        A database reports a view's definition in its own words (PostgreSQL's `pg_get_viewdef`, MySQL's
        `VIEW_DEFINITION`); written back as is, `generate` would see a changed definition. Where `same_view` says
        the known text compiles to the live view, the known text is kept."""
        out: dict[str, Any] = {}
        for key, entry in live.items():
            k = known.get(key)
            kd = k.get("definition") if k is not None and not k.get("isExisting") else None
            if kd is not None and kd != entry.get("definition") and self.same_view(db, entry, k or {}):
                entry = {**entry, "definition": kd}
            out[key] = entry
        return out

    def same_view(self, db: Database, live: dict[str, Any], known: dict[str, Any]) -> bool:
        """Whether the known view's definition is what the database reports for the live view (default: same text)."""
        return live.get("definition") == known.get("definition")

    def generate_module(self, snapshot: Snapshot, options: CodegenOptions | None = None) -> str:
        """Python source of a schema module declaring exactly `snapshot`'s tables."""
        raise self.unsupported("code generation")

    def runner(self, db: Database, table: str) -> ScriptRunner:
        """The migration runner (tracking table, lock, how a script runs) on `db`."""
        raise self.unsupported("migrating")

    def tracking_v1(self, runner: ScriptRunner) -> TrackingV1:
        """drizzle-orm 1.0's tracking table (for drizzle 1.0 folders) on the runner's database."""
        raise self.unsupported("applying drizzle 1.0 migrations folders")

    def snapshot_upgrade_v1(self) -> SnapshotUpgrade | None:
        """`up`'s in-place upgrade of this dialect's snapshots (None: they are moved, not converted)."""
        return None

    # ---- seeding and scratch databases ------------------------------------------------------------

    def reset(self, db: Database, tables: Sequence[type[Table]], order: Sequence[type[Table]]) -> dict[str, int]:
        """Delete every row of `tables` (children first: `order`), key counters restarted; rows deleted per table."""
        raise self.unsupported("seed --reset")

    def seed_transaction(self, db: Database) -> contextlib.AbstractContextManager[Any]:
        """The transaction all seeded rows go into."""
        return db.transaction()

    def sync_key_counter(self, db: Database, table: str, column: str) -> None:
        """After rows with explicit keys went into `table`: move its key counter past them (if it has its own)."""

    @contextlib.contextmanager
    def scratch(self, url: str) -> Generator[Database, None, None]:
        """A throw-away empty database (`check`'s up -> down -> up), dropped afterwards; `url` names the server."""
        raise self.unsupported("a scratch database")
        yield  # pragma: no cover


@contextlib.contextmanager
def server_scratch(kit: KitDialect, url: str, drop: str) -> Generator[Database, None, None]:
    """A throw-away database on `url`'s server (the account needs CREATE DATABASE), dropped afterwards."""
    from urllib.parse import urlsplit, urlunsplit

    if not url:
        raise MigrationError(f"{kit.title} needs a server url to create a scratch database on")
    name = "mizzle_scratch_" + secrets.token_hex(4)
    admin = kit.connect(url)
    try:
        admin.execute(f"create database {name}")
        parts = urlsplit(url)
        db = kit.connect(urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment)))
        try:
            yield db
        finally:
            db.close()
    finally:
        try:
            admin.execute(drop.format(name))
        finally:
            admin.close()


__all__ = ["KitDialect", "server_scratch"]
