"""SQLite snapshot version 7 (drizzle-kit 1.0): a flat `ddl` list of entities with `prevIds`.

`to_v7` converts a version 6 snapshot (0.x) exactly as drizzle-kit 1.0.0-rc.5 `up` does
(`updateToV7` in bin.cjs): entities grouped by kind in the order tables, columns, indexes, fks, pks,
uniques, checks, views; each entity's keys in the DDL definition's order plus `entityType`.
"""

from __future__ import annotations

from typing import Any, cast

from mizzle.errors import MigrationError

_ACTIONS = {"no action": "NO ACTION", "cascade": "CASCADE", "restrict": "RESTRICT",
            "set default": "SET DEFAULT", "set null": "SET NULL"}


def _action(value: Any, where: str) -> str:
    key = str(value if value is not None else "no action").lower()
    if key not in _ACTIONS:
        raise MigrationError(f"{where}: unknown foreign key action {value!r}")
    return _ACTIONS[key]


def _obj(value: Any) -> dict[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def _generated(value: Any) -> Any:
    if not isinstance(value, dict):
        return None
    g = _obj(value)
    return {"type": g.get("type"), "as": g.get("as")}


def to_v7(snap: dict[str, Any], source: str = "snapshot") -> dict[str, Any]:
    """The version 7 form of a version 6 SQLite snapshot (`source` names it in errors)."""
    if str(snap.get("version")) != "6":
        raise MigrationError(f"{source}: expected a version 6 SQLite snapshot, got version {snap.get('version')!r}")
    kinds: dict[str, list[dict[str, Any]]] = {k: [] for k in
                                              ("tables", "columns", "indexes", "fks", "pks", "uniques", "checks", "views")}
    tables = _obj(snap.get("tables"))
    for table in tables.values():
        name = table["name"]
        kinds["tables"].append({"name": name})
        for col in _obj(table.get("columns")).values():
            default = col.get("default")
            kinds["columns"].append({
                "table": name, "name": col["name"], "type": col["type"],
                "notNull": bool(col.get("notNull")) and not col.get("primaryKey"),
                "autoincrement": col.get("autoincrement"),
                "default": None if default is None else _js_default(default),
                "generated": _generated(col.get("generated")),
            })
            if col.get("primaryKey"):
                kinds["pks"].append({"table": name, "name": f"{name}_pk", "columns": [col["name"]],
                                     "nameExplicit": False})
        for pk in _obj(table.get("compositePrimaryKeys")).values():
            implicit = pk["name"] == f"{name}_{'_'.join(pk['columns'])}_pk"
            kinds["pks"].append({"table": name, "name": pk["name"], "columns": pk["columns"],
                                 "nameExplicit": not implicit})
        for idx in _obj(table.get("indexes")).values():
            kinds["indexes"].append({
                "table": name, "name": idx["name"],
                "columns": [{"value": c, "isExpression": False} for c in idx["columns"]],
                "isUnique": idx["isUnique"], "where": idx.get("where"), "origin": "manual",
            })
        for uq in _obj(table.get("uniqueConstraints")).values():
            implicit = uq["name"] == f"{name}_{'_'.join(uq['columns'])}_unique"
            kinds["uniques"].append({"table": name, "name": uq["name"], "columns": uq["columns"],
                                     "nameExplicit": not implicit})
        for ck in _obj(table.get("checkConstraints")).values():
            kinds["checks"].append({"table": name, "name": ck["name"], "value": ck["value"]})
        for fk in _obj(table.get("foreignKeys")).values():
            implicit = fk["name"] == (f"{name}_{'_'.join(fk['columnsFrom'])}_{fk['tableTo']}_"
                                      f"{'_'.join(fk['columnsTo'])}_fk")
            where = f"{source}: foreign key {fk['name']}"
            kinds["fks"].append({
                "table": name, "name": fk["name"], "columns": fk["columnsFrom"], "tableTo": fk["tableTo"],
                "columnsTo": fk["columnsTo"], "onUpdate": _action(fk.get("onUpdate"), where),
                "onDelete": _action(fk.get("onDelete"), where), "nameExplicit": not implicit,
            })
    for view in _obj(snap.get("views")).values():
        kinds["views"].append({"name": view["name"], "definition": view.get("definition"),
                               "isExisting": view.get("isExisting"), "error": None})
    ddl = [{**e, "entityType": kind} for kind, entities in kinds.items() for e in entities]
    meta = _obj(snap.get("_meta"))
    renames = [f"{k}->{v}" for part in ("tables", "columns") for k, v in _obj(meta.get(part)).items()]
    return {"dialect": "sqlite", "id": snap.get("id"), "prevIds": [snap.get("prevId")], "version": "7",
            "ddl": ddl, "renames": renames}


def upgrade(snap: dict[str, Any], source: str = "snapshot") -> dict[str, Any] | None:
    """`up`'s in-place upgrade: version 6 -> 7; None for a current (version 7) snapshot."""
    version = str(snap.get("version"))
    if version == "7" and "ddl" in snap:
        return None
    if version == "6":
        return to_v7(snap, source)
    raise MigrationError(f"{source}: SQLite snapshot version {version!r} cannot be upgraded by mizzle (it reads "
                         "version 6 and 7); run `drizzle-kit up` on this folder")


def _js_default(value: Any) -> str:
    """`String(default)` as JavaScript prints a snapshot default."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


__all__ = ["to_v7", "upgrade"]
