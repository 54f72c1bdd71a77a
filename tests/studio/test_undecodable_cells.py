"""A value the schema's column cannot decode (invalid JSON in a JSON column, text in a timestamp column) shows
as its raw value with the reason; the page, the row view and the export still work, on every dialect."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from studio_helpers import DIALECTS, Client, family, open_db, start

import mizzle
from mizzle.schema.table import Table
from mizzle.studio import Studio


def notes_table(kind: str) -> type[Table]:
    """A schema that says `doc` holds JSON — the database's column is plain text and holds anything."""
    if kind == "sqlite":
        from mizzle.sqlite import Column, Table, integer, text

        class SqliteNotes(Table, name="notes"):
            id: Column[int] = integer().primary_key()
            doc: Column[Any] = text(mode="json")
            at: Column[Any] = integer(mode="timestamp")

        return SqliteNotes
    if kind == "postgres":
        from mizzle.postgres import Column, Table, integer, jsonb, timestamptz

        class PgNotes(Table, name="notes"):
            id: Column[int] = integer().primary_key()
            doc: Column[Any] = jsonb()
            at: Column[Any] = timestamptz()

        return PgNotes
    from mizzle.mysql import Column, Table, int_, json_, timestamp

    class MyNotes(Table, name="notes"):
        id: Column[int] = int_().primary_key()
        doc: Column[Any] = json_()
        at: Column[Any] = timestamp()

    return MyNotes


@pytest.fixture(params=DIALECTS)
def notes(request: pytest.FixtureRequest, tmp_path: Path, server_urls: dict[str, str]) -> Iterator[Client]:
    kind: str = family(request.param)
    db, url = open_db(request.param, tmp_path, server_urls)
    at = {"sqlite": "integer", "postgres": "timestamptz", "mysql": "timestamp null"}[kind]
    db.execute("drop table if exists notes")
    db.execute(f"create table notes (id integer primary key, doc text, at {at})")
    db.execute("insert into notes (id, doc) values (1, '{\"a\": 1}'), (2, 'not json {'), (3, null)")
    if kind == "sqlite":
        db.execute("update notes set at = 'yesterday' where id = 2")  # SQLite keeps text in an integer column
    studio = Studio(db, [notes_table(kind)], url=url)
    server, base = start(studio)
    try:
        yield Client(base, studio.token)
    finally:
        server.shutdown()
        server.server_close()
        db.execute("drop table if exists notes")
        db.close()


def test_undecodable_cells_show_their_raw_value(notes: Client) -> None:
    page = notes.get("/api/tables/notes/rows")
    rows = {r[0]: r for r in page["rows"]}
    assert rows[1][1] == {"a": 1} and rows[3][1] is None
    bad = rows[2][1]
    assert bad["$raw"] == "not json {" and bad["error"], bad
    one = notes.get("/api/tables/notes/row", key=[2])
    assert one["row"][1]["$raw"] == "not json {"
    status, text = notes.request("GET", "/api/tables/notes/export", {"format": "csv"})
    assert status == 200
    exported = list(csv.reader(io.StringIO(text)))
    assert exported[2][:2] == ["2", "not json {"]
    status, data = notes.request("GET", "/api/tables/notes/export", {"format": "json"})
    assert status == 200 and data[1]["doc"]["$raw"] == "not json {"
    # the row can still be fixed from the studio
    status, body = notes.post("/api/tables/notes/update", {"key": [2], "values": {"doc": {"fixed": True}}})
    assert status == 200, body
    assert {r[0]: r for r in notes.get("/api/tables/notes/rows")["rows"]}[2][1] == {"fixed": True}


def test_sqlite_text_in_a_timestamp_column(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "t.db"))
    db.execute("create table notes (id integer primary key, doc text, at integer)")
    db.execute("insert into notes values (1, null, 'yesterday'), (2, null, 1700000000)")
    studio = Studio(db, [notes_table("sqlite")], url=f"sqlite:///{tmp_path / 't.db'}")
    server, base = start(studio)
    try:
        rows = Client(base, studio.token).get("/api/tables/notes/rows")["rows"]
    finally:
        server.shutdown()
        server.server_close()
        db.close()
    assert rows[0][2]["$raw"] == "yesterday" and rows[1][2].startswith("2023-11-14")
