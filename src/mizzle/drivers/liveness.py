"""Connection liveness, shared by the server drivers (sync and async).

A connection that sat idle in a pool (or behind a single-connection driver) can have been lost
in the meantime: the server restarted, an administrator ran `pg_terminate_backend` / `KILL`, a
proxy dropped it. Handing it out makes the next statement fail although nothing was wrong with
that statement. So before a connection is used *outside a transaction*, the driver asks
`suspect(conn, fd)`; only then does it pay for a round trip (`ping`). A connection is suspect when

- its last use ended in an error, or
- it was idle for more than `IDLE_CHECK_AFTER` seconds, or
- its socket is readable while no statement is running (a server that ends a connection sends
  an error message or closes the socket: either makes the socket readable; checking that is a
  `select()` with a zero timeout, no round trip).

A suspect connection whose ping fails is closed and replaced by a fresh one before the
statement runs. Inside a transaction nothing is replaced: the transaction died with its
connection, and the statement fails with an `OperationalError` saying so.
"""

from __future__ import annotations

import select
import time
import weakref
from typing import Any

IDLE_CHECK_AFTER = 30.0
"""Seconds of idleness after which a connection is pinged before its next use."""


_poll: Any = getattr(select, "poll", None)  # not on Windows: select() is used there


class Watch:
    """The liveness record of one connection: when it was last used, whether that use raised, and
    a poll object on its socket (registered once, so a check costs one `poll()` call)."""

    __slots__ = ("_fd", "_poller", "errored", "last_used")

    def __init__(self) -> None:
        self.last_used = time.monotonic()
        self.errored = False
        self._fd: int | None = None
        self._poller: Any = None

    def used(self, ok: bool) -> None:
        """Record that a statement just ended (`ok=False`: it raised)."""
        self.last_used = time.monotonic()
        self.errored = not ok

    def suspect(self, fd: int | None) -> bool:
        """Whether the connection must be pinged before it is used (see the module docstring);
        `fd` is its socket (None once it is closed)."""
        if self.errored or time.monotonic() - self.last_used > IDLE_CHECK_AFTER:
            return True
        if fd is None or fd < 0:
            return True
        poller = self._poller
        if fd != self._fd or poller is None:
            if _poll is None:
                return readable(fd)
            poller = self._poller = _poll()
            poller.register(fd, select.POLLIN)
            self._fd = fd
        try:
            return bool(poller.poll(0))  # data, EOF, an error or an invalid fd: all reported
        except RuntimeError:  # another thread is polling the same object right now
            return readable(fd)
        except (OSError, ValueError):
            return True


_states: weakref.WeakKeyDictionary[Any, Watch] = weakref.WeakKeyDictionary()


def watch(conn: Any) -> Watch:
    """The liveness record of `conn` (created on first use)."""
    state = _states.get(conn)
    if state is None:
        state = _states[conn] = Watch()
    return state


def mark_used(conn: Any, *, ok: bool) -> None:
    """Record that a statement on `conn` just ended (`ok=False`: it raised)."""
    watch(conn).used(ok)


def readable(fd: int | None) -> bool:
    """True when the socket `fd` has data (or EOF, or is invalid) although nothing was asked."""
    if fd is None or fd < 0:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(ready)


def suspect(conn: Any, fd: int | None) -> bool:
    """Whether `conn` must be pinged before it is used (see the module docstring)."""
    return watch(conn).suspect(fd)


def pg_fileno(conn: Any) -> int | None:
    """The socket of a psycopg connection (sync or async), None once it is closed."""
    try:
        return int(conn.pgconn.socket)
    except Exception:
        return None


def mysql_fileno(conn: Any) -> int | None:
    """The socket of a PyMySQL / aiomysql connection, None once it is closed."""
    sock = getattr(conn, "_sock", None)
    if sock is None:
        writer = getattr(conn, "_writer", None)
        sock = writer.get_extra_info("socket") if writer is not None else None
    if sock is None:
        return None
    try:
        return int(sock.fileno())
    except Exception:
        return None
