"""with_replicas routing rules on real SQLite files standing in for a primary and its replicas: each file
holds a row naming itself, so every read shows which database served it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest

import mizzle
import mizzle.aio
from mizzle import eq, placeholder, relations, with_replicas
from mizzle.sqlite import Column, Table, integer, text


class Nodes(Table, name="nodes"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class Tags(Table, name="tags"):
    id: Column[int] = integer().primary_key()
    node_id: Column[int] = integer().not_null().references(lambda: Nodes.id)


relations(Nodes, lambda r: {"tags": r.many(Tags)})


def _make(path: Path, name: str) -> mizzle.Database:
    db = mizzle.connect(f"sqlite:///{path}")
    mizzle.create_all(db, [Nodes, Tags])
    db.insert(Nodes).values(id=1, name=name).run()
    return db


@pytest.fixture
def dbs(tmp_path: Path) -> tuple[mizzle.Database, list[mizzle.Database]]:
    return _make(tmp_path / "p.db", "primary"), [_make(tmp_path / f"r{i}.db", f"replica{i}") for i in (1, 2)]


def _served(db: mizzle.Database) -> str:
    return db.select(Nodes.name).from_(Nodes).where(eq(Nodes.id, 1)).one()[0]


def test_reads_go_to_replicas_writes_and_transactions_to_the_primary(
        dbs: tuple[mizzle.Database, list[mizzle.Database]]) -> None:
    primary, replicas = dbs
    db = with_replicas(primary, replicas)
    assert {_served(db) for _ in range(60)} == {"replica1", "replica2"}  # random choice reaches both
    assert db.select().from_(Nodes).all()[0].name.startswith("replica")
    assert db.query(Nodes).find_first(with_={"tags": True}).get().name.startswith("replica")  # type: ignore[union-attr]
    assert _served(db.primary) == "primary"

    db.insert(Nodes).values(id=2, name="written").run()             # writes: the primary
    assert primary.count(Nodes) == 2 and all(r.count(Nodes) == 1 for r in replicas)
    assert db.update(Nodes).set(name="w2").where(eq(Nodes.id, 2)).returning().one().name == "w2"

    with db.transaction() as tx:                                       # everything in a transaction: the primary
        assert _served(tx) == "primary"
        assert _served(db) == "primary"                                # the same session, inside the block
    assert _served(db).startswith("replica")
    locked = db.select(Nodes.name).from_(Nodes).for_update()           # a locking read is a write's first half
    assert db.all(locked) == [("primary",), ("w2",)]
    assert db.execute("select name from nodes where id = 1") == [("primary",)]  # raw SQL: the primary


def test_chooser_and_prepared_reads(dbs: tuple[mizzle.Database, list[mizzle.Database]]) -> None:
    primary, replicas = dbs
    picks: list[int] = []

    def second(candidates: Sequence[mizzle.Database]) -> mizzle.Database:
        picks.append(len(candidates))
        return candidates[-1]

    db = with_replicas(primary, replicas, choose=second)
    assert _served(db) == "replica2" and picks == [2]
    by_id = db.select(Nodes.name).from_(Nodes).where(eq(Nodes.id, placeholder("id"))).prepare()
    assert by_id.all(id=1) == [("replica2",)]
    ins = db.insert(Nodes).values(id=placeholder("id"), name="p").prepare()
    ins.run(id=5)
    assert primary.count(Nodes) == 2
    bad = with_replicas(primary, replicas, choose=lambda c: primary)
    with pytest.raises(mizzle.ConfigError, match="must return one of the replicas"):
        _served(bad)


def test_a_failing_replica_is_skipped_and_reads_fall_back(
        dbs: tuple[mizzle.Database, list[mizzle.Database]], tmp_path: Path) -> None:
    primary, replicas = dbs
    replicas[0].execute("drop table tags")
    replicas[0].execute("drop table nodes")                            # replica 1 can no longer serve reads
    db = with_replicas(primary, replicas[:1], retry_after=60)
    assert _served(db) == "primary"                                    # served by the primary, not an error
    assert db.replica_set.resting() == [0]
    assert _served(db) == "primary"                                    # skipped while resting: not even tried
    # a read that is wrong everywhere raises the primary's error and does not rest a healthy replica
    healthy = with_replicas(primary, replicas[1:])
    with pytest.raises(mizzle.DatabaseError):
        healthy.all(healthy.select().from_(Nodes).where(eq(Nodes.name, mizzle.sql("no_such_column"))))
    assert healthy.replica_set.resting() == []


def test_kinds_must_match(dbs: tuple[mizzle.Database, list[mizzle.Database]], tmp_path: Path) -> None:
    primary = dbs[0]
    with pytest.raises(mizzle.ConfigError, match="at least one replica"):
        with_replicas(primary, [])

    async def mixed() -> None:
        adb = await mizzle.aio.connect(f"sqlite:///{tmp_path / 'r1.db'}")
        try:
            with pytest.raises(mizzle.ConfigError, match="all be sync"):
                with_replicas(primary, [adb])  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
        finally:
            await adb.close()

    asyncio.run(mixed())


def test_async_routing(dbs: tuple[mizzle.Database, list[mizzle.Database]], tmp_path: Path) -> None:
    async def main() -> None:
        primary = await mizzle.aio.connect(f"sqlite:///{tmp_path / 'p.db'}")
        replica = await mizzle.aio.connect(f"sqlite:///{tmp_path / 'r1.db'}")
        db = with_replicas(primary, [replica])
        try:
            row = await db.select(Nodes.name).from_(Nodes).where(eq(Nodes.id, 1)).one()
            assert row == ("replica1",)
            await db.insert(Nodes).values(id=3, name="x").run()
            assert await primary.count(Nodes) == 2
            async with db.transaction() as tx:
                assert await tx.select(Nodes.name).from_(Nodes).where(eq(Nodes.id, 1)).one() == ("primary",)
            p = db.select(Nodes.name).from_(Nodes).where(eq(Nodes.id, placeholder("id"))).prepare()
            assert await p.all(id=1) == [("replica1",)]
            assert (await db.primary.select(Nodes.name).from_(Nodes).where(eq(Nodes.id, 1)).one()) == ("primary",)
        finally:
            await primary.close()
            await replica.close()

    asyncio.run(main())
