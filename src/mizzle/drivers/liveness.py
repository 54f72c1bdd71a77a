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


class _State:
    __slots__ = ("errored", "last_used")

    def __init__(self) -> None:
        self.last_used = time.monotonic()
        self.errored = False


_states: weakref.WeakKeyDictionary[Any, _State] = weakref.WeakKeyDictionary()


def _state(conn: Any) -> _State:
    state = _states.get(conn)
    if state is None:
        state = _states[conn] = _State()
    return state


def mark_used(conn: Any, *, ok: bool) -> None:
    """Record that a statement on `conn` just ended (`ok=False`: it raised)."""
    state = _state(conn)
    state.last_used = time.monotonic()
    state.errored = not ok


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
    state = _state(conn)
    if state.errored or time.monotonic() - state.last_used > IDLE_CHECK_AFTER:
        return True
    return readable(fd)


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
