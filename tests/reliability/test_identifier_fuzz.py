"""Fuzzed identifiers (quotes, backticks, semicolons, spaces, unicode, reserved words) through
generate -> migrate -> pull -> generate on every dialect: no injected statement runs, pull round-trips
(the pulled schema module declares the same tables), and generating from it finds no change.

Examples per dialect: MIZZLE_FUZZ_EXAMPLES (default 6; scripts/reliability.sh runs more).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from crash import fresh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rel_helpers import Target, record

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.codegen import pull

EXAMPLES = int(os.environ.get("MIZZLE_FUZZ_EXAMPLES", "6"))
RESERVED = ["select", "order", "table", "group", "from", "drop", "key", "index", "user", "default", "check"]
CHARS = list("abcXYZ_0 \"`';-(),.é中🙂$\\")


def _name() -> st.SearchStrategy[str]:
    return st.sampled_from(RESERVED) | st.text(st.sampled_from(CHARS), min_size=1, max_size=10).filter(
        lambda s: s.strip() == s and s.strip() != "")


def _load(source: str, folder: Path) -> list[type[Any]]:
    path = folder / "pulled_schema.py"
    path.write_text(source, encoding="utf-8")
    name = f"_pulled_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return [v for v in vars(module).values() if isinstance(v, type) and "__table__" in vars(v)]


def _round_trip(target: Target, table: str, columns: list[str], index: str) -> None:
    mod = target.mod
    rules = mod.Table.__identifiers__
    if any(rules.problem(n) for n in [table, index, *columns]):
        return  # refused at definition (tested in test_identifier_injection)
    ns: dict[str, Any] = {"id": mod.integer("id").primary_key()}
    for i, c in enumerate(columns):
        ns[f"c{i}"] = mod.text(c)
    ns["__indexes__"] = lambda t: (mod.index(index).on(t.c0),)
    tables = [type("Fuzzed", (mod.Table,), ns, name=table)]
    with fresh(target) as t, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "migrations"
        db = t.connect()
        try:
            db.execute("CREATE TABLE aaa_victim (id integer primary key)")
            generate(tables, folder)
            mizzle.migrate(db, folder)
            assert t.tables(db) == {"aaa_victim", table}, "an injected statement ran"
            assert t.columns(db, table) == ["id", *columns]
            source, _snap = pull(db)
            pulled = _load(source, Path(tmp))
            assert [p.__table__.name for p in pulled if p.__table__.name != "aaa_victim"] == [table]
            mine = next(p for p in pulled if p.__table__.name == table)
            assert [c.name for c in mine.__table__.columns.values()] == ["id", *columns]
            assert [ix.name for ix in mine.__table__.indexes] == [index]
            again = generate([p for p in pulled if p.__table__.name == table], folder)
            assert not again.changed, f"spurious diff after pull: {again.sql}"
            record("fuzz", dialect=target.kind, names=2 + len(columns), injections=0)
        finally:
            db.close()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=_name(), columns=st.lists(_name(), min_size=1, max_size=3), index=_name())
def test_fuzzed_identifiers_round_trip(target: Target, table: str, columns: list[str], index: str) -> None:
    folded = {n.casefold() for n in columns} | {"id"}
    if (len(folded) != len(columns) + 1 or index.casefold() in (table.casefold(), "aaa_victim")
            or table.casefold() == "aaa_victim" or "drizzle" in table):
        return  # names that collide (tables and indexes share a namespace; MySQL and SQLite ignore case)
    _round_trip(target, table, columns, index)
