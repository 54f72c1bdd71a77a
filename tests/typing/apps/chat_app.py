"""A realistic async application module over seed 004's schema (projects, chats with jsonb messages, files) on PostgreSQL.

Checked by pyright strict and mypy --strict; `tests/typing/test_apps.py` asserts that no `reveal_type`
probe here reveals `Any` in either checker, and runs `run` against a PostgreSQL database.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Literal, TypedDict, reveal_type

from pydantic import BaseModel
from pydantic import Field as PydField

import mizzle.aio
from mizzle import Field, Many, One, Selection, count, desc, eq, ilike, many, nullable, one, placeholder, sql
from mizzle.postgres import Column, Table, integer, jsonb, serial, text, timestamp, varchar
from mizzle.session.aio import AsyncDatabase


class ProjectSettings(TypedDict, total=False):
    aiModel: str
    temperature: float
    maxTokens: int


class ChatMessage(TypedDict):
    role: Literal["user", "assistant", "system"]
    content: str
    timestamp: str


class Projects(Table, name="chat_projects"):
    id: Column[int] = serial("id").primary_key()
    name: Column[str] = varchar("name", length=255).not_null()
    description: Column[str | None] = text("description")
    instructions: Column[str | None] = text("instructions")
    settings: Column[ProjectSettings | None] = jsonb("settings").default({})
    created_at: Column[datetime | None] = timestamp("created_at", with_timezone=True).default_now()
    updated_at: Column[datetime | None] = timestamp("updated_at", with_timezone=True).default_now()
    chats: Many[Chats] = many()
    files: Many[Files] = many()


class Chats(Table, name="chat_chats"):
    id: Column[int] = serial("id").primary_key()
    project_id: Column[int] = (
        integer("project_id").references(lambda: Projects.id, on_delete="cascade").not_null()
    )
    title: Column[str] = varchar("title", length=255).not_null()
    messages: Column[list[ChatMessage] | None] = jsonb("messages").default([])
    created_at: Column[datetime | None] = timestamp("created_at", with_timezone=True).default_now()
    updated_at: Column[datetime | None] = timestamp("updated_at", with_timezone=True).default_now()
    project: One[Projects] = one()


class Files(Table, name="chat_files"):
    id: Column[int] = serial("id").primary_key()
    project_id: Column[int] = (
        integer("project_id").references(lambda: Projects.id, on_delete="cascade").not_null()
    )
    name: Column[str] = varchar("name", length=255).not_null()
    content: Column[str | None] = text("content")
    created_at: Column[datetime | None] = timestamp("created_at", with_timezone=True).default_now()
    project: One[Projects] = one()


TABLES: list[type[Table]] = [Projects, Chats, Files]


class SettingsIn(BaseModel):
    aiModel: str = "gpt-4"
    temperature: float = PydField(default=0.7, ge=0, le=2)
    maxTokens: int = PydField(default=4000, ge=1, le=32000)


class NewProject(BaseModel):
    """insertProjectSchema of the seed."""

    name: str = PydField(min_length=1, max_length=255)
    description: str | None = None
    instructions: str | None = None
    settings: SettingsIn | None = None


class ProjectCard(Selection):
    id: Field[int]
    name: Field[str]
    chats: Field[int]
    last_chat: Field[str | None]


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


async def create_project(db: AsyncDatabase, body: str) -> Projects:
    data = NewProject.model_validate_json(body)
    reveal_type(data.settings)
    settings: ProjectSettings = {}
    if data.settings is not None:
        settings = {
            "aiModel": data.settings.aiModel,
            "temperature": data.settings.temperature,
            "maxTokens": data.settings.maxTokens,
        }
    project = (
        await db.insert(Projects)
        .values(
            name=data.name, description=data.description, instructions=data.instructions, settings=settings
        )
        .returning()
        .one()
    )
    reveal_type(project)
    reveal_type(project.settings)
    reveal_type(project.created_at)
    return project


async def create_chat(db: AsyncDatabase, project_id: int, title: str) -> Chats:
    chat = await db.insert(Chats).values(project_id=project_id, title=title, messages=[]).returning().one()
    reveal_type(chat)
    reveal_type(chat.messages)
    return chat


async def add_message(db: AsyncDatabase, chat_id: int, message: ChatMessage) -> Chats:
    appended = sql[list[ChatMessage] | None]("{} || {}::jsonb", Chats.messages, json.dumps([message]))
    reveal_type(appended)
    chat = await (
        db.update(Chats)
        .set(messages=appended, updated_at=datetime.now(UTC))
        .where(eq(Chats.id, chat_id))
        .returning()
        .one()
    )
    reveal_type(chat.messages)
    return chat


async def project_with_chats(db: AsyncDatabase, project_id: int) -> Projects | None:
    newest_first = Projects.chats.load(order_by=[desc(Chats.created_at), desc(Chats.id)])
    reveal_type(newest_first)
    reveal_type(Projects.files)
    q = db.query(Projects).find_first(where=eq(Projects.id, project_id), with_=[newest_first, Projects.files])
    project = await q
    reveal_type(project)
    if project is None:
        return None
    reveal_type(project.chats)
    reveal_type(project.chats[0].messages)
    reveal_type(project.files)
    return project


async def create_project_with_chat(db: AsyncDatabase, name: str, chat_title: str) -> tuple[Projects, Chats]:
    async with db.transaction() as tx:
        project = await tx.insert(Projects).values(name=name).returning().one()
        chat = await tx.insert(Chats).values(project_id=project.id, title=chat_title).returning().one()
        reveal_type(project.id)
        reveal_type(chat.project_id)
    return project, chat


async def project_cards(db: AsyncDatabase) -> list[ProjectCard]:
    rows = await (
        db.select(
            ProjectCard(
                id=Projects.id, name=Projects.name, chats=count(Chats.id), last_chat=mizzle.max_(Chats.title)
            )
        )
        .from_(Projects)
        .left_join(Chats, eq(Chats.project_id, Projects.id))
        .group_by(Projects.id)
        .order_by(Projects.id)
        .all()
    )
    reveal_type(rows)
    reveal_type(rows[0].last_chat)
    return rows


async def search(db: AsyncDatabase, term: str) -> list[tuple[str, str | None, int | None]]:
    rows = await (
        db.select(Projects.name, nullable(Chats.title), nullable(Chats.id))
        .from_(Projects)
        .left_join(Chats, eq(Chats.project_id, Projects.id))
        .where(ilike(Projects.name, f"%{term}%"))
        .order_by(Projects.name, Chats.id)
        .all()
    )
    reveal_type(rows)
    pairs = await db.select().from_(Chats).inner_join(Projects, eq(Projects.id, Chats.project_id)).all()
    reveal_type(pairs)
    reveal_type(pairs[0][1].settings)
    return rows


async def chat_history(db: AsyncDatabase, chat_id: int) -> list[ChatMessage]:
    by_id = db.select(Chats.messages).from_(Chats).where(eq(Chats.id, placeholder("id"))).prepare()
    reveal_type(by_id)
    row = await by_id.get(id=chat_id)
    reveal_type(row)
    messages = await db.select(Chats.messages).from_(Chats).where(eq(Chats.id, chat_id)).scalar()
    reveal_type(messages)
    chat = await db.query(Chats).find_first(where=eq(Chats.id, chat_id), with_=[Chats.project])
    assert chat is not None
    reveal_type(chat.project.settings)
    return messages or []


async def housekeeping(db: AsyncDatabase, project_id: int) -> int:
    f = (
        await db.insert(Files)
        .values(project_id=project_id, name="notes.md", content="# notes")
        .returning(Files.id, Files.name)
        .one()
    )
    reveal_type(f)
    deleted = await db.delete(Files).where(eq(Files.project_id, project_id)).returning().all()
    reveal_type(deleted)
    n = await db.count(Chats, eq(Chats.project_id, project_id))
    reveal_type(n)
    return n


async def run(url: str) -> None:
    """The module's flow, end to end (tests/typing/test_apps.py runs it on PostgreSQL)."""
    db = await mizzle.aio.connect(url)
    try:
        await db.create_all(TABLES)
        p = await create_project(db, '{"name": "Docs", "settings": {"temperature": 0.2}}')
        assert p.settings == {"aiModel": "gpt-4", "temperature": 0.2, "maxTokens": 4000}
        c = await create_chat(db, p.id, "first")
        msg: ChatMessage = {"role": "user", "content": "hi", "timestamp": now_iso()}
        c = await add_message(db, c.id, msg)
        c = await add_message(db, c.id, {"role": "assistant", "content": "hello", "timestamp": now_iso()})
        assert [m["content"] for m in c.messages or []] == ["hi", "hello"]
        p2, _ = await create_project_with_chat(db, "Other", "second")
        tree = await project_with_chats(db, p.id)
        assert tree is not None and tree.chats[0].title == "first" and tree.files == []
        assert await project_with_chats(db, 10_000) is None
        cards = await project_cards(db)
        assert [(c.name, c.chats) for c in cards] == [("Docs", 1), ("Other", 1)]
        await db.insert(Projects).values(name="Empty doc").run()
        found = await search(db, "doc")
        assert found == [("Docs", "first", c.id), ("Empty doc", None, None)]
        history = await chat_history(db, c.id)
        assert [m["role"] for m in history] == ["user", "assistant"]
        assert await housekeeping(db, p2.id) == 1
    finally:
        await db.close()
