"""`mizzle studio URL` opens a database nobody wrote a schema for (tables read as `pull` reads them), on every
dialect; a busy port, the banner and `--help` from the command line."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from studio_helpers import DIALECTS, Client, family, launch

import mizzle
from _sqld import LibSQLServer, reset
from mizzle.cli.main import main
from mizzle.studio import redact_url

DDL = {
    "sqlite": [
        "create table lib_authors (id integer primary key, name text not null, born integer)",
        "create table lib_books (id integer primary key, author_id integer not null references lib_authors (id), "
        "title text not null, price real)",
        "create table lib_log (at text, msg text)",
        'create table "odd name" (id integer primary key, "select" text)',
    ],
    "postgres": [
        "create table lib_authors (id serial primary key, name text not null, born integer)",
        "create table lib_books (id serial primary key, author_id integer not null references lib_authors (id), "
        "title text not null, price double precision)",
        "create table lib_log (at text, msg text)",
        'create table "odd name" (id integer primary key, "select" text)',
    ],
    "mysql": [
        "create table lib_authors (id int auto_increment primary key, name varchar(100) not null, born int)",
        "create table lib_books (id int auto_increment primary key, author_id int not null, "
        "title varchar(200) not null, price double, foreign key (author_id) references lib_authors (id))",
        "create table lib_log (at varchar(40), msg text)",
        "create table `odd name` (id int primary key, `select` text)",
    ],
}
ODD_ROW = {"sqlite": 'insert into "odd name" values (1, \'x\')', "postgres": 'insert into "odd name" values (1, \'x\')',
           "mysql": "insert into `odd name` values (1, 'x')"}
ROWS = [
    "insert into lib_authors (name, born) values ('Ann', 1900), ('Bob', 1950), ('Cy', 2000)",
    "insert into lib_books (author_id, title, price) values (1, 'Alpha', 10.5), (1, 'Beta', 12), (2, 'Gamma', 7)",
    "insert into lib_log (at, msg) values ('now', 'hello')",
]


@pytest.fixture(params=[*DIALECTS, "libsql_remote"])
def plain_db(request: pytest.FixtureRequest, tmp_path: Path, server_urls: dict[str, str],
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(kind, URL) of a database made with plain SQL — no mizzle schema anywhere (`libsql_remote`: a libSQL
    server over http://, the token in TURSO_AUTH_TOKEN, as `mizzle studio http://…` is run against one)."""
    if request.param == "libsql_remote":
        server: LibSQLServer = request.getfixturevalue("libsql_server")
        monkeypatch.setenv("TURSO_AUTH_TOKEN", server.token)
        remote = mizzle.connect(server.url, driver="libsql-http")
        reset(remote)
        for stmt in [*DDL["sqlite"], *ROWS, ODD_ROW["sqlite"]]:
            remote.execute(stmt)
        try:
            yield "sqlite", server.url
        finally:
            reset(remote)
            remote.close()
        return
    kind: str = family(request.param)
    if kind == "sqlite":
        path = tmp_path / "some.db"
        conn = sqlite3.connect(path)
        for stmt in [*DDL[kind], *ROWS, ODD_ROW[kind]]:
            conn.execute(stmt)
        conn.commit()
        conn.close()
        yield kind, f"sqlite:///{path}"
        return
    url = server_urls[kind]
    db = mizzle.connect(url)
    odd = '"odd name"' if kind == "postgres" else "`odd name`"
    drop = ["drop table if exists lib_books", "drop table if exists lib_authors", "drop table if exists lib_log",
            f"drop table if exists {odd}"]
    for stmt in [*drop, *DDL[kind], *ROWS, ODD_ROW[kind]]:
        db.execute(stmt)
    try:
        yield kind, url
    finally:
        for stmt in drop:
            db.execute(stmt)
        db.close()


