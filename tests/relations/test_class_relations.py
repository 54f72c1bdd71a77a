"""Relations declared on the table class (`books: Many[Books] = many()`): loaded values on every
dialect, a clear error for a relation that was not loaded, and declaration errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

import mizzle.aio
from mizzle import Many, One, QueryError, RelationNotLoadedError, SchemaError, eq, has, many, one
from mizzle.session.sync import Database
from mizzle.sqlite import Column, Table, integer, text


class Authors(Table, name="t17_authors"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    books: Many[Books] = many(relation_name="author")
    bio: One[Bios | None] = one()


class Books(Table, name="t17_books"):
    id: Column[int] = integer().primary_key()
    author_id: Column[int] = integer().not_null().references(lambda: Authors.id)
    editor_id: Column[int | None] = integer().references(lambda: Authors.id)
    title: Column[str] = text().not_null()
    author: One[Authors] = one(fields=[author_id], references=[Authors.id], relation_name="author")
    editor: One[Authors | None] = one(lambda: Authors, fields=[editor_id], references=[Authors.id], relation_name="editor")


class Bios(Table, name="t17_bios"):
    id: Column[int] = integer().primary_key()
    author_id: Column[int] = integer().not_null().unique().references(lambda: Authors.id)
    text_: Column[str] = text("text").not_null()


TABLES = [Authors, Books, Bios]


def _fill(db: Database) -> None:
    db.insert(Authors).values([{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}]).run()
    db.insert(Books).values([
        {"id": 1, "author_id": 1, "title": "a1", "editor_id": 2},
        {"id": 2, "author_id": 1, "title": "a2"},
        {"id": 3, "author_id": 2, "title": "b1"},
    ]).run()
    db.insert(Bios).values(id=1, author_id=2, text_="hi").run()


def test_nested_class_relations_load(make_db: Callable[..., Database]) -> None:
    db = make_db(TABLES)
    _fill(db)
    rows = db.query(Authors).find_many(
        with_={"books": {"order_by": Books.id, "with_": {"author": True, "editor": True}}, "bio": True},
        order_by=Authors.id,
    ).all()
    assert [(a.name, [b.title for b in a.books]) for a in rows] == [("ann", ["a1", "a2"]), ("bob", ["b1"])]
    assert [b.author.name for b in rows[0].books] == ["ann", "ann"]
    assert [b.editor.name if b.editor else None for b in rows[0].books] == ["bob", None]
    assert rows[0].bio is None
    assert rows[1].bio is not None and rows[1].bio.text_ == "hi"
    assert isinstance(rows[0], Authors) and isinstance(rows[0].books[0], Books)


def test_relation_not_loaded_is_a_clear_error(make_db: Callable[..., Database]) -> None:
    db = make_db(TABLES)
    _fill(db)
    ann = db.query(Authors).find_first(where=eq(Authors.id, 1)).get()
    assert ann is not None
    with pytest.raises(RelationNotLoadedError, match=r"Authors\.books was not loaded: query with with_=\[Authors\.books\]"):
        ann.books  # noqa: B018
    book = db.query(Books).find_first(with_={"author": True}, where=eq(Books.id, 1)).get()
    assert book is not None and book.author.name == "ann"
    with pytest.raises(RelationNotLoadedError, match=r"Books\.editor was not loaded"):
        book.editor  # noqa: B018
    with pytest.raises(RelationNotLoadedError, match="books"):
        db.select().from_(Authors).where(eq(Authors.id, 2)).one().books  # noqa: B018
    assert not hasattr(ann, "books")  # an AttributeError too
    assert issubclass(RelationNotLoadedError, QueryError)


def test_constructor_takes_columns_only() -> None:
    assert Authors(name="x").name == "x"
    with pytest.raises(TypeError, match="unexpected column 'books'"):
        Authors(name="x", books=[])  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]


def test_non_optional_one_over_nullable_key_is_refused() -> None:
    class Lenders(Table, name="t17_lenders"):
        id: Column[int] = integer().primary_key()

    class Loans(Table, name="t17_loans"):
        id: Column[int] = integer().primary_key()
        lender_id: Column[int | None] = integer().references(lambda: Lenders.id)
        lender: One[Lenders] = one(lambda: Lenders)

    class Owners(Table, name="t17_owners"):
        id: Column[int] = integer().primary_key()
        pet: One[Pets] = one(lambda: Pets)

    class Pets(Table, name="t17_pets"):
        id: Column[int] = integer().primary_key()
        owner_id: Column[int] = integer().not_null().references(lambda: Owners.id)

    db = mizzle.connect(":memory:")
    with pytest.raises(SchemaError, match=r"Loans\.lender is declared One\[Lenders\] but t17_loans\.lender_id may be NULL"):
        db.query(Loans).find_many(with_={"lender": True})
    with pytest.raises(SchemaError, match=r"Owners\.pet is declared One\[Pets\] but the key is on Pets.*One\[Pets \| None\]"):
        db.query(Owners).find_many(with_={"pet": True})
    db.close()


def test_declaration_errors() -> None:
    class Locals(Table, name="t17_locals"):
        id: Column[int] = integer().primary_key()
        things: Many[Things] = many()  # local classes, defined later in the function: found
        missing: Many[Nowhere] = many()  # type: ignore[name-defined]  # noqa: F821

    class Things(Table, name="t17_things"):
        id: Column[int] = integer().primary_key()
        local_id: Column[int] = integer().references(lambda: Locals.id).not_null()

    db = mizzle.connect(":memory:")
    mizzle.create_all(db, [Locals, Things])
    db.insert(Locals).values(id=1).run()
    db.insert(Things).values(id=5, local_id=1).run()
    assert [t.id for t in db.query(Locals).find_first(with_={"things": True}).one().things] == [5]
    with pytest.raises(SchemaError, match=r"Locals\.missing: cannot read the target from the annotation "
                                          r"'Many\[Nowhere\]' \(name 'Nowhere' is not defined\): pass it"):
        db.query(Locals).find_many(with_={"missing": True})

    class NoAnnotation(Table, name="t17_noann"):
        id: Column[int] = integer().primary_key()
        rel = many()

    with pytest.raises(SchemaError, match=r"NoAnnotation\.rel: give it an annotation \(rel: Many\[Target\] = many\(\)\)"):
        db.query(NoAnnotation).find_many(with_={"rel": True})
    db.close()


def test_async_class_relations(tmp_path: Path) -> None:
    pytest.importorskip("aiosqlite", reason="async SQLite tests need aiosqlite: pip install 'mizzle[aio]'")

    async def body() -> None:
        adb = await mizzle.aio.connect(str(tmp_path / "a.db"))
        try:
            await adb.create_all(TABLES)
            await adb.insert(Authors).values(id=1, name="ann").run()
            await adb.insert(Books).values(id=1, author_id=1, title="a1").run()
            rows = await adb.query(Authors).find_many(with_={"books": {"with_": {"author": True}}}).all()
            assert [(a.name, [(b.title, b.author.name) for b in a.books]) for a in rows] == [("ann", [("a1", "ann")])]
            first = await adb.query(Books).find_first(with_={"author": True})
            assert first is not None and first.author.name == "ann"
        finally:
            await adb.close()

    asyncio.run(body())


def test_typed_with_and_columns(make_db: Callable[..., Database]) -> None:
    """`with_=[Table.relation, Table.relation.load(...)]` and `columns=[Table.col]` / `{Table.col: False}`
    load what the dict-of-names form loads."""
    db = make_db(TABLES)
    _fill(db)
    typed = db.query(Authors).find_many(
        with_=[Authors.books.load(order_by=Books.id, columns=[Books.id, Books.title],
                                  with_=[Books.author.load(columns=[Authors.name]), Books.editor]),
               Authors.bio],
        columns=[Authors.id, Authors.name],
        order_by=Authors.id,
    ).all()
    by_name = db.query(Authors).find_many(
        with_={"books": {"order_by": Books.id, "columns": {"id": True, "title": True},
                         "with_": {"author": {"columns": {"name": True}}, "editor": True}}, "bio": True},
        columns={"id": True, "name": True},
        order_by=Authors.id,
    ).all()
    assert typed == by_name
    assert [(a.name, [(b.title, b.author.name) for b in a.books]) for a in typed] == [
        ("ann", [("a1", "ann"), ("a2", "ann")]), ("bob", [("b1", "bob")])]
    assert typed[1].bio is not None and typed[1].bio.text_ == "hi"
    left_out = db.query(Books).find_first(columns={Books.editor_id: False}, where=eq(Books.id, 1)).one()
    assert left_out.title == "a1" and "editor_id" not in left_out.__dict__


def test_typed_with_refuses_other_tables_and_unknown_names() -> None:
    db = mizzle.connect(":memory:")
    try:
        with pytest.raises(QueryError, match=r"t17_authors: Books\.author is a relation of Books, not of Authors "
                                             r"\(its relations: bio, books\)"):
            db.query(Authors).find_many(with_=[Books.author])
        with pytest.raises(QueryError, match=r"t17_authors\.books: Authors\.books is a relation of Authors, not of Books"):
            db.query(Authors).find_many(with_=[Authors.books.load(with_=[Authors.books])])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
        with pytest.raises(QueryError, match=r"t17_authors: with_ names the relation 'books' twice"):
            db.query(Authors).find_many(with_=[Authors.books, Authors.books.load(limit=1)])
        with pytest.raises(QueryError, match=r"with_ takes a list of relations of Authors"):
            db.query(Authors).find_many(with_=Authors.books)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        with pytest.raises(QueryError, match=r"t17_books: .*not a column of t17_books"):
            db.query(Books).find_many(columns={Authors.name: False})
        with pytest.raises(SchemaError, match=r"has no relation 'sesions' \(relations: books, bio\)"):  # names: run time
            db.query(Authors).find_many(with_={"sesions": True})  # type: ignore[dict-item]  # pyright: ignore[reportArgumentType]
    finally:
        db.close()
    assert repr(Authors.books) == "Authors.books"
    assert repr(Authors.books.load(limit=2)) == "Authors.books.load(limit=2)"
    assert Authors.books.target is Books and Authors.books.name == "books"


def test_has_takes_a_relation_read_on_the_class(make_db: Callable[..., Database]) -> None:
    """`has(Authors.books, cond)` is `has(Authors, "books", cond)` with the relation checked statically."""
    db = make_db(TABLES)
    _fill(db)
    q = db.query(Authors)
    typed = q.find_many(where=has(Authors.books, has(Books.editor)), columns=[Authors.name]).all()
    named = q.find_many(where=has(Authors, "books", has(Books, "editor")), columns=[Authors.name]).all()
    assert [a.name for a in typed] == [a.name for a in named] == ["ann"]
    assert [a.name for a in q.find_many(where=has(Authors.books, eq(Books.title, "b1"))).all()] == ["bob"]
    with pytest.raises(QueryError, match=r"has\(\) takes a relation read on its table"):
        has(Authors.books.load(limit=1))  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
