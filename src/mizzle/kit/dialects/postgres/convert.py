"""PostgreSQL: put the differ's statements into drizzle-kit's order, add what only PostgreSQL has (schemas,
enums, sequences, identity, foreign keys of new tables), and write each as drizzle-kit's exact SQL text.

Deliberate differences from drizzle-kit, each because drizzle-kit's text fails or loses data:
* a type change that PostgreSQL cannot make by assignment cast gets `USING "col"::<type>` (drizzle-kit
  omits it and the statement fails: `column "x" cannot be cast automatically`), and such a column's old
  default is dropped first (it may not cast either);
* dropping a column's primary key names the constraint (`<table>_pkey`) instead of a commented-out stub;
* an enum value can be renamed (`ALTER TYPE ... RENAME VALUE`) when the rename is declared (answers or
  flags: `--rename mood.sad=unhappy` style keys `enum:<schema>.<enum>.<new>`), never guessed.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from mizzle.errors import MigrationError
from mizzle.kit import statements as st
from mizzle.kit.dialects.postgres import statements as pst
from mizzle.kit.dialects.postgres.snapshot import (
    Column,
    Enum,
    ForeignKey,
    Identity,
    Index,
    PgSnapshot,
    Table,
)
from mizzle.kit.dialects.postgres.snapshot import (
    Sequence as PgSequence,
)
from mizzle.kit.dialects.sqlite.convert import BREAKPOINT, join_sql, js_value, sql_statements
from mizzle.sql.identifiers import quote_identifier, quote_literal

_NATIVE = (
    "uuid", "smallint", "integer", "bigint", "boolean", "text", "varchar", "serial", "bigserial", "decimal",
    "numeric", "real", "json", "jsonb", "time", "timestamp", "date", "interval", "double precision", "char",
    "vector", "geometry", "halfvec", "sparsevec", "bit", "smallserial",
)
_TEXT = ("text", "varchar", "char", "character")
_NUMBER = ("smallint", "integer", "bigint", "serial", "smallserial", "bigserial", "numeric", "decimal", "real",
           "double precision")


_PLAIN_TYPE = re.compile(r"[A-Za-z0-9_ (),]*")
"""A built-in type as written (`numeric(10, 2)`, `timestamp (3) with time zone`); anything else is a quoted name."""


def q(name: str) -> str:
    """A double-quoted identifier (a `"` inside is doubled)."""
    return quote_identifier(name)


def qs(names: Sequence[str]) -> str:
    """`"a","b"`: a column list."""
    return ",".join(q(n) for n in names)


def qualified(schema: str, name: str) -> str:
    """`"schema"."name"`, or `"name"` for the public schema (`schema` is `""`)."""
    return f"{q(schema)}.{q(name)}" if schema else q(name)


def parse_type(schema_prefix: str, type_: str) -> str:
    """drizzle-kit's `parseType`: built-in types as written, others quoted and schema-prefixed."""
    dims = "".join(re.findall(r"\[\d*(?:\[\d*\])*\]", type_))
    base = re.sub(r"\[\d*(?:\[\d*\])*\]", "", type_)
    if any(type_.startswith(n) for n in _NATIVE) and _PLAIN_TYPE.fullmatch(base):
        return f"{base}{dims}"
    return f"{schema_prefix}{q(base)}{dims}"


def _col_type(col: Column) -> str:
    prefix = q(col.type_schema) + "." if col.type_schema and col.type_schema != "public" else ""
    return parse_type(prefix, col.type)


def identity_clause(ident: Identity, table_schema: str) -> str:
    """` GENERATED ... AS IDENTITY (sequence name ... )`."""
    kind = "ALWAYS" if ident.type == "always" else "BY DEFAULT"
    out = f" GENERATED {kind} AS IDENTITY (sequence name {qualified(table_schema, ident.name)}"
    if ident.increment:
        out += f" INCREMENT BY {ident.increment}"
    if ident.min_value:
        out += f" MINVALUE {ident.min_value}"
    if ident.max_value:
        out += f" MAXVALUE {ident.max_value}"
    if ident.start_with:
        out += f" START WITH {ident.start_with}"
    if ident.cache:
        out += f" CACHE {ident.cache}"
    if ident.cycle:
        out += " CYCLE"
    return out + ")"


