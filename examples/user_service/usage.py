"""Usage logs: record each model request; aggregate per workspace per day, per model, per API key; top consumers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from types import ModuleType
from typing import Any, cast

from mizzle import SQL, and_, coalesce, count, date_of, desc, eq, gte, lt, sql, sum_
from mizzle.session.sync import Database

from . import schema
from .schema import UsageLogs, Users, now


@dataclass(frozen=True)
class Totals:
    """Aggregates of a group of requests."""

    key: str
    requests: int
    input_tokens: int
    output_tokens: int
    cost: float
    avg_latency_ms: float


class UsageService:
    """Record requests and answer "how much, by whom, on what" over a date range."""

    def __init__(self, db: Database, tables: ModuleType = schema, clock: Callable[[], datetime] = now) -> None:
        self.db = db
        self.logs = cast("type[UsageLogs]", tables.UsageLogs)
        self.users = cast("type[Users]", tables.Users)
        self.clock = clock

    def log(self, *, user_id: str, workspace_id: str | None, provider: str, model: str, input_tokens: int,
            output_tokens: int, cost: float, latency_ms: int, api_key_id: str | None = None,
            session_id: str | None = None, at: datetime | None = None) -> str:
        """Record one request; returns its id."""
        row = self.db.insert(self.logs).values(
            user_id=user_id, workspace_id=workspace_id, provider=provider, model=model, input_tokens=input_tokens,
            output_tokens=output_tokens, cost=cost, latency_ms=latency_ms, api_key_id=api_key_id,
            session_id=session_id, created_at=at or self.clock(),
        ).returning(self.logs.id).one()
        return row[0]

    def _in_range(self, workspace_id: str, start: datetime, end: datetime) -> SQL[bool]:
        u = self.logs
        return and_(eq(u.workspace_id, workspace_id), gte(u.created_at, start), lt(u.created_at, end))

    def _totals(self, key: SQL[Any] | Any, cond: SQL[bool]) -> list[Totals]:
        u = self.logs
        rows = self.db.select(
            key, count(), coalesce(sum_(u.input_tokens), 0), coalesce(sum_(u.output_tokens), 0),
            coalesce(sum_(u.cost), 0.0), sql[float]("avg({})", u.latency_ms),
        ).from_(u).where(cond).group_by(key).order_by(key).all()
        return [Totals(str(k), n, int(i), int(o), float(c), float(lat or 0)) for k, n, i, o, c, lat in rows]

    def per_day(self, workspace_id: str, start: datetime, end: datetime) -> list[Totals]:
        """One row per day (UTC, `YYYY-MM-DD`) of [start, end)."""
        return self._totals(self._day(), self._in_range(workspace_id, start, end))

    def per_model(self, workspace_id: str, start: datetime, end: datetime) -> list[Totals]:
        """One row per model."""
        return self._totals(self.logs.model, self._in_range(workspace_id, start, end))

    def per_api_key(self, workspace_id: str, start: datetime, end: datetime) -> list[Totals]:
        """One row per API key (requests made without a key are grouped under '')."""
        return self._totals(coalesce(self.logs.api_key_id, ""), self._in_range(workspace_id, start, end))

    def top_consumers(self, workspace_id: str, start: datetime, end: datetime, limit: int = 5
                      ) -> list[tuple[str, float, int]]:
        """(email, cost, requests) of the users who spent most, most first."""
        u, users = self.logs, self.users
        cost = coalesce(sum_(u.cost), 0.0)
        rows = self.db.select(users.email, cost, count()).from_(u).inner_join(users, eq(users.id, u.user_id)) \
            .where(self._in_range(workspace_id, start, end)).group_by(users.email) \
            .order_by(desc(cost), users.email).limit(limit).all()
        return [(e, float(c), n) for e, c, n in rows]

    def _day(self) -> SQL[date]:
        # the UTC day of each request, whatever the database stores (unix seconds, TIMESTAMP)
        return date_of(self.logs.created_at)


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00 UTC, the day after last 00:00 UTC)."""
    from datetime import UTC, timedelta

    return (datetime(first.year, first.month, first.day, tzinfo=UTC),
            datetime(last.year, last.month, last.day, tzinfo=UTC) + timedelta(days=1))
