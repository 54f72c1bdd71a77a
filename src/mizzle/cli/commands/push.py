"""`mizzle push` (being written)."""

from __future__ import annotations

from typing import Any

from mizzle.cli.context import CommandError, Context


def register(sub: Any) -> None:
    """Add the `push` sub-command."""
    p = sub.add_parser("push", help="push")
    p.set_defaults(func=run)


def run(ctx: Context) -> int:
    """Not yet available."""
    raise CommandError("push is not available yet")