def column_sql(col: Column, table_schema: str) -> str:
    """One column of a CREATE TABLE."""
    out = f"{q(col.name)} {_col_type(col)}"
    if col.primary_key:
        out += " PRIMARY KEY"
    if col.default is not None:
        out += f" DEFAULT {js_value(col.default)}"
    if col.generated is not None:
        out += f" GENERATED ALWAYS AS ({col.generated.as_}) STORED"
    if col.not_null and col.identity is None:
        out += " NOT NULL"
    if col.identity is not None:
        out += identity_clause(col.identity, table_schema)
    return out


def create_table_sql(t: Table) -> list[str]:
    """`CREATE TABLE` exactly as drizzle-kit's PgCreateTableConvertor writes it (plus RLS when enabled)."""
    out = f"CREATE TABLE {qualified(t.schema, t.name)} (\n"
    out += ",\n".join("\t" + column_sql(c, t.schema) for c in t.columns.values())
    for pk in list(t.composite_primary_keys.values())[:1]:
        out += ",\n" + f"\tCONSTRAINT {q(pk.name)} PRIMARY KEY({qs(pk.columns)})"
    for u in t.unique_constraints.values():
        nnd = " NULLS NOT DISTINCT" if u.nulls_not_distinct else ""
        out += ",\n" + f"\tCONSTRAINT {q(u.name)} UNIQUE{nnd}({qs(u.columns)})"
    for c in t.check_constraints.values():
        out += ",\n" + f"\tCONSTRAINT {q(c.name)} CHECK ({c.value})"
    out += "\n);\n"
    stmts = [out]
    if t.is_rls_enabled or t.policies:
        stmts.append(f"ALTER TABLE {qualified(t.schema, t.name)} ENABLE ROW LEVEL SECURITY;")
    return stmts


def fk_sql(schema: str, fk: ForeignKey) -> str:
    """`ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ... REFERENCES "schema"."t"(...) ON DELETE ... ON UPDATE ...;`."""
    on_delete = f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
    on_update = f" ON UPDATE {fk.on_update}" if fk.on_update else ""
    cols = ",".join(q(c) for c in fk.columns_from)
    refs = ",".join(q(c) for c in fk.columns_to)
    target = qualified(fk.schema_to or "public", fk.table_to)
    return (f"ALTER TABLE {qualified(schema, fk.table_from)} ADD CONSTRAINT {q(fk.name)} FOREIGN KEY ({cols}) "
            f"REFERENCES {target}({refs}){on_delete}{on_update};")


def index_sql(schema: str, table: str, ix: Index) -> str:
    """`CREATE [UNIQUE] INDEX "name" ON "t" USING method (...) [WITH (...)] [WHERE ...];`."""
    parts: list[str] = []
    for c in ix.columns:
        text = c.expression if c.is_expression else q(c.expression)
        if c.opclass:
            text += f" {c.opclass}"
        elif not c.asc:
            text += " DESC"
        if not ((c.asc and c.nulls == "last") or c.opclass):
            text += f" NULLS {c.nulls.upper()}"
        parts.append(text)
    kind = "UNIQUE INDEX" if ix.is_unique else "INDEX"
    conc = " CONCURRENTLY" if ix.concurrently else ""
    with_ = f" WITH ({','.join(f'{k}={v}' for k, v in ix.with_.items())})" if ix.with_ else ""
    where = f" WHERE {ix.where}" if ix.where else ""
    return f"CREATE {kind}{conc} {q(ix.name)} ON {qualified(schema, table)} USING {ix.method} ({','.join(parts)}){with_}{where};"


def enum_sql(e: Enum) -> str:
    """`CREATE TYPE "schema"."name" AS ENUM('a', 'b');`."""
    values = ", ".join(quote_literal(v) for v in e.values)
    return f"CREATE TYPE {qualified(e.schema, e.name)} AS ENUM({values});"


def sequence_sql(verb: str, s: PgSequence) -> str:
    """`CREATE SEQUENCE` / `ALTER SEQUENCE` with drizzle-kit's option order."""
    out = f"{verb} SEQUENCE {qualified(s.schema, s.name)}"
    for word, value in (("INCREMENT BY", s.increment), ("MINVALUE", s.min_value), ("MAXVALUE", s.max_value),
                        ("START WITH", s.start_with), ("CACHE", s.cache)):
        if value:
            out += f" {word} {value}"
    if s.cycle:
        out += " CYCLE"
    return out + ";"


