"""Read a live PostgreSQL database into a drizzle v7 snapshot (`mizzle pull`, `mizzle push`).

Types are written the way drizzle-kit writes them (`varchar(255)`, `timestamp (3) with time zone`,
`serial` for an integer whose default is its owned sequence), and defaults the way drizzle-kit encodes
them (numbers and booleans as JSON values, string literals without PostgreSQL's `::text` cast).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from mizzle.kit.dialects.postgres.from_schema import option_key
from mizzle.kit.dialects.postgres.snapshot import (
    CheckConstraint,
    Column,
    CompositePK,
    DefaultValue,
    Enum,
    ForeignKey,
    Generated,
    Identity,
    Index,
    IndexColumn,
    PgSnapshot,
    Table,
    UniqueConstraint,
    table_key,
)
from mizzle.kit.dialects.postgres.snapshot import (
    Sequence as PgSequence,
)
from mizzle.sql.chunks import SQL

Execute = Callable[..., list[tuple[Any, ...]]]

_FK_ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
_SERIALS = {"integer": "serial", "smallint": "smallserial", "bigint": "bigserial"}
_NUM = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
_STRING_CAST = re.compile(r"^('(?:[^']|'')*')::([\w .\"\[\]()]+)$")


def pg_type(formatted: str) -> str:
    """`format_type()` text -> drizzle-kit's spelling of the type."""
    t = formatted
    dims = ""
    while t.endswith("[]"):
        dims += "[]"
        t = t[:-2]
    m = re.match(r"^(timestamp|time)(?:\((\d+)\))? (with|without) time zone$", t)
    if m:
        base = m.group(1) + (f" ({m.group(2)})" if m.group(2) else "")
        return base + (" with time zone" if m.group(3) == "with" else "") + dims
    m = re.match(r"^character varying(?:\((\d+)\))?$", t)
    if m:
        return (f"varchar({m.group(1)})" if m.group(1) else "varchar") + dims
    m = re.match(r"^character(?:\((\d+)\))?$", t)
    if m:
        return (f"char({m.group(1)})" if m.group(1) else "char") + dims
    m = re.match(r"^numeric\((\d+),(\d+)\)$", t)
    if m:
        return f"numeric({m.group(1)}, {m.group(2)})" + dims
    return t + dims


def parse_default(expr: str | None, type_: str) -> DefaultValue | None:
    """`pg_get_expr(adbin)` -> the snapshot `default` (None for no default)."""
    if expr is None:
        return None
    e = expr.strip()
    if e in ("true", "false"):
        return e == "true"
    if _NUM.match(e):
        return float(e) if any(c in e for c in ".eE") else int(e)
    m = _STRING_CAST.match(e)
    if m:
        literal, cast = m.group(1), m.group(2)
        inner = literal[1:-1].replace("''", "'")
        if cast in ("json", "jsonb"):
            return e
        if cast in ("integer", "bigint", "smallint", "numeric", "real", "double precision") and _NUM.match(inner):
            return float(inner) if any(c in inner for c in ".eE") else int(inner)
        if "[]" in cast:
            return literal
        return literal
    return e


def _rows(execute: Execute, text: str, *args: Any) -> list[tuple[Any, ...]]:
    return execute(SQL(text, *args)) if args else execute(text)


def introspect_pg(
    execute: Execute,
    *,
    schemas: Sequence[str] = ("public",),
    include: Callable[[str], bool] | None = None,
    migrations_table: str = "__drizzle_migrations",
) -> PgSnapshot:
    """The snapshot of the tables in `schemas` that `include(name)` keeps (the migrations table excluded)."""
    snap = PgSnapshot()
    schema_list = list(schemas)
    tables = _rows(execute, """
        SELECT c.oid, n.nspname, c.relname, c.relrowsecurity FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY({}) AND NOT c.relispartition
         ORDER BY n.nspname, c.relname""", schema_list)
    used_enums: set[tuple[str, str]] = set()
    for oid, nsp, name, rls in tables:
        if name == migrations_table or (include is not None and not include(name)):
            continue
        schema = "" if nsp == "public" else str(nsp)
        t = Table(name=str(name), schema=schema, is_rls_enabled=bool(rls))
        _columns(execute, int(oid), t, used_enums)
        _constraints(execute, int(oid), t)
        _indexes(execute, int(oid), t)
        snap.tables[t.key] = t
        if schema:
            snap.schemas[schema] = schema
    for s in schema_list:
        if s != "public":
            snap.schemas[s] = s
    for tschema, tname in sorted(used_enums):
        values = [r[0] for r in _rows(execute, """
            SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
              JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = {} AND t.typname = {} ORDER BY e.enumsortorder""", tschema, tname)]
        snap.enums[f"{tschema}.{tname}"] = Enum(tname, tschema, values)
    for row in _rows(execute, """
            SELECT n.nspname, e.typname FROM pg_type e JOIN pg_namespace n ON n.oid = e.typnamespace
             WHERE e.typtype = 'e' AND n.nspname = ANY({})""", schema_list):
        key = f"{row[0]}.{row[1]}"
        if key not in snap.enums:
            values = [r[0] for r in _rows(execute, """
                SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
                  JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = {} AND t.typname = {} ORDER BY e.enumsortorder""", row[0], row[1])]
            snap.enums[key] = Enum(str(row[1]), str(row[0]), values)
    for nsp, name, start, minv, maxv, inc, cycle, cache in _rows(execute, """
            SELECT s.schemaname, s.sequencename, s.start_value, s.min_value, s.max_value, s.increment_by, s.cycle,
                   s.cache_size
              FROM pg_sequences s
              JOIN pg_class c ON c.relname = s.sequencename
              JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname
             WHERE s.schemaname = ANY({})
               AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))""",
                                                                   schema_list):
        seq = PgSequence(str(name), str(nsp), str(inc), str(start), str(minv), str(maxv), str(cache), bool(cycle))
        snap.sequences[f"{nsp}.{name}"] = seq
    snap.tables = dict(sorted(snap.tables.items(), key=lambda kv: (kv[1].schema_name, kv[1].name)))
    snap.views = introspect_views(execute, schema_list, include)
    return snap


