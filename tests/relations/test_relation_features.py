"""Relation names, self-relations, one-to-one, many-to-many, modes in nested rows, extras, has()."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from types import ModuleType

import pytest

from mizzle import and_, desc, eq, gt, has, like, not_, sql
from mizzle.session.sync import Database

from .conftest import Recorder


@pytest.fixture
def db(make_db: Callable[..., Database], s: ModuleType) -> Database:
    return make_db(s.ALL)


def test_relation_names_tell_author_from_editor(db: Database, s: ModuleType) -> None:
    db.insert(s.Members).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}]).run()
    db.insert(s.Messages).values([
        {"id": 1, "body": "a", "author_id": 1, "editor_id": 2},
        {"id": 2, "body": "b", "author_id": 1},
        {"id": 3, "body": "c", "author_id": 2, "editor_id": 2},
    ]).run()
    msgs = db.query(s.Messages).find_many(with_={"author": True, "editor": True}, order_by=s.Messages.id).all()
    assert [(m.author.name, m.editor.name if m.editor else None) for m in msgs] == [
        ("ann", "bob"), ("ann", None), ("bob", "bob")]
    members = db.query(s.Members).find_many(
        with_={"written": {"columns": {"id": True}}, "edited": {"columns": {"id": True}}}, order_by=s.Members.id
    ).all()
    assert [([m.id for m in x.written], [m.id for m in x.edited]) for x in members] == [([1, 2], []), ([3], [1, 3])]


def test_self_relation_manager_and_reports_at_several_depths(db: Database, s: ModuleType, recorder: Recorder) -> None:
    db.insert(s.Employees).values([
        {"id": 1, "name": "ceo"}, {"id": 2, "name": "cto", "manager_id": 1},
        {"id": 3, "name": "dev", "manager_id": 2}, {"id": 4, "name": "ops", "manager_id": 2},
    ]).run()
    recorder.clear()
    dev = db.query(s.Employees).find_first(
        where=eq(s.Employees.id, 3), with_={"manager": {"with_": {"manager": True, "reports": {"order_by": s.Employees.id}}}}
    ).get()
    assert dev is not None
    assert dev.manager.name == "cto" and dev.manager.manager.name == "ceo"
    assert [r.name for r in dev.manager.reports] == ["dev", "ops"]
    ceo = db.query(s.Employees).find_first(
        where=eq(s.Employees.id, 1),
        with_={"manager": True, "reports": {"where": like(s.Employees.name, "c%"), "with_": {
            "reports": {"order_by": desc(s.Employees.id), "limit": 1}}}},
    ).get()
    assert ceo is not None and ceo.manager is None
    assert [(r.name, [x.name for x in r.reports]) for r in ceo.reports] == [("cto", ["ops"])]
    assert len(recorder.statements) == 2
    # the where of the first level names the (aliased) related rows, not the root row
    none = db.query(s.Employees).find_first(where=eq(s.Employees.id, 1),
                                          with_={"reports": {"where": eq(s.Employees.name, "ceo")}}).get()
    assert none is not None and none.reports == []
    fn = db.query(s.Employees).find_first(where=eq(s.Employees.id, 2),
                                        with_={"reports": {"where": lambda t: eq(t.name, "ops")}}).get()
    assert fn is not None and [r.id for r in fn.reports] == [4]


def test_one_to_one_optional_side_and_many_to_many(db: Database, s: ModuleType) -> None:
    db.insert(s.People).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}, {"id": 3, "name": "cat"}]).run()
    db.insert(s.Profiles).values([{"id": 10, "person_id": 1, "bio": "hi"}]).run()
    db.insert(s.Groups).values([{"id": 1, "title": "g1"}, {"id": 2, "title": "g2"}]).run()
    db.insert(s.GroupMembers).values([{"group_id": 1, "person_id": 1}, {"group_id": 2, "person_id": 1},
                                    {"group_id": 2, "person_id": 2}]).run()
    db.insert(s.Follows).values([{"follower_id": 1, "followee_id": 2}, {"follower_id": 3, "followee_id": 2},
                               {"follower_id": 2, "followee_id": 1}]).run()
    people = db.query(s.People).find_many(
        with_={"profile": True, "groups": {"order_by": s.Groups.id}, "following": True,
               "followers": {"order_by": s.People.id}},
        order_by=s.People.id,
    ).all()
    assert [p.profile.bio if p.profile else None for p in people] == ["hi", None, None]
    assert [[g.title for g in p.groups] for p in people] == [["g1", "g2"], ["g2"], []]
    assert [[f.name for f in p.following] for p in people] == [["bob"], ["ann"], ["bob"]]
    assert [[f.name for f in p.followers] for p in people] == [["bob"], ["ann", "cat"], []]
    groups = db.query(s.Groups).find_many(
        with_={"people": {"columns": {"name": True}, "order_by": s.People.id,
                          "with_": {"profile": {"columns": {"bio": True}}}}},
        order_by=s.Groups.id,
    ).all()
    assert [[(p.name, p.profile.bio if p.profile else None) for p in g.people] for g in groups] == [
        [("ann", "hi")], [("ann", "hi"), ("bob", None)]]


MOMENT = datetime(2024, 2, 29, 23, 59, 58, tzinfo=UTC)
MOMENT_MS = datetime(2024, 2, 29, 23, 59, 58, 123000, tzinfo=UTC)


def test_modes_round_trip_in_nested_rows_like_a_flat_select(db: Database, s: ModuleType) -> None:
    db.insert(s.Boxes).values([{"id": 1, "label": "full"}, {"id": 2, "label": "nulls"}]).run()
    db.insert(s.Things).values([
        {"id": 1, "box_id": 1, "flag": True, "at": MOMENT, "at_ms": MOMENT_MS, "doc": {"a": [1, "x", None]},
         "doc_blob": [1.5, {"k": True}], "raw": bytes(range(256)), "big": 2**63 - 1, "ratio": 0.1 + 0.2,
         "amount": Decimal("12.5"), "count": 2**62, "note": 'quote " and \\ and é ✓'},
        {"id": 2, "box_id": 1, "flag": False, "raw": b"", "ratio": 1e-300, "doc": "just a string",
         "doc_blob": None, "big": -5},
        {"id": 3, "box_id": 2},
    ]).run()
    flat = {t.id: t for t in db.select().from_(s.Things).all()}
    boxes = db.query(s.Boxes).find_many(with_={"things": {"order_by": s.Things.id}, "first_thing": True},
                                      order_by=s.Boxes.id).all()
    nested = [t for b in boxes for t in b.things]
    assert len(nested) == 3
    for t in nested:
        want = flat[t.id]
        assert tuple(t) == tuple(want)
        for key in want._fields:
            assert type(getattr(t, key)) is type(getattr(want, key)), key
    t1 = nested[0]
    assert t1.flag is True and t1.at == MOMENT and t1.at_ms == MOMENT_MS
    assert t1.raw == bytes(range(256)) and t1.big == 2**63 - 1 and t1.ratio == 0.1 + 0.2
    assert t1.amount == Decimal("12.5") and t1.doc_blob == [1.5, {"k": True}]
    assert nested[1].flag is False and nested[1].raw == b"" and nested[1].doc == "just a string"
    assert nested[2].flag is None and nested[2].raw is None and nested[2].at is None
    # a one() relation decodes the same way, and a nested parent goes back to the box
    assert boxes[0].first_thing is not None and tuple(boxes[0].first_thing) == tuple(flat[1])
    thing = db.query(s.Things).find_first(where=eq(s.Things.id, 2), with_={"box": {"with_": {"things": {
        "columns": {"at_ms": True, "raw": True}, "order_by": s.Things.id}}}}).get()
    assert thing is not None
    assert [(x.at_ms, x.raw) for x in thing.box.things] == [(MOMENT_MS, bytes(range(256))), (None, b"")]


def test_columns_include_exclude_and_extras(db: Database, s: ModuleType) -> None:
    db.insert(s.Boxes).values([{"id": 1, "label": "abc"}]).run()
    db.insert(s.Things).values([{"id": 1, "box_id": 1, "note": "hello"}, {"id": 2, "box_id": 1, "note": "hi"}]).run()
    box = db.query(s.Boxes).find_first(
        columns={"label": True},
        extras={"label_len": sql[int]("length({})", s.Boxes.label), "n": sql[int]("(select count(*) from rel_things)")},
        with_={"things": {"columns": {"raw": False, "doc": False, "doc_blob": False},
                          "extras": lambda t: {"shout": sql[str]("upper({})", t.note)},
                          "where": gt(s.Things.id, 1)}},
    ).get()
    assert box is not None
    assert box._fields == ("label", "things", "label_len", "n")
    assert box.label == "abc" and box.label_len == 3 and box.n == 2
    (thing,) = box.things
    assert "raw" not in thing._fields and "note" in thing._fields
    assert thing.shout == "HI" and thing.box_id == 1


def test_has_filters_on_related_rows(db: Database, s: ModuleType) -> None:
    db.insert(s.Members).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}, {"id": 3, "name": "cat"}]).run()
    db.insert(s.Messages).values([{"id": 1, "body": "hello", "author_id": 1},
                                {"id": 2, "body": "bye", "author_id": 2, "editor_id": 1}]).run()
    q = db.query(s.Members)
    assert [m.name for m in q.find_many(where=has(s.Members, "written"), order_by=s.Members.id).all()] == ["ann", "bob"]
    assert [m.name for m in q.find_many(where=has(s.Members, "written", like(s.Messages.body, "b%"))).all()] == ["bob"]
    assert [m.name for m in q.find_many(where=not_(has(s.Members, "edited"))).all()] == ["bob", "cat"]
    # in a plain select and in a nested level
    assert db.select(s.Members.name).from_(s.Members).where(
        and_(has(s.Members, "written"), has(s.Members, "edited"))).all() == [("ann",)]
    msgs = db.query(s.Messages).find_many(with_={"author": {"where": has(s.Members, "edited")}}, order_by=s.Messages.id).all()
    assert [m.author.name if m.author else None for m in msgs] == ["ann", None]
    db.insert(s.Employees).values([{"id": 1, "name": "boss"}, {"id": 2, "name": "dev", "manager_id": 1}]).run()
    managers = db.query(s.Employees).find_many(where=has(s.Employees, "reports")).all()
    assert [e.name for e in managers] == ["boss"]
    assert [e.name for e in db.query(s.Employees).find_many(where=has(s.Employees, "manager", eq(s.Employees.name, "boss"))
                                                          ).all()] == ["dev"]
    db.insert(s.People).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}]).run()
    db.insert(s.Groups).values([{"id": 1, "title": "g"}]).run()
    db.insert(s.GroupMembers).values([{"group_id": 1, "person_id": 2}]).run()
    assert [p.name for p in db.query(s.People).find_many(where=has(s.People, "groups", eq(s.Groups.title, "g"))).all()
            ] == ["bob"]
