"""The differ: two snapshots -> typed statements, with renames decided by an injected `Resolver`.

A vanished table (or column) plus a new one may be a rename or a drop + create. The differ never
guesses: it asks the resolver, and with none that can decide it raises a MigrationError naming the
ambiguity and the ways to resolve it (a schema hint, an answers file, flags, or a terminal prompt).
"""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from mizzle.errors import MigrationError
from mizzle.kit import statements as st
from mizzle.kit.from_schema import RenameHints
from mizzle.kit.snapshot import Snapshot

Decision = str | Literal[False] | None
"""A resolver's answer: the old name (a rename), False (a new object), or None (cannot decide)."""


class Resolver(Protocol):
    """Decides whether a new table/column is a rename of a vanished one."""

    def table(self, new: str, candidates: Sequence[str]) -> Decision:
        """For new table `new`, the vanished table it was renamed from, False if it is new, None if unsure."""
        ...

    def column(self, table: str, new: str, candidates: Sequence[str]) -> Decision:
        """For new column `table.new`, the vanished column it was renamed from, False if new, None if unsure."""
        ...


class AmbiguityError(MigrationError):
    """A rename could not be decided without a human (or a hint, an answers file or flags)."""


@dataclass(slots=True)
class HintResolver:
    """Decides from the schema's `renamed_from` hints (a hint whose old name did not vanish is ignored)."""

    hints: RenameHints

    def table(self, new: str, candidates: Sequence[str]) -> Decision:
        """The hinted old name if it vanished."""
        old = self.hints.tables.get(new)
        return old if old is not None and old in candidates else None

    def column(self, table: str, new: str, candidates: Sequence[str]) -> Decision:
        """The hinted old column name if it vanished."""
        old = self.hints.columns.get((table, new))
        return old if old is not None and old in candidates else None


