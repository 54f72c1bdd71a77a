"""Turso / libSQL: drizzle-kit's `turso` dialect on top of the SQLite convertor.

libSQL can change a column in place (`ALTER TABLE t ALTER COLUMN "c" TO "c" <definition>`), so
`combine()` (drizzle-kit's `libSQLCombineStatements`) rebuilds a table only for what that cannot do:
primary key / autoincrement / generated changes, composite keys, checks, unique constraints, a dropped
or multi-column foreign key, and type/default/NOT NULL changes of a primary-key or foreign-key column.
A single-column foreign key on an existing column becomes `ALTER COLUMN ... REFERENCES`. Each column
change is wrapped in `DROP INDEX`/`CREATE INDEX` of the schema's indexes, as drizzle-kit writes it.

The SQL text is drizzle-kit's, byte for byte, with three deliberate fixes (each only where
drizzle-kit's output would be wrong; none occurs in its reference folders):

* only indexes that exist when the `ALTER COLUMN` runs are dropped and re-created (drizzle-kit also
  drops indexes this migration creates, fails on them, and its de-duplication can lose the
  re-created index of a table rebuilt earlier in the migration);
* a type change whose SQLite affinity differs is followed by `UPDATE t SET "c" = "c";`: libSQL keeps
  the stored values as they were, whereas a rebuild converts them (`30` becomes `'30'` in a text column);
* a default that is JavaScript-falsy (`0`, `false`, `''`) is kept (drizzle-kit drops it).

Snapshots and the journal are the SQLite ones (the journal's `dialect` stays `"sqlite"`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mizzle.kit import statements as st
from mizzle.kit.dialects.sqlite import convert as sqlite
from mizzle.kit.dialects.sqlite.snapshot import Column, ForeignKey, Index, SQLiteSnapshot

BREAKPOINT = sqlite.BREAKPOINT

_REBUILD_WHAT = frozenset({
    "set_autoincrement", "drop_autoincrement", "set_pk", "drop_pk", "set_generated", "drop_generated",
})
_REBUILD = (
    st.CreateCompositePK,
    st.DeleteCompositePK,
    st.CreateCheck,
    st.DeleteCheck,
    st.DeleteReference,
    st.CreateUniqueConstraint,
    st.DeleteUniqueConstraint,
)


@dataclass(frozen=True, slots=True)
class ModifyColumn(st.Statement):
    """libSQL `ALTER COLUMN` to the column's new definition, inside DROP/CREATE of `indexes`."""

    type: ClassVar[str] = "libsql_modify_column"
    column: Any = None
    """The column's new definition (a SQLite snapshot `Column`)."""
    indexes: tuple[tuple[str, Any], ...] = field(default=())
    """(table, Index) pairs dropped before the ALTER and re-created after it."""
    restore_values: bool = False
    """Re-store the column's values so they take the new type's affinity (a type change)."""


@dataclass(frozen=True, slots=True)
class AddReference(st.Statement):
    """libSQL `ALTER COLUMN ... REFERENCES` adding a single-column foreign key to an existing column."""

    type: ClassVar[str] = "libsql_add_reference"
    column: Any = None
    fk: Any = None


def _column_tail(col: Column) -> str:
    out = f" {col.type}" if col.type else ""
    if col.not_null:
        out += " NOT NULL"
    if col.default is not None:
        out += f" DEFAULT {sqlite.js_value(col.default)}"
    return out


def modify_column_sql(s: ModifyColumn, internal: dict[str, Any] | None = None) -> list[str]:
    """`DROP INDEX "i"`..., `ALTER TABLE t ALTER COLUMN "c" TO "c" ...`, [`UPDATE`], `CREATE INDEX`...."""
    col: Column = s.column
    c = sqlite.dq(col.name)
    out = [f"DROP INDEX {sqlite.dq(ix.name)};" for _, ix in s.indexes]
    out.append(f"ALTER TABLE {sqlite.bt(s.table)} ALTER COLUMN {c} TO {c}{_column_tail(col)};")
    if s.restore_values:
        out.append(f"UPDATE {sqlite.bt(s.table)} SET {c} = {c};")
    out += [sqlite.create_index_sql(table, ix, internal) for table, ix in s.indexes]
    return out


