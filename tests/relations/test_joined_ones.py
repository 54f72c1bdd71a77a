"""one() relations on the target's primary key load through a `left join` (plain columns, no JSON).

The plan (`Compiler.relation` in `mizzle.relations.build`) must give exactly what the JSON plan gives:
every column kind decodes as in a flat select, a missing or filtered-out related row is None while a
related row whose other columns are all NULL is an object of Nones, nested relations under a joined
row (JSON or joined again) see the right parent, and prepared values reach the join's condition. On
every dialect (PostgreSQL runs its grouped plan for most of these; they pin the same results).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest

from mizzle import desc, eq, gt, ne, placeholder, sql
from mizzle.session.sync import Database

from .conftest import Recorder

MOMENT = datetime(2024, 2, 29, 23, 59, 58, tzinfo=UTC)
MOMENT_MS = datetime(2024, 2, 29, 23, 59, 58, 123000, tzinfo=UTC)


@pytest.fixture
def db(make_db: Callable[..., Database], s: ModuleType) -> Database:
    db = make_db(s.ALL)
    db.insert(s.Boxes).values([{"id": 1, "label": "full"}, {"id": 2, "label": "nulls"}, {"id": 3, "label": "empty"}]).run()
    db.insert(s.Things).values([
        {"id": 1, "box_id": 1, "flag": True, "at": MOMENT, "at_ms": MOMENT_MS, "doc": {"a": [1, "x", None]},
         "doc_blob": [1.5, {"k": True}], "raw": bytes(range(256)), "big": 2**62 + 1, "ratio": 0.1 + 0.2,
         "amount": Decimal("12.5"), "count": 2**53 + 1, "note": 'quote " and \\ and é ✓'},
        {"id": 2, "box_id": 1, "flag": False, "raw": b"", "ratio": 1e-300, "doc": "just a string", "big": -5,
         "amount": Decimal("-0.000001"), "count": 0, "note": ""},
        {"id": 3, "box_id": 2},  # every nullable column NULL
    ]).run()
    return db


def _same_values(got: Any, want: Any) -> None:
    assert got is not None
    assert got._fields == want._fields
    for key in want._fields:
        g, w = getattr(got, key), getattr(want, key)
        assert type(g) is type(w) and g == w, (key, g, w)


def test_every_column_kind_through_a_join_matches_a_flat_select(db: Database, s: ModuleType,
                                                                recorder: Recorder) -> None:
    flat = {t.id: t for t in db.select().from_(s.Things).all()}
    recorder.clear()
    things = db.query(s.Things).find_many(with_={"same": True, "box": True}, order_by=s.Things.id).all()
    assert len(recorder.statements) == 1
    assert [t.id for t in things] == [1, 2, 3]
    for t in things:
        _same_values(t, _with(flat[t.id], same=t.same, box=t.box))
        _same_values(t.same, flat[t.id])
    assert things[2].same.flag is None and things[2].same.raw is None and things[2].same.doc is None
    assert [t.box.label for t in things] == ["full", "full", "nulls"]
    # the same rows under a many() (JSON) and under a one() that is not on a primary key (JSON)
    boxes = db.query(s.Boxes).find_many(with_={"things": {"order_by": s.Things.id, "with_": {"same": True}},
                                              "first_thing": {"with_": {"same": True}}}, order_by=s.Boxes.id).all()
    for b in boxes:
        for t in b.things:
            _same_values(t.same, flat[t.id])
        if b.first_thing is not None:
            _same_values(b.first_thing.same, flat[b.first_thing.id])
    assert [len(b.things) for b in boxes] == [2, 1, 0] and boxes[2].first_thing is None


def _with(row: Any, **relations: Any) -> Any:
    """A stand-in with `row`'s values and the given relation values, compared field by field."""
    fields = (*row._fields, *relations)

    class Row:
        _fields = fields

    out = Row()
    for k in row._fields:
        setattr(out, k, getattr(row, k))
    for k, v in relations.items():
        setattr(out, k, v)
    return out


