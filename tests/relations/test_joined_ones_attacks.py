"""Adversarial checks of the joined one() plan (`Compiler.relation`): raw SQL naming a root column
without its table, a self-relation filtered on the same table, and a joined row under a root
limited / ordered by a column both tables have."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest

from mizzle import desc, eq, sql
from mizzle.session.sync import Database


@pytest.fixture
def db(make_db: Callable[..., Database], s: ModuleType) -> Database:
    db = make_db(s.ALL)
    db.insert(s.Employees).values([
        {"id": 1, "name": "boss", "manager_id": None},
        {"id": 2, "name": "mid", "manager_id": 1},
        {"id": 3, "name": "low", "manager_id": 2},
        {"id": 4, "name": "orphan", "manager_id": None},
    ]).run()
    return db


def test_self_relation_where_filters_the_related_row_not_the_root(db: Database, s: ModuleType) -> None:
    E = s.Employees
    got = db.query(E).find_many(with_={"manager": {"where": eq(E.name, "boss")}}, order_by=E.id).all()
    assert [(e.id, e.manager and e.manager.name) for e in got] == [(1, None), (2, "boss"), (3, None), (4, None)]
    got = db.query(E).find_many(where=eq(E.name, "low"), with_={"manager": {"with_": {"manager": True}}}).all()
    assert [(e.name, e.manager.name, e.manager.manager.name) for e in got] == [("low", "mid", "boss")]


def test_root_limit_and_order_with_a_joined_self_relation(db: Database, s: ModuleType) -> None:
    E = s.Employees
    got = db.query(E).find_many(with_={"manager": True}, order_by=desc(E.id), limit=2).all()
    assert [(e.id, e.manager and e.manager.id) for e in got] == [(4, None), (3, 2)]
    first = db.query(E).find_first(where=eq(E.id, 2), with_={"manager": {"columns": {"id": True}}}).get()
    assert first is not None and first.manager is not None and first.manager.id == 1


def test_raw_sql_naming_a_root_column_bare(db: Database, s: ModuleType) -> None:
    E = s.Employees
    got = db.query(E).find_many(where=sql("name = 'low'"), with_={"manager": True}).all()
    assert [(e.id, e.manager.name) for e in got] == [(3, "mid")]
    got = db.query(E).find_many(extras={"n": sql("length(name)")}, with_={"manager": True}, order_by=E.id).all()
    assert [(e.id, e.n) for e in got] == [(1, 4), (2, 3), (3, 3), (4, 6)]


def test_two_joined_ones_to_the_same_table_and_ones_inside_a_many(make_db: Callable[..., Database],
                                                                   s: ModuleType) -> None:
    db = make_db(s.ALL)
    Mb, Ms = s.Members, s.Messages
    db.insert(Mb).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}]).run()
    db.insert(Ms).values([
        {"id": 10, "body": "x", "author_id": 1, "editor_id": 2},
        {"id": 11, "body": "y", "author_id": 2, "editor_id": None},
        {"id": 12, "body": "z", "author_id": 2, "editor_id": 2},
    ]).run()
    got = db.query(Ms).find_many(with_={"editor": True, "author": {"columns": {"id": True, "name": True}}},
                                 order_by=Ms.id).all()
    assert [(m.id, m.author.name, m.editor and m.editor.name) for m in got] == [
        (10, "ann", "bob"), (11, "bob", None), (12, "bob", "bob")]
    members = db.query(Mb).find_many(
        with_={"written": {"with_": {"editor": True, "author": True}, "order_by": desc(Ms.id)}}, order_by=Mb.id).all()
    assert [[(w.id, w.author.name, w.editor and w.editor.name) for w in m.written] for m in members] == [
        [(10, "ann", "bob")], [(12, "bob", "bob"), (11, "bob", None)]]
