"""The PyMySQL driver for MySQL and MariaDB (`mysql://` and `mariadb://` URLs).

The connection runs in autocommit mode; mizzle opens transactions itself (`START TRANSACTION`),
so a statement outside a transaction block is committed at once. Every session uses utf8mb4,
`time_zone = '+00:00'` (TIMESTAMP values are UTC) and reports *matched* rows for UPDATE
(CLIENT_FOUND_ROWS), as SQLite and PostgreSQL do. The server version is read at connect and
sets the dialect's capabilities (MariaDB 10.5+ has INSERT/DELETE ... RETURNING).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Generator, Sequence
from typing import Any, cast

from mizzle.dialects.mysql.dialect import MySQLDialect
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
    QueryError,
    UniqueViolation,
)
from mizzle.url import ConnectSpec

_UNIQUE = {1062, 1586, 1022, 1169}
_FOREIGN = {1451, 1452, 1216, 1217}
_NOT_NULL = {1048, 1364, 1263}
_CHECK = {3819, 4025}
_OPERATIONAL = {1205, 1213, 1040, 1044, 1045, 1049, 1054, 1064, 1146, 1149, 2002, 2003, 2006, 2013, 2014,
                2055, 1927, 4031}
_FOUND_ROWS = 2  # pymysql.constants.CLIENT.FOUND_ROWS
_IN_TRANS = 1  # pymysql.constants.SERVER_STATUS.SERVER_STATUS_IN_TRANS

_ISOLATION = {
    "read uncommitted": "read uncommitted",
    "read committed": "read committed",
    "repeatable read": "repeatable read",
    "serializable": "serializable",
}
_START = {
    None: "start transaction",
    "consistent snapshot": "start transaction with consistent snapshot",
    "read only": "start transaction read only",
    "read write": "start transaction read write",
}

_INT_OPTIONS = ("connect_timeout", "read_timeout", "write_timeout", "port")
_STR_OPTIONS = ("charset", "unix_socket", "ssl_ca", "ssl_cert", "ssl_key", "init_command", "time_zone", "sql_mode",
                "collation", "auth_plugin_map")
_BOOL_OPTIONS = ("ssl_verify_cert", "ssl_verify_identity", "local_infile")


def connect_args(spec: ConnectSpec, options: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(keyword arguments for `pymysql.connect`, session settings) from a URL and `connect()` options."""
    merged: dict[str, Any] = {**spec.options, **options}
    kwargs: dict[str, Any] = {
        "host": spec.host or "127.0.0.1",
        "port": spec.port or 3306,
        "user": spec.user or "root",
        "password": spec.password or "",
        "charset": "utf8mb4",
        "autocommit": True,
        "client_flag": _FOUND_ROWS,
    }
    if spec.database:
        kwargs["database"] = spec.database
    session: dict[str, Any] = {"time_zone": "+00:00"}
    for key, value in merged.items():
        if key in ("time_zone", "sql_mode"):
            session[key] = value
        elif key in _INT_OPTIONS:
            try:
                kwargs[key] = int(value)
            except (TypeError, ValueError):
                raise ConfigError(f"{spec.scheme} URL option {key}={value!r}: expected an integer") from None
        elif key in _BOOL_OPTIONS:
            kwargs[key] = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
        elif key in _STR_OPTIONS:
            kwargs[key] = value
        else:
            known = ", ".join(sorted((*_INT_OPTIONS, *_STR_OPTIONS, *_BOOL_OPTIONS)))
            raise ConfigError(f"{spec.scheme} URL: unknown option {key!r}; known options: {known}")
    return kwargs, session


