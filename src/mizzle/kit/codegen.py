"""Snapshot -> a Python schema module using `mizzle.sqlite` (what `mizzle pull` writes)."""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from mizzle.errors import MigrationError
from mizzle.kit.dialects.sqlite.convert import affinity
from mizzle.kit.dialects.sqlite.snapshot import Column, ForeignKey, Index, SQLiteSnapshot, Table
from mizzle.kit.snapshot import Snapshot

_STANDARD = {"integer": "integer", "text": "text", "real": "real", "blob": "blob", "numeric": "numeric"}
_RESERVED = {"metadata", "query", "mro"}
_STD_NAMES = {"Any", "Literal", "date", "datetime", "time", "timedelta", "Decimal", "UUID", "sql", "relations"}
_shadowed: set[str] = set()


def shadowed_names() -> set[str]:
    """Names a generated module imports (column helpers of every dialect, std types): never used as attributes.

    A class attribute named like an imported function (`text`, `index`, `date`) would shadow it for the
    rest of the class body, where the next column or `__constraints__` calls it.
    """
    if not _shadowed:
        import mizzle.mysql
        import mizzle.postgres
        import mizzle.sqlite

        for module in (mizzle.sqlite, mizzle.postgres, mizzle.mysql):
            _shadowed.update(n for n in dir(module) if not n.startswith("_"))
        _shadowed.update(_STD_NAMES)
    return _shadowed


@dataclass(slots=True)
class CodegenOptions:
    """What `pull` knows beyond the snapshot: column modes inferred from data, table options, header."""

    modes: dict[tuple[str, str], str] = field(default_factory=dict[tuple[str, str], str])
    """(table, column) -> mode ("boolean", "timestamp", "timestamp_ms", "json")"""
    table_options: dict[str, dict[str, bool]] = field(default_factory=dict[str, dict[str, bool]])
    """table -> class keywords such as {"strict": True}"""
    header: str = "Schema pulled from the database by `mizzle pull`."
    relations: bool = True


