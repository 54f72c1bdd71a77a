"""The main flow on embedded SQLite: migrations applied, rows written, queries read back and printed.

Run `bash scripts/demo.sh` from the repository root (it generates and applies the migrations first).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from schema import Messages, Sessions, Settings  # noqa: E402

import mizzle  # noqa: E402
from mizzle import count, desc, eq, excluded, is_not_null, placeholder  # noqa: E402


def show(title: str, rows: object) -> None:
    """Print a heading and the rows under it."""
    print(f"\n\033[1m{title}\033[0m")
    items = rows if isinstance(rows, list) else [rows]
    for row in items:  # pyright: ignore[reportUnknownVariableType]
        print("  ", row)


def main() -> None:
    """Write and read the seed-000 data through mizzle."""
    db_path = HERE / os.environ.get("QUICKSTART_DB", "quickstart.db")
    statements: list[str] = []
    db = mizzle.connect(f"sqlite:///{db_path}", logger=lambda sql, params: statements.append(sql))
    applied = mizzle.migrate(db, HERE / "drizzle")
    print(f"migrations: {applied}")

    with db.transaction() as tx:
        s1 = tx.insert(Sessions).values(title="Fix the login bug", cwd="/src/app", allowed_tools=["bash", "edit"]) \
            .returning().one()
        s2 = tx.insert(Sessions).values(title="Write release notes", cwd="/src/docs").returning().one()
        tx.insert(Messages).values([
            {"session_id": s1.id, "type": "user_prompt", "data": {"prompt": "why does login fail?"}},
            {"session_id": s1.id, "type": "assistant", "data": {"text": "the token check is inverted"}},
            {"session_id": s2.id, "type": "user_prompt", "data": {"prompt": "summarise the changes"}},
        ]).run()
        for key, value in {"theme": "dark", "model": "sonnet"}.items():
            tx.insert(Settings).values(key=key, value=value).on_conflict_do_update(
                target=Settings.key, set={"value": excluded(Settings.value)}).run()

    db.update(Sessions).set(status="running").where(eq(Sessions.id, s1.id)).run()

    show("sessions (newest first) -> list[Sessions]",
         db.select().from_(Sessions).order_by(desc(Sessions.created_at), Sessions.title).all())
    show("messages per session -> list[tuple[str, int]]",
         db.select(Sessions.title, count(Messages.id)).from_(Sessions)
         .left_join(Messages, eq(Messages.session_id, Sessions.id)).group_by(Sessions.id).order_by(Sessions.title).all())
    show("recent cwds (select distinct)",
         db.select_distinct(Sessions.cwd).from_(Sessions).where(is_not_null(Sessions.cwd)).all())
    by_id = db.select().from_(Sessions).where(eq(Sessions.id, placeholder("id"))).prepare()
    show("prepared by id", by_id.get(id=s2.id))
    statements.clear()
    tree = db.query(Sessions).find_first(where=eq(Sessions.id, s1.id), with_=[Sessions.messages]).get()
    show(f"relational query: a session with its messages in {len(statements)} SQL statement", tree)
    show("settings", db.select().from_(Settings).order_by(Settings.key).all())
    db.close()


if __name__ == "__main__":
    main()
