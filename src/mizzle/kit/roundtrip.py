"""`check`'s up -> down -> up of every migration on a scratch database holding rows (the dialect's).

Each migration is applied to empty tables (as `generate` assumes), then a few rows are seeded into every
table (`kit/seed.py`, from a schema module generated for the scratch database's current tables), then
its down migration runs, then the migration again. Statements run the way `migrate` runs them: foreign
keys enforced, one transaction per script, FK-safe table rebuilds. So a down script that drops a parent
table before its child, or deletes rows a foreign key still needs, fails here instead of in production.
"""

from __future__ import annotations

import contextlib
import json
import types
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mizzle.kit.journal import read_sql, split_statements
from mizzle.schema.table import Table

if TYPE_CHECKING:
    from mizzle.kit.dialects.base import KitDialect


class Report(Protocol):
    """Where the round trip's findings go (`check`'s report)."""

    roundtrips: list[str]
    unverified: list[str]

    def error(self, message: str, hint: str = "") -> None:
        """Record an error."""

    def warning(self, message: str, hint: str = "") -> None:
        """Record a warning."""

DOWN_DIR = "down"
SEED_ROWS = 3
"""Rows seeded into each table after a migration (enough for foreign keys and duplicates to matter)."""



def scratch_tables(db: Any) -> list[type[Table]]:
    """Table classes declaring `db`'s current tables (the `pull` module of the database, executed)."""
    from mizzle.kit.codegen import CodegenOptions, generate_module
    from mizzle.kit.introspect import introspect

    snap = introspect(db)
    if not getattr(snap, "tables", None):
        return []
    source = generate_module(snap, CodegenOptions(relations=False))
    module = types.ModuleType("_mizzle_check_scratch_schema")
    exec(compile(source, "<mizzle check: scratch schema>", "exec"), module.__dict__)  # our own codegen's text
    from mizzle.schema.view import is_view

    return [v for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, Table) and "__table__" in vars(v) and not is_view(v)]


def _run(db: Any, label: str, text: str) -> None:
    """Run a migration's text as `migrate` does (atomic, foreign keys on, FK-safe rebuilds)."""
    from mizzle.kit.migrator import run_script

    run_script(db, split_statements(text), label=label)


def _seed(db: Any, report: Report, tag: str) -> int:
    """Seed a few rows into every table; 0 (with a warning) when the schema cannot be seeded."""
    from mizzle.kit.seed import seed

    try:
        tables = scratch_tables(db)
        return seed(db, tables, count=SEED_ROWS, seed=tag).total if tables else 0
    except Exception as exc:  # a schema the seeder cannot fill is verified on empty tables instead
        report.warning(f"{tag}: could not seed rows into the scratch database ({exc}); its down migration was "
                       "verified on empty tables only")
        return 0


def _empty(db: Any) -> None:
    from mizzle.kit.seed import reset

    tables = scratch_tables(db)
    if tables:
        reset(db, tables)


