"""psycopg driver: error mapping by SQLSTATE, transactions, savepoints, pool, lost connections."""

from __future__ import annotations

import threading

import pytest

import mizzle
from mizzle import eq
from mizzle.postgres import Column, Table, check, integer, serial, text


class Accounts(Table, name="accounts"):
    id: Column[int] = serial().primary_key()
    email: Column[str] = text().not_null().unique()
    balance: Column[int] = integer().not_null().default(0)

    __constraints__ = (check("accounts_balance_positive", mizzle.sql("balance >= 0")),)


class Transfers(Table, name="transfers"):
    id: Column[int] = serial().primary_key()
    account_id: Column[int] = integer().not_null().references(lambda: Accounts.id)
    amount: Column[int] = integer().not_null()


@pytest.fixture
def bank(pg_db: mizzle.Database) -> mizzle.Database:
    mizzle.create_all(pg_db, [Accounts, Transfers])
    pg_db.insert(Accounts).values(email="a@x", balance=10).run()
    return pg_db


def test_unique_violation_names_table_column_and_constraint(bank: mizzle.Database) -> None:
    with pytest.raises(mizzle.UniqueViolation) as info:
        bank.insert(Accounts).values(email="a@x").run()
    err = info.value
    assert (err.table, err.column, err.constraint) == ("accounts", "email", "accounts_email_unique")
    assert "already exists" in str(err) and 'insert into "accounts"' in str(err)


def test_foreign_key_not_null_and_check_violations(bank: mizzle.Database) -> None:
    with pytest.raises(mizzle.ForeignKeyViolation) as fk:
        bank.insert(Transfers).values(account_id=999, amount=1).run()
    assert fk.value.constraint == "transfers_account_id_accounts_id_fk"
    assert fk.value.column == "account_id"
    with pytest.raises(mizzle.NotNullViolation) as nn:
        bank.execute("insert into accounts (email) values (null)")
    assert (nn.value.table, nn.value.column) == ("accounts", "email")
    with pytest.raises(mizzle.CheckViolation) as ck:
        bank.update(Accounts).set(balance=-1).run()
    assert ck.value.constraint == "accounts_balance_positive"


def test_syntax_and_missing_table_are_operational_errors(pg_db: mizzle.Database) -> None:
    with pytest.raises(mizzle.OperationalError, match='relation "nope" does not exist'):
        pg_db.execute("select * from nope")
    pg_db.execute("select 1")  # the connection is still usable


def test_transaction_commits_and_rolls_back_with_savepoints(bank: mizzle.Database) -> None:
    with bank.transaction() as tx:
        tx.update(Accounts).set(balance=20).run()
        with pytest.raises(mizzle.UniqueViolation), tx.transaction():
            tx.insert(Accounts).values(email="b@x").run()
            tx.insert(Accounts).values(email="b@x").run()
        # the savepoint rolled back only the inner block; the outer transaction is still usable
        tx.insert(Accounts).values(email="c@x").run()
    emails = [r.email for r in bank.select().from_(Accounts).order_by(Accounts.email).all()]
    assert emails == ["a@x", "c@x"]
    assert bank.select(Accounts.balance).from_(Accounts).where(eq(Accounts.email, "a@x")).one() == (20,)
    with pytest.raises(RuntimeError), bank.transaction():
        bank.update(Accounts).set(balance=99).run()
        raise RuntimeError("boom")
    assert bank.select(Accounts.balance).from_(Accounts).where(eq(Accounts.email, "a@x")).one() == (20,)


def test_isolation_level_and_unknown_behavior(bank: mizzle.Database) -> None:
    with bank.transaction("serializable"):  # type: ignore[arg-type]
        level = bank.execute("show transaction_isolation")
    assert level == [("serializable",)]
    with pytest.raises(mizzle.ConfigError, match="immediate"), bank.transaction("immediate"):
        pass


def _terminate(admin_url: str, pid: int) -> None:
    admin = mizzle.connect(admin_url)
    try:
        admin.execute(mizzle.sql("select pg_terminate_backend({})", pid))
    finally:
        admin.close()


def test_connection_loss_mid_transaction_is_clear_and_writes_nothing(bank: mizzle.Database, pg_url: str) -> None:
    pid = bank.driver.backend_pid()
    with pytest.raises(mizzle.OperationalError) as info, bank.transaction() as tx:
        tx.insert(Transfers).values(account_id=1, amount=5).run()
        tx.update(Accounts).set(balance=5).where(eq(Accounts.id, 1)).run()
        _terminate(pg_url, pid)
        tx.insert(Transfers).values(account_id=1, amount=6).run()
    message = str(info.value)
    assert "connection to PostgreSQL lost" in message
    assert "rolled back by the server and nothing in it was written" in message
    # the session reconnects for the next statement; nothing of the transaction was written
    assert bank.count(Transfers) == 0
    assert bank.select(Accounts.balance).from_(Accounts).one() == (10,)
    assert bank.driver.backend_pid() != pid


def test_connection_lost_while_idle_is_replaced_before_the_next_statement(bank: mizzle.Database, pg_url: str) -> None:
    pid = bank.driver.backend_pid()
    admin = mizzle.connect(pg_url)
    try:  # the timeout makes pg_terminate_backend wait until the backend is gone
        admin.execute(mizzle.sql("select pg_terminate_backend({}, 30000)", pid))
    finally:
        admin.close()
    assert bank.count(Accounts) == 1  # no error: the driver saw the connection was lost and reconnected
    assert bank.driver.backend_pid() != pid


def test_pool_runs_statements_and_transactions(bank: mizzle.Database, pg_url: str) -> None:
    pooled = mizzle.connect(pg_url, pool_size=3)
    try:
        assert pooled.count(Accounts) == 1
        with pooled.transaction() as tx:
            tx.insert(Accounts).values(email="p@x").run()
            # other pool connections do not see the uncommitted row
            assert bank.count(Accounts) == 1
        assert bank.count(Accounts) == 2
        errors: list[BaseException] = []

        def work(i: int) -> None:
            try:
                for j in range(5):
                    pooled.insert(Transfers).values(account_id=1, amount=i * 10 + j).run()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert pooled.count(Transfers) == 15
    finally:
        pooled.close()


def test_pool_size_in_url_and_bad_values(pg_url: str) -> None:
    db = mizzle.connect(pg_url + "?pool_size=2")
    try:
        assert db.driver.pool is not None
        assert db.execute("select 1") == [(1,)]
    finally:
        db.close()
    with pytest.raises(mizzle.ConfigError, match="pool_size must be at least 1"):
        mizzle.connect(pg_url, pool_size=0)


def test_postgres_scheme_and_unreachable_server(pg_url: str) -> None:
    db = mizzle.connect(pg_url.replace("postgresql://", "postgres://", 1))
    assert db.dialect.name == "postgresql"
    db.close()
    with pytest.raises(mizzle.OperationalError, match=r"could not connect to PostgreSQL at postgresql://postgres:\*\*\*@127\.0\.0\.1:1/nope"):
        mizzle.connect("postgresql://postgres:secret@127.0.0.1:1/nope", connect_timeout=1)


def test_password_is_redacted_in_connection_errors() -> None:
    with pytest.raises(mizzle.OperationalError) as info:
        mizzle.connect("postgresql://postgres:hunter2@127.0.0.1:1/nope", connect_timeout=1)
    assert "hunter2" not in str(info.value)
