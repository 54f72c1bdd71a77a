"""`up` for PostgreSQL: 0.x snapshots (version 7) -> drizzle-kit 1.0's version 9 (base and diff snapshots).

A port of drizzle-kit 1.0.0-rc.5's `upToV8` (src/dialects/postgres/versions.ts: the 0.x tables, columns and
constraints as DDL entities, `_meta` renames as rename strings) and `upToV9` (versions-v9.ts): the first snapshot
becomes a `base` one, every later one a `diff` whose deltas are the diff from its parent's rebuilt state (renames
answered from the 0.x `_meta`), both with the footprints of the statements drizzle-kit would generate for them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, cast

from mizzle.errors import MigrationError
from mizzle.kit.dialects.postgres.v1gen import (
    DDL,
    ORIGIN,
    Row,
    _deltas,
    _diff,
    _row,
    _trim_suffix,
    apply_deltas,
    diff,
    footprint,
    sql_of,
    state_of,
)

_KIND_TYPES = {"schema": "schemas", "enum": "enums", "table": "tables", "column": "columns", "unique": "uniques",
               "check": "checks", "index": "indexes", "primary_key": "pks", "foreign key": "fks"}


def _values(obj: Any) -> list[Any]:
    """The values of a JSON object (none for a missing one)."""
    return list(cast("dict[str, Any]", obj).values()) if isinstance(obj, dict) else []


def _items(obj: Any) -> list[tuple[str, Any]]:
    """The members of a JSON object (none for a missing one)."""
    return list(cast("dict[str, Any]", obj).items()) if isinstance(obj, dict) else []


def _js_string(value: Any) -> str:
    """`String(value)` of a JSON value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _dims(type_: str) -> tuple[str, int]:
    import re

    count = len(re.findall(r"\[[^\]]*\]", type_))
    return re.sub(r"\[[^\]]*\]", "", type_), count


