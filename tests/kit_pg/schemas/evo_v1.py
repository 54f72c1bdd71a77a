"""Evolution test schema, version 1."""

from mizzle.postgres import Column, Table, pg_enum, serial, text, timestamp, varchar

mood = pg_enum("mood", ["sad", "ok"])


class Items(Table, name="items"):
    id: Column[int] = serial("id").primary_key()
    code: Column[str | None] = text("code")
    title: Column[str | None] = varchar("title", length=50)
    note: Column[str] = text("note").not_null()
    feeling: Column[str | None] = mood("feeling")
    label: Column[str | None] = text("label")
    tags: Column[list[str] | None] = text("tags").array()
    seen: Column[object | None] = timestamp("seen")