def session_statements(session: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """The `SET` statements that prepare a new connection."""
    out: list[tuple[str, tuple[Any, ...]]] = [("set time_zone = %s", (session["time_zone"],))]
    if "sql_mode" in session:
        out.append(("set sql_mode = %s", (session["sql_mode"],)))
    return out


def begin_statements(behavior: str | None) -> list[str]:
    """`set transaction isolation level ...` and `start transaction ...` for a transaction mode."""
    mode = behavior.lower().strip() if behavior else None
    if mode in _START:
        return [_START[mode]]
    if mode is not None and mode in _ISOLATION:
        return [f"set transaction isolation level {_ISOLATION[mode]}", "start transaction"]
    known = ", ".join(sorted([*_ISOLATION, *(k for k in _START if k)]))
    raise QueryError(f"MySQL transaction mode {behavior!r} is not known; use one of: {known}")


_DUP = re.compile(r"Duplicate entry '(.*)' for key '(?:[^'.]+\.)?([^']+)'")
_FK = re.compile(r"\(`[^`]*`\.`([^`]+)`, CONSTRAINT `([^`]+)` FOREIGN KEY \(`([^`]+)`")
_NULL_COL = re.compile(r"(?:Column|Field) '([^']+)'")
_CHECK_MYSQL = re.compile(r"Check constraint '([^']+)' is violated")
_CHECK_MARIA = re.compile(r"CONSTRAINT `([^`]+)` failed for `[^`]*`\.`([^`]+)`")
_STMT_TABLE = re.compile(r"^\s*(?:insert(?:\s+ignore)?\s+into|update|delete\s+from|replace\s+into)\s+`([^`]+)`",
                         re.IGNORECASE)


def map_mysql_error(exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
    """PyMySQL/aiomysql errors -> mizzle's hierarchy by MySQL error code, naming table/column/constraint."""
    import pymysql  # type: ignore[import-untyped, unused-ignore]  # pyright: ignore[reportMissingModuleSource]

    if not isinstance(exc, pymysql.err.Error):
        return None
    args = exc.args
    code = args[0] if args and isinstance(args[0], int) else 0
    msg = str(args[1]) if len(args) > 1 else str(exc)
    table = column = constraint = None
    m = _STMT_TABLE.match(sql or "")
    if m:
        table = m.group(1)
    cls: type[DatabaseError]
    if code in _UNIQUE:
        cls = UniqueViolation
        d = _DUP.search(msg)
        if d:
            constraint = d.group(2)
    elif code in _FOREIGN:
        cls = ForeignKeyViolation
        f = _FK.search(msg)
        if f:
            table, constraint, column = f.group(1), f.group(2), f.group(3)
    elif code in _NOT_NULL:
        cls = NotNullViolation
        n = _NULL_COL.search(msg)
        if n:
            column = n.group(1)
    elif code in _CHECK:
        cls = CheckViolation
        c = _CHECK_MYSQL.search(msg)
        if c:
            constraint = c.group(1)
        c2 = _CHECK_MARIA.search(msg)
        if c2:
            constraint, table = c2.group(1), c2.group(2)
    elif isinstance(exc, pymysql.err.IntegrityError):
        cls = IntegrityError
    elif code in _OPERATIONAL or isinstance(
        exc, pymysql.err.OperationalError | pymysql.err.InterfaceError | pymysql.err.ProgrammingError
    ):
        cls = OperationalError
    else:
        cls = DatabaseError
    if (sql or "").strip().lower() == "commit" and (
        code in (2006, 2013) or isinstance(exc, pymysql.err.InterfaceError)
    ):
        cls = CommitOutcomeUnknown
        msg = (f"{msg.strip() or 'the connection to the server is closed'}; the connection was lost while "
               "COMMIT was in flight: the transaction may or may not have been committed; check the database "
               "before retrying")
    if not msg.strip():
        msg = "the connection to the server is closed" if isinstance(exc, pymysql.err.InterfaceError) else repr(exc)
    text = f"{msg} (MySQL error {code})" if code else msg
    err = cls(text, sql=sql, params=params, table=table, column=column, constraint=constraint)
    err.__cause__ = exc
    return err


_CURSOR: list[Any] = []


def _list_cursor(pymysql: Any) -> Any:
    """A buffered cursor whose `fetchall()` returns a list, as sqlite3 and psycopg do."""
    if not _CURSOR:

        class ListCursor(pymysql.cursors.Cursor):  # type: ignore[misc]
            def fetchall(self) -> list[Any]:
                rows = cast("Sequence[Any]", super().fetchall())  # pyright: ignore[reportUnknownMemberType]
                return list(rows)

        _CURSOR.append(ListCursor)
    return _CURSOR[0]


class PyMySQLDriver:
    """A PyMySQL connection in autocommit mode; mizzle issues START TRANSACTION / COMMIT itself."""

    dialect: MySQLDialect

    def __init__(self, spec: ConnectSpec, **options: Any) -> None:
        try:
            import pymysql  # type: ignore[import-untyped, unused-ignore]  # pyright: ignore[reportMissingModuleSource]
        except ImportError:  # pragma: no cover - depends on the environment
            raise ConfigError("MySQL needs PyMySQL: pip install 'mizzle[mysql]'") from None
        kwargs, session = connect_args(spec, options)
        kwargs["cursorclass"] = _list_cursor(pymysql)
        self.spec = spec
        self._kwargs = kwargs
        self._session = session
        self._watch: liveness.Watch | None = None
        self._fd: int | None = None
        self.conn: Any = self._connect()
        self._use(self.conn)
        cur = self.conn.cursor()
        cur.execute("select version()", ())
        self.version: str = cur.fetchone()[0]
        cur.close()
        self.dialect = MySQLDialect().configure(self.version)

    def _connect(self) -> Any:
        import pymysql  # type: ignore[import-untyped, unused-ignore]  # pyright: ignore[reportMissingModuleSource]

        kwargs = self._kwargs
        try:
            conn: Any = pymysql.connect(**kwargs)
        except pymysql.err.Error as exc:
            err = map_mysql_error(exc, None, None)
            assert err is not None
            raise OperationalError(f"cannot connect to {self.spec.scheme} server at {kwargs['host']}:"
                                   f"{kwargs['port']}: {err.message}") from exc
        cur = conn.cursor()
        for stmt, args in session_statements(self._session):
            cur.execute(stmt, args)
        cur.close()
        return conn

    def _use(self, conn: Any) -> None:
        """Make `conn` the connection, with its liveness record and socket."""
        self.conn = conn
        self._watch = liveness.watch(conn)
        self._fd = liveness.mysql_fileno(conn)

    def _live(self) -> Any:
        """The connection, checked first when suspect and replaced when lost (outside a transaction only:
        a transaction dies with its connection). See `mizzle.drivers.liveness`."""
        conn = self.conn
        watch = self._watch
        if watch is not None and not watch.errored and (conn.server_status & _IN_TRANS or not watch.suspect(self._fd)):
            return conn  # the common case: used without error, recently, and nothing arrived since
        return self._revive()

    def _revive(self) -> Any:
        import pymysql  # type: ignore[import-untyped, unused-ignore]  # pyright: ignore[reportMissingModuleSource]

        conn = self.conn
        if conn.open and conn.server_status & _IN_TRANS:
            return conn
        if conn.open and not liveness.suspect(conn, liveness.mysql_fileno(conn)):
            return conn
        if conn.open:
            try:
                conn.ping(reconnect=False)
                liveness.mark_used(conn, ok=True)
                return conn
            except pymysql.err.Error:
                pass
        with contextlib.suppress(Exception):
            conn.close()
        conn = self._connect()
        self._use(conn)
        return conn

    def _cursor(self) -> Any:
        return self._live().cursor()

    def execute(self, sql: str, params: Sequence[Any]) -> Any:
        """Run one statement (a buffered cursor: rows are read before this returns)."""
        cur = self._live().cursor()
        watch = self._watch
        assert watch is not None
        try:
            cur.execute(sql, params)
        except BaseException:
            watch.used(False)
            raise
        watch.used(True)
        return cur

    def stream(self, sql: str, params: Sequence[Any], batch_size: int) -> Generator[Sequence[Any]]:
        """An unbuffered cursor (`SSCursor`): rows are read from the socket `batch_size` at a time.

        Until the generator ends (or is closed: closing reads and drops the unread rows) the
        connection cannot run another statement.
        """
        import pymysql.cursors  # type: ignore[import-untyped, unused-ignore]  # pyright: ignore[reportMissingModuleSource]

        cur: Any = self._live().cursor(pymysql.cursors.SSCursor)
        try:
            cur.execute(sql, params)
            while True:
                rows = cur.fetchmany(batch_size)
                if not rows:
                    break
                yield rows
        finally:
            cur.close()

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any:
        """Run one statement per parameter list (PyMySQL folds an INSERT into one multi-row statement)."""
        cur = self._cursor()
        try:
            cur.executemany(sql, params)
        except BaseException:
            liveness.mark_used(self.conn, ok=False)
            raise
        liveness.mark_used(self.conn, ok=True)
        return cur

    def begin(self, behavior: str | None = None) -> None:
        """START TRANSACTION (`behavior`: an isolation level, "consistent snapshot" or "read only")."""
        stmts = begin_statements(behavior)
        cur = self._cursor()
        try:
            for stmt in stmts:
                cur.execute(stmt)
        except BaseException:
            liveness.mark_used(self.conn, ok=False)
            raise
        cur.close()

    def commit(self) -> None:
        """COMMIT."""
        ok = False
        try:
            self.conn.commit()
            ok = True
        finally:
            liveness.mark_used(self.conn, ok=ok)

    def rollback(self) -> None:
        """ROLLBACK (no-op if no transaction is open or the connection is gone)."""
        if self.conn.open:
            self.conn.rollback()

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on the server."""
        return bool(self.conn.server_status & _IN_TRANS)

    def close(self) -> None:
        """Close the connection."""
        self._watch = None  # the next statement (if any) reconnects through the full check
        if self.conn.open:
            self.conn.close()

    def map_error(self, exc: BaseException, sql: str | None, params: Sequence[Any] | None) -> DatabaseError | None:
        """MySQL error codes -> UniqueViolation (1062), ForeignKeyViolation (1451/1452), NotNullViolation
        (1048/1364), CheckViolation (3819/4025), OperationalError (lost connection, deadlock, syntax...)."""
        return map_mysql_error(exc, sql, params)
