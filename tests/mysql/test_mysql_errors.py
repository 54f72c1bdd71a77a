"""MySQL error codes map to mizzle's exception hierarchy, naming the table, column or constraint."""

from __future__ import annotations

import pytest

import mizzle
from mizzle import eq, sql
from mizzle.mysql import Column, Table, check, int_, text, varchar

pytestmark = pytest.mark.mysql


class Owners(Table, name="owners"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    email: Column[str] = varchar(length=100).not_null().unique()


class Pets(Table, name="pets"):
    id: Column[int] = int_().primary_key(autoincrement=True)
    owner_id: Column[int] = int_().not_null().references(lambda: Owners.id, on_delete="restrict")
    name: Column[str] = text().not_null()
    age: Column[int] = int_().not_null().default(0)

    __constraints__ = (check("pets_age_check", sql("{} >= 0", age)),)


@pytest.fixture
def db(mdb: mizzle.Database) -> mizzle.Database:
    mizzle.create_all(mdb, [Owners, Pets])
    mdb.insert(Owners).values(email="a@x").run()
    return mdb


def test_unique_violation_names_table_and_constraint(db: mizzle.Database) -> None:
    with pytest.raises(mizzle.UniqueViolation) as info:
        db.insert(Owners).values(email="a@x").run()
    err = info.value
    assert (err.table, err.constraint) == ("owners", "owners_email_unique")
    assert "Duplicate entry 'a@x'" in str(err) and "1062" in str(err)
    assert err.sql is not None and err.sql.startswith("insert into `owners`")
    with pytest.raises(mizzle.UniqueViolation) as pk:
        db.insert(Owners).values(id=1, email="b@x").run()
    assert pk.value.constraint == "PRIMARY"


def test_foreign_key_violation_on_insert_and_on_delete(db: mizzle.Database) -> None:
    with pytest.raises(mizzle.ForeignKeyViolation) as child:
        db.insert(Pets).values(owner_id=99, name="rex").run()
    assert (child.value.table, child.value.column, child.value.constraint) == (
        "pets", "owner_id", "pets_owner_id_owners_id_fk"
    )
    db.insert(Pets).values(owner_id=1, name="rex").run()
    with pytest.raises(mizzle.ForeignKeyViolation) as parent:
        db.delete(Owners).where(eq(Owners.id, 1)).run()
    assert parent.value.table == "pets"  # the referencing table
    assert "1451" in str(parent.value)


def test_not_null_violation_names_the_column(db: mizzle.Database) -> None:
    with pytest.raises(mizzle.NotNullViolation) as info:
        db.insert(Pets).values(owner_id=1, name=None).run()  # type: ignore[arg-type]
    assert (info.value.table, info.value.column) == ("pets", "name")
    with pytest.raises(mizzle.NotNullViolation) as missing:
        db.execute("insert into `pets` (`owner_id`) values (1)")
    assert missing.value.column == "name"


def test_check_violation_names_the_constraint(db: mizzle.Database) -> None:
    with pytest.raises(mizzle.CheckViolation) as info:
        db.insert(Pets).values(owner_id=1, name="rex", age=-1).run()
    assert info.value.constraint == "pets_age_check"
    assert info.value.table == "pets"


def test_bad_sql_and_missing_tables_are_operational_errors(db: mizzle.Database) -> None:
    with pytest.raises(mizzle.OperationalError, match="1146"):
        db.execute("select * from `no_such_table`")
    with pytest.raises(mizzle.OperationalError, match="1064"):
        db.execute("selec 1")


def test_connection_loss_mid_transaction_leaves_no_partial_write(db: mizzle.Database, mysql_url: str) -> None:
    (conn_id,) = db.execute("select connection_id()")[0]
    killer = mizzle.connect(mysql_url)
    try:
        with pytest.raises(mizzle.OperationalError) as info, db.transaction():
            db.insert(Owners).values(email="half@x").run()
            killer.execute(sql("kill connection {}", conn_id))
            db.insert(Owners).values(email="other@x").run()
        assert "lost connection" in str(info.value).lower() or "gone away" in str(info.value).lower()
        emails = [r[0] for r in killer.select(Owners.email).from_(Owners).all()]
        assert emails == ["a@x"]
    finally:
        killer.close()


def test_connect_errors_are_clear(mysql_url: str) -> None:
    with pytest.raises(mizzle.OperationalError, match=r"cannot connect to mysql server at 127\.0\.0\.1:1"):
        mizzle.connect("mysql://root@127.0.0.1:1/test", connect_timeout=2)
    with pytest.raises(mizzle.ConfigError, match="unknown option 'colour'"):
        mizzle.connect(mysql_url + "?colour=blue")
    with pytest.raises(mizzle.ConfigError, match="expected an integer"):
        mizzle.connect(mysql_url, connect_timeout="soon")
