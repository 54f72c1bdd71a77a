"""Business logic: settings cache, sessions, the agent runs, and the live-event hub for WebSockets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator
from typing import Any

from mizzle.pydantic import select_model

from .repositories import MessageRepository, SessionRepository, SettingsRepository
from .runner import AgentRequest, AgentRunner
from .schema import Messages, Sessions

log = logging.getLogger("webui.services")

SessionOut = select_model(Sessions)
MessageOut = select_model(Messages)


class NotFoundError(Exception):
    """A session (or other resource) does not exist."""


class ConflictError(Exception):
    """The request conflicts with the resource's state (e.g. starting a running session)."""


def session_json(s: Sessions) -> dict[str, Any]:
    """A session as JSON-ready data (validated by its select model)."""
    return SessionOut.model_validate(s).model_dump(mode="json")


def message_json(m: Messages) -> dict[str, Any]:
    """A message as JSON-ready data."""
    return MessageOut.model_validate(m).model_dump(mode="json")


class Hub:
    """Fan-out of live events per session to any number of WebSocket subscribers."""

    def __init__(self) -> None:
        self._subs: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}

    def publish(self, session_id: str, event: dict[str, Any]) -> None:
        """Send `event` to everyone watching `session_id` (never blocks)."""
        for q in self._subs.get(session_id, ()):
            q.put_nowait(event)

    @contextlib.asynccontextmanager
    async def subscribe(self, session_id: str) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """A queue receiving the session's events while the block runs."""
        q: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._subs.setdefault(session_id, set()).add(q)
        try:
            yield q
        finally:
            subs = self._subs.get(session_id)
            if subs is not None:
                subs.discard(q)
                if not subs:
                    del self._subs[session_id]


class ConfigService:
    """Settings from the database, cached; agents see them as environment variables."""

    def __init__(self, settings_repo: SettingsRepository) -> None:
        self.settings_repo = settings_repo
        self.cached: dict[str, str] = {}

    async def load(self) -> None:
        """Read every setting."""
        self.cached = await self.settings_repo.get_all()

    async def reload(self) -> None:
        """Read them again."""
        await self.load()

    def get(self, key: str) -> str | None:
        """A setting, falling back to the process environment."""
        return self.cached.get(key) or os.environ.get(key)

    def get_all(self) -> dict[str, str]:
        """A copy of every setting."""
        return dict(self.cached)

    async def update(self, settings: dict[str, str]) -> None:
        """Save several settings in one transaction and refresh the cache."""
        await self.settings_repo.set_many(settings)
        await self.reload()

    def agent_env(self) -> dict[str, str]:
        """The non-empty settings, passed to agents as environment variables."""
        return {k: v for k, v in self.cached.items() if v}


class AgentService:
    """Runs one agent per session; persists every event as a message, then broadcasts it."""

    def __init__(
        self,
        runner: AgentRunner,
        session_repo: SessionRepository,
        message_repo: MessageRepository,
        config: ConfigService,
        hub: Hub,
    ) -> None:
        self.runner = runner
        self.session_repo = session_repo
        self.message_repo = message_repo
        self.config = config
        self.hub = hub
        self._runs: dict[str, tuple[asyncio.Task[None], Any]] = {}

    def is_running(self, session_id: str) -> bool:
        """Whether an agent is running for the session."""
        return session_id in self._runs

    async def record(self, session_id: str, type_: str, data: dict[str, Any]) -> Messages:
        """Persist a message, then broadcast it (subscribers only ever see stored messages)."""
        msg = await self.message_repo.create({"session_id": session_id, "type": type_, "data": data})
        self.hub.publish(session_id, {"event": "message", "message": message_json(msg)})
        return msg

    async def run(self, session_id: str, prompt: str, cwd: str | None, resume_id: str | None) -> None:
        """Start the agent; its output is consumed in the background."""
        if session_id in self._runs:
            raise ConflictError(f"session {session_id} is already running")
        request = AgentRequest(session_id, prompt, cwd, resume_id, self.config.agent_env())
        proc = await self.runner.start(request)
        task = asyncio.create_task(self._consume(session_id, proc), name=f"agent-{session_id}")
        self._runs[session_id] = (task, proc)

    async def _consume(self, session_id: str, proc: Any) -> None:
        status = "error"
        try:
            async for ev in proc.events():
                if ev.type == "exit":
                    code = ev.data.get("code")
                    status = "idle" if ev.data.get("stopped") else "completed" if code == 0 else "error"
                await self.record(session_id, ev.type, ev.data)
        except Exception:
            log.exception("agent run for session %s failed", session_id)
        finally:
            self._runs.pop(session_id, None)
        try:
            updated = await self.session_repo.update(session_id, {"status": status})
            if updated is not None:
                self.hub.publish(session_id, {"event": "status", "session": session_json(updated)})
        except Exception:  # the session may have been deleted meanwhile
            log.exception("could not record the end of session %s", session_id)

    async def abort(self, session_id: str) -> None:
        """Stop the session's agent and wait until its remaining output is stored."""
        run = self._runs.get(session_id)
        if run is None:
            return
        task, proc = run
        await proc.stop()
        try:
            await asyncio.wait_for(asyncio.shield(task), 5.0)
        except TimeoutError:
            task.cancel()

    async def shutdown(self, grace_s: float) -> None:
        """Stop every agent, letting each finish writing its output (up to `grace_s`)."""
        runs = list(self._runs.items())
        for _, (_, proc) in runs:
            await proc.stop()
        tasks = [t for _, (t, _) in runs]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=grace_s)
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)


