"""`.values()` on a relational query: one tuple per root row with a value per field of the root object,
a relation being its nested object (or None / a list), the same whether the plan joined the relation as
plain columns or read it as JSON, prepared or not, sync or async, on every dialect."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from mizzle import eq, placeholder
from mizzle.session.sync import Database


@pytest.fixture
def db(make_db: Callable[..., Database], s: ModuleType) -> Database:
    db = make_db(s.ALL)
    db.insert(s.Employees).values([
        {"id": 1, "name": "boss", "manager_id": None},
        {"id": 2, "name": "mid", "manager_id": 1},
        {"id": 3, "name": "low", "manager_id": 2},
    ]).run()
    return db


# a joined one() (no where) and a JSON one() (its own where): both must give the nested object
WITHS: list[dict[str, Any]] = [{"manager": True}, {"manager": {"where": lambda e: eq(e.id, e.id)}}]


@pytest.mark.parametrize("with_", WITHS, ids=["joined", "json"])
def test_values_give_nested_objects(db: Database, s: ModuleType, with_: dict[str, Any]) -> None:
    E = s.Employees
    q = db.query(E).find_many(with_=with_, order_by=E.id)
    objects = q.all()
    assert [o.manager and o.manager.name for o in objects] == [None, "boss", "mid"]
    expected = [tuple(o) for o in objects]
    assert len(expected[0]) == len(E.__table__.columns) + 1  # the columns, then the relation
    assert q.values() == expected
    assert db.values(q) == expected
    prepared = db.query(E).find_many(where=eq(E.id, placeholder("id")), with_=with_).prepare()
    assert prepared.values(id=3) == [expected[2]]
    got = prepared.values(id=3)[0][-1]
    assert got is not None and got.name == "mid" and got.id == 2


@pytest.mark.parametrize("with_", WITHS, ids=["joined", "json"])
def test_async_values_give_nested_objects(request: pytest.FixtureRequest, db: Database, dialect_name: str,
                                          s: ModuleType, with_: dict[str, Any]) -> None:
    import mizzle.aio

    if dialect_name.startswith("libsql"):
        pytest.skip("no async libSQL driver here")
    if dialect_name == "mysql":
        pytest.importorskip("aiomysql", reason="async MySQL tests need aiomysql: pip install 'mizzle[aio]'")
    E = s.Employees
    expected = [tuple(o) for o in db.query(E).find_many(with_=with_, order_by=E.id).all()]
    url = _url(request, db, dialect_name)

    async def main() -> None:
        adb = await mizzle.aio.connect(url)
        try:
            assert await adb.query(E).find_many(with_=with_, order_by=E.id).values() == expected
        finally:
            await adb.close()

    asyncio.run(main())


def _url(request: pytest.FixtureRequest, db: Database, dialect_name: str) -> str:
    if dialect_name == "sqlite":
        path = db.execute("select file from pragma_database_list where name = 'main'")[0][0]
        if not path:
            pytest.skip("in-memory SQLite database: another connection cannot see it")
        return str(path)
    url: str = request.getfixturevalue(f"_{dialect_name}_relations").url
    return url
