"""A realistic application module over seed 001's schema (users, workspaces, members, API keys, usage logs).

Checked by pyright strict and mypy --strict; `tests/typing/test_apps.py` asserts that no `reveal_type`
probe here reveals `Any` in either checker, and runs `run_sync` / `run_async` against SQLite.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Literal, reveal_type

from pydantic import BaseModel
from pydantic import Field as PydField

import mizzle
import mizzle.aio
from mizzle import (
    Field,
    Many,
    One,
    Selection,
    and_,
    assign,
    count,
    count_distinct,
    desc,
    eq,
    excluded,
    gte,
    is_null,
    many,
    max_,
    nullable,
    one,
    placeholder,
    sum_,
)
from mizzle.session.aio import AsyncDatabase
from mizzle.session.sync import Database
from mizzle.sqlite import Column, Table, index, integer, real, text, unique_index

Plan = Literal["free", "pro", "enterprise"]
Role = Literal["owner", "admin", "member"]


def create_id() -> str:
    return "c" + secrets.token_hex(12)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class Users(Table, name="app_users"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    email: Column[str] = text("email").not_null().unique()
    name: Column[str] = text("name").not_null()
    avatar_url: Column[str | None] = text("avatar_url")
    github_id: Column[str | None] = text("github_id").unique()
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)
    memberships: Many[WorkspaceMembers] = many()
    api_keys: Many[ApiKeys] = many()


class Workspaces(Table, name="app_workspaces"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    name: Column[str] = text("name").not_null()
    slug: Column[str] = text("slug").not_null().unique()
    owner_id: Column[str] = text("owner_id").not_null().references(lambda: Users.id, on_delete="cascade")
    plan: Column[Plan] = text("plan", enum=("free", "pro", "enterprise")).not_null().default("free")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    updated_at: Column[datetime] = integer("updated_at", mode="timestamp").not_null().default_fn(now)
    owner: One[Users] = one()
    members: Many[WorkspaceMembers] = many()
    usage_logs: Many[UsageLogs] = many()


class WorkspaceMembers(Table, name="app_workspace_members"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    workspace_id: Column[str] = (
        text("workspace_id").not_null().references(lambda: Workspaces.id, on_delete="cascade")
    )
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    role: Column[Role] = text("role", enum=("owner", "admin", "member")).not_null().default("member")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    workspace: One[Workspaces] = one()
    user: One[Users] = one()

    __constraints__ = (unique_index("app_members_ws_user").on(workspace_id, user_id),)


class ApiKeys(Table, name="app_api_keys"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    name: Column[str] = text("name").not_null()
    hashed_key: Column[str] = text("hashed_key").not_null().unique()
    prefix: Column[str] = text("prefix").not_null()
    last_used_at: Column[datetime | None] = integer("last_used_at", mode="timestamp")
    expires_at: Column[datetime | None] = integer("expires_at", mode="timestamp")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    user: One[Users] = one()


class UsageLogs(Table, name="app_usage_logs"):
    id: Column[str] = text("id").primary_key().default_fn(create_id)
    user_id: Column[str] = text("user_id").not_null().references(lambda: Users.id, on_delete="cascade")
    workspace_id: Column[str | None] = text("workspace_id").references(
        lambda: Workspaces.id, on_delete="set null"
    )
    provider: Column[str] = text("provider").not_null()
    model: Column[str] = text("model").not_null()
    input_tokens: Column[int] = integer("input_tokens").not_null().default(0)
    output_tokens: Column[int] = integer("output_tokens").not_null().default(0)
    cost: Column[float] = real("cost").not_null().default(0)
    session_id: Column[str | None] = text("session_id")
    created_at: Column[datetime] = integer("created_at", mode="timestamp").not_null().default_fn(now)
    workspace: One[Workspaces | None] = one()

    __constraints__ = (index("app_usage_ws_created").on(workspace_id, created_at),)


TABLES: list[type[Table]] = [Users, Workspaces, WorkspaceMembers, ApiKeys, UsageLogs]


# --- request bodies, validated by pydantic -------------------------------------------------------


class SignUp(BaseModel):
    email: str = PydField(min_length=3, max_length=255)
    name: str = PydField(min_length=1, max_length=80)
    github_id: str | None = None


class NewWorkspace(BaseModel):
    name: str = PydField(min_length=1)
    slug: str = PydField(pattern=r"^[a-z0-9-]+$")
    plan: Plan = "free"


class UsageSummary(Selection):
    workspace: Field[str]
    requests: Field[int]
    tokens: Field[int | None]
    spent: Field[float | None]


class MemberRow(Selection):
    email: Field[str]
    role: Field[Role]


# --- the service ---------------------------------------------------------------------------------


def sign_up(db: Database, body: str) -> Users:
    data = SignUp.model_validate_json(body)
    reveal_type(data)
    reveal_type(data.github_id)
    user = (
        db.insert(Users).values(email=data.email, name=data.name, github_id=data.github_id).returning().one()
    )
    reveal_type(user)
    reveal_type(user.created_at)
    return user


def upsert_from_github(db: Database, email: str, name: str, github_id: str) -> Users:
    q = (
        db.insert(Users)
        .values(email=email, name=name, github_id=github_id)
        .on_conflict_do_update(
            target=Users.email,
            set=assign(Users, name=excluded(Users.name), github_id=github_id, updated_at=now()),
        )
    )
    row = q.returning().one()
    reveal_type(row)
    reveal_type(row.github_id)
    return row


def create_workspace(db: Database, owner: Users, body: dict[str, str]) -> Workspaces:
    data = NewWorkspace.model_validate(body)
    reveal_type(data.plan)
    with db.transaction() as tx:
        ws = (
            tx.insert(Workspaces)
            .values(name=data.name, slug=data.slug, owner_id=owner.id, plan=data.plan)
            .returning()
            .one()
        )
        reveal_type(ws)
        reveal_type(ws.plan)
        member = (
            tx.insert(WorkspaceMembers)
            .values(workspace_id=ws.id, user_id=owner.id, role="owner")
            .returning()
            .one()
        )
        reveal_type(member.role)
        with tx.transaction() as sp:
            n = sp.count(WorkspaceMembers, eq(WorkspaceMembers.workspace_id, ws.id))
            reveal_type(n)
    return ws


def add_member(db: Database, ws: Workspaces, user: Users, role: Role) -> WorkspaceMembers | None:
    row = (
        db.insert(WorkspaceMembers)
        .values(workspace_id=ws.id, user_id=user.id, role=role)
        .on_conflict_do_nothing(target=[WorkspaceMembers.workspace_id, WorkspaceMembers.user_id])
        .returning()
        .get()
    )
    reveal_type(row)
    return row


def issue_key(db: Database, user: Users, name: str) -> tuple[str, ApiKeys]:
    raw = "mz_" + secrets.token_urlsafe(24)
    key = (
        db.insert(ApiKeys)
        .values(
            user_id=user.id,
            name=name,
            hashed_key=hashlib.sha256(raw.encode()).hexdigest(),
            prefix=raw[:8],
            expires_at=now() + timedelta(days=30),
        )
        .returning()
        .one()
    )
    reveal_type(key.expires_at)
    reveal_type(key.last_used_at)
    return raw, key


def authenticate(db: Database, raw: str) -> tuple[ApiKeys, Users] | None:
    hashed = hashlib.sha256(raw.encode()).hexdigest()
    found = (
        db.select()
        .from_(ApiKeys)
        .inner_join(Users, eq(Users.id, ApiKeys.user_id))
        .where(eq(ApiKeys.hashed_key, hashed))
        .get()
    )
    reveal_type(found)
    if found is None:
        return None
    key, user = found
    reveal_type(key)
    reveal_type(user.email)
    touched = (
        db.update(ApiKeys)
        .set(last_used_at=now())
        .where(eq(ApiKeys.id, key.id))
        .returning(ApiKeys.last_used_at)
        .one()
    )
    reveal_type(touched)
    return key, user


def log_usage(
    db: Database, user: Users, ws: Workspaces | None, provider: str, model: str, tokens: tuple[int, int]
) -> None:
    res = (
        db.insert(UsageLogs)
        .values(
            user_id=user.id,
            workspace_id=ws.id if ws else None,
            provider=provider,
            model=model,
            input_tokens=tokens[0],
            output_tokens=tokens[1],
            cost=(tokens[0] + tokens[1]) * 0.000002,
        )
        .run()
    )
    reveal_type(res)
    reveal_type(res.rows_affected)


def members_of(db: Database, ws: Workspaces) -> list[MemberRow]:
    rows = (
        db.select(MemberRow(email=Users.email, role=WorkspaceMembers.role))
        .from_(WorkspaceMembers)
        .inner_join(Users, eq(Users.id, WorkspaceMembers.user_id))
        .where(eq(WorkspaceMembers.workspace_id, ws.id))
        .order_by(Users.email)
        .all()
    )
    reveal_type(rows)
    reveal_type(rows[0].role)
    return rows


def users_with_keys(db: Database) -> list[tuple[str, str | None, datetime | None]]:
    rows = (
        db.select(Users.email, nullable(ApiKeys.prefix), nullable(ApiKeys.expires_at))
        .from_(Users)
        .left_join(ApiKeys, eq(ApiKeys.user_id, Users.id))
        .order_by(Users.email)
        .all()
    )
    reveal_type(rows)
    full = db.select().from_(Users).left_join(ApiKeys, eq(ApiKeys.user_id, Users.id)).all()
    reveal_type(full)
    reveal_type(full[0][1])
    return rows


def usage_by_workspace(db: Database, since: datetime) -> list[UsageSummary]:
    tokens = sum_(UsageLogs.input_tokens)
    q = (
        db.select(
            UsageSummary(
                workspace=Workspaces.slug,
                requests=count(UsageLogs.id),
                tokens=tokens,
                spent=sum_(UsageLogs.cost),
            )
        )
        .from_(Workspaces)
        .inner_join(UsageLogs, eq(UsageLogs.workspace_id, Workspaces.id))
        .where(gte(UsageLogs.created_at, since))
        .group_by(Workspaces.slug)
        .order_by(desc(count(UsageLogs.id)))
    )
    rows = q.all()
    reveal_type(rows)
    reveal_type(rows[0].spent)
    reveal_type(tokens)
    return rows


def model_stats(db: Database) -> None:
    per_model = (
        db.select(UsageLogs.model, count(), count_distinct(UsageLogs.user_id), max_(UsageLogs.created_at))
        .from_(UsageLogs)
        .group_by(UsageLogs.model)
        .order_by(UsageLogs.model)
        .all()
    )
    reveal_type(per_model)
    total = db.select(sum_(UsageLogs.cost)).from_(UsageLogs).scalar()
    reveal_type(total)
    orphan = db.select(UsageLogs.id).from_(UsageLogs).where(is_null(UsageLogs.workspace_id)).all()
    reveal_type(orphan)
    first = db.select().from_(UsageLogs).order_by(UsageLogs.created_at).first()
    reveal_type(first)


def workspace_tree(db: Database, slug: str) -> Workspaces | None:
    ws = (
        db.query(Workspaces)
        .find_first(
            where=eq(Workspaces.slug, slug),
            with_=[Workspaces.owner, Workspaces.members.load(with_=[WorkspaceMembers.user]),
                   Workspaces.usage_logs.load(limit=10)],
        )
        .get()
    )
    reveal_type(ws)
    if ws is None:
        return None
    reveal_type(ws.owner)
    reveal_type(ws.owner.email)
    reveal_type(ws.members)
    reveal_type(ws.members[0].user.name)
    reveal_type(ws.usage_logs)
    return ws


def user_profile(db: Database, user_id: str) -> Users:
    users = db.query(Users)
    reveal_type(users)
    u = users.find_first(
        where=eq(Users.id, user_id),
        with_=[
            Users.memberships.load(with_=[WorkspaceMembers.workspace.load(with_=[Workspaces.owner])]),
            Users.api_keys.load(columns={ApiKeys.hashed_key: False}),  # never load the key hash
        ],
    ).get()
    assert u is not None
    reveal_type(u.memberships)
    reveal_type(u.memberships[0].workspace.owner.github_id)
    reveal_type(u.api_keys[0].expires_at)
    many_users = users.find_many(where=eq(Users.id, user_id), limit=5).all()
    reveal_type(many_users)
    return u


def prepared_lookups(db: Database) -> None:
    by_email = db.select().from_(Users).where(eq(Users.email, placeholder("email"))).prepare()
    reveal_type(by_email)
    u = by_email.get(email="ann@x.io")
    reveal_type(u)
    names = db.select(Users.id, Users.name).from_(Users).where(eq(Users.email, placeholder("e"))).prepare()
    reveal_type(names.all(e="ann@x.io"))


def rename_workspace(db: Database, ws: Workspaces, name: str) -> Workspaces:
    row = (
        db.update(Workspaces)
        .set(name=name, updated_at=now())
        .where(and_(eq(Workspaces.id, ws.id), eq(Workspaces.owner_id, ws.owner_id)))
        .returning()
        .one()
    )
    reveal_type(row)
    gone = db.delete(ApiKeys).where(eq(ApiKeys.user_id, ws.owner_id)).returning(ApiKeys.id).all()
    reveal_type(gone)
    return row


def sign_up_with_model(db: Database, body: str) -> Users:
    """A request body validated by the model `mizzle models` wrote (saas_models.py), inserted unchanged."""
    from saas_models import UsersInsert, UsersSelect

    data = UsersInsert.model_validate_json(body)
    reveal_type(data)
    reveal_type(data.email)
    reveal_type(data.avatar_url)
    reveal_type(data.created_at)
    reveal_type(data.to_insert())
    user = db.insert(Users).values(data.to_insert()).returning().one()
    reveal_type(user)
    out = UsersSelect.from_row(user)
    reveal_type(out.created_at)
    reveal_type(out.github_id)
    return user


def change_plan(db: Database, ws: Workspaces, body: str) -> Workspaces:
    """A partial update validated by the generated update model: only the given fields are written."""
    from saas_models import WorkspacesSelect, WorkspacesUpdate

    change = WorkspacesUpdate.model_validate_json(body)
    reveal_type(change.plan)
    reveal_type(change.to_update())
    row = db.update(Workspaces).set(change.to_update()).where(eq(Workspaces.id, ws.id)).returning().one()
    reveal_type(row)
    reveal_type(WorkspacesSelect.from_row(row).plan)
    return row


def run_sync(db: Database) -> None:
    """The module's flow, end to end (tests/typing/test_apps.py runs it on SQLite)."""
    mizzle.create_all(db, TABLES)
    ann = sign_up(db, '{"email": "ann@x.io", "name": "Ann"}')
    bob = sign_up(db, '{"email": "bob@x.io", "name": "Bob"}')
    assert upsert_from_github(db, "ann@x.io", "Ann B", "gh-ann").github_id == "gh-ann"
    ws = create_workspace(db, ann, {"name": "Acme", "slug": "acme", "plan": "pro"})
    assert add_member(db, ws, bob, "member") is not None
    assert add_member(db, ws, bob, "admin") is None
    raw, key = issue_key(db, ann, "ci")
    auth = authenticate(db, raw)
    assert auth is not None and auth[1].id == ann.id and auth[0].id == key.id
    assert authenticate(db, "nope") is None
    log_usage(db, ann, ws, "openai", "gpt-4o", (100, 50))
    log_usage(db, bob, ws, "anthropic", "claude", (10, 5))
    log_usage(db, bob, None, "anthropic", "claude", (1, 1))
    assert [m.email for m in members_of(db, ws)] == ["ann@x.io", "bob@x.io"]
    rows = users_with_keys(db)
    assert ("bob@x.io", None, None) in rows
    summary = usage_by_workspace(db, datetime(2000, 1, 1, tzinfo=UTC))
    assert summary[0].workspace == "acme" and summary[0].requests == 2 and summary[0].tokens == 110
    model_stats(db)
    tree = workspace_tree(db, "acme")
    assert tree is not None and tree.owner.email == "ann@x.io" and len(tree.members) == 2
    assert len(tree.usage_logs) == 2
    assert workspace_tree(db, "none") is None
    profile = user_profile(db, ann.id)
    assert profile.memberships[0].workspace.owner.github_id == "gh-ann"
    prepared_lookups(db)
    assert rename_workspace(db, ws, "Acme Inc").name == "Acme Inc"
    cy = sign_up_with_model(db, '{"email": "cy@x.io", "name": "Cy"}')
    assert cy.github_id is None and cy.id.startswith("c")
    changed = change_plan(db, ws, '{"plan": "enterprise"}')
    assert (changed.plan, changed.name) == ("enterprise", "Acme Inc")


