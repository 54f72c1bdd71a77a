"""`mizzle pull`: write a Python schema module from a live database (`--init`: and a baseline migration)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import plural


def register(sub: Any) -> None:
    """Add the `pull` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "pull", help="introspect the database and write a schema module",
        description="Introspect the database and write a Python schema module (tables, columns with modes, "
                    "defaults, keys, indexes, foreign keys and relations). With --init, also write migration "
                    "0000 creating that schema into the empty migrations folder and record it as applied in "
                    "this database, so `mizzle generate` starts from here and `mizzle migrate` applies nothing.",
    )
    p.add_argument("--out", "-o", metavar="FILE", help="module to write (default: the config's `schema` file when it names one .py file, "
                        "else schema.py beside the config; '-' = stdout)")
    p.add_argument("--url", help="database URL (default: the config's url)")
    p.add_argument("--no-relations", action="store_true", help="do not emit relations() inferred from foreign keys")
    p.add_argument("--no-infer", action="store_true", help="do not sample data to infer column modes")
    p.add_argument("--force", action="store_true", help="overwrite a module that differs from what pull writes")
    p.add_argument("--init", action="store_true",
                   help="also write a baseline migration and mark it applied in this database")
    p.add_argument("--name", default="baseline", help="name of the baseline migration (default: baseline)")
    p.set_defaults(func=run)


def default_target(cfg: Any) -> Path:
    """Where `pull` writes without --out: the configured schema file (one plain .py path), else schema.py beside
    the config — never into the migrations folder, which belongs to generate/migrate."""
    entries = list(cfg.schema or [])
    if len(entries) == 1 and entries[0].endswith(".py") and not any(c in entries[0] for c in "*?["):
        path = Path(entries[0])
        return path if path.is_absolute() else cfg.root / path
    root: Path = cfg.root
    return root / "schema.py"


def run(ctx: Context) -> int:
    """Introspect, generate, write (and with --init record the baseline)."""
    from mizzle.kit.codegen import pull

    args, cfg, console = ctx.args, ctx.config, ctx.console
    if args.init and args.out == "-":
        raise CommandError("--init needs a module file, not stdout",
                           hint="drop `--out -` (default: the config's `schema` file, else schema.py) or pass --out FILE")
    db = ctx.connect(to_stderr=args.out == "-")
    try:
        source, snap = pull(
            db, include=cfg.table_included, migrations_table=cfg.migrations_table,
            infer=not args.no_infer, relations=not args.no_relations, known_views=_known_views(cfg),
        )
        if args.out == "-":
            console.raw(source)
            return 0
        target = (ctx.cwd / args.out) if args.out else default_target(cfg)
        if args.init:  # refuse before writing anything: a baseline needs an empty migrations folder
            from mizzle.kit.baseline import check_empty_folder

            check_empty_folder(cfg.out)
        if target.exists() and not args.force and target.read_text(encoding="utf-8") != source:
            raise CommandError(
                f"{_rel(target, ctx)} exists and differs from the pulled schema",
                hint="pass --force to overwrite it, or --out another file (or '-' for stdout)",
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
        n_idx = sum(len(t.indexes) for t in snap.table_map().values())
        n_fk = sum(len(t.foreign_keys) for t in snap.table_map().values())
        console.success(
            f"pulled {plural(len(snap.table_map()), 'table')}, {plural(n_idx, 'index', 'indexes')}, "
            f"{plural(n_fk, 'foreign key')} into {_rel(target, ctx)}"
        )
        for name, table in snap.table_map().items():
            console.detail(f"  {name}: {plural(len(table.columns), 'column')}")
        if args.init:
            _baseline(ctx, db, target)
    finally:
        db.driver.close()
    return 0


def _known_views(cfg: Any) -> dict[str, Any] | None:
    """The views of the migrations folder's last snapshot (None without one)."""
    from mizzle.errors import MigrationError
    from mizzle.kit.api import last_snapshot

    try:
        views: dict[str, Any] = getattr(last_snapshot(cfg.out, cfg.dialect), "views", {})
    except (MigrationError, OSError):
        return None
    return views or None


def _baseline(ctx: Context, db: Any, module: Path) -> None:
    from mizzle.kit.baseline import write_baseline
    from mizzle.kit.config import schema_sources
    from mizzle.kit.from_schema import load_schema

    cfg, console = ctx.config, ctx.console
    tables = load_schema([module])
    result = write_baseline(db, tables, cfg.out, name=ctx.args.name, dialect=cfg.dialect,
                            migrations_table=cfg.migrations_table, include=cfg.table_included)
    console.success(f"wrote baseline {_rel(result.sql_path, ctx)} and recorded it as applied in the database")
    configured: set[str] = {str(Path(s).resolve()) for s in schema_sources(cfg)} if cfg.schema else set()
    if str(module.resolve()) not in configured:
        console.hint(f"point the config's `schema` at {_rel(module, ctx)} so `mizzle generate` diffs against it")


def _rel(path: Any, ctx: Context) -> str:
    try:
        return os.path.relpath(path, ctx.cwd)
    except ValueError:
        return str(path)
