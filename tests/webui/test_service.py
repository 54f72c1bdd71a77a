"""The service end to end: start, create, run the local test agent, stream over WebSocket, persist, restart."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from examples.webui.load import free_port, start_service, stop_service

AGENT = f"{shlex.quote(sys.executable)} {shlex.quote(str(Path(__file__).parent / 'slow_agent.py'))}"


class Service:
    def __init__(self, db: str, **env: str) -> None:
        self.db, self.env = db, env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Service:
        self.proc = start_service(self.db, self.port, **{"AGENT_COMMAND": AGENT, **self.env})
        return self

    def stop(self) -> int:
        assert self.proc is not None
        return stop_service(self.proc)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    s = Service(str(tmp_path / "webui.db")).start()
    try:
        yield s
    finally:
        if s.proc is not None and s.proc.poll() is None:
            s.stop()


async def watch(url: str, sid: str, until_status: set[str], start: Any = None) -> list[dict[str, Any]]:
    """Collect WebSocket events until the session reaches one of `until_status` (after it ran)."""
    events: list[dict[str, Any]] = []
    ws_url = url.replace("http://", "ws://") + f"/ws/sessions/{sid}"
    async with websockets.connect(ws_url) as ws:
        first = json.loads(await ws.recv())
        events.append(first)
        if start is not None:
            await asyncio.to_thread(start)
        while True:
            ev = json.loads(await asyncio.wait_for(ws.recv(), 10))
            events.append(ev)
            if ev["event"] == "status" and ev["session"]["status"] in until_status:
                return events


def test_session_flow_streams_persists_and_survives_restart(service: Service) -> None:
    with service.client() as c:
        health = c.get("/health").json()
        assert health["status"] == "ok" and health["database"] is True
        created = c.post("/api/sessions", json={"title": "first", "cwd": "/tmp", "allowed_tools": ["Read"]})
        assert created.status_code == 201
        s = created.json()
        assert s["status"] == "idle" and s["allowed_tools"] == ["Read"] and len(s["id"]) == 21

        def start() -> None:
            r = c.post(f"/api/sessions/{s['id']}/start", json={"prompt": "hello agent"})
            assert r.status_code == 202 and r.json()["status"] == "running"

        events = asyncio.run(watch(service.url, s["id"], {"completed", "error"}, start))
        msgs = [e["message"] for e in events if e["event"] == "message"]
        assert [m["type"] for m in msgs] == ["user_prompt", "assistant", "progress", "progress", "progress", "exit"]
        assert msgs[1]["data"] == {"text": "got prompt: hello agent"}
        assert msgs[2]["data"] == {"step": 1}
        assert msgs[-1]["data"] == {"code": 0, "stopped": False}
        assert events[-1]["session"]["status"] == "completed"

        history = c.get(f"/api/sessions/{s['id']}").json()
        assert [m["id"] for m in history["messages"]] == [m["id"] for m in msgs]
        assert history["session"]["last_prompt"] == "hello agent"
        c.put("/api/settings", json={"THEME": "dark"}).raise_for_status()

    assert service.stop() == 0
    service.start()  # same database file
    with service.client() as c:
        history = c.get(f"/api/sessions/{s['id']}").json()
        assert history["session"]["status"] == "completed"
        assert [m["id"] for m in history["messages"]] == [m["id"] for m in msgs]
        assert c.get("/api/settings").json() == {"THEME": "dark"}
        assert [x["id"] for x in c.get("/api/sessions").json()] == [s["id"]]


def test_websocket_history_then_live_and_failing_agent(service: Service) -> None:
    with service.client() as c:
        s = c.post("/api/sessions", json={"title": "fails", "last_prompt": "first prompt"}).json()

        def start() -> None:
            assert c.post(f"/api/sessions/{s['id']}/start", json={"prompt": "fail"}).status_code == 202

        events = asyncio.run(watch(service.url, s["id"], {"error"}, start))
        types = [e["message"]["type"] for e in events if e["event"] == "message"]
        assert types[0] == "user_prompt"  # history first (the prompt given at creation)
        assert "stderr" in types and types[-1] == "exit"
        assert c.get(f"/api/sessions/{s['id']}").json()["session"]["status"] == "error"


def test_stop_keeps_output_and_marks_idle(tmp_path: Path) -> None:
    service = Service(str(tmp_path / "stop.db"), AGENT_COMMAND=f"{AGENT} --delay 0.5 --lines 40").start()
    try:
        with service.client() as c:
            s = c.post("/api/sessions", json={"title": "long"}).json()
            assert c.post(f"/api/sessions/{s['id']}/start", json={"prompt": "x"}).status_code == 202
            assert c.post(f"/api/sessions/{s['id']}/start", json={"prompt": "again"}).status_code == 409
            stopped = c.post(f"/api/sessions/{s['id']}/stop")
            assert stopped.status_code == 200 and stopped.json()["status"] == "idle"
            msgs = c.get(f"/api/sessions/{s['id']}").json()["messages"]
            assert msgs[0]["type"] == "user_prompt"
            assert msgs[-1]["type"] == "exit" and msgs[-1]["data"]["stopped"] is True
            assert len(msgs) < 10  # stopped long before its 40 lines
            # graceful shutdown while an agent runs: its output so far is stored, the service exits 0
            assert c.post(f"/api/sessions/{s['id']}/start", json={"prompt": "y"}).status_code == 202
        assert service.stop() == 0
        service.start()
        with service.client() as c:
            types = [m["type"] for m in c.get(f"/api/sessions/{s['id']}").json()["messages"]]
            assert types.count("exit") == 2 and types[-1] == "exit"
            assert c.get(f"/api/sessions/{s['id']}").json()["session"]["status"] == "idle"
    finally:
        if service.proc is not None and service.proc.poll() is None:
            service.stop()


def test_invalid_input_is_422_naming_the_field_and_writes_nothing(service: Service) -> None:
    with service.client() as c:
        ok = c.post("/api/sessions", json={"title": "keep"}).json()

        def fields(r: httpx.Response) -> set[str]:
            assert r.status_code == 422, r.text
            return {d["field"] for d in r.json()["detail"]}

        assert fields(c.post("/api/sessions", json={})) == {"title"}
        assert fields(c.post("/api/sessions", json={"title": "x", "status": "paused"})) == {"status"}
        assert fields(c.post("/api/sessions", json={"title": "x" * 256})) == {"title"}
        assert fields(c.post("/api/sessions", json={"title": "x", "cwd": "y" * 5000})) == {"cwd"}
        assert fields(c.post("/api/sessions", json={"title": "x", "allowed_tools": "Read"})) == {"allowed_tools"}
        assert fields(c.post("/api/sessions", json={"title": "x", "id": "mine"})) == {"id"}
        assert fields(c.post("/api/sessions", content=b'{"title": ')) == {"(body)"}
        assert fields(c.patch(f"/api/sessions/{ok['id']}", json={"status": "nope"})) == {"status"}
        assert fields(c.patch(f"/api/sessions/{ok['id']}", json={"title": None})) == {"title"}
        assert fields(c.post(f"/api/sessions/{ok['id']}/start", json={"prompt": ""})) == {"prompt"}
        assert fields(c.post(f"/api/sessions/{ok['id']}/messages", json={"type": "t"})) == {"data"}
        assert fields(c.put("/api/settings", json={"": "x", "A": 1})) == {"settings..key", "settings.A.value"}
        assert fields(c.put("/api/settings", content=b"[1]")) == {"settings"}
        assert fields(c.get("/api/sessions/recent-cwds?limit=abc")) == {"limit"}
        assert c.post("/api/sessions", content=b"x" * (2 << 20)).status_code == 413
        # nothing was written
        assert [s["id"] for s in c.get("/api/sessions").json()] == [ok["id"]]
        assert c.get(f"/api/sessions/{ok['id']}").json()["messages"] == []
        assert c.get(f"/api/sessions/{ok['id']}").json()["session"]["title"] == "keep"
        assert c.get("/api/settings").json() == {}


def test_crud_settings_and_recent_cwds(service: Service) -> None:
    with service.client() as c:
        ids = [c.post("/api/sessions", json={"title": f"s{i}", "cwd": f"/w/{i % 2}"}).json()["id"] for i in range(4)]
        assert sorted(c.get("/api/sessions/recent-cwds").json()) == ["/w/0", "/w/1"]
        assert c.get("/api/sessions/recent-cwds?limit=1").json() in (["/w/0"], ["/w/1"])
        msg = c.post(f"/api/sessions/{ids[0]}/messages", json={"type": "note", "data": {"a": [1, 2]}})
        assert msg.status_code == 201 and msg.json()["data"] == {"a": [1, 2]}
        assert c.delete(f"/api/sessions/{ids[0]}").status_code == 204
        assert c.delete(f"/api/sessions/{ids[0]}").status_code == 404
        assert c.get(f"/api/sessions/{ids[0]}").status_code == 404
        assert c.post("/api/sessions/nope/messages", json={"type": "t", "data": {}}).status_code == 404
        assert c.put("/api/settings", json={"A": "1", "B": "2"}).json() == {"A": "1", "B": "2"}
        assert c.put("/api/settings", json={"A": "3"}).json() == {"A": "3", "B": "2"}


def test_bad_environment_stops_with_a_clear_message(tmp_path: Path) -> None:
    env = {**os.environ, "PORT": "99999", "CORS_ORIGIN": "*", "NODE_ENV": "staging", "DB_PATH": str(tmp_path / "x.db")}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = str(root)
    r = subprocess.run([sys.executable, "-m", "examples.webui"], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 1
    assert "Invalid environment variables" in r.stderr
    assert "PORT='99999'" in r.stderr and "NODE_ENV='staging'" in r.stderr
    assert not (tmp_path / "x.db").exists()
