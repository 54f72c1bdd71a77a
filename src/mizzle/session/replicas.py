"""Read replicas: `with_replicas(primary, [replica, ...])`.

Selects and relational queries run on a replica; writes, raw statements and everything inside a
transaction run on the primary; `.primary` forces the primary. A replica whose read fails while
the primary answers the same read is skipped for `retry_after` seconds, and that read is served by
the primary instead of failing. Replicas lag behind the primary: after a write that the next read
must see, read through `db.primary`.

The routing policy (`ReplicaSet`) is shared by the sync and async sessions; the two session classes
only say how a call is made.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar, overload

from mizzle.errors import ConfigError, DatabaseError
from mizzle.query.base import Executable, Returning, RunResult
from mizzle.query.prepared import Prepared
from mizzle.query.select import Select
from mizzle.session.aio import AsyncDatabase, AsyncPrepared
from mizzle.session.sync import Database

log = logging.getLogger("mizzle.replicas")

D = TypeVar("D")
T = TypeVar("T")

Chooser = Callable[[Sequence[D]], D]


def is_read(q: object) -> bool:
    """Whether `q` only reads: a select without a row lock, or a relational query."""
    if isinstance(q, Select):
        sel: Select[Any] = q  # pyright: ignore[reportUnknownVariableType]
        return sel._lock is None
    from mizzle.relations.query import RelationalQuery

    return isinstance(q, RelationalQuery)


class ReplicaSet(Generic[D]):
    """The primary, its replicas, the chooser, and which replicas are resting after a failure."""

    def __init__(self, primary: D, replicas: Sequence[D], choose: Chooser[D] | None, retry_after: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not replicas:
            raise ConfigError("with_replicas() needs at least one replica (or use the primary database directly)")
        self.primary = primary
        self.replicas: tuple[D, ...] = tuple(replicas)
        self.choose: Chooser[D] = choose if choose is not None else random.choice
        self.retry_after = retry_after
        self.clock = clock
        self._resting: dict[int, float] = {}  # index in replicas -> monotonic time it may be tried again

    def pick(self) -> D:
        """The database for the next read: the chooser's pick among replicas not resting, else the primary."""
        now = self.clock()
        ready = [r for i, r in enumerate(self.replicas) if self._resting.get(i, 0.0) <= now]
        if not ready:
            return self.primary
        chosen = self.choose(ready)
        if not any(chosen is r for r in self.replicas):
            raise ConfigError("with_replicas(choose=...) must return one of the replicas it is given")
        return chosen

    def rest(self, replica: D, exc: BaseException) -> None:
        """`replica` failed a read the primary could serve: skip it for `retry_after` seconds."""
        for i, r in enumerate(self.replicas):
            if r is replica:
                self._resting[i] = self.clock() + self.retry_after
                log.warning("read replica %d failed (%s); reads use the other replicas or the primary for %.0f s",
                            i, str(exc).splitlines()[0] if str(exc) else type(exc).__name__, self.retry_after)

    def resting(self) -> list[int]:
        """Indexes of the replicas being skipped now."""
        now = self.clock()
        return [i for i, until in self._resting.items() if until > now]


