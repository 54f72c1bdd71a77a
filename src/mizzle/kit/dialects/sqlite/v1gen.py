"""drizzle-kit 1.0's SQLite generate: a schema's DDL entities (snapshot version 7) and the SQL between two of them.

A port of drizzle-kit 1.0.0-rc.5 (bin.cjs): `fromDrizzleSchema` + `interimToDDL` (the entities, in
`createDDL`'s kind order and key order), `ddlDiff` (src/dialects/sqlite/diff.ts: renames, rebuilds, the
statement order) and the convertors (src/dialects/sqlite/convertor.ts), so the SQL and snapshot are byte for
byte drizzle-kit's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from mizzle.errors import MigrationError

if TYPE_CHECKING:
    from mizzle.schema.table import Table as SchemaTable

Row = dict[str, Any]
KINDS = ("tables", "columns", "indexes", "fks", "pks", "uniques", "checks", "views")
_KEYS: dict[str, tuple[str, ...]] = {
    "tables": ("name",),
    "columns": ("table", "name", "type", "notNull", "autoincrement", "default", "generated"),
    "indexes": ("table", "name", "columns", "isUnique", "where", "origin"),
    "fks": ("table", "name", "columns", "tableTo", "columnsTo", "onUpdate", "onDelete", "nameExplicit"),
    "pks": ("table", "name", "columns", "nameExplicit"),
    "uniques": ("table", "name", "columns", "nameExplicit"),
    "checks": ("table", "name", "value"),
    "views": ("name", "definition", "isExisting", "error"),
}
_ACTIONS = {"no action": "NO ACTION", "cascade": "CASCADE", "restrict": "RESTRICT",
            "set default": "SET DEFAULT", "set null": "SET NULL"}
_INT = ("int", "integer", "tiniint", "smallint", "mediumint", "bigint", "unsigned big int", "int2", "int8")


def _row(kind: str, **values: Any) -> Row:
    out: Row = {k: values.get(k) for k in _KEYS[kind]}
    out["entityType"] = kind
    return out


def _key(r: Row) -> str:
    if r["entityType"] in ("tables", "views"):
        return json.dumps([r["name"]])
    return json.dumps([r["table"], r["name"]])


class DDL:
    """drizzle-kit's DDL store: rows by kind, in insertion order, keyed by (table, name)."""

    def __init__(self, entities: Sequence[Row] = ()) -> None:
        self.rows: dict[str, list[Row]] = {k: [] for k in KINDS}
        for e in entities:
            kind = e.get("entityType")
            if kind not in self.rows:
                raise MigrationError(f"snapshot: unknown SQLite DDL entity type {kind!r}")
            self.rows[kind].append(_row(kind, **e))

    def push(self, row: Row) -> bool:
        """Add `row`; False when one with its key exists (drizzle-kit's CONFLICT)."""
        if any(_key(r) == _key(row) for r in self.rows[row["entityType"]]):
            return False
        self.rows[row["entityType"]].append(row)
        return True

    def entities(self) -> list[Row]:
        return [r for k in KINDS for r in self.rows[k]]

    def list(self, kind: str, **where: Any) -> list[Row]:
        return [r for r in self.rows[kind] if all(r.get(k) == v for k, v in where.items())]

    def one(self, kind: str, **where: Any) -> Row | None:
        found = self.list(kind, **where)
        return found[0] if found else None

    def rename_table(self, old: str, new: str) -> None:
        """`tables.update({name})` with its edges: every row naming the table follows it."""
        for kind in KINDS:
            for r in self.rows[kind]:
                if kind in ("tables", "views"):
                    if kind == "tables" and r["name"] == old:
                        r["name"] = new
                    continue
                if r.get("table") == old:
                    r["table"] = new
                if kind == "fks" and r["tableTo"] == old:
                    r["tableTo"] = new

    def rename_column(self, table: str, old: str, new: str) -> None:
        """`columns.update({name})` with its edges (index, pk, unique and fk column lists)."""
        for r in self.rows["columns"]:
            if r["table"] == table and r["name"] == old:
                r["name"] = new
        for r in self.rows["indexes"]:
            if r["table"] == table:
                r["columns"] = [{**c, "value": new} if not c["isExpression"] and c["value"] == old else c
                                for c in r["columns"]]
        for kind in ("pks", "uniques", "fks"):
            for r in self.rows[kind]:
                if r["table"] == table:
                    r["columns"] = [new if c == old else c for c in r["columns"]]
        for r in self.rows["fks"]:
            if r["tableTo"] == table:
                r["columnsTo"] = [new if c == old else c for c in r["columnsTo"]]


