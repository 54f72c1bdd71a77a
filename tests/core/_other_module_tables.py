"""A second module declaring a table named like one in test_schema_errors (for the duplicate-name check)."""

from __future__ import annotations

from mizzle.sqlite import Column, Table, integer


class Widgets(Table, name="widgets"):
    id: Column[int] = integer().primary_key()
