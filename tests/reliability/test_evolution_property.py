"""Property: random schema evolutions (add/drop/retype/redefault/index/FK/rename column/rename table), generated and
migrated on a populated database, lose no row and no value of any surviving column (including ON DELETE CASCADE
children of rebuilt tables), and each step's up -> down -> up gives the same rows — on SQLite, libSQL, PostgreSQL
and MariaDB."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from crash import fresh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_helpers import Target, record

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.journal import Journal
from mizzle.kit.migrator import migrate_to
from mizzle.schema.column import Column
from mizzle.schema.table import Table

EXAMPLES = int(os.environ.get("MIZZLE_KIT_EXAMPLES", "6" if os.environ.get("CI") else "12"))


@dataclass(frozen=True)
class Col:
    name: str
    type: str  # "integer" | "text"
    default: int | None = None
    indexed: bool = False
    fk: bool = False  # references parent.id
    renamed_from: str | None = None


@dataclass
class Tab:
    name: str
    cols: list[Col] = field(default_factory=list[Col])
    renamed_from: str | None = None


def build(tabs: dict[str, Tab], mod: Any) -> list[type[Table]]:
    """Table classes for the model in `mod`'s dialect (the child's `p_id` references the parent, ON DELETE CASCADE)."""
    parent = tabs["parent"]
    classes: dict[str, type[Table]] = {}
    # MySQL cannot index or default a TEXT column: its "text" kind is varchar(255)
    text = (lambda name: mod.varchar(name, length=255)) if hasattr(mod, "mysql_enum") else mod.text
    integer, index = mod.integer, mod.index

    def make(key: str, tab: Tab) -> type[Table]:
        ns: dict[str, Any] = {"id": integer("id").primary_key()}
        for c in tab.cols:
            col: Column[Any] = integer(c.name) if c.type == "integer" else text(c.name)
            if c.default is not None:
                col = col.default(c.default if c.type == "integer" else str(c.default))
            if c.fk:
                col = col.references(lambda: classes["parent"].id)  # type: ignore[attr-defined]
            if c.renamed_from:
                col = col.renamed_from(c.renamed_from)
            ns[c.name] = col
        if key == "child":
            ns["p_id"] = integer("p_id").references(lambda: classes["parent"].id, on_delete="cascade")
        indexed = [c.name for c in tab.cols if c.indexed]
        if indexed:
            ns["__indexes__"] = lambda t: tuple(index(f"{tab.name}_{n}_idx").on(getattr(t, n)) for n in indexed)
        kw: dict[str, Any] = {"name": tab.name}
        if tab.renamed_from:
            kw["renamed_from"] = tab.renamed_from
        return type(key.capitalize(), (mod.Table,), ns, **kw)

    classes["parent"] = make("parent", parent)
    classes["child"] = make("child", tabs["child"])
    return [classes["parent"], classes["child"]]


OPS = ["add", "drop", "retype", "redefault", "index", "add_fk", "rename_col", "rename_table"]


def evolve(tabs: dict[str, Tab], op: str, draw: Any, n: int, can_fk: Any = lambda name: True) -> dict[str, Tab]:
    """Apply one operation to a copy of the model (no renamed_from hints carried over)."""
    new = {k: Tab(t.name, [replace(c, renamed_from=None) for c in t.cols]) for k, t in tabs.items()}
    key = draw(st.sampled_from(["parent", "child"]))
    tab = new[key]
    if op == "add" or not tab.cols:
        kind = draw(st.sampled_from(["integer", "text"]))
        tab.cols.append(Col(f"c{n}", kind, draw(st.none() | st.integers(0, 9))))
    elif op == "drop":
        tab.cols.pop(draw(st.integers(0, len(tab.cols) - 1)))
    else:
        i = draw(st.integers(0, len(tab.cols) - 1))
        c = tab.cols[i]
        if op == "retype" and not c.fk:
            c = replace(c, type="text" if c.type == "integer" else "integer", default=None)
        elif op == "redefault":
            c = replace(c, default=None if c.default is not None else 7)
        elif op == "index":
            c = replace(c, indexed=not c.indexed)
        elif op == "add_fk" and c.type == "integer" and key == "child" and (c.fk or can_fk(c.name)):
            c = replace(c, fk=not c.fk)
        elif op == "rename_col":
            c = replace(c, name=f"r{n}", renamed_from=c.name, indexed=False)
        elif op == "rename_table":
            new[key] = Tab(f"{key}_{n}", tab.cols, renamed_from=tab.name)
            return new
        tab.cols[i] = c
    return new


def snapshot_rows(db: mizzle.Database, tabs: dict[str, Tab]) -> dict[str, dict[int, dict[str, str | None]]]:
    q = db.dialect.quote
    out: dict[str, dict[int, dict[str, str | None]]] = {}
    for key, t in tabs.items():
        names = ["id"] + [c.name for c in t.cols] + (["p_id"] if key == "child" else [])
        rows = db.execute(f"SELECT {', '.join(q(n) for n in names)} FROM {q(t.name)}")
        out[key] = {int(r[0]): {n: (None if v is None else _text(v)) for n, v in zip(names, r, strict=True)}
                    for r in rows}
    return out


def _text(v: Any) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _check_rows(op: str, tabs: dict[str, Tab], new: dict[str, Tab], before: Any, after: Any, sql: str) -> None:
    for key in ("parent", "child"):
        assert set(after[key]) == set(before[key]), (op, key)  # no row lost or added
        renames = {c.name: c.renamed_from for c in new[key].cols if c.renamed_from}
        old_types = {c.name: c.type for c in tabs[key].cols}
        for row_id, row in after[key].items():
            for col, value in row.items():
                src = renames.get(col, col)
                if src not in before[key][row_id]:
                    continue  # a new column
                old = before[key][row_id][src]
                new_type = next((c.type for c in new[key].cols if c.name == col), None)
                if old is not None and new_type is not None and new_type != old_types.get(src):
                    assert value is not None and float(value) == float(old), (op, key, col)
                else:
                    assert value == old, (op, key, col, sql)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_evolutions_lose_nothing(target: Target, data: st.DataObject) -> None:
    tabs = {
        "parent": Tab("parent", [Col("a", "integer"), Col("b", "text", 1)]),
        "child": Tab("child", [Col("x", "text")]),
    }
    ops = data.draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=4), label="ops")
    mod = target.mod
    with fresh(target) as t, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "m"
        db = t.connect()
        q = db.dialect.quote
        generate(build(tabs, mod), folder)
        mizzle.migrate(db, folder)
        n_parent = data.draw(st.integers(1, 6), label="parents")
        for i in range(1, n_parent + 1):
            db.execute("INSERT INTO parent (id, a, b) VALUES ({}, {}, {})", i, i * 10, f"{i}")
        for j in range(1, data.draw(st.integers(0, 8), label="children") + 1):
            db.execute("INSERT INTO child (id, x, p_id) VALUES ({}, {}, {})", j, f"{j * 3}", (j % n_parent) + 1)
        for n, op in enumerate(ops, 1):
            before = snapshot_rows(db, tabs)
            child_t, parent_t = tabs["child"].name, tabs["parent"].name

            def can_fk(col: str, child_t: str = child_t, parent_t: str = parent_t) -> bool:
                bad = db.execute(f"SELECT count(*) FROM {q(child_t)} WHERE {q(col)} IS NOT NULL AND {q(col)} NOT IN "
                                 f"(SELECT id FROM {q(parent_t)})")
                return bool(bad[0][0] == 0)

            new = evolve(tabs, op, data.draw, n, can_fk)
            r = generate(build(new, mod), folder, empty_tables=True)
            mizzle.migrate(db, folder)
            after = snapshot_rows(db, new)
            _check_rows(op, tabs, new, before, after, r.sql)
            if r.changed:  # up -> down -> up gives the same rows
                entries = Journal.read(folder).entries
                migrate_to(db, folder, len(entries) - 2, force=True)
                mizzle.migrate(db, folder)
                assert snapshot_rows(db, new) == after, (op, "up -> down -> up changed rows", r.sql)
            if t.is_sqlite:
                assert db.execute("PRAGMA foreign_key_check") == []
            tabs = new
        assert not generate(build(tabs, mod), folder).changed
        record("evolution", dialect=target.kind, steps=len(ops), rows=sum(len(v) for v in snapshot_rows(db, tabs).values()),
               rows_lost=0)
        db.close()
