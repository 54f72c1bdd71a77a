"""`mizzle models`: the generated module validates like mizzle.pydantic's runtime models, round-trips rows on
SQLite, PostgreSQL and MariaDB, `--check` tells a stale file from a fresh one, and errors name what to do."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pydantic", reason="needs pydantic: pip install 'mizzle[pydantic]'")

from pydantic import BaseModel, ValidationError

import mizzle
from _servers import throwaway_database
from mizzle.cli.main import main
from mizzle.pydantic import insert_model, update_model

_HEAD = {
    "sqlite": """
from mizzle.sqlite import Column, Table, integer, numeric, text
ID = lambda: integer().primary_key()
STR = lambda n: text(length=n)
ENUM = lambda: text(enum=("draft", "live"))
JSON = lambda: text(mode="json")
TS = lambda: integer(mode="timestamp")
DEC = lambda: numeric(mode="decimal")
""",
    "postgres": """
from mizzle.postgres import Column, Table, jsonb, numeric, serial, timestamptz, varchar
ID = lambda: serial().primary_key()
STR = lambda n: varchar(length=n)
ENUM = lambda: varchar(length=8, enum=("draft", "live"))
JSON = lambda: jsonb()
TS = lambda: timestamptz()
DEC = lambda: numeric(precision=10, scale=2)
""",
    "mysql": """
from mizzle.mysql import Column, Table, decimal, int_, json, timestamp, varchar
ID = lambda: int_().primary_key(autoincrement=True)
STR = lambda n: varchar(length=n)
ENUM = lambda: varchar(length=8, enum=("draft", "live"))
JSON = lambda: json()
TS = lambda: timestamp()
DEC = lambda: decimal(precision=10, scale=2)
""",
}
_BODY = """
from datetime import datetime, UTC
from decimal import Decimal
from typing import Any, Literal


def _now() -> datetime:
    return datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class Items(Table, name="{prefix}items"):
    id: Column[int] = ID()
    title: Column[str] = STR(20).not_null()
    status: Column[Literal["draft", "live"]] = ENUM().not_null().default("draft")
    note: Column[str | None] = STR(100)
    tags: Column[list[str] | None] = JSON()
    price: Column[Decimal] = DEC().not_null()
    created_at: Column[datetime] = TS().not_null().default_fn(_now)
