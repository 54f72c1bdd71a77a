"""Seed 001's package, complete: users, API keys and usage logs on SQLite (local) and MariaDB (production),
the same test functions on both; the database picked from the environment like the seed's getLocalDb."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from examples.user_service import client as client_mod
from examples.user_service.client import Client, open_database
from examples.user_service.keys import ApiKeyService
from examples.user_service.service import UserService
from examples.user_service.usage import UsageService, day_bounds

from _servers import throwaway_database


@pytest.fixture(params=["sqlite", "mysql"])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Client]:
    if request.param == "sqlite":
        c = open_database(f"sqlite:///{tmp_path / 'user_service.db'}")
        yield c
        c.db.close()
    else:
        with throwaway_database("mysql", prefix="mizzle_seed001_") as url:
            c = open_database(url)
            yield c
            c.db.close()


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def _workspace(c: Client, slug: str = "acme") -> tuple[str, str]:
    users = UserService(c.db, c.tables)
    owner = users.create(f"owner@{slug}.io", "Owner")
    ws = c.db.insert(c.tables.Workspaces).values(name=slug, slug=slug, owner_id=owner.id).returning().one()
    return owner.id, ws.id


def test_user_service_including_upsert_from_github(client: Client) -> None:
    users = UserService(client.db, client.tables)
    profile = {"email": "ada@x.io", "name": "Ada", "avatar_url": "https://a/1.png", "github_id": "gh-1"}
    created = users.upsert_from_github(profile)  # type: ignore[arg-type]
    assert users.find_by_github_id("gh-1") == created
    updated = users.upsert_from_github({**profile, "name": "Ada L."})  # type: ignore[typeddict-item]
    assert updated.id == created.id and updated.name == "Ada L."
    assert users.find_by_email("ada@x.io").name == "Ada L."  # type: ignore[union-attr]


def test_api_keys_issue_verify_list_revoke(client: Client) -> None:
    clock = Clock()
    owner, ws = _workspace(client)
    _, other_ws = _workspace(client, "globex")
    keys = ApiKeyService(client.db, client.tables, clock)
    issued = keys.issue(user_id=owner, workspace_id=ws, name="ci", expires_in=timedelta(days=30))
    assert issued.secret.startswith("sk_") and len(issued.secret) > 40

    # only a hash and a prefix are stored: the secret appears in no column
    (row,) = client.db.select().from_(client.tables.ApiKeys).all()
    stored = [str(v) for v in row._asdict().values()]
    assert issued.secret not in stored and not any(issued.secret in v for v in stored)
    assert row.hashed_key == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert row.prefix == issued.secret[:12] and row.last_used_at is None

    clock.at += timedelta(minutes=5)
    ok = keys.verify(issued.secret)
    assert ok is not None and ok.id == issued.id and ok.last_used_at == clock.at
    assert keys.verify(issued.secret[:-1] + ("A" if issued.secret[-1] != "A" else "B")) is None
    assert keys.verify("") is None

    clock.at += timedelta(days=31)                                   # expired
    assert keys.verify(issued.secret) is None

    live = keys.issue(user_id=owner, workspace_id=ws, name="deploy")
    assert [k.name for k in keys.list(ws)] == ["deploy", "ci"] or {k.name for k in keys.list(ws)} == {"deploy", "ci"}
    assert keys.list(other_ws) == []
    assert keys.revoke(other_ws, live.id) is False                   # another workspace cannot revoke it
    assert keys.verify(live.secret) is not None
    assert keys.revoke(ws, live.id) is True
    assert keys.revoke(ws, live.id) is False                         # already revoked
    assert keys.verify(live.secret) is None                          # revoked keys are refused
    assert [k.name for k in keys.list(ws)] == ["ci"]
    assert {k.name for k in keys.list(ws, include_revoked=True)} == {"ci", "deploy"}


def test_usage_aggregates_over_a_date_range(client: Client) -> None:
    owner, ws = _workspace(client)
    users = UserService(client.db, client.tables)
    bob = users.create("bob@acme.io", "Bob")
    keys = ApiKeyService(client.db, client.tables)
    key = keys.issue(user_id=owner, workspace_id=ws, name="ci")
    usage = UsageService(client.db, client.tables)
    d1 = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    d2 = datetime(2026, 5, 2, 23, 59, 59, tzinfo=UTC)
    outside = datetime(2026, 5, 3, 0, 0, tzinfo=UTC)
    usage.log(user_id=owner, workspace_id=ws, provider="anthropic", model="sonnet", input_tokens=100,
              output_tokens=50, cost=0.25, latency_ms=400, api_key_id=key.id, at=d1)
    usage.log(user_id=owner, workspace_id=ws, provider="anthropic", model="haiku", input_tokens=10,
              output_tokens=5, cost=0.5, latency_ms=100, at=d1)
    usage.log(user_id=bob.id, workspace_id=ws, provider="openai", model="sonnet", input_tokens=1000,
              output_tokens=500, cost=2.0, latency_ms=700, api_key_id=key.id, at=d2)
    usage.log(user_id=bob.id, workspace_id=ws, provider="openai", model="sonnet", input_tokens=1,
              output_tokens=1, cost=9.0, latency_ms=1, at=outside)        # the day after the range
    start, end = day_bounds(date(2026, 5, 1), date(2026, 5, 2))

    per_day = usage.per_day(ws, start, end)
    assert [(t.key, t.requests, t.input_tokens, t.output_tokens) for t in per_day] == [
        ("2026-05-01", 2, 110, 55), ("2026-05-02", 1, 1000, 500)]
    assert per_day[0].cost == pytest.approx(0.75) and per_day[0].avg_latency_ms == pytest.approx(250)

    per_model = {t.key: (t.requests, round(t.cost, 6)) for t in usage.per_model(ws, start, end)}
    assert per_model == {"haiku": (1, 0.5), "sonnet": (2, 2.25)}
    per_key = {t.key: t.requests for t in usage.per_api_key(ws, start, end)}
    assert per_key == {key.id: 2, "": 1}
    assert usage.top_consumers(ws, start, end) == [("bob@acme.io", 2.0, 1), ("owner@acme.io", 0.75, 2)]
    assert usage.top_consumers(ws, start, end, limit=1) == [("bob@acme.io", 2.0, 1)]


def test_get_db_picks_the_database_from_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("USER_SERVICE_DATABASE_URL", raising=False)
    monkeypatch.delenv("USER_SERVICE_DB", raising=False)
    client_mod.reset_db()
    try:
        local = client_mod.get_db()
        assert client_mod.get_db() is local                          # a singleton, like getLocalDb()
        assert local.db.dialect.name == "sqlite" and (tmp_path / "user_service.db").exists()
        assert local.db.count(local.tables.Users) == 0               # migrated at open
    finally:
        client_mod.reset_db()
    with throwaway_database("mysql", prefix="mizzle_seed001_") as url:
        monkeypatch.setenv("USER_SERVICE_DATABASE_URL", url)
        try:
            server = client_mod.get_db()
            assert server.db.dialect.name == "mysql"
            assert server.db.count(server.tables.ApiKeys) == 0
        finally:
            client_mod.reset_db()
