"""`mizzle rollback` (being written)."""

from __future__ import annotations

from typing import Any

from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `rollback` sub-command."""
    p = sub.add_parser("rollback", help="rollback")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Not yet available."""
    raise CommandError("rollback is not available yet")
