"""MySQL snapshot version 6 (drizzle-kit 1.0): a flat `ddl` list of entities with `prevIds`.

`to_v6` converts a version 5 snapshot (0.x) exactly as drizzle-kit 1.0.0-rc.5 `up` does (`upToV6`, bin.cjs
89339): entities grouped by kind in the DDL definition's order (tables, columns, pks, fks, indexes, checks,
views; `createDDL`, bin.cjs 34115), each entity's keys in that definition's order plus `entityType`, an entity
whose (table, name) is taken already dropped. drizzle-kit's quirks are kept, so the output is its byte for
byte: unique constraints become unique indexes; a column's own `primaryKey` is not carried over (only
composite primary keys are, and only for a table whose snapshot has a `checkConstraint` object, as every
0.x snapshot has); decimal defaults lose their quotes and gain parentheses; quoted binary/varbinary defaults
are rewritten as drizzle-kit writes them.
"""

from __future__ import annotations

from typing import Any, cast

from mizzle.errors import MigrationError

_DEFS: dict[str, tuple[str, ...]] = {
    "tables": ("name",),
    "columns": ("table", "name", "type", "notNull", "autoIncrement", "default", "onUpdateNow", "onUpdateNowFsp",
                "charSet", "collation", "generated"),
    "pks": ("table", "name", "columns"),
    "fks": ("table", "name", "columns", "tableTo", "columnsTo", "onUpdate", "onDelete", "nameExplicit"),
    "indexes": ("table", "name", "columns", "isUnique", "using", "algorithm", "lock", "nameExplicit"),
    "checks": ("table", "name", "value"),
    "views": ("name", "definition", "algorithm", "sqlSecurity", "withCheckOption"),
}


class _DDL:
    """drizzle-kit's entity store for MySQL: rows by kind, keyed by (table, name) or name; a duplicate is dropped."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[tuple[str, ...], dict[str, Any]]] = {k: {} for k in _DEFS}

    def push(self, kind: str, **values: Any) -> None:
        row: dict[str, Any] = dict.fromkeys(_DEFS[kind])
        row.update({k: v for k, v in values.items() if k in row and v is not _UNDEFINED})
        row["entityType"] = kind
        key = (row["name"],) if kind in ("tables", "views") else (row["table"], row["name"])
        self.rows[kind].setdefault(key, row)

    def has_column(self, table: str, name: str) -> bool:
        return (table, name) in self.rows["columns"]

    def entities(self) -> list[dict[str, Any]]:
        return [r for kind in _DEFS for r in self.rows[kind].values()]


_UNDEFINED: Any = object()
"""A JavaScript `undefined`: the key keeps the store's null."""


def _obj(value: Any) -> dict[str, Any]:
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def _trim(text: str, char: str) -> str:
    """drizzle-kit's `trimChar`: one `char` off both ends when it is on both."""
    if len(text) < 2:
        return text
    return text[1:-1] if text.startswith(char) and text.endswith(char) else text


def _js_string(value: Any) -> str:
    """JavaScript's `String(value)` for a JSON value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _default(column: dict[str, Any]) -> str | None:
    if "default" not in column:  # `typeof column.default === "undefined"`
        return None
    raw = column["default"]
    value = "null" if raw is None else _js_string(raw)
    col_type = str(column.get("type"))
    if col_type.startswith("decimal"):
        value = "(" + _trim(value, "'") + ")"
    if col_type.startswith("binary"):
        trimmed = _trim(value, "'")
        if trimmed != value:
            value = "('" + trimmed.replace("\\", "\\\\").replace("'", "''") + "')"
    if col_type.startswith("varbinary"):
        trimmed = _trim(value, "'")
        if trimmed != value:
            value = f"(0x{trimmed.encode('utf-8').hex()})"
    return value


def _or(value: Any, fallback: Any) -> Any:
    """JavaScript's `value ?? fallback`."""
    return fallback if value is None else value


def _upper(value: Any) -> Any:
    """`value?.toUpperCase() ?? null`."""
    return None if value is None else str(value).upper()


