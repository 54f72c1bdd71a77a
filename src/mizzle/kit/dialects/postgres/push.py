"""`push` for PostgreSQL: the generic push planner and data checks, with PostgreSQL's convertor, type checks and runner.

Findings are counted from the actual rows before anything runs: rows of dropped tables, non-null values of
dropped columns, NULLs for a new NOT NULL, duplicates for a new UNIQUE/primary key, orphans for a new
foreign key, values a type change cannot cast (checked with the same cast the migration uses), and rows
holding enum values that are removed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from mizzle.kit import statements as st
from mizzle.kit.dialects.postgres.convert import needs_using, parse_type, q
from mizzle.kit.dialects.postgres.snapshot import PgSnapshot
from mizzle.kit.push import Checker
from mizzle.sql.chunks import SQL

_CASTABLE_CHECK = """
CREATE OR REPLACE FUNCTION pg_temp.mizzle_castable(v text, t text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('SELECT %L::%s', v, t);
  RETURN true;
EXCEPTION WHEN others THEN
  RETURN false;
END $$"""


class PgChecker(Checker):
    """The generic checks, with PostgreSQL's row identity (`ctid`) and cast checks for type changes."""

    row_id: ClassVar[tuple[str, str] | None] = ("ctid", "ctid::text")

    def type_violation(self, s: st.AlterColumn) -> tuple[str, str] | None:
        """A cast that may fail (USING, enums, narrowing): values the same cast as the migration's rejects."""
        cur: PgSnapshot = self.d.cur
        col = cur.tables[s.table].columns[s.column]
        old_col = self.d.patched_prev[s.table].columns[s.column]
        risky = needs_using(str(s.old), str(s.new)) or col.is_enum or old_col.is_enum
        if not risky and not _narrows(str(s.old), str(s.new)):
            return None
        target = parse_type(q(col.type_schema) + "." if col.type_schema else "", col.type)
        target = target.replace("'", "''").replace("{", "{{").replace("}", "}}")
        self.db.execute(_CASTABLE_CHECK)
        return f"{{c}} IS NOT NULL AND NOT pg_temp.mizzle_castable({{c}}::text, '{target}')", f"not {s.new} values"

    def enums(self) -> None:
        """Rows holding enum values that the new schema removes."""
        prev: PgSnapshot = self.d.prev
        cur: PgSnapshot = self.d.cur
        for key, e in cur.enums.items():
            old = prev.enums.get(key)
            if old is None:
                continue
            removed = [v for v in old.values if v not in e.values]
            if not removed:
                continue
            for t in prev.tables.values():
                for c in t.columns.values():
                    if c.type_schema != e.schema or c.type.split("[", 1)[0] != e.name or "[" in c.type:
                        continue
                    rows = self.db.execute(SQL("SELECT {}::text, count(*) FROM {} WHERE {}::text = ANY({}) GROUP BY 1",
                                               SQL.identifier(c.name), SQL.identifier(t.name),
                                               SQL.identifier(c.name), removed))
                    n = sum(int(r[1]) for r in rows)
                    if n:
                        self.add("conflict", t.name, c.name,
                                 f"removes value(s) {', '.join(repr(r[0]) for r in rows)} from enum {key} but "
                                 f"{n:,} row{'' if n == 1 else 's'} of {t.name}.{c.name} hold them", n,
                                 hint="update those rows to a remaining value first (or declare a value rename)")

    def run(self) -> list[Any]:
        """All findings."""
        Checker.run(self)
        self.enums()
        return self.findings


def _narrows(old: str, new: str) -> bool:
    """varchar(n) -> varchar(m < n), numeric precision down, integer sizes down: values may not fit."""
    import re

    def size(t: str) -> tuple[str, int] | None:
        m = re.match(r"^(varchar|char)\((\d+)\)$", t)
        if m:
            return m.group(1), int(m.group(2))
        m = re.match(r"^numeric\((\d+)(?:, (\d+))?\)$", t)
        if m:
            return "numeric", int(m.group(1)) - int(m.group(2) or 0)
        order = {"smallint": 2, "integer": 4, "bigint": 8}
        return ("int", order[t]) if t in order else None

    a, b = size(old), size(new)
    if b is None:
        return False
    if a is None:
        return True
    return (a[0] == b[0] and b[1] < a[1]) or a[0] != b[0]


__all__ = ["PgChecker"]
