"""Relational queries (`db.query(T).find_many(with_=...)`) on MariaDB: one statement, JSON aggregation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import mizzle
from mizzle import desc, eq, like, relations, sql
from mizzle.mysql import (
    Column,
    Table,
    boolean,
    datetime,
    decimal,
    int_,
    json,
    primary_key,
    text,
    timestamp,
    varbinary,
    varchar,
)

pytestmark = pytest.mark.mysql


class Authors(Table, name="rq_authors"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    name: Column[str] = varchar(length=50).not_null()


class Books(Table, name="rq_books"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    author_id: Column[int] = int_().not_null().references(lambda: Authors.id)
    title: Column[str] = text().not_null()
    price: Column[Decimal] = decimal(precision=10, scale=2).not_null()
    published: Column[dt.datetime | None] = datetime(fsp=3)
    stamped: Column[dt.datetime | None] = timestamp()
    in_print: Column[bool] = boolean().not_null().default(True)
    meta: Column[Any] = json()
    isbn: Column[bytes | None] = varbinary(length=16)


class Employees(Table, name="rq_employees"):
    id: Column[int] = int_().primary_key()
    name: Column[str] = varchar(length=50).not_null()
    manager_id: Column[int | None] = int_().references(lambda: Employees.id)


class Tags(Table, name="rq_tags"):
    id: Column[int] = int_().primary_key()
    label: Column[str] = varchar(length=20).not_null()


class BookTags(Table, name="rq_book_tags"):
    book_id: Column[int] = int_().not_null().references(lambda: Books.id)
    tag_id: Column[int] = int_().not_null().references(lambda: Tags.id)
    __constraints__ = (primary_key(book_id, tag_id),)


relations(Authors, lambda r: {"books": r.many(Books)})
relations(Books, lambda r: {
    "author": r.one(Authors, fields=[Books.author_id], references=[Authors.id]),
    "tags": r.many(Tags, through=BookTags),
})
relations(Employees, lambda r: {
    "manager": r.one(Employees, fields=[Employees.manager_id], references=[Employees.id], relation_name="mgr"),
    "reports": r.many(Employees, relation_name="mgr"),
})

ALL = [Authors, Books, Employees, Tags, BookTags]


@pytest.fixture
def db(mdb: mizzle.Database) -> mizzle.Database:
    mizzle.create_all(mdb, ALL)
    mdb.insert(Authors).values([{"name": "ann"}, {"name": "bob"}, {"name": "cy"}]).run()
    mdb.insert(Books).values([
        {"author_id": 1, "title": "a1", "price": Decimal("10.10"), "meta": {"k": [1, "x"]},
         "published": dt.datetime(2020, 1, 2, 3, 4, 5, 678000), "isbn": b"\x00\xff",
         "stamped": dt.datetime(2021, 1, 1, tzinfo=dt.UTC)},
        {"author_id": 1, "title": "a2", "price": Decimal("0.05"), "in_print": False, "meta": "just text"},
        {"author_id": 2, "title": "b1", "price": Decimal("99999999.99")},
    ]).run()
    mdb.insert(Tags).values([{"id": 1, "label": "sf"}, {"id": 2, "label": "new"}]).run()
    mdb.insert(BookTags).values([{"book_id": 1, "tag_id": 1}, {"book_id": 1, "tag_id": 2},
                                 {"book_id": 3, "tag_id": 2}]).run()
    mdb.insert(Employees).values([
        {"id": 1, "name": "ceo"}, {"id": 2, "name": "cto", "manager_id": 1},
        {"id": 3, "name": "dev", "manager_id": 2}, {"id": 4, "name": "ops", "manager_id": 2},
    ]).run()
    return mdb


def test_many_with_order_limit_and_every_value_type(db: mizzle.Database) -> None:
    authors = db.query(Authors).find_many(
        with_={"books": {"order_by": desc(Books.id), "limit": 5}}, order_by=Authors.id
    ).all()
    assert [(a.name, [b.title for b in a.books]) for a in authors] == [
        ("ann", ["a2", "a1"]), ("bob", ["b1"]), ("cy", [])]
    a1 = authors[0].books[1]
    assert a1.price == Decimal("10.10") and isinstance(a1.price, Decimal)
    assert a1.published == dt.datetime(2020, 1, 2, 3, 4, 5, 678000)
    assert a1.stamped == dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
    assert a1.in_print is True and authors[0].books[0].in_print is False
    assert a1.meta == {"k": [1, "x"]} and authors[0].books[0].meta == "just text"
    assert a1.isbn == b"\x00\xff" and authors[0].books[0].isbn is None
    assert authors[1].books[0].price == Decimal("99999999.99")


def test_one_through_and_offset(db: mizzle.Database) -> None:
    books = db.query(Books).find_many(
        columns={"id": True, "title": True},
        with_={"author": {"columns": {"name": True}}, "tags": {"order_by": Tags.label}},
        order_by=Books.id,
    ).all()
    assert [(b.title, b.author.name, [t.label for t in b.tags]) for b in books] == [
        ("a1", "ann", ["new", "sf"]), ("a2", "ann", []), ("b1", "bob", ["new"])]
    page = db.query(Authors).find_first(
        where=eq(Authors.id, 1), with_={"books": {"order_by": Books.id, "limit": 1, "offset": 1}}
    ).get()
    assert page is not None and [b.title for b in page.books] == ["a2"]


def test_self_relation_three_levels_deep(db: mizzle.Database) -> None:
    dev = db.query(Employees).find_first(
        where=eq(Employees.id, 3),
        with_={"manager": {"with_": {"manager": True, "reports": {"order_by": Employees.id}}}},
    ).get()
    assert dev is not None
    assert dev.manager.name == "cto" and dev.manager.manager.name == "ceo"
    assert [r.name for r in dev.manager.reports] == ["dev", "ops"]
    ceo = db.query(Employees).find_first(
        where=eq(Employees.id, 1),
        with_={"manager": True, "reports": {"where": like(Employees.name, "c%"), "with_": {
            "reports": {"order_by": desc(Employees.id), "limit": 1}}}},
    ).get()
    assert ceo is not None and ceo.manager is None
    assert [(r.name, [x.name for x in r.reports]) for r in ceo.reports] == [("cto", ["ops"])]


def test_extras_in_nested_rows(db: mizzle.Database) -> None:
    authors = db.query(Authors).find_many(
        with_={"books": {"columns": {"title": True}, "extras": {"shout": sql[str]("upper({})", Books.title)},
                         "order_by": Books.id}},
        order_by=Authors.id, limit=1,
    ).all()
    assert [(b.title, b.shout) for b in authors[0].books] == [("a1", "A1"), ("a2", "A2")]
