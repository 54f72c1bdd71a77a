"""The SQL console: run one statement; read-only mode refuses writes and reads in a read-only transaction."""

from __future__ import annotations

import re
import time
from typing import Any

from mizzle.errors import DatabaseError
from mizzle.session.base import raw_statement
from mizzle.studio.app import ApiError, Studio
from mizzle.studio.values import to_json

MAX_ROWS = 1000
_READ_WORDS = ("select", "with", "explain", "values", "show", "describe", "desc", "table")
_COMMENT = re.compile(r"^\s*(?:--[^\n]*(?:\n|$)|/\*.*?\*/)", re.S)
_WRITE_IN_WITH = re.compile(r"\b(insert|update|delete|merge|create|drop|alter|truncate)\b", re.I)


def strip_comments(text: str) -> str:
    """`text` without leading comments and whitespace."""
    prev = None
    while prev != text:
        prev = text
        text = _COMMENT.sub("", text, count=1)
    return text.strip()


def single_statement(text: str) -> str:
    """The one statement in `text` (a trailing `;` allowed); 400 when there are several."""
    body = strip_comments(text).rstrip().rstrip(";").rstrip()
    if not body:
        raise ApiError(400, "the query is empty")
    if _has_semicolon_outside_quotes(body):
        raise ApiError(400, "run one statement at a time (found ';' separating statements)")
    return body


def _has_semicolon_outside_quotes(text: str) -> bool:
    quote: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in ("'", '"', "`"):
            quote = ch
        elif ch == "-" and text.startswith("--", i):
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
        elif ch == ";":
            return True
        i += 1
    return False


def is_read_statement(text: str) -> bool:
    """Whether a statement only reads (SELECT / WITH ... SELECT / EXPLAIN / VALUES / SHOW)."""
    body = strip_comments(text)
    first = re.split(r"[\s(]", body, maxsplit=1)[0].lower()
    if first not in _READ_WORDS:
        return False
    return not (first in ("with", "explain") and _WRITE_IN_WITH.search(body))


def _begin_read_only(studio: Studio) -> None:
    dialect = studio.dialect
    if dialect == "sqlite":
        studio.db.driver.execute("pragma query_only = 1", ())
    elif dialect == "postgresql":
        studio.db.driver.execute("set transaction read only", ())


def run_sql(studio: Studio, text: str) -> dict[str, Any]:
    """Run one statement; rows (up to MAX_ROWS) with column names, or the affected row count."""
    stmt = single_statement(text)
    read = is_read_statement(stmt)
    if studio.read_only and not read:
        raise ApiError(403, "the studio runs read-only (--read-only): the console only runs SELECT queries")
    db = studio.db
    sql_text, params = raw_statement(stmt, (), db.dialect)
    started = time.perf_counter()
    with studio.lock:
        try:
            if studio.read_only:
                behavior = "read only" if studio.dialect == "mysql" else None
                try:
                    with db.transaction(behavior):  # type: ignore[arg-type]
                        _begin_read_only(studio)
                        try:
                            columns, rows, more, affected = _fetch(studio, sql_text, params)
                        finally:
                            if studio.dialect == "sqlite":
                                db.driver.execute("pragma query_only = 0", ())
                        raise _Done(columns, rows, more, affected)
                except _Done as done:
                    columns, rows, more, affected = done.args
            else:
                with db.transaction():
                    columns, rows, more, affected = _fetch(studio, sql_text, params)
        except DatabaseError as exc:
            raise ApiError(400, f"the database refused the query: {exc.message}") from None
    ms = (time.perf_counter() - started) * 1000
    return {"columns": columns, "rows": rows, "truncated": more, "affected": affected,
            "ms": round(ms, 2), "read_only": studio.read_only}


class _Done(Exception):
    """Leaves a read-only transaction by rolling it back (nothing it did is kept)."""


def _fetch(studio: Studio, sql_text: str, params: list[Any]) -> tuple[list[str], list[list[Any]], bool, int | None]:
    driver = studio.db.driver
    try:
        cur = driver.execute(sql_text, params)
    except Exception as exc:
        err = driver.map_error(exc, sql_text, params)
        if err is None:
            raise ApiError(400, f"the database refused the query: {exc}") from None
        raise err from exc
    if not cur.description:
        return [], [], False, int(cur.rowcount) if cur.rowcount is not None else None
    columns = [str(d[0]) for d in cur.description]
    fetched = list(cur.fetchmany(MAX_ROWS + 1)) if hasattr(cur, "fetchmany") else list(cur.fetchall())
    more = len(fetched) > MAX_ROWS
    rows = [[to_json("", v) for v in r] for r in fetched[:MAX_ROWS]]
    return columns, rows, more, None


__all__ = ["MAX_ROWS", "is_read_statement", "run_sql", "single_statement", "strip_comments"]
