"""Views in the migration kit: the generic part (each dialect writes its snapshot entries and SQL).

A snapshot's `views` maps a key to the view's entry exactly as drizzle-kit 0.31 writes it (`name`,
`columns`, `definition`, `isExisting`, plus the dialect's options). The differ here follows
drizzle-kit's `applyXSnapshotsDiff` for views: a view that is new while another vanished may be a
rename (decided by the schema's `renamed_from=` hint or the resolver, never guessed); a managed view
whose definition (or options) changed is dropped and created again; `existing=True` views are in the
snapshot but never created or dropped. Drops come after the table statements and creates last, as
drizzle-kit writes them, except where a table change would break a view that reads the table: then
the view is dropped first and created again afterwards (drizzle-kit's migration fails there).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mizzle.errors import MigrationError
from mizzle.kit import statements as st
from mizzle.kit.view_definition import select_definition, source_columns

if TYPE_CHECKING:
    from mizzle.kit.diff import Resolver
    from mizzle.schema.table import Table


def reads(definition: str | None, table: str) -> bool:
    """Whether a view definition mentions `table` as a name (quoted or bare)."""
    if not definition:
        return False
    pattern = r'(?<![\w$])["`\[]?' + re.escape(table.rsplit(".", 1)[-1]) + r'["`\]]?(?![\w$])'
    return re.search(pattern, definition, re.IGNORECASE) is not None


def _ambiguous_view(new: str, candidates: Sequence[str]) -> MigrationError:
    from mizzle.kit.diff import AmbiguityError

    old = candidates[0]
    return AmbiguityError(
        f"view {new!r} is new and view(s) {', '.join(repr(c) for c in candidates)} vanished: is {new!r} "
        "renamed from one of them, or a new view? mizzle does not guess. Resolve it with one of:\n"
        f"  - a hint in the schema: class ...(Table, name={new!r}, view=..., renamed_from={old!r})\n"
        f"  - an answers file (--answers answers.json): {{\"tables\": {{\"{new}\": \"{old}\"}}}} "
        f"(or {{\"{new}\": false}} for a new view)\n"
        f"  - flags: --rename {old}={new}  or  --create {new}\n"
        "  - run `mizzle generate` in a terminal and answer the prompt"
    )


@dataclass(slots=True)
class ViewDiff:
    """The view statements of a migration: drops (after the tables) and creates (last), and the renames."""

    drops: list[st.Statement] = field(default_factory=list[st.Statement])
    creates: list[st.Statement] = field(default_factory=list[st.Statement])
    renames: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    renames_sql: list[st.Statement] = field(default_factory=list[st.Statement])
    """`RenameView`s (dialects that rename views in place), placed after the drops."""
    alters: list[st.Statement] = field(default_factory=list[st.Statement])
    """Views changed in place (MySQL's `ALTER VIEW`), placed after the renames."""


def label(entry: Mapping[str, Any], key: str) -> str:
    """A view's name as the schema's hints and the answers name it (`schema.name` outside `public`)."""
    name = str(entry.get("name", key))
    schema = entry.get("schema")
    return name if schema in (None, "", "public") else f"{schema}.{name}"


def managed(entry: Mapping[str, Any]) -> bool:
    """Whether the kit creates and drops the view (not `existing=True`)."""
    return not entry.get("isExisting", False)


def diff_views(prev: Mapping[str, Any], cur: Mapping[str, Any], resolver: Resolver | None,
               changes: Any = None, *, rename: bool = False) -> ViewDiff:
    """drizzle-kit's view diff: created, deleted, renamed (drop + create, or `RenameView` with `rename`),
    altered (drop + create).

    `changes(key, old, new)` gives the (drops, alters, creates) of a view present on both sides (default: drop
    and create when its definition or `isExisting` differs)."""
    out = ViewDiff()
    vanished = [k for k in prev if k not in cur]
    created: list[str] = []
    renamed: list[tuple[str, str]] = []
    for key in cur:
        if key in prev:
            continue
        if vanished:
            names = {label(prev[k], k): k for k in vanished}
            d = resolver.table(label(cur[key], key), list(names)) if resolver is not None else None
            if d is None:
                raise _ambiguous_view(label(cur[key], key), list(names))
            if d is not False:
                renamed.append((names[d], key))
                vanished.remove(names[d])
                continue
        created.append(key)
    out.renames = renamed
    out.creates += [st.CreateView(k, cur[k]) for k in created if managed(cur[k])]
    out.drops += [st.DropView(k, prev[k]) for k in vanished if managed(prev[k])]
    if rename:  # drizzle-kit: ALTER VIEW ... RENAME TO, then compared like any other view
        out.renames_sql += [st.RenameView(new, old, cur[new], prev[old]) for old, new in renamed
                            if managed(cur[new]) and managed(prev[old])]
        moved = {new: {**prev[old], **{k: cur[new][k] for k in ("name", "schema") if k in cur[new]}}
                 for old, new in renamed}
        prev = {**{k: v for k, v in prev.items() if k not in dict(renamed)}, **moved}
    else:
        out.drops += [st.DropView(old, prev[old]) for old, new in renamed if managed(cur[new])]
        out.creates += [st.CreateView(new, cur[new]) for _old, new in renamed if managed(cur[new])]
        prev = {k: v for k, v in prev.items() if k not in dict(renamed)}
    for key, new in cur.items():
        old = prev.get(key)
        if old is None or not managed(new):
            continue
        if changes is not None:
            drops, alters, creates = changes(key, old, new)
        elif old.get("definition") != new.get("definition") or managed(old) != managed(new):
            drops, alters, creates = ([st.DropView(key, old)] if managed(old) else []), [], [st.CreateView(key, new)]
        else:
            continue
        out.drops += drops
        out.alters += alters
        out.creates += creates
    return out


def place_views(vd: ViewDiff, cur_views: Mapping[str, Any], broken: set[str], *, rebuilt: set[str] | None = None,
                drops_first: bool = False) -> tuple[list[st.Statement], list[st.Statement]]:
    """(view statements before the table statements, after them): drops after the tables and creates last
    (drizzle-kit's order), except that a dropped view reading a table in `broken` (one the table statements drop
    or rebuild) is dropped before them, and an unchanged view reading a table in `rebuilt` is dropped before them
    and created again after them."""
    early: list[st.Statement] = []
    late: list[st.Statement] = []
    for s in vd.drops:
        entry: Mapping[str, Any] = getattr(s, "view", {})
        (early if drops_first or any(reads(entry.get("definition"), t) for t in broken) else late).append(s)
    (early if drops_first else late).extend(vd.renames_sql + vd.alters)
    touched = {s.table for s in vd.drops} | {s.table for s in vd.creates}
    again: list[st.Statement] = []
    for key, current in cur_views.items():
        entry = current
        if key in touched or not managed(entry) or not any(reads(entry.get("definition"), t) for t in rebuilt or ()):
            continue
        early.append(st.DropView(key, entry))
        again.append(st.CreateView(key, entry))
    return early, late + vd.creates + again


def schema_views(tables: Sequence[type[Table]]) -> tuple[list[type[Table]], list[type[Table]]]:
    """(tables, views) of a schema."""
    from mizzle.schema.view import split_views

    return split_views(tables)


__all__ = ["ViewDiff", "diff_views", "managed", "place_views", "reads", "schema_views", "select_definition", "source_columns"]
