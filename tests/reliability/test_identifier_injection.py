"""Identifiers are data, never SQL: hostile table/column/index names through generate -> migrate -> pull.

The attack from issue 13: a column declared as ``text("a` text); DROP TABLE aaa_victim; CREATE TABLE zz (`q")``
made `generate` + `migrate` drop `aaa_victim` (names were wrapped in quotes without doubling the quote char).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rel_helpers import Target

import mizzle
from mizzle.errors import SchemaError
from mizzle.kit.api import generate

BACKTICK = "a` text); DROP TABLE aaa_victim; CREATE TABLE zz (`q"
DOUBLE = 'b" text); DROP TABLE aaa_victim; CREATE TABLE zz ("q'
SINGLE = "c' text); DROP TABLE aaa_victim; --"


def _victim(target: Target) -> None:
    db = target.connect()
    try:
        db.execute("CREATE TABLE aaa_victim (id integer primary key)")
        db.execute("INSERT INTO aaa_victim (id) VALUES (1)")
    finally:
        db.close()


def _hostile_tables(mod: Any) -> list[type[Any]]:
    ns: dict[str, Any] = {
        "id": mod.integer("id").primary_key(),
        "x": mod.text(BACKTICK),
        "y": mod.text(DOUBLE),
        "z": mod.text(SINGLE).default("it's"),
    }
    ns["__indexes__"] = lambda t: (mod.index('ix"`; DROP TABLE aaa_victim; --').on(t.x),)
    table = type("Hostile", (mod.Table,), ns, name='t`"; DROP TABLE aaa_victim; --')
    return [table]


def test_hostile_names_generate_and_migrate_without_injection(target: Target, tmp_path: Path) -> None:
    _victim(target)
    tables = _hostile_tables(target.mod)
    result = generate(tables, tmp_path / "migrations")
    assert result.changed
    db = target.connect()
    try:
        mizzle.migrate(db, tmp_path / "migrations")
        names = target.tables(db)
        assert "aaa_victim" in names
        assert "zz" not in names
        hostile = tables[0].__table__.name
        assert hostile in names
        assert target.columns(db, hostile) == ["id", BACKTICK, DOUBLE, SINGLE]
        assert db.execute("SELECT count(*) FROM aaa_victim")[0][0] == 1
    finally:
        db.close()
    again = generate(tables, tmp_path / "migrations")
    assert not again.changed


def test_hostile_names_in_create_all_and_queries(target: Target) -> None:
    _victim(target)
    tables = _hostile_tables(target.mod)
    db = target.connect()
    try:
        mizzle.create_all(db, tables)
        t = tables[0]
        db.insert(t).values(id=1, x="1", y="2").run()
        assert [tuple(r) for r in db.select(t.x, t.y, t.z).from_(t).all()] == [("1", "2", "it's")]
        assert "aaa_victim" in target.tables(db)
        assert "zz" not in target.tables(db)
    finally:
        db.close()


@pytest.mark.parametrize("bad", ["a\x00b"])
def test_names_a_database_cannot_hold_are_refused_at_definition(target: Target, bad: str) -> None:
    mod = target.mod
    with pytest.raises(SchemaError, match=r"column .*t_nul"):
        type("T", (mod.Table,), {"id": mod.integer("id").primary_key(), "c": mod.text(bad)}, name="t_nul")
    with pytest.raises(SchemaError, match="table"):
        type("T", (mod.Table,), {"id": mod.integer("id").primary_key()}, name=bad)


def test_too_long_names_are_refused_where_the_database_would_cut_them(target: Target) -> None:
    mod = target.mod
    long = "é" * 40  # 40 characters, 80 UTF-8 bytes: over PostgreSQL's 63 bytes, under MySQL's 64 characters
    longer = "x" * 65  # over MySQL's 64 characters
    ns: dict[str, Any] = {"id": mod.integer("id").primary_key()}
    if target.kind == "postgres":
        with pytest.raises(SchemaError, match="63 bytes"):
            type("T", (mod.Table,), {**ns, "c": mod.text(long)}, name="t_long")
    elif target.kind == "mysql":
        with pytest.raises(SchemaError, match="64 characters"):
            type("T", (mod.Table,), {**ns, "c": mod.text(longer)}, name="t_long")
        with pytest.raises(SchemaError, match="trailing space"):
            type("T", (mod.Table,), {**ns, "c": mod.text("c ")}, name="t_long")
        with pytest.raises(SchemaError, match="U\\+FFFF"):
            type("T", (mod.Table,), {**ns, "c": mod.text("smile 🙂")}, name="t_long")
    else:
        type("T", (mod.Table,), {**ns, "c": mod.text(longer)}, name="t_long")  # SQLite has no length limit
