"""Views in the migration kit: generate (byte-identical to drizzle-kit 0.31 where it has the same view),
migrate, push, pull and export, on real databases."""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from kit_helpers import FIX, load_module

import mizzle
from _servers import throwaway_database
from mizzle.cli.main import main
from mizzle.kit.api import apply_push, export_sql, generate, migrate, plan_push
from mizzle.kit.codegen import pull
from mizzle.kit.diff import AmbiguityError, Answers
from mizzle.kit.from_schema import load_schema
from mizzle.kit.snapshot import EMPTY_ID, read_snapshot

# ---- byte identity with drizzle-kit --------------------------------------------------------------

FIXTURES = [("views_sqlite", "views_sqlite"), ("views_pg", "views_pg"), ("views_pg_options", "views_pg_options"),
            ("views_mysql", "views_mysql")]


def _same_snapshot(ours: str, theirs: str) -> None:
    a, b = json.loads(ours), json.loads(theirs)
    assert ours.replace(a["id"], b["id"]).replace(a["prevId"], b["prevId"]) == theirs


@pytest.mark.parametrize(("fixture", "schema"), FIXTURES)
@pytest.mark.parametrize("resolve", ["hints", "answers"])
def test_generate_is_byte_identical_to_drizzle_kit(fixture: str, schema: str, resolve: str, tmp_path: Path) -> None:
    steps = load_module(schema)
    ref = FIX / fixture
    answers = Answers.from_flags(creates=["user_posts"])
    if resolve == "answers":
        answers = Answers.from_flags(renames=["active_users=enabled_users", "active_members=enabled_members"],
                                     creates=["user_posts"])
    prev = EMPTY_ID
    for step, name in enumerate(steps.STEPS, 1):
        r = generate(steps.tables(step, hints=resolve == "hints"), tmp_path, name=name, resolver=answers)
        assert r.sql == (ref / f"{r.tag}.sql").read_text(encoding="utf-8"), r.tag
        assert r.snapshot_path is not None
        ours = r.snapshot_path.read_text(encoding="utf-8")
        _same_snapshot(ours, (ref / "meta" / r.snapshot_path.name).read_text(encoding="utf-8"))
        assert json.loads(ours)["prevId"] == prev
        prev = json.loads(ours)["id"]
    # drizzle-kit's own folder, then mizzle's generate: nothing to do
    assert not generate(steps.tables(len(steps.STEPS)), ref, write=False).changed


def test_a_view_rename_is_never_guessed(tmp_path: Path) -> None:
    steps = load_module("views_sqlite")
    generate(steps.tables(1), tmp_path, resolver=Answers.from_flags(creates=["user_posts"]))
    generate(steps.tables(2), tmp_path, resolver=Answers.from_flags(creates=["user_posts"]))
    with pytest.raises(AmbiguityError, match=r"view 'enabled_users' is new and view\(s\) 'active_users' vanished"):
        generate(steps.tables(3), tmp_path)


# ---- round trip on every dialect ----------------------------------------------------------------

DIALECTS = ["sqlite", "postgres", "mysql"]


