"""Typed migration statements, named like drizzle-kit's JSON statements (`create_table`, `recreate_table`, ...).

The differ produces them from two snapshots; a dialect convertor turns each into SQL text.
Table/column payloads are the dialect's snapshot entries (for SQLite: `kit.dialects.sqlite.snapshot`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class Statement:
    """Base of every statement; `table` is the table the statement belongs to (for grouping)."""

    type: ClassVar[str] = ""
    table: str


@dataclass(frozen=True, slots=True)
class CreateTable(Statement):
    """`CREATE TABLE` with the full definition."""

    type: ClassVar[str] = "create_table"
    definition: Any = None


@dataclass(frozen=True, slots=True)
class DropTable(Statement):
    """`DROP TABLE` (`definition` is the dropped table, for warnings and reverses)."""

    type: ClassVar[str] = "drop_table"
    definition: Any = None


@dataclass(frozen=True, slots=True)
class RenameTable(Statement):
    """`ALTER TABLE from RENAME TO table`."""

    type: ClassVar[str] = "rename_table"
    from_name: str = ""


@dataclass(frozen=True, slots=True)
class RenameColumn(Statement):
    """`ALTER TABLE t RENAME COLUMN old TO new`."""

    type: ClassVar[str] = "rename_column"
    from_name: str = ""
    to_name: str = ""


def add_column_problem(col: Any) -> str | None:
    """Why `ALTER TABLE ... ADD` of `col` fails on a table that has rows (on every dialect), or None."""
    if col.not_null and col.default is None and col.generated is None and not getattr(col, "auto_generated", False):
        return "NOT NULL without a default (\"Cannot add a NOT NULL column with default value NULL\")"
    return None


@dataclass(frozen=True, slots=True)
class AddColumn(Statement):
    """`ALTER TABLE t ADD col ...`; `reference` is a single-column FK created with the column."""

    type: ClassVar[str] = "add_column"
    column: Any = None
    reference: Any = None


@dataclass(frozen=True, slots=True)
class DropColumn(Statement):
    """`ALTER TABLE t DROP COLUMN col` (`definition` is the dropped column)."""

    type: ClassVar[str] = "drop_column"
    column: str = ""
    definition: Any = None


@dataclass(frozen=True, slots=True)
class AlterColumn(Statement):
    """A column change (`what`: set_type, set_default, drop_default, set_notnull, drop_notnull,
    set_autoincrement, drop_autoincrement, set_pk, drop_pk, set_generated, drop_generated)."""

    type: ClassVar[str] = "alter_column"
    column: str = ""
    what: str = ""
    old: Any = None
    new: Any = None


@dataclass(frozen=True, slots=True)
class CreateIndex(Statement):
    """`CREATE [UNIQUE] INDEX`."""

    type: ClassVar[str] = "create_index"
    index: Any = None


@dataclass(frozen=True, slots=True)
class DropIndex(Statement):
    """`DROP INDEX`."""

    type: ClassVar[str] = "drop_index"
    index: Any = None


@dataclass(frozen=True, slots=True)
class CreateReference(Statement):
    """A foreign key added to an existing table."""

    type: ClassVar[str] = "create_reference"
    fk: Any = None

    @property
    def is_multicolumn(self) -> bool:
        """Whether the FK spans several columns."""
        return len(self.fk.columns_from) > 1


@dataclass(frozen=True, slots=True)
class DeleteReference(Statement):
    """A foreign key removed (or renamed/altered) from an existing table."""

    type: ClassVar[str] = "delete_reference"
    fk: Any = None


@dataclass(frozen=True, slots=True)
class CreateCompositePK(Statement):
    """A composite primary key added."""

    type: ClassVar[str] = "create_composite_pk"
    pk: Any = None


@dataclass(frozen=True, slots=True)
class DeleteCompositePK(Statement):
    """A composite primary key removed."""

    type: ClassVar[str] = "delete_composite_pk"
    pk: Any = None


@dataclass(frozen=True, slots=True)
class CreateUniqueConstraint(Statement):
    """A table UNIQUE constraint added."""

    type: ClassVar[str] = "create_unique_constraint"
    unique: Any = None


@dataclass(frozen=True, slots=True)
class DeleteUniqueConstraint(Statement):
    """A table UNIQUE constraint removed."""

    type: ClassVar[str] = "delete_unique_constraint"
    unique: Any = None


@dataclass(frozen=True, slots=True)
class CreateCheck(Statement):
    """A CHECK constraint added."""

    type: ClassVar[str] = "create_check_constraint"
    check: Any = None


@dataclass(frozen=True, slots=True)
class DeleteCheck(Statement):
    """A CHECK constraint removed."""

    type: ClassVar[str] = "delete_check_constraint"
    check: Any = None


@dataclass(frozen=True, slots=True)
class RecreateTable(Statement):
    """Rebuild a table (SQLite): create `__new_t`, copy `copy_columns`, drop `t`, rename `__new_t` to `t`."""

    type: ClassVar[str] = "recreate_table"
    definition: Any = None
    copy_columns: tuple[str, ...] = field(default=())
    dropped_columns: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class RawSQL(Statement):
    """Hand-written SQL (custom migrations)."""

    type: ClassVar[str] = "raw_sql"
    sql: str = ""


__all__ = [
    "AddColumn",
    "AlterView",
    "CreateView",
    "DropView",
    "RenameView",
    "AlterColumn",
    "CreateCheck",
    "CreateCompositePK",
    "CreateIndex",
    "CreateReference",
    "CreateTable",
    "CreateUniqueConstraint",
    "DeleteCheck",
    "DeleteCompositePK",
    "DeleteReference",
    "DeleteUniqueConstraint",
    "DropColumn",
    "DropIndex",
    "DropTable",
    "RawSQL",
    "RecreateTable",
    "RenameColumn",
    "RenameTable",
    "Statement",
]


@dataclass(frozen=True, slots=True)
class CreateView(Statement):
    """`CREATE [MATERIALIZED] VIEW` (`table` is the view's snapshot key, `view` its snapshot entry)."""

    type: ClassVar[str] = "create_view"
    view: Any = None
    replace: bool = False
    """`CREATE OR REPLACE` (MySQL: a changed definition)."""


@dataclass(frozen=True, slots=True)
class DropView(Statement):
    """`DROP [MATERIALIZED] VIEW` (`view` is the dropped view's snapshot entry)."""

    type: ClassVar[str] = "drop_view"
    view: Any = None


@dataclass(frozen=True, slots=True)
class RenameView(Statement):
    """`ALTER [MATERIALIZED] VIEW from RENAME TO view` (`table` is the new key, `view` the new entry)."""

    type: ClassVar[str] = "rename_view"
    from_name: str = ""
    view: Any = None
    old: Any = None


@dataclass(frozen=True, slots=True)
class AlterView(Statement):
    """A view's options changed in place (MySQL's `ALTER ALGORITHM = ... VIEW`); `view` is the new entry."""

    type: ClassVar[str] = "alter_view"
    view: Any = None