"""

DIALECTS = ["sqlite", "postgres", "mysql"]


class App:
    """A project folder with a schema package `<pkg>.schema`, mizzle.toml and a database."""

    def __init__(self, root: Path, kind: str, url: str, pkg: str) -> None:
        self.root, self.kind, self.url, self.pkg = root, kind, url, pkg
        (root / pkg).mkdir()
        (root / pkg / "__init__.py").write_text("")
        self.write_schema()
        dialect = {"sqlite": "sqlite", "postgres": "postgresql", "mysql": "mysql"}[kind]
        (root / "mizzle.toml").write_text(
            f'schema = "{pkg}.schema"\ndialect = "{dialect}"\nurl = "{url}"\nmodels = "{pkg}/models.py"\n')

    def write_schema(self, extra: str = "") -> None:
        head = _HEAD[self.kind]
        body = _BODY.replace("{prefix}", f"{self.pkg}_")
        (self.root / self.pkg / "schema.py").write_text(textwrap.dedent(head) + body + extra)

    def cli(self, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["--config", str(self.root / "mizzle.toml"), *args])
        out = capsys.readouterr()
        return code, out.out + out.err

    def modules(self) -> tuple[Any, Any]:
        for name in [m for m in sys.modules if m == self.pkg or m.startswith(self.pkg + ".")]:
            del sys.modules[name]
        return importlib.import_module(f"{self.pkg}.schema"), importlib.import_module(f"{self.pkg}.models")


@pytest.fixture(params=DIALECTS)
def app(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    kind: str = request.param
    pkg = f"mzmodels_{kind}"
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        if kind == "sqlite":
            yield App(tmp_path, kind, f"sqlite:///{tmp_path / 'app.db'}", pkg)
        else:
            with throwaway_database(kind, prefix="mizzle_models_") as url:
                yield App(tmp_path, kind, url, pkg)
    finally:
        for name in [m for m in sys.modules if m == pkg or m.startswith(pkg + ".")]:
            del sys.modules[name]


def test_generated_models_validate_and_round_trip_rows(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = app.cli("models", capsys=capsys)
    assert code == 0 and "wrote" in out, out
    schema, models = app.modules()
    Items = schema.Items
    db = mizzle.connect(app.url)
    try:
        mizzle.create_all(db, [Items])
        body = {"title": "Widget", "price": "9.50", "tags": ["a", "b"]}
        new = models.ItemsInsert.model_validate(body)
        assert new.status == "draft" and new.created_at is None and new.note is None
        row = db.insert(Items).values(new.to_insert()).returning().one()
        assert (row.title, row.status, row.note, row.tags, row.price) == ("Widget", "draft", None, ["a", "b"],
                                                                           Decimal("9.50"))
        assert row.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)  # the column's default_fn applied
        read = models.ItemsSelect.from_row(db.select().from_(Items).where(mizzle.eq(Items.id, row.id)).one())
        assert read.model_dump() == {"id": row.id, "title": "Widget", "status": "draft", "note": None,
                                     "tags": ["a", "b"], "price": Decimal("9.50"), "created_at": row.created_at}
        assert models.ItemsSelect.model_validate_json(read.model_dump_json()) == read  # JSON round trip
        change = models.ItemsUpdate.model_validate({"status": "live", "note": None})
        db.update(Items).set(change.to_update()).where(mizzle.eq(Items.id, row.id)).run()
        after = db.select().from_(Items).where(mizzle.eq(Items.id, row.id)).one()
        assert (after.status, after.note, after.title) == ("live", None, "Widget")  # only the given fields
        explicit = models.ItemsInsert(title="Gadget", price=Decimal("1.25"), note="n", status="live")
        row2 = db.insert(Items).values([explicit.to_insert()]).returning().one()
        assert (row2.title, row2.note, row2.status, row2.tags) == ("Gadget", "n", "live", None)
    finally:
        db.close()


# inputs for the insert and update models, each accepted or refused the same way by both kinds of models
_INSERTS: list[dict[str, Any]] = [
    {"title": "t", "price": "1"},
    {"title": "t", "price": "1", "status": "live", "note": None, "tags": None},
    {"title": "t" * 20, "price": 2, "created_at": "2024-01-02T03:04:05Z"},
    {"title": "t" * 21, "price": "1"},            # longer than the column's length
    {"price": "1"},                                # NOT NULL without a default: required
    {"title": None, "price": "1"},
    {"title": "t", "price": "1", "status": "gone"},  # not one of the enum's values
    {"title": "t", "price": "1", "status": None},    # NOT NULL with a default: may be omitted, not null
    {"title": "t", "price": "1", "created_at": None},
    {"title": "t", "price": "1", "titel": "x"},      # unknown field
    {"title": "t", "price": "x"},
    {"title": "t", "price": "1", "tags": "a"},
    {"title": "t", "price": "1", "tags": [1]},
    {"title": "t", "price": "1", "id": None},
]
_UPDATES: list[dict[str, Any]] = [
    {}, {"note": None}, {"title": None}, {"status": "live"}, {"status": None}, {"title": "t" * 21},
    {"price": "3.5"}, {"tags": ["x"]}, {"nope": 1},
]


def _outcome(model: type[BaseModel], data: dict[str, Any]) -> tuple[bool, Any]:
    try:
        m = model.model_validate(data)
    except ValidationError as exc:
        return False, sorted(str(e["loc"][0]) for e in exc.errors())
    return True, m.values()  # type: ignore[attr-defined]


@pytest.fixture
def sqlite_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """The project on SQLite only (for what does not depend on the dialect)."""
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield App(tmp_path, "sqlite", f"sqlite:///{tmp_path / 'app.db'}", "mzmodels_rules")
    finally:
        for name in [m for m in sys.modules if m.startswith("mzmodels_rules")]:
            del sys.modules[name]


def test_generated_models_follow_the_runtime_models_rules(sqlite_app: App,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert sqlite_app.cli("models", capsys=capsys)[0] == 0
    schema, models = sqlite_app.modules()
    runtime_insert, runtime_update = insert_model(schema.Items), update_model(schema.Items)
    for data in _INSERTS:
        assert _outcome(models.ItemsInsert, data) == _outcome(runtime_insert, data), data
    for data in _UPDATES:
        assert _outcome(models.ItemsUpdate, data) == _outcome(runtime_update, data), data
    assert models.ItemsInsert.model_json_schema()["required"] == ["title", "price"]
    assert models.ItemsInsert.model_json_schema()["properties"]["title"]["maxLength"] == 20


def test_check_fails_when_stale_and_passes_when_fresh(sqlite_app: App, capsys: pytest.CaptureFixture[str]) -> None:
    app = sqlite_app
    target = app.root / app.pkg / "models.py"
    code, out = app.cli("models", "--check", capsys=capsys)
    assert code == 1 and "does not exist" in out and "run `mizzle models`" in out, out
    assert app.cli("models", capsys=capsys)[0] == 0
    first = target.read_text()
    code, out = app.cli("models", "--check", capsys=capsys)
    assert code == 0 and "up to date" in out, out
    code, out = app.cli("models", capsys=capsys)  # deterministic: the same text again
    assert code == 0 and "already up to date" in out and target.read_text() == first, out
    for name in [m for m in sys.modules if m.startswith(app.pkg)]:
        del sys.modules[name]
    app.write_schema("    sku: Column[str | None] = STR(12)\n")
    code, out = app.cli("models", "--check", capsys=capsys)
    assert code == 1 and "is stale" in out and "+    sku: Annotated[str | None, Field(max_length=12)]" in out, out
    assert target.read_text() == first  # --check writes nothing
    assert app.cli("models", capsys=capsys)[0] == 0
    assert app.cli("models", "--check", capsys=capsys)[0] == 0


def test_errors_say_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mizzle.toml").write_text('dialect = "sqlite"\n')
    code = main(["--config", str(tmp_path / "mizzle.toml"), "models", "--output", str(tmp_path / "m.py")])
    err = capsys.readouterr().err
    assert code == 1 and "no schema configured" in err and "schema =" in err, err
    (tmp_path / "mizzle.toml").write_text('schema = "broken.py"\n')
    (tmp_path / "broken.py").write_text("from mizzle.sqlite import Table\nraise RuntimeError('boom')\n")
    code = main(["--config", str(tmp_path / "mizzle.toml"), "models", "--output", str(tmp_path / "m.py")])
    err = capsys.readouterr().err
    assert code == 1 and "importing the schema" in err and "broken.py:2" in err and "boom" in err, err
    (tmp_path / "broken.py").write_text(
        "from mizzle.sqlite import Column, Table, text\nclass T(Table, name='t'):\n    id: Column[str] = text()\n")
    code = main(["--config", str(tmp_path / "mizzle.toml"), "models"])
    err = capsys.readouterr().err
    assert code == 1 and "no models file" in err and "--output" in err and 'models = "app/models.py"' in err, err
    assert not (tmp_path / "m.py").exists()
    (tmp_path / "mizzle.toml").write_text('schema = "shadow.py"\n')
    (tmp_path / "shadow.py").write_text(
        "from mizzle.sqlite import Column, Table, text\nclass T(Table, name='t'):\n    schema: Column[str] = text()\n")
    code = main(["--config", str(tmp_path / "mizzle.toml"), "models", "--output", str(tmp_path / "m.py")])
    err = capsys.readouterr().err
    assert code == 1 and "T.schema" in err and "shadow" in err and "text('schema')" in err, err
    assert not (tmp_path / "m.py").exists()
    (tmp_path / "mizzle.toml").write_text('schema = "broken.py"\nmodels = 3\n')
    code = main(["--config", str(tmp_path / "mizzle.toml"), "models"])
    err = capsys.readouterr().err
    assert code == 1 and "'models' must be a .py file path" in err, err


def test_types_declared_beside_the_tables_are_imported_from_the_schema_module(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mizzle.toml").write_text('schema = "typed_schema.py"\nmodels = "typed_models.py"\n')
    (tmp_path / "typed_schema.py").write_text(textwrap.dedent("""
        from typing_extensions import TypedDict

        from mizzle.sqlite import Column, Table, integer, text


        class Meta(TypedDict):
            color: str


        class Things(Table, name="things"):
            id: Column[int] = integer().primary_key()
            meta: Column[Meta | None] = text(mode="json")
    """))
    assert main(["--config", str(tmp_path / "mizzle.toml"), "models"]) == 0, capsys.readouterr()
    source = (tmp_path / "typed_models.py").read_text()
    assert "from typed_schema import Meta, Things\n" in source  # not the kit's internal module name
    assert "    meta: Meta | None = None\n" in source
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        models = importlib.import_module("typed_models")
        assert models.ThingsInsert(meta={"color": "red"}).to_insert().meta == {"color": "red"}
        with pytest.raises(ValidationError):
            models.ThingsInsert.model_validate({"meta": {"color": 1}})
    finally:
        for name in ("typed_models", "typed_schema"):
            sys.modules.pop(name, None)