def _family(type_: str) -> str:
    t = type_.lower()
    if "[" in t:
        return "array:" + t.split("[", 1)[0]
    if t.startswith(_TEXT):
        return "text"
    if t.startswith(_NUMBER):
        return "number"
    if t.startswith("timestamp") or t == "date":
        return "timestamp"
    return t.split("(", 1)[0].strip()


def needs_using(old: str, new: str) -> bool:
    """Whether `ALTER COLUMN ... TYPE new` needs an explicit `USING` cast from `old` (no assignment cast)."""
    fo, fn = _family(old), _family(new)
    if fn == "text" and not fo.startswith("array:"):
        return False  # every type converts to a string type by assignment
    return fo != fn


class _Ctx:
    """Lookups from table keys to schema and name, and the snapshots on both sides."""

    def __init__(self, prev: PgSnapshot, cur: PgSnapshot, before: dict[str, Any]) -> None:
        self.prev = prev
        self.cur = cur
        self.before = before

    def table(self, key: str) -> Table:
        t = self.cur.tables.get(key) or self.prev.tables.get(key)
        if t is None:
            raise MigrationError(f"internal: table {key!r} is in neither snapshot")
        return t

    def ref(self, key: str) -> str:
        t = self.table(key)
        return qualified(t.schema, t.name)

    def old_column(self, key: str, column: str) -> Column | None:
        t = self.before.get(key)
        return t.columns.get(column) if t is not None else None


def _alter_column_sql(ctx: _Ctx, s: st.AlterColumn) -> list[str]:
    ref = ctx.ref(s.table)
    col = f"ALTER TABLE {ref} ALTER COLUMN {q(s.column)}"
    new_col = ctx.table(s.table).columns[s.column]
    if s.what == "set_type":
        old_col = ctx.old_column(s.table, s.column)
        old_enum = old_col is not None and old_col.is_enum
        new_enum = new_col.is_enum
        new_type = parse_type(q(new_col.type_schema) + "." if new_col.type_schema else "", new_col.type)
        default = js_value(new_col.default) if new_col.default is not None else None
        out: list[str] = []
        if not old_enum and not new_enum:
            if needs_using(str(s.old), str(s.new)):
                if old_col is not None and old_col.default is not None:
                    out.append(f"{col} DROP DEFAULT;")
                out.append(f'{col} SET DATA TYPE {new_type} USING {q(s.column)}::{new_type};')
            else:
                out.append(f"{col} SET DATA TYPE {new_type};")
            if default is not None:
                out.append(f"{col} SET DEFAULT {default};")
        elif old_enum and not new_enum:
            out.append(f"{col} SET DATA TYPE {new_type};")
            if default is not None:
                out.append(f"{col} SET DEFAULT {default};")
        elif not old_enum and new_enum:
            if old_col is not None and old_col.default is not None:
                out.append(f"{col} DROP DEFAULT;")
            out.append(f'{col} SET DATA TYPE {new_type} USING {q(s.column)}::{new_type};')
            if default is not None:
                out.append(f"{col} SET DEFAULT {default}::{new_type};")
        else:
            alter = f'{col} SET DATA TYPE {new_type} USING {q(s.column)}::text::{new_type};'
            if default is not None:
                out += [f"{col} DROP DEFAULT;", alter, f"{col} SET DEFAULT {default};"]
            else:
                out.append(alter)
        return out
    if s.what == "set_default":
        return [f"{col} SET DEFAULT {js_value(s.new)};"]
    if s.what == "drop_default":
        return [f"{col} DROP DEFAULT;"]
    if s.what == "set_notnull":
        return [f"{col} SET NOT NULL;"]
    if s.what == "drop_notnull":
        return [f"{col} DROP NOT NULL;"]
    if s.what == "set_pk":
        return [f"ALTER TABLE {ref} ADD PRIMARY KEY ({q(s.column)});"]
    if s.what == "drop_pk":
        t = ctx.table(s.table)
        return [f"ALTER TABLE {ref} DROP CONSTRAINT {q(t.name + '_pkey')};"]
    if s.what == "drop_generated":
        return [f"{col} DROP EXPRESSION;"]
    if s.what == "set_generated":
        gen = new_col.generated
        assert gen is not None
        return [f"ALTER TABLE {ref} DROP COLUMN {q(s.column)};",
                f"ALTER TABLE {ref} ADD COLUMN {column_sql(new_col, ctx.table(s.table).schema)};"]
    if s.what in ("set_autoincrement", "drop_autoincrement"):
        return []
    raise MigrationError(f"PostgreSQL: no SQL for column change {s.what!r} on {s.table}.{s.column}")