@dataclass(slots=True)
class Answers:
    """Rename answers: `tables = {"new": "old" | false}`, `columns = {"table.new": "old" | false}`.

    From an answers file (JSON or TOML), or from flags (`--rename old=new`, `--create new`).
    """

    tables: dict[str, str | Literal[False]] = field(default_factory=dict[str, "str | Literal[False]"])
    columns: dict[str, str | Literal[False]] = field(default_factory=dict[str, "str | Literal[False]"])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "answers") -> Answers:
        """Validate `{"tables": {...}, "columns": {...}}` ("create" or false both mean a new object)."""
        out = cls()
        for key in data:
            if key not in ("tables", "columns"):
                raise MigrationError(f"{source}: unknown key {key!r} (expected 'tables' and/or 'columns')")
        for kind in ("tables", "columns"):
            section = data.get(kind, {})
            if not isinstance(section, Mapping):
                raise MigrationError(f"{source}: {kind!r} must be a table/object of new name -> old name or false")
            target: dict[str, str | Literal[False]] = getattr(out, kind)
            for new, old in section.items():  # pyright: ignore[reportUnknownVariableType]
                if kind == "columns" and "." not in str(new):  # pyright: ignore[reportUnknownArgumentType]
                    raise MigrationError(f"{source}: columns key {new!r} must be 'table.column'")
                if old is False or old == "create":
                    target[str(new)] = False  # pyright: ignore[reportUnknownArgumentType]
                elif isinstance(old, str) and old:
                    target[str(new)] = old  # pyright: ignore[reportUnknownArgumentType]
                else:
                    raise MigrationError(
                        f"{source}: {kind}.{new}: expected the old name (a string) or false/\"create\", got {old!r}"
                    )
        return out

    @classmethod
    def load(cls, path: str | Path) -> Answers:
        """Read an answers file (`.json` or `.toml`)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise MigrationError(f"{p}: cannot read answers file ({exc.strerror})") from None
        try:
            data = tomllib.loads(text) if p.suffix == ".toml" else json.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise MigrationError(f"{p}: not valid {'TOML' if p.suffix == '.toml' else 'JSON'}: {exc}") from None
        if not isinstance(data, dict):
            raise MigrationError(f"{p}: expected an object with 'tables' and/or 'columns'")
        return cls.from_mapping(data, str(p))  # pyright: ignore[reportUnknownArgumentType]

    @classmethod
    def from_flags(cls, renames: Sequence[str] = (), creates: Sequence[str] = ()) -> Answers:
        """`renames` like `old=new` or `table.old=table.new` / `table.old=new`; `creates` like `t` or `t.col`."""
        out = cls()
        for flag in renames:
            old, sep, new = flag.partition("=")
            if not sep or not old or not new:
                raise MigrationError(f"--rename {flag!r}: expected old=new (tables) or table.old=new (columns)")
            if "." in old:
                table, _, old_col = old.partition(".")
                new_col = new.rpartition(".")[2]
                out.columns[f"{table}.{new_col}"] = old_col
            else:
                out.tables[new] = old
        for name in creates:
            if "." in name:
                out.columns[name] = False
            else:
                out.tables[name] = False
        return out

    def table(self, new: str, candidates: Sequence[str]) -> Decision:
        """The answer for table `new`, if given."""
        if new not in self.tables:
            return None
        old = self.tables[new]
        if old is not False and old not in candidates:
            raise MigrationError(
                f"answers: table {new!r} is said to be renamed from {old!r}, but {old!r} did not vanish "
                f"(vanished tables: {', '.join(candidates)})"
            )
        return old

    def column(self, table: str, new: str, candidates: Sequence[str]) -> Decision:
        """The answer for column `table.new`, if given."""
        key = f"{table}.{new}"
        if key not in self.columns:
            return None
        old = self.columns[key]
        if old is not False and old not in candidates:
            raise MigrationError(
                f"answers: column {key!r} is said to be renamed from {old!r}, but {table}.{old} did not vanish "
                f"(vanished columns: {', '.join(candidates)})"
            )
        return old


@dataclass(slots=True)
class ChainResolver:
    """Asks each resolver in turn; the first that decides wins."""

    resolvers: Sequence[Resolver]

    def table(self, new: str, candidates: Sequence[str]) -> Decision:
        """First decision for a table."""
        for r in self.resolvers:
            d = r.table(new, candidates)
            if d is not None:
                return d
        return None

    def column(self, table: str, new: str, candidates: Sequence[str]) -> Decision:
        """First decision for a column."""
        for r in self.resolvers:
            d = r.column(table, new, candidates)
            if d is not None:
                return d
        return None


def _ambiguous_table(new: str, candidates: Sequence[str]) -> AmbiguityError:
    old = candidates[0]
    return AmbiguityError(
        f"table {new!r} is new and table(s) {', '.join(repr(c) for c in candidates)} vanished: is {new!r} "
        "renamed from one of them, or a new table? mizzle does not guess. Resolve it with one of:\n"
        f"  - a hint in the schema: class ...(Table, name={new!r}, renamed_from={old!r})\n"
        f"  - an answers file (--answers answers.json): {{\"tables\": {{\"{new}\": \"{old}\"}}}} "
        f"(or {{\"{new}\": false}} for a new table)\n"
        f"  - flags: --rename {old}={new}  or  --create {new}\n"
        "  - run `mizzle generate` in a terminal and answer the prompt"
    )


def _ambiguous_column(table: str, new: str, candidates: Sequence[str]) -> AmbiguityError:
    old = candidates[0]
    return AmbiguityError(
        f"column {table}.{new} is new and column(s) {', '.join(f'{table}.{c}' for c in candidates)} vanished: "
        f"is {new!r} renamed from one of them, or a new column? mizzle does not guess. Resolve it with one of:\n"
        f"  - a hint in the schema: {new}: Column[...] = ....renamed_from({old!r})\n"
        f"  - an answers file (--answers answers.json): {{\"columns\": {{\"{table}.{new}\": \"{old}\"}}}} "
        f"(or false for a new column)\n"
        f"  - flags: --rename {table}.{old}={new}  or  --create {table}.{new}\n"
        "  - run `mizzle generate` in a terminal and answer the prompt"
    )


@dataclass(slots=True)
class Diff:
    """The differences between two snapshots, as statements in drizzle-kit's order, plus the renames."""

    statements: list[st.Statement]
    table_renames: list[tuple[str, str]]
    column_renames: list[tuple[str, str, str]]
    prev: Any
    cur: Any
    patched_prev: dict[str, Any]
    """prev's tables with renames applied, keyed by their new names (what the recreates copy from)."""
    view_renames: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    """(old key, new key) of the renamed views (decided when the dialect plans the views)."""

    @property
    def empty(self) -> bool:
        """Whether nothing changed."""
        return not self.statements


def _decide(kind: str, decision: Decision, new: str, candidates: list[str], error: AmbiguityError) -> str | None:
    if decision is None:
        raise error
    if decision is False:
        return None
    return decision


def _rename_fk(fk: Any, table_renames: Mapping[str, str], column_renames: Mapping[tuple[str, str], str]) -> Any:
    out = copy.copy(fk)
    out.table_from = table_renames.get(fk.table_from, fk.table_from)
    out.table_to = table_renames.get(fk.table_to, fk.table_to)
    out.columns_from = [column_renames.get((out.table_from, c), c) for c in fk.columns_from]
    out.columns_to = [column_renames.get((out.table_to, c), c) for c in fk.columns_to]
    return out


