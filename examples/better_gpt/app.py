"""Seed 004's API (`server/routes/*.ts`) as an ASGI app: Starlette + mizzle.aio on PostgreSQL.

Why Starlette: it is the ASGI toolkit the other example (webui) already uses, small and explicit, and
request bodies here are validated by mizzle's own insert models — the `insertProjectSchema.parse(req.body)`
of the seed — rather than by a framework's validation layer. A body that does not fit gets 422 with the
field named; a missing row gets 404.

    DATABASE_URL=postgresql://... uvicorn examples.better_gpt.app:app     (migrations applied at start)

Routes: POST/GET /api/projects, GET /api/projects/{id} (with chats and files, one query),
POST /api/projects/{id}/chats, GET /api/chats/{id}, POST /api/chats/{id}/messages (jsonb append),
POST /api/projects/{id}/files (file metadata), GET /api/projects/{id}/analytics.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import pydantic
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import mizzle
import mizzle.aio
from mizzle.pydantic import InsertModel, error_details, insert_model

from . import schema
from .schema import ChatMessage, Chats, Files, Projects
from .service import AsyncDatabaseService, connect

MIGRATIONS = Path(__file__).resolve().parent / "drizzle"


class SettingsIn(pydantic.BaseModel):
    """The seed's settings refinement: model, temperature 0..2, max tokens 1..32000."""

    model_config = pydantic.ConfigDict(extra="forbid")
    aiModel: str = "gpt-4"
    temperature: float = pydantic.Field(0.7, ge=0, le=2)
    maxTokens: int = pydantic.Field(4000, ge=1, le=32000)


NewProject = insert_model(Projects, omit=("id", "created_at", "updated_at"),
                          name=lambda f: f.min_length(1).max_length(255), settings=SettingsIn | None)
NewChat = insert_model(Chats, omit=("id", "project_id", "messages", "created_at", "updated_at"),
                       title=lambda f: f.min_length(1).max_length(255))
NewFile = insert_model(Files, omit=("id", "project_id", "created_at"), name=lambda f: f.min_length(1).max_length(255))


class MessageIn(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    role: Literal["user", "assistant", "system"]
    content: str = pydantic.Field(min_length=1)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, mizzle.Table):
        return {k: _jsonable(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def ok(value: Any, status: int = 200) -> Response:
    return JSONResponse(_jsonable(value), status_code=status)


def problem(status: int, message: str, errors: list[dict[str, Any]] | None = None) -> Response:
    body: dict[str, Any] = {"error": message}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status)


async def _body(request: Request, model: type[pydantic.BaseModel]) -> pydantic.BaseModel | Response:
    raw = await request.body()
    try:
        data = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return problem(400, f"the body is not JSON: {exc}")
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        return problem(422, "invalid body", error_details(exc))


def _service(request: Request) -> AsyncDatabaseService:
    svc: AsyncDatabaseService = request.app.state.service
    return svc


def _id(request: Request, name: str = "id") -> int:
    value: int = request.path_params[name]
    return value


async def create_project(request: Request) -> Response:
    body = await _body(request, NewProject)
    if isinstance(body, Response):
        return body
    assert isinstance(body, InsertModel)
    return ok(await _service(request).create_project(**body.values()), 201)


async def list_projects(request: Request) -> Response:
    return ok(await _service(request).list_projects())


async def get_project(request: Request) -> Response:
    project = await _service(request).get_project_with_chats(_id(request))
    return ok(project) if project is not None else problem(404, f"no project {_id(request)}")


async def create_chat(request: Request) -> Response:
    body = await _body(request, NewChat)
    if isinstance(body, Response):
        return body
    try:
        chat = await _service(request).create_chat(_id(request), body.model_dump()["title"])
    except mizzle.ForeignKeyViolation:
        return problem(404, f"no project {_id(request)}")
    return ok(chat, 201)


async def get_chat(request: Request) -> Response:
    chat = await _service(request).get_chat(_id(request))
    return ok(chat) if chat is not None else problem(404, f"no chat {_id(request)}")


async def add_message(request: Request) -> Response:
    body = await _body(request, MessageIn)
    if isinstance(body, Response):
        return body
    m = body.model_dump()
    message: ChatMessage = {"role": m["role"], "content": m["content"], "timestamp": datetime.now(UTC).isoformat()}
    chat = await _service(request).add_message_to_chat(_id(request), message)
    return ok(chat) if chat is not None else problem(404, f"no chat {_id(request)}")


async def add_file(request: Request) -> Response:
    body = await _body(request, NewFile)
    if isinstance(body, Response):
        return body
    data = body.model_dump()
    try:
        f = await _service(request).add_file(_id(request), data["name"], data.get("content"))
    except mizzle.ForeignKeyViolation:
        return problem(404, f"no project {_id(request)}")
    return ok(f, 201)


async def analytics(request: Request) -> Response:
    a = await _service(request).get_project_analytics(_id(request))
    if a is None:
        return problem(404, f"no project {_id(request)}")
    project = a.project if isinstance(a.project, dict) else a.project._asdict()
    return ok({"project": project, "chat_count": a.chat_count, "file_count": a.file_count,
               "last_active": a.last_active})


def create_app(database_url: str | None = None) -> Starlette:
    """The app; `database_url` defaults to $DATABASE_URL. Migrations run at start-up."""
    url = database_url or os.environ.get("DATABASE_URL", "")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if not url:
            raise RuntimeError("set DATABASE_URL to a PostgreSQL URL (e.g. postgresql://postgres@127.0.0.1/test)")
        sync_db = connect(url)
        try:
            mizzle.migrate(sync_db, MIGRATIONS)
        finally:
            sync_db.close()
        adb = await mizzle.aio.connect(url, schema=schema)
        app.state.service = AsyncDatabaseService(adb)
        try:
            yield
        finally:
            await adb.close()

    Handler = Callable[[Request], Awaitable[Response]]
    routes: list[tuple[str, Handler, list[str]]] = [
        ("/api/projects", create_project, ["POST"]),
        ("/api/projects", list_projects, ["GET"]),
        ("/api/projects/{id:int}", get_project, ["GET"]),
        ("/api/projects/{id:int}/chats", create_chat, ["POST"]),
        ("/api/projects/{id:int}/files", add_file, ["POST"]),
        ("/api/projects/{id:int}/analytics", analytics, ["GET"]),
        ("/api/chats/{id:int}", get_chat, ["GET"]),
        ("/api/chats/{id:int}/messages", add_message, ["POST"]),
    ]
    return Starlette(routes=[Route(p, h, methods=m) for p, h, m in routes], lifespan=lifespan)


app = create_app() if os.environ.get("DATABASE_URL") else None
