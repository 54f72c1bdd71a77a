"""`liveness.Watch`: the per-connection liveness record the server drivers hold (no server needed)."""

from __future__ import annotations

import socket
from typing import Any

from mizzle.drivers import liveness


class _Busy:
    """A poll object another thread is using: `poll()` raises as `select.poll` does then."""

    def poll(self, timeout: int) -> Any:
        raise RuntimeError("concurrent poll() invocation")


def test_watch_reports_a_readable_socket_an_error_and_idleness(monkeypatch: Any) -> None:
    a, b = socket.socketpair()
    try:
        w = liveness.Watch()
        fd = a.fileno()
        assert not w.suspect(fd)  # nothing arrived
        b.send(b"x")
        assert w.suspect(fd)  # the server sent something while no statement ran
        a.recv(1)
        assert not w.suspect(fd)
        w.used(False)
        assert w.suspect(fd)  # the last statement raised
        w.used(True)
        assert not w.suspect(fd)
        assert w.suspect(None) and w.suspect(-1)  # no socket: closed
        monkeypatch.setattr(liveness, "IDLE_CHECK_AFTER", -1.0)
        assert w.suspect(fd)  # idle too long
    finally:
        a.close()
        b.close()


def test_watch_falls_back_to_select_while_another_thread_polls() -> None:
    a, b = socket.socketpair()
    try:
        w = liveness.Watch()
        fd = a.fileno()
        assert not w.suspect(fd)  # registers the poll object
        w._poller = _Busy()  # pyright: ignore[reportPrivateUsage]
        assert not w.suspect(fd)
        b.send(b"x")
        assert w.suspect(fd)
    finally:
        a.close()
        b.close()


def test_watch_follows_a_new_socket() -> None:
    a, b = socket.socketpair()
    c, d = socket.socketpair()
    try:
        w = liveness.Watch()
        assert not w.suspect(a.fileno())
        d.send(b"x")
        assert w.suspect(c.fileno())  # another fd: polled anew, not the old registration
        assert not w.suspect(a.fileno())
    finally:
        for s in (a, b, c, d):
            s.close()