def _identity_sql(ctx: _Ctx, s: pst.AlterIdentity) -> list[str]:
    t = ctx.table(s.table)
    col = f"ALTER TABLE {ctx.ref(s.table)} ALTER COLUMN {q(s.column)}"
    old: Identity | None = s.old
    new: Identity | None = s.new
    if new is None:
        return [f"{col} DROP IDENTITY;"]
    if old is None:
        return [f"{col} ADD{identity_clause(new, t.schema)};"]
    out: list[str] = []
    if old.type != new.type:
        out.append(f"{col} SET GENERATED {'ALWAYS' if new.type == 'always' else 'BY DEFAULT'};")
    for word, a, b in (("MINVALUE", old.min_value, new.min_value), ("MAXVALUE", old.max_value, new.max_value),
                       ("INCREMENT BY", old.increment, new.increment), ("START WITH", old.start_with, new.start_with),
                       ("CACHE", old.cache, new.cache)):
        if a != b:
            out.append(f"{col} SET {word} {b};")
    if old.cycle != new.cycle:
        out.append(f"{col} SET {'CYCLE' if new.cycle else 'NO CYCLE'};")
    return out


def _recreate_enum_sql(s: pst.RecreateEnum) -> list[str]:
    e: Enum = s.enum
    out: list[str] = []
    for schema, table, column, _ctype, default in s.columns:
        ref = qualified(schema, table)
        out.append(f"ALTER TABLE {ref} ALTER COLUMN {q(column)} SET DATA TYPE text;")
        if default is not None:
            out.append(f"ALTER TABLE {ref} ALTER COLUMN {q(column)} SET DEFAULT {js_value(default)}::text;")
    out.append(f"DROP TYPE {qualified(e.schema, e.name)};")
    out.append(enum_sql(e))
    for schema, table, column, ctype, default in s.columns:
        ref = qualified(schema, table)
        parsed = parse_type(q(e.schema) + ".", ctype)
        if default is not None:
            out.append(f"ALTER TABLE {ref} ALTER COLUMN {q(column)} SET DEFAULT {js_value(default)}::{parsed};")
        out.append(f"ALTER TABLE {ref} ALTER COLUMN {q(column)} SET DATA TYPE {parsed} USING {q(column)}::{parsed};")
    return out


