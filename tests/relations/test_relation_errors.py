"""Bad declarations and bad query options give errors naming what is wrong and where."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import mizzle
from mizzle import eq, relations
from mizzle.errors import QueryError, SchemaError
from mizzle.relations import define, link
from mizzle.sqlite import Column, Table, integer

from .models import Boxes, Members, Things


class Authors(Table, name="err_authors"):
    id: Column[int] = integer().primary_key()


class Notes(Table, name="err_notes"):
    id: Column[int] = integer().primary_key()
    author_id: Column[int] = integer().not_null().references(lambda: Authors.id)
    reviewer_id: Column[int | None] = integer().references(lambda: Authors.id)


class Loose(Table, name="err_loose"):
    id: Column[int] = integer().primary_key()
    ref: Column[int | None] = integer()


relations(Authors, lambda r: {"notes": r.many(Notes), "loose": r.many(Loose),
                              "named": r.many(Notes, relation_name="nope")})
relations(Loose, lambda r: {"author": r.one(Authors)})


def test_ambiguous_many_names_the_missing_declaration() -> None:
    with pytest.raises(SchemaError) as e:
        link(Authors, "notes")
    msg = str(e.value)
    assert "Authors.notes" in msg and "2 foreign keys" in msg
    assert "relations(Notes, lambda r:" in msg and "r.one(Authors" in msg


def test_no_foreign_key_and_unmatched_relation_name() -> None:
    with pytest.raises(SchemaError, match=r"Authors.loose.*err_loose has no foreign key to err_authors"):
        link(Authors, "loose")
    with pytest.raises(SchemaError, match=r"Authors.named.*relation_name='nope'"):
        link(Authors, "named")
    with pytest.raises(SchemaError, match=r"Loose.author.*no foreign key between err_loose and err_authors"):
        link(Loose, "author")


def test_unknown_relation_lists_the_known_ones() -> None:
    with pytest.raises(SchemaError, match=r"rel_boxes has no relation 'thingz' \(relations: things, first_thing\)"):
        link(Boxes, "thingz")
    db = mizzle.connect(":memory:")
    with pytest.raises(SchemaError, match="thingz"):
        db.query(Boxes).find_many(with_={"thingz": True})


@pytest.fixture
def scratch() -> Iterator[None]:
    """Undo the relations() calls a test makes (a broken declaration stays broken otherwise)."""
    saved = {t: list(v) for t, v in define._registry.items()}
    yield
    define._registry.clear()
    define._registry.update(saved)
    define._generation[0] += 1


def test_bad_declarations(scratch: None) -> None:
    with pytest.raises(SchemaError, match="fields has 1 columns but references has 0"):
        relations(Authors, lambda r: {"x": r.one(Notes, fields=[Authors.id])}).defs  # noqa: B018
    with pytest.raises(SchemaError, match="takes a table class"):
        mizzle.many("Notes")  # type: ignore[type-var]
    with pytest.raises(SchemaError, match="same name as a column"):
        relations(Notes, lambda r: {"id": r.many(Authors)}).defs  # noqa: B018
    with pytest.raises(SchemaError, match="must return a dict"):
        relations(Loose, lambda r: [r.many(Authors)]).defs  # type: ignore[arg-type,return-value]  # noqa: B018
    with pytest.raises(SchemaError, match="through= takes a junction table"):
        mizzle.many(Notes, through=Notes.id)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="relations\\(\\) takes a table class"):
        relations("users", {})  # type: ignore[type-var]


def test_bad_query_options_name_the_path() -> None:
    db = mizzle.connect(":memory:")
    q = db.query(Boxes)
    with pytest.raises(QueryError, match=r"rel_boxes.things: unknown option 'order'"):
        q.find_many(with_={"things": {"order": Things.id}})
    with pytest.raises(QueryError, match=r"rel_boxes.things: columns names 'nope'.*columns: id, box_id"):
        q.find_many(with_={"things": {"columns": {"nope": True}}})
    with pytest.raises(QueryError, match=r"rel_boxes: limit must be a non-negative int"):
        q.find_many(limit=-1)
    with pytest.raises(QueryError, match=r"rel_boxes.first_thing: limit does not apply to a one\(\) relation"):
        q.find_many(with_={"first_thing": {"limit": 2}})
    with pytest.raises(QueryError, match=r"'label' is a column, not a relation"):
        q.find_many(with_={"label": True})
    with pytest.raises(QueryError, match=r"extra 'label' has the same name as a column"):
        q.find_many(extras={"label": mizzle.sql[str]("1")})
    with pytest.raises(QueryError, match=r"rel_boxes.things: give True or a dict"):
        q.find_many(with_={"things": 1})
    with pytest.raises(AttributeError, match=r"db.query has no table 'rel_boxez'.*db.query\(TableClass\)"):
        db.query.rel_boxez  # noqa: B018
    assert db.query.rel_boxes.table is Boxes  # registered relations make a table reachable by name
    with pytest.raises(QueryError, match=r"schema=.*holds no table"):
        mizzle.connect(":memory:", schema=[1, 2]).query  # noqa: B018
    only = mizzle.connect(":memory:", schema=[Members])
    with pytest.raises(AttributeError, match="not in the schema passed to connect"):
        only.query.rel_boxes  # noqa: B018
    assert only.query.rel_members.table is Members
    assert q.find_many(where=eq(Boxes.id, 1)).to_sql().params == (1,)
