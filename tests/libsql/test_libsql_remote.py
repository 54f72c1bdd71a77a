"""The libSQL driver against a real libSQL server (sqld over http:// with JWT auth; libsql:// through TLS).

Lazy connects surfaced by `check=True`, auth and unreachable-server errors as mizzle errors,
and `db.batch()` in one HTTP request (counted by a proxy in front of the server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _proxy import CountingProxy
from _tls import TLSTerminator, make_ca_and_cert

import mizzle
from _sqld import LibSQLServer, Sqld, free_port, make_token, reset
from mizzle.sqlite import Column, Table, integer, text


class Items(Table, name="items"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null().unique()


@pytest.fixture
def primary(libsql_server: LibSQLServer) -> Any:
    db = libsql_server.fresh([Items])
    yield db
    db.close()


@pytest.mark.parametrize("token", ["not-a-jwt", ""])
def test_bad_or_missing_token_is_an_auth_error_at_first_use_or_at_check(
    libsql_server: LibSQLServer, token: str
) -> None:
    db = mizzle.connect(libsql_server.url, auth_token=token)  # the package connects lazily
    with pytest.raises(mizzle.AuthError, match="401"):
        db.execute("select 1")
    db.close()
    with pytest.raises(mizzle.AuthError, match=r"cannot reach 'http://127\.0\.0\.1:\d+'.*401"):
        mizzle.connect(libsql_server.url, auth_token=token, check=True)


def test_unreachable_server_is_reported_at_check(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(mizzle.UnreachableError, match="Connection refused"):
        mizzle.connect(url, auth_token="t", check=True)
    db = mizzle.connect(url, auth_token="t")
    with pytest.raises(mizzle.UnreachableError):
        db.execute("select 1")
    with pytest.raises(mizzle.UnreachableError):
        db.batch([db.select().from_(Items)])
    db.close()
    with pytest.raises(mizzle.UnreachableError, match="replica of"):
        mizzle.connect(str(tmp_path / "r.db"), driver="libsql", sync_url=url, auth_token="t", check=True)


def test_check_passes_on_a_good_token(libsql_server: LibSQLServer) -> None:
    db = libsql_server.connect(check=True)
    assert db.execute("select 1") == [(1,)]
    db.close()


def test_read_only_token_writes_are_refused_as_auth_errors(sqld_process: Sqld) -> None:
    rw = mizzle.connect(sqld_process.url, auth_token=sqld_process.token)
    mizzle.create_all(rw, [Items])
    ro = mizzle.connect(sqld_process.url, auth_token=make_token(sqld_process.key, {"a": "ro"}))
    assert ro.count(Items) == 0
    with pytest.raises(mizzle.AuthError):
        ro.insert(Items).values(name="x").run()
    with pytest.raises(mizzle.AuthError):
        ro.batch([ro.insert(Items).values(name="x")])
    assert rw.count(Items) == 0
    ro.close()
    rw.close()


def test_batch_is_one_http_request(libsql_server: LibSQLServer, primary: Any, tmp_path: Path) -> None:
    with CountingProxy(libsql_server.url, tmp_path / "requests.log") as proxy:
        db = mizzle.connect(proxy.url, auth_token=libsql_server.token)
        db.execute("select 1")  # settle the connection
        proxy.clear()
        out = db.batch([
            db.insert(Items).values(name="a"),
            db.insert(Items).values(name="b").returning(Items.id),
            db.insert(Items).values(name="c"),
            db.update(Items).set(name="bb").where(mizzle.eq(Items.name, "b")),
            db.select(Items.name).from_(Items).order_by(Items.id),
        ])
        assert out[1] == [(2,)] and out[4] == [("a",), ("bb",), ("c",)]
        assert proxy.requests == ["POST /v2/pipeline"]
        proxy.clear()
        with db.transaction() as tx:  # the same statements one by one: a request each, plus BEGIN/COMMIT
            tx.insert(Items).values(name="d").run()
            tx.insert(Items).values(name="e").run()
            tx.insert(Items).values(name="f").run()
        assert len(proxy.requests) >= 4
        db.close()


def test_failed_batch_leaves_nothing_and_names_the_statement(primary: Any) -> None:
    primary.insert(Items).values(name="taken").run()
    with pytest.raises(mizzle.UniqueViolation) as info:
        primary.batch([primary.insert(Items).values(name="new"), primary.insert(Items).values(name="taken")])
    assert info.value.sql is not None and "insert" in info.value.sql and list(info.value.params or ()) == ["taken"]
    assert (info.value.table, info.value.column) == ("items", "name")
    assert [r.name for r in primary.select().from_(Items).all()] == ["taken"]


def test_batch_binds_64_bit_integers_exactly(primary: Any) -> None:
    primary.insert(Items).values(id=2**63 - 1, name="max").run()
    out = primary.batch([primary.select(Items.id).from_(Items).where(mizzle.eq(Items.id, 2**63 - 1))])
    assert out == [[(2**63 - 1,)]]


def test_libsql_urls_use_tls_and_verify_the_server(libsql_server: LibSQLServer, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # libsql://host is https://host: a TLS terminator with a test CA in front of the local sqld
    ca, cert, key = make_ca_and_cert(tmp_path)
    port = int(libsql_server.url.rsplit(":", 1)[1])
    with TLSTerminator(port, cert, key) as tls:
        url = f"libsql://localhost:{tls.port}"
        with pytest.raises(mizzle.UnreachableError, match="certificate"):  # CA not trusted (yet)
            mizzle.connect(url, auth_token=libsql_server.token, check=True)
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # both the libsql package and Python's ssl read it
        db = mizzle.connect(url, auth_token=libsql_server.token, check=True)
        reset(db)
        mizzle.create_all(db, [Items])
        assert db.batch([db.insert(Items).values(name="over tls"), db.select(Items.name).from_(Items)])[1] == [
            ("over tls",)]
        assert db.execute("select name from items") == [("over tls",)]
        db.close()