class SessionService:
    """Sessions and their history (seed 000's SessionService)."""

    def __init__(self, session_repo: SessionRepository, message_repo: MessageRepository, agents: AgentService) -> None:
        self.session_repo = session_repo
        self.message_repo = message_repo
        self.agents = agents

    async def create_session(self, data: dict[str, Any]) -> Sessions:
        """Create an idle session; its first prompt (if any) is recorded as a message."""
        session = await self.session_repo.create({**data, "status": "idle"})
        if data.get("last_prompt"):
            await self.message_repo.create(
                {"session_id": session.id, "type": "user_prompt", "data": {"prompt": data["last_prompt"]}}
            )
        return session

    async def get_session(self, id: str) -> Sessions:
        """The session, or NotFoundError."""
        session = await self.session_repo.find_by_id(id)
        if session is None:
            raise NotFoundError(f"Session not found: {id}")
        return session

    async def list_sessions(self) -> list[Sessions]:
        """Every session, most recent first."""
        return await self.session_repo.find_all()

    async def get_session_history(self, id: str) -> tuple[Sessions, list[Messages]]:
        """The session and its messages."""
        session = await self.get_session(id)
        messages = await self.message_repo.find_by_session_id(id)
        return session, messages

    async def start_session(self, id: str, prompt: str) -> Sessions:
        """Mark running, record the prompt, start the agent."""
        session = await self.get_session(id)
        if self.agents.is_running(id):
            raise ConflictError(f"session {id} is already running")
        updated = await self.session_repo.update(id, {"status": "running", "last_prompt": prompt})
        await self.agents.record(id, "user_prompt", {"prompt": prompt})
        try:
            await self.agents.run(id, prompt, session.cwd, session.claude_session_id)
        except (OSError, ValueError) as exc:
            await self.agents.record(id, "error", {"text": f"could not start the agent: {exc}"})
            updated = await self.session_repo.update(id, {"status": "error"})
        assert updated is not None
        return updated

    async def stop_session(self, id: str) -> Sessions:
        """Stop the agent (its output so far is kept) and mark the session idle."""
        await self.get_session(id)
        await self.agents.abort(id)
        updated = await self.session_repo.update(id, {"status": "idle"})
        if updated is None:
            raise NotFoundError(f"Session not found: {id}")
        return updated

    async def delete_session(self, id: str) -> bool:
        """Stop and delete the session with its messages; False if it did not exist."""
        await self.agents.abort(id)
        await self.message_repo.delete_by_session_id(id)
        return await self.session_repo.delete(id)

    async def update_session(self, id: str, data: dict[str, Any]) -> Sessions:
        """Partial update, or NotFoundError."""
        updated = await self.session_repo.update(id, data)
        if updated is None:
            raise NotFoundError(f"Session not found: {id}")
        return updated

    async def append_message(self, id: str, type_: str, data: dict[str, Any]) -> Messages:
        """Store a client-supplied message (and broadcast it)."""
        await self.get_session(id)
        return await self.agents.record(id, type_, data)

    async def get_recent_cwds(self, limit: int = 8) -> list[str]:
        """Recent working directories."""
        return await self.session_repo.get_recent_cwds(limit)
