"""View declarations are checked when the class is defined: options on the wrong dialect, options on
something that is not a created view, and declared columns that disagree with the view's select are
refused with an error naming the view and the option or column."""

from __future__ import annotations

from typing import Any

import pytest

from mizzle import count, select
from mizzle import mysql as my
from mizzle import postgres as pg
from mizzle import sqlite as sq
from mizzle.errors import SchemaError
from mizzle.schema.view import create_view_sql


class SqUsers(sq.Table, name="vd_users"):
    id: sq.Column[int] = sq.integer().primary_key()
    email: sq.Column[str] = sq.text().not_null()
    active: sq.Column[bool] = sq.integer(mode="boolean").not_null()


class PgUsers(pg.Table, name="vd_users"):
    id: pg.Column[int] = pg.serial().primary_key()
    email: pg.Column[str] = pg.text().not_null()
    active: pg.Column[bool] = pg.boolean().not_null()


class MyUsers(my.Table, name="vd_users"):
    id: my.Column[int] = my.int_().primary_key(autoincrement=True)
    email: my.Column[str] = my.varchar(length=255).not_null()
    active: my.Column[bool] = my.boolean().not_null()


def _define(base: type[Any], source: type[Any], **keywords: Any) -> type[Any]:
    """A one-column view `vd_view` (id) over `source`, declared with `keywords`."""
    kw: dict[str, Any] = {"name": "vd_view", "view": select(source.id).from_(source), **keywords}
    return type("VdView", (base,), {"id": _int_column(base)}, **kw)


def _int_column(base: type[Any]) -> Any:
    return {sq.Table: sq.integer, pg.Table: pg.integer, my.Table: my.int_}[base]()


MYSQL_ONLY = [("algorithm", "merge"), ("sql_security", "invoker"), ("with_check_option", "cascaded")]
POSTGRES_ONLY = [("with_", {"security_barrier": True})]
MATERIALIZED_ONLY = [("using", "heap"), ("tablespace", "pg_default"), ("with_no_data", True)]


@pytest.mark.parametrize(("option", "value"), MYSQL_ONLY)
@pytest.mark.parametrize("base", [sq.Table, pg.Table], ids=["sqlite", "postgres"])
def test_mysql_option_on_another_dialect_is_refused(base: type[Any], option: str, value: Any) -> None:
    source = SqUsers if base is sq.Table else PgUsers
    with pytest.raises(SchemaError, match=rf"view vd_view: {option}= .*MySQL/MariaDB"):
        _define(base, source, **{option: value})


@pytest.mark.parametrize(("option", "value"), POSTGRES_ONLY + MATERIALIZED_ONLY)
@pytest.mark.parametrize("base", [sq.Table, my.Table], ids=["sqlite", "mysql"])
def test_postgres_option_on_another_dialect_is_refused(base: type[Any], option: str, value: Any) -> None:
    source = SqUsers if base is sq.Table else MyUsers
    with pytest.raises(SchemaError, match=rf"view vd_view: {option}= .*PostgreSQL"):
        _define(base, source, **{option: value})


@pytest.mark.parametrize(("option", "value"), MATERIALIZED_ONLY)
def test_materialized_option_on_a_plain_view_is_refused(option: str, value: Any) -> None:
    with pytest.raises(SchemaError, match=rf"view vd_view: {option}= .*materialized=True"):
        _define(pg.Table, PgUsers, **{option: value})


@pytest.mark.parametrize(
    ("materialized", "with_", "bad"),
    [
        (False, {"fillfactor": 70}, "fillfactor"),
        (True, {"check_option": "local"}, "check_option"),
        (True, {"security_barrier": True}, "security_barrier"),
        (False, {"check_optoin": "local"}, "check_optoin"),
    ],
)
def test_with_option_of_the_other_kind_of_view_is_refused(materialized: bool, with_: Any, bad: str) -> None:
    kind = "a materialized view" if materialized else "a view"
    with pytest.raises(SchemaError, match=rf"view vd_view: with_={{'{bad}': .*not an option of {kind}"):
        _define(pg.Table, PgUsers, materialized=materialized, with_=with_)


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"algorithm": "fast"}, r"algorithm='fast' .*undefined, merge, temptable"),
        ({"sql_security": "owner"}, r"sql_security='owner' .*definer, invoker"),
        ({"with_check_option": True}, r"with_check_option=True .*cascaded, local"),
    ],
)
def test_bad_mysql_option_values_are_refused(keywords: dict[str, Any], message: str) -> None:
    with pytest.raises(SchemaError, match=rf"view vd_view: {message}"):
        _define(my.Table, MyUsers, **keywords)