def to_sql(s: st.Statement, ctx: _Ctx) -> list[str]:
    """The SQL text of one statement (some give several)."""
    if isinstance(s, st.CreateTable):
        return create_table_sql(s.definition)
    if isinstance(s, st.DropTable):
        t: Table = s.definition
        return [f"DROP TABLE {qualified(t.schema, t.name)} CASCADE;"]
    if isinstance(s, st.RenameTable):
        old = ctx.prev.tables[s.from_name]
        new = ctx.cur.tables[s.table]
        out = [f"ALTER TABLE {qualified(old.schema, old.name)} RENAME TO {q(new.name)};"]
        if old.schema != new.schema:
            out.append(f"ALTER TABLE {qualified(old.schema, new.name)} SET SCHEMA {q(new.schema or 'public')};\n")
        return out
    if isinstance(s, st.RenameColumn):
        return [f"ALTER TABLE {ctx.ref(s.table)} RENAME COLUMN {q(s.from_name)} TO {q(s.to_name)};"]
    if isinstance(s, st.AddColumn):
        t = ctx.table(s.table)
        return [f"ALTER TABLE {ctx.ref(s.table)} ADD COLUMN {column_sql(s.column, t.schema)};"]
    if isinstance(s, st.DropColumn):
        return [f"ALTER TABLE {ctx.ref(s.table)} DROP COLUMN {q(s.column)};"]
    if isinstance(s, st.AlterColumn):
        return _alter_column_sql(ctx, s)
    if isinstance(s, pst.AlterIdentity):
        return _identity_sql(ctx, s)
    if isinstance(s, st.CreateIndex):
        t = ctx.table(s.table)
        return [index_sql(t.schema, t.name, s.index)]
    if isinstance(s, st.DropIndex):
        t = ctx.table(s.table)
        return [f"DROP INDEX {qualified(t.schema, s.index.name)};"]
    if isinstance(s, st.CreateReference):
        return [fk_sql(ctx.table(s.table).schema, s.fk)]
    if isinstance(s, st.DeleteReference):
        return [f"ALTER TABLE {ctx.ref(s.table)} DROP CONSTRAINT {q(s.fk.name)};\n"]
    if isinstance(s, st.CreateCompositePK):
        return [f"ALTER TABLE {ctx.ref(s.table)} ADD CONSTRAINT {q(s.pk.name)} PRIMARY KEY({qs(s.pk.columns)});"]
    if isinstance(s, st.DeleteCompositePK):
        return [f"ALTER TABLE {ctx.ref(s.table)} DROP CONSTRAINT {q(s.pk.name)};"]
    if isinstance(s, st.CreateUniqueConstraint):
        nnd = " NULLS NOT DISTINCT" if s.unique.nulls_not_distinct else ""
        return [f"ALTER TABLE {ctx.ref(s.table)} ADD CONSTRAINT {q(s.unique.name)} UNIQUE{nnd}({qs(s.unique.columns)});"]
    if isinstance(s, st.DeleteUniqueConstraint):
        return [f"ALTER TABLE {ctx.ref(s.table)} DROP CONSTRAINT {q(s.unique.name)};"]
    if isinstance(s, st.CreateCheck):
        return [f"ALTER TABLE {ctx.ref(s.table)} ADD CONSTRAINT {q(s.check.name)} CHECK ({s.check.value});"]
    if isinstance(s, st.DeleteCheck):
        return [f"ALTER TABLE {ctx.ref(s.table)} DROP CONSTRAINT {q(s.check.name)};"]
    if isinstance(s, pst.CreateSchema):
        return [f"CREATE SCHEMA {q(s.table)};\n"]
    if isinstance(s, pst.DropSchema):
        return [f"DROP SCHEMA {q(s.table)};\n"]
    if isinstance(s, pst.CreateEnum):
        return [enum_sql(s.enum)]
    if isinstance(s, pst.DropEnum):
        return [f"DROP TYPE {qualified(s.enum.schema, s.enum.name)};"]
    if isinstance(s, pst.AddEnumValue):
        before = f" BEFORE {quote_literal(s.before)}" if s.before else ""
        return [f"ALTER TYPE {qualified(s.enum.schema, s.enum.name)} ADD VALUE {quote_literal(s.value)}{before};"]
    if isinstance(s, pst.RenameEnumValue):
        return [f"ALTER TYPE {qualified(s.enum.schema, s.enum.name)} RENAME VALUE {quote_literal(s.old)} "
                f"TO {quote_literal(s.new)};"]
    if isinstance(s, pst.RecreateEnum):
        return _recreate_enum_sql(s)
    if isinstance(s, pst.CreateSequence):
        return [sequence_sql("CREATE", s.sequence)]
    if isinstance(s, pst.AlterSequence):
        return [sequence_sql("ALTER", s.sequence)]
    if isinstance(s, pst.DropSequence):
        return [f"DROP SEQUENCE {qualified(s.sequence.schema, s.sequence.name)};"]
    if isinstance(s, st.RawSQL):
        return [s.sql]
    raise MigrationError(f"PostgreSQL: no SQL for a {s.type} statement")


# ---- ordering and PostgreSQL-only statements ------------------------------------------------------------