def to_v8(snap: dict[str, Any], source: str) -> dict[str, Any]:
    """`upToV8`: a version 7 snapshot as DDL entities (`{id, prevIds, version "8", dialect, ddl, renames}`)."""
    if str(snap.get("version")) != "7":
        raise MigrationError(f"{source}: PostgreSQL snapshot version {snap.get('version')!r} cannot be upgraded by "
                             "mizzle (it reads version 7); run `drizzle-kit up` on this folder")
    for key in ("sequences", "roles", "policies", "views"):
        if snap.get(key):
            raise MigrationError(f"{source}: the snapshot has {key}, which mizzle's `up` does not convert yet; run "
                                 "`drizzle-kit up` on this folder")
    ddl = DDL()

    def push(kind: str, values: Row) -> None:
        ddl.push(_row(kind, values))

    for name in _values(snap.get("schemas")):
        push("schemas", {"name": name})
    for table in _values(snap.get("tables")):
        if table.get("policies") or table.get("isRLSEnabled"):
            raise MigrationError(f"{source}: table {table['name']} has row-level security or policies, which mizzle's "
                                 "`up` does not convert yet; run `drizzle-kit up` on this folder")
        schema = table.get("schema") or "public"
        tname = table["name"]
        push("tables", {"schema": schema, "name": tname, "isRlsEnabled": False})
        for col in _values(table["columns"]):
            if col.get("primaryKey"):
                push("pks", {"schema": schema, "table": tname, "columns": [col["name"]], "name": f"{tname}_pkey",
                             "nameExplicit": False})
            base, dims = _dims(col["type"])
            ident = col.get("identity")
            push("columns", {
                "schema": schema, "table": tname, "name": col["name"],
                "type": base.replace(", ", ",", 1) if base.startswith("numeric(") else base,
                "notNull": col.get("notNull"), "typeSchema": col.get("typeSchema"), "dimensions": dims,
                "generated": col.get("generated"),
                "identity": None if not ident else {
                    "name": ident.get("name"), "type": ident.get("type"), "startWith": ident.get("startWith"),
                    "minValue": ident.get("minValue"), "maxValue": ident.get("maxValue"),
                    "increment": ident.get("increment"),
                    "cache": int(ident["cache"]) if ident.get("cache") else None, "cycle": ident.get("cycle")},
                "default": None if "default" not in col else _trim_suffix(_js_string(col["default"])),
            })
        for pk in _values(table.get("compositePrimaryKeys")):
            push("pks", {"schema": schema, "table": tname, "name": pk["name"], "columns": pk["columns"],
                         "nameExplicit": f"{tname}_{'_'.join(pk['columns'])}_pk" != pk["name"]})
        for u in _values(table.get("uniqueConstraints")):
            push("uniques", {"schema": schema, "table": tname, "columns": u["columns"], "name": u["name"],
                             "nameExplicit": f"{tname}_{'_'.join(u['columns'])}_unique" != u["name"],
                             "nullsNotDistinct": u.get("nullsNotDistinct", False)})
        for ck in _values(table.get("checkConstraints")):
            push("checks", {"schema": schema, "table": tname, "name": ck["name"], "value": ck["value"]})
        for ix in _values(table.get("indexes")):
            columns: list[Row] = [{"value": c["expression"], "isExpression": c["isExpression"], "asc": c["asc"],
                        "nullsFirst": c["nulls"] != "last" if c.get("nulls") else False,
                        "opclass": {"name": c["opclass"], "default": False} if c.get("opclass") else None}
                       for c in ix["columns"]]
            explicit = any(c["isExpression"] for c in columns) or \
                f"{tname}_{'_'.join(str(c['value']) for c in columns)}_index" != ix["name"]
            with_ = ",".join(f"{k}={_js_string(v)}" for k, v in _items(ix.get("with")))
            push("indexes", {"schema": schema, "table": tname, "name": ix["name"], "columns": columns,
                             "isUnique": ix["isUnique"], "method": ix.get("method"), "concurrently": ix.get("concurrently"),
                             "where": ix.get("where"), "with": with_, "nameExplicit": explicit})
        for fk in _values(table.get("foreignKeys")):
            explicit = f"{fk['tableFrom']}_{'_'.join(fk['columnsFrom'])}_{fk['tableTo']}_" \
                       f"{'_'.join(fk['columnsTo'])}_fk" != fk["name"]
            push("fks", {"schema": schema, "name": fk["name"][:63], "nameExplicit": explicit, "table": fk["tableFrom"],
                         "columns": fk["columnsFrom"], "schemaTo": fk.get("schemaTo") or "public",
                         "tableTo": fk["tableTo"], "columnsTo": fk["columnsTo"],
                         "onDelete": (fk.get("onDelete") or "no action").upper(),
                         "onUpdate": (fk.get("onUpdate") or "no action").upper()})
    for en in _values(snap.get("enums")):
        push("enums", {"schema": en["schema"], "name": en["name"], "values": en["values"]})

    def rename_name(key: str, parts: int) -> str:
        name = key.replace('"', "")
        return f"public.{name}" if len(key.split('"."')) < parts else name

    meta: dict[str, Any] = dict(_items(snap.get("_meta")))
    renames = [f"{rename_name(f, 1)}->{rename_name(t, 1)}" for f, t in _items(meta.get("schemas"))]
    renames += [f"{rename_name(f, 2)}->{rename_name(t, 2)}" for f, t in _items(meta.get("tables"))]
    renames += [f"{rename_name(f, 3)}->{rename_name(t, 3)}" for f, t in _items(meta.get("columns"))]
    return {"id": snap["id"], "prevIds": [snap.get("prevId")], "version": "8", "dialect": "postgres",
            "ddl": ddl.entities(), "renames": renames}


def _name_of(row: Row) -> str:
    return ".".join(str(p) for p in (row.get("schema"), row.get("table"), row.get("name")) if p)


def _mock(renames: list[str]) -> Callable[[str, list[Row], list[Row]], tuple[list[Row], list[Row],
                                                                           list[tuple[Row, Row]]]]:
    """drizzle-kit's `mockResolver` over `from->to` names, the same set for every kind."""

    def resolve(kind: str, created: list[Row], deleted: list[Row]) -> tuple[list[Row], list[Row],
                                                                            list[tuple[Row, Row]]]:
        if not created or not deleted or not renames:
            return created, deleted, []
        made, gone = list(created), list(deleted)
        moved: list[tuple[Row, Row]] = []
        for rename in renames:
            frm, _, to = rename.partition("->")
            src = next((d for d in gone if _name_of(d) == frm), None)
            if src is None:
                continue
            dst = next((c for c in made if _name_of(c) == to), None)
            if dst is None:
                raise MigrationError(f"the rename {rename} of a 0.x snapshot names no new {kind}")
            moved.append((src, dst))
            made.remove(dst)
            gone.remove(src)
        return made, gone, moved

    return resolve


