"""drizzle-kit 1.0's PostgreSQL generate: a schema's DDL entities (snapshot version 9) and the SQL between two states.

A port of drizzle-kit 1.0.0-rc.5 (bin.cjs): the DDL store (`createDDL`: kinds, keys, the rows that follow a
renamed table or column), `fromDrizzleSchema` + `interimToDDL` (the entities and their order), `ddlDiff`
(src/dialects/postgres/diff.ts: renames, `preserveEntityNames`, the statement order), the convertors
(src/dialects/postgres/convertor.ts), the snapshot's `deltas` and `footprints` (commutativity.ts) and
the reconstruction of the previous state from a folder of `base` and `diff` snapshots (reconstruct.ts), so
the SQL and snapshot are byte for byte drizzle-kit's for the features mizzle's PostgreSQL schemas have.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from mizzle.errors import MigrationError

if TYPE_CHECKING:
    from mizzle.schema.table import Table as SchemaTable

Row = dict[str, Any]
KINDS = ("schemas", "tables", "enums", "columns", "indexes", "fks", "pks", "uniques", "checks", "sequences",
         "roles", "privileges", "policies", "views")
_KEYS: dict[str, tuple[str, ...]] = {
    "schemas": ("name",),
    "tables": ("schema", "name", "isRlsEnabled"),
    "enums": ("schema", "name", "values"),
    "columns": ("schema", "table", "name", "type", "typeSchema", "notNull", "dimensions", "default", "generated",
                "identity"),
    "indexes": ("schema", "table", "name", "nameExplicit", "columns", "isUnique", "where", "with", "method",
                "concurrently"),
    "fks": ("schema", "table", "name", "nameExplicit", "columns", "schemaTo", "tableTo", "columnsTo", "onUpdate",
            "onDelete"),
    "pks": ("schema", "table", "name", "columns", "nameExplicit"),
    "uniques": ("schema", "table", "name", "nameExplicit", "columns", "nullsNotDistinct"),
    "checks": ("schema", "table", "name", "value"),
    "sequences": ("schema", "name", "incrementBy", "minValue", "maxValue", "startWith", "cacheSize", "cycle"),
    "roles": ("name", "superuser", "createDb", "createRole", "inherit", "canLogin", "replication", "bypassRls",
              "connLimit", "password", "validUntil"),
    "privileges": ("grantor", "grantee", "schema", "table", "type", "isGrantable"),
    "policies": ("schema", "table", "name", "as", "for", "roles", "using", "withCheck"),
    "views": ("schema", "name", "definition", "with", "withNoData", "using", "tablespace", "materialized"),
}
_IDENTITY: dict[str, tuple[str, ...]] = {
    "schemas": ("name",), "tables": ("schema", "name"), "enums": ("schema", "name"),
    "columns": ("schema", "table", "name"), "indexes": ("schema", "name"), "fks": ("schema", "table", "name"),
    "pks": ("schema", "table", "name"), "uniques": ("schema", "table", "name"), "checks": ("schema", "table", "name"),
    "sequences": ("schema", "name"), "roles": ("name",),
    "privileges": ("schema", "table", "grantor", "grantee", "type"), "policies": ("schema", "table", "name"),
    "views": ("schema", "name"),
}
_UNSUPPORTED = ("sequences", "roles", "privileges", "policies", "views")
_ACTIONS = {"no action": "NO ACTION", "cascade": "CASCADE", "restrict": "RESTRICT",
            "set default": "SET DEFAULT", "set null": "SET NULL"}
_SERIAL = ("serial", "bigserial", "smallserial")
ORIGIN = "00000000-0000-0000-0000-000000000000"


def _js(value: Any) -> str:
    """`JSON.stringify` without spaces."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _row(kind: str, values: Row) -> Row:
    """drizzle's `prepare`: the kind's fields in definition order (missing ones null), then `entityType`."""
    out: Row = {k: values.get(k) for k in _KEYS[kind]}
    out["entityType"] = kind
    return out


def key_of(r: Row) -> str:
    """A row's identity (`JSON.stringify` of its key fields)."""
    return _js([r.get(f) for f in _IDENTITY[r["entityType"]]])


def qualified_key(r: Row) -> str:
    """`<entityType>\\0<identity>`, the key of a delta."""
    return str(r["entityType"]) + "\0" + key_of(r)


def _matches(r: Row, where: dict[str, Any]) -> bool:
    for k, v in where.items():
        if isinstance(v, dict) and "CONTAINS" in v:
            cur = r.get(k)
            if not isinstance(cur, list) or v["CONTAINS"] not in cur:
                return False
        elif r.get(k) != v:
            return False
    return True


class DDL:
    """drizzle-kit's PostgreSQL DDL store: rows by kind (definition order), each kind in insertion order."""

    def __init__(self, entities: Sequence[Row] = ()) -> None:
        self.rows: dict[str, dict[str, Row]] = {k: {} for k in KINDS}
        for e in entities:
            kind = e.get("entityType")
            if kind not in self.rows:
                raise MigrationError(f"snapshot: unknown PostgreSQL DDL entity type {kind!r}")
            if not self.push(_row(str(kind), e)):
                raise MigrationError(f"snapshot: two rows of {kind} with the key {key_of(e)}")

    def clone(self) -> DDL:
        out = DDL()
        out.rows = {k: {i: copy.deepcopy(r) for i, r in b.items()} for k, b in self.rows.items()}
        return out

    def push(self, row: Row) -> bool:
        """Add `row`; False when one with its key exists (drizzle-kit's CONFLICT)."""
        bucket = self.rows[row["entityType"]]
        k = key_of(row)
        if k in bucket:
            return False
        bucket[k] = row
        return True

    def entities(self) -> list[Row]:
        return [r for k in KINDS for r in self.rows[k].values()]

    def list(self, kind: str, **where: Any) -> list[Row]:
        return [r for r in self.rows[kind].values() if _matches(r, where)]

    def one(self, kind: str, **where: Any) -> Row | None:
        found = self.list(kind, **where)
        return found[0] if found else None

    def find(self, qkey: str) -> Row | None:
        kind, _, ident = qkey.partition("\0")
        return self.rows.get(kind, {}).get(ident)

    def delete(self, qkey: str) -> None:
        kind, _, ident = qkey.partition("\0")
        self.rows.get(kind, {}).pop(ident, None)

    def _rekey(self) -> None:
        for kind in KINDS:
            self.rows[kind] = {key_of(r): r for r in self.rows[kind].values()}

    def update(self, row: Row, changes: Row) -> None:
        """`update({set, where: key})` with the edges: rows naming a renamed table, column or enum follow it."""
        old = dict(row)
        row.update({k: v for k, v in changes.items() if k in row})
        kind = row["entityType"]
        if key_of(old) != key_of(row):
            self._relocate(kind, old, row)
        self._rekey()

    def _relocate(self, kind: str, old: Row, new: Row) -> None:
        if kind == "schemas":
            for k in ("tables", "enums", "sequences", "views"):
                for r in self.rows[k].values():
                    if r["schema"] == old["name"]:
                        self.update(r, {"schema": new["name"]})
        elif kind == "tables":
            for k in ("columns", "indexes", "fks", "pks", "uniques", "checks", "policies", "privileges"):
                for r in list(self.rows[k].values()):
                    if r["schema"] == old["schema"] and r["table"] == old["name"]:
                        r["schema"], r["table"] = new["schema"], new["name"]
            for r in self.rows["fks"].values():
                if r["schemaTo"] == old["schema"] and r["tableTo"] == old["name"]:
                    r["schemaTo"], r["tableTo"] = new["schema"], new["name"]
        elif kind == "columns":
            o, n = old["name"], new["name"]
            for r in self.rows["indexes"].values():
                if r["schema"] == old["schema"] and r["table"] == old["table"]:
                    r["columns"] = [{**c, "value": n} if not c["isExpression"] and c["value"] == o else c
                                    for c in r["columns"]]
            for k in ("pks", "uniques", "fks"):
                for r in self.rows[k].values():
                    if r["schema"] == old["schema"] and r["table"] == old["table"]:
                        r["columns"] = [n if c == o else c for c in r["columns"]]
            for r in self.rows["fks"].values():
                if r["schemaTo"] == old["schema"] and r["tableTo"] == old["table"]:
                    r["columnsTo"] = [n if c == o else c for c in r["columnsTo"]]
        elif kind == "enums":
            for r in self.rows["columns"].values():
                if r["typeSchema"] == old["schema"] and r["type"] == old["name"]:
                    r["typeSchema"], r["type"] = new["schema"], new["name"]

    def rename(self, row: Row, changes: Row) -> Row | None:
        """`ddl.rename(from, set)`: the rename delta (`op`, `key`, `set` of the fields that change)."""
        current = self.rows[row["entityType"]].get(key_of(row))
        if current is None:
            return None
        diff = {k: v for k, v in changes.items() if current.get(k) != v}
        if not diff:
            return None
        qkey = qualified_key(current)
        self.update(current, diff)
        return {"op": "rename", "key": qkey, "set": diff}


# ---- reconstructing the previous state ------------------------------------------------------------------


def apply_deltas(state: DDL, deltas: Sequence[Row]) -> None:
    """reconstruct.ts `applyDeltas`."""
    for d in deltas:
        op = d.get("op")
        if op == "create":
            row = _row(d["row"]["entityType"], d["row"])
            if not state.push(row):
                stored = state.rows[row["entityType"]][key_of(row)]
                if stored != row:
                    raise MigrationError(f"snapshot: the create delta adds {row['entityType']} {key_of(row)}, and "
                                         "another entity already has this key")
        elif op == "drop":
            state.delete(d["key"])
        elif op in ("alter", "rename"):
            target = state.find(d["key"])
            if target is not None:
                state.update(target, d["set"])
        else:
            raise MigrationError(f"snapshot: unknown delta op {op!r}")