@pytest.fixture(params=DIALECTS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database of each dialect."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.db'}"
        return
    with throwaway_database(request.param, prefix="mizzle_views_") as u:
        yield u


def _schema_source(dialect: str) -> str:
    return textwrap.dedent(f'''
        from mizzle import eq, select
        from mizzle.{dialect} import Column, Table, integer, text

        class Users(Table, name="users"):
            id: Column[int] = integer().primary_key()
            name: Column[str] = text().not_null()
            age: Column[int | None] = integer()

        class Named(Table, name="named", view=select(Users.id, Users.name).from_(Users).where(eq(Users.age, 30))):
            id: Column[int] = integer().not_null()
            name: Column[str] = text().not_null()

        class Adults(Table, name="adults", view="select id, name from users where age >= 18"):
            id: Column[int] = integer().not_null()
            name: Column[str] = text().not_null()
        ''')


def _module(path: Path, source: str) -> ModuleType:
    path.write_text(source, encoding="utf-8")
    name = f"_views_rt_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _dialect_of(url: str) -> str:
    return url.split(":", 1)[0].replace("postgresql", "postgres")


def test_round_trip(url: str, tmp_path: Path) -> None:
    dialect = _dialect_of(url)
    schema = _module(tmp_path / "schema.py", _schema_source(dialect))
    tables = load_schema([schema])
    out = tmp_path / "drizzle"
    r = generate(tables, out, name="init")
    assert r.sql.count("CREATE ") == 3 and r.sql.count("VIEW ") == 2
    db = mizzle.connect(url)
    try:
        migrate(db, out)
        db.insert(schema.Users).values([{"id": 1, "name": "ann", "age": 30}, {"id": 2, "name": "cy", "age": 9}]).run()
        rows: list[Any] = db.select().from_(schema.Named).all()
        assert [(row.id, row.name) for row in rows] == [(1, "ann")]
        assert db.select(schema.Adults.name).from_(schema.Adults).all() == [("ann",)]
        known = getattr(read_snapshot(r.snapshot_path), "views", {}) if r.snapshot_path else None
        source, _snap = pull(db, known_views=known)
        assert 'view="' in source or "view='" in source
        pulled = load_schema([_module(tmp_path / "pulled.py", source)])
        assert sorted(t.__table__.name for t in pulled) == ["adults", "named", "users"]
        again = generate(pulled, out, write=False)
        assert not again.changed, again.sql
        assert plan_push(db, tables).empty
    finally:
        db.close()


def test_push_creates_changes_and_drops_views(url: str, tmp_path: Path) -> None:
    dialect = _dialect_of(url)
    schema = _module(tmp_path / "schema.py", _schema_source(dialect))
    tables = load_schema([schema])
    db = mizzle.connect(url)
    try:
        p = plan_push(db, tables)
        assert len([s for s in p.sql if s.startswith("CREATE") and "VIEW " in s]) == 2
        apply_push(db, p)
        assert plan_push(db, tables).empty
        db.execute("create view stray as select id from users")
        p = plan_push(db, tables, resolver=Answers.from_flags())
        assert any("DROP VIEW" in s and "stray" in s for s in p.sql), p.sql
        apply_push(db, p)
        assert plan_push(db, tables).empty
        changed = _module(tmp_path / "schema2.py", _schema_source(dialect).replace(">= 18", ">= 21"))
        p = plan_push(db, load_schema([changed]))
        assert any(">= 21" in s and "VIEW" in s for s in p.sql), p.sql
        apply_push(db, p)
        db.insert(changed.Users).values([{"id": 7, "name": "dee", "age": 19}]).run()
        assert db.select(changed.Adults.name).from_(changed.Adults).all() == []
    finally:
        db.close()


def test_export_includes_the_views(url: str, tmp_path: Path) -> None:
    schema = _module(tmp_path / "schema.py", _schema_source(_dialect_of(url)))
    text = export_sql(load_schema([schema]))
    assert text.index("CREATE TABLE") < text.index("VIEW ")
    assert text.count("VIEW ") == 2


# ---- SQLite table rebuilds keep the views that read the table ------------------------------------


def test_a_table_rebuild_drops_and_recreates_the_views_reading_it(tmp_path: Path) -> None:
    from mizzle import select
    from mizzle.sqlite import Column, Table, integer, text

    def schema(step: int) -> list[type[Table]]:
        class RbUsers(Table, name="rb_users"):
            id: Column[int] = integer().primary_key()
            name: Column[str] = text().not_null() if step == 1 else text()

        class RbNames(Table, name="rb_names", view=select(RbUsers.name).from_(RbUsers)):
            name: Column[str | None] = text()

        return [RbUsers, RbNames]

    out = tmp_path / "drizzle"
    generate(schema(1), out)
    r = generate(schema(2), out)
    assert "__new_rb_users" in r.sql
    assert r.sql.index("DROP VIEW `rb_names`") < r.sql.index("CREATE TABLE `__new_rb_users`")
    assert r.sql.rindex("CREATE VIEW `rb_names`") > r.sql.index("RENAME TO `rb_users`")
    db = mizzle.connect(f"sqlite:///{tmp_path / 'rb.db'}")
    try:
        migrate(db, out)
        db.execute("insert into rb_users (id, name) values (1, null)")
        assert db.execute("select name from rb_names") == [(None,)]
    finally:
        db.close()


# ---- the CLI ------------------------------------------------------------------------------------


def test_cli_generate_migrate_pull(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.py").write_text(_schema_source("sqlite"), encoding="utf-8")
    (tmp_path / "mizzle.toml").write_text('schema = "schema.py"\nout = "drizzle"\nurl = "sqlite:///app.db"\n')
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    assert "CREATE VIEW `named` AS" in "".join(p.read_text() for p in (tmp_path / "drizzle").glob("*.sql"))
    capsys.readouterr()
    assert main(["--no-color", "check"]) == 0  # up -> down -> up with rows seeded into the tables, not the views
    checked = capsys.readouterr()
    assert "could not seed" not in checked.out + checked.err, checked
    assert main(["--no-color", "migrate"]) == 0
    assert main(["--no-color", "pull", "--out", "pulled.py"]) == 0
    assert "class Named(Table, name='named', view=" in (tmp_path / "pulled.py").read_text() or \
        'class Named(Table, name="named", view=' in (tmp_path / "pulled.py").read_text()
    assert main(["--no-color", "export"]) == 0
    assert "CREATE VIEW `adults` AS select id, name from users where age >= 18;" in capsys.readouterr().out


# ---- PostgreSQL: materialized views -------------------------------------------------------------


def test_materialized_view_round_trip_and_refresh(tmp_path: Path) -> None:
    steps = load_module("views_pg")
    out = tmp_path / "drizzle"
    r = generate(steps.tables(1), out, name="init")
    assert 'CREATE MATERIALIZED VIEW "public"."member_counts"' in r.sql
    with throwaway_database("postgres", prefix="mizzle_views_") as u:
        db = mizzle.connect(u)
        try:
            migrate(db, out)
            tables = {t.__table__.name: t for t in steps.tables(1)}
            members, counts = tables["members"], tables["member_counts"]
            db.insert(members).values([{"name": "ann", "age": 30}, {"name": "bob", "active": False, "age": 40}]).run()
            assert db.select().from_(counts).all() == []
            db.refresh_materialized_view(counts)
            assert {row.active: row.n for row in db.select().from_(counts).all()} == {True: 1, False: 1}
            assert r.snapshot_path is not None
            source, _snap = pull(db, known_views=getattr(read_snapshot(r.snapshot_path), "views", {}))
            assert "materialized=True" in source
            pulled = load_schema([_module(tmp_path / "pulled.py", source)])
            again = generate(pulled, out, write=False)
            assert not again.changed, again.sql
            r2 = generate(steps.tables(2, hints=True), out, name="change")
            migrate(db, out)
            assert r2.sql == (FIX / "views_pg" / "0001_change.sql").read_text(encoding="utf-8")
            assert db.execute("select count(*) from enabled_members") == [(1,)]
        finally:
            db.close()


def test_turso_writes_the_same_views(tmp_path: Path) -> None:
    steps = load_module("views_sqlite")
    answers = Answers.from_flags(creates=["user_posts"])
    for step, name in enumerate(steps.STEPS, 1):
        r = generate(steps.tables(step, hints=True), tmp_path, name=name, resolver=answers, dialect="turso")
        assert r.sql == (FIX / "views_sqlite" / f"{r.tag}.sql").read_text(encoding="utf-8"), r.tag
    pytest.importorskip("libsql", reason="libSQL tests need the libsql package: pip install 'mizzle[libsql]'")
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}", driver="libsql")
    try:
        migrate(db, tmp_path)
        assert [r[0] for r in db.execute("select name from sqlite_master where type = 'view' order by name")] == [
            "enabled_users", "user_posts"]
    finally:
        db.close()


# ---- view options survive pull and push -----------------------------------------------------------

_OPTIONS = {
    "sqlite": "",
    "postgres": ', with_={"check_option": "local", "security_barrier": True}',
    "mysql": ', algorithm="merge", sql_security="invoker", with_check_option="cascaded"',
}


def _options_source(dialect: str) -> str:
    """`users`, a view with every option the dialect has, and (PostgreSQL) a materialized view with storage options."""
    matview = textwrap.dedent('''
        class Totals(Table, name="totals", materialized=True, with_={"fillfactor": 70, "autovacuum_enabled": False},
                     view="select count(*)::int as n from users"):
            n: Column[int | None] = integer()
        ''') if dialect == "postgres" else ""
    return textwrap.dedent(f'''
        from mizzle.{dialect} import Column, Table, integer, text

        class Users(Table, name="users"):
            id: Column[int] = integer().primary_key()
            name: Column[str] = text().not_null()
            age: Column[int | None] = integer()

        class Adults(Table, name="adults", view="select id, name from users where age >= 18"{_OPTIONS[dialect]}):
            id: Column[int] = integer().not_null()
            name: Column[str] = text().not_null()
        ''') + matview


def test_view_options_survive_pull_and_push(url: str, tmp_path: Path) -> None:
    """A view's options are read back from the database: `pull` declares them again (so `generate` afterwards
    finds nothing to do) and `push` on an unchanged schema plans nothing (no ALTER VIEW on every run)."""
    dialect = _dialect_of(url)
    schema = _module(tmp_path / "schema.py", _options_source(dialect))
    tables = load_schema([schema])
    out = tmp_path / "drizzle"
    r = generate(tables, out, name="init")
    db = mizzle.connect(url)
    try:
        migrate(db, out)
        assert plan_push(db, tables).empty, plan_push(db, tables).sql
        known = getattr(read_snapshot(r.snapshot_path), "views", {}) if r.snapshot_path else None
        source, _snap = pull(db, known_views=known)
        for option in _OPTIONS[dialect].strip(", ").split(", ") if _OPTIONS[dialect] else []:
            assert option.split("=")[0] in source, source
        pulled = load_schema([_module(tmp_path / "pulled.py", source)])
        again = generate(pulled, out, write=False)
        assert not again.changed, again.sql
        assert plan_push(db, pulled).empty
    finally:
        db.close()
