"""Operand types of comparison operators, and rows/columns used with the wrong type."""

from __future__ import annotations

from datetime import datetime
from typing import assert_type

from typing_tables import Posts, Users

from mizzle import (
    SQL,
    Database,
    and_,
    between,
    eq,
    exists,
    gt,
    gte,
    in_array,
    is_null,
    like,
    lt,
    lte,
    ne,
    not_,
    not_between,
    not_in_array,
    or_,
    select,
)


def check_operand_types() -> None:
    assert_type(eq(Users.id, 1), SQL[bool])
    assert_type(eq(Posts.author_id, Users.id), SQL[bool])
    eq(Posts.views, Users.id)  # nullable vs non-null columns compare fine
    ne(Users.name, "x")
    gt(Users.created_at, datetime(2024, 1, 1))
    gte(Users.score, 1.5)
    lt(Users.id, 3)
    lte(Users.id, 3)
    eq(Users.status, "banned")
    eq(Users.bio, None)
    in_array(Users.id, [1, 2, 3])
    in_array(Users.id, select(Posts.author_id).from_(Posts))
    not_in_array(Users.name, [])
    between(Users.id, 1, 10)
    not_between(Users.created_at, datetime(2020, 1, 1), datetime(2021, 1, 1))
    like(Users.name, "a%")
    is_null(Users.bio)
    exists(select(Posts.id).from_(Posts))
    assert_type(and_(eq(Users.id, 1), None, or_(None, not_(eq(Users.admin, True)))), SQL[bool])


def check_operand_errors() -> None:
    eq(Users.id, "text")  # type: ignore[arg-type, misc]  # pyright: ignore[reportCallIssue, reportArgumentType]
    ne(Users.name, 3)  # type: ignore[arg-type, misc]  # pyright: ignore[reportCallIssue, reportArgumentType]
    gt(Users.created_at, "2024-01-01")  # type: ignore[arg-type, misc]  # pyright: ignore[reportCallIssue, reportArgumentType]
    eq(Users.admin, "yes")  # type: ignore[arg-type, misc]  # pyright: ignore[reportCallIssue, reportArgumentType]
    eq(Users.status, "deleted")  # type: ignore[arg-type, misc]  # pyright: ignore[reportCallIssue, reportArgumentType]
    eq(Users.id, Users.name)  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType]
    in_array(Users.id, ["a", "b"])  # type: ignore[misc]  # pyright: ignore[reportArgumentType]
    between(Users.id, "a", "z")  # type: ignore[misc]  # pyright: ignore[reportArgumentType]


def check_row_errors(db: Database) -> None:
    user = db.select().from_(Users).one()
    post: Posts = user  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    name: int = user.name  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    bio: str = user.bio  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    ids: list[tuple[str]] = db.select(Users.id).from_(Users).all()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    maybe = db.select().from_(Users).get()
    certain: Users = maybe  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    joined = db.select().from_(Users).left_join(Posts, eq(Posts.author_id, Users.id)).one()
    p: Posts = joined[1]  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    Users(name=1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    Users(nope="x")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    del post, name, bio, ids, certain, p
