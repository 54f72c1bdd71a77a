"""`mizzle check` (being written)."""

from __future__ import annotations

from typing import Any

from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `check` sub-command."""
    p = sub.add_parser("check", help="check")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Not yet available."""
    raise CommandError("check is not available yet")
