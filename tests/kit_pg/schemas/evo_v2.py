"""Evolution test schema, version 2: type change with USING, not-null flips, enum values, a rename, gin/hash indexes."""

from mizzle.postgres import Column, Table, index, integer, pg_enum, serial, text, timestamptz, varchar

mood = pg_enum("mood", ["sad", "meh", "ok", "happy"])


class Items(Table, name="items"):
    id: Column[int] = serial("id").primary_key()
    code: Column[int | None] = integer("code")
    title: Column[str] = varchar("title", length=50).not_null()
    note: Column[str | None] = text("note")
    feeling: Column[str | None] = mood("feeling")
    name: Column[str | None] = text("name").renamed_from("label")
    tags: Column[list[str] | None] = text("tags").array()
    seen: Column[object | None] = timestamptz("seen")

    __constraints__ = lambda t: (  # noqa: E731
        index("items_tags_gin").using("gin").on(t.tags),
        index("items_title_hash").using("hash").on(t.title),
    )