def test_missing_filtered_and_all_null_related_rows(db: Database, s: ModuleType) -> None:
    q = db.query(s.Things)
    # a related row whose selected columns are all NULL is an object; a filtered-out one is None
    got = q.find_many(order_by=s.Things.id, with_={"same": {"columns": {"id": True, "flag": True, "note": True},
                                                           "where": ne(s.Things.id, 2)}}).all()
    assert [(t.id, None if t.same is None else (t.same.id, t.same.flag, t.same.note)) for t in got] == [
        (1, (1, True, 'quote " and \\ and é ✓')), (2, None), (3, (3, None, None))]
    # the key not selected: the JSON plan, same answers
    got = q.find_many(order_by=s.Things.id, with_={"same": {"columns": {"flag": True, "note": True},
                                                           "where": ne(s.Things.id, 2)}}).all()
    assert [None if t.same is None else (t.same.flag, t.same.note) for t in got] == [
        (True, 'quote " and \\ and é ✓'), None, (None, None)]
    # a NULL foreign key, and a chain of joined one()s to the same table
    db.insert(s.Employees).values([{"id": 1, "name": "ceo"}, {"id": 2, "name": "cto", "manager_id": 1},
                                   {"id": 3, "name": "dev", "manager_id": 2}]).run()
    emps = db.query(s.Employees).find_many(order_by=desc(s.Employees.id), with_={
        "manager": {"with_": {"manager": {"columns": {"name": True, "id": True}}}}}).all()
    assert [(e.name, e.manager and e.manager.name, e.manager and e.manager.manager and e.manager.manager.name)
            for e in emps] == [("dev", "cto", "ceo"), ("cto", "ceo", None), ("ceo", None, None)]
    # a root limit counts parent rows, not joined rows
    first = db.query(s.Employees).find_first(where=gt(s.Employees.id, 1), order_by=s.Employees.id,
                                             with_={"manager": True}).get()
    assert first is not None and (first.name, first.manager.name) == ("cto", "ceo")


def test_relations_under_a_joined_row(db: Database, s: ModuleType) -> None:
    got = db.query(s.Things).find_many(order_by=s.Things.id, with_={"box": {
        "with_": {"things": {"order_by": desc(s.Things.id), "limit": 1, "columns": {"id": True}},
                  "first_thing": {"columns": {"id": True}}}}}).all()
    assert [(t.id, [x.id for x in t.box.things], t.box.first_thing and t.box.first_thing.id) for t in got] == [
        (1, [2], 1), (2, [2], 1), (3, [3], 3)]
    # joined -> joined -> many, with where at each level
    got = db.query(s.Things).find_many(order_by=s.Things.id, with_={"same": {
        "where": ne(s.Things.id, 3), "with_": {"box": {"where": eq(s.Boxes.label, "full"), "with_": {
            "things": {"order_by": s.Things.id, "columns": {"id": True, "note": True}}}}}}}).all()
    assert [None if t.same is None else [x.note for x in t.same.box.things] for t in got] == [
        ['quote " and \\ and é ✓', ""], ['quote " and \\ and é ✓', ""], None]
    # root extras next to joined columns
    got = db.query(s.Things).find_many(order_by=s.Things.id, columns={"id": True}, with_={"box": True},
                                       extras={"twice": sql[int]("{} * 2", s.Things.id)}).all()
    assert [(t._fields, t.id, t.box.label, t.twice) for t in got] == [
        (("id", "box", "twice"), 1, "full", 2), (("id", "box", "twice"), 2, "full", 4),
        (("id", "box", "twice"), 3, "nulls", 6)]


def test_prepared_values_reach_the_join_condition(db: Database, s: ModuleType) -> None:
    q = db.query(s.Things).find_many(where=gt(s.Things.id, placeholder("after")), order_by=s.Things.id, with_={
        "box": {"where": ne(s.Boxes.label, placeholder("not_label"))}}).prepare()
    assert [(t.id, t.box and t.box.label) for t in q.all(after=0, not_label="full")] == [
        (1, None), (2, None), (3, "nulls")]
    assert [(t.id, t.box and t.box.label) for t in q.all(after=1, not_label="nulls")] == [(2, "full"), (3, None)]
    one = db.query(s.Things).find_first(where=eq(s.Things.id, placeholder("id")), with_={"same": True}).prepare()
    for i in (1, 2, 3):
        t = one.get(id=i)
        assert t is not None and t.id == i and t.same is not None and t.same.id == i
    assert one.get(id=4) is None


def test_scoped_aliases_are_per_table_and_name(s: ModuleType) -> None:
    from mizzle.relations.filters import scoped_alias

    a = scoped_alias(s.Things, "__t1")
    assert a is scoped_alias(s.Things, "__t1")  # built once
    b, c = scoped_alias(s.Boxes, "__t1"), scoped_alias(s.Things, "__t2")
    assert len({a, b, c}) == 3
    assert (a.__table__.name, a.__table__.alias, b.__table__.name, c.__table__.alias) == (
        "rel_things", "__t1", "rel_boxes", "__t2")
    assert a.id.table is a and s.Things.id.table is s.Things  # the table's own columns untouched
