"""Studio test helpers: the seeded schema per dialect, an HTTP client, starting a studio server."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

import mizzle
from mizzle.kit.config import KitConfig
from mizzle.schema.table import Table
from mizzle.studio import Studio, make_server


def _has_libsql() -> bool:
    import importlib.util

    return importlib.util.find_spec("libsql") is not None


DIALECTS = ["sqlite",
            pytest.param("libsql", marks=pytest.mark.skipif(not _has_libsql(), reason="pip install 'mizzle[libsql]'")),
            pytest.param("postgres", marks=pytest.mark.postgres),
            pytest.param("mysql", marks=pytest.mark.mysql)]
"""A libSQL file is the SQLite family (`family`) opened with the libsql driver."""


def family(kind: str) -> str:
    """The dialect family of a test database kind: libsql -> sqlite."""
    return "sqlite" if kind == "libsql" else kind
N_USERS = 120


def schema_module(kind: str) -> Any:
    """The test schema for a dialect."""
    import studio_schema_mysql
    import studio_schema_pg
    import studio_schema_sqlite

    return {"sqlite": studio_schema_sqlite, "postgres": studio_schema_pg, "mysql": studio_schema_mysql}[kind]


def seed(db: mizzle.Database, mod: Any, n_users: int = N_USERS) -> None:
    """Users u000..u119 (every 3rd an admin, every 2nd inactive), 2 posts for each of the first 10, comments."""
    users = []
    for i in range(n_users):
        row: dict[str, Any] = {"name": f"user {i:03d}", "email": f"u{i:03d}@example.com",
                               "role": "admin" if i % 3 == 0 else "member", "active": i % 2 == 0,
                               "score": i * 1.5, "profile": {"n": i, "tags": ["a", "b"]} if i < 5 else None,
                               "avatar": bytes([i % 256, 1, 2, 3]) if i < 3 else None}
        if "sqlite" in mod.__name__:
            row["created_at"] = datetime(2024, 1, 1, tzinfo=UTC).replace(second=i % 60)
        users.append(row)
    db.insert(mod.Users).values(users).run()
    ids = [r[0] for r in db.select(mod.Users.id).from_(mod.Users).order_by(mod.Users.id).all()]
    posts = [{"author_id": ids[i], "title": f"post {i}-{j}", "body": "hello"} for i in range(10) for j in range(2)]
    db.insert(mod.Posts).values(posts).run()
    pids = [r[0] for r in db.select(mod.Posts.id).from_(mod.Posts).order_by(mod.Posts.id).all()]
    db.insert(mod.Comments).values([{"post_id": pids[0], "body": "c1"}, {"post_id": pids[0], "body": "c2"},
                                    {"post_id": pids[1], "body": "c3"}]).run()


def _drop(db: mizzle.Database, kind: str) -> None:
    if kind == "mysql":
        db.execute("set foreign_key_checks = 0")
    for name in ("comments", "posts", "users"):
        db.execute(f"drop table if exists {name}" + (" cascade" if kind == "postgres" else ""))
    if kind == "mysql":
        db.execute("set foreign_key_checks = 1")


class _Lazy(dict[str, str]):
    def __init__(self, fn: Any) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: str) -> str:
        return str(self.fn(key))


@dataclass
class Client:
    """Talks to a running studio over HTTP (urllib): real requests, real status codes."""

    base: str
    token: str

    def request(self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None,
                *, token: str | None = "header", headers: dict[str, str] | None = None) -> tuple[int, Any]:
        """Send one request; returns (status, parsed JSON or text)."""
        query = dict(params or {})
        hdrs = dict(headers or {})
        if token == "header":
            hdrs["X-Mizzle-Token"] = self.token
        elif token == "query":
            query["token"] = self.token
        url = self.base + path + ("?" + urlencode({k: v if isinstance(v, str) else json.dumps(v)
                                                    for k, v in query.items()}) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            hdrs["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, raw, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            status, raw, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "")
        text = raw.decode()
        return status, json.loads(text) if "json" in ctype and text.strip().startswith(("{", "[")) else text

    def get(self, path: str, **params: Any) -> Any:
        """GET that must succeed; returns the JSON."""
        status, data = self.request("GET", path, params)
        assert status == 200, (status, data)
        return data

    def post(self, path: str, body: Any) -> tuple[int, Any]:
        """POST with the token header."""
        return self.request("POST", path, body=body)


@dataclass
class Env:
    """A seeded database with a studio serving it."""

    kind: str
    mod: Any
    db: mizzle.Database
    studio: Studio
    client: Client
    url: str


def start(studio: Studio) -> tuple[Any, str]:
    """Serve `studio` on a free loopback port in a thread."""
    server = make_server(studio, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def open_db(kind: str, tmp_path: Path, server_urls: dict[str, str]) -> tuple[mizzle.Database, str]:
    """A connection to an empty database of `kind` (a libSQL file: through the libsql driver)."""
    if family(kind) == "sqlite":
        url = f"sqlite:///{tmp_path / 'studio.db'}"
        return mizzle.connect(url, driver="libsql" if kind == "libsql" else None), url
    url = server_urls[kind]
    return mizzle.connect(url), url


@contextmanager
def app_account(kind: str, db: mizzle.Database, url: str) -> Iterator[str]:
    """A login like an application's: it may write the database's tables, but is no superuser and has no
    FILE/SUPER privilege; yields its URL and drops it afterwards (SQLite: the URL itself)."""
    if kind == "sqlite":
        yield url
        return
    name = "mizzle_app_" + secrets.token_hex(4)
    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    if kind == "postgres":
        db.execute(f"create role {name} login")
        db.execute(f"grant all on schema public to {name}")
        db.execute(f"grant all on all tables in schema public to {name}")
        db.execute(f"grant all on all sequences in schema public to {name}")
    else:
        db.execute(f"create user '{name}'@'%'")
        db.execute(f"grant all privileges on `{database}`.* to '{name}'@'%'")
    try:
        yield urlunsplit((parts.scheme, f"{name}@{parts.hostname}:{parts.port}", parts.path, parts.query, ""))
    finally:
        if kind == "postgres":
            db.execute(f"select pg_terminate_backend(pid) from pg_stat_activity where usename = {_lit(name)}")
            db.execute(f"drop owned by {name}")
            db.execute(f"drop role {name}")
        else:
            db.execute(f"drop user '{name}'@'%'")


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def make_env(kind: str, tmp_path: Path, server_urls: dict[str, str], *, read_only: bool = False,
             config: KitConfig | None = None, tables: list[type[Table]] | None = None) -> Iterator[Env]:
    """Create the schema, seed it, serve it; tear everything down afterwards.

    A read-only studio connects with an application-like account (`app_account`): for a superuser or a
    FILE/SUPER account the studio keeps the read-only console off.
    """
    db, url = open_db(kind, tmp_path, server_urls)
    driver = "libsql" if kind == "libsql" else None
    kind = family(kind)
    mod = schema_module(kind)
    if kind != "sqlite":
        _drop(db, kind)
    mizzle.create_all(db, mod.TABLES)
    seed(db, mod)
    with ExitStack() as stack:
        studio_url = stack.enter_context(app_account(kind, db, url)) if read_only else url
        studio_db = mizzle.connect(studio_url, driver=driver) if studio_url != url else db
        if studio_db is not db:
            stack.callback(studio_db.close)
        studio = Studio(studio_db, tables or mod.TABLES, config=config, read_only=read_only, url=studio_url)
        server, base = start(studio)
        try:
            yield Env(kind, mod, db, studio, Client(base, studio.token), url)
        finally:
            server.shutdown()
            server.server_close()
            if kind != "sqlite":
                _drop(db, kind)
    db.close()


def launch(folder: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str, list[str]]]:
    """Run `mizzle studio --port 0 ARGS` in `folder`; yields the process, the URL and the lines it printed."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mizzle.cli.main", "--no-color", "studio", "--port", "0", *args],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        deadline = time.time() + 20
        url = ""
        lines: list[str] = []
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("open "):
                url = line.split(" ", 1)[1].strip()
                break
        assert url, proc.stderr.read() if proc.stderr else "no output"
        yield proc, url, lines
    finally:
        proc.terminate()
        proc.wait(timeout=10)
