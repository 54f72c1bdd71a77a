"""A libSQL server over Hrana-over-HTTP (`/v2/pipeline`), stdlib only: `mizzle.connect(url, driver="libsql-http")`.

What it sends:

- **outside a transaction** every call is one self-contained pipeline `[execute, close]`: no stream
  (baton) is kept between calls, so idle time between calls can never expire anything;
- **session pragmas** (`PRAGMA name = value` run outside a transaction, e.g. `PRAGMA foreign_keys=OFF`)
  are remembered and replayed at the start of every later stream, so they hold as on one connection;
- **a transaction** is one stream: `BEGIN` opens it and returns a baton, each statement carries the
  baton, `COMMIT`/`ROLLBACK` closes it. The server drops a stream idle for more than ~10 s (sqld's
  `STREAM_EXPIRED`) and lets another writer take the lock of a transaction idle for ~5 s; either way
  the transaction is gone and this driver raises `OperationalError` saying so (nothing in it was
  committed), instead of failing on a later statement with a protocol message.

The kit uses it for `http://`, `https://` and `libsql://` URLs: a whole migration, including a SQLite
table rebuild with foreign keys off, is one server-side transaction. One keep-alive HTTP connection
is reused (re-opened once if the server closed it while idle).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import ssl
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from mizzle.dialects.sqlite.dialect import SQLiteDialect
from mizzle.drivers.base import AsyncResult
from mizzle.drivers.libsql_hrana import decode_value, encode_value, steps
from mizzle.errors import (
    AuthError,
    CheckViolation,
    ConfigError,
    DatabaseError,
    ForeignKeyViolation,
    IntegrityError,
    NotNullViolation,
    OperationalError,
    UniqueViolation,
    UnreachableError,
)
from mizzle.url import ConnectSpec

_KINDS: tuple[tuple[str, type[DatabaseError]], ...] = (
    ("UNIQUE constraint failed", UniqueViolation),
    ("FOREIGN KEY constraint failed", ForeignKeyViolation),
    ("NOT NULL constraint failed", NotNullViolation),
    ("CHECK constraint failed", CheckViolation),
    ("constraint failed", IntegrityError),
)
_TABLE_COL = re.compile(r"constraint failed: ([\w$]+)\.([\w$]+)")
_CHECK = re.compile(r"CHECK constraint failed: (.+)$")
_PRAGMA_SET = re.compile(r"^\s*PRAGMA\s+(\w+)\s*=\s*[^;]+;?\s*$", re.IGNORECASE)
_BEGIN = re.compile(r"^\s*BEGIN\b", re.IGNORECASE)
_END = re.compile(r"^\s*(COMMIT|END|ROLLBACK)\s*(TRANSACTION)?\s*;?\s*$", re.IGNORECASE)
_LOST = (
    "libsql: the server no longer has this transaction's stream ({why}); the transaction was rolled back "
    "by the server and nothing in it was committed. A transaction through a libSQL server must not stay idle "
    "(sqld drops a stream after ~10 s without a request, and lets another writer take the write lock of a "
    "transaction idle for ~5 s); run it again"
)


class HranaError(Exception):
    """A statement failed on the server (`message` is SQLite's; `code` the server's, e.g. SQLITE_CONSTRAINT)."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class StreamCursor:
    """The rows of one statement (all fetched with the response)."""

    def __init__(self, result: Mapping[str, Any] | None) -> None:
        result = result or {}
        cols: list[Mapping[str, Any]] = list(result.get("cols") or [])
        self.description: tuple[tuple[Any, ...], ...] | None = (
            tuple((c.get("name"), None, None, None, None, None, None) for c in cols) if cols else None
        )
        raw: list[list[dict[str, Any]]] = list(result.get("rows") or [])
        self._rows: list[tuple[Any, ...]] = [tuple(decode_value(v) for v in row) for row in raw]
        self._pos = 0
        self.rowcount: int = int(result.get("affected_row_count") or 0) if not cols else -1
        last = result.get("last_insert_rowid")
        self.lastrowid: int | None = int(last) if last is not None else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._pos = self._rows[self._pos :], len(self._rows)
        return rows

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._pos >= len(self._rows):
            return None
        self._pos += 1
        return self._rows[self._pos - 1]

    def fetchmany(self, n: int) -> list[tuple[Any, ...]]:
        rows = self._rows[self._pos : self._pos + n]
        self._pos += len(rows)
        return rows


def _stmt(sql: str, params: Sequence[Any] | Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"sql": sql, "want_rows": True}
    if isinstance(params, Mapping):
        named: Mapping[str, Any] = params
        out["named_args"] = [{"name": k if k[:1] in ":@$" else f":{k}", "value": encode_value(v)}
                             for k, v in named.items()]
    else:
        out["args"] = [encode_value(p) for p in params]
    return out


