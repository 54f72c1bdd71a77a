"""`.inline()` writes values into the SQL text; they must read back exactly on every driver and SQL
mode: `%` (psycopg / PyMySQL read it as a parameter marker), backslashes (MariaDB, also under
NO_BACKSLASH_ESCAPES), quotes, NUL where the database allows it in text."""

from __future__ import annotations

import pytest

from mizzle import sql

from .conftest import Fdb

TEXTS = ["%", "%%", "%s", "100% sure", "a\\b", "\\", "\\'", "it's", "''", "\\n", "tab\there", "é ✓ 😀", "a\x00b"]


def _inline(f: Fdb, value: str) -> str:
    row = f.db.select(v=sql("{}", value).inline().map_with(str)).from_(f.s.Vals).one()
    return row.v


@pytest.mark.parametrize("mode", ["default", "no_backslash_escapes"])
def test_inline_text_literals_read_back_exactly(fdb: Fdb, mode: str) -> None:
    if mode == "no_backslash_escapes":
        if fdb.kind != "mysql":
            pytest.skip("NO_BACKSLASH_ESCAPES is a MySQL/MariaDB SQL mode")
        fdb.db.execute("set session sql_mode = concat(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")
    fdb.db.insert(fdb.s.Vals).values(id=1).run()
    for value in TEXTS:
        if "\x00" in value and fdb.kind in ("postgres", "libsql"):
            continue  # PostgreSQL text cannot hold NUL; the libsql package cuts text at NUL (docs/values.md)
        assert _inline(fdb, value) == value, value


def test_inline_values_in_a_where_clause(fdb: Fdb) -> None:
    V = fdb.s.Vals
    fdb.db.insert(V).values([{"id": 1, "email": "50%\\off"}, {"id": 2, "email": "x"}]).run()
    got = fdb.db.select(V.id).from_(V).where(sql("{} = {}", V.email, "50%\\off").inline()).all()
    assert got == [(1,)]