def state_of(snaps: Sequence[Row], leaves: Sequence[str]) -> DDL:
    """The state after the leaves: drizzle-kit's `combinedState` (one leaf; several leaves are merged by replaying
    the other branches' diffs, `applyOtherParents`)."""
    by_id = {s["id"]: s for s in snaps}

    def lookup(i: str) -> Row:
        if i not in by_id:
            raise MigrationError(f"cannot reconstruct snapshot {i}: it is not in the migrations folder (restore the "
                                 "migration folder from git)")
        return by_id[i]

    def history(ids: Sequence[str], known: set[str]) -> set[str]:
        found: set[str] = set()
        stack = list(ids)
        while stack:
            i = stack.pop()
            if i == ORIGIN or i in found or i in known:
                continue
            found.add(i)
            stack.extend(lookup(i)["prevIds"])
        return found

    def other_parents(state: DDL, prev_ids: Sequence[str]) -> None:
        first, *others = prev_ids
        rest = history(others, history([first], set()))
        for s in snaps:
            if s["id"] in rest and s.get("type") == "diff":
                apply_deltas(state, s.get("deltas") or [])

    def reconstruct(i: str) -> DDL:
        diffs: list[Row] = []
        snap = lookup(i)
        while snap.get("type") == "diff":
            diffs.append(snap)
            snap = lookup(snap["prevIds"][0])
        state = DDL(snap.get("ddl") or [])
        for it in reversed(diffs):
            if len(it["prevIds"]) > 1:
                other_parents(state, it["prevIds"])
            apply_deltas(state, it.get("deltas") or [])
        return state

    if not leaves or leaves[0] == ORIGIN:
        return DDL()
    state = reconstruct(leaves[0])
    if len(leaves) > 1:
        other_parents(state, leaves)
    return state


# ---- schema -> entities ---------------------------------------------------------------------------------


def _pg_array(value: Any, cb: Callable[[Any], str]) -> str:
    if isinstance(value, list | tuple):
        return "{" + ",".join(_pg_array(v, cb) for v in cast("list[Any]", value)) + "}"
    return cb(value)


def _json_default(value: Any) -> str:
    def esc(v: Any) -> Any:
        if isinstance(v, str):
            return v.replace("'", "''")
        if isinstance(v, dict):
            return {k: esc(x) for k, x in cast("dict[str, Any]", v).items()}
        if isinstance(v, list | tuple):
            return [esc(x) for x in cast("list[Any]", v)]
        return v

    return "'" + _js(esc(value)) + "'"


