"""The SQL console: one statement a request, on a dedicated connection, in a transaction the database enforces.

No SQL is parsed here. The dialect's console connection (`consoledb`) runs exactly one statement —
the driver path refuses a second — and in read-only mode inside a read-only transaction that is
always rolled back; the database refuses every write. An account the database cannot hold back
(a PostgreSQL superuser, a MariaDB account with FILE or SUPER) gets no read-only console at all.
"""

from __future__ import annotations

import time
from typing import Any

from mizzle.errors import ConfigError
from mizzle.studio.app import ApiError, Studio
from mizzle.studio.consoledb import ConsoleConnection, console_dialect
from mizzle.studio.values import to_json

MAX_ROWS = 1000
MAX_SQL = 1_000_000


def run_sql(studio: Studio, text: str) -> dict[str, Any]:
    """Run one statement; rows (up to MAX_ROWS) with column names, or the affected row count."""
    if not text.strip():
        raise ApiError(400, "the query is empty")
    if len(text) > MAX_SQL:
        raise ApiError(413, f"the query is too long ({len(text)} characters; limit {MAX_SQL})")
    if studio.read_only and studio.risks:
        raise ApiError(403, "the console is off in read-only mode: the database cannot stop this account from "
                            f"changing things outside a transaction — {'; '.join(studio.risks)}. "
                            + read_only_role_hint(studio.dialect))
    started = time.perf_counter()
    conn = _open(studio)
    try:
        try:
            cur = conn.run(text)
            columns, rows, more, affected = _fetch(cur)
            conn.finish()
        except conn.errors as exc:
            raise ApiError(400, _refused(studio, exc)) from None
    finally:
        conn.close()
    ms = (time.perf_counter() - started) * 1000
    return {"columns": columns, "rows": rows, "truncated": more, "affected": affected,
            "ms": round(ms, 2), "read_only": studio.read_only}


def _open(studio: Studio) -> ConsoleConnection:
    dialect = console_dialect(studio.dialect)
    try:
        return dialect.open_console(studio.url, read_only=studio.read_only)
    except ConfigError as exc:
        raise ApiError(409, f"the console cannot open its connection: {exc}") from None
    except Exception as exc:  # the driver's own connection error (server gone, credentials)
        raise ApiError(503, f"the console cannot connect to the database: {type(exc).__name__}: {exc}") from None


def _refused(studio: Studio, exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    if studio.read_only:
        return f"the database refused the query (the studio runs read-only, --read-only): {message}"
    return f"the database refused the query: {message}"


def _fetch(cur: Any) -> tuple[list[str], list[list[Any]], bool, int | None]:
    if not cur.description:
        count = cur.rowcount
        return [], [], False, int(count) if count is not None and count >= 0 else None
    columns = [str(d[0]) for d in cur.description]
    fetched = list(cur.fetchmany(MAX_ROWS + 1))
    more = len(fetched) > MAX_ROWS
    rows = [[to_json("", v) for v in r] for r in fetched[:MAX_ROWS]]
    return columns, rows, more, None


def read_only_role_hint(dialect: str) -> str:
    """How to give the studio an account the database holds to reading (README "Studio" has the same)."""
    if dialect == "postgresql":
        return ("Connect with a role that is no superuser, e.g. `CREATE ROLE studio_ro LOGIN PASSWORD '...'; "
                "GRANT pg_read_all_data TO studio_ro;` (PostgreSQL 14+).")
    if dialect == "mysql":
        return ("Connect with an account without FILE and SUPER, e.g. `CREATE USER 'studio_ro'@'%' IDENTIFIED BY "
                "'...'; GRANT SELECT, SHOW VIEW ON app.* TO 'studio_ro'@'%';`.")
    return ""


__all__ = ["MAX_ROWS", "read_only_role_hint", "run_sql"]