def add_reference_sql(s: AddReference) -> str:
    """`ALTER TABLE t ALTER COLUMN "c" TO "c" <type> REFERENCES p(id) ON DELETE ... ON UPDATE ...;`."""
    col: Column = s.column
    fk: ForeignKey = s.fk
    on_delete = f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
    on_update = f" ON UPDATE {fk.on_update}" if fk.on_update else ""
    return (
        f"ALTER TABLE {sqlite.bt(fk.table_from)} ALTER COLUMN {sqlite.dq(col.name)} TO {sqlite.dq(col.name)}{_column_tail(col)} "
        f"REFERENCES {sqlite.bare_name(fk.table_to)}({sqlite.bare_name(fk.columns_to[0])}){on_delete}{on_update};"
    )


def to_sql(s: st.Statement, internal: dict[str, Any] | None = None) -> list[str]:
    """The SQL text of one combined statement."""
    if isinstance(s, ModifyColumn):
        return modify_column_sql(s, internal)
    if isinstance(s, AddReference):
        return [add_reference_sql(s)]
    return sqlite.to_sql(s, internal)


def _existing_indexes(cur: SQLiteSnapshot, before: dict[str, Any], rebuilt: set[str]) -> tuple[tuple[str, Any], ...]:
    """Indexes of `cur` that exist unchanged before the migration, on tables it does not rebuild."""
    out: list[tuple[str, Index]] = []
    for t_name, table in cur.tables.items():
        old = before.get(t_name)
        if old is None or t_name in rebuilt:
            continue
        for name, ix in table.indexes.items():
            prev: Index | None = old.indexes.get(name)
            if prev is not None and prev.to_dict() == ix.to_dict():
                out.append((t_name, ix))
    return tuple(out)


def combine(statements: Sequence[st.Statement], cur: SQLiteSnapshot, before: dict[str, Any]) -> list[st.Statement]:
    """Group statements per table; in-place column changes where libSQL can, rebuilds elsewhere (drizzle-kit's order)."""
    groups: dict[str, list[st.Statement]] = {}

    def rebuilding(table: str) -> bool:
        return any(isinstance(s, st.RecreateTable) for s in groups.get(table, ()))

    def trigger(table: str) -> None:
        group = groups.get(table)
        if group is None:
            groups[table] = sqlite.recreate_statements(table, cur, before)
        elif not rebuilding(table):
            if any(isinstance(s, st.RenameTable | st.RenameColumn) for s in group):
                group.extend(sqlite.recreate_statements(table, cur, before))
            else:
                groups[table] = sqlite.recreate_statements(table, cur, before)

    def append(table: str, s: st.Statement) -> None:
        group = groups.get(table)
        if group is None:
            groups[table] = [s]
        elif not rebuilding(table):
            group.append(s)

    for s in statements:
        table = s.table
        if (isinstance(s, _REBUILD) or (isinstance(s, st.AlterColumn) and s.what in _REBUILD_WHAT)
                or (isinstance(s, st.AddColumn) and s.column.primary_key)):
            trigger(table)
            continue
        if isinstance(s, st.AlterColumn):
            t = cur.tables[table]
            in_fk = any(s.column in fk.columns_from for fk in t.foreign_keys.values())
            if in_fk or t.columns[s.column].primary_key:
                trigger(table)
            else:
                append(table, s)  # becomes a ModifyColumn once the rebuilt tables are known
            continue
        if isinstance(s, st.CreateReference):
            group = groups.get(table)
            if s.is_multicolumn or len(s.fk.columns_to) > 1:
                trigger(table)
                continue
            if group is not None and any(
                isinstance(g, st.AddColumn) and g.column.name == s.fk.columns_from[0] for g in group
            ):
                continue
            append(table, AddReference(table, cur.tables[table].columns[s.fk.columns_from[0]], s.fk))
            continue
        append(table, s)

    flat = [s for g in groups.values() for s in g]
    rebuilt = {s.table for s in flat if isinstance(s, st.RecreateTable)}
    wrap = _existing_indexes(cur, before, rebuilt)
    out: list[st.Statement] = []
    for s in flat:
        if isinstance(s, st.AlterColumn):
            col = cur.tables[s.table].columns[s.column]
            restore = s.what == "set_type" and sqlite.affinity(str(s.old)) != sqlite.affinity(str(s.new))
            s = ModifyColumn(s.table, col, wrap, restore)
        out.append(s)
    return sqlite.renames_first(out)


def sql_statements(statements: Sequence[st.Statement], internal: dict[str, Any] | None = None) -> list[str]:
    """SQL text for combined statements, each text once."""
    return sqlite.sql_statements(statements, render=lambda s: to_sql(s, internal))


join_sql = sqlite.join_sql

__all__ = [
    "BREAKPOINT",
    "AddReference",
    "ModifyColumn",
    "add_reference_sql",
    "combine",
    "join_sql",
    "modify_column_sql",
    "sql_statements",
    "to_sql",
]
