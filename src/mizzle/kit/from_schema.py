"""Table classes -> snapshot (as drizzle-kit's `generateSqliteSnapshot` writes it), and schema loading."""

from __future__ import annotations

import glob
import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from mizzle.errors import ConfigError, SchemaError
from mizzle.kit.dialects import kit_dialect_of_tables
from mizzle.kit.dialects.sqlite.snapshot import (
    CheckConstraint,
    Column,
    CompositePK,
    DefaultValue,
    ForeignKey,
    Generated,
    Index,
    SQLiteSnapshot,
    Table,
)
from mizzle.kit.snapshot import Snapshot, put_named
from mizzle.schema.column import MISSING
from mizzle.schema.column import Column as SchemaColumn
from mizzle.schema.constraints import Index as SchemaIndex
from mizzle.schema.table import ResolvedForeignKey, check_unique_names, is_table
from mizzle.schema.table import Table as SchemaTable
from mizzle.sql.chunks import SQL
from mizzle.sql.render import render


@dataclass(slots=True)
class RenameHints:
    """Rename hints declared in the schema: `renamed_from=` on tables and `.renamed_from()` on columns."""

    tables: dict[str, str] = field(default_factory=dict[str, str])
    """new table name -> old table name"""
    columns: dict[tuple[str, str], str] = field(default_factory=dict[tuple[str, str], str])
    """(table name, new column name) -> old column name"""


def snapshot_of(tables: Iterable[type[SchemaTable]], dialect: str | None = None) -> Snapshot:
    """The snapshot of a schema (ids left empty: the caller chains it)."""
    tables = list(tables)
    return kit_dialect_of_tables(tables, dialect).schema_snapshot(tables)


def rename_hints(tables: Iterable[type[SchemaTable]]) -> RenameHints:
    """The rename hints declared in the schema."""
    hints = RenameHints()
    for t in tables:
        meta = t.__table__
        key, old_key = kit_dialect_of_tables([t]).table_key(t)
        if old_key:
            hints.tables[key] = old_key
        for col in meta.columns.values():
            if col.renamed_from_:
                hints.columns[(key, col.name)] = col.renamed_from_
    return hints


def fk_fields(fk: ResolvedForeignKey, table: str) -> dict[str, Any]:
    """A schema foreign key's snapshot fields (actions default to drizzle's `no action`)."""
    return {"name": fk.name, "table_from": table, "table_to": fk.foreign_table.__table__.name,
            "columns_from": [c.name for c in fk.columns], "columns_to": [c.name for c in fk.foreign_columns],
            "on_delete": fk.on_delete or "no action", "on_update": fk.on_update or "no action"}


def default_name(table: str, columns: Iterable[str], suffix: str) -> str:
    """drizzle's name of an unnamed constraint: `<table>_<col>_..._<suffix>` (suffix `pk` or `unique`)."""
    return f"{table}_{'_'.join(columns)}_{suffix}"


def index_columns(ix: SchemaIndex, text: Callable[[SQL[Any]], str], internal: dict[str, Any]) -> list[str]:
    """An index's column names and expression texts, each expression noted in `internal` (drizzle's
    `internal.indexes`)."""
    cols: list[str] = []
    for c in ix.columns:
        cols.append(c.name if isinstance(c, SchemaColumn) else text(c))
        if not isinstance(c, SchemaColumn):
            internal.setdefault(ix.name, {"columns": {}})["columns"][cols[-1]] = {"isExpression": True}
    return cols


# ---- SQLite --------------------------------------------------------------------


def _sqlite_dialect() -> Any:
    from mizzle.dialects.sqlite.dialect import SQLiteDialect

    return SQLiteDialect.default()


def _sql_text(fragment: SQL[Any], *, qualify: bool) -> str:
    return render(fragment.inline(), _sqlite_dialect(), qualify=qualify).sql


