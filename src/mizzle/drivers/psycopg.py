"""psycopg 3 (sync): one connection in autocommit mode, or a `psycopg_pool` pool (`pool_size=`).

mizzle issues BEGIN/COMMIT itself. With a pool, a statement outside a transaction borrows a
connection for that statement only; a transaction keeps one connection from BEGIN to COMMIT.
A connection lost inside a transaction (server restart, `pg_terminate_backend`) surfaces as
`OperationalError`; the server has rolled back the open transaction. Outside a transaction, a
connection is checked before use when it is suspect (`mizzle.drivers.liveness`: after an error,
after idle time, or when its socket shows the server ended it) and replaced when it is lost, so
the next statement succeeds.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from threading import get_ident as _thread_id
from typing import Any

from mizzle.dialects.postgres.dialect import PostgresDialect
from mizzle.drivers import liveness
from mizzle.errors import (
    CheckViolation,
    CommitOutcomeUnknown,
    ConfigError,
    DatabaseError,
    ForeignKeyViolation,
    IntegrityError,
    NotNullViolation,
    OperationalError,
    UniqueViolation,
)
from mizzle.url import ConnectSpec, redact

psycopg: Any = importlib.import_module("psycopg")  # by name: `import psycopg` here would resolve to this file
_make_conninfo: Any = importlib.import_module("psycopg.conninfo").make_conninfo
_pgerr: Any = importlib.import_module("psycopg.errors")

_KEY = re.compile(r"Key \(([^)]*)\)=")
_MIZZLE_OPTIONS = ("pool_size", "pool_timeout")


_ISOLATION = {
    "read committed": "read committed",
    "repeatable read": "repeatable read",
    "serializable": "serializable",
    "read uncommitted": "read uncommitted",
}



def json_as_text(conn: Any) -> Any:
    """Make the connection return json/jsonb values as text: the column decodes them (one parse,
    the same for flat and nested rows, and a JSON string stays a string)."""
    text_loader: Any = importlib.import_module("psycopg.types.string").TextLoader
    conn.adapters.register_loader("json", text_loader)
    conn.adapters.register_loader("jsonb", text_loader)
    return conn

_cursor_ids = itertools.count(1)


class BufferedCursor:
    """Rows fetched eagerly (used with a pool, where the connection goes back before rows are read)."""

    __slots__ = ("_pos", "description", "lastrowid", "rowcount", "rows")

    def __init__(self, rows: list[Any], rowcount: int, description: Any) -> None:
        self.rows = rows
        self.rowcount = rowcount
        self.description = description
        self.lastrowid = None
        self._pos = 0

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        out = self.rows[self._pos:]
        self._pos = len(self.rows)
        return out

    def fetchone(self) -> Any:
        """The next row or None."""
        if self._pos >= len(self.rows):
            return None
        self._pos += 1
        return self.rows[self._pos - 1]

    def fetchmany(self, size: int = 1) -> list[Any]:
        """Up to `size` rows."""
        out = self.rows[self._pos:self._pos + size]
        self._pos += len(out)
        return out


class PsycopgDriver:
    """A psycopg 3 connection (or pool) speaking PostgreSQL with `%s` placeholders."""

    dialect: PostgresDialect

    def __init__(
        self,
        spec: ConnectSpec | str,
        *,
        pool_size: int | None = None,
        pool_timeout: float = 30.0,
        connect_timeout: float | None = 10,
        application_name: str | None = "mizzle",
        **libpq: Any,
    ) -> None:
        self.dialect = PostgresDialect.default()
        if isinstance(spec, ConnectSpec) and pool_size is None and spec.options.get("pool_size"):
            pool_size = int(spec.options["pool_size"])
        extra: dict[str, Any] = dict(libpq)
        if connect_timeout is not None:
            extra.setdefault("connect_timeout", max(1, int(connect_timeout)))
        if application_name:
            extra.setdefault("application_name", application_name)
        self.url = redact(spec.url if isinstance(spec, ConnectSpec) else spec)
        self.conninfo = conninfo_for(spec, **extra)
        self.pool: Any = None
        self.conn: Any | None = None
        self._tx: Any | None = None
        # the single connection's liveness record and socket, and the cursor reused by the thread
        # that made it (see _cursor); None until connected, and again after close()
        self._watch: liveness.Watch | None = None
        self._fd: int | None = None
        self._cur: tuple[Any, int] | None = None  # (cursor, the thread that owns it): one store, never torn
        if pool_size is not None:
            if pool_size < 1:
                raise ConfigError(f"pool_size must be at least 1, got {pool_size}")
            try:
                ConnectionPool: Any = importlib.import_module("psycopg_pool").ConnectionPool
            except ImportError:  # pragma: no cover - the postgres extra installs it
                raise ConfigError("pool_size= needs psycopg_pool: pip install 'mizzle[postgres]'") from None
            self.pool = ConnectionPool(
                self.conninfo, min_size=1, max_size=pool_size, timeout=pool_timeout,
                kwargs={"autocommit": True}, open=False, configure=json_as_text,
            )
            try:
                self.pool.open(wait=True, timeout=pool_timeout)
            except Exception as exc:
                self.pool.close()
                raise OperationalError(f"could not connect to PostgreSQL at {self.url}: {exc}") from exc
        else:
            self._use(self._connect())

    def _connect(self) -> Any:
        try:
            return json_as_text(psycopg.connect(self.conninfo, autocommit=True))
        except psycopg.Error as exc:
            raise OperationalError(f"could not connect to PostgreSQL at {self.url}: {exc}".strip()) from exc

    def _use(self, conn: Any) -> None:
        """Make `conn` the single connection (a new one: no cursor yet)."""
        self.conn = conn
        self._watch = liveness.watch(conn)
        self._fd = liveness.pg_fileno(conn)
        self._cur = None

    def _live(self) -> Any:
        """The single connection, pinged first when suspect and replaced when lost."""
        conn = self.conn
        watch = self._watch
        if watch is not None and not watch.suspect(self._fd):
            return conn
        if conn is None or not pg_alive(conn):
            if conn is not None:
                conn.close()
            conn = self._connect()
            self._use(conn)
        return conn

    def _cursor(self, conn: Any) -> Any:
        """A cursor on the single connection `conn`: one reused by the thread that made it (a new cursor
        per statement costs psycopg a Transformer, an adapters map and its loader lookups, ~30 % of a
        by-id query's client time); other threads get their own. A cursor returned by `execute` is
        valid until the next statement on this driver from the same thread (the session reads its rows
        right away)."""
        owned = self._cur
        ident = _thread_id()
        if owned is None or owned[0].closed:
            cur = conn.cursor()
            self._cur = (cur, ident)  # two threads racing here: the last store wins, the other's next statement gets its own cursor
            return cur
        cur, owner = owned
        return cur if owner == ident else conn.cursor()

    def _statement(self, conn: Any, stmt: str) -> None:
        """BEGIN / COMMIT / ROLLBACK on `conn` (the single connection's reused cursor, or a pooled one)."""
        if self.pool is None:
            self._cursor(conn).execute(stmt)
        else:
            conn.execute(stmt)

    def _checked_out(self) -> Any:
        """A live connection from the pool: suspect ones are pinged, lost ones replaced."""
        assert self.pool is not None
        for _ in range(int(self.pool.max_size) + 1):
            conn = self.pool.getconn()
            if pg_alive(conn):
                return conn
            conn.close()
            self.pool.putconn(conn)  # a closed connection is discarded and replaced by the pool
        return self.pool.getconn()

    @contextmanager
    def _pooled(self) -> Generator[Any]:
        conn = self._checked_out()
        ok = False
        try:
            yield conn
            ok = True
        finally:
            liveness.mark_used(conn, ok=ok)
            self.pool.putconn(conn)

    # ---- Driver protocol ---------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any]) -> Any:
        """Run one statement (inside the open transaction, if any)."""
        if self.pool is None:
            conn = self.conn
            if self._tx is not None:
                return self._cursor(self._tx).execute(sql, params)
            watch = self._watch
            if watch is None or watch.suspect(self._fd):
                conn = self._live()
                watch = self._watch
                assert watch is not None
            cur = self._cursor(conn)
            try:
                cur.execute(sql, params)
            except BaseException:
                watch.used(False)
                raise
            watch.used(True)
            return cur
        if self._tx is not None:
            return self._tx.execute(sql, params)
        with self._pooled() as conn:
            cur = conn.execute(sql, params)
            rows: list[Any] = cur.fetchall() if cur.description is not None else []
            return BufferedCursor(rows, cur.rowcount, cur.description)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any:
        """Run one statement per parameter list (pipelined by psycopg)."""
        if self._tx is not None:
            conn = self._tx
        elif self.pool is None:
            conn = self._live()
        else:
            with self._pooled() as pconn:
                cur = pconn.cursor()
                cur.executemany(sql, params)
                return BufferedCursor([], cur.rowcount, None)
        cur = conn.cursor()
        try:
            cur.executemany(sql, params)
        except BaseException:
            liveness.mark_used(conn, ok=False)
            raise
        return cur

    def stream(self, sql: str, params: Sequence[Any], batch_size: int) -> Generator[Sequence[Any]]:
        """A server-side cursor (`DECLARE ... CURSOR`), `batch_size` rows per `FETCH`.

        Inside a transaction the cursor lives in it; outside one, the cursor gets its own
        transaction on the connection (pooled: a borrowed connection), committed when the rows run out
        or the consumer stops early (what the consumer wrote between rows is kept, as outside a stream).
        """
        conn = self._tx
        own: Any = None
        if conn is None:
            own = conn = self._checked_out() if self.pool is not None else self._live()
        name = f"mizzle_iter_{next(_cursor_ids)}"
        try:
            if own is not None:
                own.execute("begin")
            cur = conn.cursor(name=name)
            try:
                cur.execute(sql, params)
                while True:
                    rows = cur.fetchmany(batch_size)
                    if not rows:
                        break
                    yield rows
            finally:
                if not conn.closed and not conn.broken:
                    cur.close()
        finally:
            if own is not None:
                try:
                    if not own.closed and not own.broken:
                        # commit, not rollback: on the single connection the statements the consumer ran
                        # between rows ran in this transaction, and outside one they must stay written
                        own.execute("commit")
                finally:
                    if self.pool is not None:
                        self.pool.putconn(own)

    def begin(self, behavior: str | None = None) -> None:
        """BEGIN, optionally `ISOLATION LEVEL serializable | repeatable read | read committed`."""
        stmt = "begin"
        if behavior is not None and behavior != "deferred":
            level = _ISOLATION.get(behavior.lower())
            if level is None:
                raise ConfigError(
                    f"PostgreSQL transaction behavior {behavior!r} is not known; use one of "
                    f"{', '.join(sorted(_ISOLATION))} (SQLite's immediate/exclusive do not apply)"
                )
            stmt += " isolation level " + level
        if self.pool is not None:
            conn = self._checked_out()
        else:
            conn = self._live()
        try:
            self._statement(conn, stmt)
        except Exception:
            liveness.mark_used(conn, ok=False)
            if self.pool is not None:
                self.pool.putconn(conn)
            raise
        self._tx = conn

    def commit(self) -> None:
        """COMMIT."""
        conn = self._tx
        if conn is None:
            return
        ok = False
        try:
            self._statement(conn, "commit")
            ok = True
        finally:
            liveness.mark_used(conn, ok=ok)
            self._release(conn)

    def rollback(self) -> None:
        """ROLLBACK (no-op if no transaction is open or the connection is gone)."""
        conn = self._tx
        if conn is None:
            return
        ok = False
        try:
            if not conn.closed and not conn.broken:
                self._statement(conn, "rollback")
                ok = True
        except psycopg.Error:
            pass  # the server ends the transaction when the connection dies
        finally:
            liveness.mark_used(conn, ok=ok)
            self._release(conn)

    def _release(self, conn: Any) -> None:
        self._tx = None
        if self.pool is not None:
            self.pool.putconn(conn)

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open."""
        return self._tx is not None

    @property
    def broken(self) -> bool:
        """True when the (single) connection was lost."""
        conn = self._tx or self.conn
        return conn is not None and (conn.closed or conn.broken)

    def backend_pid(self) -> int:
        """The server process id of the connection in use (for diagnostics and tests)."""
        conn = self._tx
        if conn is None and self.pool is None:
            conn = self._live()
        if conn is None:
            raise OperationalError("backend_pid(): a pooled driver has no connection outside a transaction")
        return int(conn.info.backend_pid)

    def close(self) -> None:
        """Close the connection (or the pool)."""
        if self.pool is not None:
            self.pool.close()
        elif self.conn is not None:
            self._watch = self._cur = None
            self.conn.close()

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """psycopg errors -> mizzle's hierarchy, by SQLSTATE, naming the table/column/constraint."""
        return map_psycopg_error(exc, sql, params, in_transaction=self._tx is not None)


def pg_alive(conn: Any) -> bool:
    """False when a psycopg connection is closed, broken, or suspect and fails a ping (`select 1`)."""
    if conn.closed or conn.broken:
        return False
    if not liveness.suspect(conn, liveness.pg_fileno(conn)):
        return True
    try:
        conn.execute("select 1")
    except psycopg.Error:
        return False
    liveness.mark_used(conn, ok=True)
    return True


def conninfo_for(spec: ConnectSpec | str, **extra: Any) -> str:
    """A libpq connection string from a parsed URL (or a URL / conninfo string)."""
    if isinstance(spec, str):
        return str(_make_conninfo(spec, **extra))
    params: dict[str, Any] = {k: v for k, v in spec.options.items() if k not in _MIZZLE_OPTIONS}
    if spec.host:
        params["host"] = spec.host
    if spec.port:
        params["port"] = spec.port
    if spec.user:
        params["user"] = spec.user
    if spec.password:
        params["password"] = spec.password
    if spec.database:
        params["dbname"] = spec.database
    params.update(extra)
    return str(_make_conninfo("", **params))


def map_psycopg_error(
    exc: BaseException, sql: str | None, params: Sequence[Any] | None, *, in_transaction: bool = False
) -> DatabaseError | None:
    """Translate a psycopg exception (shared by the sync and async drivers)."""
    if not isinstance(exc, psycopg.Error):
        return None
    e: Any = exc
    state: str = e.sqlstate or ""
    diag: Any = e.diag
    table: str | None = diag.table_name
    column: str | None = diag.column_name
    constraint: str | None = diag.constraint_name
    detail: str | None = diag.message_detail
    message: str = (diag.message_primary or str(exc)).strip()
    if detail:
        message += f" ({detail})"
    cls: type[DatabaseError]
    if state == "23505":
        cls = UniqueViolation
    elif state == "23503":
        cls = ForeignKeyViolation
    elif state == "23502":
        cls = NotNullViolation
    elif state == "23514":
        cls = CheckViolation
    elif state.startswith("23"):
        cls = IntegrityError
    elif _lost(exc, state):
        cls = OperationalError
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        message = f"connection to PostgreSQL lost: {reason}"
        if (sql or "").strip().lower() == "commit":
            cls = CommitOutcomeUnknown
            message += ("; it was lost while COMMIT was in flight: the transaction may or may not have been "
                        "committed; check the database before retrying")
        elif in_transaction:
            message += "; the open transaction was rolled back by the server and nothing in it was written"
    else:
        cls = OperationalError
    if column is None and detail and cls in (UniqueViolation, ForeignKeyViolation):
        m = _KEY.search(detail)
        if m and "," not in m.group(1):
            column = m.group(1).strip().strip('"')
    where: list[str] = []
    if table:
        where.append(f"table {table}")
    if column:
        where.append(f"column {column}")
    if constraint:
        where.append(f"constraint {constraint}")
    if where and not issubclass(cls, OperationalError):
        message += " [" + ", ".join(where) + "]"
    err = cls(message, sql=sql, params=params, table=table, column=column, constraint=constraint)
    err.__cause__ = exc
    return err


def _lost(exc: Any, state: str) -> bool:
    if state.startswith("08") or state in ("57P01", "57P02", "57P03"):
        return True
    if isinstance(exc, _pgerr.AdminShutdown | _pgerr.CrashShutdown):
        return True
    return isinstance(exc, psycopg.OperationalError) and not state
