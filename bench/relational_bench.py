"""Relational query benchmark: `find_many(with_=...)` vs a hand-written join + grouping with raw sqlite3.

    python bench/relational_bench.py [--parents 10000] [--children 10] [--rounds 7]

Both sides read every parent with its children (ordered by child id) into objects with
attribute access: mizzle through one JSON-aggregating statement, the baseline through
`parents LEFT JOIN children ORDER BY parent, child` and a Python loop that groups the rows
into namedtuples. Prints the best and median times of each and the ratio (target <= 2x).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import mizzle
from mizzle import relations
from mizzle.sqlite import Column, Table, index, integer, text


class Parents(Table, name="parents"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    created_at: Column[datetime] = integer(mode="timestamp").not_null()


class Children(Table, name="children"):
    id: Column[int] = integer().primary_key()
    parent_id: Column[int] = integer().not_null().references(lambda: Parents.id)
    label: Column[str] = text().not_null()
    done: Column[bool] = integer(mode="boolean").not_null()
    __constraints__ = (index("idx_children_parent").on(parent_id),)


relations(Parents, lambda r: {"children": r.many(Children)})


class RawChild(NamedTuple):
    id: int
    parent_id: int
    label: str
    done: bool


class RawParent(NamedTuple):
    id: int
    name: str
    created_at: datetime
    children: list[RawChild]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def raw_join(conn: sqlite3.Connection) -> list[RawParent]:
    """The hand-written version: one join, grouped in Python, values decoded like mizzle does."""
    from datetime import timedelta

    rows = conn.execute(
        "select p.id, p.name, p.created_at, c.id, c.parent_id, c.label, c.done "
        "from parents p left join children c on c.parent_id = p.id order by p.id, c.id"
    ).fetchall()
    out: list[RawParent] = []
    current: RawParent | None = None
    for pid, name, created, cid, cpid, label, done in rows:
        if current is None or current.id != pid:
            current = RawParent(pid, name, EPOCH + timedelta(seconds=created), [])
            out.append(current)
        if cid is not None:
            current.children.append(RawChild(cid, cpid, label, bool(done)))
    return out


def populate(path: str, parents: int, children: int) -> None:
    """Create and fill the database file."""
    db = mizzle.connect(path)
    mizzle.create_all(db, [Parents, Children])
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    with db.transaction():
        db.insert(Parents).values([{"id": i, "name": f"parent {i}", "created_at": t0} for i in range(1, parents + 1)]).run()
        db.insert(Children).values([
            {"id": (i - 1) * children + j + 1, "parent_id": i, "label": f"child {i}.{j}", "done": j % 2 == 0}
            for i in range(1, parents + 1) for j in range(children)
        ]).run()
    db.close()


def timed(fn: Callable[[], Any], rounds: int) -> tuple[list[float], Any]:
    """Run `fn` `rounds` times; return the durations and the last result."""
    times: list[float] = []
    result: Any = None
    for _ in range(rounds):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return times, result


def main() -> None:
    """Run the benchmark and print the comparison."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--parents", type=int, default=10_000)
    ap.add_argument("--children", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "rel.db")
        populate(path, args.parents, args.children)
        db = mizzle.connect(path)
        conn = sqlite3.connect(path)
        query = db.query(Parents).find_many(with_={"children": {"order_by": Children.id}}, order_by=Parents.id)
        prepared = query.prepare()

        def fresh() -> Any:
            return db.query(Parents).find_many(
                with_={"children": {"order_by": Children.id}}, order_by=Parents.id).all()

        # warm up (page cache, decoder compilation), and check both sides agree
        mine, theirs = prepared.all(), raw_join(conn)
        assert len(mine) == len(theirs) == args.parents
        for a, b in zip(mine, theirs, strict=True):
            assert (a.id, a.name, a.created_at) == (b.id, b.name, b.created_at)
            assert [tuple(c) for c in a.children] == [tuple(c) for c in b.children]
        results: dict[str, list[float]] = {}
        for _ in range(2):  # interleave to even out noise
            for name, fn in (("raw sqlite3 join + grouping", lambda: raw_join(conn)),
                             ("mizzle find_many (prepared)", prepared.all),
                             ("mizzle find_many (built each call)", fresh)):
                times, _ = timed(fn, args.rounds)
                results.setdefault(name, []).extend(times)
        base = min(results["raw sqlite3 join + grouping"])
        print(f"{args.parents} parents x {args.children} children, sqlite {sqlite3.sqlite_version}, "
              f"Python {sys.version.split()[0]}")
        print(f"{'':40} {'best ms':>9} {'median ms':>10} {'ratio (best)':>13}")
        for name, times in results.items():
            print(f"{name:40} {min(times) * 1000:9.1f} {statistics.median(times) * 1000:10.1f} "
                  f"{min(times) / base:12.2f}x")
        conn.close()
        db.close()


if __name__ == "__main__":
    main()