def _enum_statements(prev: PgSnapshot, cur: PgSnapshot, resolver: Any) -> tuple[list[st.Statement], list[st.Statement],
                                                                                 list[st.Statement]]:
    """(create + add/rename value, drop-value recreates, drops) for the enums."""
    first: list[st.Statement] = []
    middle: list[st.Statement] = []
    last: list[st.Statement] = []
    for key, e in cur.enums.items():
        old = prev.enums.get(key)
        if old is None:
            first.append(pst.CreateEnum(key, e))
            continue
        if old.values == e.values:
            continue
        removed = [v for v in old.values if v not in e.values]
        added = [v for v in e.values if v not in old.values]
        renames: dict[str, str] = {}
        for v in list(added):
            if not removed:
                break
            d = resolver.column(f"enum:{key}", v, list(removed)) if resolver is not None else None
            if d is None:
                raise _ambiguous_enum(key, v, removed)
            if d is not False:
                renames[d] = v
                removed.remove(d)
                added.remove(v)
        for o, n in renames.items():
            first.append(pst.RenameEnumValue(key, e, o, n))
        if removed:
            cols = tuple(
                (t.schema, t.name, c.name, c.type, c.default)
                for t in cur.tables.values() for c in t.columns.values()
                if c.type_schema == e.schema and c.type.split("[", 1)[0] == e.name
            )
            middle.append(pst.RecreateEnum(key, e, tuple(removed), cols))
            continue
        existing = [renames.get(v, v) for v in old.values]
        for v in added:
            i = e.values.index(v)
            after = [x for x in e.values[i + 1:] if x in existing]
            first.append(pst.AddEnumValue(key, e, v, after[0] if after else ""))
            existing.append(v)
    for key, e in prev.enums.items():
        if key not in cur.enums:
            last.append(pst.DropEnum(key, e))
    return first, middle, last


def _ambiguous_enum(key: str, new: str, removed: Sequence[str]) -> MigrationError:
    from mizzle.kit.diff import AmbiguityError

    old = removed[0]
    return AmbiguityError(
        f"enum {key}: value {new!r} is new and value(s) {', '.join(repr(r) for r in removed)} vanished: is {new!r} "
        "a renamed value (ALTER TYPE ... RENAME VALUE keeps the rows) or a new one (the vanished values are "
        "dropped, rows holding them fail)? mizzle does not guess. Resolve it with an answers file "
        f'({{"columns": {{"enum:{key}.{new}": "{old}"}}}}, or false for a new value) or the flag '
        f"--rename enum:{key}.{old}={new} / --create enum:{key}.{new}"
    )


def _index_key(ix: Index, renames: dict[str, str]) -> dict[str, Any]:
    out = copy.deepcopy(ix)
    out.columns = [c if c.is_expression else type(c)(renames.get(c.expression, c.expression), False, c.asc, c.nulls,
                                                     c.opclass) for c in ix.columns]
    return out.to_dict()


