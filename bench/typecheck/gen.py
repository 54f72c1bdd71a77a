"""Generate the same 200-table schema and 1,000 typed queries for mizzle and for SQLAlchemy 2.x typed ORM.

`python bench/typecheck/gen.py OUT` writes OUT/mizzle_app/ and OUT/sqla_app/ (schema.py + queries.py each):
5 queries per table (full-row select with a filter, 3-column positional select, inner join with the
previous table, insert, update), every result annotated with its expected type.
"""

from __future__ import annotations

import sys
from pathlib import Path

TABLES = 200


def mizzle_schema() -> str:
    out = ["from __future__ import annotations\n", "from mizzle.sqlite import Column, Table, integer, text\n"]
    for i in range(TABLES):
        out.append(f'''
class T{i}(Table, name="t{i}"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    note: Column[str | None] = text()
    n: Column[int | None] = integer()
    parent_id: Column[int | None] = integer()
''')
    return "".join(out)


def mizzle_queries() -> str:
    out = ["from __future__ import annotations\n", "from mizzle import eq\nfrom mizzle.session.sync import Database\n",
           "from .schema import *  # noqa: F403\n"]
    for i in range(TABLES):
        j = (i + 1) % TABLES
        out.append(f'''
def q{i}(db: Database) -> None:
    a: list[T{i}] = db.select().from_(T{i}).where(eq(T{i}.id, 1)).all()
    b: list[tuple[int, str, str | None]] = db.select(T{i}.id, T{i}.name, T{i}.note).from_(T{i}).all()
    c: list[tuple[str, str]] = db.select(T{i}.name, T{j}.name).from_(T{i}).inner_join(T{j}, eq(T{j}.parent_id, T{i}.id)).all()
    db.insert(T{i}).values(id=1, name="x", note=None).run()
    db.update(T{i}).set(note="y", n=2).where(eq(T{i}.id, 1)).run()
    del a, b, c
''')
    return "".join(out)


def sqla_schema() -> str:
    out = ["from __future__ import annotations\n",
           "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n",
           "class Base(DeclarativeBase):\n    pass\n"]
    for i in range(TABLES):
        out.append(f'''
class T{i}(Base):
    __tablename__ = "t{i}"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    note: Mapped[str | None]
    n: Mapped[int | None]
    parent_id: Mapped[int | None]
''')
    return "".join(out)


def sqla_queries() -> str:
    out = ["from __future__ import annotations\n", "from collections.abc import Sequence\n",
           "from sqlalchemy import Row, insert, select, update\nfrom sqlalchemy.orm import Session\n",
           "from .schema import *  # noqa: F403\n"]
    for i in range(TABLES):
        j = (i + 1) % TABLES
        out.append(f'''
def q{i}(s: Session) -> None:
    a: Sequence[T{i}] = s.scalars(select(T{i}).where(T{i}.id == 1)).all()
    b: Sequence[Row[int, str, str | None]] = s.execute(select(T{i}.id, T{i}.name, T{i}.note)).all()
    c: Sequence[Row[str, str]] = s.execute(select(T{i}.name, T{j}.name).join(T{j}, T{j}.parent_id == T{i}.id)).all()
    s.execute(insert(T{i}).values(id=1, name="x", note=None))
    s.execute(update(T{i}).values(note="y", n=2).where(T{i}.id == 1))
    del a, b, c
''')
    return "".join(out)


def main(out: Path) -> None:
    for pkg, schema, queries in (("mizzle_app", mizzle_schema, mizzle_queries), ("sqla_app", sqla_schema, sqla_queries)):
        d = out / pkg
        d.mkdir(parents=True, exist_ok=True)
        (d / "__init__.py").write_text("")
        (d / "schema.py").write_text(schema())
        (d / "queries.py").write_text(queries())


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "bench/.cache/typecheck"))
