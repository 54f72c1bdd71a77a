"""Relational queries (`db.query...`) are ordinary Returning builders, so they await like the rest."""

from __future__ import annotations

import asyncio
from pathlib import Path

import mizzle.aio
from mizzle import eq, relations
from mizzle.sqlite import Column, Table, integer, text


class Owners(Table, name="aio_rel_owners"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()


class Pets(Table, name="aio_rel_pets"):
    id: Column[int] = integer().primary_key()
    owner_id: Column[int] = integer().not_null().references(lambda: Owners.id)
    name: Column[str] = text().not_null()


relations(Owners, lambda r: {"pets": r.many(Pets)})
relations(Pets, lambda r: {"owner": r.one(Owners, fields=[Pets.owner_id], references=[Owners.id])})


def test_relational_queries_awaited(tmp_path: Path) -> None:
    async def body() -> None:
        db = await mizzle.aio.connect(str(tmp_path / "r.db"), schema=[Owners, Pets])
        try:
            await db.create_all([Owners, Pets])
            await db.insert(Owners).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}]).run()
            await db.insert(Pets).values([{"id": 1, "owner_id": 1, "name": "rex"}, {"id": 2, "owner_id": 1, "name": "tom"}]).run()
            owners = await db.query(Owners).find_many(with_={"pets": True}, order_by=[Owners.id]).all()
            assert [(o.name, [p.name for p in o.pets]) for o in owners] == [("ann", ["rex", "tom"]), ("bob", [])]  # type: ignore[attr-defined]
            pet = await db.query.aio_rel_pets.find_first(where=eq(Pets.id, 2), with_={"owner": True}).get()
            assert pet is not None and pet.owner.name == "ann"
            direct = await db.query(Owners).find_many(where=eq(Owners.id, 2))  # awaiting the builder itself
            assert [o.name for o in direct] == ["bob"]
            async with db.transaction() as tx:
                assert len(await tx.query(Pets).find_many().all()) == 2
        finally:
            await db.close()

    asyncio.run(body())
