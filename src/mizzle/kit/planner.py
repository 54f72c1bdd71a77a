"""Plan the SQL between two snapshots (the dialect's convertor), with what it loses and what fails on rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mizzle.errors import MigrationError
from mizzle.kit import statements as st
from mizzle.kit.dialects import kit_dialect, kit_dialect_for
from mizzle.kit.dialects.base import KitDialect
from mizzle.kit.diff import Diff, Resolver, diff
from mizzle.kit.snapshot import Snapshot


@dataclass(slots=True)
class Plan:
    """The SQL for going from one snapshot to another, with what it would lose."""

    statements: list[st.Statement]
    sql: list[str]
    diff: Diff | None
    lossy: list[str] = field(default_factory=list[str])
    """Human descriptions of data each statement drops ("drops column users.bio")."""
    problems: list[str] = field(default_factory=list[str])
    """Statements that will fail on a table with rows (NOT NULL column without default)."""


def convertor(dialect: str) -> Any:
    """The module turning `dialect`'s statements into SQL text (`combine`, `sql_statements`, `join_sql`)."""
    return kit_dialect(dialect).convertor()


def plan(prev: Snapshot, cur: Snapshot, resolver: Resolver | None = None, *, dialect: str | None = None) -> Plan:
    """Diff `prev` -> `cur` and render the dialect's SQL (statements in drizzle-kit's order).

    `dialect="turso"` renders libSQL's in-place column changes instead of SQLite table rebuilds.
    """
    d = diff(prev, cur, resolver)
    kit = kit_dialect_for(cur.dialect, dialect)
    combined, sql = kit.plan_sql(d, cur, resolver)
    return Plan(combined, sql, d, _lossy(combined), _problems(combined, kit))


def _lossy(statements: Sequence[st.Statement]) -> list[str]:
    out: list[str] = []
    for s in statements:
        if isinstance(s, st.DropTable):
            out.append(f"drops table {s.table}")
        elif isinstance(s, st.DropColumn):
            out.append(f"drops column {s.table}.{s.column}")
        elif isinstance(s, st.RecreateTable):
            out += [f"drops column {s.table}.{c}" for c in s.dropped_columns]
    return out


def _problems(statements: Sequence[st.Statement], kit: KitDialect) -> list[str]:
    """`table.column: reason` for each statement that fails on a table that has rows."""
    rule = kit.add_column_problem
    out: list[str] = []
    for s in statements:
        if isinstance(s, st.AddColumn):
            problem = rule(s.column)
            if problem is not None:
                out.append(f"{s.table}.{s.column.name}: {problem}")
        elif isinstance(s, st.RecreateTable):
            for col in s.definition.columns.values():
                if (col.name not in s.copy_columns and col.not_null and col.default is None
                        and col.generated is None and not (col.primary_key and col.type == "integer")):
                    out.append(f"{s.table}.{col.name}: {st.add_column_problem(col) or 'NOT NULL without a default'}")
    return out


def fails_on_rows_error(problems: Sequence[str]) -> MigrationError:
    """The refusal of statements that fail on a table with rows (generate and push say the same)."""
    return MigrationError(
        "these changes fail on a table that has rows:\n  " + "\n  ".join(problems) + "\n"
        "Give the column a constant default (.default(...)), or add it nullable and fill it with a data migration "
        "(`mizzle generate --custom`) before making it NOT NULL; if these tables are always empty, pass "
        "--empty-tables (generate(..., empty_tables=True))."
    )


__all__ = ["Plan", "convertor", "fails_on_rows_error", "plan"]