# ---- schema -> entities ---------------------------------------------------------------------------


def _default(col: Any) -> str | None:
    from mizzle.kit.from_schema import sqlite_default
    from mizzle.sql.chunks import SQL

    value = col.default_value
    if isinstance(value, bytes):
        return "X'" + value.hex().upper() + "'"
    encoded = sqlite_default(col)
    if encoded is None:
        return None
    if isinstance(value, SQL):
        return str(encoded)
    if isinstance(encoded, bool):
        return "true" if encoded else "false"
    if isinstance(value, int) and not isinstance(value, bool) and col.sql_type.lower() not in _INT:
        return str(encoded)
    if isinstance(encoded, float) and encoded.is_integer():
        return str(int(encoded))
    return str(encoded)


def ddl_of(tables: Sequence[type[SchemaTable]]) -> DDL:
    """drizzle-kit 1.0's DDL of a schema.

    drizzle-kit lists a schema module's tables by export name (an ES module namespace is sorted): `export const
    posts` is mizzle's `class Posts`, so the tables are ordered by class name with its first letter lowercased,
    then by table name.
    """
    from mizzle.kit.from_schema import sqlite_table
    from mizzle.schema.column import Column as SchemaColumn
    from mizzle.schema.table import check_unique_names

    check_unique_names(tables)
    ordered = sorted(tables, key=export_key)
    ddl = DDL()
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
        snap, _ = sqlite_table(t)
        tab_rows.append(_row("tables", name=name))
        single = meta.primary_key[0] if len(meta.primary_key) == 1 else None
        unique_index_cols = {ix.columns[0].name for ix in meta.indexes
                             if ix.unique and len(ix.columns) == 1 and isinstance(ix.columns[0], SchemaColumn)}
        for col in meta.columns.values():
            sc = snap.columns[col.name]
            primary = bool(col.primary) or col is single
            gen = None if sc.generated is None else {"type": sc.generated.type, "as": sc.generated.as_}
            row = _row("columns", table=name, name=col.name, type=col.sql_type,
                       notNull=bool(col.not_null_) and not primary,
                       autoincrement=bool(col.autoincrement and primary), default=_default(col), generated=gen)
            is_unique = bool(col.is_unique) and col.name not in unique_index_cols
            cols.append((row, primary, is_unique, col.unique_name))
        if len(meta.primary_key) > 1:
            explicit = meta.primary_key_name is not None
            pks.append(_row("pks", table=name, name=meta.primary_key_name or f"{name}_pk",
                            columns=[c.name for c in meta.primary_key], nameExplicit=explicit))
        for fk in meta.foreign_keys:
            cfrom = [c.name for c in fk.columns]
            cto = [c.name for c in fk.foreign_columns]
            table_to = fk.foreign_table.__table__.name
            explicit = fk.name != f"{name}_{'_'.join(cfrom)}_{table_to}_{'_'.join(cto)}_fk"  # mizzle's 0.x default
            fname = fk.name if explicit else f"fk_{name}_{'_'.join(cfrom)}_{table_to}_{'_'.join(cto)}_fk"
            fks.append(_row("fks", table=name, name=fname, columns=cfrom, tableTo=table_to, columnsTo=cto,
                            onUpdate=_ACTIONS[(fk.on_update or "no action").lower()],
                            onDelete=_ACTIONS[(fk.on_delete or "no action").lower()], nameExplicit=explicit))
        for ix in meta.indexes:
            icols: list[dict[str, Any]] = []
            for c in ix.columns:
                if isinstance(c, SchemaColumn):
                    icols.append({"value": c.name, "isExpression": False})
                else:
                    icols.append({"value": snap.indexes[ix.name].columns[len(icols)], "isExpression": True})
            indexes.append(_row("indexes", table=name, name=ix.name, columns=icols, isUnique=bool(ix.unique),
                                where=snap.indexes[ix.name].where, origin="manual"))
        for u in meta.uniques:
            ucols = [c.name for c in u.columns]
            uniques.append(_row("uniques", table=name, name=u.name or f"{name}_{'_'.join(ucols)}_unique",
                                columns=ucols, nameExplicit=u.name is not None))
        for ck in snap.check_constraints.values():
            checks.append(_row("checks", table=name, name=ck.name, value=ck.value.replace(f'"{name}".', "", 1)))
    for r in tab_rows:
        ddl.push(r)
    for row, _, _, _ in cols:
        ddl.push(row)
    for r in fks:
        _push(ddl, r)
    for r in pks:
        _push(ddl, r)
    for row, primary, _, _ in cols:
        if primary and ddl.one("pks", table=row["table"]) is None:
            ddl.push(_row("pks", table=row["table"], name=f"{row['table']}_pk", columns=[row["name"]],
                          nameExplicit=False))
    for r in indexes:
        if ddl.one("indexes", name=r["name"]) is not None:
            raise MigrationError(f"table {r['table']}: index name {r['name']!r} is used twice")
        ddl.push(r)
    for r in uniques:
        _push(ddl, r)
    for row, _, is_unique, uname in cols:
        if is_unique:
            _push(ddl, _row("uniques", table=row["table"], name=uname or f"{row['table']}_{row['name']}_unique",
                            columns=[row["name"]], nameExplicit=uname is not None))
    for r in checks:
        _push(ddl, r)
    return ddl


