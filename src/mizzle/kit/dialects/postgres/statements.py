"""PostgreSQL-only migration statements (schemas, enums, sequences, identity), named like drizzle-kit's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from mizzle.kit.statements import Statement


@dataclass(frozen=True, slots=True)
class CreateSchema(Statement):
    """`CREATE SCHEMA "name"` (`table` holds the schema name)."""

    type: ClassVar[str] = "create_schema"


@dataclass(frozen=True, slots=True)
class DropSchema(Statement):
    """`DROP SCHEMA "name"`."""

    type: ClassVar[str] = "drop_schema"


@dataclass(frozen=True, slots=True)
class CreateEnum(Statement):
    """`CREATE TYPE ... AS ENUM(...)` (`table` holds the enum key `schema.name`)."""

    type: ClassVar[str] = "create_type_enum"
    enum: Any = None


@dataclass(frozen=True, slots=True)
class DropEnum(Statement):
    """`DROP TYPE ...`."""

    type: ClassVar[str] = "drop_type_enum"
    enum: Any = None


@dataclass(frozen=True, slots=True)
class AddEnumValue(Statement):
    """`ALTER TYPE ... ADD VALUE 'v' [BEFORE 'w']`."""

    type: ClassVar[str] = "alter_type_add_value"
    enum: Any = None
    value: str = ""
    before: str = ""


@dataclass(frozen=True, slots=True)
class RenameEnumValue(Statement):
    """`ALTER TYPE ... RENAME VALUE 'old' TO 'new'`."""

    type: ClassVar[str] = "alter_type_rename_value"
    enum: Any = None
    old: str = ""
    new: str = ""


@dataclass(frozen=True, slots=True)
class RecreateEnum(Statement):
    """Values removed from an enum: columns go through text, the type is recreated (drizzle's `alter_type_drop_value`).

    `columns` are (table schema, table name, column, column type, default) of every column using the enum.
    """

    type: ClassVar[str] = "alter_type_drop_value"
    enum: Any = None
    removed: tuple[str, ...] = ()
    columns: tuple[tuple[str, str, str, str, Any], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class CreateSequence(Statement):
    """`CREATE SEQUENCE` (`table` holds the sequence key)."""

    type: ClassVar[str] = "create_sequence"
    sequence: Any = None


@dataclass(frozen=True, slots=True)
class DropSequence(Statement):
    """`DROP SEQUENCE`."""

    type: ClassVar[str] = "drop_sequence"
    sequence: Any = None


@dataclass(frozen=True, slots=True)
class AlterSequence(Statement):
    """`ALTER SEQUENCE` with the new options."""

    type: ClassVar[str] = "alter_sequence"
    sequence: Any = None


@dataclass(frozen=True, slots=True)
class AlterIdentity(Statement):
    """Identity added (`old` None), dropped (`new` None) or changed on an existing column."""

    type: ClassVar[str] = "alter_table_alter_column_identity"
    column: str = ""
    old: Any = None
    new: Any = None


__all__ = [
    "AddEnumValue",
    "AlterIdentity",
    "AlterSequence",
    "CreateEnum",
    "CreateSchema",
    "CreateSequence",
    "DropEnum",
    "DropSchema",
    "DropSequence",
    "RecreateEnum",
    "RenameEnumValue",
]
