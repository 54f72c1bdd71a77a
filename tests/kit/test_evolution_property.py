"""Property: random schema evolutions, generated and migrated on a populated database, lose no row and no
value of any surviving column (including ON DELETE CASCADE children of rebuilt tables)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mizzle
from mizzle.kit.api import generate
from mizzle.sqlite import Column, Table, index, integer, text

EXAMPLES = int(os.environ.get("MIZZLE_KIT_EXAMPLES", "6" if os.environ.get("CI") else "20"))


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


def build(tabs: dict[str, Tab]) -> list[type[Table]]:
    """Table classes for the model (the child's `p_id` always references the parent with ON DELETE CASCADE)."""
    parent = tabs["parent"]
    classes: dict[str, type[Table]] = {}

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
        return type(key.capitalize(), (Table,), ns, **kw)

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
    out: dict[str, dict[int, dict[str, str | None]]] = {}
    for key, t in tabs.items():
        names = ["id"] + [c.name for c in t.cols] + (["p_id"] if key == "child" else [])
        rows = db.execute(f'SELECT {", ".join(chr(34) + n + chr(34) for n in names)} FROM "{t.name}"')
        out[key] = {r[0]: {n: (None if v is None else str(v)) for n, v in zip(names, r, strict=True)} for r in rows}
    return out


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_evolutions_lose_nothing(data: st.DataObject) -> None:
    tabs = {
        "parent": Tab("parent", [Col("a", "integer"), Col("b", "text", 1)]),
        "child": Tab("child", [Col("x", "text")]),
    }
    ops = data.draw(st.lists(st.sampled_from(OPS), min_size=1, max_size=5), label="ops")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "m"
        db = mizzle.connect(f"sqlite:///{Path(tmp) / 'app.db'}")
        generate(build(tabs), folder)
        mizzle.migrate(db, folder)
        n_parent = data.draw(st.integers(1, 6), label="parents")
        for i in range(1, n_parent + 1):
            db.execute('INSERT INTO "parent" (id, a, b) VALUES (?, ?, ?)', i, i * 10, f"{i}")
        for j in range(1, data.draw(st.integers(0, 8), label="children") + 1):
            db.execute('INSERT INTO "child" (id, x, p_id) VALUES (?, ?, ?)', j, f"{j * 3}", (j % n_parent) + 1)
        for n, op in enumerate(ops, 1):
            before = snapshot_rows(db, tabs)
            child_t, parent_t = tabs["child"].name, tabs["parent"].name

            def can_fk(col: str, child_t: str = child_t, parent_t: str = parent_t) -> bool:
                bad = db.execute(f'SELECT count(*) FROM "{child_t}" WHERE "{col}" IS NOT NULL AND "{col}" NOT IN '
                                 f'(SELECT id FROM "{parent_t}")')
                return bool(bad[0][0] == 0)

            new = evolve(tabs, op, data.draw, n, can_fk)
            r = generate(build(new), folder, allow_not_null_without_default=True)
            mizzle.migrate(db, folder)
            after = snapshot_rows(db, new)
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
                            assert value == old, (op, key, col, r.sql)
            assert db.execute("PRAGMA foreign_key_check") == []
            tabs = new
        assert not generate(build(tabs), folder).changed
        db.close()