def export_key(table: type[SchemaTable]) -> tuple[str, str]:
    """The JavaScript export name a table's class stands for (`Posts` -> `posts`), then its table name."""
    cls = table.__name__
    return cls[:1].lower() + cls[1:], table.__table__.name


def _push(ddl: DDL, row: Row) -> None:
    if not ddl.push(row):
        raise MigrationError(f"table {row.get('table')}: two {row['entityType']} are named {row['name']!r}")


# ---- diff -----------------------------------------------------------------------------------------


def _diff(a: DDL, b: DDL, kind: str) -> list[Row]:
    left = {_key(r): r for r in a.rows[kind]}
    right = {_key(r): r for r in b.rows[kind]}
    created = [{"$diffType": "create", **r} for k, r in right.items() if k not in left]
    dropped = [{"$diffType": "drop", **r} for k, r in left.items() if k not in right]
    return created + dropped


def _alters(a: DDL, b: DDL) -> list[Row]:
    out: list[Row] = []
    for kind in KINDS:
        right = {_key(r): r for r in b.rows[kind]}
        for r in a.rows[kind]:
            n = right.get(_key(r))
            if n is None:
                continue
            changes = {f: {"from": r.get(f), "to": n.get(f)} for f in _KEYS[kind] if r.get(f) != n.get(f)}
            if changes:
                commons = {c: n[c] for c in ("table", "name") if n.get(c) is not None}
                out.append({"$diffType": "alter", "entityType": kind, **commons, **changes, "$left": r, "$right": n})
    return out


def _preserve_names(a: DDL, b: DDL, kind: str) -> None:
    """`preserveEntityNames`: an implicitly named entity keeps its old name when it is otherwise the same."""
    for left in a.rows[kind]:
        if left["nameExplicit"]:
            continue
        fields = {k: v for k, v in left.items() if k not in ("entityType", "name", "nameExplicit")}
        match = [r for r in b.rows[kind] if not r["nameExplicit"] and all(r.get(k) == v for k, v in fields.items())]
        if len(match) != 1 or match[0]["name"] == left["name"]:
            continue
        match[0]["name"] = left["name"]


def _has_diff(alter: Row) -> bool:
    return any(isinstance(v, dict) and "from" in v and "to" in v and k not in ("$left", "$right")
               for k, v in alter.items())


def _defaults_commutative(change: dict[str, Any], col_type: str) -> bool:
    a, b = change["from"], change["to"]
    return a == b or (a is not None and b is not None and (a == f"({b})" or b == f"({a})"))


Resolve = Callable[[str, list[Row], list[Row]], tuple[list[Row], list[Row], list[tuple[Row, Row]]]]
"""(kind "table"/"column", created, deleted) -> (created, deleted, renamed (from, to))."""


def _group(rows: list[Row]) -> list[tuple[str, list[Row], list[Row]]]:
    groups: dict[str, tuple[list[Row], list[Row]]] = {}
    for r in rows:
        ins, dele = groups.setdefault(r["table"], ([], []))
        (dele if r["$diffType"] == "drop" else ins).append(r)
    return [(t, ins, dele) for t, (ins, dele) in groups.items()]


