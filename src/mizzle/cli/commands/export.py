"""`mizzle export`: the whole schema as SQL on stdout."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import Context


def register(sub: Any) -> None:
    """Add the `export` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "export", help="print the full schema as SQL",
        description="Print the SQL that creates the configured schema from nothing (what a first migration "
                    "would hold) to stdout, e.g. `mizzle export > schema.sql`.",
    )
    p.add_argument("--no-breakpoints", action="store_true", help="no `--> statement-breakpoint` markers")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Print the SQL that creates the schema from nothing."""
    from mizzle.kit.config import load_tables
    from mizzle.kit.export import export_sql

    cfg = ctx.config
    ctx.console.raw(export_sql(load_tables(cfg), dialect=cfg.dialect,
                               breakpoints=cfg.breakpoints and not ctx.args.no_breakpoints))
    return 0
