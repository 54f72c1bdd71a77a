"""`mizzle.__all__` is the public surface: sorted, complete, and every name importable."""

from __future__ import annotations

import importlib

import mizzle
import mizzle.sqlite


def _isort_key(name: str) -> tuple[int, str]:
    """isort-style order (as ruff's RUF022 sorts): CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted_and_unique() -> None:
    names = list(mizzle.__all__)
    assert names == sorted(names, key=_isort_key), "mizzle.__all__ must stay sorted: CONSTANTS, Classes, functions"
    assert len(names) == len(set(names))


def test_every_name_in_all_is_importable() -> None:
    module = importlib.import_module("mizzle")
    missing = [n for n in mizzle.__all__ if not hasattr(module, n)]
    assert missing == []
    namespace: dict[str, object] = {}
    exec("from mizzle import *", namespace)
    assert set(mizzle.__all__) <= set(namespace)


def test_public_names_of_the_core_are_exported() -> None:
    core = {
        "connect", "Database", "Table", "Column", "sql", "SQL", "placeholder", "select", "select_distinct",
        "insert", "update", "delete", "excluded", "alias", "cte", "create_all",
        "eq", "ne", "gt", "gte", "lt", "lte", "and_", "or_", "not_", "in_array", "not_in_array",
        "is_null", "is_not_null", "like", "not_like", "ilike", "not_ilike", "between", "not_between",
        "exists", "not_exists", "asc", "desc", "count", "count_distinct", "sum_", "avg", "min_", "max_",
        "MizzleError", "DatabaseError", "IntegrityError", "UniqueViolation", "ForeignKeyViolation",
        "NotNullViolation", "CheckViolation", "SchemaError", "QueryError", "NoResultError",
        "MultipleResultsError", "RunResult", "Prepared", "Transaction",
    }
    assert core <= set(mizzle.__all__), sorted(core - set(mizzle.__all__))


def test_errors_form_one_hierarchy() -> None:
    for name in mizzle.__all__:
        obj = getattr(mizzle, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, mizzle.MizzleError), name
    for cls in (mizzle.UniqueViolation, mizzle.ForeignKeyViolation, mizzle.NotNullViolation, mizzle.CheckViolation):
        assert issubclass(cls, mizzle.IntegrityError)
        assert issubclass(cls, mizzle.DatabaseError)


def test_sqlite_schema_module_exports() -> None:
    assert list(mizzle.sqlite.__all__) == sorted(mizzle.sqlite.__all__, key=_isort_key)
    for name in mizzle.sqlite.__all__:
        assert hasattr(mizzle.sqlite, name), name
