"""Whether two branches of a drizzle 1.0 migrations graph commute: drizzle-kit 1.0's conflict-list engine.

drizzle-kit 1.0 `check` (`ConflictListCommutativity`, `src/commutativity/engine.ts`; bin.cjs 83160 in
1.0.0-rc.5) diffs the fork's snapshot against each branch's leaf snapshot with no renames (a rename is a drop
plus a create) and turns every statement of those diffs into a footprint: the `action;object;column` keys of
what it changes (its target and the target's ancestors, e.g. the table of a column) and the keys it conflicts
with (the conflicting actions on its own target). Two branches conflict when a key of one is among the
conflict keys of the other. The dialect supplies the footprints (`KitDialect.v1_footprints`); this module
holds the engine, with no dialect knowledge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Footprint:
    """One statement of a branch's diff as the conflict engine sees it."""

    description: str
    """drizzle-kit's description (`add_column: bio on users table`, `drop_table: posts in database`)."""
    keys: tuple[str, ...]
    """What it changes: `action;object;column` for its target and the target's ancestors."""
    conflicts: tuple[str, ...]
    """What it conflicts with: `other action;object;column` on its own target."""


def first_conflict(a: Sequence[Footprint], b: Sequence[Footprint]) -> tuple[Footprint, Footprint] | None:
    """The first pair (one of `a`, one of `b`) that conflicts, in drizzle-kit's search order, or None."""
    b_conflicts = {key: fp for fp in b for key in fp.conflicts}
    for fp in a:
        for key in fp.keys:
            if key in b_conflicts:
                return fp, b_conflicts[key]
    a_conflicts = {key: fp for fp in a for key in fp.conflicts}
    for fp in b:
        for key in fp.keys:
            if key in a_conflicts:
                return a_conflicts[key], fp
    return None


__all__ = ["Footprint", "first_conflict"]