def _columns(execute: Execute, oid: int, t: Table, used_enums: set[tuple[str, str]]) -> None:
    rows = _rows(execute, """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
               a.attidentity, a.attgenerated, et.typtype, et.typname, en.nspname, a.attnum,
               pg_get_serial_sequence(quote_ident(n.nspname) || '.' || quote_ident(c.relname), a.attname)
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_type ty ON ty.oid = a.atttypid
          JOIN pg_type et ON et.oid = CASE WHEN ty.typelem <> 0 AND ty.typcategory = 'A' THEN ty.typelem ELSE ty.oid END
          JOIN pg_namespace en ON en.oid = et.typnamespace
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE a.attrelid = {} AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum""", oid)
    for name, ftype, notnull, default, identity, generated, typtype, typname, typnsp, _num, serial_seq in rows:
        type_ = pg_type(str(ftype))
        type_schema: str | None = None
        if typtype == "e":
            dims = "[]" * str(ftype).count("[]")
            type_ = f"{typname}{dims}"
            type_schema = str(typnsp)
            used_enums.add((str(typnsp), str(typname)))
        dflt: DefaultValue | None = None
        gen: Generated | None = None
        ident: Identity | None = None
        if generated == "s":
            gen = Generated(str(default), "stored")
        elif identity in ("a", "d"):
            ident = _identity(execute, str(serial_seq), "always" if identity == "a" else "byDefault", t.schema)
        elif default is not None and serial_seq is not None and str(default).startswith("nextval(") \
                and type_ in _SERIALS:
            seq_name = str(serial_seq).rsplit(".", 1)[-1].strip('"')
            # the sequence the column owns (a renamed table or column keeps its old name): serial
            if f"nextval('{seq_name}'" in str(default) or f"nextval('{serial_seq}'" in str(default):
                type_ = _SERIALS[type_]
            else:
                dflt = str(default)
        else:
            dflt = parse_default(default, type_)
        t.columns[str(name)] = Column(str(name), type_, type_schema, False, bool(notnull), gen, ident, dflt)


def _identity(execute: Execute, seq: str, kind: str, schema: str) -> Identity:
    rows = _rows(execute, """
        SELECT s.seqincrement, s.seqstart, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, c.relname
          FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid WHERE s.seqrelid = {}::regclass""", seq)
    inc, start, minv, maxv, cache, cycle, relname = rows[0]
    return Identity(kind, str(relname), schema or "public", str(inc), str(start), str(minv), str(maxv), str(cache),
                    bool(cycle))


def _constraints(execute: Execute, oid: int, t: Table) -> None:
    rows = _rows(execute, """
        SELECT con.conname, con.contype, pg_get_constraintdef(con.oid, true),
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
               ft.relname, fn.nspname,
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),
               con.confdeltype, con.confupdtype,
               COALESCE((SELECT i.indnullsnotdistinct FROM pg_index i WHERE i.indexrelid = con.conindid), false)
          FROM pg_constraint con
          LEFT JOIN pg_class ft ON ft.oid = con.confrelid
          LEFT JOIN pg_namespace fn ON fn.oid = ft.relnamespace
         WHERE con.conrelid = {} ORDER BY con.conname""", oid)
    for name, kind, definition, cols, ftable, fschema, fcols, on_delete, on_update, nnd in rows:
        cols = list(cols or [])
        if kind == "p":
            if len(cols) == 1 and str(name).endswith("_pkey"):  # PostgreSQL's name, kept by a table rename
                t.columns[cols[0]].primary_key = True
                t.columns[cols[0]].not_null = True
            else:
                t.composite_primary_keys[str(name)] = CompositePK(str(name), cols)
        elif kind == "u":
            t.unique_constraints[str(name)] = UniqueConstraint(str(name), cols, bool(nnd))
        elif kind == "f":
            t.foreign_keys[str(name)] = ForeignKey(
                str(name), t.name, str(ftable), cols, list(fcols or []), _FK_ACTIONS.get(str(on_delete), "no action"),
                _FK_ACTIONS.get(str(on_update), "no action"), None if fschema == "public" else str(fschema))
        elif kind == "c":
            text = str(definition)
            if text.startswith("CHECK (") and text.endswith(")"):
                text = text[len("CHECK ("):-1]
            t.check_constraints[str(name)] = CheckConstraint(str(name), text)


