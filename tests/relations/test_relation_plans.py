"""Edge cases of the relational plan, on every dialect.

SQLite and MySQL nest a correlated JSON subquery per relation; PostgreSQL aggregates each relation
once per key in a grouped derived table and joins it (`mizzle.dialects.postgres.relational_plan`).
These pin the semantics both must share: per-parent order / limit / offset (limits cut per parent,
not over the whole child table), empty children, three and more levels, one() relations that are
NULL, `where` at every level, a root `where` / `limit` / `offset` narrowing the nested rows, and
prepared placeholders used in several places. Always one statement.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import pytest

from mizzle import desc, eq, gt, like, ne, placeholder, sql
from mizzle.session.sync import Database

from .conftest import Recorder


@pytest.fixture
def db(make_db: Callable[..., Database], s: ModuleType) -> Database:
    db = make_db(s.ALL)
    db.insert(s.Members).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}, {"id": 3, "name": "cat"},
                                 {"id": 4, "name": "dan"}]).run()
    db.insert(s.Messages).values([
        {"id": 1, "body": "a1", "author_id": 1, "editor_id": 2},
        {"id": 2, "body": "a2", "author_id": 1},
        {"id": 3, "body": "a3", "author_id": 1, "editor_id": 3},
        {"id": 4, "body": "a4", "author_id": 1, "editor_id": 2},
        {"id": 5, "body": "b1", "author_id": 2, "editor_id": 1},
        {"id": 6, "body": "c1", "author_id": 3},
        {"id": 7, "body": "c2", "author_id": 3, "editor_id": 1},
    ]).run()
    db.insert(s.Employees).values([
        {"id": 1, "name": "ceo"},
        {"id": 2, "name": "cto", "manager_id": 1}, {"id": 3, "name": "cfo", "manager_id": 1},
        {"id": 4, "name": "dev1", "manager_id": 2}, {"id": 5, "name": "dev2", "manager_id": 2},
        {"id": 6, "name": "dev3", "manager_id": 2}, {"id": 7, "name": "acc", "manager_id": 3},
        {"id": 8, "name": "intern", "manager_id": 4}, {"id": 9, "name": "intern2", "manager_id": 4},
    ]).run()
    return db


def _ids(rows: list[object]) -> list[int]:
    return [r.id for r in rows]  # type: ignore[attr-defined]


def test_per_parent_limit_and_offset_follow_the_order(db: Database, s: ModuleType, recorder: Recorder) -> None:
    recorder.clear()
    q = db.query(s.Members)
    got = q.find_many(with_={"written": {"order_by": desc(s.Messages.id), "limit": 2}}, order_by=s.Members.id).all()
    assert [_ids(m.written) for m in got] == [[4, 3], [5], [7, 6], []]
    got = q.find_many(with_={"written": {"order_by": desc(s.Messages.id), "limit": 2, "offset": 1}},
                      order_by=s.Members.id).all()
    assert [_ids(m.written) for m in got] == [[3, 2], [], [6], []]
    got = q.find_many(with_={"written": {"order_by": s.Messages.id, "offset": 1}}, order_by=s.Members.id).all()
    assert [_ids(m.written) for m in got] == [[2, 3, 4], [], [7], []]
    got = q.find_many(with_={"written": {"order_by": s.Messages.body, "limit": 0}}, order_by=s.Members.id).all()
    assert [m.written for m in got] == [[], [], [], []]
    # ordered by a column that is not selected, on two relations of the same table
    got = q.find_many(columns={"name": True}, with_={
        "written": {"columns": {"body": True}, "order_by": desc(s.Messages.id), "limit": 1},
        "edited": {"columns": {"body": True}, "order_by": s.Messages.id}}, order_by=desc(s.Members.name)).all()
    assert [(m.name, [x.body for x in m.written], [x.body for x in m.edited]) for m in got] == [
        ("dan", [], []), ("cat", ["c2"], ["a3"]), ("bob", ["b1"], ["a1", "a4"]), ("ann", ["a4"], ["b1", "c2"])]
    assert len(recorder.statements) == 5


def test_root_where_limit_and_offset_with_empty_children(db: Database, s: ModuleType) -> None:
    q = db.query(s.Members)
    got = q.find_many(where=gt(s.Members.id, 1), order_by=desc(s.Members.id), limit=2, offset=1,
                      with_={"written": {"order_by": s.Messages.id}, "edited": True}).all()
    assert [(m.id, _ids(m.written), sorted(_ids(m.edited))) for m in got] == [(3, [6, 7], [3]), (2, [5], [1, 4])]
    dan = q.find_first(where=eq(s.Members.name, "dan"), with_={"written": {"with_": {"editor": True}}}).get()
    assert dan is not None and dan.written == []
    nobody = q.find_first(where=eq(s.Members.name, "zed"), with_={"written": True}).get()
    assert nobody is None
    first = q.find_first(order_by=desc(s.Members.id), with_={"written": True}).get()
    assert first is not None and first.id == 4 and first.written == []
    assert q.find_many(where=gt(s.Members.id, 99), with_={"written": True}).all() == []
    # a limit without an order: whichever rows come back carry their own children
    for where in (None, gt(s.Members.id, 0)):
        some = q.find_many(where=where, limit=2, with_={"written": {"order_by": s.Messages.id}}).all()
        assert len(some) == 2
        assert all(_ids(m.written) == {1: [1, 2, 3, 4], 2: [5], 3: [6, 7], 4: []}[m.id] for m in some)
    # root extras see the rows before the root's limit, as in a plain select
    got = q.find_many(where=gt(s.Members.id, 1), order_by=desc(s.Members.name), limit=2, with_={"written": True},
                      extras={"total": sql[int]("count(*) over ()"), "up": sql[str]("upper({})", s.Members.name)}).all()
    assert [(m.name, m.total, m.up, len(m.written)) for m in got] == [("dan", 3, "DAN", 0), ("cat", 3, "CAT", 2)]


def test_three_levels_with_limits_and_where_at_each(db: Database, s: ModuleType, recorder: Recorder) -> None:
    recorder.clear()
    ceo = db.query(s.Employees).find_first(where=eq(s.Employees.id, 1), with_={"reports": {
        "order_by": s.Employees.id,
        "with_": {"reports": {"order_by": desc(s.Employees.id), "limit": 2, "where": ne(s.Employees.name, "dev3"),
                              "with_": {"reports": {"order_by": s.Employees.name, "columns": {"name": True}},
                                        "manager": {"columns": {"name": True}}}}}}}).get()
    assert ceo is not None
    shape = [(r.name, [(x.name, x.manager.name, [i.name for i in x.reports]) for x in r.reports]) for r in ceo.reports]
    assert shape == [("cto", [("dev2", "cto", []), ("dev1", "cto", ["intern", "intern2"])]), ("cfo", [("acc", "cfo", [])])]
    # many-to-one-to-many: messages -> author -> written, limited per author, from a narrowed root
    msgs = db.query(s.Messages).find_many(where=like(s.Messages.body, "c%"), order_by=s.Messages.id, with_={
        "author": {"with_": {"written": {"order_by": desc(s.Messages.id), "limit": 1,
                                         "with_": {"editor": {"columns": {"name": True}}}}}}}).all()
    assert [(m.id, m.author.name, [(w.id, w.editor.name if w.editor else None) for w in m.author.written])
            for m in msgs] == [(6, "cat", [(7, "ann")]), (7, "cat", [(7, "ann")])]
    assert len(recorder.statements) == 2


def test_one_relations_are_none_when_missing_or_filtered(db: Database, s: ModuleType) -> None:
    msgs = db.query(s.Messages).find_many(order_by=s.Messages.id, with_={
        "editor": True, "author": {"where": ne(s.Members.name, "bob"), "columns": {"name": True}}}).all()
    assert [m.editor.name if m.editor else None for m in msgs] == ["bob", None, "cat", "bob", "ann", None, "ann"]
    assert [m.author.name if m.author else None for m in msgs] == ["ann"] * 4 + [None, "cat", "cat"]
    emps = db.query(s.Employees).find_many(order_by=s.Employees.id, limit=3,
                                           with_={"manager": {"with_": {"manager": True}}}).all()
    assert [(e.manager.name if e.manager else None,
             e.manager.manager.name if e.manager and e.manager.manager else None) for e in emps] == [
        (None, None), ("ceo", None), ("ceo", None)]
    # a one() whose key is not the target's primary key: the optional side of a one-to-one
    db.insert(s.People).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}]).run()
    db.insert(s.Profiles).values([{"id": 10, "person_id": 2, "bio": "hello"}]).run()
    people = db.query(s.People).find_many(order_by=s.People.id, with_={"profile": {"with_": {"person": True}}}).all()
    assert [(p.profile.bio, p.profile.person.name) if p.profile else None for p in people] == [None, ("hello", "bob")]


def test_many_to_many_limited_per_parent(db: Database, s: ModuleType) -> None:
    db.insert(s.People).values([{"id": i, "name": n} for i, n in enumerate(["ann", "bob", "cat"], 1)]).run()
    db.insert(s.Groups).values([{"id": i, "title": f"g{i}"} for i in range(1, 5)]).run()
    db.insert(s.GroupMembers).values([{"group_id": g, "person_id": p} for p, g in
                                      [(1, 1), (1, 2), (1, 3), (2, 2), (2, 4)]]).run()
    people = db.query(s.People).find_many(where=ne(s.People.name, "bob"), order_by=s.People.id, with_={
        "groups": {"order_by": desc(s.Groups.id), "limit": 2, "with_": {
            "people": {"order_by": s.People.id, "columns": {"name": True}}}}}).all()
    assert [(p.name, [(g.title, [x.name for x in g.people]) for g in p.groups]) for p in people] == [
        ("ann", [("g3", ["ann"]), ("g2", ["ann", "bob"])]), ("cat", [])]


def test_prepared_placeholders_in_root_and_nested_levels(db: Database, s: ModuleType) -> None:
    q = db.query(s.Members).find_many(
        where=gt(s.Members.id, placeholder("after")), order_by=s.Members.id, limit=placeholder("n"),
        with_={"written": {"order_by": desc(s.Messages.id), "limit": placeholder("per"),
                           "offset": placeholder("skip"), "where": ne(s.Messages.body, placeholder("not_body"))}},
    ).prepare()
    got = q.all(after=0, n=3, per=2, skip=0, not_body="a4")
    assert [(m.id, _ids(m.written)) for m in got] == [(1, [3, 2]), (2, [5]), (3, [7, 6])]
    got = q.all(after=2, n=1, per=1, skip=1, not_body="zz")
    assert [(m.id, _ids(m.written)) for m in got] == [(3, [6])]


def test_nested_where_and_extras_may_read_the_parent_row(db: Database, s: ModuleType) -> None:
    got = db.query(s.Members).find_many(order_by=s.Members.id, with_={"written": {
        "where": gt(s.Messages.editor_id, s.Members.id), "order_by": s.Messages.id,
        "extras": {"mine": sql[bool]("{} = {}", s.Messages.author_id, s.Members.id)}}}).all()
    assert [[(x.id, x.mine) for x in m.written] for m in got] == [[(1, True), (3, True), (4, True)], [], [], []]
