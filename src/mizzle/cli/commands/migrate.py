"""`mizzle migrate`: apply pending migrations (or `--to TAG|N` to revert down to a migration)."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import Context
from mizzle.cli.output import Console


def register(sub: Any) -> None:
    """Add the `migrate` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser("migrate", help="apply pending migrations to the database")
    p.add_argument("--to", metavar="TAG|N", help="revert applied migrations after this one (down migrations)")
    p.add_argument("--force", action="store_true", help="allow down migrations that lose data")
    p.add_argument("--url", help="database URL (default: the config's url)")
    p.add_argument("--out", help="migrations folder (default: the config's out)")
    p.set_defaults(func=run)


def progress_printer(console: Console) -> Any:
    """A migrator progress callback printing one line per migration."""
    def report(event: Any) -> None:
        if event.kind == "start":
            console.print(f"{event.total} pending migration(s)" if event.total else "no pending migrations", "dim")
        elif event.kind == "applied":
            console.print(f"  [{event.index}/{event.total}] applied {event.tag} ({event.seconds * 1000:.0f} ms)", "ok")
        elif event.kind == "reverted":
            console.print(f"  [{event.index}/{event.total}] reverted {event.tag} ({event.seconds * 1000:.0f} ms)",
                          "alter")
    return report


def run(ctx: Context) -> int:
    """Migrate up, or down with --to."""
    from mizzle.kit.introspect import connect_config
    from mizzle.kit.migrator import migrate, migrate_to

    cfg, console, args = ctx.config, ctx.console, ctx.args
    db = connect_config(cfg)
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