def _format8(renames: list[str]) -> Callable[[str, list[Row], list[Row]], tuple[list[Row], list[Row],
                                                                              list[tuple[Row, Row]]]]:
    """`format8RenameResolver`: the snapshot's renames whose ends are among the deleted and created rows."""

    def resolve(kind: str, created: list[Row], deleted: list[Row]) -> tuple[list[Row], list[Row],
                                                                            list[tuple[Row, Row]]]:
        gone = {_name_of(r) for r in deleted}
        made = {_name_of(r) for r in created}
        own = [r for r in renames if r.split("->")[0] in gone and r.split("->")[1] in made]
        return _mock(own)(kind, created, deleted)

    return resolve


def _footprints(start: DDL, deltas: list[Row]) -> list[Row]:
    """`footprintsOfDeltas`: the footprints of the statements that take `start` through `deltas`."""
    frm, to = start.clone(), start.clone()
    renames: dict[str, list[str]] = {}
    for d in deltas:
        if d["op"] == "rename":
            kind = d["key"].partition("\0")[0]
            row = to.find(d["key"])
            if row is not None:
                renames.setdefault(kind, []).append(f"{_name_of(row)}->{_name_of({**row, **d['set']})}")
        apply_deltas(to, [d])

    def resolve(kind: str, created: list[Row], deleted: list[Row]) -> tuple[list[Row], list[Row],
                                                                            list[tuple[Row, Row]]]:
        return _mock(renames.get(_KIND_TYPES[kind], []))(kind, created, deleted)

    statements, _ = diff(frm, to, resolve, keep_generated_names=False)
    return [footprint(s, sql_of(s)) for s in statements]


def _state_key_names(rows: list[Row], state: DDL) -> list[Row]:
    """`withStateKeyNames`: a default-named primary key takes the name the state gave it."""
    out: list[Row] = []
    for r in rows:
        if r["entityType"] != "pks" or r["nameExplicit"] or r["name"] != f"{r['table']}_pkey":
            out.append(r)
            continue
        key = state.one("pks", schema=r["schema"], table=r["table"])
        out.append({**r, "name": key["name"]} if key else r)
    return out


class PgUpgrade:
    """`up`'s snapshot conversion for one folder, called in the folders' order (`upToV9`)."""

    def __init__(self) -> None:
        self.converted: list[Row] = []

    def __call__(self, snap: dict[str, Any], source: str) -> dict[str, Any] | None:
        if str(snap.get("version")) == "9":
            self.converted.append(snap)
            return None
        v8 = snap if str(snap.get("version")) == "8" else to_v8(snap, source)
        head = {"version": "9", "dialect": "postgres", "id": v8["id"]}
        parents = [i for i in v8["prevIds"] if i and i != ORIGIN]
        if not parents:
            state = DDL(v8["ddl"])
            creates = [{"op": "create", "row": r} for r in state.entities()]
            out: Row = {"type": "base", **head, "prevIds": [ORIGIN], "footprints": _footprints(DDL(), creates),
                        "ddl": state.entities()}
        else:
            if len(parents) > 1:
                raise MigrationError(f"{source}: a snapshot with several parents cannot be converted by mizzle's `up`; "
                                     "run `drizzle-kit up` on this folder")
            known = {s["id"] for s in self.converted}
            if parents[0] not in known:
                raise MigrationError(f"{source}: its parent snapshot {parents[0]} is not in the folder (restore it "
                                     "from version control)")
            start = state_of(self.converted, parents)
            frm = start.clone()
            to = DDL(copy.deepcopy(v8["ddl"]))
            _, deltas = diff(frm, to, _format8(list(v8.get("renames") or [])))
            final = DDL(_state_key_names(v8["ddl"], to))
            deltas += _deltas(to, _diff(to, final, None, "all"))
            out = {"type": "diff", **head, "prevIds": parents, "footprints": _footprints(start, deltas),
                   "deltas": deltas}
        self.converted.append(out)
        return out


__all__ = ["PgUpgrade", "to_v8"]