def sqlite_default(col: SchemaColumn[Any]) -> DefaultValue | None:
    """A column's snapshot `default`, encoded exactly as drizzle-kit does (None: no SQL default)."""
    value = col.default_value
    if value is MISSING or value is None:
        return None
    if isinstance(value, SQL):
        frag: SQL[Any] = value  # pyright: ignore[reportUnknownVariableType]
        return _sql_text(frag, qualify=False)
    return _encode_default(value, col)


def _encode_default(value: Any, col: SchemaColumn[Any]) -> DefaultValue:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value  # JavaScript prints 1.0 as 1
    if isinstance(value, dict | list | tuple):
        from mizzle.schema.codecs import encode_json

        return "'" + encode_json(value) + "'"
    if isinstance(value, bytes):
        return "X'" + value.hex() + "'"
    if col.encoder is not None:
        encoded = col.encoder(value)
        if encoded is not value and encoded is not None:
            return _encode_default(encoded, col)
    raise SchemaError(f"column {col.qualified_name}: default {value!r} cannot be written into DDL; "
                      "use default_fn() or an sql(...) default")


def sqlite_table(table: type[SchemaTable]) -> tuple[Table, dict[str, Any]]:
    """One table's snapshot entry, plus its `internal.indexes` entries (expression columns)."""
    meta = table.__table__
    name = meta.name
    single_pk = meta.primary_key[0] if len(meta.primary_key) == 1 else None
    out = Table(name=name)
    internal: dict[str, Any] = {}
    for col in meta.columns.values():
        primary = col.primary or col is single_pk
        gen = None
        if col.generated is not None:
            expr, mode = col.generated
            gen = Generated(f"({_sql_text(expr, qualify=False)})", mode)
        out.columns[col.name] = Column(
            name=col.name,
            type=col.sql_type,
            primary_key=primary,
            not_null=col.not_null_ or primary,
            autoincrement=bool(col.autoincrement and primary),
            default=sqlite_default(col),
            generated=gen,
        )
    for col in meta.columns.values():
        if col.is_unique:
            _add_index(out, Index(col.unique_name or default_name(name, [col.name], "unique"), [col.name], True))
    for ix in meta.indexes:
        where = _sql_text(ix.where_, qualify=False) if ix.where_ is not None else None
        cols = index_columns(ix, lambda c: _sql_text(c, qualify=False), internal)
        _add_index(out, Index(ix.name, cols, ix.unique, where))
    for u in meta.uniques:
        u_cols = [c.name for c in u.columns]
        _add_index(out, Index(u.name or default_name(name, u_cols, "unique"), u_cols, True))
    for fk in meta.foreign_keys:
        out.foreign_keys[fk.name] = ForeignKey(**fk_fields(fk, name))
    if len(meta.primary_key) > 1:
        cols_ = [c.name for c in meta.primary_key]
        pk_name = meta.primary_key_name or default_name(name, cols_, "pk")
        out.composite_primary_keys[pk_name] = CompositePK(cols_, pk_name)
    for chk in meta.checks:
        put_named(out.check_constraints, chk.name, CheckConstraint(chk.name, _sql_text(chk.expr, qualify=True)), name, "checks")
    return out, internal


def _add_index(table: Table, ix: Index) -> None:
    if ix.name in table.indexes:
        raise SchemaError(f"table {table.name}: two indexes (or unique constraints) are named {ix.name!r}")
    table.indexes[ix.name] = ix


def sqlite_snapshot(tables: Iterable[type[SchemaTable]]) -> SQLiteSnapshot:
    """The SQLite snapshot of `tables` (sorted by name, as drizzle-kit writes them)."""
    tables = list(tables)
    check_unique_names(tables)
    snap = SQLiteSnapshot()
    internal: dict[str, Any] = {}
    index_owner: dict[str, str] = {}
    for t in sorted(tables, key=lambda t: t.__table__.name):
        entry, extra = sqlite_table(t)
        for iname in entry.indexes:
            if iname in index_owner:
                raise SchemaError(
                    f"index name {iname!r} is used by tables {index_owner[iname]} and {entry.name} "
                    "(SQLite index names are global)"
                )
            index_owner[iname] = entry.name
        snap.tables[entry.name] = entry
        internal.update(extra)
    snap.internal = {"indexes": internal}
    return snap


