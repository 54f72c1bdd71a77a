"""`mizzle generate`: diff the last snapshot against the schema and write the next migration."""

from __future__ import annotations

import argparse
import os
from typing import Any

from mizzle.cli.commands.push import add_rename_flags
from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import plural

_SYMBOL = {"create": "+", "drop": "-", "alter": "~", "rename": "~"}


def register(sub: Any) -> None:
    """Add the `generate` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "generate", help="write the next migration from schema changes",
        description="Diff the folder's last snapshot against the configured schema and write <out>/NNNN_name.sql, "
                    "its snapshot and journal entry (drizzle-kit's format) plus <out>/down/NNNN_name.sql, the "
                    "reverse. A vanished and a new table/column may be a rename: a `renamed_from=` hint, "
                    "--rename/--create or --answers decide it, a terminal asks; otherwise generate stops and "
                    "names the ambiguity. dialect = \"turso\" writes libSQL ALTER COLUMN instead of rebuilds.",
    )
    p.add_argument("--name", help="migration name (default: a random adjective_noun)")
    p.add_argument("--custom", action="store_true",
                   help="write an empty migration for hand-written SQL (data migrations)")
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.add_argument("--empty-tables", action="store_true",
                   help="the changed tables are always empty: allow changes that fail on a table with rows "
                        "(a NOT NULL column without a default; on SQLite a non-constant default)")
    add_rename_flags(p)
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Generate and report what was written."""
    from mizzle.cli.resolver import build_resolver
    from mizzle.kit.api import generate
    from mizzle.kit.config import load_tables
    from mizzle.kit.push import describe_statement

    args, console, cfg = ctx.args, ctx.console, ctx.config
    tables = load_tables(cfg)
    resolver = build_resolver(console, tables, renames=args.rename, creates=args.create, answers=args.answers)
    result = generate(tables, cfg.out, name=args.name, custom=args.custom, resolver=resolver,
                      dialect=cfg.dialect, breakpoints=cfg.breakpoints, prefix=cfg.prefix,
                      empty_tables=args.empty_tables, write=False)
    if not result.changed:
        console.success("no schema changes, nothing to migrate")
        return 0
    # everything that can fail (describing the plan, relative paths) runs before a file is written
    sql_rel = _rel(result.sql_path, ctx)
    rows: list[list[tuple[str, str | None]]] = []
    plan = result.plan
    if not args.custom and plan is not None and plan.diff is not None:
        for s in plan.diff.statements:
            style, action, target, detail = describe_statement(s)
            rows.append([(_SYMBOL[style], style), (action, style), (target, None), (detail, "dim")])
    down_rel = _rel(result.down_path, ctx) if result.down_path is not None else None
    result.write()
    if args.custom:
        console.success(f"wrote {sql_rel}: put your SQL below the comment line")
        return 0
    if rows:
        console.rows(rows)
    for item in plan.lossy if plan is not None else []:
        console.print(f"! {item}: its data is lost when this migration runs", "loss")
    console.success(
        f"wrote {sql_rel} ({plural(len(plan.sql) if plan else 0, 'statement')}), snapshot and journal entry"
    )
    if down_rel is not None:
        note = f" (lossy: {', '.join(result.down_lossy)}; needs --force)" if result.down_lossy else ""
        console.print(f"  down migration: {down_rel}{note}", "dim")
    return 0


def _rel(path: Any, ctx: Context) -> str:
    if path is None:
        raise CommandError("generate wrote no file")
    try:
        return os.path.relpath(path, ctx.cwd)
    except ValueError:
        return str(path)
