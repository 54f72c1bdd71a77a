"""MySQL/MariaDB console connections: PyMySQL without CLIENT_MULTI_STATEMENTS (one statement a request).

Read-only: the session's transactions are read-only and the statement runs inside an XA transaction
with a random id, always rolled back. Inside an active XA transaction the server refuses COMMIT,
ROLLBACK, START TRANSACTION and statements that commit implicitly — also from a compound statement
(`BEGIN NOT ATOMIC COMMIT; ... END`), which a plain read-only transaction would let through. The
connection is closed afterwards, so named locks (`GET_LOCK`) and session variables end with the
request. The server cannot hold back an account with the FILE privilege (`INTO OUTFILE`, `LOAD_FILE`)
or SUPER (`SET GLOBAL`): `risky_privileges` names them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from mizzle.session.sync import Database
from mizzle.sql.chunks import SQL
from mizzle.studio.consoledb import STATEMENT_TIMEOUT_S
from mizzle.url import parse_url

_RISKY = {
    "FILE": "FILE (it can write and read server files: SELECT ... INTO OUTFILE, LOAD_FILE)",
    "SUPER": "SUPER (it can change server settings: SET GLOBAL)",
}


class MySQLConsole:
    """One console request on its own PyMySQL connection."""

    def __init__(self, url: str, *, read_only: bool) -> None:
        import pymysql  # type: ignore[import-untyped, unused-ignore]  # pyright: ignore[reportMissingModuleSource]

        from mizzle.drivers.pymysql import connect_args, session_statements

        self.errors: tuple[type[BaseException], ...] = (pymysql.err.Error,)
        self.read_only = read_only
        kwargs, session = connect_args(parse_url(url), {})
        self.conn: Any = pymysql.connect(**kwargs)  # client_flag without MULTI_STATEMENTS
        self.xid = "mizzle_console_" + secrets.token_hex(16)
        cur = self.conn.cursor()
        for stmt, args in session_statements(session):
            cur.execute(stmt, args)
        if read_only:
            cur.execute(f"set session max_statement_time = {STATEMENT_TIMEOUT_S}")
            cur.execute("set session transaction read only")
            cur.execute(f"xa start '{self.xid}'")
        else:
            cur.execute("start transaction")

    def run(self, sql: str) -> Any:
        """Run one statement (no parameters: the text goes to the server as typed)."""
        cur = self.conn.cursor()
        cur.execute(sql)
        return cur

    def finish(self) -> None:
        """Commit (read-write) or end and roll back the XA transaction (read-only)."""
        cur = self.conn.cursor()
        if self.read_only:
            cur.execute(f"xa end '{self.xid}'")
            cur.execute(f"xa rollback '{self.xid}'")
        else:
            cur.execute("commit")

    def close(self) -> None:
        """Close the connection (the server rolls back what is still open and releases named locks)."""
        if self.conn.open:
            self.conn.close()


def open_console(url: str, *, read_only: bool) -> MySQLConsole:
    """A console connection to the MySQL/MariaDB database of `url`."""
    return MySQLConsole(url, read_only=read_only)


_GLOBAL_GRANT = re.compile(r"^GRANT (.+?) ON \*\.\* TO ", re.IGNORECASE)


def _global_privileges(grants: Sequence[Any]) -> set[str]:
    """The global privileges in SHOW GRANTS lines (`ALL PRIVILEGES` counts as FILE and SUPER)."""
    found: set[str] = set()
    for (line, *_) in grants:
        m = _GLOBAL_GRANT.match(str(line))
        if m:
            privs = {p.strip().upper() for p in m.group(1).split(",")}
            found |= set(_RISKY) if "ALL PRIVILEGES" in privs else privs
    return found


def risky_privileges(db: Database) -> Sequence[str]:
    """Global FILE or SUPER of the connected account — directly or through a role it may `SET ROLE` to
    (inside one compound statement: `BEGIN NOT ATOMIC SET ROLE r; ... END`)."""
    user = db.execute(SQL.raw("select current_user()"))[0][0]
    out = [f"account {user} has {text}" for name, text in _RISKY.items()
           if name in _global_privileges(db.execute(SQL.raw("show grants for current_user()")))]
    roles = [str(r[0]) for r in db.execute(SQL.raw("select role_name from information_schema.applicable_roles"))]
    if roles:
        previous = db.execute(SQL.raw("select current_role()"))[0][0]
        try:
            for role in roles:
                db.execute(SQL("set role {}", SQL.identifier(role)))
                granted = _global_privileges(db.execute(SQL.raw("show grants for current_role")))
                out += [f"account {user} can switch to role {role}, which has {text}"
                        for name, text in _RISKY.items() if name in granted]
        finally:
            db.execute(SQL("set role {}", SQL.identifier(previous)) if previous else SQL.raw("set role none"))
    return out


__all__ = ["MySQLConsole", "open_console", "risky_privileges"]
