"""Seed 004's routes over HTTP on PostgreSQL: the app's lifespan runs (migrations, pool), requests go
through httpx's ASGI transport."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the seed 004 app needs the examples group: pip install --group examples")
pytest.importorskip("httpx", reason="the seed 004 app tests need httpx: pip install --group examples")

import httpx
from better_gpt.app import create_app

from _servers import throwaway_database


class Client:
    """Synchronous calls into the app, on one event loop that also holds the app's lifespan open."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = create_app(url)
        self.lifespan = self.app.router.lifespan_context(self.app)
        self.loop.run_until_complete(self.lifespan.__aenter__())
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://app")

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.request(method, path, **kw))

    def get(self, path: str) -> httpx.Response:
        return self.request("GET", path)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.run_until_complete(self.lifespan.__aexit__(None, None, None))
        self.loop.close()


@pytest.fixture
def client() -> Iterator[Client]:
    # a database of its own: the app migrates it at start (other tests create the seed's tables with create_all)
    with throwaway_database("postgres", prefix="mizzle_seed004_") as url:
        c = Client(url)
        try:
            yield c
        finally:
            c.close()


def _fields(resp: Any) -> list[str]:
    return [e["field"] for e in resp.json()["errors"]]


def test_projects_chats_messages_files_analytics(client: Client) -> None:
    r = client.post("/api/projects", json={"name": "Docs bot", "settings": {"temperature": 0.2}})
    assert r.status_code == 201, r.text
    project = r.json()
    assert project["settings"] == {"aiModel": "gpt-4", "temperature": 0.2, "maxTokens": 4000}
    pid = project["id"]
    assert [p["id"] for p in client.get("/api/projects").json()] == [pid]

    chat = client.post(f"/api/projects/{pid}/chats", json={"title": "first"}).json()
    for role, content in (("user", "hi"), ("assistant", "hello")):
        r = client.post(f"/api/chats/{chat['id']}/messages", json={"role": role, "content": content})
        assert r.status_code == 200, r.text
    assert [m["content"] for m in client.get(f"/api/chats/{chat['id']}").json()["messages"]] == ["hi", "hello"]
    assert client.post(f"/api/projects/{pid}/files", json={"name": "spec.md", "content": "# spec"}).status_code == 201

    full = client.get(f"/api/projects/{pid}").json()
    assert [c["title"] for c in full["chats"]] == ["first"] and [f["name"] for f in full["files"]] == ["spec.md"]
    stats = client.get(f"/api/projects/{pid}/analytics").json()
    assert (stats["chat_count"], stats["file_count"]) == (1, 1) and stats["last_active"]


def test_bodies_are_validated_and_missing_rows_are_404(client: Client) -> None:
    assert _fields(client.post("/api/projects", json={"name": ""})) == ["name"]
    assert _fields(client.post("/api/projects", json={"name": "x", "settings": {"temperature": 5}})) == [
        "settings.temperature"]
    assert _fields(client.post("/api/projects", json={"name": "x", "nmae": "typo"})) == ["nmae"]
    assert client.post("/api/projects", content=b"{not json").status_code == 400
    assert client.get("/api/projects/999999").status_code == 404
    assert client.post("/api/projects/999999/chats", json={"title": "t"}).status_code == 404
    assert client.post("/api/chats/999999/messages", json={"role": "user", "content": "x"}).status_code == 404
    assert _fields(client.post("/api/chats/1/messages", json={"role": "robot", "content": "x"})) == ["role"]
    assert client.get("/api/projects/999999/analytics").status_code == 404
