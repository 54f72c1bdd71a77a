"""`push`: diff the live database against the schema, check the data, and apply without a migration file.

`plan_push` introspects, diffs and checks the existing rows: what would be lost (rows of a dropped
table, non-null values of a dropped column) and what does not fit (NULLs for a new NOT NULL,
duplicates for a new UNIQUE or primary key, values of a narrowed type, orphans for a new foreign key,
rows failing a new CHECK). `apply_push` runs the plan through the migration runner.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from mizzle.errors import MigrationError
from mizzle.kit import statements as st
from mizzle.kit.describe import describe_statement
from mizzle.kit.dialects import kit_dialect_for, kit_dialect_of
from mizzle.kit.diff import Diff, Resolver, diff
from mizzle.kit.snapshot import Snapshot
from mizzle.schema.table import Table as SchemaTable
from mizzle.session.sync import Database
from mizzle.sql.chunks import SQL

SAMPLES = 5


def rows(n: int, word: str = "row") -> str:
    """`1 row`, `2 rows`, `1,204 rows`."""
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass(slots=True)
class Finding:
    """Something about existing data: `loss` (would be deleted) or `conflict` (does not fit the new schema)."""

    kind: Literal["loss", "conflict"]
    table: str
    column: str | None
    message: str
    count: int
    samples: list[str] = field(default_factory=list[str])
    hint: str = ""


@dataclass(slots=True)
class PushPlan:
    """What `push` would do: the statements, their SQL, and the findings about existing rows."""

    live: Snapshot
    target: Snapshot
    diff: Diff
    statements: list[st.Statement]
    sql: list[str]
    findings: list[Finding]

    @property
    def empty(self) -> bool:
        """Whether the database already matches the schema."""
        return not self.sql

    @property
    def losses(self) -> list[Finding]:
        """Findings that would delete data."""
        return [f for f in self.findings if f.kind == "loss"]

    @property
    def conflicts(self) -> list[Finding]:
        """Findings where existing data does not fit (the plan cannot be applied as is)."""
        return [f for f in self.findings if f.kind == "conflict"]


def plan_push(
    db: Database,
    tables: Sequence[type[SchemaTable]],
    *,
    resolver: Resolver | None = None,
    include: Callable[[str], bool] | None = None,
    migrations_table: str = "__drizzle_migrations",
    dialect: str | None = None,
) -> PushPlan:
    """Introspect `db`, diff it against `tables`, and check the existing rows against every change.

    `dialect="turso"` plans libSQL's in-place `ALTER COLUMN` where drizzle-kit's turso dialect uses it.
    """
    kit = kit_dialect_for(kit_dialect_of(db).name, dialect)
    target = kit.schema_snapshot(tables, push=True)
    # a view the database holds as declared compares equal, whatever words the database reports it in
    live = kit.settled(db, kit.introspect(db, include=include, migrations_table=migrations_table),
                       getattr(target, "views", None))
    d = diff(live, target, resolver)
    combined, sql = kit.plan_sql(d, target, resolver)
    findings = kit.checker(db, d).run()
    return PushPlan(live, target, d, combined, sql, findings)


# ---- data checks ------------------------------------------------------------------------------


class Checker:
    """Runs the read-only queries behind each finding (old table/column names: nothing is applied yet).

    A dialect subclasses it for its row identity (`row_id`) and for what a type change cannot hold (`type_violation`).
    """

    row_id: ClassVar[tuple[str, str] | None] = None
    """(name, SQL) naming a row of a table without a primary key, e.g. ("ctid", "ctid::text"); None: its first column."""

    def __init__(self, db: Database, d: Diff) -> None:
        self.db = db
        self.d = d
        self.old_table = {new: old for old, new in d.table_renames}
        self.old_col = {(t, new): old for t, old, new in d.column_renames}
        self.created = {s.table for s in d.statements if isinstance(s, st.CreateTable)}
        self.added_cols: dict[str, dict[str, Any]] = {}
        for s in d.statements:
            if isinstance(s, st.AddColumn):
                self.added_cols.setdefault(s.table, {})[s.column.name] = s.column
        self.findings: list[Finding] = []
        self._counts: dict[str, int] = {}

    # helpers
    def src(self, table: str) -> str:
        return self.old_table.get(table, table)

    def col(self, table: str, column: str) -> str:
        return self.old_col.get((table, column), column)

    def q(self, template: str, **parts: Any) -> list[tuple[Any, ...]]:
        frags = {k: SQL.identifier(v) if isinstance(v, str) else v for k, v in parts.items()}
        return self.db.execute(SQL(template, **frags))

    def rows(self, table: str) -> int:
        src = self.src(table)
        if src not in self._counts:
            self._counts[src] = int(self.q("SELECT count(*) FROM {t}", t=src)[0][0])
        return self._counts[src]

    def key_of(self, table: str) -> list[str]:
        live = getattr(self.d.prev, "tables", {}).get(self.src(table))
        pk: list[str] = list(live.primary_key) if live is not None else []
        if pk or live is None:
            return pk
        return [self.row_id[0]] if self.row_id else list(live.columns)[:1]

    def samples(self, table: str, where: str, **parts: Any) -> list[str]:
        key = self.key_of(table)
        rid = self.row_id or ("", "")
        cols = SQL.join([SQL.raw(rid[1]) if k == rid[0] else SQL.identifier(k) for k in key])
        rows = self.q("SELECT {k} FROM {t} WHERE " + where + f" LIMIT {SAMPLES}", k=cols, t=self.src(table), **parts)
        return [", ".join(f"{k}={v!r}" for k, v in zip(key, r, strict=True)) for r in rows]

    def add(self, kind: Literal["loss", "conflict"], table: str, column: str | None, message: str, count: int,
            samples: list[str] | None = None, hint: str = "") -> None:
        self.findings.append(Finding(kind, table, column, message, count, samples or [], hint))

    # checks
    def run(self) -> list[Finding]:
        for s in self.d.statements:
            try:
                self.check(s)
            except MigrationError:
                raise
            except Exception as exc:  # a check that cannot run is reported, never silently skipped
                self.add("conflict", s.table, None, f"could not check existing rows for {s.type} on {s.table}: {exc}", 0)
        return self.findings

    def check(self, s: st.Statement) -> None:
        if isinstance(s, st.DropTable):
            n = self.rows(s.table)
            if n:
                self.add("loss", s.table, None, f"drops table {s.table}: {rows(n)}", n)
        elif isinstance(s, st.DropColumn):
            n = self.non_null(s.table, s.column)
            if n:
                self.add("loss", s.table, s.column, f"drops column {s.table}.{s.column}: {n:,} non-null values", n)
        elif isinstance(s, st.AlterColumn):
            self.alter(s)
        elif isinstance(s, st.AddColumn):
            c = s.column
            problem = kit_dialect_of(self.db).add_column_problem(c)
            if problem is not None and self.rows(s.table):
                n = self.rows(s.table)
                self.add("conflict", s.table, c.name,
                         f"adds column {s.table}.{c.name} to a table with {rows(n)}: {problem}", n,
                         hint=f"give {s.table}.{c.name} a constant default, or add it nullable, fill it, then make it "
                              "NOT NULL")
        elif isinstance(s, st.CreateIndex) and s.index.is_unique and s.table not in self.created:
            self.duplicates(s.table, list(s.index.columns), f"unique index {s.index.name}", s.index.where)
        elif isinstance(s, st.CreateUniqueConstraint) and s.table not in self.created:
            self.duplicates(s.table, list(s.unique.columns), f"unique constraint {s.unique.name}", None)
        elif isinstance(s, st.CreateCompositePK) and s.table not in self.created:
            self.duplicates(s.table, list(s.pk.columns), "primary key", None)
            for c in s.pk.columns:
                self.nulls(s.table, c, "the primary key")
        elif isinstance(s, st.CreateReference) and s.table not in self.created:
            self.orphans(s)
        elif isinstance(s, st.CreateCheck) and s.table not in self.created:
            self.check_constraint(s)

    def non_null(self, table: str, column: str) -> int:
        if column in self.added_cols.get(table, {}):
            return 0
        return int(self.q("SELECT count({c}) FROM {t}", c=self.col(table, column), t=self.src(table))[0][0])

    def nulls(self, table: str, column: str, what: str) -> None:
        if column in self.added_cols.get(table, {}):
            return
        c = self.col(table, column)
        n = int(self.q("SELECT count(*) FROM {t} WHERE {c} IS NULL", t=self.src(table), c=c)[0][0])
        if n:
            self.add("conflict", table, column, f"{table}.{column} becomes {what} but {rows(n)} {'holds' if n == 1 else 'hold'} NULL", n,
                     self.samples(table, "{c} IS NULL", c=c),
                     hint=f"fill them first (UPDATE {table} SET {column} = ... WHERE {column} IS NULL) or give "
                          "the column a default and fill it in a data migration")

    def alter(self, s: st.AlterColumn) -> None:
        if s.column in self.added_cols.get(s.table, {}):
            return
        if s.what == "set_notnull":
            self.nulls(s.table, s.column, "NOT NULL")
        elif s.what == "set_pk":
            self.nulls(s.table, s.column, "the primary key")
            self.duplicates(s.table, [s.column], "primary key", None)
        elif s.what == "set_type" and (found := self.type_violation(s)) is not None:
            pred, why = found
            c = self.col(s.table, s.column)
            n = int(self.q("SELECT count(*) FROM {t} WHERE " + pred, t=self.src(s.table), c=c)[0][0])
            if n:
                values = self.q("SELECT {c} FROM {t} WHERE " + pred + f" LIMIT {SAMPLES}", t=self.src(s.table), c=c)
                samples = [f"{k} ({s.column}={v[0]!r})" for k, v in
                           zip(self.samples(s.table, pred, c=c), values, strict=False)]
                self.add("conflict", s.table, s.column,
                         f"changes {s.table}.{s.column} from {s.old} to {s.new} but {rows(n, 'value')} {'is' if n == 1 else 'are'} {why}", n,
                         samples, hint="convert or clean those values first (mizzle never truncates or coerces data)")

    def type_violation(self, s: st.AlterColumn) -> tuple[str, str] | None:
        """(condition over `{c}` true for a value the new type cannot hold, what such values are); None: all fit."""
        return None

    def duplicates(self, table: str, columns: list[str], what: str, where: str | None) -> None:
        added = self.added_cols.get(table, {})
        if any(c in added for c in columns):
            new_defaults = [added[c].default for c in columns if c in added]
            if all(v is not None for v in new_defaults) and self.rows(table) > 1:
                n = self.rows(table)
                self.add("conflict", table, None,
                         f"{what} on {table} ({', '.join(columns)}) would give {rows(n)} the same new default", n)
            return
        if any(c not in getattr(self.d.patched_prev.get(table), "columns", {}) for c in columns):
            return
        cols = [self.col(table, c) for c in columns]
        group = SQL.join([SQL.identifier(c) for c in cols])
        not_null = " AND ".join(f"{{c{i}}} IS NOT NULL" for i in range(len(cols)))
        filt = f" AND ({where})" if where else ""
        parts = {f"c{i}": c for i, c in enumerate(cols)}
        dup = self.q("SELECT {g}, count(*) FROM {t} WHERE " + not_null + filt + " GROUP BY {g} HAVING count(*) > 1",
                     g=group, t=self.src(table), **parts)
        if dup:
            extra = sum(int(r[-1]) - 1 for r in dup)
            samples = [", ".join(f"{c}={v!r}" for c, v in zip(columns, r[:-1], strict=True)) + f" ({rows(r[-1])})"
                       for r in dup[:SAMPLES]]
            self.add("conflict", table, columns[0] if len(columns) == 1 else None,
                     f"adds {what} on {table}({', '.join(columns)}) but {rows(len(dup), 'value')} {'occurs' if len(dup) == 1 else 'occur'} more than once "
                     f"({rows(extra, 'duplicate row')})", extra, samples,
                     hint="remove or merge the duplicates first")

    def orphans(self, s: st.CreateReference) -> None:
        fk = s.fk
        if any(c in self.added_cols.get(s.table, {}) for c in fk.columns_from):
            return
        parent_live = self.src(fk.table_to) if fk.table_to not in self.created else None
        child = [self.col(s.table, c) for c in fk.columns_from]
        parts: dict[str, Any] = {f"c{i}": c for i, c in enumerate(child)}
        not_null = " AND ".join(f"ch.{{c{i}}} IS NOT NULL" for i in range(len(child)))
        if parent_live is None:
            where = not_null
        else:
            parts.update({f"p{i}": self.col(fk.table_to, c) for i, c in enumerate(fk.columns_to)})
            match = " AND ".join(f"pa.{{p{i}}} = ch.{{c{i}}}" for i in range(len(child)))
            parts["parent"] = parent_live
            where = f"{not_null} AND NOT EXISTS (SELECT 1 FROM {{parent}} pa WHERE {match})"
        n = int(self.q("SELECT count(*) FROM {t} ch WHERE " + where, t=self.src(s.table), **parts)[0][0])
        if n:
            self.add("conflict", s.table, None,
                     f"adds foreign key {s.table}({', '.join(fk.columns_from)}) -> {fk.table_to} but {rows(n)} "
                     "point to no existing row", n, hint="delete those rows or set them to NULL first")

    def check_constraint(self, s: st.CreateCheck) -> None:
        if s.table in self.old_table:
            return  # the expression names the new table; checked by the database when applied
        value = s.check.value
        n = int(self.q("SELECT count(*) FROM {t} WHERE NOT (" + value.replace("{", "{{").replace("}", "}}") + ")",
                       t=s.table)[0][0])
        if n:
            self.add("conflict", s.table, None, f"adds check {s.check.name} on {s.table} but {rows(n)} fail{'s' if n == 1 else ''} it", n,
                     hint="fix those rows first")


# ---- applying -----------------------------------------------------------------------------------


def apply_push(db: Database, plan: PushPlan, *, migrations_table: str = "__drizzle_migrations") -> None:
    """Run the plan's SQL through the dialect's migration runner (atomic where DDL is transactional)."""
    if plan.empty:
        return
    if plan.conflicts:
        raise MigrationError(
            "push: existing data does not fit the schema:\n"
            + "\n".join(f"  - {f.message}" for f in plan.conflicts)
        )
    from mizzle.kit.migrator import run_script

    run_script(db, plan.sql, label="push", table=migrations_table)


__all__ = ["Checker", "Finding", "PushPlan", "apply_push", "describe_statement", "plan_push"]
