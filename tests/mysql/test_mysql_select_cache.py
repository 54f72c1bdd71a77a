"""MySQL/MariaDB builder selects use the structural SQL cache (the issue said they were never cached):
the second select of the same shape does not render again — it reuses the cached SQL text object —
and reads its own rows; selects that differ only where a key could miss get their own SQL and rows."""

from __future__ import annotations

from typing import Any

import mizzle
from mizzle import eq, gt, in_array, ne
from mizzle.dialects.mysql.dialect import MySQLDialect
from mizzle.mysql import Column, Table, int_, varchar


class Pets(Table, name="cache_pets"):
    id: Column[int] = int_().primary_key()
    name: Column[str] = varchar(length=20).not_null()
    owner: Column[int | None] = int_()


def _seed(db: mizzle.Database) -> None:
    mizzle.create_all(db, [Pets])
    db.insert(Pets).values([
        {"id": 1, "name": "rex", "owner": 10},
        {"id": 2, "name": "tom", "owner": None},
        {"id": 3, "name": "kit", "owner": 10},
    ]).run()


def test_second_identical_builder_select_does_not_render_again(mdb: mizzle.Database, monkeypatch: Any) -> None:
    _seed(mdb)
    renders: list[int] = []
    build = MySQLDialect.build_select

    def counting(self: Any, q: Any) -> Any:
        renders.append(1)
        return build(self, q)

    monkeypatch.setattr(MySQLDialect, "build_select", counting)

    def by_id(i: int) -> Any:
        return mdb.select().from_(Pets).where(eq(Pets.id, i))

    first = by_id(1).compile(mdb.dialect)
    assert len(renders) == 1
    second = by_id(2).compile(mdb.dialect)
    assert len(renders) == 1  # served from the cache: no second render
    assert second.query.sql is first.query.sql  # the very text cached for the shape
    assert (first.query.params, second.query.params) == ((1,), (2,))
    assert [r.name for r in by_id(1).all()] == ["rex"]
    assert [r.name for r in by_id(3).all()] == ["kit"]
    assert len(renders) == 1


def test_selects_differing_where_a_key_could_miss_get_their_own_sql_and_rows(mdb: mizzle.Database) -> None:
    _seed(mdb)

    def names(q: Any) -> list[str]:
        return sorted(r[0] for r in q.all())

    base = mdb.select(Pets.name).from_(Pets)
    cases: list[tuple[Any, list[str]]] = [
        (base.where(eq(Pets.id, 1)), ["rex"]),
        (base.where(ne(Pets.id, 1)), ["kit", "tom"]),  # operator
        (base.where(gt(Pets.id, 1)), ["kit", "tom"]),
        (base.where(eq(Pets.owner, 1)), []),  # column
        (base.where(eq(Pets.owner, None)), ["tom"]),  # NULL vs value
        (base.where(eq(Pets.owner, 10)), ["kit", "rex"]),
        (base.where(in_array(Pets.id, [1, 2])), ["rex", "tom"]),  # list length
        (base.where(in_array(Pets.id, [1, 2, 3])), ["kit", "rex", "tom"]),
        (base.where(eq(Pets.id, 1)).limit(1), ["rex"]),  # limit or not
        (base, ["kit", "rex", "tom"]),
    ]
    for _ in range(2):  # the second round is served from the cache
        for q, expected in cases:
            assert names(q) == expected, q.compile(mdb.dialect).query.sql
    texts = {q.compile(mdb.dialect).query.sql for q, _ in cases}
    assert len(texts) == len(cases) - 1  # only owner = 1 and owner = 10 share a text (one shape, two values)