@pytest.mark.parametrize(
    ("materialized", "with_", "message"),
    [
        (False, {"check_option": "strict"}, r"check_option='strict' .*local, cascaded"),
        (False, {"security_barrier": "yes"}, r"security_barrier='yes' .*True or False"),
        (True, {"fillfactor": "70"}, r"fillfactor='70' .*an int"),
        (True, {"fillfactor": True}, r"fillfactor=True .*an int"),
        (True, {"vacuum_index_cleanup": "maybe"}, r"vacuum_index_cleanup='maybe' .*auto, off, on"),
        (False, {}, r"with_=\{\} is empty"),
    ],
)
def test_bad_postgres_with_values_are_refused(materialized: bool, with_: Any, message: str) -> None:
    with pytest.raises(SchemaError, match=rf"view vd_view: .*{message}"):
        _define(pg.Table, PgUsers, materialized=materialized, with_=with_)


@pytest.mark.parametrize("option", ["algorithm", "with_check_option"])
def test_view_options_on_a_table_or_existing_view_are_refused(option: str) -> None:
    with pytest.raises(SchemaError, match=rf"table vd_plain: {option}= is a view option"):
        class Plain(my.Table, name="vd_plain", **{option: "merge" if option == "algorithm" else "local"}):  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
            id: my.Column[int] = my.int_()
    with pytest.raises(SchemaError, match=rf"view vd_old: {option}= .*existing=True"):
        class Old(my.Table, name="vd_old", existing=True, **{option: "merge" if option == "algorithm" else "local"}):  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
            id: my.Column[int] = my.int_()


def test_options_render_into_create_view() -> None:
    from mizzle.dialects.mysql.dialect import MySQLDialect
    from mizzle.dialects.postgres.dialect import PostgresDialect

    class MyV(my.Table, name="vd_my", algorithm="temptable", sql_security="definer", with_check_option="local",
              view=select(MyUsers.id).from_(MyUsers)):
        id: my.Column[int] = my.int_()

    class PgV(pg.Table, name="vd_pg", with_={"check_option": "cascaded", "security_invoker": True},
              view=select(PgUsers.id).from_(PgUsers)):
        id: pg.Column[int] = pg.integer()

    class PgM(pg.Table, name="vd_pgm", materialized=True, using="heap", tablespace="pg_default", with_no_data=True,
              with_={"fillfactor": 70, "autovacuum_enabled": False, "autovacuum_vacuum_scale_factor": 0.25,
                     "vacuum_index_cleanup": "off"},
              view=select(active=PgUsers.active, n=count()).from_(PgUsers).group_by(PgUsers.active)):
        active: pg.Column[bool] = pg.boolean()
        n: pg.Column[int] = pg.integer()

    my_sql = create_view_sql(MyV, MySQLDialect())
    assert my_sql.startswith("CREATE ALGORITHM = temptable SQL SECURITY definer VIEW `vd_my` AS select ")
    assert my_sql.endswith(" WITH local CHECK OPTION")
    pg_sql = create_view_sql(PgV, PostgresDialect())
    assert pg_sql.startswith('CREATE VIEW "vd_pg" WITH (check_option = cascaded, security_invoker = true) AS select ')
    m_sql = create_view_sql(PgM, PostgresDialect())
    assert m_sql.startswith(
        'CREATE MATERIALIZED VIEW "vd_pgm" USING "heap" WITH (fillfactor = 70, autovacuum_enabled = false, '
        'autovacuum_vacuum_scale_factor = 0.25, vacuum_index_cleanup = off) TABLESPACE "pg_default" AS select '
    )
    assert m_sql.endswith(" WITH NO DATA")


def test_declared_columns_must_match_the_select_by_name() -> None:
    with pytest.raises(SchemaError, match=r"view vd_names: column 2 is declared as 'mail' but the select names it "
                                          r"'email'"):
        class Names(sq.Table, name="vd_names", view=select(SqUsers.id, SqUsers.email).from_(SqUsers)):
            id: sq.Column[int] = sq.integer()
            mail: sq.Column[str] = sq.text()


def test_declared_columns_must_match_the_select_by_count() -> None:
    with pytest.raises(SchemaError, match=r"view vd_count: the select has 2 fields \(id, email\) but the class "
                                          r"declares 1 column \(id\)"):
        class Count(sq.Table, name="vd_count", view=select(SqUsers.id, SqUsers.email).from_(SqUsers)):
            id: sq.Column[int] = sq.integer()


