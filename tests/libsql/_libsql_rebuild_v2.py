"""Version 2 of the rebuild test schema (a module of its own: one table name per module)."""

from __future__ import annotations

from mizzle.sqlite import Column, Table, integer, text


class ParentsV2(Table, name="parents"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null().default("?")  # NOT NULL + default: SQLite must rebuild the table


class KidsV2(Table, name="kids"):
    id: Column[int] = integer().primary_key()
    parent_id: Column[int] = integer().not_null().references(lambda: ParentsV2.id, on_delete="cascade")