def combine_diff(d: Any, resolver: Any = None) -> list[st.Statement]:
    """The statements of `d` (a generic Diff of two PgSnapshots) in drizzle-kit's PostgreSQL order, completed."""
    prev: PgSnapshot = d.prev
    cur: PgSnapshot = d.cur
    before: dict[str, Any] = d.patched_prev
    created = {s.table for s in d.statements if isinstance(s, st.CreateTable)}
    col_renames: dict[str, dict[str, str]] = {}
    for tname, o, n in d.column_renames:
        col_renames.setdefault(tname, {})[o] = n

    buckets: dict[str, list[st.Statement]] = {k: [] for k in (
        "create_table", "drop_table", "rename_table", "rename_column", "drop_unique", "drop_check", "drop_fk",
        "drop_index", "drop_pk", "alter", "add_pk", "add_column", "fk_created", "index_created", "fk_altered",
        "index_altered", "drop_column", "add_unique", "add_check")}
    for s in d.statements:
        if isinstance(s, st.CreateTable):
            buckets["create_table"].append(s)
            t: Table = s.definition
            buckets["fk_created"] += [st.CreateReference(s.table, fk) for fk in t.foreign_keys.values()]
        elif isinstance(s, st.DropTable):
            buckets["drop_table"].append(s)
        elif isinstance(s, st.RenameTable):
            buckets["rename_table"].append(s)
        elif isinstance(s, st.RenameColumn):
            buckets["rename_column"].append(s)
        elif isinstance(s, st.DeleteUniqueConstraint):
            buckets["drop_unique"].append(s)
        elif isinstance(s, st.DeleteCheck):
            buckets["drop_check"].append(s)
        elif isinstance(s, st.DeleteReference):
            buckets["drop_fk"].append(s)
        elif isinstance(s, st.DropIndex | st.CreateIndex):
            if s.table in created:
                buckets["index_created"].append(s)
            # indexes of surviving tables are recomputed below (column renames inside index elements)
        elif isinstance(s, st.DeleteCompositePK):
            buckets["drop_pk"].append(s)
        elif isinstance(s, st.AlterColumn):
            buckets["alter"].append(s)
        elif isinstance(s, st.CreateCompositePK):
            buckets["add_pk"].append(s)
        elif isinstance(s, st.AddColumn):
            buckets["add_column"].append(s)
        elif isinstance(s, st.CreateReference):
            buckets["fk_altered"].append(s)
        elif isinstance(s, st.DropColumn):
            buckets["drop_column"].append(s)
        elif isinstance(s, st.CreateUniqueConstraint):
            buckets["add_unique"].append(s)
        elif isinstance(s, st.CreateCheck):
            buckets["add_check"].append(s)
        else:
            raise MigrationError(f"PostgreSQL: unexpected {s.type} statement from the differ")

    # indexes and identity of tables present on both sides
    for key, old_t in before.items():
        new_t: Table = cur.tables[key]
        renames = col_renames.get(key, {})
        for name, ix in old_t.indexes.items():
            n = new_t.indexes.get(name)
            if n is None or _index_key(ix, renames) != n.to_dict():
                buckets["drop_index"].append(st.DropIndex(key, ix))
        for name, ix in new_t.indexes.items():
            o = old_t.indexes.get(name)
            if o is None or _index_key(o, renames) != ix.to_dict():
                buckets["index_altered"].append(st.CreateIndex(key, ix))
        for cname, col in new_t.columns.items():
            oc = old_t.columns.get(cname)
            if oc is None:
                continue
            oi = oc.identity.to_dict() if oc.identity is not None else None
            ni = col.identity.to_dict() if col.identity is not None else None
            if oi != ni:
                buckets["alter"].append(pst.AlterIdentity(key, cname, oc.identity, col.identity))

    # schemas, enums, sequences
    pre: list[st.Statement] = [pst.CreateSchema(s) for s in cur.schemas if s not in prev.schemas]
    enum_first, enum_middle, enum_last = _enum_statements(prev, cur, resolver)
    pre += enum_first
    for key, seq in cur.sequences.items():
        old_seq = prev.sequences.get(key)
        if old_seq is None:
            pre.append(pst.CreateSequence(key, seq))
        elif old_seq.to_dict() != seq.to_dict():
            pre.append(pst.AlterSequence(key, seq))
    post: list[st.Statement] = list(enum_last)
    post += [pst.DropSequence(k, s) for k, s in prev.sequences.items() if k not in cur.sequences]
    post += [pst.DropSchema(s) for s in prev.schemas if s not in cur.schemas]

    b = buckets
    return (
        pre + b["create_table"] + b["drop_table"] + b["rename_table"] + b["rename_column"] + b["drop_unique"]
        + b["drop_check"] + b["drop_fk"] + enum_middle + b["drop_index"] + b["drop_pk"] + b["alter"] + b["add_pk"]
        + b["add_column"] + b["fk_created"] + b["index_created"] + b["fk_altered"] + b["index_altered"]
        + b["drop_column"] + b["add_unique"] + b["add_check"] + post
    )


def sql_statements_for(statements: Sequence[st.Statement], prev: PgSnapshot, cur: PgSnapshot,
                       before: dict[str, Any]) -> list[str]:
    """SQL text for combined statements; identical statements are kept once (first occurrence), as drizzle-kit does."""
    ctx = _Ctx(prev, cur, before)
    return sql_statements(statements, render=lambda s: to_sql(s, ctx))


def plan_sql(d: Any, resolver: Any = None) -> tuple[list[st.Statement], list[str]]:
    """(combined statements, SQL texts) for a generic Diff of two PgSnapshots."""
    combined = combine_diff(d, resolver)
    return combined, sql_statements_for(combined, d.prev, d.cur, d.patched_prev)


__all__ = [
    "BREAKPOINT",
    "column_sql",
    "combine_diff",
    "create_table_sql",
    "enum_sql",
    "fk_sql",
    "identity_clause",
    "index_sql",
    "join_sql",
    "needs_using",
    "parse_type",
    "plan_sql",
    "qualified",
    "sequence_sql",
    "sql_statements_for",
    "to_sql",
]
