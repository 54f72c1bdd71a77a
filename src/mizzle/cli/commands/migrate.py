"""`mizzle migrate`: apply pending migrations (`--to TAG|N`: go up or down to exactly that migration)."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import Context
from mizzle.cli.output import Console


def register(sub: Any) -> None:
    """Add the `migrate` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "migrate", help="apply pending migrations to the database",
        description="Apply every migration of the folder the database lacks, in journal order, each atomically "
                    "(recorded in __drizzle_migrations exactly as drizzle-orm does). With --to, bring the database "
                    "to exactly that migration: later applied ones are reverted with their down migrations, "
                    "pending ones up to it are applied.",
    )
    p.add_argument("--to", metavar="TAG|N",
                   help="target migration: a tag (0003_add_email), its number (0003 or 3), or -1 for none")
    p.add_argument("--force", action="store_true", help="allow down migrations that lose data")
    p.add_argument("--url", help="database URL (default: the config's url)")
    p.add_argument("--out", metavar="DIR", help="migrations folder (default: the config's out)")
    p.set_defaults(func=run)


def progress_printer(console: Console) -> Any:
    """A migrator progress callback printing one line per migration."""
    def report(event: Any) -> None:
        if event.kind == "start":
            if event.total:  # nothing to apply: the summary says where the database is
                console.print(f"{event.total} migration{'' if event.total == 1 else 's'} to apply", "dim")
        elif event.kind == "applied":
            console.print(f"  [{event.index}/{event.total}] applied {event.tag} ({event.seconds * 1000:.0f} ms)", "ok")
        elif event.kind == "reverted":
            console.print(f"  [{event.index}/{event.total}] reverted {event.tag} ({event.seconds * 1000:.0f} ms)",
                          "alter")
    return report


def run(ctx: Context) -> int:
    """Migrate up, or down with --to."""
    from mizzle.kit.migrator import migrate, migrate_to

    cfg, console, args = ctx.config, ctx.console, ctx.args
    db = ctx.connect()
    try:
        if args.to is not None:
            target: str | int = int(args.to) if args.to.lstrip("-").isdigit() else args.to
            result = migrate_to(db, cfg.out, target, force=args.force, table=cfg.migrations_table,
                                progress=progress_printer(console))
        else:
            result = migrate(db, cfg.out, table=cfg.migrations_table, progress=progress_printer(console))
    finally:
        db.driver.close()
    console.success(result.summary())
    return 0
