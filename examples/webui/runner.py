"""Pluggable agent runners. `CommandLineRunner` starts a configured CLI agent and streams its output lines.

A `Provider` describes a command-line agent the way seed 002's `providers` rows do (`cli`,
`auto_approve_flag`, `resume_flag`); the prompt is passed as the last argument. Each stdout
line becomes an event: a JSON object line keeps its `type` (e.g. `{"type": "result", ...}`),
any other line is `{"type": "assistant", "text": line}`; stderr lines are `stderr` events;
the exit is an `exit` event with the return code.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
import signal
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

MAX_LINE = 1 << 20  # lines longer than 1 MiB are split


@dataclass(frozen=True, slots=True)
class Provider:
    """A command-line agent (seed 002's `providers` table)."""

    id: str
    name: str
    cli: str
    auto_approve_flag: str | None = None
    resume_flag: str | None = None


@dataclass(frozen=True, slots=True)
class AgentRequest:
    """What to run."""

    session_id: str
    prompt: str
    cwd: str | None = None
    resume_id: str | None = None
    env: Mapping[str, str] = field(default_factory=dict[str, str])


@dataclass(frozen=True, slots=True)
class AgentEvent:
    """One thing the agent said."""

    type: str
    data: dict[str, Any]


class AgentProcess(Protocol):
    """A running agent: iterate `events()` until it ends; `stop()` asks it to finish early."""

    def events(self) -> AsyncIterator[AgentEvent]:
        """The agent's events, ending when it exits."""
        ...

    async def stop(self) -> None:
        """Ask the agent to stop (its remaining output is still delivered)."""
        ...


class AgentRunner(Protocol):
    """Starts agents."""

    async def start(self, request: AgentRequest) -> AgentProcess:
        """Start an agent for `request`."""
        ...


def parse_line(line: str) -> AgentEvent:
    """A JSON object line keeps its own `type`; anything else is assistant text."""
    text = line.rstrip("\r\n")
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            data: dict[str, Any] = {str(k): v for k, v in obj.items()}  # pyright: ignore[reportUnknownVariableType, reportUnknownArgumentType]
            kind = data.pop("type", "assistant")
            return AgentEvent(str(kind), data)
    return AgentEvent("assistant", {"text": text})


class _Subprocess:
    def __init__(self, proc: asyncio.subprocess.Process, timeout_s: float) -> None:
        self.proc = proc
        self.timeout_s = timeout_s
        self._stopping = False

    async def events(self) -> AsyncIterator[AgentEvent]:
        queue: asyncio.Queue[AgentEvent | None] = asyncio.Queue()

        async def pump(stream: asyncio.StreamReader | None, stderr: bool) -> None:
            try:
                while stream is not None:
                    try:
                        raw = await stream.readuntil(b"\n")
                    except asyncio.IncompleteReadError as e:
                        raw = e.partial
                    except asyncio.LimitOverrunError as e:
                        raw = await stream.read(e.consumed)
                    if not raw:
                        break
                    line = raw.decode("utf-8", "replace")
                    if stderr:
                        await queue.put(AgentEvent("stderr", {"text": line.rstrip("\r\n")}))
                    else:
                        await queue.put(parse_line(line))
            finally:
                await queue.put(None)

        readers = [
            asyncio.create_task(pump(self.proc.stdout, False)),
            asyncio.create_task(pump(self.proc.stderr, True)),
        ]
        open_streams = 2
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s
        timed_out = False
        try:
            while open_streams:
                try:
                    ev = await asyncio.wait_for(queue.get(), max(deadline - loop.time(), 0.0))
                except TimeoutError:
                    timed_out = True
                    await self._terminate()
                    break
                if ev is None:
                    open_streams -= 1
                else:
                    yield ev  # no timeout is armed while the consumer handles the event
            code = await self.proc.wait()
            if timed_out:
                yield AgentEvent("error", {"text": f"agent timed out after {self.timeout_s:g} s"})
        finally:
            for r in readers:
                r.cancel()
            if self.proc.returncode is None:
                await self._terminate()
        yield AgentEvent("exit", {"code": code, "stopped": self._stopping})

    async def _terminate(self) -> None:
        if self.proc.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(asyncio.shield(self.proc.wait()), 2.0)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            await self.proc.wait()

    async def stop(self) -> None:
        self._stopping = True
        await self._terminate()


class CommandLineRunner:
    """Runs `provider.cli [auto-approve] [resume <id>] <prompt>` in the session's directory."""

    def __init__(self, provider: Provider, *, auto_approve: bool = True, timeout_s: float = 600.0) -> None:
        self.provider = provider
        self.auto_approve = auto_approve
        self.timeout_s = timeout_s

    def argv(self, request: AgentRequest) -> list[str]:
        """The command line for a request."""
        p = self.provider
        args = shlex.split(p.cli)
        if self.auto_approve and p.auto_approve_flag:
            args += shlex.split(p.auto_approve_flag)
        if request.resume_id and p.resume_flag:
            args += [*shlex.split(p.resume_flag), request.resume_id]
        return [*args, request.prompt]

    async def start(self, request: AgentRequest) -> AgentProcess:
        """Spawn the agent (its own process group, so stop() reaches its children too)."""
        cwd = request.cwd if request.cwd and os.path.isdir(request.cwd) else None
        proc = await asyncio.create_subprocess_exec(
            *self.argv(request),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=cwd,
            env={**os.environ, **request.env},
            start_new_session=True,
            limit=MAX_LINE,
        )
        return _Subprocess(proc, self.timeout_s)