def _indexes(execute: Execute, oid: int, t: Table) -> None:
    rows = _rows(execute, """
        SELECT ic.relname, i.indisunique, am.amname, pg_get_expr(i.indpred, i.indrelid), ic.reloptions,
               i.indnkeyatts, i.indkey::int2[], i.indoption::int2[], i.indexrelid
          FROM pg_index i
          JOIN pg_class ic ON ic.oid = i.indexrelid
          JOIN pg_am am ON am.oid = ic.relam
         WHERE i.indrelid = {} AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)
         ORDER BY ic.relname""", oid)
    for name, unique, method, where, reloptions, nkeys, indkey, indoption, ixoid in rows:
        cols: list[IndexColumn] = []
        for k in range(int(nkeys)):
            attnum = int(indkey[k])
            opt = int(indoption[k]) if indoption is not None else 0
            desc = bool(opt & 1)
            nulls_first = bool(opt & 2)
            if attnum == 0:
                expr = _rows(execute, "SELECT pg_get_indexdef({}, {}, true)", int(ixoid), k + 1)[0][0]
                cols.append(IndexColumn(str(expr), True, not desc, "first" if nulls_first else "last"))
            else:
                col = _rows(execute, "SELECT attname FROM pg_attribute WHERE attrelid = {} AND attnum = {}",
                            oid, attnum)[0][0]
                cols.append(IndexColumn(str(col), False, not desc, "first" if nulls_first else "last"))
        with_: dict[str, Any] = {}
        options: list[Any] = list(reloptions or [])
        for option in options:
            k_, _, v = str(option).partition("=")
            with_[k_] = v
        t.indexes[str(name)] = Index(str(name), cols, bool(unique), str(where) if where is not None else None,
                                     False, str(method), with_)


def table_key_of(schema: str, name: str) -> str:
    """The snapshot key of a table (re-exported for callers)."""
    return table_key(schema, name)


__all__ = ["introspect_pg", "parse_default", "pg_type", "table_key_of"]


def introspect_views(execute: Execute, schemas: Sequence[str] = ("public",),
                     include: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """Views and materialized views as drizzle-kit's `pull` reads them: `pg_get_viewdef(oid, true)` with its
    whitespace collapsed as the definition, the columns as `pg_attribute` reports them."""
    out: dict[str, Any] = {}
    for oid, nsp, name, kind, definition, options, space, method in _rows(execute, """
            SELECT c.oid, n.nspname, c.relname, c.relkind, pg_get_viewdef(c.oid, true), c.reloptions, t.spcname,
                   a.amname
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_tablespace t ON t.oid = c.reltablespace
              LEFT JOIN pg_am a ON a.oid = c.relam
             WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY({})
             ORDER BY n.nspname, c.relname""", list(schemas)):
        if include is not None and not include(str(name)):
            continue
        t = Table(name=str(name), schema="" if nsp == "public" else str(nsp))
        _columns(execute, int(oid), t, set())
        entry: dict[str, Any] = {
            "columns": {k: c.to_dict() for k, c in t.columns.items()},
            "definition": normalize_definition(str(definition)),
            "name": str(name), "schema": str(nsp), "isExisting": False,
        }
        if options:
            entry["with"] = dict(_view_option(str(o)) for o in options)
        entry["materialized"] = kind == "m"
        if space is not None:  # only set when not the database's default tablespace
            entry["tablespace"] = str(space)
        if method is not None and method != "heap":
            entry["using"] = str(method)
        out[f"{nsp}.{name}"] = entry
    return out


def _view_option(text: str) -> tuple[str, Any]:
    """One `reloptions` item (`security_barrier=true`) as the snapshot's `with` entry: the key camelCased as
    drizzle-kit writes it, the value a bool, int or float where it reads as one."""
    key, _, raw = text.partition("=")
    name = option_key(key)
    if raw in ("true", "false"):
        return name, raw == "true"
    for kind in (int, float):
        try:
            return name, kind(raw)
        except ValueError:
            pass
    return name, raw


def normalize_definition(text: str) -> str:
    """drizzle-kit's reading of `pg_get_viewdef`: whitespace runs as one space, the first `;` removed, trimmed."""
    return re.sub(r"\s+", " ", text).replace(";", "", 1).strip()
