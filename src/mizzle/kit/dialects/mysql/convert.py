"""MySQL: order the differ's statements as drizzle-kit does and write them as its exact SQL text.

The generic differ yields statements in drizzle-kit's SQLite order; `combine()` re-sorts them into
`applyMysqlSnapshotsDiff`'s order, adds what MySQL needs and SQLite does not (the foreign keys of a
new table as separate `ALTER TABLE ... ADD CONSTRAINT` statements run after every `CREATE TABLE`,
a column's ON UPDATE CURRENT_TIMESTAMP changes), folds a new table's unique indexes into its
`CREATE TABLE`, and turns each changed column into one `ALTER TABLE ... MODIFY COLUMN` carrying the
column's complete new definition. `to_sql()` renders every statement byte-identically to drizzle-kit,
with three deliberate fixes:

* `MODIFY COLUMN` keeps a default of `0`, `false` or `''` (drizzle-kit tests the default for
  truthiness and silently drops such defaults from the column);
* `serial` columns are written without ` AUTO_INCREMENT` (the type implies it, and MariaDB rejects
  drizzle-kit's `serial AUTO_INCREMENT` as a syntax error);
* a primary key whose *name* changes while its columns stay (a renamed table) is left alone: MySQL
  names every primary key PRIMARY, and drizzle-kit's `DROP PRIMARY KEY` + `ADD PRIMARY KEY` fails on
  an AUTO_INCREMENT key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from mizzle.kit import statements as st
from mizzle.kit.dialects.mysql.snapshot import Column, ForeignKey, Index, MySQLSnapshot, Table
from mizzle.kit.dialects.sqlite.convert import BREAKPOINT, join_sql, js_value
from mizzle.kit.dialects.sqlite.convert import sql_statements as sqlite_sql_statements
from mizzle.sql.identifiers import quote_identifier

__all__ = [
    "BREAKPOINT",
    "ModifyColumn",
    "add_column_sql",
    "column_sql",
    "combine",
    "create_index_sql",
    "create_table_sql",
    "fk_sql",
    "join_sql",
    "modify_column_sql",
    "sql_statements",
    "to_sql",
]


@dataclass(frozen=True, slots=True)
class ModifyColumn(st.AlterColumn):
    """A changed column (`what` is the first change) with its complete new `definition` (a MODIFY COLUMN)."""

    type: ClassVar[str] = "alter_column"
    definition: Any = None


def _bt(name: str) -> str:
    return quote_identifier(name, "`")


def _bts(names: Sequence[str]) -> str:
    return ",".join(_bt(c) for c in names)


def _auto(col: Column) -> str:
    # `serial` already means AUTO_INCREMENT; MariaDB rejects `serial AUTO_INCREMENT` (drizzle-kit writes it)
    return " AUTO_INCREMENT" if col.autoincrement and col.type.lower() != "serial" else ""


def _default(col: Column) -> str:
    return f" DEFAULT {js_value(col.default)}" if col.default is not None else ""


def _generated(col: Column) -> str:
    g = col.generated
    return f" GENERATED ALWAYS AS ({g.as_}) {g.type.upper()}" if g is not None else ""


def column_sql(col: Column) -> str:
    """One column definition in a CREATE TABLE (drizzle-kit's MySqlCreateTableConvertor order)."""
    return (
        f"{_bt(col.name)} {col.type}"
        + _auto(col)
        + (" PRIMARY KEY" if col.primary_key else "")
        + _generated(col)
        + (" NOT NULL" if col.not_null else "")
        + _default(col)
        + (" ON UPDATE CURRENT_TIMESTAMP" if col.on_update else "")
    )


def _key(obj: object, key: str) -> Any:
    """`obj[key]` if `obj` is a JSON object, else None."""
    if isinstance(obj, dict):
        return cast(dict[str, Any], obj).get(key)
    return None


def _expression_columns(ix: Index, internal: dict[str, Any] | None) -> set[str]:
    """Names in `ix.columns` that are SQL expressions (`internal.indexes[name].columns[c].isExpression`)."""
    columns = _key(_key(_key(internal, "indexes"), ix.name), "columns")
    if not isinstance(columns, dict):
        return set()
    return {k for k, v in cast(dict[str, Any], columns).items() if _key(v, "isExpression")}


def _index_columns(ix: Index, internal: dict[str, Any] | None) -> str:
    exprs = _expression_columns(ix, internal)
    return ",".join(c if c in exprs else _bt(c) for c in ix.columns)


def create_table_sql(table: Table, internal: dict[str, Any] | None = None) -> str:
    """`CREATE TABLE` with columns, primary key, unique constraints (and unique indexes), checks; ends `");\\n"`."""
    lines = ["\t" + column_sql(c) for c in table.columns.values()]
    for pk in list(table.composite_primary_keys.values())[:1]:
        lines.append(f"\tCONSTRAINT {_bt(pk.name)} PRIMARY KEY({_bts(pk.columns)})")
    for u in table.unique_constraints.values():
        lines.append(f"\tCONSTRAINT {_bt(u.name)} UNIQUE({','.join(_bt(c) for c in u.columns)})")
    for ix in table.indexes.values():
        if ix.is_unique:
            lines.append(f"\tCONSTRAINT {_bt(ix.name)} UNIQUE({_index_columns(ix, internal)})")
    for chk in table.check_constraints.values():
        lines.append(f"\tCONSTRAINT {_bt(chk.name)} CHECK({chk.value})")
    return f"CREATE TABLE {_bt(table.name)} (\n" + ",\n".join(lines) + "\n);\n"


def add_column_sql(table: str, col: Column) -> str:
    """`ALTER TABLE t ADD col ...` (drizzle-kit's MySqlAlterTableAddColumnConvertor order)."""
    return (
        f"ALTER TABLE {_bt(table)} ADD {_bt(col.name)} {col.type}"
        + (" PRIMARY KEY" if col.primary_key else "")
        + _auto(col)
        + _default(col)
        + _generated(col)
        + (" NOT NULL" if col.not_null else "")
        + (" ON UPDATE CURRENT_TIMESTAMP" if col.on_update else "")
        + ";"
    )


def modify_column_sql(table: str, col: Column) -> str:
    """`ALTER TABLE t MODIFY COLUMN c <complete new definition>;`."""
    return (
        f"ALTER TABLE {_bt(table)} MODIFY COLUMN {_bt(col.name)} {col.type}"
        + _auto(col)
        + _generated(col)
        + (" NOT NULL" if col.not_null else "")
        + _default(col)
        + (" ON UPDATE CURRENT_TIMESTAMP" if col.on_update else "")
        + ";"
    )


def fk_sql(fk: ForeignKey) -> str:
    """`ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY (...) REFERENCES t(...) ON DELETE ... ON UPDATE ...;`."""
    on_delete = f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
    on_update = f" ON UPDATE {fk.on_update}" if fk.on_update else ""
    return (
        f"ALTER TABLE {_bt(fk.table_from)} ADD CONSTRAINT {_bt(fk.name)} FOREIGN KEY "
        f"({','.join(_bt(c) for c in fk.columns_from)}) REFERENCES {_bt(fk.table_to)}"
        f"({','.join(_bt(c) for c in fk.columns_to)}){on_delete}{on_update};"
    )


def create_index_sql(table: str, ix: Index, internal: dict[str, Any] | None = None) -> str:
    """`CREATE [UNIQUE] INDEX name ON t (cols);`."""
    kind = "UNIQUE INDEX" if ix.is_unique else "INDEX"
    return f"CREATE {kind} {_bt(ix.name)} ON {_bt(table)} ({_index_columns(ix, internal)});"


def _alter_sql(s: st.AlterColumn) -> list[str]:
    col: Column | None = s.definition if isinstance(s, ModifyColumn) else None
    if col is None:
        raise TypeError(f"MySQL: alter_column {s.table}.{s.column} must be combined first (combine())")
    changed = s.what == "set_generated" and s.old is not None  # the expression changed
    old_type: Any = _key(s.old, "type")
    virtual = bool(
        (s.what == "set_generated" and col.generated is not None and col.generated.type == "virtual")
        or (s.what == "drop_generated" and old_type == "virtual")
    )
    recreate = changed or virtual
    if recreate:
        drop = (f"ALTER TABLE {_bt(s.table)} drop column {_bt(s.column)};" if changed
                else f"ALTER TABLE {_bt(s.table)} DROP COLUMN {_bt(s.column)};")
        return [drop, add_column_sql(s.table, col)]
    return [modify_column_sql(s.table, col)]


def to_sql(s: st.Statement, internal: dict[str, Any] | None = None) -> list[str]:
    """The SQL text of one statement."""
    if isinstance(s, st.CreateTable):
        return [create_table_sql(s.definition, internal)]
    if isinstance(s, st.DropTable):
        return [f"DROP TABLE {_bt(s.table)};"]
    if isinstance(s, st.RenameTable):
        return [f"RENAME TABLE {_bt(s.from_name)} TO {_bt(s.table)};"]
    if isinstance(s, st.RenameColumn):
        return [f"ALTER TABLE {_bt(s.table)} RENAME COLUMN {_bt(s.from_name)} TO {_bt(s.to_name)};"]
    if isinstance(s, st.AddColumn):
        return [add_column_sql(s.table, s.column)]
    if isinstance(s, st.DropColumn):
        return [f"ALTER TABLE {_bt(s.table)} DROP COLUMN {_bt(s.column)};"]
    if isinstance(s, st.AlterColumn):
        return _alter_sql(s)
    if isinstance(s, st.CreateIndex):
        if s.index.is_unique:
            return [f"ALTER TABLE {_bt(s.table)} ADD CONSTRAINT {_bt(s.index.name)} UNIQUE({_bts(s.index.columns)});"]
        return [create_index_sql(s.table, s.index, internal)]
    if isinstance(s, st.DropIndex):
        if s.index.is_unique:
            return [f"ALTER TABLE {_bt(s.table)} DROP INDEX {_bt(s.index.name)};"]
        return [f"DROP INDEX {_bt(s.index.name)} ON {_bt(s.table)};"]
    if isinstance(s, st.CreateUniqueConstraint):
        return [f"ALTER TABLE {_bt(s.table)} ADD CONSTRAINT {_bt(s.unique.name)} UNIQUE({_bts(s.unique.columns)});"]
    if isinstance(s, st.DeleteUniqueConstraint):
        return [f"ALTER TABLE {_bt(s.table)} DROP INDEX {_bt(s.unique.name)};"]
    if isinstance(s, st.CreateReference):
        return [fk_sql(s.fk)]
    if isinstance(s, st.DeleteReference):
        return [f"ALTER TABLE {_bt(s.table)} DROP FOREIGN KEY {_bt(s.fk.name)};\n"]
    if isinstance(s, st.CreateCompositePK):
        return [f"ALTER TABLE {_bt(s.table)} ADD PRIMARY KEY({_bts(s.pk.columns)});"]
    if isinstance(s, st.DeleteCompositePK):
        return [f"ALTER TABLE {_bt(s.table)} DROP PRIMARY KEY;"]
    if isinstance(s, st.CreateCheck):
        return [f"ALTER TABLE {_bt(s.table)} ADD CONSTRAINT {_bt(s.check.name)} CHECK ({s.check.value});"]
    if isinstance(s, st.DeleteCheck):
        return [f"ALTER TABLE {_bt(s.table)} DROP CONSTRAINT {_bt(s.check.name)};"]
    if isinstance(s, st.RawSQL):
        return [s.sql]
    raise TypeError(f"MySQL has no SQL for a {s.type} statement")


_RANKS: tuple[tuple[type[st.Statement], int], ...] = (
    (st.CreateTable, 0), (st.DropTable, 1), (st.RenameTable, 2), (st.RenameColumn, 3), (st.DeleteUniqueConstraint, 4),
    (st.DeleteCheck, 5), (st.DeleteReference, 6), (st.DropIndex, 7), (st.DeleteCompositePK, 8), (st.AlterColumn, 9),
    (st.CreateCompositePK, 10), (st.AddColumn, 11), (st.CreateUniqueConstraint, 12), (st.CreateReference, 13),
    (st.CreateIndex, 14), (st.CreateCheck, 15), (st.DropColumn, 18),
)


def _rank(s: st.Statement, created: set[str]) -> int:
    """The position of a statement's kind in drizzle-kit's `applyMysqlSnapshotsDiff` output."""
    rank = next((r for kind, r in _RANKS if isinstance(s, kind)), 19)
    if rank in (7, 14) and cast(Any, s).index.is_unique:  # unique indexes go with unique constraints
        return 4 if rank == 7 else 12
    if rank in (13, 14) and s.table not in created:  # keys and indexes of existing tables: after the columns
        return rank + 3
    return rank


def _column_alters(statements: Sequence[st.Statement], cur: MySQLSnapshot, before: dict[str, Any]) -> list[st.Statement]:
    """One statement per changed column (type, null, default, auto-increment, generated, ON UPDATE), in table order."""
    by_col: dict[tuple[str, str], list[st.AlterColumn]] = {}
    for s in statements:
        if isinstance(s, st.AlterColumn) and s.what not in ("set_pk", "drop_pk"):
            by_col.setdefault((s.table, s.column), []).append(s)
    out: list[st.Statement] = []
    for tname, table in cur.tables.items():
        old_t: Table | None = before.get(tname)
        if old_t is None:
            continue
        for cname, col in table.columns.items():
            alters = by_col.get((tname, cname), [])
            old_c = old_t.columns.get(cname)
            if not alters and old_c is not None and old_c.on_update != col.on_update:
                what = "set_on_update" if col.on_update else "drop_on_update"
                alters = [st.AlterColumn(tname, cname, what, old_c.on_update, col.on_update)]
            generated = [a for a in alters if a.what in ("set_generated", "drop_generated")]
            out.extend(ModifyColumn(a.table, a.column, a.what, a.old, a.new, col) for a in generated or alters[:1])
    return out


def combine(statements: Sequence[st.Statement], cur: MySQLSnapshot, before: dict[str, Any]) -> list[st.Statement]:
    """drizzle-kit's MySQL statement order, with new tables' foreign keys and unique indexes placed as it places them."""
    created = {s.table for s in statements if isinstance(s, st.CreateTable)}
    rest: list[st.Statement] = []
    for s in statements:
        if isinstance(s, st.AlterColumn) and s.what not in ("set_pk", "drop_pk"):
            continue
        if isinstance(s, st.CreateIndex) and s.index.is_unique and s.table in created:
            continue  # a CONSTRAINT ... UNIQUE inside its CREATE TABLE
        rest.append(s)
        if isinstance(s, st.CreateTable):
            rest += [st.CreateReference(s.table, fk) for fk in s.definition.foreign_keys.values()]
    rest += _column_alters(statements, cur, before)
    return sorted(rest, key=lambda s: _rank(s, created))


def sql_statements(statements: Sequence[st.Statement], internal: dict[str, Any] | None = None) -> list[str]:
    """SQL text for combined statements, each text once."""
    return sqlite_sql_statements(statements, render=lambda s: to_sql(s, internal))