async def dashboard(adb: AsyncDatabase, user_id: str) -> list[tuple[str, int]]:
    rows = await (
        adb.select(Workspaces.slug, count(WorkspaceMembers.id))
        .from_(Workspaces)
        .inner_join(WorkspaceMembers, eq(WorkspaceMembers.workspace_id, Workspaces.id))
        .group_by(Workspaces.slug)
        .all()
    )
    reveal_type(rows)
    me = await adb.query(Users).find_first(where=eq(Users.id, user_id), with_=[Users.memberships])
    reveal_type(me)
    assert me is not None
    reveal_type(me.memberships[0].role)
    logs = (
        await adb.query(UsageLogs).find_many(with_=[UsageLogs.workspace], order_by=[UsageLogs.created_at]).all()
    )
    reveal_type(logs)
    reveal_type(logs[0].workspace)
    reveal_type(UsageLogs.workspace)
    async with adb.transaction() as tx:
        k = (
            await tx.insert(ApiKeys)
            .values(user_id=user_id, name="async", hashed_key=create_id(), prefix="mz_async")
            .returning()
            .one()
        )
        reveal_type(k)
        n = await tx.count(ApiKeys)
        reveal_type(n)
    spent = (
        await adb.select(sum_(UsageLogs.cost)).from_(UsageLogs).where(eq(UsageLogs.user_id, user_id)).scalar()
    )
    reveal_type(spent)
    return rows


async def run_async(url: str, user_id: str) -> None:
    adb = await mizzle.aio.connect(url)
    reveal_type(adb)
    try:
        rows = await dashboard(adb, user_id)
        assert rows == [("acme", 2)]
    finally:
        await adb.close()
