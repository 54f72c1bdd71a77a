"""`mizzle seed`: fill every table of the configured schema with deterministic fake data."""

from __future__ import annotations

import argparse
from typing import Any

from mizzle.cli.context import CommandError, Context
from mizzle.cli.output import plural


def register(sub: Any) -> None:
    """Add the `seed` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "seed", help="fill the tables with deterministic fake data",
        description="Insert fake rows into every table of the configured schema, parents before children: "
                    "values follow each column's mode and enum, NOT NULL columns are filled, unique keys stay "
                    "distinct and foreign keys point at existing rows. The same --seed on the same database "
                    "gives the same rows. All tables are filled in one transaction.",
    )
    p.add_argument("--count", "-n", type=int, default=10, metavar="N", help="rows per table (default: 10)")
    p.add_argument("--seed", "-s", default="0", metavar="S", help="random seed (default: 0)")
    p.add_argument("--reset", action="store_true",
                   help="delete every row of the schema's tables first (foreign keys off); "
                        "with --count 0 only resets")
    p.add_argument("--url", help="database URL (default: the config's url)")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Reset and/or seed, then report rows per table."""
    from mizzle.kit.config import load_tables
    from mizzle.kit.seed import seed

    args, cfg, console = ctx.args, ctx.config, ctx.console
    if args.count < 0:
        raise CommandError(f"--count {args.count}: expected 0 or more rows per table",
                           hint="e.g. `mizzle seed --count 50`")
    tables = load_tables(cfg, views=False)
    db = ctx.connect()
    try:
        value: int | str = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed
        result = seed(db, tables, count=args.count, seed=value, reset_first=args.reset)
    finally:
        db.driver.close()
    if args.reset:
        console.print(f"reset: deleted {plural(sum(result.deleted.values()), 'row')} "
                      f"from {plural(len(result.deleted), 'table')}", "dim")
    rows: list[list[tuple[str, str | None]]] = [
        [("+", "create"), (name, None), (plural(n, "row"), "dim")] for name, n in result.inserted.items()
    ]
    if result.total:
        console.rows(rows)
    console.success(f"seeded {plural(result.total, 'row')} into {plural(len(result.inserted), 'table')} "
                    f"(seed {args.seed}) in {result.seconds:.2f}s")
    return 0
