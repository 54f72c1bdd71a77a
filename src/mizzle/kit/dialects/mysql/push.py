"""`push` for MySQL/MariaDB: introspect, diff against the schema, check the existing rows, apply statement by statement.

The generic data checks (`mizzle.kit.push`) run unchanged (rows of dropped tables, non-null values
of dropped columns, NULLs for a new NOT NULL, duplicates for a new UNIQUE or primary key, orphans for
a new foreign key, rows failing a new CHECK); a type change is checked the MySQL way: values longer
than a narrowed `varchar(n)`/`char(n)`, outside a narrowed integer's range or not integers, too wide
for a `decimal(p,s)`. MySQL cannot roll DDL back, so nothing is applied while any conflict remains.
"""

from __future__ import annotations

import copy
import re

from mizzle.kit import statements as st
from mizzle.kit.dialects.mysql.snapshot import MySQLSnapshot, UniqueConstraint
from mizzle.kit.push import SAMPLES, Checker
from mizzle.sql.identifiers import quote_identifier

_INT_RANGES = {
    "tinyint": (-(2**7), 2**7 - 1), "smallint": (-(2**15), 2**15 - 1), "mediumint": (-(2**23), 2**23 - 1),
    "int": (-(2**31), 2**31 - 1), "bigint": (-(2**63), 2**63 - 1), "serial": (0, 2**64 - 1),
}


def comparable(target: MySQLSnapshot) -> MySQLSnapshot:
    """`target` as introspection sees it: unique indexes as unique constraints, checks without `` `table`. ``."""
    out = copy.deepcopy(target)
    for name, table in out.tables.items():
        for iname, ix in list(table.indexes.items()):
            if ix.is_unique:
                table.unique_constraints[iname] = UniqueConstraint(iname, list(ix.columns))
                del table.indexes[iname]
        for chk in table.check_constraints.values():
            chk.value = chk.value.replace(quote_identifier(name, "`") + ".", "")
    return out


def _int_range(sql_type: str) -> tuple[int, int] | None:
    base = sql_type.split("(")[0].split(" ")[0]
    if base not in _INT_RANGES:
        return None
    lo, hi = _INT_RANGES[base]
    if "unsigned" in sql_type:
        lo, hi = 0, hi * 2 + 1
    return lo, hi


class MySQLChecker(Checker):
    """The generic checks plus MySQL type-change checks; samples are keyed by the primary key."""

    def key_of(self, table: str) -> list[str]:
        """The primary key (or the first column) of the live table."""
        live = getattr(self.d.prev, "tables", {}).get(self.src(table))
        if live is None:
            return []
        return list(live.primary_key) or list(live.columns)[:1]

    def alter(self, s: st.AlterColumn) -> None:
        """NOT NULL / primary key checks as usual; a type change checks that every value fits the new type."""
        if s.what != "set_type":
            Checker.alter(self, s)
            return
        if s.column in self.added_cols.get(s.table, {}):
            return
        new = str(s.new).lower()
        pred: str | None = None
        why = ""
        length = re.match(r"^(?:var)?char\((\d+)\)$", new)
        rng = _int_range(new)
        dec = re.match(r"^decimal\((\d+),(\d+)\)", new)
        if length is not None:
            pred = f"char_length({{c}}) > {int(length.group(1))}"
            why = f"longer than {length.group(1)} characters"
        elif rng is not None:
            lo, hi = rng
            pred = (f"(cast({{c}} as char) not regexp '^-?[0-9]+(\\\\.0+)?$' "
                    f"or cast({{c}} as decimal(65,0)) < {lo} or cast({{c}} as decimal(65,0)) > {hi})")
            why = f"not integers in {new}'s range {lo}..{hi}"
        elif dec is not None:
            p, sc = int(dec.group(1)), int(dec.group(2))
            pred = (f"(cast({{c}} as char) not regexp '^-?[0-9]*(\\\\.[0-9]*)?$' "
                    f"or abs(cast({{c}} as decimal(65,30))) >= {10 ** (p - sc)})")
            why = f"not numbers that fit {new}"
        if pred is None:
            return
        where = f"{{c}} is not null and {pred}"
        c = self.col(s.table, s.column)
        n = int(self.q("select count(*) from {t} where " + where, t=self.src(s.table), c=c)[0][0])
        if n:
            values = self.q("select {c} from {t} where " + where + f" limit {SAMPLES}", t=self.src(s.table), c=c)
            keys = self.samples(s.table, where, c=c)
            samples = [f"{k} ({s.column}={v[0]!r})" for k, v in zip(keys, values, strict=False)]
            self.add("conflict", s.table, s.column,
                     f"changes {s.table}.{s.column} from {s.old} to {s.new} but {n:,} values are {why}", n, samples,
                     hint="convert or clean those values first (mizzle never truncates or coerces data)")


__all__ = ["MySQLChecker", "comparable"]