def test_an_unnamed_expression_in_the_select_is_refused() -> None:
    with pytest.raises(SchemaError, match=r"view vd_unnamed: field 2 of the select .* has no name; .*select\(\.\.\., n=\.\.\.\)"):
        class Unnamed(sq.Table, name="vd_unnamed", view=select(SqUsers.active, count()).from_(SqUsers)
                      .group_by(SqUsers.active)):
            active: sq.Column[bool] = sq.integer(mode="boolean")
            n: sq.Column[int] = sq.integer()


def test_select_with_keyword_names_matches_columns() -> None:
    class ByKey(sq.Table, name="vd_bykey", view=select(ok=SqUsers.active, n=count()).from_(SqUsers)
                .group_by(SqUsers.active)):
        ok: sq.Column[bool] = sq.integer(mode="boolean")
        n: sq.Column[int] = sq.integer()

    assert list(ByKey.__table__.columns) == ["ok", "n"]



class SqPosts(sq.Table, name="vd_posts"):
    id: sq.Column[int] = sq.integer().primary_key()
    author_id: sq.Column[int] = sq.integer().not_null().references(lambda: SqUsers.id)
    title: sq.Column[str] = sq.text().not_null().default("untitled")


def test_columns_copied_from_the_selected_columns() -> None:
    class Titles(sq.Table, name="vd_titles",
                 view=select(SqPosts.id, SqPosts.title.as_("heading"), SqPosts.author_id).from_(SqPosts)):
        id = SqPosts.id
        heading = SqPosts.title
        author_id = SqPosts.author_id

    meta = Titles.__table__
    assert [(k, c.name, c.sql_type, c.not_null_) for k, c in meta.columns.items()] == [
        ("id", "id", "integer", True), ("heading", "heading", "text", True), ("author_id", "author_id", "integer", True),
    ]
    assert all(c.table is Titles for c in meta.columns.values())
    # the copies carry none of the table's keys, references or defaults ...
    assert meta.primary_key == () and meta.fk_decls == [] and not meta.columns["heading"].has_default()
    # ... and the table's own columns are untouched
    assert (SqPosts.title.key, SqPosts.title.name, SqPosts.title.table) == ("title", "title", SqPosts)
    assert SqPosts.__table__.primary_key == (SqPosts.id,)


def test_a_copied_column_must_be_the_selected_column() -> None:
    with pytest.raises(SchemaError, match=r"view vd_wrong: column email is declared as vd_users.active but the "
                                          r"select's field 'email' is not that column"):
        class Wrong(sq.Table, name="vd_wrong", view=select(SqUsers.id, SqUsers.email).from_(SqUsers)):
            id = SqUsers.id
            email = SqUsers.active


def test_a_copied_not_null_column_made_nullable_by_an_outer_join_is_refused() -> None:
    from mizzle import eq

    with pytest.raises(SchemaError, match=r"view vd_outer: column title is declared as vd_posts.title, which is NOT "
                                          r"NULL, but the select makes it nullable"):
        class Outer(sq.Table, name="vd_outer", view=select(SqUsers.id, SqPosts.title).from_(SqUsers)
                    .left_join(SqPosts, eq(SqPosts.author_id, SqUsers.id))):
            id = SqUsers.id
            title = SqPosts.title


def test_a_view_of_no_dialect_is_checked_when_rendered() -> None:
    import mizzle
    from mizzle.dialects.postgres.dialect import PostgresDialect
    from mizzle.dialects.sqlite.dialect import SQLiteDialect

    class AnyUsers(mizzle.Table, name="vd_any_users"):
        id: mizzle.Column[int] = sq.integer().primary_key()

    class Merged(mizzle.Table, name="vd_merged", algorithm="merge", view=select(AnyUsers.id).from_(AnyUsers)):
        id = AnyUsers.id

    for dialect in (SQLiteDialect(), PostgresDialect()):
        with pytest.raises(SchemaError, match=r"view vd_merged: algorithm= is a MySQL/MariaDB view option, but the "
                                              r"view is created on (SQLite/libSQL|PostgreSQL)"):
            create_view_sql(Merged, dialect)


def test_an_existing_view_may_copy_columns() -> None:
    class Old(sq.Table, name="vd_existing", existing=True):
        id = SqUsers.id
        email = SqUsers.email

    assert [(c.name, c.not_null_, c.primary, c.is_unique) for c in Old.__table__.columns.values()] == [
        ("id", True, False, False), ("email", True, False, False),
    ]
