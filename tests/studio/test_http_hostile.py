"""Hostile HTTP input: every malformed request gets a 4xx and the server log stays free of tracebacks."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from studio_helpers import DIALECTS, N_USERS, Env, make_env


@pytest.fixture(scope="module", params=DIALECTS)
def env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
        server_urls: dict[str, str]) -> Iterator[Env]:
    """One studio per dialect for the whole module (the requests here change nothing)."""
    yield from make_env(request.param, tmp_path_factory.mktemp("hostile"), server_urls)


def raw(env: Env, data: bytes, *, pause: float = 0.0, tail: bytes = b"") -> int:
    """Send raw bytes (then `tail` after `pause` seconds); the status code of the answer (0: none)."""
    host, port = env.client.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        if pause:
            time.sleep(pause)
            with contextlib.suppress(OSError):
                sock.sendall(tail)
        chunks: list[bytes] = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
    head = b"".join(chunks).split(b"\r\n", 1)[0].decode("latin-1")
    return int(head.split()[1]) if head.startswith("HTTP/") else 0


def post(env: Env, body: bytes, headers: dict[str, str] | None = None, path: str = "/api/sql") -> bytes:
    hdrs = {"Host": "x", "X-Mizzle-Token": env.client.token, "Content-Type": "application/json",
            "Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    head = f"POST {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()) + "\r\n"
    return head.encode("utf-8") + body


HOSTILE: list[tuple[str, Any, set[int]]] = [
    ("non-ASCII token header", lambda e: post(e, b"{}", {"X-Mizzle-Token": "t\u00f6k\u00e9n"}), {401}),
    ("non-ASCII token in the query", lambda e: b"GET /api/tables?token=%C3%BC HTTP/1.1\r\nHost: x\r\n\r\n", {401}),
    ("bad percent-encoding", lambda e: b"GET /api/tables?token=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n", {401}),
    ("non-ASCII cookie", lambda e: "GET / HTTP/1.1\r\nHost: x\r\nCookie: mizzle_studio_x=\u00fc\r\n\r\n"
     .encode(), {401}),
    ("non-numeric Content-Length", lambda e: post(e, b"{}", {"Content-Length": "abc"}), {400}),
    ("negative Content-Length", lambda e: post(e, b"{}", {"Content-Length": "-5"}), {400}),
    ("huge Content-Length", lambda e: post(e, b"{}", {"Content-Length": str(10**12)}), {413}),
    ("bad JSON", lambda e: post(e, b"{nope"), {400}),
    ("JSON not an object", lambda e: post(e, b"[1, 2]"), {400}),
    ("invalid UTF-8 body", lambda e: post(e, b'{"sql": "\xff\xfe"}'), {400}),
    ("deeply nested JSON", lambda e: post(e, b"[" * 100_000 + b"]" * 100_000), {400, 413}),
    ("sql not a string", lambda e: post(e, b'{"sql": {"a": 1}}'), {400}),
    ("insert values not an object", lambda e: post(e, b'{"values": "x"}', path="/api/tables/users/insert"), {400}),
    ("update key not a list", lambda e: post(e, b'{"key": 5, "values": {}}', path="/api/tables/users/update"), {400}),
    ("update values a list", lambda e: post(e, b'{"key": [1], "values": [1]}', path="/api/tables/users/update"),
     {400}),
    ("delete keys not a list", lambda e: post(e, b'{"keys": 5}', path="/api/tables/users/delete"), {400}),
    ("delete keys of strings", lambda e: post(e, b'{"keys": ["a", "b"]}', path="/api/tables/users/delete"), {400}),
    ("filters deeply nested", lambda e: ("GET /api/tables/users/rows?filters=" + "%5B" * 50_000 +
                                         " HTTP/1.1\r\nHost: x\r\nX-Mizzle-Token: " + e.client.token + "\r\n\r\n")
     .encode(), {400, 414}),
    ("limit not a number", lambda e: ("GET /api/tables/users/rows?limit=%C3%BC HTTP/1.1\r\nHost: x\r\n"
                                      "X-Mizzle-Token: " + e.client.token + "\r\n\r\n").encode(), {400}),
    ("header line without a colon", lambda e: b"GET / HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n", {400, 401}),
    ("too many headers", lambda e: b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n",
     {400, 431}),
    ("very long header", lambda e: b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 100_000 + b"\r\n\r\n", {400, 431}),
    ("garbage request line", lambda e: b"\x00\x01\x02 nonsense HTTP/1.1\r\n\r\n", {400, 405}),
    ("HTTP/0.9 garbage (no status line possible)", lambda e: b"\x00\x01\x02 nonsense\r\n\r\n", {0}),
    ("unknown method", lambda e: b"BREW /api/tables HTTP/1.1\r\nHost: x\r\n\r\n", {401, 405, 501}),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_requests_get_a_4xx_and_no_traceback(env: Env, case: tuple[str, Any, set[int]],
                                                     capfd: pytest.CaptureFixture[str]) -> None:
    _, make, expected = case
    status = raw(env, make(env))
    assert status in expected, status
    time.sleep(0.05)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception" not in err, err
    assert env.db.count(env.mod.Users) == N_USERS
    assert env.client.get("/api/info")["read_only"] is False  # the server still answers


def test_a_slow_client_times_out_without_a_traceback(env: Env, capfd: pytest.CaptureFixture[str]) -> None:
    env.studio.request_timeout = 0.5
    try:
        status = raw(env, post(env, b'{"sql": "select 1"}')[:-5], pause=1.5, tail=b'1"}')
    finally:
        env.studio.request_timeout = 30.0
    assert status in (0, 408)
    time.sleep(0.1)
    err = capfd.readouterr().err
    assert "Traceback" not in err, err
    assert env.client.get("/api/info")["read_only"] is False


def test_sql_bodies_round_trip_as_json(env: Env) -> None:
    status, body = env.client.post("/api/sql", {"sql": "select 'ünï ✓' as s"})
    assert status == 200 and body["rows"] == [["ünï ✓"]]
    assert json.dumps(body)
