"""`describe_statement` on every statement kind of every dialect, and `mizzle generate` on a PostgreSQL index.

Regression: a PostgreSQL index holds `IndexColumn`s, not names, and describing it crashed `mizzle generate`
after the migration files were already written.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from mizzle.cli.main import main
from mizzle.kit import statements as st
from mizzle.kit.api import current_snapshot, plan
from mizzle.kit.describe import describe_statement
from mizzle.kit.dialects.mysql import convert as my_convert
from mizzle.kit.dialects.mysql import snapshot as mys
from mizzle.kit.dialects.postgres import snapshot as pgs
from mizzle.kit.dialects.postgres import statements as pst
from mizzle.kit.dialects.sqlite import snapshot as sqs
from mizzle.kit.dialects.turso import convert as turso_convert
from mizzle.kit.snapshot import snapshot_class

HERE = Path(__file__).resolve().parent
STYLES = {"create", "drop", "alter", "rename"}


def _kinds(module: ModuleType) -> list[type[st.Statement]]:
    return [c for _, c in inspect.getmembers(module, inspect.isclass)
            if issubclass(c, st.Statement) and c is not st.Statement and c.__module__ == module.__name__]


def _payloads(dialect: str) -> dict[str, Any]:
    """A column, index, FK, PK, unique and check of `dialect`'s snapshot types."""
    if dialect == "postgresql":
        col: Any = pgs.Column("email", "text", not_null=True)
        ix: Any = pgs.Index("idx_users_email", [pgs.IndexColumn("email"), pgs.IndexColumn("lower(name)", True)],
                            is_unique=True, where="email is not null")
        fk: Any = pgs.ForeignKey("posts_user_fk", "posts", "users", ["user_id"], ["id"], "cascade", "no action")
        pk: Any = pgs.CompositePK("pk", ["a", "b"])
        uq: Any = pgs.UniqueConstraint("users_email_unique", ["email"])
        table: Any = pgs.Table("users", "", {"email": col})
    elif dialect == "mysql":
        col = mys.Column("email", "varchar(255)", not_null=True)
        ix = mys.Index("idx_users_email", ["email", "name"], is_unique=True)
        fk = mys.ForeignKey("posts_user_fk", "posts", "users", ["user_id"], ["id"], "cascade", "no action")
        pk = mys.CompositePK("pk", ["a", "b"])
        uq = mys.UniqueConstraint("users_email_unique", ["email"])
        table = mys.Table("users", {"email": col})
    else:
        col = sqs.Column("email", "text", not_null=True)
        ix = sqs.Index("idx_users_email", ["email", "name"], is_unique=True, where="email is not null")
        fk = sqs.ForeignKey("posts_user_fk", "posts", "users", ["user_id"], ["id"], "cascade", "no action")
        pk = sqs.CompositePK(["a", "b"], "pk")
        uq = sqs.UniqueConstraint("users_email_unique", ["email"])
        table = sqs.Table("users", {"email": col})
    check = sqs.CheckConstraint("age_ok", "age > 0")
    return {"col": col, "ix": ix, "fk": fk, "pk": pk, "uq": uq, "table": table, "check": check}


def _generic(p: dict[str, Any]) -> list[st.Statement]:
    return [
        st.CreateTable("users", p["table"]), st.DropTable("users", p["table"]), st.RenameTable("users", "people"),
        st.RenameColumn("users", "mail", "email"), st.AddColumn("users", p["col"]), st.DropColumn("users", "email"),
        st.AlterColumn("users", "email", "set_type", "text", "varchar(20)"),
        st.AlterColumn("users", "email", "set_notnull"), st.AlterColumn("users", "email", "set_default", None, "'x'"),
        st.CreateIndex("users", p["ix"]), st.DropIndex("users", p["ix"]), st.CreateReference("posts", p["fk"]),
        st.DeleteReference("posts", p["fk"]), st.CreateCompositePK("users", p["pk"]),
        st.DeleteCompositePK("users", p["pk"]), st.CreateUniqueConstraint("users", p["uq"]),
        st.DeleteUniqueConstraint("users", p["uq"]), st.CreateCheck("users", p["check"]),
        st.DeleteCheck("users", p["check"]), st.RecreateTable("users", p["table"], ("email",), ("bio",)),
        st.RawSQL("users", "UPDATE users SET email = lower(email);\n"),
        st.CreateView("names", {"name": "names", "definition": "select name from users"}),
        st.DropView("names", {"name": "names", "definition": "select name from users"}),
        st.RenameView("names", "old_names", {"name": "names"}, {"name": "old_names"}),
        st.AlterView("names", {"name": "names", "definition": "select name from users"}),
    ]


def _pg_only(p: dict[str, Any]) -> list[st.Statement]:
    mood = pgs.Enum("mood", "public", ["sad", "ok"])
    seq = pgs.Sequence("counter")
    ident = pgs.Identity("always", "users_id_seq")
    return [
        pst.CreateSchema("auth"), pst.DropSchema("auth"), pst.CreateEnum("public.mood", mood),
        pst.DropEnum("public.mood", mood), pst.AddEnumValue("public.mood", mood, "happy", "ok"),
        pst.RenameEnumValue("public.mood", mood, "sad", "unhappy"),
        pst.RecreateEnum("public.mood", mood, ("meh",), (("", "users", "feeling", "mood", None),)),
        pst.CreateSequence("public.counter", seq), pst.DropSequence("public.counter", seq),
        pst.AlterSequence("public.counter", seq), pst.AlterIdentity("users", "id", None, ident),
        pst.AlterIdentity("users", "id", ident, None), pst.AlterIdentity("users", "id", ident, ident),
    ]