class ReplicatedDatabase(Database):
    """A `Database` that reads from replicas. Create it with `mizzle.with_replicas(...)`."""

    def __init__(self, primary: Database, replicas: Sequence[Database], choose: Chooser[Database] | None = None,
                 retry_after: float = 30.0) -> None:
        self.__dict__.update(primary.__dict__)  # writes, transactions and raw SQL: the primary's connection
        self.replica_set: ReplicaSet[Database] = ReplicaSet(primary, replicas, choose, retry_after)

    @property
    def primary(self) -> Database:
        """The primary: read your own writes through it."""
        return self.replica_set.primary

    @property
    def replicas(self) -> tuple[Database, ...]:
        return self.replica_set.replicas

    def _read(self, q: object, call: Callable[[Database], T]) -> T:
        rs = self.replica_set
        if self.in_transaction or not is_read(q):
            return call(rs.primary)
        target = rs.pick()
        if target is rs.primary:
            return call(target)
        try:
            return call(target)
        except DatabaseError as exc:
            out = call(rs.primary)  # raises the primary's own error when the read itself is bad
            rs.rest(target, exc)
            return out

    def all(self, q: Returning[T], values: dict[str, Any] | None = None) -> list[T]:
        return self._read(q, lambda db: Database.all(db, q, values))

    def get(self, q: Returning[T], values: dict[str, Any] | None = None) -> T | None:
        return self._read(q, lambda db: Database.get(db, q, values))

    def one(self, q: Returning[T], values: dict[str, Any] | None = None) -> T:
        return self._read(q, lambda db: Database.one(db, q, values))

    def values(self, q: Returning[Any], values: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        return self._read(q, lambda db: Database.values(db, q, values))

    def prepare(self, q: Executable[T], name: str | None = None) -> Prepared[T]:
        if not is_read(q):
            return self.primary.prepare(q, name)
        return _ReplicatedPrepared(self, q, name)


class _ReplicatedPrepared(Prepared[T]):
    """A prepared read: prepared once per database it runs on, routed per call."""

    __slots__ = ("_by_db", "_db", "_q", "name")

    def __init__(self, db: ReplicatedDatabase, q: Executable[T], name: str | None) -> None:
        self._db = db
        self._q = q
        self.name = name
        self._by_db: dict[int, Any] = {}

    def _on(self, db: Database) -> Any:
        p = self._by_db.get(id(db))
        if p is None:
            p = self._by_db[id(db)] = db.prepare(self._q, self.name)
        return p

    @property
    def sql(self) -> str:
        return str(self._on(self._db.primary).sql)

    def run(self, **values: Any) -> RunResult:
        out: RunResult = self._on(self._db.primary).run(**values)
        return out

    def all(self, **values: Any) -> list[T]:
        out: list[T] = self._db._read(self._q, lambda db: self._on(db).all(**values))
        return out

    def get(self, **values: Any) -> T | None:
        out: T | None = self._db._read(self._q, lambda db: self._on(db).get(**values))
        return out

    def one(self, **values: Any) -> T:
        out: T = self._db._read(self._q, lambda db: self._on(db).one(**values))
        return out

    def values(self, **values: Any) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = self._db._read(self._q, lambda db: self._on(db).values(**values))
        return out


class AsyncReplicatedDatabase(AsyncDatabase):
    """An `AsyncDatabase` that reads from replicas. Create it with `mizzle.with_replicas(...)`."""

    def __init__(self, primary: AsyncDatabase, replicas: Sequence[AsyncDatabase],
                 choose: Chooser[AsyncDatabase] | None = None, retry_after: float = 30.0) -> None:
        self.__dict__.update(primary.__dict__)
        self.replica_set: ReplicaSet[AsyncDatabase] = ReplicaSet(primary, replicas, choose, retry_after)

    @property
    def primary(self) -> AsyncDatabase:
        """The primary: read your own writes through it."""
        return self.replica_set.primary

    @property
    def replicas(self) -> tuple[AsyncDatabase, ...]:
        return self.replica_set.replicas

    async def _read(self, q: object, call: Callable[[AsyncDatabase], Any]) -> Any:
        rs = self.replica_set
        if self.in_transaction or not is_read(q):
            return await call(rs.primary)
        target = rs.pick()
        if target is rs.primary:
            return await call(target)
        try:
            return await call(target)
        except DatabaseError as exc:
            out = await call(rs.primary)
            rs.rest(target, exc)
            return out

    async def all(self, q: Returning[T], values: dict[str, Any] | None = None) -> list[T]:
        out: list[T] = await self._read(q, lambda db: AsyncDatabase.all(db, q, values))
        return out

    async def get(self, q: Returning[T], values: dict[str, Any] | None = None) -> T | None:
        out: T | None = await self._read(q, lambda db: AsyncDatabase.get(db, q, values))
        return out

    async def one(self, q: Returning[T], values: dict[str, Any] | None = None) -> T:
        out: T = await self._read(q, lambda db: AsyncDatabase.one(db, q, values))
        return out

    async def values(self, q: Returning[Any], values: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = await self._read(q, lambda db: AsyncDatabase.values(db, q, values))
        return out

    def prepare(self, q: Executable[T], name: str | None = None) -> AsyncPrepared[T]:
        if not is_read(q):
            return self.primary.prepare(q, name)
        return _AsyncReplicatedPrepared(self, q, name)  # type: ignore[return-value]  # same interface


class _AsyncReplicatedPrepared(Generic[T]):
    def __init__(self, db: AsyncReplicatedDatabase, q: Executable[T], name: str | None) -> None:
        self._db = db
        self._q = q
        self._name = name
        self._by_db: dict[int, Any] = {}

    def _on(self, db: AsyncDatabase) -> Any:
        p = self._by_db.get(id(db))
        if p is None:
            p = self._by_db[id(db)] = db.prepare(self._q, self._name)
        return p

    @property
    def sql(self) -> str:
        return str(self._on(self._db.primary).sql)

    async def all(self, **values: Any) -> list[T]:
        out: list[T] = await self._db._read(self._q, lambda db: self._on(db).all(**values))
        return out

    async def get(self, **values: Any) -> T | None:
        out: T | None = await self._db._read(self._q, lambda db: self._on(db).get(**values))
        return out

    async def one(self, **values: Any) -> T:
        out: T = await self._db._read(self._q, lambda db: self._on(db).one(**values))
        return out

    async def values(self, **values: Any) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = await self._db._read(self._q, lambda db: self._on(db).values(**values))
        return out


@overload
def with_replicas(primary: Database, replicas: Sequence[Database], choose: Chooser[Database] | None = None, *,
                  retry_after: float = 30.0) -> ReplicatedDatabase: ...
@overload
def with_replicas(primary: AsyncDatabase, replicas: Sequence[AsyncDatabase],
                  choose: Chooser[AsyncDatabase] | None = None, *, retry_after: float = 30.0) -> AsyncReplicatedDatabase: ...
def with_replicas(primary: Any, replicas: Any, choose: Any = None, *, retry_after: float = 30.0) -> Any:
    """A database that sends selects and relational queries to `replicas`, everything else to `primary`.

    `choose(replicas)` picks the replica for a read (default: at random among those not resting after a
    failure). Inside a transaction every statement runs on the primary; `db.primary` forces it (read
    your own writes: replicas lag). Works for sync (`mizzle.connect`) and async (`mizzle.aio.connect`)
    databases alike; all of them must be of one kind.
    """
    everyone = [primary, *replicas]
    if all(isinstance(d, AsyncDatabase) for d in everyone):
        return AsyncReplicatedDatabase(primary, replicas, choose, retry_after)
    if all(isinstance(d, Database) for d in everyone):
        return ReplicatedDatabase(primary, replicas, choose, retry_after)
    raise ConfigError("with_replicas(): the primary and the replicas must all be sync (mizzle.connect) or all "
                      "async (mizzle.aio.connect) databases")
