"""MySQL snapshot -> a Python schema module using `mizzle.mysql` (what `mizzle pull` writes for MySQL/MariaDB).

The module round-trips: its tables' snapshot equals the introspected one, so `pull` then `generate`
(or `push`) finds no change. Defaults that are not plain numbers, booleans or string literals are
kept as `sql.raw(...)` text, exactly as the server reported them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, cast

from mizzle.kit.codegen import CodegenOptions, _Gen, constraints_block, lit, unquote_sql
from mizzle.kit.dialects.mysql.snapshot import Column, ForeignKey, MySQLSnapshot, Table

_INTS = {"tinyint": "tinyint", "smallint": "smallint", "mediumint": "mediumint", "int": "int_", "bigint": "bigint"}
_PLAIN = {"boolean": ("boolean", "bool"), "text": ("text", "str"), "tinytext": ("tinytext", "str"),
          "mediumtext": ("mediumtext", "str"), "longtext": ("longtext", "str"), "json": ("json", "Any"),
          "date": ("date", "date"), "year": ("year", "int"), "serial": ("serial", "int"),
          "double": ("double", "float"), "float": ("float_", "float"), "real": ("real", "float"),
          "blob": ("blob", "bytes")}


@dataclass(slots=True)
class _MySQLGen(_Gen):
    std: set[str] = field(default_factory=set[str])

    def raw(self, text: str) -> str:
        self.uses_sql = True
        return f"sql.raw({lit(text)})"

    def typed(self, col: Column) -> tuple[str, str]:
        t = col.type.lower()
        n = lit(col.name)
        base = t.split("(")[0].split(" ")[0]
        unsigned = ", unsigned=True" if " unsigned" in t else ""
        if base in _INTS and t.replace(" unsigned", "") == base:
            self.imports.add(_INTS[base])
            return f"{_INTS[base]}({n}{unsigned})", "int"
        if t in _PLAIN:
            fn, py = _PLAIN[t]
            self.imports.add(fn)
            if py in ("Any", "date"):
                self.std.add(py)
            return f"{fn}({n})", py
        m = re.match(r"^(varchar|char|binary|varbinary)\((\d+)\)$", t)
        if m:
            self.imports.add(m.group(1))
            py = "bytes" if "binary" in m.group(1) else "str"
            return f"{m.group(1)}({n}, length={m.group(2)})", py
        m = re.match(r"^decimal\((\d+),(\d+)\)( unsigned)?$", t)
        if m:
            self.imports.add("decimal")
            self.std.add("Decimal")
            return f"decimal({n}, precision={m.group(1)}, scale={m.group(2)}{unsigned})", "Decimal"
        m = re.match(r"^(datetime|timestamp|time)(?:\((\d)\))?$", t)
        if m:
            self.imports.add(m.group(1))
            fsp = f", fsp={m.group(2)}" if m.group(2) else ""
            py = "time" if m.group(1) == "time" else "datetime"
            self.std.add(py)
            return f"{m.group(1)}({n}{fsp})", py
        m = re.match(r"^enum\((.*)\)$", col.type)
        if m:
            values = [v.replace("''", "'") for v in re.findall(r"'((?:[^']|'')*)'", m.group(1))]
            if ",".join("'" + v.replace("'", "''") + "'" for v in values) == m.group(1):
                self.imports.add("mysql_enum")
                self.std.add("Literal")
                return f"mysql_enum({lit(values)}, {n})", f"Literal[{', '.join(lit(v) for v in values)}]"
        self.std.add("Any")
        return f"Column({lit(col.type)}, name={n})", "Any"

    def default(self, col: Column, py: str) -> str:
        d = col.default
        if d is None:
            return ""
        if isinstance(d, bool):
            return f".default({lit(d)})" if py == "bool" else f".default({self.raw(str(d).lower())})"
        if isinstance(d, int | float):
            return f".default({lit(d)})" if py in ("int", "float") else f".default({self.raw(str(d))})"
        if re.fullmatch(r"\(now\((\d?)\)\)", d) and py == "datetime":
            return ".default_now()"
        text = unquote_sql(d)
        if text is not None and (py == "str" or py.startswith("Literal")):
            return f".default({lit(text)})"
        return f".default({self.raw(d)})"

    def my_column(self, table: Table, col: Column, fk: ForeignKey | None, unique: bool, pk: bool) -> str:
        fn, py = self.typed(col)
        parts = [fn]
        if pk:
            parts.append(".primary_key(autoincrement=True)" if col.autoincrement and col.type != "serial"
                         else ".primary_key()")
        else:
            if col.not_null and col.type != "serial":
                parts.append(".not_null()")
            if col.autoincrement and col.type != "serial":
                parts.append(".auto_increment()")
        if unique:
            parts.append(".unique()")
        parts.append(self.default(col, py))
        if col.on_update:
            parts.append(".on_update_now()")
        if col.generated is not None:
            parts.append(f".generated_always_as({self.raw(col.generated.as_)}, mode={lit(col.generated.type)})")
        if fk is not None:
            parts.append(self.references(fk))
        nullable = not (col.not_null or pk)
        annotation = f"Column[{py} | None]" if nullable and py != "Any" else f"Column[{py}]"
        return f"{annotation} = {''.join(parts)}"

    def my_table(self, table: Table) -> list[str]:
        name = table.name
        pks = list(table.composite_primary_keys.values())
        single_pk = pks[0].columns[0] if len(pks) == 1 and len(pks[0].columns) == 1 and \
            pks[0].name == f"{name}_{pks[0].columns[0]}" else None
        inline, extra_fks = self.split_fks(table, note=False)
        unique_cols = {u.columns[0] for u in table.unique_constraints.values()
                       if len(u.columns) == 1 and u.name == f"{name}_{u.columns[0]}_unique"}
        lines = [f"class {self.classes[name]}(Table, name={lit(name)}):"]
        for col in table.columns.values():
            lines.append(f"    {self.attrs[name][col.name]}: "
                         f"{self.my_column(table, col, inline.get(col.name), col.name in unique_cols, col.name == single_pk)}")
        cons: list[str] = []

        cons += [self.primary_key(name, name, pk) for pk in pks if single_pk is None]
        cons += [self.unique(name, name, u) for u in table.unique_constraints.values()
                 if not (len(u.columns) == 1 and u.columns[0] in unique_cols and u.name == f"{name}_{u.columns[0]}_unique")]
        cons += [self.index(ix, [self.ref(name, c, "") if c in table.columns else self.raw(c) for c in ix.columns])
                 for ix in table.indexes.values()]
        cons += [self.foreign_key(name, name, fk, self_ref=False) for fk in extra_fks]
        for chk in table.check_constraints.values():
            self.imports.add("check")
            cons.append(f"check({lit(chk.name)}, {self.raw(chk.value)})")
        return lines + constraints_block(cons)

    def view_table(self, key: str, entry: dict[str, Any]) -> Any:
        """A MySQL table node holding the view's columns."""
        from mizzle.kit.snapshot import Reader

        r = Reader("pull")
        return Table(name=str(entry.get("name", key)), columns={
            k: Column.from_dict(c, f"views.{key}.columns.{k}", r) for k, c in entry.get("columns", {}).items()})

    def view_column(self, table: Any, col: Any) -> str:
        """A view column line (no keys)."""
        return self.my_column(table, col, None, False, False)

    def view(self, key: str, entry: dict[str, Any]) -> list[str]:
        """The view class, with its algorithm, security and check option where they are not the defaults."""
        lines = _Gen.view(self, key, entry)
        options = {"algorithm": entry.get("algorithm") if entry.get("algorithm") not in (None, "undefined") else None,
                   "sql_security": entry.get("sqlSecurity") if entry.get("sqlSecurity") not in (None, "definer") else None,
                   "with_check_option": entry.get("withCheckOption")}
        given = {k: v for k, v in options.items() if v}
        if not given:
            return lines
        lines[0] = lines[0][:-2] + "".join(f", {k}={lit(v)}" for k, v in given.items()) + "):"
        return lines

    def module(self) -> str:
        self.prepare()
        body: list[str] = []
        for table in cast(MySQLSnapshot, self.snap).tables.values():
            body += ["", "", *self.my_table(table)]
        for key, entry in cast(MySQLSnapshot, self.snap).views.items():
            body += ["", "", *self.view(key, entry)]
        std: list[str] = []
        if self.std & {"date", "datetime", "time"}:
            std.append(f"from datetime import {', '.join(sorted(self.std & {'date', 'datetime', 'time'}))}")
        if "Decimal" in self.std:
            std.append("from decimal import Decimal")
        typing_names = sorted(self.std & {"Any", "Literal"})
        if typing_names:
            std.append(f"from typing import {', '.join(typing_names)}")
        head = self.head("mysql", std)
        return "\n".join(head + body) + "\n"


def generate_module(snapshot: MySQLSnapshot, options: CodegenOptions | None = None) -> str:
    """Python source of a `mizzle.mysql` schema module that declares exactly `snapshot`'s tables."""
    return _MySQLGen(cast(Any, snapshot), options or CodegenOptions()).module()


def pull_mysql(db: Any, *, include: Any = None, migrations_table: str = "__drizzle_migrations",
               header: str | None = None) -> tuple[str, MySQLSnapshot]:
    """Introspect `db` and return (Python schema module source, the snapshot it declares)."""
    from mizzle.kit.dialects.mysql.introspect import introspect_mysql

    snap = introspect_mysql(db.execute, include=include, migrations_table=migrations_table)
    return generate_module(snap, CodegenOptions() if header is None else CodegenOptions(header=header)), snap


__all__ = ["generate_module", "pull_mysql"]
