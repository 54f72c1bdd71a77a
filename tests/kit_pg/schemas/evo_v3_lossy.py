"""Evolution test schema: v2 without `note` (a lossy change push must count)."""

from mizzle.postgres import Column, Table, integer, pg_enum, serial, text, timestamptz, varchar

mood = pg_enum("mood", ["sad", "meh", "ok", "happy"])


class Items(Table, name="items"):
    id: Column[int] = serial("id").primary_key()
    code: Column[int | None] = integer("code")
    title: Column[str] = varchar("title", length=50).not_null()
    feeling: Column[str | None] = mood("feeling")
    name: Column[str | None] = text("name")
    tags: Column[list[str] | None] = text("tags").array()
    seen: Column[object | None] = timestamptz("seen")