def roundtrip(report: Report, out: Path, tags: Sequence[str], texts: dict[str, str], kit: KitDialect,
              url: str = "", url_source: str = "") -> None:
    """Verify every migration's up -> down -> up on a scratch database with rows; problems go into `report`.

    `tags` are the migrations in the order `migrate` applies them, `texts` their SQL, `kit` the folder's dialect.
    `url` names the server a scratch database is created on (where the dialect has no in-memory one); when none
    can be made that is an error naming `url_source` (where the url came from), never a silent skip. A migration
    without a down file, or with an irreversible one, is applied up only, and a warning names it.
    """
    kit = kit.for_scripts(list(texts.values()))
    with contextlib.ExitStack() as stack:
        try:
            db = stack.enter_context(kit.scratch(url))
        except Exception as exc:  # no url, a server that refuses, no CREATE DATABASE right: all say so, exit 1
            report.error(f"up -> down -> up cannot run: no scratch database: {exc}"
                         + (f" (server url: {url_source})" if url_source else ""),
                         "pass --url with a server where the account may CREATE DATABASE (or set `url` in the "
                         "config), or --no-roundtrip to skip the round trip knowingly")
            return
        missing: list[str] = []
        irreversible: list[str] = []
        _roundtrip(db, report, out, tags, texts, missing, irreversible)
    report.unverified += missing + irreversible
    if missing:
        report.warning(f"up -> down -> up not run for {len(missing)} migration(s): no down migration "
                       f"({DOWN_DIR}/<name>.sql) for {', '.join(missing)}; each was applied up only (written by "
                       "drizzle-kit, which writes no down migrations, or its down file was deleted)",
                       f"write {DOWN_DIR}/<name>.sql by hand to have it verified, or pass --no-roundtrip")
    if irreversible:
        report.warning(f"up -> down -> up not run for {len(irreversible)} migration(s): the down migration is marked "
                       f"irreversible (-- irreversible) for {', '.join(irreversible)}; each was applied up only",
                       f"write its reverse in {DOWN_DIR}/<name>.sql and delete the `-- irreversible` line")


def _roundtrip(db: Any, report: Report, out: Path, tags: Sequence[str], texts: dict[str, str],
               missing: list[str], irreversible: list[str]) -> None:
    from mizzle.kit.introspect import introspect

    for tag in tags:
        text = texts.get(tag)
        if text is None:
            return
        with contextlib.suppress(Exception):  # tables the seeder cannot model keep their rows
            _empty(db)
        try:
            before = introspect(db).schema_dict()
            _run(db, f"{tag}.sql", text)
        except Exception as exc:
            report.error(f"{tag}: fails on a scratch database: {exc}", "fix the SQL of this migration")
            return
        after = introspect(db).schema_dict()
        down_path = out / DOWN_DIR / f"{tag}.sql"
        if not down_path.exists():
            missing.append(tag)
            continue
        down = read_sql(down_path)
        if "-- irreversible" in down:
            irreversible.append(tag)
            continue
        rows = _seed(db, report, tag)
        with_rows = f" holding {rows} seeded row(s)" if rows else ""
        try:
            _run(db, f"{DOWN_DIR}/{tag}.sql", down)
        except Exception as exc:
            fk = "FOREIGN KEY" in str(exc).upper()
            report.error(f"{tag}: the down migration fails on a scratch database{with_rows}: {exc}",
                         f"fix {DOWN_DIR}/{tag}.sql"
                         + (": drop child tables before the tables they reference" if fk else "")
                         + " (or regenerate it: `mizzle drop` the migration, then `mizzle generate`)")
            return
        restored = introspect(db).schema_dict()
        if restored != before:
            report.error(f"{tag}: the down migration does not restore the previous schema "
                         f"({_first_difference(before, restored)})", f"fix {DOWN_DIR}/{tag}.sql")
            return
        try:
            _run(db, f"{tag}.sql", text)
        except Exception as exc:
            report.error(f"{tag}: re-applying after the down migration fails on a scratch database"
                         f"{with_rows}: {exc}", f"fix {DOWN_DIR}/{tag}.sql (or the migration)")
            return
        again = introspect(db).schema_dict()
        if again != after:
            report.error(f"{tag}: re-applying after the down migration gives another schema "
                         f"({_first_difference(after, again)})", f"fix {DOWN_DIR}/{tag}.sql")
            return
        report.roundtrips.append(tag)


def _first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    ta: dict[str, Any] = a.get("tables", {})
    tb: dict[str, Any] = b.get("tables", {})
    for name in sorted(set(ta) | set(tb)):
        if ta.get(name) != tb.get(name):
            if name not in tb:
                return f"table {name} missing"
            if name not in ta:
                return f"extra table {name}"
            return f"table {name}: " + json.dumps(tb.get(name))[:200]
    return "schemas differ"


__all__ = ["SEED_ROWS", "roundtrip", "scratch_tables"]
