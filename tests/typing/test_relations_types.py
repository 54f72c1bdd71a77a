"""Relational query result types: rows are typed as the root table class."""

from __future__ import annotations

from typing import Any, assert_type

from typing_tables import Posts, Users

from mizzle import eq, has, placeholder, relations, sql
from mizzle.relations import FindFirst, FindMany, TableQueries
from mizzle.session.sync import Database, Prepared

relations(Users, lambda r: {"posts": r.many(Posts)})
relations(Posts, lambda r: {"author": r.one(Users, fields=[Posts.author_id], references=[Users.id])})


def check(db: Database) -> None:
    users = db.query(Users)
    assert_type(users, TableQueries[Users])
    q = users.find_many(with_={"posts": {"order_by": Posts.id, "limit": 3}}, where=has(Users, "posts"))
    assert_type(q, FindMany[Users])
    rows = q.all()
    assert_type(rows, list[Users])
    assert_type(rows[0].name, str)
    assert_type(q.execute(), list[Users])
    first = users.find_first(where=eq(Users.id, 1), extras={"n": sql[int]("1")})
    assert_type(first, FindFirst[Users])
    assert_type(first.get(), Users | None)
    assert_type(first.execute(), Users | None)
    prepared = users.find_first(where=eq(Users.id, placeholder("id"))).prepare()
    assert_type(prepared, Prepared[Users])
    p: Prepared[Users] = prepared
    assert_type(p.get(id=1), Users | None)
    assert_type(db.query.typing_users, TableQueries[Any])
    assert_type(db.query.typing_users.find_many().all(), list[Any])
