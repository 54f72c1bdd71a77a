"""`pull` keeps JSON mode on blob columns and writes strings in one quote style.

Regression: a `blob(mode="json")` column came back as plain `blob()` (`bytes | None`), and the module mixed
`text('id')` with `mode="json"`.
"""

from __future__ import annotations

import io
import tokenize
from pathlib import Path
from typing import Any

import mizzle
from mizzle.kit.api import generate
from mizzle.kit.codegen import lit, pull
from mizzle.kit.migrator import migrate
from mizzle.sqlite import Column, Table, blob, integer, text


class Events(Table, name="events"):
    id: Column[int] = integer().primary_key()
    payload: Column[Any] = blob(mode="json")
    items: Column[Any] = blob("item_list", mode="json")
    raw: Column[bytes | None] = blob()
    note: Column[str | None] = text().default("it's \"quoted\"")
    label: Column[str | None] = text().default('say "hi"')


def _pulled(tmp_path: Path) -> str:
    generate([Events], tmp_path / "m", name="init")
    db = mizzle.connect(f"sqlite:///{tmp_path / 'app.db'}")
    try:
        migrate(db, tmp_path / "m")
        db.insert(Events).values([
            {"id": 1, "payload": {"a": 1, "tags": ["x"]}, "items": [1, 2], "raw": b"\x00\xff\x10"},
            {"id": 2, "payload": {"b": None}, "items": [], "raw": b"not json"},
        ]).run()
        source, _ = pull(db)
        return source
    finally:
        db.close()


def test_blob_json_mode_survives_pull(tmp_path: Path) -> None:
    source = _pulled(tmp_path)
    assert 'payload: Column[Any] = blob("payload", mode="json")' in source
    assert 'item_list: Column[Any] = blob("item_list", mode="json")' in source
    assert 'raw: Column[bytes | None] = blob("raw")' in source


def test_pulled_module_uses_one_quote_style(tmp_path: Path) -> None:
    source = _pulled(tmp_path)
    strings = [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.STRING]
    assert strings
    for s in strings:
        if s.startswith('"""'):
            continue
        value = eval(s)
        assert s.startswith('"') or ('"' in value and "'" not in value), s
    assert 'text("note").default("it\'s \\"quoted\\"")' in source
    assert "text(\"label\").default('say \"hi\"')" in source


def test_lit_round_trips_values() -> None:
    for value in ["plain", "it's", 'say "hi"', "both ' and \"", "back\\slash", {"k": [1, "v", None]}, ("a",), 1.5]:
        assert eval(lit(value)) == value
    assert lit("x") == '"x"' and lit(["a", "b"]) == '["a", "b"]'
