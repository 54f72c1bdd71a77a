"""PostgreSQL console connections: psycopg, the statement prepared (extended protocol: one statement only).

Read-only: `BEGIN READ ONLY`, a statement timeout, a snapshot taken before the statement (so it cannot
switch the transaction to read-write), and always ROLLBACK; the connection is closed afterwards, so
session-level effects (advisory locks, `SET`, prepared statements) end with the request. The database
cannot hold back a superuser (or a member of the server-file roles): `risky_privileges` names them.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from mizzle.session.sync import Database
from mizzle.sql.chunks import SQL
from mizzle.studio.consoledb import STATEMENT_TIMEOUT_S
from mizzle.url import parse_url

_SERVER_FILE_ROLES = ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program")


class PostgresConsole:
    """One console request on its own psycopg connection."""

    def __init__(self, url: str, *, read_only: bool) -> None:
        psycopg: Any = importlib.import_module("psycopg")
        from mizzle.drivers.psycopg import conninfo_for, json_as_text

        self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        self.read_only = read_only
        conninfo = conninfo_for(parse_url(url), connect_timeout=10, application_name="mizzle studio console")
        self.conn: Any = json_as_text(psycopg.connect(conninfo, autocommit=True))
        if read_only:
            self.conn.execute("begin read only")
            self.conn.execute(f"set local statement_timeout = {STATEMENT_TIMEOUT_S * 1000}")
            self.conn.execute("select 1")  # a snapshot: `SET TRANSACTION READ WRITE` is refused from here on
        else:
            self.conn.execute("begin")

    def run(self, sql: str) -> Any:
        """Run one statement as a prepared statement (several in one text are refused by the server)."""
        cur = self.conn.cursor()
        cur.execute(sql, prepare=True)
        return cur

    def finish(self) -> None:
        """Commit (read-write) or roll back (read-only)."""
        self.conn.execute("rollback" if self.read_only else "commit")

    def close(self) -> None:
        """Close the connection (the server rolls back what is still open and drops session state)."""
        self.conn.close()


def open_console(url: str, *, read_only: bool) -> PostgresConsole:
    """A console connection to the PostgreSQL database of `url`."""
    return PostgresConsole(url, read_only=read_only)


def risky_privileges(db: Database) -> Sequence[str]:
    """Superuser, a role it may SET ROLE to that is a superuser, or the server-file roles: a read-only
    transaction does not stop them (`set_config('role', ...)` switches roles inside one statement)."""
    checks = ", ".join(f"pg_has_role(current_user, '{r}', 'MEMBER')" for r in _SERVER_FILE_ROLES)
    rows = db.execute(SQL.raw(
        "select current_user, (select rolsuper from pg_roles where rolname = current_user), "
        "(select string_agg(rolname, ', ' order by rolname) from pg_roles "
        " where rolsuper and rolname <> current_user and pg_has_role(current_user, oid, 'MEMBER')), "
        f"{checks}"))
    user, superuser, super_roles, *members = rows[0]
    if superuser:
        return [f"role {user} is a superuser (it can read and write server files, run programs and "
                "switch roles, whatever the transaction mode)"]
    out = [f"role {user} is a member of {role}" for role, member in zip(_SERVER_FILE_ROLES, members, strict=True)
           if member]
    if super_roles:
        out.insert(0, f"role {user} can switch to the superuser role(s) {super_roles} (SET ROLE)")
    return out


__all__ = ["PostgresConsole", "open_console", "risky_privileges"]
