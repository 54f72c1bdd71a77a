"""PgSnapshot -> a Python schema module using `mizzle.postgres` (what `mizzle pull` writes for PostgreSQL).

Round-trips: the module's tables give back the same snapshot, so `pull` then `generate` reports no changes.
Relations are inferred from foreign keys by the generic generator (`kit.codegen`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, cast

from mizzle.kit.codegen import (
    CodegenOptions,
    _Gen,
    _sql_expr,
    class_name,
    constraints_block,
    lit,
    unquote_sql,
)
from mizzle.kit.dialects.postgres.from_schema import INT_MAX, INT_MIN
from mizzle.kit.dialects.postgres.snapshot import (
    Column,
    ForeignKey,
    Identity,
    PgSnapshot,
    Table,
    UniqueConstraint,
)

_SIMPLE: dict[str, tuple[str, str]] = {
    "serial": ("serial", "int"), "smallserial": ("smallserial", "int"), "bigserial": ("bigserial", "int"),
    "integer": ("integer", "int"), "smallint": ("smallint", "int"), "bigint": ("bigint", "int"),
    "boolean": ("boolean", "bool"), "text": ("text", "str"), "real": ("real", "float"),
    "double precision": ("double_precision", "float"), "json": ("json_", "Any"), "jsonb": ("jsonb", "Any"),
    "uuid": ("uuid", "UUID"), "date": ("date", "date"), "bytea": ("bytea", "bytes"), "interval": ("interval", "timedelta"),
}
_STD_TYPES = {"UUID": "from uuid import UUID", "date": "from datetime import date", "datetime": "from datetime import datetime",
              "time": "from datetime import time", "timedelta": "from datetime import timedelta",
              "Decimal": "from decimal import Decimal", "Any": "from typing import Any"}


@dataclass(slots=True)
class _PgGen(_Gen):
    enums: dict[str, str] = field(default_factory=dict[str, str])
    std: set[str] = field(default_factory=set[str])

    def prepare(self) -> None:
        _Gen.prepare(self)
        taken = set(self.classes.values())
        assert isinstance(self.snap, PgSnapshot)  # pyright: ignore[reportUnnecessaryIsInstance]
        for key, e in sorted(self.snap.enums.items()):
            base = re.sub(r"[^0-9A-Za-z_]+", "_", e.name).lower().strip("_") or "enum"
            var = base if base[0].isalpha() else "e_" + base
            name, i = f"{var}_enum", 2
            while name in taken:
                name, i = f"{var}_enum{i}", i + 1
            taken.add(name)
            self.enums[key] = name

    def _type(self, col: Column) -> tuple[str, str, int]:
        """(constructor call without modifiers, python type, array dims)."""
        type_ = col.type
        dims = type_.count("[]")
        base = type_.replace("[]", "")
        name = lit(col.name)
        if col.type_schema is not None:
            var = self.enums.get(f"{col.type_schema}.{base}")
            if var is not None:
                return f"{var}({name})", "str", dims
        if base in _SIMPLE:
            fn, py = _SIMPLE[base]
            self.imports.add(fn)
            return f"{fn}({name})", py, dims
        m = re.match(r"^(varchar|char)(?:\((\d+)\))?$", base)
        if m:
            self.imports.add(m.group(1))
            length = f", length={m.group(2)}" if m.group(2) else ""
            return f"{m.group(1)}({name}{length})", "str", dims
        m = re.match(r"^numeric(?:\((\d+)(?:, (\d+))?\))?$", base)
        if m:
            self.imports.add("numeric")
            args = (f", precision={m.group(1)}" if m.group(1) else "") + (f", scale={m.group(2)}" if m.group(2) else "")
            return f"numeric({name}{args})", "Decimal", dims
        m = re.match(r"^(timestamp|time)(?: \((\d+)\))?( with time zone)?$", base)
        if m:
            self.imports.add(m.group(1))
            args = (", with_timezone=True" if m.group(3) else "") + (f", precision={m.group(2)}" if m.group(2) else "")
            return f"{m.group(1)}({name}{args})", "datetime" if m.group(1) == "timestamp" else "time", dims
        self.imports.add("PgColumn")
        return f"PgColumn({lit(type_)}, name={lit(col.name)})", "Any", 0

    def pg_column(self, table: Table, col: Column, inline_fk: ForeignKey | None, unique: str | None) -> str:
        call, py, dims = self._type(col)
        parts = [call]
        if dims:
            parts.append(".array()" if dims == 1 else f".array({dims})")
            py = f"list[{py}]"
        if col.primary_key:
            parts.append(".primary_key()")
        elif col.not_null and col.identity is None and not col.type.endswith("serial"):
            parts.append(".not_null()")
        if unique is not None:
            parts.append(".unique()" if unique == f"{table.name}_{col.name}_unique" else f".unique({lit(unique)})")
        if col.identity is not None:
            parts.append(self._identity(table, col, col.identity))
        if col.default is not None:
            parts.append(self._pg_default(col, dims))
        if col.generated is not None:
            self.uses_sql = True
            parts.append(f".generated_always_as({_sql_expr(col.generated.as_)}, mode=\"stored\")")
        if inline_fk is not None:
            parts.append(self.references(inline_fk))
        self.std.add(py.removeprefix("list[").removesuffix("]"))
        nullable = not (col.not_null or col.primary_key)
        annotation = f"Column[{py} | None]" if nullable and py != "Any" else f"Column[{py}]"
        return f"{annotation} = {''.join(parts)}"

    def _identity(self, table: Table, col: Column, ident: Identity) -> str:
        fn = "generated_always_as_identity" if ident.type == "always" else "generated_by_default_as_identity"
        inc = int(ident.increment)
        min_d = "1" if inc > 0 else INT_MIN.get(col.type, INT_MIN["integer"])
        max_d = INT_MAX.get(col.type, INT_MAX["integer"]) if inc > 0 else "-1"
        start_d = ident.min_value if inc > 0 else ident.max_value
        opts: list[str] = []
        if ident.name != f"{table.name}_{col.name}_seq":
            opts.append(f"name={lit(ident.name)}")
        if inc != 1:
            opts.append(f"increment={inc}")
        if ident.min_value != min_d:
            opts.append(f"min_value={int(ident.min_value)}")
        if ident.max_value != max_d:
            opts.append(f"max_value={int(ident.max_value)}")
        if ident.start_with != start_d:
            opts.append(f"start={int(ident.start_with)}")
        if ident.cache != "1":
            opts.append(f"cache={int(ident.cache)}")
        if ident.cycle:
            opts.append("cycle=True")
        return f".{fn}({', '.join(opts)})"

    def _pg_default(self, col: Column, dims: int) -> str:
        d = col.default
        if isinstance(d, float) and not dims and col.type.startswith("numeric"):  # a numeric column holds Decimal
            return f".default(Decimal({lit(str(d))}))"
        if isinstance(d, bool | int | float):
            return f".default({lit(d)})"
        text = str(d)
        if text == "now()" and col.type.startswith(("timestamp", "date", "time")):
            return ".default_now()"
        if text == "gen_random_uuid()" and col.type == "uuid":
            return ".default_random()"
        for suffix in ("::jsonb", "::json"):
            if text.endswith(suffix) and col.type == suffix[2:] and not dims:
                inner = unquote_sql(text[: -len(suffix)])
                if inner is not None:
                    try:
                        value = json.loads(inner)
                    except ValueError:
                        break
                    if json.dumps(value, separators=(",", ":"), ensure_ascii=False) == inner:
                        return f".default({lit(value)})"
        literal = unquote_sql(text)
        base = col.type.replace("[]", "")
        if literal is not None and not dims and (col.type_schema is not None or base.startswith(("text", "varchar",
                                                                                                   "char"))):
            return f".default({lit(literal)})"
        self.uses_sql = True
        return f".default({_sql_expr(text)})"

    def view_table(self, key: str, entry: dict[str, Any]) -> Any:
        """A PostgreSQL table node holding the view's columns."""
        from mizzle.kit.snapshot import Reader

        r = Reader("pull")
        schema = str(entry.get("schema") or "public")
        return Table(name=str(entry.get("name", key)), schema="" if schema == "public" else schema, columns={
            k: Column.from_dict(c, f"views.{key}.columns.{k}", r) for k, c in entry.get("columns", {}).items()})

    def view_column(self, table: Any, col: Any) -> str:
        """A view column line (no keys, no uniques)."""
        return self.pg_column(table, col, None, None)

    def view(self, key: str, entry: dict[str, Any]) -> list[str]:
        """The view class, with its `with_` options (snake_case, as the core declares them), tablespace and
        access method where the database has them."""
        lines = _Gen.view(self, key, entry)
        given: dict[str, Any] = {}
        if entry.get("with"):
            given["with_"] = {re.sub(r"(?<!^)([A-Z])", r"_\1", k).lower(): v for k, v in entry["with"].items()}
        given.update({k: entry[k] for k in ("tablespace", "using") if entry.get(k)})
        if given:
            lines[0] = lines[0][:-2] + "".join(f", {k}={lit(v)}" for k, v in given.items()) + "):"
        return lines

    def pg_table(self, table: Table) -> list[str]:
        cls = self.classes[table.key]
        schema = f", schema={lit(table.schema)}" if table.schema else ""
        lines = [f"class {cls}(Table, name={lit(table.name)}{schema}):"]
        inline, extra_fks = self.split_fks(table)
        col_unique: dict[str, str] = {}
        table_uniques: list[UniqueConstraint] = []
        for u in table.unique_constraints.values():
            if len(u.columns) == 1 and not u.nulls_not_distinct and u.columns[0] not in col_unique:
                col_unique[u.columns[0]] = u.name
            else:
                if u.nulls_not_distinct:
                    self.notes.append(f"{table.name}: unique {u.name} is NULLS NOT DISTINCT, which mizzle cannot "
                                      "declare yet (written as a plain unique)")
                table_uniques.append(u)
        for col in table.columns.values():
            attr = self.attrs[table.key][col.name]
            lines.append(f"    {attr}: {self.pg_column(table, col, inline.get(col.name), col_unique.get(col.name))}")
        return lines + constraints_block(self.pg_constraints(table, table_uniques, extra_fks))

    def pg_constraints(self, table: Table, uniques: list[UniqueConstraint], fks: list[ForeignKey]) -> list[str]:
        out: list[str] = []

        out += [self.primary_key(table.key, table.name, pk) for pk in table.composite_primary_keys.values()]
        for ix in table.indexes.values():
            cols: list[str] = []
            for c in ix.columns:
                if not c.is_expression and c.expression in table.columns:
                    cols.append(self.ref(table.key, c.expression, ""))
                else:
                    self.uses_sql = True
                    cols.append(_sql_expr(c.expression))
                if not c.asc or c.nulls != "last" or c.opclass:
                    self.notes.append(f"{table.name}: index {ix.name}: DESC / NULLS FIRST / operator classes are "
                                      "not declarable in mizzle yet (left out)")
            out.append(self.index(ix, cols, ix.method if ix.method != "btree" else ""))
        out += [self.unique(table.key, table.name, u) for u in uniques]
        out += [self.foreign_key(table.key, table.name, fk) for fk in fks]
        return out + self.checks(table)

    def module(self) -> str:
        self.prepare()
        snap = cast(PgSnapshot, self.snap)
        body: list[str] = []
        if self.enums:
            self.imports.add("pg_enum")
            body.append("")
            for key, var in self.enums.items():
                e = snap.enums[key]
                schema = f", schema={lit(e.schema)}" if e.schema != "public" else ""
                body.append(f"{var} = pg_enum({lit(e.name)}, {lit(list(e.values))}{schema})")
        for table in snap.tables.values():
            body.append("")
            body.append("")
            body.extend(self.pg_table(table))
        for key, entry in snap.views.items():
            body.append("")
            body.append("")
            body.extend(self.view(key, entry))
        rel = self.relations() if self.opts.relations else []
        head = self.head("postgres", sorted(_STD_TYPES[t] for t in self.std if t in _STD_TYPES))
        return "\n".join(head + body + rel) + "\n"


def generate_pg_module(snapshot: PgSnapshot, options: CodegenOptions | None = None) -> str:
    """Python source of a `mizzle.postgres` schema module that declares exactly `snapshot`'s tables and enums."""
    return _PgGen(cast(Any, snapshot), options or CodegenOptions()).module()


__all__ = ["class_name", "generate_pg_module"]
