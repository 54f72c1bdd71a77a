"""Definition-time validation: bad table definitions fail at class creation with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

import mizzle
from mizzle import SchemaError
from mizzle.sqlite import Column, Table, foreign_key, index, integer, primary_key, text, unique

from . import _other_module_tables as other


def test_duplicate_column_names() -> None:
    with pytest.raises(SchemaError, match=r"table dup_cols: duplicate column name 'title' \(attributes 'title' and 'heading'\)"):

        class DupCols(Table, name="dup_cols"):
            id: Column[int] = integer().primary_key()
            title: Column[str | None] = text()
            heading: Column[str | None] = text("title")


def test_foreign_key_to_a_missing_column() -> None:
    class Parent(Table, name="fk_parent"):
        id: Column[int] = integer().primary_key()

    with pytest.raises(
        SchemaError,
        match=r"column fk_child\.parent_id: foreign key target does not exist \(type object 'Parent' has no attribute 'nope'\)",
    ):

        class Child(Table, name="fk_child"):
            id: Column[int] = integer().primary_key()
            parent_id: Column[int | None] = integer().references(lambda: Parent.nope)  # type: ignore[attr-defined]


def test_foreign_key_to_something_that_is_not_a_column() -> None:
    with pytest.raises(SchemaError, match=r"fk_child2\.parent_id: references\(\) must return a column, got 'users.id'"):

        class Child2(Table, name="fk_child2"):
            id: Column[int] = integer().primary_key()
            parent_id: Column[int | None] = integer().references(lambda: "users.id")  # type: ignore[arg-type, return-value]


def test_missing_foreign_key_target_fails_create_all(tmp_path: Path) -> None:
    class Orphan(Table, name="orphan"):
        id: Column[int] = integer().primary_key()
        other: Column[int | None] = integer().references(lambda: Orphan.missing)  # type: ignore[attr-defined]

    db = mizzle.connect(str(tmp_path / "x.db"))
    with pytest.raises(SchemaError, match=r"orphan\.other"):
        mizzle.create_all(db, [Orphan])
    db.close()


def test_composite_foreign_key_column_counts_must_match() -> None:
    class Target(Table, name="cfk_target"):
        a: Column[int] = integer().not_null()
        b: Column[int] = integer().not_null()
        __constraints__ = (primary_key(a, b),)

    with pytest.raises(SchemaError, match="table cfk_source: foreign key has 2 columns but 1 referenced columns"):

        class Source(Table, name="cfk_source"):
            a: Column[int] = integer().not_null()
            b: Column[int] = integer().not_null()
            __constraints__ = (foreign_key([a, b], lambda: [Target.a]),)


@pytest.mark.parametrize(
    ("column", "message"),
    [
        (lambda: integer().default("zero"), r"default 'zero' does not fit mode 'number' \(expected int\)"),
        (lambda: integer(mode="boolean").default(1), r"default 1 does not fit mode 'boolean' \(expected bool\)"),
        (lambda: integer().default(True), r"default True does not fit mode 'number'"),
        (lambda: integer(mode="timestamp").default(0), r"default 0 does not fit mode 'timestamp' \(expected datetime\)"),
        (lambda: text().default(3), r"default 3 does not fit mode 'text' \(expected str\)"),
        (lambda: text(enum=("a", "b")).default("c"), r"default 'c' is not one of the enum values \['a', 'b'\]"),
        (lambda: text(mode="json").default({1, 2}), r"default \{1, 2\} does not fit mode 'json'"),
    ],
)
def test_default_that_does_not_fit_the_mode(column: object, message: str) -> None:
    with pytest.raises(SchemaError, match=r"column bad_default\.value: " + message):

        class BadDefault(Table, name="bad_default"):
            id: Column[int] = integer().primary_key()
            value = column()  # type: ignore[operator]


def test_defaults_that_fit_are_accepted() -> None:
    class GoodDefault(Table, name="good_default"):
        id: Column[int] = integer().primary_key()
        n: Column[int] = integer().not_null().default(0)
        flag: Column[bool] = integer(mode="boolean").not_null().default(False)
        kind: Column[str] = text(enum=("a", "b")).not_null().default("a")
        doc: Column[dict[str, int] | None] = text(mode="json").default({"x": 1})
        at: Column[int | None] = integer().default(mizzle.sql("(unixepoch())"))

    assert GoodDefault.__table__.columns["n"].default_value == 0


def test_index_on_another_tables_column() -> None:
    class Other(Table, name="ix_other"):
        id: Column[int] = integer().primary_key()

    with pytest.raises(
        SchemaError, match=r"table ix_mine: index idx_bad uses column ix_other\.id, which belongs to another table"
    ):

        class Mine(Table, name="ix_mine"):
            id: Column[int] = integer().primary_key()
            __constraints__ = (index("idx_bad").on(Other.id),)


def test_unique_constraint_on_another_tables_column() -> None:
    class Other2(Table, name="uq_other"):
        id: Column[int] = integer().primary_key()

    with pytest.raises(SchemaError, match=r"table uq_mine: unique constraint uq uses column uq_other\.id"):

        class Mine2(Table, name="uq_mine"):
            id: Column[int] = integer().primary_key()
            __constraints__ = (unique("uq").on(Other2.id),)


def test_two_tables_with_one_name_in_a_module() -> None:
    class First(Table, name="same_name"):
        id: Column[int] = integer().primary_key()

    with pytest.raises(SchemaError, match=r"two tables are named 'same_name' in .*: classes .*First and .*Second"):

        class Second(Table, name="same_name"):
            id: Column[int] = integer().primary_key()

    assert First.__table__.name == "same_name"


def test_two_tables_with_one_name_in_create_all(tmp_path: Path) -> None:
    class Widgets(Table, name="widgets"):
        id: Column[int] = integer().primary_key()

    db = mizzle.connect(str(tmp_path / "x.db"))
    with pytest.raises(SchemaError, match=r"two tables are named 'widgets': .*_other_module_tables.Widgets"):
        mizzle.create_all(db, [Widgets, other.Widgets])
    db.close()


def test_two_column_primary_keys_and_both_kinds() -> None:
    with pytest.raises(SchemaError, match=r"table two_pk: 2 columns are marked primary_key\(\) \(a, b\)"):

        class TwoPk(Table, name="two_pk"):
            a: Column[int] = integer().primary_key()
            b: Column[int] = integer().primary_key()

    with pytest.raises(SchemaError, match="table both_pk: both a column primary key"):

        class BothPk(Table, name="both_pk"):
            a: Column[int] = integer().primary_key()
            b: Column[int] = integer().not_null()
            __constraints__ = (primary_key(a, b),)


def test_index_names_and_empty_indexes() -> None:
    with pytest.raises(SchemaError, match="table ix_twice: two indexes are named 'ix'"):

        class IxTwice(Table, name="ix_twice"):
            a: Column[int | None] = integer()
            __constraints__ = (index("ix").on(a), index("ix").on(a))

    with pytest.raises(SchemaError, match=r"table ix_empty: index 'ix' has no columns; call \.on\(\.\.\.\)"):

        class IxEmpty(Table, name="ix_empty"):
            a: Column[int | None] = integer()
            __constraints__ = (index("ix"),)


def test_bad_modes_and_actions() -> None:
    with pytest.raises(SchemaError, match=r"integer\(\): unknown mode 'date'"):
        integer(mode="date")  # type: ignore[call-overload]
    with pytest.raises(SchemaError, match=r"text\(enum=\.\.\.\): give a non-empty sequence of strings"):
        text(enum=())
    with pytest.raises(SchemaError, match="foreign key action 'delete' is not one of"):
        integer().references(lambda: Other3.id, on_delete="delete")  # type: ignore[arg-type]


class Other3(Table, name="other3"):
    id: Column[int] = integer().primary_key()


def test_table_without_columns() -> None:
    with pytest.raises(SchemaError, match=r"table empty_table \(class EmptyTable\) has no columns"):

        class EmptyTable(Table, name="empty_table"):
            pass
