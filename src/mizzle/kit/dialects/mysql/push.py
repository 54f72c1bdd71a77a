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
from mizzle.kit.push import Checker
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
    """The generic checks plus MySQL type-change checks; samples are keyed by the primary key (or first column)."""

    def type_violation(self, s: st.AlterColumn) -> tuple[str, str] | None:
        """Strings longer than a narrowed char/varchar, integers out of range, numbers too wide for a decimal."""
        new = str(s.new).lower()
        length = re.match(r"^(?:var)?char\((\d+)\)$", new)
        rng = _int_range(new)
        dec = re.match(r"^decimal\((\d+),(\d+)\)", new)
        if length is not None:
            return (f"{{c}} is not null and char_length({{c}}) > {int(length.group(1))}",
                    f"longer than {length.group(1)} characters")
        if rng is not None:
            lo, hi = rng
            return (f"{{c}} is not null and (cast({{c}} as char) not regexp '^-?[0-9]+(\\\\.0+)?$' "
                    f"or cast({{c}} as decimal(65,0)) < {lo} or cast({{c}} as decimal(65,0)) > {hi})",
                    f"not integer-valued within {new}'s range {lo}..{hi}")
        if dec is not None:
            p, sc = int(dec.group(1)), int(dec.group(2))
            return (f"{{c}} is not null and (cast({{c}} as char) not regexp '^-?[0-9]*(\\\\.[0-9]*)?$' "
                    f"or abs(cast({{c}} as decimal(65,30))) >= {10 ** (p - sc)})", f"not numeric within {new}")
        return None


__all__ = ["MySQLChecker", "comparable"]