def _execute(sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> dict[str, Any]:
    return {"type": "execute", "stmt": _stmt(sql, params)}


class LibSQLStreamDriver:
    """A libSQL server through Hrana over HTTP (no `libsql` package needed)."""

    dialect: SQLiteDialect
    remote = True
    replica = False

    def __init__(
        self,
        spec: ConnectSpec | str,
        *,
        auth_token: str | None = None,
        timeout: float = 60.0,
        foreign_keys: bool = True,
        check: bool = False,
    ) -> None:
        if isinstance(spec, str):
            from mizzle.url import parse_url

            spec = parse_url(spec)
        if spec.scheme not in ("libsql", "https", "http"):
            raise ConfigError(f"libsql-http: {spec.url!r} is not a libSQL server URL (libsql://, https:// or http://)")
        self.dialect = SQLiteDialect.default()
        self.database = re.sub(r"[?&]authToken=[^&]*", "", spec.url)
        self.auth_token = auth_token or spec.options.get("authToken") or os.environ.get("TURSO_AUTH_TOKEN", "")
        self.timeout = timeout
        parts = urlsplit(self.database)
        self.tls = parts.scheme in ("libsql", "https")
        self.host = parts.hostname or "localhost"
        self.port = parts.port
        self.path = parts.path.rstrip("/") + "/v2/pipeline"
        self._http: http.client.HTTPConnection | None = None
        self.baton: str | None = None
        self.in_transaction = False
        self.session: dict[str, str] = {}  # pragma name -> statement, replayed at each stream's start
        self.requests = 0  # HTTP requests sent (for measurements and tests)
        if not foreign_keys:
            self.session["foreign_keys"] = "PRAGMA foreign_keys=OFF"
        if check:
            self.check()

    # ---- HTTP ------------------------------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        if self._http is None:
            if self.tls:
                self._http = http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                                         context=ssl.create_default_context())
            else:
                self._http = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._http

    def _post(self, body: dict[str, Any]) -> tuple[int, bytes]:
        data = json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.auth_token:
            headers["Authorization"] = f"Bearer {self.auth_token}"
        for attempt in (0, 1):
            reused = self._http is not None
            conn = self._connection()
            try:
                conn.request("POST", self.path, body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                self.requests += 1
                if resp.getheader("Connection", "").lower() == "close":
                    self._drop()
                return resp.status, payload
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
                self._drop()
                # a keep-alive connection the server closed while idle: the request never arrived
                if attempt == 0 and reused:
                    continue
                raise UnreachableError(f"libsql: cannot reach {self.database!r}: {exc}") from exc
            except (OSError, http.client.HTTPException) as exc:
                self._drop()
                raise UnreachableError(f"libsql: cannot reach {self.database!r}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _drop(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def pipeline(self, requests: list[dict[str, Any]], *, keep: bool) -> list[dict[str, Any]]:
        """Send `requests` on the open stream (or a new one); close it unless `keep`. Returns each request's
        response (raises `HranaError` for the first failed one that the caller asked about)."""
        baton = self.baton
        body = {"baton": baton, "requests": [*requests, *([] if keep else [{"type": "close"}])]}
        status, payload = self._post(body)
        if status != 200:
            text = payload.decode(errors="replace")
            if baton is not None:
                self.baton, self.in_transaction = None, False
            if status in (401, 403):
                raise AuthError(f"libsql: {self.database!r} answered HTTP {status}: {text}")
            if baton is not None and ("STREAM_EXPIRED" in text or "stream" in text.lower() or "baton" in text.lower()):
                raise OperationalError(_LOST.format(why=text))
            raise OperationalError(f"libsql: {self.database!r} answered HTTP {status}: {text}")
        answer: dict[str, Any] = json.loads(payload)
        self.baton = answer.get("baton") if keep else None
        base = answer.get("base_url")
        if base:
            parts = urlsplit(str(base))
            self.tls, self.host, self.port = parts.scheme in ("https", "libsql"), parts.hostname or self.host, parts.port
            self.path = parts.path.rstrip("/") + "/v2/pipeline"
            self._drop()
        results: list[dict[str, Any]] = answer["results"]
        return results[: len(requests)]

    @staticmethod
    def _result(res: Mapping[str, Any]) -> Any:
        if res.get("type") != "ok":
            err: Mapping[str, Any] = res.get("error") or {}
            raise HranaError(str(err.get("message", res)), err.get("code"))
        return res["response"].get("result")

    def _prelude(self) -> list[dict[str, Any]]:
        return [_execute(s) for s in self.session.values()]

    def _run(self, requests: list[dict[str, Any]], *, keep: bool = False) -> list[Any]:
        """Run `requests` after the session pragmas (new stream) or on the transaction's stream."""
        prelude = [] if self.baton is not None else self._prelude()
        results = self.pipeline([*prelude, *requests], keep=keep)
        for res in results[: len(prelude)]:
            self._result(res)
        return [self._result(res) for res in results[len(prelude) :]]

    # ---- the driver seam ---------------------------------------------------------------------------

    def check(self) -> None:
        """Contact the server now (`select 1`)."""
        self.execute("select 1")

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> StreamCursor:
        """One statement: its own pipeline outside a transaction, on the transaction's stream inside one."""
        if not self.in_transaction:
            if _BEGIN.match(sql):
                self._begin(sql)
                return StreamCursor(None)
            result = self._run([_execute(sql, params)])[0]
            m = _PRAGMA_SET.match(sql)
            if m and not params:
                self.session[m.group(1).lower()] = sql.strip().rstrip(";")
            return StreamCursor(result)
        if _END.match(sql):
            self._end(sql)
            return StreamCursor(None)
        try:
            return StreamCursor(self._run([_execute(sql, params)], keep=True)[0])
        finally:
            if self.baton is None:
                self.in_transaction = False

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> StreamCursor:
        """All parameter lists in one pipeline (each statement autocommits outside a transaction)."""
        if not params:
            return StreamCursor(None)
        keep = self.in_transaction
        results = self._run([_execute(sql, p) for p in params], keep=keep)
        if keep and self.baton is None:
            self.in_transaction = False
        cur = StreamCursor(results[-1])
        counts: list[Mapping[str, Any]] = [r or {} for r in results]
        cur.rowcount = sum(int(r.get("affected_row_count") or 0) for r in counts)
        return cur

    def _begin(self, sql: str) -> None:
        self._run([_execute(sql)], keep=True)
        self.in_transaction = True

    def _end(self, sql: str) -> None:
        try:
            self._run([_execute(sql)])
        finally:
            self.baton, self.in_transaction = None, False

    def begin(self, behavior: str | None = None) -> None:
        """BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] on a new stream (the session pragmas first)."""
        if self.in_transaction:
            raise OperationalError("libsql: a transaction is already open on this connection")
        self._begin(f"begin {behavior}" if behavior else "begin")

    def commit(self) -> None:
        """COMMIT and close the stream."""
        if not self.in_transaction:
            raise OperationalError("libsql: COMMIT without an open transaction (the server may have dropped it)")
        self._end("commit")

    def rollback(self) -> None:
        """ROLLBACK and close the stream (no-op if no transaction is open; a lost stream is rolled back already)."""
        if not self.in_transaction:
            return
        with contextlib.suppress(HranaError, OperationalError):
            self._end("rollback")

    def batch(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> list[AsyncResult]:
        """The statements in one transaction, in ONE HTTP request (a Hrana batch; rolled back on error)."""
        if self.in_transaction:
            out: list[AsyncResult] = []
            for sql, params in statements:
                cur = self.execute(sql, params)
                out.append(AsyncResult(cur.fetchall(), cur.rowcount, cur.lastrowid, cur.description is not None))
            return out
        result = self._run([{"type": "batch", "batch": {"steps": steps(statements)}}])[0]
        for index, err in enumerate(result["step_errors"]):
            if err is not None:
                failed = statements[index - 1] if 0 < index <= len(statements) else ("", ())
                raise self._error(HranaError(str(err.get("message", err)), err.get("code")), failed[0], failed[1])
        batch_out: list[AsyncResult] = []
        for res in result["step_results"][1 : 1 + len(statements)]:
            cur = StreamCursor(res)
            batch_out.append(AsyncResult(cur.fetchall(), int(res["affected_row_count"]), cur.lastrowid,
                                         cur.description is not None))
        return batch_out

    def close(self) -> None:
        """Roll back an open transaction, close the HTTP connection."""
        try:
            self.rollback()
        finally:
            self._drop()

    def _error(self, exc: HranaError, sql: str | None, params: Sequence[Any] | None) -> DatabaseError:
        msg = str(exc)
        cls: type[DatabaseError] = OperationalError
        for needle, kind in _KINDS:
            if needle in msg:
                cls = kind
                break
        if cls is OperationalError and self.in_transaction and "Transaction timed out" in msg:
            msg = _LOST.format(why=f"{msg}: another writer took the write lock")
        m = _TABLE_COL.search(msg)
        cm = _CHECK.search(msg) if cls is CheckViolation else None
        err = cls(msg, sql=sql, params=params, table=m.group(1) if m else None, column=m.group(2) if m else None,
                  constraint=cm.group(1) if cm else None)
        err.__cause__ = exc
        return err

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """A statement's server error -> UniqueViolation, ForeignKeyViolation, ... by SQLite's message."""
        if isinstance(exc, HranaError):
            return self._error(exc, sql, params)
        return None


__all__ = ["HranaError", "LibSQLStreamDriver", "StreamCursor"]
