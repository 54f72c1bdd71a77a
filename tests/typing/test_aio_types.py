"""Async session result types: the same builders, awaited, give the same row types as the sync ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any, assert_type

from typing_tables import Posts, Status, Users

from mizzle import Field, RunResult, Selection, count, eq, placeholder
from mizzle.session.aio import AsyncDatabase, AsyncPrepared, AsyncTransaction


async def check_selects(adb: AsyncDatabase) -> None:
    rows = await adb.select().from_(Users).all()
    assert_type(rows, list[Users])
    assert_type(rows[0].created_at, datetime)
    assert_type(await adb.select().from_(Users).where(eq(Users.id, 1)).get(), Users | None)
    assert_type(await adb.select().from_(Users).order_by(Users.id).limit(1).one(), Users)
    assert_type(await adb.select(Users.id, Users.status).from_(Users).all(), list[tuple[int, Status]])
    assert_type(await adb.select(count()).from_(Users).get(), tuple[int] | None)
    assert_type(await adb.select_distinct(Users.tags).from_(Users).all(), list[tuple[list[str] | None]])
    joined = await adb.select().from_(Posts).left_join(Users, eq(Users.id, Posts.author_id)).all()
    assert_type(joined, list[tuple[Posts, Users | None]])
    inner = await adb.select().from_(Posts).inner_join(Users, eq(Users.id, Posts.author_id)).where(None).all()
    assert_type(inner, list[tuple[Posts, Users]])
    assert_type(await adb.select(Users.name).from_(Users).values(), list[tuple[Any, ...]])
    assert_type(await adb.count(Users), int)
    assert_type(await adb.select(Names(name=Users.name)).from_(Users).all(), list[Names])
    assert_type(await adb.select(Users.id, Users.id, Users.id, Users.id, Users.id, Users.id, Users.id, Users.id,
                                 Users.id, Users.name).from_(Users).one(),
                tuple[int, int, int, int, int, int, int, int, int, str])


class Names(Selection):
    name: Field[str]


async def check_writes(adb: AsyncDatabase) -> None:
    assert_type(await adb.insert(Users).values(name="a").run(), RunResult)
    assert_type(await adb.insert(Users).values(name="a").returning().one(), Users)
    assert_type(await adb.insert(Users).values(name="a").returning(Users.id).all(), list[tuple[int]])
    up = adb.insert(Users).values(name="a").on_conflict_do_update(target=Users.name, set={"bio": "x"})
    assert_type(await up.returning().get(), Users | None)
    assert_type(await adb.update(Users).set(bio="b").where(eq(Users.id, 1)).run(), RunResult)
    assert_type(await adb.update(Users).set(bio=None).returning(Users.bio).all(), list[tuple[str | None]])
    assert_type(await adb.delete(Users).where(eq(Users.id, 1)).returning().all(), list[Users])
    assert_type(await adb.delete(Posts).run(), RunResult)
    adb.insert(Users).values(nam="typo")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]


async def check_prepared_and_tx(adb: AsyncDatabase) -> None:
    p = adb.select().from_(Users).where(eq(Users.id, placeholder("id"))).prepare()
    assert_type(p, AsyncPrepared[Users])
    assert_type(await p.get(id=1), Users | None)
    assert_type(await p.all(id=1), list[Users])
    async with adb.transaction() as tx:
        assert_type(tx, AsyncTransaction)
        assert_type(await tx.select().from_(Posts).all(), list[Posts])
        async with tx.transaction() as sp:
            assert_type(await sp.insert(Posts).values(author_id=1, title="t").returning().one(), Posts)
    assert_type(await adb.batch([adb.insert(Posts).values(author_id=1, title="t")]), list[Any])
