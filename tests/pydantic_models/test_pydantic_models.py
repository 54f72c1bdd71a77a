"""mizzle.pydantic: select/insert/update models from tables, refinements, JSON Schema, errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest

pytest.importorskip("pydantic", reason="needs pydantic: pip install 'mizzle[pydantic]'")

from pydantic import Field, StringConstraints, ValidationError

import mizzle
from mizzle import SchemaError, sql
from mizzle.pydantic import error_details, insert_model, select_model, update_model
from mizzle.sqlite import Column, Table, integer, real, text


def _new_id() -> str:
    return "id-1"


class Sessions(Table, name="pyd_sessions"):
    id: Column[str] = text().primary_key().default_fn(_new_id)
    title: Column[str] = text(length=255).not_null()
    status: Column[Literal["idle", "running", "completed", "error"]] = (
        text(enum=("idle", "running", "completed", "error")).not_null().default("idle")
    )
    cwd: Column[str | None] = text()
    allowed_tools: Column[list[str] | None] = text(mode="json")
    meta: Column[dict[str, int]] = text(mode="json").not_null().default_fn(dict)
    score: Column[float | None] = real()
    created_at: Column[datetime] = integer(mode="timestamp").not_null().default_fn(lambda: datetime.now(UTC))
    title_len: Column[int | None] = integer().generated_always_as(sql("length(title)"))


def errors_of(model: Any, data: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as ei:
        model.model_validate(data)
    return {d["field"]: d["type"] for d in error_details(ei.value)}


def test_insert_required_exactly_as_not_null_and_defaults_imply() -> None:
    m = insert_model(Sessions)
    schema = m.model_json_schema()
    assert schema["required"] == ["title"]
    props = schema["properties"]
    assert "title_len" not in props  # generated: never written
    assert props["title"] == {"maxLength": 255, "title": "Title", "type": "string"}
    assert props["status"]["enum"] == ["idle", "running", "completed", "error"]
    assert props["status"]["default"] == "idle"
    assert props["allowed_tools"]["anyOf"][0] == {"items": {"type": "string"}, "type": "array"}
    assert props["created_at"]["format"] == "date-time" and "default" not in props["created_at"]
    ok = m.model_validate({"title": "t", "allowed_tools": ["ls"], "created_at": "2024-01-02T03:04:05Z"})
    assert ok.values() == {
        "title": "t",
        "allowed_tools": ["ls"],
        "created_at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    }
    assert errors_of(m, {}) == {"title": "missing"}
    assert errors_of(m, {"title": "x", "status": "paused"}) == {"status": "literal_error"}
    assert errors_of(m, {"title": "x" * 256}) == {"title": "string_too_long"}
    assert errors_of(m, {"title": "x", "status": None}) == {"status": "literal_error"}  # NOT NULL
    assert errors_of(m, {"title": "x", "allowed_tools": "ls"}) == {"allowed_tools": "list_type"}
    assert errors_of(m, {"title": "x", "meta": {"a": "b"}}) == {"meta.a": "int_parsing"}
    assert errors_of(m, {"title": "x", "bogus": 1}) == {"bogus": "extra_forbidden"}
    assert errors_of(m, {"title": "x", "title_len": 1}) == {"title_len": "extra_forbidden"}
    with pytest.raises(ValidationError) as ei:
        m.model_validate_json('{"title": ')
    assert error_details(ei.value)[0]["type"] == "json_invalid"


def test_update_everything_optional_but_not_null_rejects_null() -> None:
    m = update_model(Sessions)
    assert "required" not in m.model_json_schema()
    assert m.model_validate({}).values() == {}
    assert m.model_validate({"cwd": None, "status": "error"}).values() == {"cwd": None, "status": "error"}
    assert errors_of(m, {"title": None}) == {"title": "string_type"}
    assert errors_of(m, {"title": "x" * 300}) == {"title": "string_too_long"}


def test_select_model_reads_rows(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "p.db"))
    mizzle.create_all(db, [Sessions])
    row = db.insert(Sessions).values(title="hello", allowed_tools=["a"]).returning().one()
    m = select_model(Sessions)
    assert select_model(Sessions) is m  # cached
    out = m.model_validate(row)
    assert out.model_dump()["title_len"] == 5
    assert out.model_dump()["allowed_tools"] == ["a"]
    assert set(m.model_json_schema()["required"]) == set(Sessions.__table__.columns)
    db.close()


def test_refinements_three_ways() -> None:
    m = insert_model(
        Sessions,
        title=lambda f: f.min_length(1).check(lambda s: not s.startswith(" "), "must not start with a space"),
        cwd=Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)],
        score=Field(ge=0, le=1, description="a fraction"),
    )
    props = m.model_json_schema()["properties"]
    assert props["title"]["minLength"] == 1 and props["title"]["maxLength"] == 255
    assert props["score"]["anyOf"][0] == {"maximum": 1, "minimum": 0, "type": "number"}
    assert errors_of(m, {"title": ""}) == {"title": "string_too_short"}
    with pytest.raises(ValidationError, match="must not start with a space"):
        m.model_validate({"title": " x"})
    assert errors_of(m, {"title": "x", "score": 2}) == {"score": "less_than_equal"}
    assert m.model_validate({"title": "x", "cwd": "  /tmp "}).values()["cwd"] == "/tmp"
    assert errors_of(m, {"title": "x", "cwd": "   "}) == {"cwd": "string_too_short"}
    m2 = insert_model(Sessions, status=Literal["idle"])
    assert errors_of(m2, {"title": "x", "status": "running"}) == {"status": "literal_error"}


def test_bad_refinements_are_named() -> None:
    with pytest.raises(SchemaError, match=r"no column 'titel'; columns are: id, title"):
        insert_model(Sessions, titel=lambda f: f.min_length(1))
    with pytest.raises(SchemaError, match=r"title_len.*generated"):
        insert_model(Sessions, title_len=Field(ge=1))
    with pytest.raises(SchemaError, match=r"Sessions.title: a refinement function must return"):
        insert_model(Sessions, title=lambda f: None)
    with pytest.raises(SchemaError, match=r"Sessions\.title: a refinement must be"):
        insert_model(Sessions, title=5)
    with pytest.raises(SchemaError, match="takes a Table class"):
        insert_model(dict)  # type: ignore[arg-type]


def test_insert_model_values_feed_the_builder(tmp_path: Path) -> None:
    db = mizzle.connect(str(tmp_path / "q.db"))
    mizzle.create_all(db, [Sessions])
    data = insert_model(Sessions).model_validate_json('{"title": "from json", "allowed_tools": ["x"]}')
    row = db.insert(Sessions).values(data.values()).returning().one()
    assert (row.id, row.status, row.allowed_tools, row.meta) == ("id-1", "idle", ["x"], {})
    patch = update_model(Sessions).model_validate({"status": "running"})
    db.update(Sessions).set(patch.values()).run()
    assert db.select(Sessions.status).from_(Sessions).one() == ("running",)
    db.close()


def test_omit_columns() -> None:
    m = insert_model(Sessions, omit=("id", "created_at"), title=lambda f: f.min_length(1))
    props = m.model_json_schema()["properties"]
    assert "id" not in props and "created_at" not in props and "title" in props
    assert errors_of(m, {"title": "x", "id": "mine"}) == {"id": "extra_forbidden"}
    assert "status" not in update_model(Sessions, omit="status").model_json_schema()["properties"]
    assert "meta" not in select_model(Sessions, omit=["meta"]).model_json_schema()["properties"]
    assert "required" not in insert_model(Sessions, omit=("title",)).model_json_schema()  # caller supplies it
    with pytest.raises(SchemaError, match="no column 'nope'"):
        update_model(Sessions, omit=("nope",))


def test_values_keep_nested_defaults_and_drop_only_top_level_omissions() -> None:
    import pydantic

    from mizzle.pydantic import insert_model
    from mizzle.sqlite import Table, integer, text

    class Prefs(pydantic.BaseModel):
        theme: str = "light"
        size: int = 12

    class Profiles(Table, name="profiles_nested_defaults"):
        id: Column[int] = integer().primary_key()
        name: Column[str] = text().not_null().default("anon")
        prefs: Column[dict[str, object] | None] = text(mode="json")

    Model = insert_model(Profiles, prefs=Prefs | None)
    got = Model.model_validate({"prefs": {"size": 14}}).values()
    assert got == {"prefs": {"theme": "light", "size": 14}}   # nested default kept, unset `name` left to the column