def _extra(dialect: str, p: dict[str, Any]) -> list[st.Statement]:
    if dialect == "postgresql":
        return _pg_only(p)
    if dialect == "mysql":
        return [my_convert.ModifyColumn("users", "email", "set_type", "text", "varchar(255)", p["col"])]
    if dialect == "turso":
        return [turso_convert.ModifyColumn("users", p["col"], (("users", p["ix"]),), True),
                turso_convert.AddReference("posts", p["col"], p["fk"])]
    return []


def _check(s: st.Statement) -> tuple[str, str, str, str]:
    out = describe_statement(s)
    assert len(out) == 4 and all(isinstance(x, str) for x in out), (s, out)
    style, action, target, _detail = out
    assert style in STYLES, (s, out)
    assert action and target, (s, out)
    return out


@pytest.mark.parametrize("dialect", ["sqlite", "turso", "postgresql", "mysql"])
def test_describes_every_statement_kind(dialect: str) -> None:
    p = _payloads(dialect)
    statements = _generic(p) + _extra(dialect, p)
    for s in statements:
        _check(s)
    kinds = {type(s) for s in statements}
    modules = {"postgresql": [st, pst], "mysql": [st, my_convert], "turso": [st, turso_convert], "sqlite": [st]}
    every = {k for m in modules[dialect] for k in _kinds(m)}
    assert every <= kinds, f"statement kinds without a description test: {every - kinds}"


def test_index_columns_are_named_for_every_dialect() -> None:
    for dialect in ("sqlite", "postgresql", "mysql"):
        _style, action, target, detail = _check(st.CreateIndex("users", _payloads(dialect)["ix"]))
        assert (action, target) == ("create unique index", "idx_users_email")
        assert detail.startswith("on users(email, ")
    assert "lower(name)" in _check(st.CreateIndex("users", _payloads("postgresql")["ix"]))[3]


def _load(path: Path) -> ModuleType:
    key = f"_describe_schema_{path.stem}"
    spec = importlib.util.spec_from_file_location(key, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[key] = module
    spec.loader.exec_module(module)
    return module


def _tables(module: ModuleType) -> list[Any]:
    from mizzle.schema.table import Table

    return [v for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, Table) and v is not Table and "__table__" in vars(v)]


def _evolutions() -> list[tuple[str, list[list[Any]]]]:
    sys.path.insert(0, str(HERE / "schemas"))
    evo = _load(HERE / "schemas" / "evolution.py")
    small = _load(HERE.parent / "kit_mysql" / "schemas" / "small.py")
    pg = [_tables(_load(HERE.parent / "kit_pg" / "schemas" / f"{n}.py")) for n in ("evo_v1", "evo_v2", "evo_v3_lossy")]
    steps = [evo.tables(i, hints=True) for i in range(1, len(evo.STEPS) + 1)]
    return [("sqlite", steps), ("turso", steps), ("postgresql", pg),
            ("mysql", [small.tables(i) for i in range(1, len(small.STEPS) + 1)])]


def test_describes_real_plans_of_every_dialect_both_ways() -> None:
    from mizzle.kit.api import reverse_plan
    from mizzle.kit.diff import HintResolver
    from mizzle.kit.from_schema import rename_hints

    for dialect, versions in _evolutions():
        snap_dialect = "sqlite" if dialect == "turso" else dialect
        prev = snapshot_class(snap_dialect).empty()
        seen: set[str] = set()
        for tables in versions:
            cur = current_snapshot(tables, snap_dialect)
            fwd = plan(prev, cur, HintResolver(rename_hints(tables)), dialect=dialect)
            assert fwd.diff is not None
            back = reverse_plan(fwd.diff, cur, prev, dialect=dialect)
            for s in [*fwd.diff.statements, *fwd.statements, *back.statements]:
                seen.add(_check(s)[1])
            prev = cur
        assert "create index" in seen or "create unique index" in seen, (dialect, seen)


PG_SCHEMA = """
from mizzle.postgres import Table, index, serial, text

class Users(Table, name="users"):
    id = serial().primary_key()
    email = text().not_null()
    __constraints__ = (index("idx_users_email").on(email),)
"""


def test_generate_postgres_schema_with_an_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.py").write_text(textwrap.dedent(PG_SCHEMA), encoding="utf-8")
    (tmp_path / "mizzle.toml").write_text('schema = "schema.py"\nout = "./migrations"\ndialect = "postgresql"\n',
                                          encoding="utf-8")
    assert main(["--no-color", "generate", "--name", "init"]) == 0
    out = capsys.readouterr().out
    assert "idx_users_email" in out and "on users(email)" in out
    assert (tmp_path / "migrations" / "0000_init.sql").exists()


def test_generate_writes_nothing_when_describing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import mizzle.kit.push

    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema.py").write_text(textwrap.dedent(PG_SCHEMA), encoding="utf-8")
    (tmp_path / "mizzle.toml").write_text('schema = "schema.py"\nout = "./migrations"\ndialect = "postgresql"\n',
                                          encoding="utf-8")

    def boom(s: st.Statement) -> tuple[str, str, str, str]:
        raise RuntimeError("describe failed")

    monkeypatch.setattr(mizzle.kit.push, "describe_statement", boom)
    with pytest.raises(RuntimeError, match="describe failed"):
        main(["--no-color", "generate", "--name", "init"])
    assert not (tmp_path / "migrations").exists()