def _table(name: str, ddl: DDL) -> dict[str, Any]:
    return {"name": name, "columns": ddl.list("columns", table=name), "pk": ddl.one("pks", table=name),
            "fks": ddl.list("fks", table=name), "uniques": ddl.list("uniques", table=name),
            "checks": ddl.list("checks", table=name), "indexes": ddl.list("indexes", table=name)}


def diff_sql(ddl1: DDL, ddl2: DDL, resolve: Resolve,
             events: list[tuple[str, str, str]] | None = None) -> tuple[list[str], list[str]]:
    """`ddlDiff(ddl1, ddl2, ..., "default")`: the SQL statements and the snapshot's `renames`.

    `ddl1` is changed (renames applied), `ddl2`'s implicit constraint names may take their old names. `events`
    receives drizzle-kit's JSON statements as `(type, table, column or index name)`, in its order (what its
    `check` decides commutativity on).
    """
    ev: list[tuple[str, str, str]] = events if events is not None else []
    tables_diff = _diff(ddl1, ddl2, "tables")
    created_t, deleted_t, renamed_t = resolve(
        "table", [r for r in tables_diff if r["$diffType"] == "create"],
        [r for r in tables_diff if r["$diffType"] == "drop"])
    for f, t in renamed_t:
        ddl1.rename_table(f["name"], t["name"])
    created_names = {t["name"] for t in created_t}
    deleted_names = {t["name"] for t in deleted_t}
    columns_diff = [r for r in _diff(ddl1, ddl2, "columns") if r["table"] not in created_names]
    col_renames: list[tuple[Row, Row]] = []
    cols_create: list[Row] = []
    cols_delete: list[Row] = []
    for _, ins, dele in _group(columns_diff):
        made, gone, moved = resolve("column", ins, dele)
        cols_create += made
        cols_delete += gone
        col_renames += moved
    for f, t in col_renames:
        ddl1.rename_column(f["table"], f["name"], t["name"])
    created_filtered = [c for c in cols_create if not c["generated"] or c["generated"]["type"] == "virtual"]
    for kind in ("uniques", "pks", "fks"):
        _preserve_names(ddl1, ddl2, kind)
    pks_diff = [r for r in _diff(ddl1, ddl2, "pks") if r["table"] not in deleted_names]
    uniques_diff = [r for r in _diff(ddl1, ddl2, "uniques") if r["table"] not in deleted_names]
    indexes_diff = _diff(ddl1, ddl2, "indexes")
    checks_diff = _diff(ddl1, ddl2, "checks")
    fks_diff = [r for r in _diff(ddl1, ddl2, "fks")
                if r["columns"] and not any(c["table"] == r["table"] and c["name"] == r["columns"][0]
                                            for c in created_filtered) and r["table"] not in deleted_names]
    views_diff = [r for r in _diff(ddl1, ddl2, "views") if not r["isExisting"]]
    if views_diff or ddl2.rows["views"] or ddl1.rows["views"]:
        raise MigrationError("views are not supported by mizzle's drizzle 1.0 generate yet")
    updates = _alters(ddl1, ddl2)
    alters: dict[str, list[Row]] = {}
    for kind in ("uniques", "pks", "fks"):
        kept: list[Row] = []
        for it in (u for u in updates if u["entityType"] == kind):
            if it.get("nameExplicit"):
                del it["nameExplicit"]
            change: Any = it.get("columns")
            if kind == "pks" and isinstance(change, dict):
                before: list[str] | None = cast("dict[str, Any]", change)["from"]
                after: list[str] | None = cast("dict[str, Any]", change)["to"]
                if before is not None and after is not None and len(before) == len(after) \
                        and set(before) <= set(after):
                    del it["columns"]
            if _has_diff(it):
                kept.append(it)
        alters[kind] = kept
    checks_alters = [u for u in updates if u["entityType"] == "checks"]
    altered_columns: list[Row] = []
    for it in (u for u in updates if u["entityType"] == "columns"):
        if it.get("notNull") and ddl2.one("pks", table=it["table"], columns=[it["name"]]) is not None:
            del it["notNull"]
        if it.get("default") and _defaults_commutative(it["default"], it["$right"]["type"]):
            del it["default"]
        if _has_diff(it):
            altered_columns.append(it)
    became_generated = [c for c in altered_columns if isinstance(c.get("generated"), dict)
                        and isinstance(c["generated"]["to"], dict) and c["generated"]["to"]["type"] == "stored"]
    new_stored = [c for c in cols_create if c["generated"] and c["generated"]["type"] == "stored"]
    recreate: dict[str, None] = {}
    for it in [*checks_diff, *uniques_diff, *pks_diff, *fks_diff,
               *(i for i in indexes_diff if i["isUnique"] and i["origin"] == "auto"), *became_generated, *new_stored]:
        recreate[it["table"]] = None
    for name in created_names | deleted_names:
        recreate.pop(name, None)
    for it in [*altered_columns, *alters["pks"], *alters["fks"], *alters["uniques"], *checks_alters]:
        kind = it["entityType"]
        if kind == "columns" and any(it.get(f) for f in ("type", "default", "autoincrement", "notNull")):
            recreate[it["table"]] = None
        if kind in ("pks", "fks", "uniques", "checks"):
            recreate[it["table"]] = None
    sql: list[str] = []
    rebuilds = [(t, _table(t, ddl2), _table(t, ddl1)) for t in recreate]
    generated_only = [c for c in altered_columns if c["table"] not in recreate]
    if generated_only:
        raise MigrationError("changing a generated column's expression is not supported by mizzle's drizzle 1.0 "
                             "generate yet")
    for t in created_t:
        sql.append(_create_table(_table(t["name"], ddl2)))
        ev.append(("create_table", t["name"], ""))
    for f, t in renamed_t:
        sql.append(f"ALTER TABLE `{f['name']}` RENAME TO `{t['name']}`;")
        ev.append(("rename_table", f["name"], ""))
    for f, t in col_renames:
        sql.append(f"ALTER TABLE `{f['table']}` RENAME COLUMN `{f['name']}` TO `{t['name']}`;")
        ev.append(("rename_column", f["table"], f["name"]))
    by_table: dict[str, list[Row]] = {}
    for c in created_filtered:
        by_table.setdefault(c["table"], []).append(c)
    for tname, added in by_table.items():
        tfks = ddl2.list("fks", table=tname)
        for c in added:
            fk = next((f for f in tfks if len(f["columns"]) == 1 and f["columns"][0] == c["name"]), None)
            sql.append(_add_column(c, fk))
            ev.append(("add_column", c["table"], c["name"]))
    for tname, new_t, old_t in rebuilds:
        sql.extend(_recreate_table(new_t, old_t))
        ev.append(("recreate_table", tname, ""))
    indexes_by_table = _group(indexes_diff)
    for _, _, dele in indexes_by_table:
        sql.extend(f"DROP INDEX IF EXISTS `{i['name']}`;" for i in dele)
        ev.extend(("drop_index", i["table"], i["name"]) for i in dele)
    created_indexes = [i for _, new_t, _ in rebuilds for i in new_t["indexes"]]
    created_indexes += [i for tname, ins, _ in indexes_by_table if tname not in recreate for i in ins]
    sql.extend(_create_index(i) for i in created_indexes)
    ev.extend(("create_index", i["table"], i["name"]) for i in created_indexes)
    for t in deleted_t:
        sql.append(f"DROP TABLE `{t['name']}`;")
        ev.append(("drop_table", t["name"], ""))
    for c in cols_delete:
        if c["table"] not in recreate and c["table"] not in deleted_names:
            sql.append(f"ALTER TABLE `{c['table']}` DROP COLUMN `{c['name']}`;")
            ev.append(("drop_column", c["table"], c["name"]))
    renames = [f"{f['name']}->{t['name']}" for f, t in renamed_t]
    renames += [f"{f['table']}.{f['name']}->{t['table']}.{t['name']}" for f, t in col_renames]
    return sql, renames


