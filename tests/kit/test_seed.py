"""`seed`/`reset` and `mizzle seed`: deterministic fake rows that satisfy modes, enums, NOT NULL, unique keys and FKs."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import pytest
from kit_helpers import SEEDS, load_module

import mizzle
from mizzle.cli.main import main
from mizzle.errors import MigrationError
from mizzle.kit.from_schema import load_schema
from mizzle.kit.seed import insertion_order, reset, seed
from mizzle.sqlite import (
    Column,
    Table,
    blob,
    index,
    integer,
    numeric,
    primary_key,
    real,
    text,
    unique,
    unique_index,
)


class Orgs(Table, name="orgs"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
    slug: Column[str] = text(length=12).not_null().unique()
    plan: Column[Literal["free", "pro", "team"]] = text(enum=("free", "pro", "team")).not_null()
    active: Column[bool] = integer(mode="boolean").not_null()
    founded: Column[datetime] = integer(mode="timestamp").not_null()
    settings: Column[dict[str, Any] | None] = text(mode="json")
    balance: Column[Decimal | None] = numeric(mode="decimal")
    score: Column[float | None] = real()
    logo: Column[bytes | None] = blob()


class Nodes(Table, name="nodes"):
    id: Column[str] = text().primary_key()
    org_id: Column[int] = integer().not_null().references(lambda: Orgs.id, on_delete="cascade")
    parent_id: Column[str | None] = text().references(lambda: Nodes.id)
    label: Column[str] = text().not_null()
    __constraints__ = lambda t: (unique_index("nodes_org_label_uq").on(t.org_id, t.label),)  # noqa: E731


class Members(Table, name="members"):
    org_id: Column[int] = integer().not_null().references(lambda: Orgs.id, on_delete="cascade")
    node_id: Column[str] = text().not_null().references(lambda: Nodes.id, on_delete="cascade")
    email: Column[str] = text().not_null()
    role: Column[Literal["owner", "member"]] = text(enum=("owner", "member")).not_null().default("member")
    __constraints__ = lambda t: (  # noqa: E731
        primary_key(t.org_id, t.node_id),
        unique("members_email_uq").on(t.email),
        index("members_role_idx").on(t.role),
    )


SCHEMA: list[type[Table]] = [Members, Nodes, Orgs]


def _db(path: Path, tables: list[type[Table]] = SCHEMA) -> mizzle.Database:
    db = mizzle.connect(f"sqlite:///{path}")
    mizzle.create_all(db, tables)
    return db


def _dump(db: mizzle.Database) -> dict[str, list[tuple[Any, ...]]]:
    return {t.__table__.name: db.execute(f'SELECT * FROM "{t.__table__.name}" ORDER BY 1, 2') for t in SCHEMA}


def test_parents_before_children() -> None:
    assert [t.__table__.name for t in insertion_order(SCHEMA)] == ["orgs", "nodes", "members"]


def test_seed_fills_every_table_respecting_the_schema(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.db")
    r = seed(db, SCHEMA, count=25, seed=42)
    assert r.inserted == {"orgs": 25, "nodes": 25, "members": 25} and r.total == 75
    assert db.execute("PRAGMA foreign_key_check") == []
    orgs = db.select().from_(Orgs).all()
    assert len({o.slug for o in orgs}) == 25 and all(len(o.slug) <= 12 for o in orgs)
    assert {o.plan for o in orgs} <= {"free", "pro", "team"}
    assert all(isinstance(o.active, bool) and isinstance(o.founded, datetime) for o in orgs)
    assert all(isinstance(o.settings, dict) and isinstance(o.balance, Decimal) for o in orgs)
    assert all(isinstance(o.score, float) and isinstance(o.logo, bytes) for o in orgs)
    assert db.execute("SELECT typeof(founded), typeof(settings), typeof(active) FROM orgs LIMIT 1") == [
        ("integer", "text", "integer")]
    nodes = db.select().from_(Nodes).all()
    ids = {n.id for n in nodes}
    assert any(n.parent_id is None for n in nodes) and any(n.parent_id in ids for n in nodes)
    members = db.select().from_(Members).all()
    assert len({(m.org_id, m.node_id) for m in members}) == 25 and len({m.email for m in members}) == 25
    assert {m.role for m in members} <= {"owner", "member"}
    db.close()


def test_same_seed_same_rows_other_seed_other_rows(tmp_path: Path) -> None:
    a, b, c = (_db(tmp_path / f"{n}.db") for n in "abc")
    seed(a, SCHEMA, count=15, seed=7)
    seed(b, SCHEMA, count=15, seed=7)
    seed(c, SCHEMA, count=15, seed=8)
    assert _dump(a) == _dump(b)
    assert _dump(a)["orgs"] != _dump(c)["orgs"]
    for db in (a, b, c):
        db.close()


def test_seeding_twice_adds_rows_without_unique_conflicts_and_reset_empties(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.db")
    seed(db, SCHEMA, count=10, seed=1)
    seed(db, SCHEMA, count=10, seed=1)
    assert db.execute("SELECT count(*), count(DISTINCT slug) FROM orgs") == [(20, 20)]
    assert db.execute("SELECT count(*) FROM members") == [(20,)]
    deleted = reset(db, SCHEMA)
    assert deleted == {"members": 20, "nodes": 20, "orgs": 20}
    assert db.execute("PRAGMA foreign_keys") == [(1,)]
    assert [db.count(t) for t in SCHEMA] == [0, 0, 0]
    r = seed(db, SCHEMA, count=5, seed=1, reset_first=False, counts={"members": 2})
    assert r.inserted == {"orgs": 5, "nodes": 5, "members": 2}
    assert db.execute("SELECT min(id) FROM orgs") == [(1,)]  # AUTOINCREMENT restarted by reset
    db.close()


def test_children_are_limited_by_the_parent_combinations(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.db")
    r = seed(db, SCHEMA, count=3, seed=0, counts={"members": 50})
    assert r.inserted["members"] <= 9  # (org_id, node_id) is the primary key: at most 3 x 3 pairs
    assert db.execute("PRAGMA foreign_key_check") == []
    db.close()


def test_bad_counts_are_errors(tmp_path: Path) -> None:
    db = _db(tmp_path / "a.db")
    with pytest.raises(MigrationError, match=r"counts names table 'nope'.*tables: members, nodes, orgs"):
        seed(db, SCHEMA, counts={"nope": 1})
    with pytest.raises(MigrationError, match="0 or more"):
        seed(db, SCHEMA, count=-1)
    db.close()


@pytest.mark.parametrize("name", SEEDS)
def test_seed_schemas_can_be_seeded(name: str, tmp_path: Path) -> None:
    tables = load_schema([load_module(name)])
    db = _db(tmp_path / "a.db", tables)
    r = seed(db, tables, count=30, seed=3)
    assert all(n == 30 for n in r.inserted.values()), r.inserted
    assert db.execute("PRAGMA foreign_key_check") == []
    db.close()


def test_cli_seed_and_reset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema_seed_cli.py").write_text(
        "from mizzle.sqlite import Column, Table, integer, text\n\n"
        "class Users(Table, name='users'):\n"
        "    id: Column[int] = integer().primary_key()\n"
        "    email: Column[str] = text().not_null().unique()\n\n"
        "class Posts(Table, name='posts'):\n"
        "    id: Column[int] = integer().primary_key()\n"
        "    user_id: Column[int] = integer().not_null().references(lambda: Users.id, on_delete='cascade')\n"
        "    title: Column[str] = text().not_null()\n")
    (tmp_path / "mizzle.toml").write_text('schema = "schema_seed_cli.py"\nurl = "sqlite:///app.db"\n')
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    assert main(["--no-color", "migrate"]) == 0
    capsys.readouterr()
    assert main(["--no-color", "seed", "--count", "12", "--seed", "9"]) == 0
    out = capsys.readouterr().out
    assert "users" in out and "12 rows" in out and "seeded 24 rows into 2 tables (seed 9)" in out
    db = mizzle.connect("sqlite:///app.db")
    first = db.execute("SELECT * FROM posts ORDER BY id")
    db.close()
    assert main(["--no-color", "seed", "--count", "12", "--seed", "9", "--reset"]) == 0
    assert "reset: deleted 24 rows from 2 tables" in capsys.readouterr().out
    db = mizzle.connect("sqlite:///app.db")
    assert db.execute("SELECT * FROM posts ORDER BY id") == first
    db.close()
    assert main(["--no-color", "seed", "--count", "0", "--reset"]) == 0
    assert "seeded 0 rows" in capsys.readouterr().out
    assert main(["--no-color", "seed", "--count", "-3"]) == 1
    err = capsys.readouterr().err
    assert "--count -3" in err and "mizzle seed --count 50" in err
    assert json.loads((tmp_path / "drizzle" / "meta" / "_journal.json").read_text())["entries"]