def diff(prev: Snapshot, cur: Snapshot, resolver: Resolver | None = None) -> Diff:
    """Compare `prev` with `cur`; renames are decided by `resolver` (None: any ambiguity is an error)."""
    if type(prev) is not type(cur):
        raise MigrationError(f"cannot diff a {prev.dialect} snapshot against a {cur.dialect} snapshot")
    old_tables: dict[str, Any] = getattr(prev, "tables")  # noqa: B009
    new_tables: dict[str, Any] = getattr(cur, "tables")  # noqa: B009

    # ---- table renames
    vanished = [n for n in old_tables if n not in new_tables]
    created: list[str] = []
    table_renames: dict[str, str] = {}  # old -> new
    for name in new_tables:
        if name in old_tables:
            continue
        if vanished:
            d = resolver.table(name, list(vanished)) if resolver is not None else None
            old = _decide("table", d, name, vanished, _ambiguous_table(name, vanished))
            if old is not None:
                table_renames[old] = name
                vanished.remove(old)
                continue
        created.append(name)
    dropped = vanished

    # ---- column renames, per table present on both sides
    column_renames: dict[tuple[str, str], str] = {}  # (new table, old col) -> new col
    pairs: list[tuple[Any, Any, str]] = []  # (old table, new table, key of the new table)
    for name, new_t in new_tables.items():
        old_name = next((o for o, n in table_renames.items() if n == name), name if name in old_tables else None)
        if old_name is None:
            continue
        old_t = old_tables[old_name]
        pairs.append((old_t, new_t, name))
        gone = [c for c in old_t.columns if c not in new_t.columns]
        for col in new_t.columns:
            if col in old_t.columns or not gone:
                continue
            d = resolver.column(name, col, list(gone)) if resolver is not None else None
            old_col = _decide("column", d, col, gone, _ambiguous_column(name, col, gone))
            if old_col is not None:
                column_renames[(name, old_col)] = col
                gone.remove(old_col)

    # ---- patch the old side with the renames, so the rest compares like with like
    patched: dict[str, Any] = {}
    col_map = {(t, o): n for (t, o), n in column_renames.items()}
    for old_t, new_t, key_t in pairs:  # key_t: the table's key in `tables` (its name for SQLite)
        t = copy.deepcopy(old_t)
        t.name = new_t.name
        cols: dict[str, Any] = {}
        for key, c in t.columns.items():
            nn: str = col_map.get((key_t, key)) or key
            c.name = nn
            cols[nn] = c
        t.columns = cols
        for ix in t.indexes.values():
            ix.columns = [col_map.get((key_t, c), c) for c in ix.columns]
        for pk in t.composite_primary_keys.values():
            pk.columns = [col_map.get((key_t, c), c) for c in pk.columns]
        for u in t.unique_constraints.values():
            u.columns = [col_map.get((key_t, c), c) for c in u.columns]
        t.foreign_keys = {k: _rename_fk(fk, table_renames, col_map) for k, fk in t.foreign_keys.items()}
        patched[key_t] = t

    # ---- statements, in drizzle-kit's order
    s_create: list[st.Statement] = [st.CreateTable(n, new_tables[n]) for n in created]
    s_drop: list[st.Statement] = [st.DropTable(n, old_tables[n]) for n in dropped]
    s_rename_t: list[st.Statement] = [st.RenameTable(new, old) for old, new in table_renames.items()]
    s_rename_c: list[st.Statement] = [st.RenameColumn(t, o, n) for (t, o), n in column_renames.items()]
    s_drop_fk: list[st.Statement] = []
    s_drop_check: list[st.Statement] = []
    s_drop_index: list[st.Statement] = []
    s_drop_pk: list[st.Statement] = []
    s_alter: list[st.Statement] = []
    s_add_pk: list[st.Statement] = []
    s_add_col: list[st.Statement] = []
    s_index_created: list[st.Statement] = []
    s_index_altered: list[st.Statement] = []
    s_add_check: list[st.Statement] = []
    s_add_fk: list[st.Statement] = []
    s_drop_col: list[st.Statement] = []
    s_unique: list[st.Statement] = []

    for n in created:
        t = new_tables[n]
        s_index_created += [st.CreateIndex(n, ix) for ix in t.indexes.values()]

    for _old_t, new_t, name in pairs:
        old_t = patched[name]
        # foreign keys
        added_fks = [fk for k, fk in new_t.foreign_keys.items() if k not in old_t.foreign_keys]
        for k, fk in old_t.foreign_keys.items():
            if k not in new_t.foreign_keys:
                s_drop_fk.append(st.DeleteReference(name, fk))
            elif new_t.foreign_keys[k].to_dict() != fk.to_dict():
                s_drop_fk.append(st.DeleteReference(name, fk))
                added_fks.append(new_t.foreign_keys[k])
        # checks
        for k, chk in old_t.check_constraints.items():
            if k not in new_t.check_constraints or new_t.check_constraints[k].value != chk.value:
                s_drop_check.append(st.DeleteCheck(name, chk))
        for k, chk in new_t.check_constraints.items():
            if k not in old_t.check_constraints or old_t.check_constraints[k].value != chk.value:
                s_add_check.append(st.CreateCheck(name, chk))
        # indexes
        for k, ix in old_t.indexes.items():
            if k not in new_t.indexes or new_t.indexes[k].to_dict() != ix.to_dict():
                s_drop_index.append(st.DropIndex(name, ix))
        for k, ix in new_t.indexes.items():
            if k not in old_t.indexes or old_t.indexes[k].to_dict() != ix.to_dict():
                s_index_altered.append(st.CreateIndex(name, ix))
        # composite primary keys
        old_pks = {tuple(p.columns): p for p in old_t.composite_primary_keys.values()}
        new_pks = {tuple(p.columns): p for p in new_t.composite_primary_keys.values()}
        s_drop_pk += [st.DeleteCompositePK(name, p) for c, p in old_pks.items() if c not in new_pks]
        s_add_pk += [st.CreateCompositePK(name, p) for c, p in new_pks.items() if c not in old_pks]
        # unique constraints
        for k, u in old_t.unique_constraints.items():
            if k not in new_t.unique_constraints or new_t.unique_constraints[k].to_dict() != u.to_dict():
                s_unique.append(st.DeleteUniqueConstraint(name, u))
        for k, u in new_t.unique_constraints.items():
            if k not in old_t.unique_constraints or old_t.unique_constraints[k].to_dict() != u.to_dict():
                s_unique.append(st.CreateUniqueConstraint(name, u))
        # columns
        for cname, col in new_t.columns.items():
            old_c = old_t.columns.get(cname)
            if old_c is None:
                ref = next((fk for fk in added_fks if cname in fk.columns_from), None)
                s_add_col.append(st.AddColumn(name, col, ref))
                continue
            s_alter += _column_changes(name, old_c, col)
        for cname, col in old_t.columns.items():
            if cname not in new_t.columns:
                s_drop_col.append(st.DropColumn(name, cname, col))
        s_add_fk += [st.CreateReference(name, fk) for fk in added_fks]

    ordered = (
        s_create + s_drop + s_rename_t + s_rename_c + s_drop_fk + s_drop_check + s_drop_index + s_drop_pk
        + s_alter + s_add_pk + s_add_col + s_index_created + s_index_altered + s_add_check + s_add_fk
        + s_drop_col + s_unique
    )
    return Diff(
        statements=ordered,
        table_renames=list(table_renames.items()),
        column_renames=[(t, o, n) for (t, o), n in column_renames.items()],
        prev=prev,
        cur=cur,
        patched_prev=patched,
    )