def _index_columns(ddl: _DDL, table: str, columns: list[str]) -> list[dict[str, Any]]:
    return [{"value": c, "isExpression": not ddl.has_column(table, _trim(c, "`"))} for c in columns]


def to_v6(snap: dict[str, Any], source: str = "snapshot") -> dict[str, Any]:
    """The version 6 form of a version 5 MySQL snapshot (`source` names it in errors)."""
    if str(snap.get("version")) != "5":
        raise MigrationError(f"{source}: expected a version 5 MySQL snapshot, got version {snap.get('version')!r}")
    ddl = _DDL()
    tables = [_obj(t) for t in _obj(snap.get("tables")).values()]
    for table in tables:
        name = table["name"]
        ddl.push("tables", name=name)
        for col in (_obj(c) for c in _obj(table.get("columns")).values()):
            ddl.push("columns", table=name, name=col["name"], type=col["type"],
                     notNull=col.get("notNull", _UNDEFINED), default=_default(col),
                     autoIncrement=_or(col.get("autoincrement"), False), onUpdateNow=_or(col.get("onUpdate"), False),
                     generated=col.get("generated", _UNDEFINED), charSet=None, collation=None, onUpdateNowFsp=None)
    for table in tables:
        name = table["name"]
        for idx in (_obj(i) for i in _obj(table.get("indexes")).values()):
            ddl.push("indexes", table=name, name=idx["name"], columns=_index_columns(ddl, name, idx["columns"]),
                     algorithm=idx.get("algorithm"), isUnique=idx["isUnique"], lock=idx.get("lock"),
                     using=idx.get("using"), nameExplicit=True)
        for uq in (_obj(u) for u in _obj(table.get("uniqueConstraints")).values()):
            joined = "_".join(uq["columns"])
            implicit = uq["name"] in (f"{name}_{joined}_unique", f"{name}_{joined}")
            ddl.push("indexes", table=name, name=uq["name"], columns=_index_columns(ddl, name, uq["columns"]),
                     algorithm=None, isUnique=True, lock=None, using=None, nameExplicit=not implicit)
        for fk in (_obj(f) for f in _obj(table.get("foreignKeys")).values()):
            implicit = fk["name"] == (f"{fk['tableFrom']}_{'_'.join(fk['columnsFrom'])}_{fk['tableTo']}_"
                                      f"{'_'.join(fk['columnsTo'])}_fk")
            ddl.push("fks", table=name, name=fk["name"], columns=fk["columnsFrom"], columnsTo=fk["columnsTo"],
                     tableTo=fk["tableTo"], onUpdate=_upper(fk.get("onUpdate")), onDelete=_upper(fk.get("onDelete")),
                     nameExplicit=not implicit)
        checks = table.get("checkConstraint")
        if isinstance(checks, dict):  # drizzle-kit nests the composite primary keys under this test
            for ck in (_obj(c) for c in cast("dict[str, Any]", checks).values()):
                ddl.push("checks", table=name, name=ck["name"], value=ck["value"])
            for pk in (_obj(p) for p in _obj(table.get("compositePrimaryKeys")).values()):
                ddl.push("pks", table=name, name="PRIMARY", columns=pk["columns"])
    for view in (_obj(v) for v in _obj(snap.get("views")).values()):
        ddl.push("views", name=view["name"], algorithm=view.get("algorithm"), sqlSecurity=view.get("sqlSecurity"),
                 withCheckOption=view.get("withCheckOption"), definition=view.get("definition", _UNDEFINED))
    return {"version": "6", "id": snap.get("id"), "prevIds": [snap.get("prevId")], "dialect": "mysql",
            "ddl": ddl.entities(), "renames": []}


def upgrade(snap: dict[str, Any], source: str = "snapshot") -> dict[str, Any] | None:
    """`up`'s in-place upgrade: version 5 -> 6; None for a current (version 6) snapshot."""
    version = str(snap.get("version"))
    if version == "6" and "ddl" in snap:
        return None
    if version == "5":
        return to_v6(snap, source)
    raise MigrationError(f"{source}: MySQL snapshot version {version!r} cannot be upgraded by mizzle (it reads "
                         "version 5 and 6); run `drizzle-kit up` on this folder")


__all__ = ["to_v6", "upgrade"]
