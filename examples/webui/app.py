"""The ASGI app (Starlette): routes, validation errors as 422, CORS, WebSocket stream, lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from mizzle.pydantic import error_details
from mizzle.session.aio import AsyncDatabase

from .config import Env
from .db import check_database_connection, close_database, open_database, run_migrations
from .repositories import MessageRepository, RepositoryError, SessionRepository, SettingsRepository
from .runner import AgentRunner, CommandLineRunner, Provider
from .services import (
    AgentService,
    ConfigService,
    ConflictError,
    Hub,
    NotFoundError,
    SessionService,
    message_json,
    session_json,
)
from .validators import MessageCreate, SessionCreate, SessionUpdate, StartSession, settings_map

log = logging.getLogger("webui")

MAX_BODY = 1 << 20  # 1 MiB


@dataclass
class Services:
    """Everything the routes use, built at start-up."""

    db: AsyncDatabase
    sessions: SessionService
    agents: AgentService
    config: ConfigService
    hub: Hub
    migrations: str


def services(request: Request | WebSocket) -> Services:
    """The app's services."""
    s: Services = request.app.state.services
    return s


class BodyTooLarge(Exception):
    """The request body exceeds MAX_BODY."""


async def body_of(request: Request, model: type[BaseModel] | None = None) -> Any:
    """The JSON body, validated by `model` (raises ValidationError; malformed JSON names `(body)`)."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise BodyTooLarge()
    if model is not None:
        return model.model_validate_json(raw or b"null")
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ValidationError.from_exception_data(
            "body", [{"type": "json_invalid", "loc": (), "input": raw[:100].decode("utf-8", "replace"),
                      "ctx": {"error": str(exc)}}]
        ) from None


def _values(m: Any) -> dict[str, Any]:
    data: dict[str, Any] = m.values()
    return data


# ---- routes: sessions --------------------------------------------------------------------------


async def list_sessions(request: Request) -> Response:
    """GET /api/sessions."""
    rows = await services(request).sessions.list_sessions()
    return JSONResponse([session_json(s) for s in rows])


async def create_session(request: Request) -> Response:
    """POST /api/sessions."""
    data = _values(await body_of(request, SessionCreate))
    session = await services(request).sessions.create_session(data)
    return JSONResponse(session_json(session), status_code=201)


async def recent_cwds(request: Request) -> Response:
    """GET /api/sessions/recent-cwds?limit=8."""
    raw = request.query_params.get("limit", "8")
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        return JSONResponse(
            {"detail": [{"field": "limit", "message": "must be an integer from 1 to 100", "type": "int_range"}]},
            status_code=422,
        )
    return JSONResponse(await services(request).sessions.get_recent_cwds(int(raw)))


async def get_session(request: Request) -> Response:
    """GET /api/sessions/{id}: the session with its history."""
    session, messages = await services(request).sessions.get_session_history(request.path_params["id"])
    return JSONResponse({"session": session_json(session), "messages": [message_json(m) for m in messages]})


async def update_session(request: Request) -> Response:
    """PATCH /api/sessions/{id}."""
    data = _values(await body_of(request, SessionUpdate))
    if not data:
        return JSONResponse(
            {"detail": [{"field": "(body)", "message": "nothing to update", "type": "empty"}]}, status_code=422
        )
    session = await services(request).sessions.update_session(request.path_params["id"], data)
    return JSONResponse(session_json(session))


async def delete_session(request: Request) -> Response:
    """DELETE /api/sessions/{id}: 204, or 404 if there was no such session."""
    deleted = await services(request).sessions.delete_session(request.path_params["id"])
    if not deleted:
        raise NotFoundError(f"Session not found: {request.path_params['id']}")
    return Response(status_code=204)


async def start_session(request: Request) -> Response:
    """POST /api/sessions/{id}/start {prompt}: 202, the agent runs in the background."""
    body = await body_of(request, StartSession)
    session = await services(request).sessions.start_session(request.path_params["id"], body.prompt)
    return JSONResponse(session_json(session), status_code=202)


async def stop_session(request: Request) -> Response:
    """POST /api/sessions/{id}/stop."""
    session = await services(request).sessions.stop_session(request.path_params["id"])
    return JSONResponse(session_json(session))


async def append_message(request: Request) -> Response:
    """POST /api/sessions/{id}/messages {type, data}."""
    data = _values(await body_of(request, MessageCreate))
    msg = await services(request).sessions.append_message(request.path_params["id"], data["type"], data["data"])
    return JSONResponse(message_json(msg), status_code=201)


# ---- routes: settings, health ------------------------------------------------------------------


async def get_settings(request: Request) -> Response:
    """GET /api/settings."""
    return JSONResponse(services(request).config.get_all())


async def set_settings(request: Request) -> Response:
    """PUT /api/settings {key: value, ...}: saved in one transaction."""
    data = settings_map(await body_of(request))
    cfg = services(request).config
    await cfg.update(data)
    return JSONResponse(cfg.get_all())


async def health(request: Request) -> Response:
    """GET /health."""
    s = services(request)
    ok = await check_database_connection(s.db)
    return JSONResponse(
        {"status": "ok" if ok else "error", "database": ok, "migrations": s.migrations},
        status_code=200 if ok else 503,
    )


# ---- websocket ------------------------------------------------------------------------------------


async def session_stream(ws: WebSocket) -> None:
    """WS /ws/sessions/{id}: the stored history, then every new message and status change live."""
    s = services(ws)
    sid = ws.path_params["id"]
    await ws.accept()
    async with s.hub.subscribe(sid) as queue:
        try:
            session, history = await s.sessions.get_session_history(sid)
        except NotFoundError as exc:
            await ws.send_json({"event": "error", "message": str(exc)})
            await ws.close(code=4404)
            return
        seen = {m.id for m in history}
        await ws.send_json({"event": "status", "session": session_json(session)})
        for m in history:
            await ws.send_json({"event": "message", "message": message_json(m)})

        async def forward() -> None:
            while True:
                ev = await queue.get()
                if ev["event"] == "message" and ev["message"]["id"] in seen:
                    continue
                await ws.send_json(ev)

        async def until_closed() -> None:
            with contextlib.suppress(WebSocketDisconnect):
                while True:
                    await ws.receive_text()

        tasks = [asyncio.create_task(forward()), asyncio.create_task(until_closed())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


# ---- errors ---------------------------------------------------------------------------------------


def _json_error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    """422 with each bad field named."""
    assert isinstance(exc, ValidationError)
    return JSONResponse({"detail": error_details(exc)}, status_code=422)


async def on_not_found(request: Request, exc: Exception) -> Response:
    """404."""
    return _json_error(404, str(exc))


async def on_conflict(request: Request, exc: Exception) -> Response:
    """409."""
    return _json_error(409, str(exc))


async def on_too_large(request: Request, exc: Exception) -> Response:
    """413."""
    return _json_error(413, f"request body larger than {MAX_BODY} bytes")


async def on_repository_error(request: Request, exc: Exception) -> Response:
    """500 naming the failed operation (the cause is logged, not sent)."""
    log.error("%s (cause: %r)", exc, exc.__cause__)
    return _json_error(500, str(exc))


# ---- the app --------------------------------------------------------------------------------------


def default_runner(env: Env) -> AgentRunner:
    """A CommandLineRunner for the configured agent command."""
    provider = Provider(
        id="configured",
        name="configured agent",
        cli=env.AGENT_COMMAND,
        auto_approve_flag=env.AGENT_AUTO_APPROVE_FLAG,
        resume_flag=env.AGENT_RESUME_FLAG,
    )
    return CommandLineRunner(provider, timeout_s=env.API_TIMEOUT_MS / 1000)


def create_app(env: Env, runner: AgentRunner | None = None) -> Starlette:
    """Build the service for `env` (the database opens and migrates in the lifespan)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = await open_database(env.DB_PATH)
        try:
            if not await check_database_connection(db):
                raise RuntimeError(f"database {env.DB_PATH} does not answer")
            how = await run_migrations(db)
            session_repo, message_repo = SessionRepository(db), MessageRepository(db)
            config = ConfigService(SettingsRepository(db))
            await config.load()
            hub = Hub()
            agents = AgentService(runner or default_runner(env), session_repo, message_repo, config, hub)
            # sessions left "running" by a crash are not running any more
            for s in await session_repo.find_by_status("running"):
                await session_repo.update(s.id, {"status": "idle"})
            sessions = SessionService(session_repo, message_repo, agents)
            app.state.services = Services(db, sessions, agents, config, hub, how)
            log.info("webui ready on %s:%s (db %s)", env.HOST, env.PORT, env.DB_PATH)
            yield
            log.info("shutting down: stopping agents, finishing writes")
            await agents.shutdown(env.SHUTDOWN_GRACE_MS / 1000)
        finally:
            await close_database(db)
            log.info("database closed")

    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        ValidationError: on_validation_error,
        NotFoundError: on_not_found,
        ConflictError: on_conflict,
        BodyTooLarge: on_too_large,
        RepositoryError: on_repository_error,
    }
    routes = [
        Route("/health", health),
        Route("/api/sessions", list_sessions, methods=["GET"]),
        Route("/api/sessions", create_session, methods=["POST"]),
        Route("/api/sessions/recent-cwds", recent_cwds, methods=["GET"]),
        Route("/api/sessions/{id}", get_session, methods=["GET"]),
        Route("/api/sessions/{id}", update_session, methods=["PATCH"]),
        Route("/api/sessions/{id}", delete_session, methods=["DELETE"]),
        Route("/api/sessions/{id}/start", start_session, methods=["POST"]),
        Route("/api/sessions/{id}/stop", stop_session, methods=["POST"]),
        Route("/api/sessions/{id}/messages", append_message, methods=["POST"]),
        Route("/api/settings", get_settings, methods=["GET"]),
        Route("/api/settings", set_settings, methods=["PUT"]),
        WebSocketRoute("/ws/sessions/{id}", session_stream),
    ]
    origins = [o.strip() for o in env.CORS_ORIGIN.split(",") if o.strip()]
    middleware = [Middleware(CORSMiddleware, allow_origins=origins, allow_methods=["*"], allow_headers=["*"])]
    return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers, lifespan=lifespan)