# ---- SQL ------------------------------------------------------------------------------------------


def _create_table(t: dict[str, Any]) -> str:
    name, columns, fks, pk, uniques, checks = t["name"], t["columns"], t["fks"], t["pk"], t["uniques"], t["checks"]
    s = f"CREATE TABLE `{name}` (\n"
    for i, c in enumerate(columns):
        is_pk = pk is not None and len(pk["columns"]) == 1 and pk["columns"][0] == c["name"] \
            and pk["table"] == c["table"]
        omit_not_null = is_pk and c["type"].lower().startswith("int")
        pk_s = " PRIMARY KEY" if is_pk and pk is not None and not pk["nameExplicit"] else ""
        nn = " NOT NULL" if c["notNull"] and not omit_not_null else ""
        u = next((u for u in uniques if len(u["columns"]) == 1 and u["columns"][0] == c["name"]
                  and u["table"] == c["table"]), None)
        uq = (f" CONSTRAINT `{u['name']}` UNIQUE" if u["nameExplicit"] else " UNIQUE") if u else ""
        df = f" DEFAULT {c['default']}" if c["default"] else ""
        ai = " AUTOINCREMENT" if c["autoincrement"] else ""
        g = c["generated"]
        gs = f" GENERATED ALWAYS AS {g['as']} {g['type'].upper()}" if g else ""
        s += f"\t`{c['name']}` {c['type']}{pk_s}{ai}{df}{gs}{nn}{uq}"
        s += "" if i == len(columns) - 1 else ",\n"
    if pk is not None and (len(pk["columns"]) > 1 or pk["nameExplicit"]):
        cols = ", ".join(f"`{c}`" for c in pk["columns"])
        s += f",\n\tCONSTRAINT `{pk['name']}` PRIMARY KEY({cols})"
    for fk in fks:
        s += f",\n\tCONSTRAINT `{fk['name']}` FOREIGN KEY ({','.join(f'`{c}`' for c in fk['columns'])}) " \
             f"REFERENCES `{fk['tableTo']}`({','.join(f'`{c}`' for c in fk['columnsTo'])}){_actions(fk)}"
    for u in uniques:
        if len(u["columns"]) > 1:
            s += f",\n\tCONSTRAINT `{u['name']}` UNIQUE(`{'`,`'.join(u['columns'])}`)"
    for ck in checks:
        s += f",\n\tCONSTRAINT \"{ck['name']}\" CHECK({ck['value']})"
    return s + "\n);\n"


