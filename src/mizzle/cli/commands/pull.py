"""`mizzle pull`: write a Python schema module from a live database."""

from __future__ import annotations

import argparse
import os
from typing import Any

from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import plural


def register(sub: Any) -> None:
    """Add the `pull` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser("pull", help="introspect the database and write a schema module")
    p.add_argument("--out", "-o", metavar="FILE", help="module to write (default: <out>/schema.py; '-' = stdout)")
    p.add_argument("--url", help="database URL (default: the config's url)")
    p.add_argument("--no-relations", action="store_true", help="do not emit relations() inferred from foreign keys")
    p.add_argument("--no-infer", action="store_true", help="do not sample data to infer column modes")
    p.add_argument("--force", action="store_true", help="overwrite a module that differs from what pull writes")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Introspect, generate, write."""
    from mizzle.kit.codegen import pull
    from mizzle.kit.introspect import connect_config

    args, cfg, console = ctx.args, ctx.config, ctx.console
    db = connect_config(cfg)
    try:
        source, snap = pull(
            db, include=cfg.table_included, migrations_table=cfg.migrations_table,
            infer=not args.no_infer, relations=not args.no_relations,
        )
    finally:
        db.driver.close()
    if args.out == "-":
        console.raw(source)
        return 0
    target = (ctx.cwd / args.out) if args.out else cfg.out / "schema.py"
    if target.exists() and not args.force and target.read_text(encoding="utf-8") != source:
        raise CommandError(
            f"{_rel(target, ctx)} exists and differs from the pulled schema",
            hint="pass --force to overwrite it, or --out another file (or '-' for stdout)",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    n_idx = sum(len(t.indexes) for t in snap.tables.values())
    n_fk = sum(len(t.foreign_keys) for t in snap.tables.values())
    console.success(
        f"pulled {plural(len(snap.tables), 'table')}, {plural(n_idx, 'index', 'indexes')}, "
        f"{plural(n_fk, 'foreign key')} into {_rel(target, ctx)}"
    )
    for name, table in snap.tables.items():
        console.detail(f"  {name}: {plural(len(table.columns), 'column')}")
    return 0


def _rel(path: Any, ctx: Context) -> str:
    try:
        return os.path.relpath(path, ctx.cwd)
    except ValueError:
        return str(path)
