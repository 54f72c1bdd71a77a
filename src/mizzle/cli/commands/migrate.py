"""`mizzle migrate` (being written)."""

from __future__ import annotations

from typing import Any

from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `migrate` sub-command."""
    p = sub.add_parser("migrate", help="migrate")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Not yet available."""
    raise CommandError("migrate is not available yet")
