"""Expression function types: case/when, cast, coalesce, string, date and JSON functions."""

from __future__ import annotations

from datetime import date, datetime
from typing import assert_type

from typing_tables import Docs, Lines, Posts, Users

from mizzle import (
    SQL,
    JSONValue,
    case,
    cast,
    coalesce,
    concat,
    contains,
    count,
    date_of,
    ends_with,
    gt,
    json_get,
    json_text,
    length,
    lower,
    now,
    replace,
    starts_with,
    substr,
    sum_,
    trim,
    upper,
)
from mizzle.session.sync import Database


def check_case() -> None:
    assert_type(case().when(gt(Users.id, 1), "big").else_("small"), SQL[str])
    assert_type(case().when(gt(Users.id, 1), "big").when(gt(Users.id, 0), "one").end(), SQL[str | None])
    assert_type(case().when(gt(Users.id, 1), Lines.quantity).else_(0), SQL[int])
    assert_type(case().when(Users.admin, Users.score).else_(None), SQL[float | None])
    _bad = case().when(gt(Users.id, 1), "big").else_(1)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    _bad2 = case().when(Users.name, "x")  # type: ignore[arg-type]  # pyright: ignore[reportCallIssue, reportArgumentType, reportUnknownVariableType]


def check_cast() -> None:
    assert_type(cast(Lines.quantity, str), SQL[str])
    assert_type(cast(Users.bio, int), SQL[int | None])
    assert_type(cast(Lines.unit_price, float), SQL[float])
    assert_type(cast(Users.created_at, date), SQL[date])


def check_coalesce() -> None:
    assert_type(coalesce(Users.score, 0.0), SQL[float])
    assert_type(coalesce(sum_(Lines.quantity), 0), SQL[int])
    assert_type(coalesce(Users.score, Lines.weight), SQL[float])
    assert_type(coalesce(Users.score, Lines.discount), SQL[float | None])
    assert_type(coalesce(Lines.weight, Users.score), SQL[float])
    _bad = coalesce(Users.score, "x")  # type: ignore[misc]  # pyright: ignore[reportCallIssue, reportArgumentType, reportUnknownVariableType]


def check_strings() -> None:
    assert_type(lower(Users.name), SQL[str])
    assert_type(upper(Users.bio), SQL[str | None])
    assert_type(lower(Users.status), SQL[str])
    assert_type(length(Users.name), SQL[int])
    assert_type(length(Users.bio), SQL[int | None])
    assert_type(trim(Users.name), SQL[str])
    assert_type(concat(Users.name, " ", Posts.title), SQL[str])
    assert_type(concat(Users.name, " ", Users.bio), SQL[str | None])
    assert_type(substr(Users.name, 1, 3), SQL[str])
    assert_type(replace(Users.bio, "a", "b"), SQL[str | None])
    assert_type(starts_with(Users.name, "50%"), SQL[bool])
    assert_type(ends_with(Users.bio, "_x"), SQL[bool])
    assert_type(contains(Posts.title, "!"), SQL[bool])
    _bad = length(Lines.quantity)  # type: ignore[type-var]  # pyright: ignore[reportCallIssue, reportArgumentType, reportUnknownVariableType]
    _bad2 = starts_with(Lines.quantity, "1")  # type: ignore[type-var]  # pyright: ignore[reportArgumentType]
    _bad3 = concat(Users.name, 1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType, reportUnknownVariableType]


def check_dates(db: Database) -> None:
    assert_type(now(), SQL[datetime])
    assert_type(date_of(Users.created_at), SQL[date])
    day = date_of(Users.created_at)
    rows = db.select(day, count()).from_(Users).group_by(day).all()
    assert_type(rows, list[tuple[date, int]])
    _bad = date_of(Users.name)  # type: ignore[type-var]  # pyright: ignore[reportCallIssue, reportArgumentType, reportUnknownVariableType]


def check_json(db: Database) -> None:
    assert_type(json_get(Docs.body, "a", 0, "b"), SQL[JSONValue])
    assert_type(json_text(Docs.body, "a"), SQL[str | None])
    rows = db.select(json_text(Docs.body, "lang")).from_(Docs).all()
    assert_type(rows, list[tuple[str | None]])
    _bad = json_get(Docs.body, 1.5)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
