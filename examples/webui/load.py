"""Load test: N concurrent clients create sessions and append messages, then every acknowledged write is checked.

    python -m examples.webui.load --clients 200 --seconds 30

Starts the service on a free loopback port with a fresh database (or targets `--url` with
`--db` for verification), runs the clients, shuts the service down gracefully, then opens the
database file and checks that every write that got a 201 is there, and that no response ever
mentioned "database is locked". Exits 1 if anything is missing or locked.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

import mizzle
from mizzle import in_array

from .schema import Messages, Sessions

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Report:
    """What the clients saw."""

    clients: int
    seconds: float
    sessions: list[str] = field(default_factory=list[str])
    messages: list[str] = field(default_factory=list[str])
    latencies: list[float] = field(default_factory=list[float])
    errors: dict[str, int] = field(default_factory=dict[str, int])
    locked: int = 0
    missing_sessions: int = -1
    missing_messages: int = -1

    @property
    def requests(self) -> int:
        """Acknowledged writes."""
        return len(self.sessions) + len(self.messages)

    def summary(self) -> str:
        """Human-readable numbers."""
        lat = sorted(self.latencies) or [0.0]
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
        return (
            f"clients={self.clients} duration={self.seconds:.1f}s acknowledged writes={self.requests} "
            f"(sessions={len(self.sessions)} messages={len(self.messages)}) "
            f"throughput={self.requests / self.seconds:.0f} writes/s "
            f"latency p50={p(0.5):.1f}ms p99={p(0.99):.1f}ms max={lat[-1] * 1000:.1f}ms "
            f"mean={statistics.fmean(lat) * 1000:.1f}ms errors={self.errors or 0} "
            f"database-is-locked={self.locked} missing sessions={self.missing_sessions} "
            f"missing messages={self.missing_messages}"
        )


class Conn:
    """One client's keep-alive HTTP/1.1 connection (a minimal client: httpx's pool, not the service,
    becomes the bottleneck with hundreds of concurrent connections in one process)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: object) -> tuple[int, bytes]:
        """Send one JSON request; return (status, body)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        data = json.dumps(body).encode()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        try:
            self.writer.write(head.encode() + data)
            await self.writer.drain()
            raw = await self.reader.readuntil(b"\r\n\r\n")
            lines = raw.split(b"\r\n")
            status = int(lines[0].split()[1])
            length = next((int(v.split(b":")[1]) for v in lines if v.lower().startswith(b"content-length")), 0)
            return status, await self.reader.readexactly(length)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            self.close()
            raise

    def close(self) -> None:
        """Drop the connection."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _client(host: str, port: int, i: int, deadline: float, r: Report) -> None:
    conn = Conn(host, port)
    session_id: str | None = None
    n = 0
    try:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                if session_id is None or n % 20 == 0:
                    kind = "session"
                    status, body = await conn.request(
                        "POST", "/api/sessions", {"title": f"load {i}-{n}", "cwd": f"/tmp/c{i % 10}"}
                    )
                else:
                    kind = "message"
                    status, body = await conn.request(
                        "POST", f"/api/sessions/{session_id}/messages", {"type": "load", "data": {"n": n}}
                    )
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                r.errors[type(exc).__name__] = r.errors.get(type(exc).__name__, 0) + 1
                await asyncio.sleep(0.01)
                continue
            r.latencies.append(time.perf_counter() - t0)
            n += 1
            if b"database is locked" in body:
                r.locked += 1
            if status != 201:
                r.errors[str(status)] = r.errors.get(str(status), 0) + 1
                continue
            ack = json.loads(body)
            if kind == "session":
                session_id = ack["id"]
                r.sessions.append(ack["id"])
            else:
                r.messages.append(ack["id"])
    finally:
        conn.close()


async def run_clients(url: str, clients: int, seconds: float) -> Report:
    """Run `clients` concurrent clients (one connection each) against `url` for `seconds`."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    r = Report(clients, seconds)
    t0 = time.perf_counter()
    deadline = t0 + seconds
    await asyncio.gather(*(_client(host, port, i, deadline, r) for i in range(clients)))
    r.seconds = time.perf_counter() - t0
    return r


def verify(db_path: str, r: Report) -> None:
    """Count acknowledged writes missing from the database file."""
    db = mizzle.connect(db_path)
    try:
        found_s: set[str] = set()
        found_m: set[str] = set()
        for i in range(0, len(r.sessions), 500):
            chunk = r.sessions[i : i + 500]
            found_s |= {x for (x,) in db.select(Sessions.id).from_(Sessions).where(in_array(Sessions.id, chunk)).all()}
        for i in range(0, len(r.messages), 500):
            chunk = r.messages[i : i + 500]
            found_m |= {x for (x,) in db.select(Messages.id).from_(Messages).where(in_array(Messages.id, chunk)).all()}
        r.missing_sessions = len(set(r.sessions) - found_s)
        r.missing_messages = len(set(r.messages) - found_m)
    finally:
        db.close()


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_service(db_path: str, port: int, **env: str) -> subprocess.Popen[bytes]:
    """`python -m examples.webui` in a subprocess; returns once /health answers."""
    full = {**os.environ, "DB_PATH": db_path, "PORT": str(port), "HOST": "127.0.0.1", "NODE_ENV": "test", **env}
    full["PYTHONPATH"] = os.pathsep.join([str(ROOT), full.get("PYTHONPATH", "")])
    proc = subprocess.Popen([sys.executable, "-m", "examples.webui"], cwd=ROOT, env=full)
    deadline = time.time() + 20
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the service exited with code {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the service did not become healthy in 20 s")


def stop_service(proc: subprocess.Popen[bytes]) -> int:
    """SIGINT (graceful shutdown), then wait."""
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print the numbers."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--url", help="target a running service instead of starting one")
    ap.add_argument("--db", help="with --url: the service's database file, for verification")
    a = ap.parse_args(argv)
    tmp = None
    proc = None
    if a.url:
        url, db_path = a.url, a.db
    else:
        tmp = tempfile.TemporaryDirectory()
        db_path = str(Path(tmp.name) / "load.db")
        port = free_port()
        proc = start_service(db_path, port)
        url = f"http://127.0.0.1:{port}"
    try:
        report = asyncio.run(run_clients(url, a.clients, a.seconds))
    finally:
        if proc is not None:
            code = stop_service(proc)
            print(f"service stopped (exit code {code})")
    if db_path:
        verify(db_path, report)
    print(report.summary())
    if tmp is not None:
        tmp.cleanup()
    bad = report.locked or report.missing_sessions > 0 or report.missing_messages > 0
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