def _actions(fk: Row) -> str:
    upd = f" ON UPDATE {fk['onUpdate']}" if fk["onUpdate"] and fk["onUpdate"] != "NO ACTION" else ""
    dele = f" ON DELETE {fk['onDelete']}" if fk["onDelete"] and fk["onDelete"] != "NO ACTION" else ""
    return upd + dele


def _add_column(c: Row, fk: Row | None) -> str:
    df = f" DEFAULT {c['default']}" if c["default"] is not None else ""
    g = c["generated"]
    gs = f" GENERATED ALWAYS AS {g['as']} {g['type'].upper()}" if g else ""
    nn = " NOT NULL" if c["notNull"] else ""
    ref = ""
    if fk is not None:
        target = f"REFERENCES {fk['tableTo']}({','.join(fk['columnsTo'])}){_actions(fk)}"
        ref = f" {target}" if not fk["nameExplicit"] else f" CONSTRAINT `{fk['name']}` {target}"
    return f"ALTER TABLE `{c['table']}` ADD `{c['name']}` {c['type']}{df}{gs}{nn}{ref};"


def _create_index(i: Row) -> str:
    cols = ",".join(c["value"] if c["isExpression"] else f"`{c['value']}`" for c in i["columns"])
    where = f" WHERE {i['where']}" if i["where"] else ""
    return f"CREATE {'UNIQUE INDEX' if i['isUnique'] else 'INDEX'} `{i['name']}` ON `{i['table']}` ({cols}){where};"


def _recreate_table(to: dict[str, Any], frm: dict[str, Any]) -> list[str]:
    name = to["name"]
    new_cols = {c["name"]: c for c in to["columns"]}
    names = ", ".join(f"`{c['name']}`" for c in frm["columns"]
                      if not c["generated"] and c["name"] in new_cols and not new_cols[c["name"]]["generated"])
    tmp = f"__new_{name}"
    return [
        "PRAGMA foreign_keys=OFF;",
        _create_table({**to, "name": tmp, "checks": [{**c, "table": tmp} for c in to["checks"]]}),
        f"INSERT INTO `{tmp}`({names}) SELECT {names} FROM `{name}`;",
        f"DROP TABLE `{name}`;",
        f"ALTER TABLE `{tmp}` RENAME TO `{name}`;",
        "PRAGMA foreign_keys=ON;",
    ]


__all__ = ["DDL", "KINDS", "Resolve", "diff_sql", "ddl_of"]