def test_studio_opens_a_database_without_a_schema(plain_db: tuple[str, str], tmp_path: Path) -> None:
    _, url = plain_db
    folder = tmp_path / "empty"
    folder.mkdir()  # no mizzle.toml, no pyproject.toml, no schema module
    for proc, link, lines in launch(folder, url):
        banner = lines[0]
        assert redact_url(url) in banner and "tables read from the database" in banner, banner
        base, token = link.split("/?token=")
        c = Client(base, token)
        tables = {t["name"]: t for t in c.get("/api/tables")}
        assert tables["lib_authors"]["rows"] == 3 and tables["lib_authors"]["editable"]
        assert tables["lib_books"]["rows"] == 3 and tables["lib_log"]["rows"] == 1
        assert not tables["lib_log"]["editable"]  # no primary key: browse only
        page = c.get("/api/tables/lib_books/rows", count="1",
                     filters=[{"column": "title", "op": "like", "value": "%a"}])
        cols = [col["name"] for col in page["columns"]]
        assert page["total"] == 3 and {r[cols.index("title")] for r in page["rows"]} == {"Alpha", "Beta", "Gamma"}
        fk = next(col for col in page["columns"] if col["name"] == "author_id")["fk"]
        assert fk is not None and fk["table"] == "lib_authors"
        cheap = c.get("/api/tables/lib_books/rows", count="1", filters=[{"column": "price", "op": "lt", "value": 11}])
        assert cheap["total"] == 2
        related = c.get("/api/tables/lib_authors/row", key=[1])
        books = next(g for g in related["related"] if g["table"] == "lib_books")
        assert books["count"] == 2
        status, body = c.post("/api/sql", {"sql": "select count(*) from lib_books where price > 8"})
        if url.startswith("http"):  # the console's guard is SQLite's authorizer: a local file only
            assert status == 409 and "needs a local database file" in body["error"], body
        else:
            assert status == 200 and body["rows"] == [[2]], body
        status, body = c.post("/api/tables/lib_authors/update", {"key": [2], "values": {"name": "Bobby"}})
        assert status == 200, body
        status, body = c.post("/api/tables/lib_log/update", {"key": ["now"], "values": {"msg": "x"}})
        assert status == 409 and "no primary key" in body["error"]
        status, body = c.post("/api/tables/lib_authors/insert", {"values": {"name": "Dee", "born": 1999}})
        assert status == 200, body
        check = c.get("/api/tables/lib_authors/rows", count="1", filters=[{"column": "name", "op": "in",
                                                                         "value": "Bobby, Dee"}])
        assert check["total"] == 2
        # a table name that needs quoting in SQL and percent-encoding in the URL
        odd = c.get("/api/tables/odd%20name/rows")
        assert [col["name"] for col in odd["columns"]] == ["id", "select"] and odd["rows"] == [[1, "x"]]
        status, body = c.post("/api/tables/odd%20name/update", {"key": [1], "values": {"select": "y"}})
        assert status == 200, body
        assert c.get("/api/tables/odd%20name/rows")["rows"] == [[1, "y"]]
        proc.terminate()
        _, err = proc.communicate(timeout=10)
        assert "Traceback" not in err


def test_read_only_studio_on_a_database_without_a_schema(plain_db: tuple[str, str], tmp_path: Path) -> None:
    _, url = plain_db
    for _proc, link, _ in launch(tmp_path, url, "--read-only"):
        base, token = link.split("/?token=")
        c = Client(base, token)
        assert c.get("/api/tables/lib_authors/rows")["rows"]
        status, body = c.post("/api/tables/lib_authors/update", {"key": [2], "values": {"name": "x"}})
        assert status == 403
        status, body = c.post("/api/sql", {"sql": "delete from lib_books"})
        if url.startswith("http"):  # no console through a libSQL server (its guard is SQLite's authorizer)
            assert status == 409 and "needs a local database file" in body["error"], body
            continue
        # the console refuses: the database's read-only transaction, or (superuser/FILE account) no console at all
        assert status in (400, 403) and "read-only" in body["error"], body
        status, body = c.post("/api/sql", {"sql": "select count(*) from lib_books"})
        assert (status, body["rows"] if status == 200 else None) in ((200, [[3]]), (403, None))


def test_the_banner_shows_the_url_as_given(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    sqlite3.connect(path).execute("create table t (id integer primary key)").connection.close()
    assert redact_url(f"sqlite:///{path}") == f"sqlite:///{path}"
    assert redact_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
    assert redact_url("postgresql://u:pw@h:5/db?sslmode=require") == "postgresql://u:***@h:5/db?sslmode=require"
    for proc, _, lines in launch(tmp_path, f"sqlite:///{path}"):
        assert f"for sqlite:///{path} " in lines[0], lines
        proc.terminate()


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.db"
    assert main(["--no-color", "studio", f"sqlite:///{missing}", "--port", "0"]) == 1
    assert "no SQLite database at" in capsys.readouterr().err
    assert not missing.exists()


def test_a_busy_port_says_so_and_suggests_another(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    sqlite3.connect(path).execute("create table t (id integer primary key)").connection.close()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = subprocess.run([sys.executable, "-m", "mizzle.cli.main", "--no-color", "studio", f"sqlite:///{path}",
                              "--port", str(port)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert res.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in res.stderr and "--port" in res.stderr
    assert "Traceback" not in res.stderr


def test_studio_help_describes_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["studio", "--help"]) == 0
    out = capsys.readouterr().out
    description = out.partition("\n\n")[2].split("\n\n")[0]
    assert len(description) > 60 and "web UI" in description
    assert "mizzle studio sqlite:///app.db" in out and "--read-only" in out


def test_two_urls_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-color", "studio", "sqlite:///a.db", "--url", "sqlite:///b.db"]) == 1
    assert "two database URLs" in capsys.readouterr().err