def _js_number(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return str(v)


def _text_escape(v: str) -> str:
    return v.replace("\\", "\\\\").replace("'", "''")


def _arr_text(v: Any) -> str:
    if not isinstance(v, str):
        raise MigrationError(f"array default element {v!r} is not text")
    escaped = v.replace("'", "''").replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' if ("\\" in v or '"' in v or "," in v or v == "") else escaped


def _when(v: Any) -> str:
    if isinstance(v, datetime):
        return v.isoformat(sep=" ", timespec="milliseconds")[:23]
    return str(v)


def default_of(col: Any, base: str, dims: int, is_enum: bool) -> str | None:
    """drizzle-kit's `defaultFromColumn` for a mizzle column (the stored text, without a type suffix)."""
    from mizzle.dialects.postgres.ddl import default_sql
    from mizzle.schema.column import MISSING
    from mizzle.sql.chunks import SQL

    value = col.default_value
    if value is MISSING:
        return None
    if isinstance(value, SQL):
        return _trim_suffix(str(default_sql(col)))
    if value is None:
        return None
    b = base.lower()
    if dims > 0 and isinstance(value, list | tuple):
        if not _flat(value):
            return "'{}'"
        if is_enum or b.startswith(("char", "varchar", "text", "character")):
            return "'" + _pg_array(value, _arr_text) + "'"
        if b in ("json", "jsonb"):
            return "'" + _pg_array(value, lambda it: _js(it).replace("'", "''")) + "'"
        if b == "boolean":
            return "'" + _pg_array(value, lambda it: "t" if it is True else "f") + "'"
        if b.startswith("timestamp"):
            return "'" + _pg_array(value, lambda it: f'"{_when(it)}"') + "'"
        return "'" + _pg_array(value, lambda it: _js_number(it) if isinstance(it, int | float) else str(it)) + "'"
    if is_enum:
        return "'" + str(value).replace("'", "''") + "'" if value else ""
    if b in ("json", "jsonb"):
        return _json_default(value)
    if b in ("smallint", "integer", "bigint", "real", "double precision", "boolean") or isinstance(value, bool):
        return _js_number(value)
    if b.startswith(("numeric", "decimal")):
        return f"'{value}'" if not isinstance(value, float) else f"'{_js_number(value)}'"
    if b.startswith(("char", "varchar", "text", "character")):
        return "'" + _text_escape(str(value)) + "'"
    if isinstance(value, datetime | date | time):
        return f"'{_when(value)}'"
    if isinstance(value, int | float | Decimal):
        return _js_number(value)
    return f"'{value}'"


def _flat(v: Any) -> list[Any]:
    if isinstance(v, list | tuple):
        return [x for item in cast("list[Any]", v) for x in _flat(item)]
    return [v]


def _trim_suffix(value: str) -> str:
    """`trimDefaultValueSuffix`: a `::type` cast at the end goes."""
    import re

    res = value[:-2] if value.endswith("[]") else value
    return re.sub(r"(::[\"\w.\s-]+(?:\([^)]*\))?(?:\swith(?:out)?\stime\szone)?(?:\[\])?)+$", "", res,
                  flags=re.IGNORECASE)


def _hash(text: str, length: int = 12) -> str:
    """drizzle-kit's `hash` (src/dialects/common.ts)."""
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    combos = len(alphabet) ** length
    h, power = 0, 1
    for ch in text:
        h = (h + ord(ch) * power) % combos
        power = power * 53 % combos
    out: list[str] = []
    for _ in range(length):
        out.insert(0, alphabet[h % len(alphabet)])
        h //= len(alphabet)
    return "".join(out)


def fk_name(table: str, columns: list[str], table_to: str, columns_to: list[str]) -> str:
    """`defaultNameForFK`."""
    desired = f"{table}_{'_'.join(columns)}_{table_to}_{'_'.join(columns_to)}_fkey"
    if len(desired) <= 63:
        return desired
    return f"{table}_{_hash(desired)}_fkey" if len(table) < 45 else f"{_hash(desired)}_fkey"


def export_key(table: type[SchemaTable]) -> tuple[str, str]:
    """The JavaScript export name a table's class stands for (`PostTags` -> `postTags`), then its table name."""
    cls = table.__name__
    return cls[:1].lower() + cls[1:], table.__table__.name


def _identity(col: Any, table: str, sql_type: str) -> Row | None:
    ident = col.extra.get("identity")
    if not ident:
        return None
    inc = str(ident.get("increment", 1))
    negative = float(inc) < 0
    lo = {"integer": "-2147483648", "bigint": "-9223372036854775808"}.get(sql_type, "-32768")
    hi = {"integer": "2147483647", "bigint": "9223372036854775807"}.get(sql_type, "32767")
    min_value = str(ident["min_value"]) if "min_value" in ident else (lo if negative else "1")
    max_value = str(ident["max_value"]) if "max_value" in ident else ("-1" if negative else hi)
    start = str(ident["start"]) if "start" in ident else (max_value if negative else min_value)
    return {"type": ident["type"], "name": ident.get("name") or f"{table}_{col.name}_seq", "increment": inc,
            "startWith": start, "minValue": min_value, "maxValue": max_value, "cache": int(ident.get("cache", 1)),
            "cycle": bool(ident.get("cycle", False))}


def ddl_of(tables: Sequence[type[SchemaTable]]) -> DDL:
    """drizzle-kit 1.0's DDL of a schema (`fromDrizzleSchema` + `interimToDDL`).

    drizzle-kit lists a schema module's tables by export name (an ES module namespace is sorted): tables are
    ordered by class name with its first letter lowercased; enums and schemas (which mizzle knows only by
    their SQL names) by name.
    """
    from mizzle.dialects.postgres.ddl import inline_sql
    from mizzle.schema.column import Column as SchemaColumn
    from mizzle.schema.table import check_unique_names

    check_unique_names(tables)
    ordered = sorted(tables, key=export_key)
    ddl = DDL()
    schemas: dict[str, None] = {}
    enums: dict[tuple[str, str], Row] = {}
    tab_rows: list[Row] = []
    cols: list[tuple[Row, bool, bool, str | None]] = []
    fks: list[Row] = []
    pks: list[Row] = []
    indexes: list[Row] = []
    uniques: list[Row] = []
    checks: list[Row] = []
    for t in ordered:
        meta = t.__table__
        name = meta.name
        schema = meta.schema or "public"
        if schema != "public":
            schemas[schema] = None
        tab_rows.append(_row("tables", {"schema": schema, "name": name, "isRlsEnabled": False}))
        column_pk = len(meta.primary_key) == 1 and bool(meta.primary_key[0].primary)
        pk_names = {c.name for c in meta.primary_key}
        for col in meta.columns.values():
            enum = col.extra.get("enum")
            dims = int(col.extra.get("array") or 0)
            base = str(col.extra.get("element_type") or col.sql_type)
            base = base.replace(", ", ",")
            if base.startswith("timestamp ("):
                base = base.replace("timestamp (", "timestamp(", 1)
            if enum is not None:
                esch = enum.schema or "public"
                if esch != "public":
                    schemas[esch] = None
                erow = _row("enums", {"schema": esch, "name": enum.name, "values": list(enum.values)})
                seen = enums.get((esch, enum.name))
                if seen is not None and seen["values"] != erow["values"]:
                    raise MigrationError(f"enum {esch}.{enum.name} is declared twice with different values")
                enums[(esch, enum.name)] = erow
            typ = enum.name if enum is not None else base
            is_pk = col.name in pk_names
            row = _row("columns", {
                "schema": schema, "table": name, "name": col.name, "type": typ,
                "typeSchema": (enum.schema or "public") if enum is not None else None,
                "notNull": bool(col.not_null_) or is_pk, "dimensions": dims,
                "default": None if base in _SERIAL else default_of(col, base, dims, enum is not None),
                "generated": None if col.generated is None else {"as": inline_sql(col.generated[0]), "type": "stored"},
                "identity": _identity(col, name, col.sql_type),
            })
            cols.append((row, column_pk and is_pk, bool(col.is_unique), col.unique_name))
        if meta.primary_key and not column_pk:
            explicit = meta.primary_key_name is not None
            pks.append(_row("pks", {"schema": schema, "table": name, "name": meta.primary_key_name or f"{name}_pkey",
                                    "columns": [c.name for c in meta.primary_key], "nameExplicit": explicit}))
        for u in meta.uniques:
            ucols = [c.name for c in u.columns]
            uniques.append(_row("uniques", {"schema": schema, "table": name,
                                            "name": u.name or f"{name}_{'_'.join(ucols)}_unique",
                                            "nameExplicit": u.name is not None, "columns": ucols,
                                            "nullsNotDistinct": bool(getattr(u, "nulls_not_distinct", False))}))
        for fk in meta.foreign_keys:
            cfrom = [c.name for c in fk.columns]
            cto = [c.name for c in fk.foreign_columns]
            target = fk.foreign_table.__table__
            explicit = fk.name != f"{name}_{'_'.join(cfrom)}_{target.name}_{'_'.join(cto)}_fk"  # mizzle's default
            fks.append(_row("fks", {
                "schema": schema, "table": name,
                "name": fk.name if explicit else fk_name(name, cfrom, target.name, cto), "nameExplicit": explicit,
                "columns": cfrom, "schemaTo": target.schema or "public", "tableTo": target.name, "columnsTo": cto,
                "onUpdate": _ACTIONS[(fk.on_update or "no action").lower()],
                "onDelete": _ACTIONS[(fk.on_delete or "no action").lower()]}))
        for ix in meta.indexes:
            icols: list[Row] = []
            for c in ix.columns:
                if isinstance(c, SchemaColumn):
                    icols.append({"value": c.name, "isExpression": False, "asc": True, "nullsFirst": False,
                                  "opclass": None})
                else:
                    icols.append({"value": inline_sql(c), "isExpression": True, "asc": True, "nullsFirst": False,
                                  "opclass": None})
            where = inline_sql(ix.where_) if ix.where_ is not None else ""
            with_ = ", ".join(f"{k}={v}" for k, v in dict(ix.extra.get("with", {})).items())
            indexes.append(_row("indexes", {
                "schema": schema, "table": name, "name": ix.name, "nameExplicit": True, "columns": icols,
                "isUnique": bool(ix.unique), "where": None if where in ("", "true") else where, "with": with_,
                "method": str(ix.extra.get("using", "btree")), "concurrently": False}))
        for chk in meta.checks:
            checks.append(_row("checks", {"schema": schema, "table": name, "name": chk.name,
                                          "value": inline_sql(chk.expr)}))
    for s in sorted(schemas):
        ddl.push(_row("schemas", {"name": s}))
    for _, e in sorted(enums.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ddl.push(e)
    for r in tab_rows:
        _push(ddl, r)
    for row, _, _, _ in cols:
        _push(ddl, row)
    for r in indexes:
        if not ddl.push(r):
            raise MigrationError(f"table {r['table']}: index name {r['name']!r} is used twice in schema "
                                 f"{r['schema']} (PostgreSQL index names are unique per schema)")
    for r in fks:
        _push(ddl, r)
    for r in pks:
        _push(ddl, r)
    for row, primary, _, _ in cols:
        if primary and ddl.one("pks", schema=row["schema"], table=row["table"]) is None:
            ddl.push(_row("pks", {"schema": row["schema"], "table": row["table"], "name": f"{row['table']}_pkey",
                                  "columns": [row["name"]], "nameExplicit": False}))
    for r in uniques:
        _push(ddl, r)
    for row, _, is_unique, uname in cols:
        if is_unique and ddl.one("uniques", schema=row["schema"], table=row["table"], columns=[row["name"]]) is None:
            ddl.push(_row("uniques", {"schema": row["schema"], "table": row["table"],
                                      "name": uname or f"{row['table']}_{row['name']}_key",
                                      "nameExplicit": uname is not None, "columns": [row["name"]],
                                      "nullsNotDistinct": False}))
    for r in checks:
        _push(ddl, r)
    return ddl


def _push(ddl: DDL, row: Row) -> None:
    if not ddl.push(row):
        raise MigrationError(f"table {row.get('table') or row.get('name')}: two {row['entityType']} are named "
                             f"{row['name']!r}")


# ---- diff -----------------------------------------------------------------------------------------------


def _diff(a: DDL, b: DDL, kind: str | None, mode: str) -> list[Row]:
    """dialect.ts `_diff`: created, then dropped, then altered rows."""
    kinds = [kind] if kind else list(KINDS)
    left = {qualified_key(r): r for k in kinds for r in a.rows[k].values()}
    right = {qualified_key(r): r for k in kinds for r in b.rows[k].values()}
    created: list[Row] = []
    dropped: list[Row] = []
    altered: list[Row] = []
    for k, old in left.items():
        new = right.pop(k, None)
        if new is None:
            if mode in ("all", "createdrop"):
                dropped.append({"$diffType": "drop", **old})
        elif mode in ("all", "alter"):
            changes = {f: {"from": old.get(f), "to": new.get(f)} for f in dict.fromkeys([*old, *new])
                       if f != "entityType" and old.get(f) != new.get(f)}
            if changes:
                commons = {c: new[c] for c in ("schema", "table", "name") if new.get(c) is not None}
                altered.append({"$diffType": "alter", "entityType": new["entityType"], **commons, **changes,
                                "$left": old, "$right": new})
    if mode in ("all", "createdrop"):
        created = [{"$diffType": "create", **r} for r in right.values()]
    return created + dropped + altered


def _strip(r: Row) -> Row:
    return {k: v for k, v in r.items() if k not in ("$diffType", "$left", "$right")}


def _change(v: Any) -> bool:
    return isinstance(v, dict) and "from" in v and "to" in v


def _has_diff(alter: Row) -> bool:
    return any(_change(v) for k, v in alter.items() if k not in ("$left", "$right"))


def _deltas(a: DDL, rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    for r in rows:
        if r["$diffType"] == "create":
            out.append({"op": "create", "row": _strip(r)})
        elif r["$diffType"] == "drop":
            out.append({"op": "drop", "key": qualified_key(r)})
        else:
            out.append({"op": "alter", "key": qualified_key(r["$right"]),
                        "set": {k: v["to"] for k, v in r.items()
                                if k not in ("$diffType", "$left", "$right", "entityType") and _change(v)}})
    return out


def _group(rows: list[Row]) -> list[tuple[list[Row], list[Row]]]:
    """`groupDiffs` by (schema, table): (inserted, deleted)."""
    groups: dict[tuple[Any, Any], tuple[list[Row], list[Row]]] = {}
    for r in rows:
        ins, dele = groups.setdefault((r.get("schema"), r.get("table")), ([], []))
        if r["$diffType"] == "drop":
            dele.append(r)
        elif r["$diffType"] == "create":
            ins.append(r)
    return list(groups.values())


def _preserve_names(a: DDL, b: DDL, kind: str) -> None:
    """`preserveEntityNames`: an implicitly named entity keeps its old name when it is otherwise the same."""
    for left in list(a.rows[kind].values()):
        if left["nameExplicit"]:
            continue
        fields = {k: v for k, v in left.items() if k not in ("entityType", "name", "nameExplicit")}
        match = b.list(kind, **fields, nameExplicit=False)
        if len(match) != 1 or match[0]["name"] == left["name"]:
            continue
        b.update(match[0], {"name": left["name"]})


Resolve = Callable[[str, list[Row], list[Row]], tuple[list[Row], list[Row], list[tuple[Row, Row]]]]
"""(kind, created, deleted) -> (created, deleted, renamed (from, to))."""


def _table_of(t: Row, ddl: DDL) -> Row:
    where = {"schema": t["schema"], "table": t["name"]}
    return {**t, "columns": ddl.list("columns", **where), "pk": ddl.one("pks", **where),
            "fks": ddl.list("fks", **where), "uniques": ddl.list("uniques", **where),
            "checks": ddl.list("checks", **where), "indexes": ddl.list("indexes", **where), "policies": []}


def _json_equal(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a.strip("'")) == json.loads(b.strip("'")))
    except ValueError:
        return False


def _enum_changes(old: list[str], new: list[str]) -> list[Row]:
    """`diffStringArrays`: same / removed / added (with the next old value to insert before)."""
    out: list[Row] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out += [{"type": "same", "value": v} for v in old[i1:i2]]
            continue
        if tag in ("delete", "replace"):
            out += [{"type": "removed", "value": v} for v in old[i1:i2]]
        if tag in ("insert", "replace"):
            for j in range(j1, j2):
                before = next((v for v in new[j + 1:] if v in old), None)
                out.append({"type": "added", "value": new[j], "beforeValue": before})
    return out


def diff(ddl1: DDL, ddl2: DDL, resolve: Resolve, *, keep_generated_names: bool = True) -> tuple[list[Row],
                                                                                                  list[Row]]:
    """`ddlDiff(ddl1, ddl2, ..., "default")`: the JSON statements and the snapshot's deltas.

    `ddl1` is changed (renames applied); `ddl2`'s implicit constraint names may take their old names (unless
    `keep_generated_names` is False, as `up` computes footprints).
    """
    for kind in _UNSUPPORTED:
        if ddl1.rows[kind] or ddl2.rows[kind]:
            raise MigrationError(f"{kind} are not supported by mizzle's drizzle 1.0 generate on PostgreSQL yet")
    renames: list[Row] = []

    def rename(frm: Row, changes: Row) -> None:
        d = ddl1.rename(frm, changes)
        if d is not None:
            renames.append(d)

    def split(kind: str) -> tuple[list[Row], list[Row]]:
        rows = _diff(ddl1, ddl2, kind, "createdrop")
        return [r for r in rows if r["$diffType"] == "create"], [r for r in rows if r["$diffType"] == "drop"]

    c, d = split("schemas")
    created_schemas, deleted_schemas, renamed_schemas = resolve("schema", c, d)
    for f, t in renamed_schemas:
        rename(f, {"name": t["name"]})
    c, d = split("enums")
    created_enums, deleted_enums, moved_enums = resolve("enum", c, d)
    for f, t in moved_enums:
        rename(f, {"name": t["name"], "schema": t["schema"]})
    c, d = split("tables")
    created_tables, deleted_tables, moved_tables = resolve("table", c, d)
    for f, t in moved_tables:
        rename(f, {"name": t["name"], "schema": t["schema"]})

    def grouped(kind: str, hint_kind: str) -> tuple[list[Row], list[Row], list[tuple[Row, Row]]]:
        cs: list[Row] = []
        ds: list[Row] = []
        rs: list[tuple[Row, Row]] = []
        for ins, dele in _group(_diff(ddl1, ddl2, kind, "createdrop")):
            made, gone, moved = resolve(hint_kind, ins, dele)
            cs += made
            ds += gone
            rs += moved
        for f, t in rs:
            rename(f, {"name": t["name"], "schema": t["schema"]})
        return cs, ds, rs

    cols_create, cols_delete, col_renames = grouped("columns", "column")
    for kind in ("uniques", "fks", "pks", "indexes") if keep_generated_names else ():
        _preserve_names(ddl1, ddl2, kind)
    uq_create, uq_delete, uq_renames = grouped("uniques", "unique")
    ck_create, ck_delete, ck_renames = grouped("checks", "check")
    ix_cs: list[Row] = []
    ix_ds: list[Row] = []
    ix_rs: list[tuple[Row, Row]] = []
    for ins, dele in _group(_diff(ddl1, ddl2, "indexes", "createdrop")):
        made, gone, moved = resolve("index", ins, dele)
        ix_cs += made
        ix_ds += gone
        ix_rs += moved
    for it in _diff(ddl1, ddl2, "indexes", "alter"):
        if it["$left"]["table"] == it["$right"]["table"]:
            continue
        ix_ds.append(it["$left"])
        ix_cs.append(it["$right"])
    for f, t in ix_rs:
        rename(f, {"name": t["name"], "schema": t["schema"]})
    pk_create, pk_delete, pk_renames = grouped("pks", "primary_key")
    fk_create, fk_delete, fk_renames = grouped("fks", "foreign key")

    every = _diff(ddl1, ddl2, None, "all")
    deltas = [*renames, *_deltas(ddl1, every)]
    alters = [r for r in every if r["$diffType"] == "alter"]

    def not_in(tables: list[Row]) -> Callable[[Row], bool]:
        names = {(t["schema"], t["name"]) for t in tables}
        return lambda it: (it["schema"], it["table"]) not in names

    not_created, not_deleted = not_in(created_tables), not_in(deleted_tables)
    st: dict[str, list[Row]] = {}

    def add(key: str, items: list[Row]) -> None:
        st.setdefault(key, []).extend(items)

    add("create_index", [{"type": "create_index", "index": i} for i in ix_cs])
    add("drop_index", [{"type": "drop_index", "index": i} for i in ix_ds if not_deleted(i)])
    add("rename_index", [{"type": "rename_index", "schema": t["schema"], "table": t["table"], "from": f["name"],
                          "to": t["name"], "columns": [c["value"] for c in t["columns"] if not c["isExpression"]]}
                         for f, t in ix_rs])
    for idx in (r for r in alters if r["entityType"] == "indexes" and r["$left"]["table"] == r["$right"]["table"]):
        idx.pop("concurrently", None)
        if not _has_diff(idx):
            continue
        for_where = bool(idx.get("where"))
        for_columns = bool(idx.get("columns"))
        if idx.get("isUnique") or idx.get("method") or idx.get("with") or for_columns or for_where:
            index = ddl2.one("indexes", schema=idx["schema"], table=idx["table"], name=idx["name"])
            prev = ddl1.one("indexes", schema=idx["schema"], table=idx["table"], name=idx["name"])
            if prev is None or any(c["schema"] == idx["schema"] and c["table"] == idx["table"]
                                   and any(ic["value"] == c["name"] for ic in prev["columns"]) for c in cols_delete):
                add("create_index", [{"type": "create_index", "index": index}])
            else:
                add("recreate_index", [{"type": "recreate_index", "index": index, "diff": idx}])
    renamed_tables = [(f, t) for f, t in moved_tables if f["name"] != t["name"]]
    if any(f["schema"] != t["schema"] for f, t in moved_tables):
        raise MigrationError("moving a table to another schema is not supported by mizzle's drizzle 1.0 generate yet")
    add("drop_table", [{"type": "drop_table", "table": _table_of(t, ddl2)} for t in deleted_tables])
    add("rename_table", [{"type": "rename_table", "schema": f["schema"], "from": f["name"], "to": t["name"]}
                         for f, t in renamed_tables])
    add("rename_column", [{"type": "rename_column", "from": f, "to": t} for f, t in col_renames])
    add("drop_column", [{"type": "drop_column", "column": c} for c in cols_delete if not_deleted(c)])
    add("add_column", [{"type": "add_column", "column": c, "isPK": False,
                        "isCompositePK": ddl2.one("pks", schema=c["schema"], table=c["table"],
                                                  columns={"CONTAINS": c["name"]}) is not None}
                       for c in cols_create if not_created(c)])
    column_alters: list[Row] = []
    for it in (r for r in alters if r["entityType"] == "columns"):
        left, right = it["$left"], it["$right"]
        if it.get("default") and left["type"] == right["type"] and right["type"] in ("json", "jsonb"):
            fr, to = it["default"]["from"], it["default"]["to"]
            if fr is not None and to is not None and _json_equal(fr, to):
                del it["default"]
        if not it.get("type") and it.get("default"):
            fr, to = it["default"]["from"], it["default"]["to"]
            if fr == to or fr == f"({to})" or to == f"({fr})":
                del it["default"]
        if it.get("type"):
            fr, to = it["type"]["from"], it["type"]["to"]
            if fr == to.replace("numeric", "decimal") or to == fr.replace("numeric", "decimal") \
                    or fr.replace(",0)", ")") == to:
                del it["type"]
        if not it.get("type") and it.get("typeSchema") and (it["typeSchema"]["from"] is None
                                                             or it["typeSchema"]["to"] is None):
            del it["typeSchema"]
        if _has_diff(it):
            column_alters.append(it)
    add("alter_unique", [{"type": "alter_unique", "diff": it} for it in alters if it["entityType"] == "uniques"
                         and (it.pop("nameExplicit", None), _has_diff(it))[1]])
    add("add_unique", [{"type": "add_unique", "unique": u} for u in uq_create if not_created(u)])
    add("drop_unique", [{"type": "drop_unique", "unique": u} for u in uq_delete if not_deleted(u)])
    add("rename_unique", [_rename_constraint("uniques", f, t, t["columns"]) for f, t in uq_renames])
    add("add_pk", [{"type": "add_pk", "pk": p} for p in pk_create if not_created(p)])
    add("drop_pk", [{"type": "drop_pk", "pk": p} for p in pk_delete if not_deleted(p)])
    add("rename_pk", [_rename_constraint("pks", f, t, t["columns"]) for f, t in pk_renames])
    add("add_check", [{"type": "add_check", "check": c, "columns": _check_columns(c["value"], ddl2, c)}
                      for c in ck_create if not_created(c)])
    add("drop_check", [{"type": "drop_check", "check": c, "columns": _check_columns(c["value"], ddl1, c)}
                       for c in ck_delete if not_deleted(c)])
    add("rename_check", [_rename_constraint("checks", f, t, _check_columns(t["value"], ddl2, t))
                         for f, t in ck_renames])
    add("alter_pk", [{"type": "alter_pk", "diff": it, "pk": it["$right"],
                      "deleted": any(x["name"] in it["columns"]["from"] for x in cols_delete)}
                     for it in alters if it["entityType"] == "pks" and it.get("columns")])
    add("recreate_fk", [{"type": "recreate_fk", "fk": it["$right"], "diff": it}
                        for it in alters if it["entityType"] == "fks"
                        and (it.pop("nameExplicit", None), _has_diff(it))[1]])
    add("create_fk", [{"type": "create_fk", "fk": f} for f in fk_create])
    deleted_keys = {(t["schema"], t["name"]) for t in deleted_tables}
    add("drop_fk", [{"type": "drop_fk", "fk": f} for f in fk_delete
                    if not ((f["schema"], f["table"]) in deleted_keys and not (
                        f["table"] != f["tableTo"] and (f["schemaTo"], f["tableTo"]) in deleted_keys))])
    add("alter_check", [{"type": "alter_check", "diff": it,
                         "newColumns": _check_columns(it["$right"]["value"], ddl2, it),
                         "oldColumns": _check_columns(it["$left"]["value"], ddl2, it)}
                        for it in alters if it["entityType"] == "checks" and it.get("value")])
    add("create_enum", [{"type": "create_enum", "enum": e} for e in created_enums])
    add("drop_enum", [{"type": "drop_enum", "enum": e} for e in deleted_enums])
    add("move_enum", [{"type": "move_enum", "from": f, "to": t} for f, t in moved_enums if f["schema"] != t["schema"]])
    add("rename_enum", [{"type": "rename_enum", "schema": t["schema"], "from": f["name"], "to": t["name"]}
                        for f, t in moved_enums if f["name"] != t["name"]])
    for alter in (r for r in alters if r["entityType"] == "enums"):
        values = alter["values"]
        res = _enum_changes(values["from"], values["to"])
        e = {**alter, "values": values["to"]}
        if any(x["type"] == "removed" for x in res):
            columns: list[Row] = []
            for c1 in ddl1.list("columns", type=alter["name"]):
                c2 = ddl2.one("columns", schema=c1["schema"], table=c1["table"], name=c1["name"])
                if c2 is None:
                    continue
                type_schema = c1["typeSchema"] or (c2["typeSchema"] if c2["type"] == c1["type"] else None)
                if type_schema != alter["schema"]:
                    continue
                columns.append({**c1, "typeSchema": type_schema, "default": {"right": c2["default"],
                                                                              "left": c1["default"]}})
            add("recreate_enum", [{"type": "recreate_enum", "to": e, "columns": columns, "from": alter["$left"]}])
        else:
            add("alter_enum", [{"type": "alter_enum", "diff": res, "to": e, "from": alter["$left"]}])
    recreated = {(c["schema"], c["table"], c["name"]) for s in st.get("recreate_enum", []) for c in s["columns"]}
    for it in column_alters:
        if it.get("generated") and it["generated"]["to"] is not None:
            raise MigrationError(f"column {it['table']}.{it['name']}: changing a generated column's expression is "
                                 "not supported by mizzle's drizzle 1.0 generate yet")
        if it.get("default") and (it["schema"], it["table"], it["name"]) in recreated:
            del it["default"]
        right = it["$right"]
        if it.get("notNull") and it["notNull"]["to"] and (right["generated"] or right["identity"]):
            del it["notNull"]
        if it.get("notNull") and ddl2.one("pks", schema=it["schema"], table=it["table"],
                                          columns={"CONTAINS": it["name"]}) is not None:
            del it["notNull"]
        if not _has_diff(it):
            continue
        left = it["$left"]
        is_enum = ddl2.one("enums", schema=right["typeSchema"] or "public", name=right["type"]) is not None
        was_enum = bool(it.get("type") or it.get("typeSchema") or it.get("dimensions")) and ddl1.one(
            "enums", schema=left["typeSchema"] or "public", name=left["type"]) is not None
        add("alter_column", [{"type": "alter_column", "diff": it, "to": right, "isEnum": is_enum, "wasEnum": was_enum,
                              "wasSerial": left["type"] in _SERIAL,
                              "toSerial": left["type"] not in _SERIAL and right["type"] in _SERIAL}])
    add("create_schema", [{"type": "create_schema", **s} for s in created_schemas])
    add("drop_schema", [{"type": "drop_schema", **s} for s in deleted_schemas])
    add("rename_schema", [{"type": "rename_schema", "from": f, "to": t} for f, t in renamed_schemas])
    add("create_table", [{"type": "create_table", "table": _table_of(t, ddl2)} for t in created_tables])
    add("rename_fk", [_rename_constraint("fks", f, t, t["columns"]) for f, t in fk_renames])
    order = ["create_schema", "rename_schema", "create_enum", "move_enum", "rename_enum", "alter_enum",
             "create_table", "rename_table", "drop_fk", "drop_table", "rename_column", "drop_unique",
             "drop_check", "rename_check", "rename_index", "drop_index", "drop_pk", "rename_fk", "add_column",
             "add_pk", "rename_pk", "recreate_enum", "drop_column", "alter_pk", "alter_column", "recreate_index",
             "rename_unique", "add_unique", "alter_unique", "create_index", "create_fk", "recreate_fk", "add_check",
             "alter_check", "drop_enum", "drop_schema"]
    return [s for k in order for s in st.get(k, [])], deltas


def _rename_constraint(kind: str, f: Row, t: Row, columns: list[str]) -> Row:
    return {"type": "rename_constraint", "entityType": kind, "schema": t["schema"], "table": t["table"],
            "from": f["name"], "to": t["name"], "columns": columns}


def _check_columns(value: str | None, ddl: DDL, it: Row) -> list[str]:
    import re

    names = {c["name"] for c in ddl.list("columns", schema=it["schema"], table=it["table"])}
    found: dict[str, None] = {}
    for m in re.finditer(r'"([^"]+)"|([A-Za-z_][A-Za-z0-9_$]*)', value or ""):
        ident = m.group(1) if m.group(1) is not None else m.group(2)
        if ident in names:
            found[ident] = None
    return list(found)


# ---- SQL ------------------------------------------------------------------------------------------------


def _q(schema: str, name: str) -> str:
    return f'"{schema}"."{name}"' if schema != "public" else f'"{name}"'


def _default_sql(c: Row) -> str:
    value = c["default"]
    if not value:
        return ""
    if c["typeSchema"]:
        prefix = f'"{c["typeSchema"]}".' if c["typeSchema"] != "public" else ""
        return f'{value}::{prefix}"{c["type"]}"{"[]" if c["dimensions"] > 0 else ""}'
    return f"{value}{'::' + c['type'] + '[]' if c['dimensions'] > 0 else ''}"


def _type_sql(c: Row) -> str:
    prefix = f'"{c["typeSchema"]}".' if c["typeSchema"] and c["typeSchema"] != "public" else ""
    base = f'"{c["type"]}"' if c["typeSchema"] else c["type"]
    return f"{prefix}{base}{'[]' * c['dimensions']}"


def _identity_sql(c: Row, schema: str, prefix: str = " ") -> str:
    i = c["identity"]
    if not i:
        return ""
    seq = _q(schema, i["name"]) if schema != "public" else f'"{i["name"]}"'
    kind = "ALWAYS" if i["type"] == "always" else "BY DEFAULT"
    opts = "".join([f" INCREMENT BY {i['increment']}" if i.get("increment") else "",
                    f" MINVALUE {i['minValue']}" if i.get("minValue") else "",
                    f" MAXVALUE {i['maxValue']}" if i.get("maxValue") else "",
                    f" START WITH {i['startWith']}" if i.get("startWith") else "",
                    f" CACHE {i['cache']}" if i.get("cache") else "", " CYCLE" if i.get("cycle") else ""])
    return f"{prefix}GENERATED {kind} AS IDENTITY (sequence name {seq}{opts})"


def _create_table(t: Row) -> list[str]:
    schema, name, columns, pk, uniques, checks = t["schema"], t["name"], t["columns"], t["pk"], t["uniques"], \
        t["checks"]
    s = f"CREATE TABLE {_q(schema, name)} (\n"
    for i, c in enumerate(columns):
        is_pk = pk is not None and len(pk["columns"]) == 1 and pk["columns"][0] == c["name"] \
            and pk["name"] == f"{c['table']}_pkey"
        nn = "" if (pk is not None and c["name"] in pk["columns"]) or c["type"] in _SERIAL else \
            (" NOT NULL" if c["notNull"] and not c["identity"] else "")
        df = f" DEFAULT {_default_sql(c)}" if c["default"] else ""
        u = next((u for u in uniques if len(u["columns"]) == 1 and u["columns"][0] == c["name"]), None)
        uq = ""
        if u is not None:
            uq = " " + (f'CONSTRAINT "{u["name"]}" UNIQUE' if u["nameExplicit"] else "UNIQUE") \
                + (" NULLS NOT DISTINCT" if u["nullsNotDistinct"] else "")
        gen = f" GENERATED ALWAYS AS ({c['generated']['as']}) STORED" if c["generated"] else ""
        s += f'\t"{c["name"]}" {_type_sql(c)}{" PRIMARY KEY" if is_pk else ""}{df}{gen}{nn}{uq}' \
             f"{_identity_sql(c, schema)}"
        s += "" if i == len(columns) - 1 else ",\n"
    if pk is not None and (len(pk["columns"]) > 1 or pk["name"] != f"{name}_pkey"):
        s += f',\n\tCONSTRAINT "{pk["name"]}" PRIMARY KEY({_names(pk["columns"])})'
    for u in (u for u in uniques if len(u["columns"]) > 1):
        s += f',\n\tCONSTRAINT "{u["name"]}" UNIQUE{" NULLS NOT DISTINCT" if u["nullsNotDistinct"] else ""}' \
             f'({_names(u["columns"])})'
    for ck in checks:
        s += f',\n\tCONSTRAINT "{ck["name"]}" CHECK ({ck["value"]})'
    return [s + "\n);\n"]


def _actions(fk: Row) -> str:
    dele = f" ON DELETE {fk['onDelete']}" if fk["onDelete"] and fk["onDelete"].lower() != "no action" else ""
    upd = f" ON UPDATE {fk['onUpdate']}" if fk["onUpdate"] and fk["onUpdate"].lower() != "no action" else ""
    return dele + upd


def _fk_target(fk: Row) -> str:
    cols = ",".join(f'"{c}"' for c in fk["columns"])
    to = ",".join(f'"{c}"' for c in fk["columnsTo"])
    return f"FOREIGN KEY ({cols}) REFERENCES {_q(fk['schemaTo'], fk['tableTo'])}({to})"


def _add_column(c: Row, is_pk: bool, composite: bool) -> str:
    df = f" DEFAULT {_default_sql(c)}" if c["default"] else ""
    gen = f" GENERATED ALWAYS AS ({c['generated']['as']}) STORED" if c["generated"] else ""
    nn = " NOT NULL" if c["notNull"] and not c["identity"] and not c["generated"] and c["type"] not in _SERIAL \
        and not composite else ""
    return f'ALTER TABLE {_q(c["schema"], c["table"])} ADD COLUMN "{c["name"]}" {_type_sql(c)}' \
           f'{" PRIMARY KEY" if is_pk else ""}{df}{gen}{nn}{_identity_sql(c, c["schema"])};'


def _create_index(i: Row) -> str:
    parts: list[str] = []
    for c in i["columns"]:
        v = c["value"] if c["isExpression"] else f'"{c["value"]}"'
        if c["opclass"] and not c["opclass"]["default"]:
            v += f" {c['opclass']['name']}"
        if not c["asc"]:
            v += " DESC"
        if not ((c["asc"] and not c["nullsFirst"]) or (not c["asc"] and c["nullsFirst"])):
            v += " NULLS FIRST" if c["nullsFirst"] else " NULLS LAST"
        parts.append(v)
    using = f" USING {i['method']}" if i["method"] != "btree" else ""
    with_ = f" WITH ({i['with']})" if i["with"] else ""
    where = f" WHERE {i['where']}" if i["where"] else ""
    return f'CREATE {"UNIQUE INDEX" if i["isUnique"] else "INDEX"}{" CONCURRENTLY" if i["concurrently"] else ""} ' \
           f'"{i["name"]}" ON {_q(i["schema"], i["table"])}{using} ({",".join(parts)}){with_}{where};'


def _names(cols: Sequence[str]) -> str:
    """`"a","b"`."""
    return ",".join(f'"{c}"' for c in cols)


def _drop_index(i: Row) -> str:
    prefix = f'"{i["schema"]}".' if i["schema"] != "public" else ""
    return f'DROP INDEX {prefix}"{i["name"]}";'


def _alter_column(s: Row) -> list[str]:
    d, c = s["diff"], s["to"]
    key = _q(c["schema"], c["table"])
    col = f'ALTER TABLE {key} ALTER COLUMN "{c["name"]}"'
    out: list[str] = []
    if d.get("generated") and d["generated"]["to"] is None:
        out.append(f"{col} DROP EXPRESSION;")
    new_type = bool(d.get("type") or d.get("typeSchema") or d.get("dimensions"))
    recreate_default = new_type and (s["isEnum"] or s["wasEnum"] or d.get("dimensions")) and d["$left"]["default"]
    if recreate_default:
        out.append(f"{col} DROP DEFAULT;")
    if new_type:
        ts = f'"{c["typeSchema"]}".' if c["typeSchema"] and c["typeSchema"] != "public" else ""
        proxy = "text::" if s["wasEnum"] and s["isEnum"] else ""
        serial = c["type"] in _SERIAL
        as_int = {"smallserial": "smallint", "serial": "int", "bigserial": "bigint"}
        dims = "[]" * c["dimensions"]
        suffix = f' USING "{c["name"]}"::{proxy}{ts}"{c["type"]}"{dims}' if s["isEnum"] else \
            f' USING "{c["name"]}"::{as_int[c["type"]] if serial else c["type"]}{dims}'
        typ = f'{ts}"{c["type"]}"' if ts else (f'"{c["type"]}"' if s["isEnum"] else
                                               (as_int[c["type"]] if serial else c["type"]))
        if s["wasSerial"] and not serial:
            out.append(f"{col} DROP DEFAULT;")
            out.append(f"DROP SEQUENCE {_q(c['schema'], c['table'] + '_' + c['name'] + '_seq')};")
        if s["toSerial"]:
            raise MigrationError(f"column {c['table']}.{c['name']}: changing a column to serial is not supported by "
                                 "mizzle's drizzle 1.0 generate yet")
        out.append(f"{col} SET DATA TYPE {typ}{dims}{'' if c['generated'] else suffix};")
        if recreate_default and c["default"]:
            out.append(f"{col} SET DEFAULT {_default_sql(c)};")
    if d.get("default") and not recreate_default:
        out.append(f"{col} SET DEFAULT {_default_sql(c)};" if d["default"]["to"] else f"{col} DROP DEFAULT;")
    if d.get("identity"):
        fr, to = d["identity"]["from"], d["identity"]["to"]
        if fr is None:
            out.append(f"{col} ADD{_identity_sql(c, c['schema'])};")
        elif to is None:
            out.append(f"{col} DROP IDENTITY;")
        else:
            if fr["type"] != to["type"]:
                out.append(f"{col} SET GENERATED {'ALWAYS' if to['type'] == 'always' else 'BY DEFAULT'};")
            for f, sql in (("minValue", "MINVALUE"), ("maxValue", "MAXVALUE"), ("increment", "INCREMENT BY"),
                           ("startWith", "START WITH"), ("cache", "CACHE")):
                if fr[f] != to[f]:
                    out.append(f"{col} SET {sql} {to[f]};")
            if fr["cycle"] != to["cycle"]:
                out.append(f"{col} SET {'CYCLE' if to['cycle'] else 'NO CYCLE'};")
    if d.get("notNull") and not (d["notNull"]["to"] and d.get("identity") and d["identity"]["to"]):
        out.append(f"{col} {'SET NOT NULL' if d['notNull']['to'] else 'DROP NOT NULL'};")
    return out


def _enum_sql(e: Row) -> str:
    values = ", ".join("'" + v.replace("'", "''") + "'" for v in e["values"])
    return f"CREATE TYPE {_q(e['schema'], e['name'])} AS ENUM({values});"


def sql_of(s: Row) -> list[str]:
    """The convertor of one JSON statement."""
    t = s["type"]
    if t == "create_schema":
        return [f'CREATE SCHEMA "{s["name"]}";\n']
    if t == "drop_schema":
        return [f'DROP SCHEMA "{s["name"]}";\n']
    if t == "rename_schema":
        return [f'ALTER SCHEMA "{s["from"]["name"]}" RENAME TO "{s["to"]["name"]}";\n']
    if t == "create_table":
        return _create_table(s["table"])
    if t == "drop_table":
        return [f"DROP TABLE {_q(s['table']['schema'], s['table']['name'])};"]
    if t == "rename_table":
        return [f'ALTER TABLE {_q(s["schema"], s["from"])} RENAME TO "{s["to"]}";']
    if t == "add_column":
        return [_add_column(s["column"], s["isPK"], s["isCompositePK"])]
    if t == "drop_column":
        c = s["column"]
        return [f'ALTER TABLE {_q(c["schema"], c["table"])} DROP COLUMN "{c["name"]}";']
    if t == "rename_column":
        f = s["from"]
        return [f'ALTER TABLE {_q(f["schema"], f["table"])} RENAME COLUMN "{f["name"]}" TO "{s["to"]["name"]}";']
    if t == "alter_column":
        return _alter_column(s)
    if t == "create_index":
        return [_create_index(s["index"])]
    if t == "drop_index":
        return [_drop_index(s["index"])]
    if t == "recreate_index":
        return [_drop_index(s["index"]), _create_index(s["index"])]
    if t == "rename_index":
        return [f'ALTER INDEX {_q(s["schema"], s["from"])} RENAME TO "{s["to"]}";']
    if t in ("add_pk", "alter_pk"):
        pk = s["pk"]
        key = _q(pk["schema"], pk["table"])
        cols = _names(pk["columns"])
        add = f"ALTER TABLE {key} ADD PRIMARY KEY ({cols});" if not pk["nameExplicit"] else \
            f'ALTER TABLE {key} ADD CONSTRAINT "{pk["name"]}" PRIMARY KEY({cols});'
        if t == "add_pk":
            return [add]
        return ([] if s["deleted"] else [f'ALTER TABLE {key} DROP CONSTRAINT "{pk["name"]}";']) + [add]
    if t == "drop_pk":
        pk = s["pk"]
        return [f'ALTER TABLE {_q(pk["schema"], pk["table"])} DROP CONSTRAINT "{pk["name"]}";']
    if t == "rename_constraint":
        return [f'ALTER TABLE {_q(s["schema"], s["table"])} RENAME CONSTRAINT "{s["from"]}" TO "{s["to"]}";']
    if t == "create_fk":
        fk = s["fk"]
        return [f'ALTER TABLE {_q(fk["schema"], fk["table"])} ADD CONSTRAINT "{fk["name"]}" {_fk_target(fk)}'
                f"{_actions(fk)};"]
    if t == "recreate_fk":
        fk = s["fk"]
        dele = f" ON DELETE {fk['onDelete']}" if fk["onDelete"] != "NO ACTION" else ""
        upd = f" ON UPDATE {fk['onUpdate']}" if fk["onUpdate"] != "NO ACTION" else ""
        cols = ",".join(f'"{c}"' for c in fk["columns"])
        to = ",".join(f'"{c}"' for c in fk["columnsTo"])
        return [f'ALTER TABLE {_q(fk["schema"], fk["table"])} DROP CONSTRAINT "{fk["name"]}", ADD CONSTRAINT '
                f'"{fk["name"]}" FOREIGN KEY ({cols}) REFERENCES {_q(fk["schemaTo"], fk["tableTo"])}({to}){dele}{upd};']
    if t == "drop_fk":
        fk = s["fk"]
        return [f'ALTER TABLE {_q(fk["schema"], fk["table"])} DROP CONSTRAINT "{fk["name"]}";']
    if t == "add_check":
        c = s["check"]
        return [f'ALTER TABLE {_q(c["schema"], c["table"])} ADD CONSTRAINT "{c["name"]}" CHECK ({c["value"]});']
    if t == "drop_check":
        c = s["check"]
        return [f'ALTER TABLE {_q(c["schema"], c["table"])} DROP CONSTRAINT "{c["name"]}";']
    if t == "alter_check":
        c = s["diff"]["$right"]
        return [f'ALTER TABLE {_q(c["schema"], c["table"])} DROP CONSTRAINT "{c["name"]}", ADD CONSTRAINT '
                f'"{c["name"]}" CHECK ({c["value"]});']
    if t in ("add_unique", "drop_unique"):
        u = s["unique"]
        key = _q(u["schema"], u["table"])
        if t == "drop_unique":
            return [f'ALTER TABLE {key} DROP CONSTRAINT "{u["name"]}";']
        return [f'ALTER TABLE {key} ADD CONSTRAINT "{u["name"]}" UNIQUE'
                f'{" NULLS NOT DISTINCT" if u["nullsNotDistinct"] else ""}({_names(u["columns"])});']
    if t == "alter_unique":
        return [*sql_of({"type": "drop_unique", "unique": s["diff"]["$left"]}),
                *sql_of({"type": "add_unique", "unique": s["diff"]["$right"]})]
    if t == "create_enum":
        return [_enum_sql(s["enum"])]
    if t == "drop_enum":
        return [f"DROP TYPE {_q(s['enum']['schema'], s['enum']['name'])};"]
    if t == "rename_enum":
        return [f'ALTER TYPE {_q(s["schema"], s["from"])} RENAME TO "{s["to"]}";']
    if t == "move_enum":
        return [f'ALTER TYPE {_q(s["from"]["schema"], s["from"]["name"])} SET SCHEMA "{s["to"]["schema"] or "public"}";']
    if t == "alter_enum":
        key = _q(s["to"]["schema"], s["to"]["name"])
        return [f"ALTER TYPE {key} ADD VALUE '{d['value']}' BEFORE '{d['beforeValue']}';" if d["beforeValue"]
                else f"ALTER TYPE {key} ADD VALUE '{d['value']}';" for d in s["diff"] if d["type"] == "added"]
    if t == "recreate_enum":
        to = s["to"]
        out: list[str] = []
        for c in s["columns"]:
            key = _q(c["schema"], c["table"])
            out.append(f'ALTER TABLE {key} ALTER COLUMN "{c["name"]}" SET DATA TYPE text{"[]" * c["dimensions"]};')
            if c["default"]["left"]:
                out.append(f'ALTER TABLE {key} ALTER COLUMN "{c["name"]}" DROP DEFAULT;')
        out.append(f"DROP TYPE {_q(to['schema'], to['name'])};")
        out.append(_enum_sql(to))
        enum_type = _q(to["schema"], to["name"])
        for c in s["columns"]:
            key = _q(c["schema"], c["table"])
            dims = "[]" * c["dimensions"]
            out.append(f'ALTER TABLE {key} ALTER COLUMN "{c["name"]}" SET DATA TYPE {enum_type}{dims} USING '
                       f'"{c["name"]}"::{enum_type}{dims};')
            if c["default"]["right"]:
                out.append(f'ALTER TABLE {key} ALTER COLUMN "{c["name"]}" SET DEFAULT '
                           f'{_default_sql({**c, "default": c["default"]["right"]})};')
        return out
    raise MigrationError(f"no PostgreSQL convertor for a {t} statement")


# ---- footprints -----------------------------------------------------------------------------------------


def _target(s: Row) -> list[str]:
    t = s["type"]

    def col(c: Row) -> list[str]:
        return ["column", c["schema"], c["table"], c["name"]]

    def tab(c: Row) -> list[str]:
        return ["table", c["schema"], c["table"]]

    if t in ("create_table", "drop_table"):
        return ["table", s["table"]["schema"], s["table"]["name"]]
    if t == "rename_table":
        return ["table", s["schema"], s["from"]]
    if t in ("add_column", "drop_column"):
        return col(s["column"])
    if t == "alter_column":
        return col(s["to"])
    if t == "rename_column":
        return col(s["from"])
    if t in ("create_index", "drop_index", "recreate_index"):
        return ["index", s["index"]["schema"], s["index"]["table"], s["index"]["name"]]
    if t == "rename_index":
        return ["index", s["schema"], s["table"], s["from"]]
    if t in ("add_pk", "drop_pk", "alter_pk"):
        return tab(s["pk"])
    if t in ("create_fk", "drop_fk", "recreate_fk"):
        return tab(s["fk"])
    if t in ("add_unique", "drop_unique"):
        return tab(s["unique"])
    if t in ("alter_unique", "alter_check"):
        return tab(s["diff"]["$right"])
    if t in ("add_check", "drop_check"):
        return tab(s["check"])
    if t == "rename_constraint":
        return tab(s)
    if t in ("create_enum", "drop_enum"):
        return ["enum", s["enum"]["schema"], s["enum"]["name"]]
    if t == "rename_enum":
        return ["enum", s["schema"], s["from"]]
    if t in ("alter_enum", "recreate_enum"):
        return ["enum", s["to"]["schema"], s["to"]["name"]]
    if t == "move_enum":
        return ["enum", s["from"]["schema"], s["from"]["name"]]
    if t in ("create_schema", "drop_schema"):
        return ["schema", s["name"]]
    if t == "rename_schema":
        return ["schema", s["from"]["name"]]
    raise MigrationError(f"no footprint target for a {t} statement")


def _idempotent(s: Row) -> bool:
    t = s["type"]
    if t == "alter_column":
        d = s["diff"]
        drops_sequence = s["wasSerial"] and s["to"]["type"] not in _SERIAL
        dims = d.get("dimensions")
        array_conversion = bool(dims) and (dims["from"] == 0 or dims["to"] == 0)
        return not drops_sequence and not s["toSerial"] and not d.get("generated") and not d.get("identity") \
            and not array_conversion
    if t == "alter_pk":
        return not s["deleted"]
    return t in ("recreate_column", "recreate_index", "recreate_fk", "alter_unique", "alter_check", "recreate_enum")


def _nodes(s: Row) -> Row:
    def j(*p: str) -> str:
        return ".".join(p)

    def self_(k: str, *p: str) -> str:
        return f"s|{k}|{j(*p)}"

    def name(k: str, *p: str) -> str:
        return f"n|{k}|{j(*p)}"

    def exist(k: str, *p: str) -> str:
        return f"e|{k}|{j(*p)}"

    def shared(k: str, p: Sequence[str]) -> list[str]:
        if k in ("tbl", "view"):
            return [name("rel", *p), name("type", *p)]
        if k in ("seq", "idx"):
            return [name("rel", *p)]
        if k == "enum":
            return [name("type", *p)]
        if k == "uq":
            return [name("con", *p), name("rel", p[0], p[2])]
        if k in ("ck", "fk"):
            return [name("con", *p)]
        return []

    def pk_names(schema: str, table: str, pk: str) -> list[str]:
        return shared("uq", [schema, table, pk])

    def created(k: str, *p: str) -> list[str]:
        return [self_(k, *p), name(k, *p), exist(k, *p), *shared(k, p)]

    def endpoint(k: str, *p: str) -> list[str]:
        return [self_(k, *p), name(k, *p), *shared(k, p)]

    def under(schema: str, table: str) -> list[str]:
        return [name("tbl", schema, table), name("sch", schema)]

    def home(schema: str, table: str) -> list[str]:
        return [exist("tbl", schema, table), name("sch", schema)]

    def col_enum(c: Row) -> list[str]:
        if c.get("typeSchema") and c["typeSchema"] != "pg_catalog" and c.get("type"):
            return [name("enum", c["typeSchema"], c["type"])]
        return []

    def uniqueness(schema: str, table: str, columns: Sequence[str]) -> str:
        return exist("uniqueness", schema, table, *sorted(columns))

    def ix_uniqueness(i: Row) -> list[str]:
        if i["isUnique"] and not i["where"] and all(not c["isExpression"] for c in i["columns"]):
            return [uniqueness(i["schema"], i["table"], [c["value"] for c in i["columns"]])]
        return []

    def ix_cols(i: Row, ref: Callable[..., str]) -> list[str]:
        return [ref("col", i["schema"], i["table"], c["value"]) for c in i["columns"] if not c["isExpression"]]

    t = s["type"]
    if t == "create_table":
        tb = s["table"]
        return {"writes": [*created("tbl", tb["schema"], tb["name"]),
                           *([name("rel", tb["schema"], tb["pk"]["name"])] if tb["pk"] else []),
                           *(name("rel", tb["schema"], u["name"]) for u in tb["uniques"])],
                "reads": [name("sch", tb["schema"]), *(x for c in tb["columns"] for x in col_enum(c))]}
    if t == "drop_table":
        tb = s["table"]
        return {"writes": created("tbl", tb["schema"], tb["name"]), "reads": [name("sch", tb["schema"])]}
    if t == "rename_table":
        return {"writes": [*endpoint("tbl", s["schema"], s["from"]), *endpoint("tbl", s["schema"], s["to"])],
                "reads": [name("sch", s["schema"])]}
    if t == "add_column":
        c = s["column"]
        return {"writes": created("col", c["schema"], c["table"], c["name"]),
                "reads": [*under(c["schema"], c["table"]), *col_enum(c)]}
    if t == "drop_column":
        c = s["column"]
        return {"writes": created("col", c["schema"], c["table"], c["name"]), "reads": under(c["schema"], c["table"])}
    if t == "alter_column":
        d, c = s["diff"], s["to"]
        props: dict[str, None] = {}
        if d.get("notNull"):
            props["notNull"] = None
        if d.get("default"):
            props["default"] = None
        if d.get("type") or d.get("typeSchema") or d.get("dimensions"):
            props.update({"type": None, "default": None})
        if d.get("generated"):
            props.update({"generated": None, "default": None})
        if d.get("identity"):
            props.update({"identity": None, "default": None, "notNull": None})
        column = (c["schema"], c["table"], c["name"])
        return {"writes": [self_("colprop", *column, p) for p in props],
                "reads": [*under(c["schema"], c["table"]), name("col", *column),
                          *(col_enum(c) if d.get("default") or "type" in props else [])]}
    if t == "rename_column":
        f, to = s["from"], s["to"]
        return {"writes": [*endpoint("col", f["schema"], f["table"], f["name"]),
                           *endpoint("col", to["schema"], to["table"], to["name"])],
                "reads": under(f["schema"], f["table"])}
    if t == "create_index":
        i = s["index"]
        return {"writes": created("idx", i["schema"], i["name"]),
                "reads": [*under(i["schema"], i["table"]), *ix_cols(i, name)]}
    if t == "drop_index":
        i = s["index"]
        key = ix_uniqueness(i)
        return {"writes": created("idx", i["schema"], i["name"]),
                "reads": [*(under if key else home)(i["schema"], i["table"]), *ix_cols(i, exist)],
                "sharedWrites": key}
    if t == "recreate_index":
        i = s["index"]
        return {"writes": created("idx", i["schema"], i["name"]),
                "reads": [*under(i["schema"], i["table"]), *ix_cols(i, name)],
                "sharedWrites": ix_uniqueness(s["diff"]["$left"])}
    if t == "rename_index":
        return {"writes": [*endpoint("idx", s["schema"], s["from"]), *endpoint("idx", s["schema"], s["to"])],
                "reads": [*home(s["schema"], s["table"]), *(exist("col", s["schema"], s["table"], c)
                                                             for c in s["columns"])]}
    if t in ("add_pk", "drop_pk"):
        pk = s["pk"]
        ref = name if t == "add_pk" else exist
        out: Row = {"writes": [*created("pk", pk["schema"], pk["table"]), *pk_names(pk["schema"], pk["table"],
                                                                                    pk["name"])],
                    "reads": [*under(pk["schema"], pk["table"]),
                              *(ref("col", pk["schema"], pk["table"], c) for c in pk["columns"])]}
        if t == "drop_pk":
            out["sharedWrites"] = [uniqueness(pk["schema"], pk["table"], pk["columns"])]
        return out
    if t == "alter_pk":
        pk = s["pk"]
        cols_from = s["diff"]["columns"]["from"] if s["diff"].get("columns") else pk["columns"]
        return {"writes": [self_("pk", pk["schema"], pk["table"])],
                "reads": [*under(pk["schema"], pk["table"]), *(name("col", pk["schema"], pk["table"], c)
                                                                for c in pk["columns"])],
                "sharedWrites": [uniqueness(pk["schema"], pk["table"], cols_from)]}
    if t in ("create_fk", "recreate_fk"):
        fk = s["fk"]
        return {"writes": created("fk", fk["schema"], fk["table"], fk["name"]),
                "reads": [*under(fk["schema"], fk["table"]), name("tbl", fk["schemaTo"], fk["tableTo"]),
                          name("sch", fk["schemaTo"]), *(name("col", fk["schema"], fk["table"], c) for c in fk["columns"]),
                          *(name("col", fk["schemaTo"], fk["tableTo"], c) for c in fk["columnsTo"]),
                          uniqueness(fk["schemaTo"], fk["tableTo"], fk["columnsTo"])]}
    if t == "drop_fk":
        fk = s["fk"]
        return {"writes": created("fk", fk["schema"], fk["table"], fk["name"]),
                "reads": [*under(fk["schema"], fk["table"]), *(exist("col", fk["schema"], fk["table"], c)
                                                                for c in fk["columns"])]}
    if t in ("add_unique", "drop_unique"):
        u = s["unique"]
        ref = name if t == "add_unique" else exist
        out = {"writes": created("uq", u["schema"], u["table"], u["name"]),
               "reads": [*under(u["schema"], u["table"]), *(ref("col", u["schema"], u["table"], c)
                                                             for c in u["columns"])]}
        if t == "drop_unique":
            out["sharedWrites"] = [uniqueness(u["schema"], u["table"], u["columns"])]
        return out
    if t == "alter_unique":
        fr, to = s["diff"]["$left"], s["diff"]["$right"]
        return {"writes": [self_("uq", to["schema"], to["table"], to["name"])],
                "reads": [*under(to["schema"], to["table"]), *(name("col", to["schema"], to["table"], c)
                                                                for c in to["columns"]),
                          *(exist("col", to["schema"], to["table"], c) for c in fr["columns"])],
                "sharedWrites": [uniqueness(to["schema"], to["table"], fr["columns"])]}
    if t in ("add_check", "drop_check"):
        c = s["check"]
        ref = name if t == "add_check" else exist
        return {"writes": created("ck", c["schema"], c["table"], c["name"]),
                "reads": [*under(c["schema"], c["table"]), *(ref("col", c["schema"], c["table"], x)
                                                              for x in s["columns"])]}
    if t == "alter_check":
        c = s["diff"]["$right"]
        return {"writes": [self_("ck", c["schema"], c["table"], c["name"])],
                "reads": [*under(c["schema"], c["table"]), *(name("col", c["schema"], c["table"], x)
                                                              for x in s["newColumns"]),
                          *(exist("col", c["schema"], c["table"], x) for x in s["oldColumns"])]}
    if t == "rename_constraint":
        reads = [*under(s["schema"], s["table"]), *(exist("col", s["schema"], s["table"], c) for c in s["columns"])]
        if s["entityType"] == "pks":
            return {"writes": [*endpoint("pk", s["schema"], s["table"]), *pk_names(s["schema"], s["table"], s["from"]),
                               *pk_names(s["schema"], s["table"], s["to"])], "reads": reads}
        k = {"uniques": "uq", "checks": "ck", "fks": "fk"}[s["entityType"]]
        return {"writes": [*endpoint(k, s["schema"], s["table"], s["from"]),
                           *endpoint(k, s["schema"], s["table"], s["to"])], "reads": reads}
    if t in ("create_enum", "drop_enum"):
        return {"writes": created("enum", s["enum"]["schema"], s["enum"]["name"]),
                "reads": [name("sch", s["enum"]["schema"])]}
    if t == "rename_enum":
        return {"writes": [*endpoint("enum", s["schema"], s["from"]), *endpoint("enum", s["schema"], s["to"])],
                "reads": [name("sch", s["schema"])]}
    if t == "alter_enum":
        return {"writes": [self_("enum", s["to"]["schema"], s["to"]["name"])], "reads": [name("sch", s["to"]["schema"])]}
    if t == "recreate_enum":
        return {"writes": [*created("enum", s["to"]["schema"], s["to"]["name"]),
                           *(self_("colprop", c["schema"], c["table"], c["name"], p)
                             for c in s["columns"] for p in ("type", "default"))],
                "reads": [name("sch", s["to"]["schema"]),
                          *(x for c in s["columns"] for x in [*under(c["schema"], c["table"]),
                                                              name("col", c["schema"], c["table"], c["name"])])]}
    if t == "move_enum":
        f, to = s["from"], s["to"]
        return {"writes": [*endpoint("enum", f["schema"], f["name"]), *endpoint("enum", to["schema"], to["name"])],
                "reads": [name("sch", f["schema"]), name("sch", to["schema"])]}
    if t in ("create_schema", "drop_schema"):
        return {"writes": created("sch", s["name"])}
    if t == "rename_schema":
        return {"writes": [*endpoint("sch", s["from"]["name"]), *endpoint("sch", s["to"]["name"])]}
    raise MigrationError(f"no footprint for a {t} statement")


def footprint(s: Row, sql: list[str]) -> Row:
    """`buildFootprint`: the statement's type and target, the nodes it writes and reads, and a hash of the SQL of an
    idempotent one."""
    out: Row = {"statementType": s["type"], "statementTarget": _target(s), **_nodes(s)}
    if _idempotent(s):
        out["sqlHash"] = hashlib.sha256("\n".join(sql).encode()).hexdigest()[:16]
    return out


def generate(tables: Sequence[type[SchemaTable]], prev: DDL, resolve: Resolve) -> tuple[list[Row], list[str],
                                                                                         list[Row], list[Row]]:
    """drizzle-kit 1.0 PostgreSQL `generate`: (the new state's entities, the SQL, the deltas, the footprints)."""
    cur = ddl_of(tables)
    statements, deltas = diff(prev, cur, resolve)
    sql: list[str] = []
    prints: list[Row] = []
    for s in statements:
        part = sql_of(s)
        sql += part
        prints.append(footprint(s, part))
    return cur.entities(), sql, deltas, prints


__all__ = ["DDL", "KINDS", "Resolve", "ddl_of", "diff", "footprint", "generate", "sql_of", "state_of"]