def lit(value: Any) -> str:
    """A Python literal for generated code, in one quote style: double quotes (single only to avoid escapes)."""
    if isinstance(value, str):
        r = repr(value)
        if r[0] == '"' or ('"' in value and "'" not in value):
            return r
        return '"' + r[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(lit(v) for v in value) + "]"  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, tuple):
        items = [lit(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{lit(k)}: {lit(v)}" for k, v in value.items()) + "}"  # pyright: ignore[reportUnknownVariableType]
    return repr(value)


def class_name(table: str, taken: set[str]) -> str:
    """`user_settings` -> `UserSettings` (made unique among `taken`)."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", table) if p]
    base = "".join(p[:1].upper() + p[1:] for p in parts) or "Table"
    if base[0].isdigit():
        base = "T" + base
    name, i = base, 2
    while name in taken or keyword.iskeyword(name) or name in shadowed_names():
        name, i = f"{base}{i}", i + 1
    taken.add(name)
    return name


def attr_name(column: str, taken: set[str]) -> str:
    """A Python attribute for a column name (snake_case, valid identifier, unique in the class)."""
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", column)
    s = re.sub(r"[^0-9A-Za-z_]+", "_", s).strip("_").lower() or "col"
    if s[0].isdigit():
        s = "c_" + s
    if keyword.iskeyword(s) or s.startswith("__") or s in _RESERVED or s in shadowed_names():
        s += "_"
    name, i = s, 2
    while name in taken:
        name, i = f"{s}_{i}", i + 1
    taken.add(name)
    return name


def unquote_sql(value: str) -> str | None:
    """`'it''s'` -> `it's`; None if `value` is not one SQL string literal."""
    if len(value) >= 2 and value[0] == "'" and value[-1] == "'":
        body = value[1:-1]
        if "'" not in body.replace("''", ""):
            return body.replace("''", "'")
    return None


def _sql_expr(text: str) -> str:
    if "{" in text or "}" in text:
        return f"sql.raw({lit(text)})"
    return f"sql({lit(text)})"


@dataclass(slots=True)
class _Gen:
    snap: SQLiteSnapshot
    opts: CodegenOptions
    classes: dict[str, str] = field(default_factory=dict[str, str])
    attrs: dict[str, dict[str, str]] = field(default_factory=dict[str, dict[str, str]])
    imports: set[str] = field(default_factory=set[str])
    uses_sql: bool = False
    notes: list[str] = field(default_factory=list[str])

    def prepare(self) -> None:
        taken: set[str] = set()
        for name, table in self.snap.tables.items():
            self.classes[name] = class_name(name, taken)
            cols: set[str] = set()
            self.attrs[name] = {c: attr_name(c, cols) for c in table.columns}
        for name, view in self.snap.views.items():
            if name not in self.classes:
                self.classes[name] = class_name(str(view.get("name", name)), taken)
                vcols: set[str] = set()
                self.attrs[name] = {c: attr_name(c, vcols) for c in view.get("columns", {})}

    def view_table(self, key: str, entry: dict[str, Any]) -> Any:
        """The table node holding a view's columns (for the column writer)."""
        from mizzle.kit.snapshot import Reader

        r = Reader("pull")
        return Table(name=str(entry.get("name", key)), columns={
            k: Column.from_dict(c, f"views.{key}.columns.{k}", r) for k, c in entry.get("columns", {}).items()})

    def view_column(self, table: Any, col: Any) -> str:
        """One column line of a view class."""
        return self.column(table, col, None, False)

    def view(self, key: str, entry: dict[str, Any]) -> list[str]:
        """A view class: its columns as the database reports them, its definition as raw SQL."""
        table = self.view_table(key, entry)
        cls = self.classes[key]
        kw = f", schema={lit(entry['schema'])}" if entry.get("schema") not in (None, "", "public") else ""
        kw += ", existing=True" if entry.get("isExisting") else f", view={lit(entry.get('definition', ''))}"
        if entry.get("materialized"):
            kw += ", materialized=True"
        lines = [f"class {cls}(Table, name={lit(table.name)}{kw}):"]
        for col in table.columns.values():
            lines.append(f"    {self.attrs[key][col.name]}: {self.view_column(table, col)}")
        if not table.columns:
            lines.append("    pass")
        return lines

    def ref(self, table: str, column: str, self_name: str | None = None) -> str:
        """`Class.attr`, `self_name.attr`, or the bare attribute (`self_name=""`: inside the class body)."""
        attr = self.attrs[table][column]
        if self_name == "":
            return attr
        return f"{self_name}.{attr}" if self_name else f"{self.classes[table]}.{attr}"

    def split_fks(self, table: Any, *, note: bool = True) -> tuple[dict[str, Any], list[Any]]:
        """(the first single-column foreign key of each column, declared inline; the others), keys to tables
        outside the pulled schema left out (with a note)."""
        inline: dict[str, Any] = {}
        extra: list[Any] = []
        for fk in table.foreign_keys.values():
            if fk.table_to not in self.snap.tables or any(
                c not in self.snap.tables[fk.table_to].columns for c in fk.columns_to
            ):
                if note:
                    self.notes.append(f"{table.name}: foreign key {fk.name} -> {fk.table_to} skipped "
                                      "(the referenced table is not in the pulled schema)")
                continue
            if len(fk.columns_from) == 1 and fk.columns_from[0] not in inline:
                inline[fk.columns_from[0]] = fk
            else:
                extra.append(fk)
        return inline, extra

    def references(self, fk: Any) -> str:
        """`.references(lambda: Parent.id[, on_delete=...][, name=...])` of an inline foreign key."""
        args = [f"lambda: {self.ref(fk.table_to, fk.columns_to[0])}"]
        for key, value in (("on_delete", fk.on_delete), ("on_update", fk.on_update)):
            if value and value != "no action":
                args.append(f"{key}={lit(value)}")
        if fk.name != _fk_default_name(fk):
            args.append(f"name={lit(fk.name)}")
        return f".references({', '.join(args)})"

    def foreign_key(self, key: str, table_name: str, fk: Any, self_ref: bool = True) -> str:
        """`foreign_key([...], lambda: [...])...` (a key to its own table, with `self_ref`, lists columns directly)."""
        self.imports.add("foreign_key")
        src = ", ".join(self.ref(key, c, "") for c in fk.columns_from)
        if self_ref and fk.table_to == table_name:
            target = f"[{', '.join(self.ref(key, c, '') for c in fk.columns_to)}]"
        else:
            target = f"lambda: [{', '.join(self.ref(fk.table_to, c) for c in fk.columns_to)}]"
        name = f", name={lit(fk.name)}" if fk.name != _fk_default_name(fk) else ""
        text = f"foreign_key([{src}], {target}{name})"
        for method, value in (("on_delete", fk.on_delete), ("on_update", fk.on_update)):
            if value and value != "no action":
                text += f".{method}({lit(value)})"
        return text

    def primary_key(self, key: str, table_name: str, pk: Any) -> str:
        """`primary_key(a, b[, name=...])` (the name only when it is not drizzle's default)."""
        self.imports.add("primary_key")
        default = f"{table_name}_{'_'.join(pk.columns)}_pk"
        name = f", name={lit(pk.name)}" if pk.name and pk.name != default else ""
        return f"primary_key({', '.join(self.ref(key, c, '') for c in pk.columns)}{name})"

    def unique(self, key: str, table_name: str, u: Any) -> str:
        """`unique([name]).on(a, b)` (the name only when it is not drizzle's default)."""
        self.imports.add("unique")
        name = lit(u.name) if u.name != f"{table_name}_{'_'.join(u.columns)}_unique" else ""
        return f"unique({name}).on({', '.join(self.ref(key, c, '') for c in u.columns)})"

    def index(self, ix: Any, cols: list[str], using: str = "") -> str:
        """`[unique_]index(name)[.using(...)].on(...)[.where(sql(...))]`."""
        fn = "unique_index" if ix.is_unique else "index"
        self.imports.add(fn)
        text = f"{fn}({lit(ix.name)})" + (f".using({lit(using)})" if using else "") + f".on({', '.join(cols)})"
        if ix.where is not None:
            self.uses_sql = True
            text += f".where({_sql_expr(ix.where)})"
        return text

    def head(self, package: str, std: list[str], markers: Collection[str] = ()) -> list[str]:
        """The module docstring and imports (`std`: standard-library imports; `markers`: `imports` that are not
        helpers of `package`), notes last."""
        head = [f'"""{self.opts.header}"""', "", "from __future__ import annotations", ""]
        if std:
            head += [*std, ""]
        if self.uses_sql:
            head.append("from mizzle import sql")
        names = sorted(self.imports.difference(markers, {"relations"}) | {"Column", "Table"},
                       key=lambda n: (not n[0].isupper(), n))
        ours = [f"from mizzle.{package} import {', '.join(names)}"]
        if "relations" in self.imports:
            ours.append("from mizzle.relations import relations")
        head += sorted(ours)
        if self.notes:
            head += ["", *(f"# note: {n}" for n in self.notes)]
        return head

    def checks(self, table: Any) -> list[str]:
        """`check(name, sql(...))` of each check constraint."""
        if table.check_constraints:
            self.imports.add("check")
            self.uses_sql = True
        return [f"check({lit(c.name)}, {_sql_expr(c.value)})" for c in table.check_constraints.values()]

    # ---- columns ------------------------------------------------------------------

    def column(self, table: Table, col: Column, inline_fk: ForeignKey | None, unique: bool) -> str:
        mode = self.opts.modes.get((table.name, col.name))
        default = col.default
        if mode is None and isinstance(default, bool) and col.type == "integer":
            mode = "boolean"
        std = _STANDARD.get(col.type)
        json_value: Any = None
        if mode == "json" and default is not None:
            inner = unquote_sql(default) if isinstance(default, str) else None
            try:
                json_value = json.loads(inner) if inner is not None else None
            except ValueError:
                inner = None
            if inner is None:
                mode = None
        if mode in ("timestamp", "timestamp_ms") and isinstance(default, int | float):
            mode = None
        if std is None:
            fn = f"Column({lit(col.type)}, name={lit(col.name)})"
            py = {"integer": "int", "text": "str", "real": "float", "blob": "bytes"}.get(affinity(col.type), "Any")
            self.imports.add("Column")
            if py == "Any":
                self.imports.add("Any")
        else:
            fn, py = self._typed(std, col, mode, default)
        parts = [fn]
        if col.primary_key:
            parts.append(".primary_key(autoincrement=True)" if col.autoincrement else ".primary_key()")
        elif col.not_null:
            parts.append(".not_null()")
        if unique:
            parts.append(".unique()")
        if default is not None:
            parts.append(f".default({self._default(std, col, mode, default, json_value)})")
        if col.generated is not None:
            self.uses_sql = True
            expr = col.generated.as_
            if expr.startswith("(") and expr.endswith(")"):
                expr = expr[1:-1]
            parts.append(f".generated_always_as({_sql_expr(expr)}, mode={lit(col.generated.type)})")
        if inline_fk is not None:
            parts.append(self.references(inline_fk))
        nullable = not (col.not_null or col.primary_key)
        annotation = f"Column[{py} | None]" if nullable and py != "Any" else f"Column[{py}]"
        return f"{annotation} = {''.join(parts)}"

    def _typed(self, std: str, col: Column, mode: str | None, default: Any) -> tuple[str, str]:
        self.imports.add(std)
        name = lit(col.name)
        if std == "integer":
            if mode == "boolean":
                return f"integer({name}, mode=\"boolean\")", "bool"
            if mode in ("timestamp", "timestamp_ms"):
                self.imports.add("datetime")
                return f"integer({name}, mode={lit(mode)})", "datetime"
            return f"integer({name})", "int"
        if std == "text":
            if mode == "json":
                self.imports.add("Any")
                return f"text({name}, mode=\"json\")", "Any"
            return f"text({name})", "str"
        if std == "real":
            return f"real({name})", "float"
        if std == "blob" and mode == "json":
            self.imports.add("Any")
            return f"blob({name}, mode=\"json\")", "Any"
        if std == "numeric":
            if isinstance(default, int | float) and not isinstance(default, bool):
                return f"numeric({name}, mode=\"number\")", "float"
            return f"numeric({name})", "str"
        return f"blob({name})", "bytes"

    def _default(self, std: str | None, col: Column, mode: str | None, default: Any, json_value: Any) -> str:
        if mode == "json":
            return lit(json_value)
        if isinstance(default, bool):
            if mode == "boolean":
                return lit(default)
            self.uses_sql = True
            return _sql_expr(str(default).lower())
        if isinstance(default, int | float):
            if std in ("integer", "real", "numeric") and mode not in ("timestamp", "timestamp_ms"):
                return lit(default)
            self.uses_sql = True
            return _sql_expr(lit(default))
        text = str(default)
        literal = unquote_sql(text)
        if literal is not None and std == "text":
            return lit(literal)
        self.uses_sql = True
        return _sql_expr(text)

    # ---- tables -----------------------------------------------------------------------

    def table(self, table: Table) -> list[str]:
        cls = self.classes[table.name]
        kw = "".join(f", {k}={lit(v)}" for k, v in sorted(self.opts.table_options.get(table.name, {}).items()))
        lines = [f"class {cls}(Table, name={lit(table.name)}{kw}):"]
        inline, extra_fks = self.split_fks(table)
        unique_cols: set[str] = set()
        other_indexes: list[Index] = []
        for ix in table.indexes.values():
            if (ix.is_unique and len(ix.columns) == 1 and ix.where is None
                    and ix.name == f"{table.name}_{ix.columns[0]}_unique" and ix.columns[0] in table.columns
                    and ix.columns[0] not in unique_cols):
                unique_cols.add(ix.columns[0])
            else:
                other_indexes.append(ix)
        for col in table.columns.values():
            attr = self.attrs[table.name][col.name]
            lines.append(f"    {attr}: {self.column(table, col, inline.get(col.name), col.name in unique_cols)}")
        return lines + constraints_block(self.constraints(table, other_indexes, extra_fks))

    def constraints(self, table: Table, indexes: list[Index], fks: list[ForeignKey]) -> list[str]:
        out: list[str] = []

        out += [self.primary_key(table.name, table.name, pk) for pk in table.composite_primary_keys.values()]
        for ix in indexes:
            if any(c not in table.columns for c in ix.columns):
                self.uses_sql = True
            out.append(self.index(ix, [self.ref(table.name, c, "") if c in table.columns else _sql_expr(c)
                                       for c in ix.columns]))
        out += [self.unique(table.name, table.name, u) for u in table.unique_constraints.values()]
        out += [self.foreign_key(table.name, table.name, fk) for fk in fks]
        return out + self.checks(table)

    # ---- relations ---------------------------------------------------------------------

    def relations(self) -> list[str]:
        ones: dict[str, list[str]] = {}
        manys: dict[str, list[str]] = {}
        used: dict[str, set[str]] = {}
        fk_list = [
            (t, fk) for t in self.snap.tables.values() for fk in t.foreign_keys.values()
            if fk.table_to in self.snap.tables
            and all(c in self.snap.tables[fk.table_to].columns for c in fk.columns_to)
        ]
        pair_count: dict[tuple[str, str], int] = {}
        for t, fk in fk_list:
            pair_count[(t.name, fk.table_to)] = pair_count.get((t.name, fk.table_to), 0) + 1
        for t, fk in fk_list:
            child, parent = t.name, fk.table_to
            ambiguous = pair_count[(child, parent)] > 1 or child == parent
            rel = _relation_key(fk.columns_from, parent)
            one_key = _unique_key(rel, used.setdefault(child, set(self.attrs[child].values())))
            fields = ", ".join(self.ref(child, c) for c in fk.columns_from)
            refs = ", ".join(self.ref(parent, c) for c in fk.columns_to)
            rname = f", relation_name={lit(fk.name)}" if ambiguous else ""
            ones.setdefault(child, []).append(
                f"{lit(one_key)}: r.one({self.classes[parent]}, fields=[{fields}], references=[{refs}]{rname})"
            )
            many_base = child if not ambiguous else f"{child}_by_{'_'.join(fk.columns_from)}"
            many_key = _unique_key(many_base, used.setdefault(parent, set(self.attrs[parent].values())))
            manys.setdefault(parent, []).append(f"{lit(many_key)}: r.many({self.classes[child]}{rname})")
        if not ones:
            return []
        lines = [
            "",
            "",
            "# Relations inferred from foreign keys (for db.query...find_many(with_=...)).",
        ]
        self.imports.add("relations")
        for table in self.snap.tables:
            entries = ones.get(table, []) + manys.get(table, [])
            if not entries:
                continue
            lines.append(f"relations({self.classes[table]}, lambda r: {{")
            lines.extend(f"    {e}," for e in entries)
            lines.append("})")
        return lines

    # ---- module --------------------------------------------------------------------------

    def module(self) -> str:
        self.prepare()
        body: list[str] = []
        for table in self.snap.tables.values():
            body.append("")
            body.append("")
            body.extend(self.table(table))
        for name, entry in self.snap.views.items():
            body.append("")
            body.append("")
            body.extend(self.view(name, entry))
        rel = self.relations() if self.opts.relations else []
        std = [line for marker, line in (("datetime", "from datetime import datetime"), ("Any", "from typing import Any"))
               if marker in self.imports]
        head = self.head("sqlite", std, {"datetime", "Any"})
        return "\n".join(head + body + rel) + "\n"


def _fk_default_name(fk: Any) -> str:
    return f"{fk.table_from}_{'_'.join(fk.columns_from)}_{fk.table_to}_{'_'.join(fk.columns_to)}_fk"


def constraints_block(constraints: list[str]) -> list[str]:
    """A table class's `__constraints__ = (...)` lines (none without constraints)."""
    return ["", "    __constraints__ = (", *(f"        {c}," for c in constraints), "    )"] if constraints else []


def _relation_key(columns: list[str], parent: str) -> str:
    if len(columns) == 1:
        base = re.sub(r"_?(id|Id|ID)$", "", columns[0])
        if base and base != columns[0]:
            return attr_name(base, set())
    return attr_name(parent, set())


def _unique_key(base: str, used: set[str]) -> str:
    name, i = base, 2
    while name in used:
        name, i = f"{base}_{i}", i + 1
    used.add(name)
    return name


def generate_module(snapshot: Snapshot, options: CodegenOptions | None = None) -> str:
    """Python source of a schema module that declares exactly `snapshot`'s tables (its dialect's module)."""
    from mizzle.kit.dialects import kit_dialect

    return kit_dialect(snapshot.dialect).generate_module(snapshot, options)


def generate_sqlite_module(snapshot: Snapshot, options: CodegenOptions | None = None) -> str:
    """A `mizzle.sqlite` schema module declaring `snapshot`'s tables."""
    if not isinstance(snapshot, SQLiteSnapshot):
        raise MigrationError(f"pull: {type(snapshot).__name__} is no SQLite snapshot")
    return _Gen(snapshot, options or CodegenOptions()).module()


def infer_modes(execute: Any, snapshot: SQLiteSnapshot, sample: int = 200) -> dict[tuple[str, str], str]:
    """Guess column modes from data: epoch seconds/ms in integer `*_at` columns, JSON objects/arrays in text or blob."""
    from mizzle.sql.chunks import SQL

    modes: dict[tuple[str, str], str] = {}
    for table in snapshot.tables.values():
        for col in table.columns.values():
            if col.primary_key or col.type not in ("integer", "text", "blob"):
                continue
            if col.type == "integer" and not re.search(r"(_at|_on|At|_time|_date|timestamp)$", col.name):
                continue
            query = SQL("SELECT {} FROM {} WHERE {} IS NOT NULL LIMIT " + str(int(sample)),
                        SQL.identifier(col.name), SQL.identifier(table.name), SQL.identifier(col.name))
            values = [r[0] for r in execute(query)]
            if not values:
                continue
            mode = _mode_of(col.type, values)
            if mode is not None:
                modes[(table.name, col.name)] = mode
    return modes


def _mode_of(sql_type: str, values: list[Any]) -> str | None:
    if sql_type == "integer":
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            return None
        if all(10**12 <= v < 10**14 for v in values):
            return "timestamp_ms"
        if all(10**8 <= v < 10**10 for v in values):
            return "timestamp"
        return None
    if sql_type == "blob":  # blob(mode="json") stores the JSON text's bytes
        try:
            values = [bytes(v).decode("utf-8") if isinstance(v, bytes | bytearray) else v for v in values]
        except UnicodeDecodeError:
            return None
    if not all(isinstance(v, str) and v.lstrip()[:1] in ("[", "{") for v in values):
        return None
    try:
        for v in values:
            json.loads(v)
    except ValueError:
        return None
    return "json"


def pull(
    db: Any,
    *,
    include: Any = None,
    migrations_table: str = "__drizzle_migrations",
    infer: bool = True,
    relations: bool = True,
    header: str | None = None,
    known_views: dict[str, Any] | None = None,
) -> tuple[str, Snapshot]:
    """Introspect `db` and return (Python schema module source, the snapshot it declares).

    `known_views`: the views of the migrations folder's last snapshot (their definition text is kept where the
    database holds the same view)."""
    from mizzle.errors import MigrationError
    from mizzle.kit.dialects import kit_dialect_of

    kit = kit_dialect_of(db)
    views = [] if kit.pulls_views else [v for v in kit.view_names(db) if include is None or include(v)]
    if views:  # a pulled schema without them would lose them silently
        raise MigrationError(
            f"pull cannot write views yet, and this database has some: {', '.join(views)}; nothing was written. "
            "To pull the tables, exclude the views with `tables_filter` in the config (e.g. "
            f'tables_filter = ["!{views[0]}"]), then declare them by hand as view classes (docs/views.md)')
    return kit.pull(db, include=include, migrations_table=migrations_table, infer=infer, relations=relations,
                    header=header, known_views=known_views)


def pull_sqlite(snap: Snapshot, db: Any, *, infer: bool, relations: bool, header: str | None) -> tuple[str, Snapshot]:
    """The SQLite half of `pull`: modes guessed from the data, STRICT / WITHOUT ROWID kept."""
    from mizzle.kit.dialects.sqlite.introspect import table_options

    if not isinstance(snap, SQLiteSnapshot):
        raise MigrationError(f"pull: {type(snap).__name__} is no SQLite snapshot")
    opts = CodegenOptions(relations=relations)
    if header is not None:
        opts.header = header
    if infer:
        opts.modes = infer_modes(db.execute, snap)
    for name in snap.tables:
        words = table_options(db.execute, name)
        kw: dict[str, bool] = {}
        if "STRICT" in words:
            kw["strict"] = True
        if "WITHOUT" in words and "ROWID" in words:
            kw["without_rowid"] = True
        if kw:
            opts.table_options[name] = kw
    return generate_sqlite_module(snap, opts), snap


__all__ = ["CodegenOptions", "attr_name", "class_name", "generate_module", "infer_modes", "pull"]
