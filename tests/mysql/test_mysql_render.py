"""MySQL/MariaDB SQL rendering (no server needed): quoting, placeholders, upserts, capabilities, DDL."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

import pytest

import mizzle
from mizzle import asc, delete, desc, eq, excluded, insert, select, sql, update
from mizzle.dialects.mysql.ddl import create_table_sql, ddl_statements
from mizzle.dialects.mysql.dialect import MySQLDialect, parse_version
from mizzle.mysql import (
    Column,
    Table,
    bigint,
    boolean,
    check,
    decimal,
    index,
    int_,
    json,
    mysql_enum,
    serial,
    text,
    timestamp,
    unique,
    varchar,
)
from mizzle.mysql import (
    datetime as datetime_col,
)


class Accounts(Table, name="accounts"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    email: Column[str] = varchar(length=255).not_null().unique()
    plan: Column[Literal["free", "pro"]] = mysql_enum(("free", "pro")).not_null().default("free")
    balance: Column[Decimal] = decimal(precision=12, scale=2).not_null().default(Decimal("0.00"))
    visits: Column[int] = bigint(unsigned=True).not_null().default(0)
    verified: Column[bool] = boolean().not_null().default(False)
    settings: Column[dict[str, Any] | None] = json()
    bio: Column[str | None] = text().default("it's \\ here")
    created_at: Column[datetime] = timestamp(fsp=3).not_null().default_now()
    updated_at: Column[datetime | None] = datetime_col().default_now().on_update_now()

    __constraints__ = (
        index("accounts_plan_idx").on(plan),
        unique("accounts_email_plan").on(email, plan),
        check("balance_positive", sql("{} >= 0", balance)),
    )


class Events(Table, name="events"):
    id: Column[int] = serial().primary_key()
    account_id: Column[int] = int_().not_null().references(lambda: Accounts.id, on_delete="cascade")


def mariadb() -> MySQLDialect:
    return MySQLDialect().configure("10.11.6-MariaDB-0+deb12u1")


def mysql8() -> MySQLDialect:
    return MySQLDialect().configure("8.0.36")


def test_parse_version() -> None:
    assert parse_version("10.11.6-MariaDB-0+deb12u1") == ((10, 11, 6), True)
    assert parse_version("5.5.5-10.4.2-MariaDB") == ((10, 4, 2), True)
    assert parse_version("8.0.36-0ubuntu0.22.04.1") == ((8, 0, 36), False)


def test_capabilities_follow_the_server() -> None:
    m, my = mariadb(), mysql8()
    assert m.caps.returning_insert and m.caps.returning_delete and not m.caps.returning_update
    assert not my.caps.returning_insert and not my.caps.returning_delete
    old = MySQLDialect().configure("10.4.30-MariaDB")
    assert not old.caps.returning_insert
    for d in (m, my):
        assert not d.caps.full_join and d.caps.update_limit and not d.caps.transactional_ddl
    assert MySQLDialect().configure("8.0.30").caps.intersect_all is False
    assert MySQLDialect().configure("8.0.31").caps.intersect_all is True


def test_select_uses_backticks_and_format_placeholders() -> None:
    q = select(Accounts.id, Accounts.email).from_(Accounts).where(eq(Accounts.email, "a%b")).limit(5).offset(10)
    text_, params = q.to_sql(mariadb())
    assert text_ == (
        "select `accounts`.`id`, `accounts`.`email` from `accounts` where `accounts`.`email` = %s limit %s offset %s"
    )
    assert params == ["a%b", 5, 10]


def test_literal_percent_is_escaped_for_pymysql() -> None:
    q = select(sql[int]("count(*) % 2")).from_(Accounts)
    assert q.to_sql(mariadb()).sql == "select count(*) %% 2 from `accounts`"


def test_offset_without_limit_uses_the_maximal_limit() -> None:
    text_ = select(Accounts.id).from_(Accounts).offset(3).to_sql(mariadb()).sql
    assert text_.endswith(" limit 18446744073709551615 offset %s")


def test_full_join_raises_a_clear_error() -> None:
    q = select().from_(Accounts).full_join(Events, eq(Events.account_id, Accounts.id))
    with pytest.raises(mizzle.QueryError, match="does not support FULL JOIN"):
        q.to_sql(mariadb())


def test_nulls_ordering_is_emulated() -> None:
    q = select(Accounts.id).from_(Accounts).order_by(desc(Accounts.settings).nulls_last())
    text_ = q.to_sql(mariadb()).sql
    assert "order by (`accounts`.`settings` is null) asc, `accounts`.`settings` desc" in text_


def test_ilike_is_lower_like_lower() -> None:
    q = select(Accounts.id).from_(Accounts).where(mizzle.ilike(Accounts.email, "%X%"))
    assert "lower(`accounts`.`email`) like lower(%s)" in q.to_sql(mariadb()).sql


def test_upsert_renders_values_on_mariadb_and_row_alias_on_mysql8() -> None:
    q = insert(Accounts).values(email="a@x").on_duplicate_key_update(
        set={"visits": sql("{} + 1", Accounts.visits), "plan": excluded(Accounts.plan)}
    )
    m = q.to_sql(mariadb()).sql
    assert m.endswith(
        "on duplicate key update `visits` = `accounts`.`visits` + 1, `plan` = values(`plan`)"
    )
    my = q.to_sql(mysql8()).sql
    assert " as `_new` on duplicate key update " in my
    assert my.endswith("`plan` = `_new`.`plan`")
    old_mysql = q.to_sql(MySQLDialect().configure("8.0.18")).sql
    assert "values(`plan`)" in old_mysql


def test_on_conflict_do_update_maps_to_on_duplicate_key_update() -> None:
    q = insert(Accounts).values(email="a@x").on_conflict_do_update(
        target=Accounts.email, set={"plan": excluded(Accounts.plan)}
    )
    assert q.to_sql(mariadb()).sql.endswith(" on duplicate key update `plan` = values(`plan`)")


def test_on_conflict_do_nothing_is_insert_ignore() -> None:
    q = insert(Accounts).values(email="a@x").on_conflict_do_nothing()
    assert q.to_sql(mariadb()).sql.startswith("insert ignore into `accounts` (")


def test_returning_is_refused_where_the_server_has_none() -> None:
    with pytest.raises(mizzle.QueryError, match=r"MySQL has no INSERT \.\.\. RETURNING.*returning_id"):
        insert(Accounts).values(email="a@x").returning().to_sql(mysql8())
    # UPDATE ... RETURNING runs as locking select, update, select (see tests/conformance/test_returning_dml.py)
    with pytest.raises(mizzle.QueryError, match=r"runs as several statements on mysql"):
        update(Accounts).set(plan="pro").returning().to_sql(mariadb())
    text_ = delete(Accounts).where(eq(Accounts.id, 1)).returning(Accounts.id).to_sql(mariadb()).sql
    assert text_ == "delete from `accounts` where `accounts`.`id` = %s returning `id`"


def test_update_and_delete_with_order_by_and_limit() -> None:
    q = update(Accounts).set(plan="pro").where(eq(Accounts.verified, True)).order_by(asc(Accounts.id)).limit(2)
    assert q.to_sql(mariadb()).sql.endswith(" order by `accounts`.`id` asc limit %s")
    d = delete(Accounts).order_by(desc(Accounts.id)).limit(1).to_sql(mariadb()).sql
    assert d == "delete from `accounts` order by `accounts`.`id` desc limit %s"


def test_lock_clauses_per_server() -> None:
    base = select(Accounts.id).from_(Accounts)
    assert base.for_update().to_sql(mariadb()).sql.endswith(" for update")
    assert base.for_share().to_sql(mariadb()).sql.endswith(" lock in share mode")
    assert base.for_share().to_sql(mysql8()).sql.endswith(" for share")
    assert base.for_update(skip_locked=True).to_sql(mysql8()).sql.endswith(" for update skip locked")
    with pytest.raises(mizzle.QueryError, match="SKIP LOCKED"):
        base.for_update(skip_locked=True).to_sql(MySQLDialect().configure("10.5.1-MariaDB"))


def test_create_table_in_drizzle_kit_layout() -> None:
    assert create_table_sql(Accounts, mariadb()) == (
        "CREATE TABLE `accounts` (\n"
        "\t`id` int AUTO_INCREMENT NOT NULL,\n"
        "\t`email` varchar(255) NOT NULL,\n"
        "\t`plan` enum('free','pro') NOT NULL DEFAULT 'free',\n"
        "\t`balance` decimal(12,2) NOT NULL DEFAULT '0.00',\n"
        "\t`visits` bigint unsigned NOT NULL DEFAULT 0,\n"
        "\t`verified` boolean NOT NULL DEFAULT false,\n"
        "\t`settings` json,\n"
        "\t`bio` text DEFAULT ('it''s \\\\ here'),\n"
        "\t`created_at` timestamp(3) NOT NULL DEFAULT (now(3)),\n"
        "\t`updated_at` datetime DEFAULT (now()) ON UPDATE CURRENT_TIMESTAMP,\n"
        "\tCONSTRAINT `accounts_id` PRIMARY KEY(`id`),\n"
        "\tCONSTRAINT `accounts_email_unique` UNIQUE(`email`),\n"
        "\tCONSTRAINT `accounts_email_plan` UNIQUE(`email`,`plan`),\n"
        "\tCONSTRAINT `balance_positive` CHECK(`balance` >= 0)\n"
        ");\n"
    )


def test_foreign_keys_come_after_every_table() -> None:
    stmts = ddl_statements([Events, Accounts], mariadb())
    assert stmts[0].startswith("CREATE TABLE `events`")
    assert stmts[1].startswith("CREATE TABLE `accounts`")
    assert stmts[2] == "CREATE INDEX `accounts_plan_idx` ON `accounts` (`plan`);"
    assert stmts[3] == (
        "ALTER TABLE `events` ADD CONSTRAINT `events_account_id_accounts_id_fk` FOREIGN KEY (`account_id`) "
        "REFERENCES `accounts`(`id`) ON DELETE cascade ON UPDATE no action;"
    )


def test_column_definition_errors_name_the_problem() -> None:
    with pytest.raises(mizzle.SchemaError, match="varchar\\(\\): length must be"):
        varchar(length=-1)
    with pytest.raises(mizzle.SchemaError, match="AUTO_INCREMENT needs an integer type"):
        text().auto_increment()
    with pytest.raises(mizzle.SchemaError, match="default_now\\(\\) needs a datetime or timestamp"):
        int_().default_now()
    with pytest.raises(mizzle.SchemaError, match=r"fsp must be 0\.\.6"):
        timestamp(fsp=7)
    with pytest.raises(mizzle.SchemaError, match="non-empty sequence"):
        mysql_enum(())
