"""Insert/update/delete value types and `returning()` result types."""

from __future__ import annotations

from datetime import datetime
from typing import assert_type

from typing_tables import Posts, Users

from mizzle import Assignments, Database, RunResult, assign, delete, eq, excluded, insert, sql, update
from mizzle.sql.chunks import Expr


def check_insert(db: Database) -> None:
    q = db.insert(Users).values(name="ann", bio=None, tags=["a"], admin=True, created_at=datetime.now())
    assert_type(q.run(), RunResult)
    assert_type(q.returning().one(), Users)
    assert_type(q.returning(Users.id).one(), tuple[int])
    assert_type(q.returning(Users.id, Users.created_at).all(), list[tuple[int, datetime]])
    # several rows, a row object, a dict
    db.insert(Users).values([{"name": "a"}, {"name": "b"}]).run()
    db.insert(Users).values(Users(name="c")).run()
    # values may be SQL expressions of the column's type
    db.insert(Users).values(name=sql[str]("upper('x')")).run()
    # insert ... select
    db.insert(Posts).select(db.select(Posts.author_id, Posts.title).from_(Posts)).run()


def check_upsert(db: Database) -> None:
    q = (
        db.insert(Users)
        .values(id=1, name="x")
        .on_conflict_do_update(target=Users.id, set={"name": excluded(Users.name)}, where=eq(Users.admin, False))
    )
    assert_type(q.returning(Users.name).one(), tuple[str])
    assert_type(excluded(Users.created_at), Expr[datetime])
    db.insert(Users).values(id=1, name="x").on_conflict_do_nothing().run()


def check_update_delete(db: Database) -> None:
    u = db.update(Users).set(name="y", bio=None, score=1.5).where(eq(Users.id, 1))
    assert_type(u.run().rows_affected, int)
    assert_type(u.returning().all(), list[Users])
    assert_type(u.returning(Users.bio).one(), tuple[str | None])
    d = db.delete(Users).where(eq(Users.id, 1))
    assert_type(d.run(), RunResult)
    assert_type(d.returning().get(), Users | None)
    assert_type(d.returning(Users.id, Users.name).all(), list[tuple[int, str]])


def check_unbound_builders() -> None:
    assert_type(insert(Users).values(name="x").to_sql().sql, str)
    update(Users).set(name="x").to_sql()
    delete(Users).to_sql()


def check_insert_errors(db: Database) -> None:
    db.insert(Users).values(id="x")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    db.insert(Users).values(nope=1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    db.insert(Users).values(created_at="yesterday")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    db.insert(Users).values(name=None)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    db.insert(Users).values(status="deleted")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    db.insert(Users).values(name=sql[int]("1"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    insert(Users).values(tags="a")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]


def check_update_errors(db: Database) -> None:
    db.update(Users).set(id="x")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    db.update(Users).set(unknown=1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    db.update(Users).set(admin="yes")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]


def check_returning_errors(db: Database) -> None:
    row = db.insert(Users).values(name="x").returning().one()
    wrong: Posts = row  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    n: str = db.insert(Users).values(name="x").returning(Users.id).one()[0]  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    del wrong, n


def check_assign(db: Database) -> None:
    a = assign(Users, name="x", bio=None)
    assert_type(a, Assignments[Users])
    up = db.insert(Users).values(name="a").on_conflict_do_update(
        target=Users.name, set=assign(Users, bio=excluded(Users.bio), name=excluded(Users.name))
    )
    assert_type(up.returning().one(), Users)
    db.update(Users).set(assign(Users, bio="b")).run()
    assign(Users, nmae="x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    assign(Users, name=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def check_non_none_expression_into_none_able_column(db: Database) -> None:
    """An expression that is never None (`sql[list[str]]`, a NOT NULL column, `coalesce`) is a value for
    a None-able column (`Column[list[str] | None]`): no `sql[list[str] | None]` needed."""
    db.update(Users).set(tags=sql[list[str]]("json_array('a')")).run()
    db.insert(Users).values(name="a", tags=sql[list[str]]("json_array('a')"), bio=Users.name).run()
    insert(Users).values(name="a", bio=sql[str]("'x'"), score=sql[float]("1.5"))
    update(Users).set(bio=Users.name, tags=sql[list[str] | None]("null"))
    assign(Users, tags=sql[list[str]]("json_array()"), bio=sql[str]("'b'"))
    db.insert(Posts).values(author_id=1, title="t").on_conflict_do_update(
        target=Posts.id, set=assign(Posts, views=sql[int]("1"))).run()
    # the value's type must still fit
    db.update(Users).set(tags=sql[list[int]]("json_array(1)"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    db.update(Users).set(bio=Users.id)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    db.update(Users).set(name=Users.bio)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    assign(Users, tags=sql[str]("'a'"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
