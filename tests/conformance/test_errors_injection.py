"""Driver errors map to one hierarchy; values (even SQL-looking strings) are always bound — every dialect."""

from __future__ import annotations

from typing import Any

import pytest
from seed_data import seed

import mizzle
from mizzle import eq, in_array, like, sql

DB = tuple[mizzle.Database, Any]

NASTY = [
    "'; drop table users; --",
    "x' or '1'='1",
    'a"; delete from "users"; --',
    "`users`",
    "100% _wild_ \\ backslash",
    "?",
    "%s",
    "$1",
    "{}",
    "robert'); drop table students;--",
]


def test_unique_violation(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.Users).values(name="a", email="a@x").run()
    with pytest.raises(mizzle.UniqueViolation) as info:
        db.insert(s.Users).values(name="b", email="a@x").run()
    err = info.value
    assert isinstance(err, mizzle.IntegrityError) and isinstance(err, mizzle.DatabaseError)
    assert err.sql is not None and "insert into" in err.sql
    assert "users" in (err.table or "") + (err.constraint or "") + err.message
    assert isinstance(err.__cause__, Exception)  # the driver's own error is kept


def test_primary_key_violation_is_a_unique_violation(dialect_db: DB) -> None:
    db, s = dialect_db
    db.insert(s.KeyValues).values(key="k", value="v").run()
    with pytest.raises(mizzle.UniqueViolation):
        db.insert(s.KeyValues).values(key="k", value="w").run()


def test_foreign_key_violation(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    with pytest.raises(mizzle.ForeignKeyViolation):
        db.insert(s.Posts).values(author_id=42, title="orphan").run()
    with pytest.raises(mizzle.ForeignKeyViolation):
        db.update(s.Comments).set(user_id=99).where(eq(s.Comments.id, 1)).run()


def test_not_null_violation(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    with pytest.raises(mizzle.NotNullViolation) as info:
        db.update(s.Users).set(name=sql("null")).where(eq(s.Users.id, 1)).run()
    err = info.value
    assert "name" in (err.column or "") + err.message


def test_database_errors_carry_the_statement(dialect_db: DB) -> None:
    db, s = dialect_db
    with pytest.raises(mizzle.DatabaseError) as info:
        db.select(sql("no_such_column")).from_(s.Users).all()
    assert "no_such_column" in str(info.value)
    assert "while running:" in str(info.value)


def same_text_as_benign(make: Any, nasty: str) -> tuple[str, list[Any]]:
    """The query's SQL and params; its SQL text must equal the text built from a harmless value."""
    text, params = make(nasty).to_sql()
    benign_text, benign_params = make("harmless").to_sql()
    assert text == benign_text
    assert params == [nasty if p == "harmless" else p for p in benign_params]
    return text, params


def test_crafted_strings_are_bound_not_spliced(dialect_db: DB) -> None:
    db, s = dialect_db
    for nasty in NASTY:
        _, params = same_text_as_benign(lambda v: db.insert(s.KeyValues).values(key=v, value=v), nasty)
        assert params == [nasty, nasty]
        db.insert(s.KeyValues).values(key=nasty, value=nasty).run()
        got = db.select(s.KeyValues.key, s.KeyValues.value).from_(s.KeyValues).where(
            eq(s.KeyValues.key, nasty)
        ).one()
        assert got == (nasty, nasty)
    # nothing else ran: every table is still there, untouched
    for table in s.TABLES:
        assert db.count(table) == (len(NASTY) if table is s.KeyValues else 0)


@pytest.mark.parametrize("nasty", NASTY)
def test_crafted_strings_in_every_clause(dialect_db: DB, nasty: str) -> None:
    db, s = dialect_db
    db.insert(s.Users).values(name="ann", email="ann@example.com").run()
    builders: list[Any] = [
        lambda v: db.select().from_(s.Users).where(eq(s.Users.name, v)),
        lambda v: db.select().from_(s.Users).where(in_array(s.Users.name, [v, "ann"])),
        lambda v: db.select().from_(s.Users).where(like(s.Users.email, v)),
        lambda v: db.select(sql("{}", v).as_("echo")).from_(s.Users),
        lambda v: db.select(echo=sql("{}", v)).from_(s.Users).where(eq(s.Users.id, 1)),
        lambda v: db.update(s.Users).set(name=v).where(eq(s.Users.email, v)),
        lambda v: db.delete(s.Users).where(eq(s.Users.name, v)),
        lambda v: db.insert(s.KeyValues).values(key="k", value="v").on_conflict_do_update(
            target=s.KeyValues.key, set={"value": v}
        ),
        lambda v: db.select(s.Users.id).from_(s.Users).where(eq(s.Users.name, v)).order_by(s.Users.id).limit(1),
    ]
    for make in builders:
        same_text_as_benign(make, nasty)
    assert [u.name for u in builders[1](nasty).all()] == ["ann"]
    assert builders[0](nasty).all() == []
    assert builders[3](nasty).all()[0] == (nasty,)
    assert builders[4](nasty).one().echo == nasty
    assert builders[5](nasty).run().rows_affected == 0
    assert builders[6](nasty).run().rows_affected == 0
    builders[7](nasty).run()
    builders[7](nasty).run()
    assert db.select(s.KeyValues.value).from_(s.KeyValues).one() == (nasty,)
    assert db.count(s.Users) == 1


def test_raw_sql_values_bound_and_identifiers_quoted(dialect_db: DB) -> None:
    db, s = dialect_db
    seed(db, s)
    evil_ident = 'weird"name`'
    frag = sql("select {} as {}", "it's", sql.identifier(evil_ident))
    rows = db.execute(frag)
    assert rows == [("it's",)]
    text, params = db.select(s.Users.id).from_(s.Users).where(sql("{} = {}", s.Users.name, "ann")).to_sql()
    assert "ann" not in text and params == ["ann"]
    joined = sql.join([s.Users.name, "x", sql.raw("1")], ", ")
    text, params = db.select(sql("coalesce({})", joined).as_("c")).from_(s.Users).to_sql()
    assert params == ["x"] and "1)" in text
