"""Prepared queries keep their result types (`db.prepare(query)`)."""

from __future__ import annotations

from typing import Any, assert_type

from typing_tables import Users

from mizzle import Database, Prepared, RunResult, eq, placeholder


def check_prepared(db: Database) -> None:
    by_id = db.prepare(db.select().from_(Users).where(eq(Users.id, placeholder("id"))))
    assert_type(by_id, Prepared[Users])
    assert_type(by_id.get(id=1), Users | None)
    assert_type(by_id.one(id=1), Users)
    assert_type(by_id.all(id=1), list[Users])
    assert_type(by_id.values(id=1), list[tuple[Any, ...]])
    names = db.prepare(db.select(Users.id, Users.name).from_(Users).limit(placeholder("n")))
    assert_type(names.all(n=3), list[tuple[int, str]])
    add = db.prepare(db.insert(Users).values(name=placeholder("name")))
    assert_type(add.run(name="x"), RunResult)
    ret = db.prepare(db.update(Users).set(name=placeholder("n")).returning(Users.id))
    assert_type(ret.all(n="x"), list[tuple[int]])


def check_prepared_errors(db: Database) -> None:
    by_id = db.prepare(db.select().from_(Users))
    row: tuple[int] | None = by_id.get()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    del row
