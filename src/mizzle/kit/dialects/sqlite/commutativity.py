"""drizzle-kit 1.0's SQLite/libSQL commutativity rules (`SqliteCommutativity`, bin.cjs 85219 in 1.0.0-rc.5).

Each statement type of the SQLite diff has a target (a table, or a table's column/index, whose ancestor is
the table) and the statement types it conflicts with on that target. The footprints feed the generic engine
in `kit/commutativity.py`.

One deliberate addition (mizzle's, not drizzle-kit's): SQLite index names are one namespace per database, so
two branches that each create an index with the same name conflict even on different tables (drizzle-kit
calls them commuting, and migrating the merged folder then fails with `index ... already exists`).
"""

from __future__ import annotations

from collections.abc import Sequence

from mizzle.kit.commutativity import Footprint

_TABLE = ("create_table", "drop_table", "rename_table", "recreate_table")
_TABLE_ALL = (*_TABLE, "add_column", "drop_column", "recreate_column", "rename_column", "create_index", "drop_index")
_COLUMN = ("add_column", "drop_column", "recreate_column", "rename_column")
_INDEX = ("create_index", "drop_index")
CONFLICTS: dict[str, tuple[str, ...]] = {
    "create_table": _TABLE,
    "drop_table": _TABLE_ALL,
    "rename_table": (*_TABLE, "create_index"),
    "recreate_table": _TABLE_ALL,
    "add_column": _COLUMN,
    "drop_column": _COLUMN,
    "recreate_column": _COLUMN,
    "rename_column": _COLUMN,
    "create_index": _INDEX,
    "drop_index": _INDEX,
}
_SCHEMA_LEVEL = {"create_table", "drop_table", "rename_table", "recreate_table"}
_INDEX_NAME = "mizzle_index_name"


def footprints(events: Sequence[tuple[str, str, str]]) -> list[Footprint]:
    """The footprints of diff statements given as `(type, table, column or index name)`."""
    out: list[Footprint] = []
    for action, table, item in events:
        targets = [(table, item), (table, "")] if item else [(table, "")]
        keys = [f"{action};{obj};{col}" for obj, col in targets]
        conflicts = [f"{other};{table};{item}" for other in CONFLICTS[action]]
        if action == "create_index":
            keys.append(f"{_INDEX_NAME};{item};")
            conflicts.append(f"{_INDEX_NAME};{item};")
        if action in _SCHEMA_LEVEL:
            text = f"{action}: {table} in database"
        elif item:
            text = f"{action}: {item} on {table} table"
        else:
            text = f"{action} on {table} table"
        out.append(Footprint(text, tuple(keys), tuple(conflicts)))
    return out


__all__ = ["CONFLICTS", "footprints"]