def view_order(view: type[SchemaTable]) -> str:
    """The order drizzle-kit writes views in: its schema module's exports sorted by name (a JavaScript module
    namespace lists its exports sorted), the class name being the Python counterpart of the export name."""
    return view.__name__


def sqlite_views(views: Iterable[type[SchemaTable]]) -> dict[str, Any]:
    """The snapshot's `views` (in `view_order`), as drizzle-kit's `generateSqliteSnapshot` writes them: a view
    defined by a builder select has the selected table columns (as those tables declare them), one defined
    by SQL (or `existing=True`) the columns its class declares."""
    from mizzle.kit.view_definition import select_definition, source_columns
    from mizzle.schema.view import view_definition, view_info

    out: dict[str, Any] = {}
    for v in sorted(views, key=view_order):
        info = view_info(v)
        assert info is not None
        name = v.__table__.name
        d: Any = info.definition
        columns: dict[str, Any] = {}
        definition: str | None = None
        if d is not None and not isinstance(d, SQL | str):
            for col_name, col in source_columns(d):
                if col.table is None:
                    continue
                columns[col_name] = sqlite_table(col.table)[0].columns[col.name].to_dict()
            definition = select_definition(d, _sqlite_dialect())
        else:
            columns = {k: c.to_dict() for k, c in sqlite_table(v)[0].columns.items()}
            definition = view_definition(v, _sqlite_dialect()) if d is not None else None
        entry: dict[str, Any] = {"columns": columns, "name": name, "isExisting": info.existing}
        if definition is not None:
            entry["definition"] = definition
        out[name] = entry
    return out


# ---- loading ----------------------------------------------------------------------


def _import_file(path: Path) -> ModuleType:
    package = _package_name(path)
    if package is not None:  # inside a package: import it as part of it, so relative imports work
        root, dotted = package
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        return importlib.import_module(dotted)
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    name = f"_mizzle_schema_{path.stem}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigError(f"schema file {path} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _package_name(path: Path) -> tuple[Path, str] | None:
    """(folder to put on sys.path, dotted module name) for a file inside a package (`__init__.py` beside it)."""
    parts = [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.name.isidentifier():
        parts.insert(0, folder.name)
        folder = folder.parent
    return (folder, ".".join(parts)) if len(parts) > 1 else None


def _modules(entry: str) -> list[ModuleType]:
    if entry.endswith(".py") or "/" in entry or "\\" in entry or any(c in entry for c in "*?["):
        files = sorted(Path(p).resolve() for p in glob.glob(entry, recursive=True) if p.endswith(".py"))
        if not files:
            raise ConfigError(f"schema {entry!r} matches no Python file")
        return [_import_file(f) for f in files]
    try:
        return [importlib.import_module(entry)]
    except ModuleNotFoundError as exc:
        raise ConfigError(f"schema module {entry!r} not found ({exc})") from None


def load_schema(sources: Iterable[str | Path | ModuleType | type[SchemaTable]]) -> list[type[SchemaTable]]:
    """The table classes in `sources` (modules, dotted names, file paths/globs, or table classes), deduplicated."""
    seen: dict[int, type[SchemaTable]] = {}
    for src in sources:
        if isinstance(src, type):
            if not is_table(src):
                raise SchemaError(f"{src.__qualname__} is not a table class")
            seen.setdefault(id(src), src)
            continue
        modules = [src] if isinstance(src, ModuleType) else _modules(str(src))
        for module in modules:
            for value in vars(module).values():
                if is_table(value) and value.__table__.cls is value and value.__table__.alias is None:
                    seen.setdefault(id(value), value)
    tables = list(seen.values())
    check_unique_names(tables)
    return tables


__all__ = ["RenameHints", "default_name", "fk_fields", "index_columns", "load_schema", "rename_hints", "snapshot_of", "sqlite_default", "sqlite_views", "view_order", "sqlite_snapshot"]