def _column_changes(table: str, old: Any, new: Any) -> list[st.Statement]:
    out: list[st.Statement] = []

    def add(what: str, a: Any, b: Any) -> None:
        out.append(st.AlterColumn(table, new.name, what, a, b))

    if old.type != new.type:
        add("set_type", old.type, new.type)
    if old.default != new.default or type(old.default) is not type(new.default):
        add("drop_default" if new.default is None else "set_default", old.default, new.default)
    if old.not_null != new.not_null:
        add("set_notnull" if new.not_null else "drop_notnull", old.not_null, new.not_null)
    if old.autoincrement != new.autoincrement:
        add("set_autoincrement" if new.autoincrement else "drop_autoincrement", old.autoincrement, new.autoincrement)
    if old.primary_key != new.primary_key:
        add("set_pk" if new.primary_key else "drop_pk", old.primary_key, new.primary_key)
    old_g = old.generated.to_dict() if old.generated is not None else None
    new_g = new.generated.to_dict() if new.generated is not None else None
    if old_g != new_g:
        add("drop_generated" if new_g is None else "set_generated", old_g, new_g)
    return out


def rename_meta(d: Diff) -> tuple[dict[str, str], dict[str, str]]:
    """The `_meta.tables` and `_meta.columns` entries drizzle-kit records for the renames of `d`."""
    tables = {f'"{old}"': f'"{new}"' for old, new in d.table_renames}
    columns = {f'"{t}"."{old}"': f'"{t}"."{new}"' for t, old, new in d.column_renames}
    return tables, columns


__all__ = [
    "AmbiguityError",
    "Answers",
    "ChainResolver",
    "Decision",
    "Diff",
    "HintResolver",
    "Resolver",
    "diff",
    "rename_meta",
]
