"""Studio grid pages on a 1,000,000-row SQLite table: how long the server takes to answer.

    .venv/bin/python bench/studio_pages.py [--rows 1000000] [--db /tmp/studio_1m.db]

Builds the table once (cached at --db), then times `fetch_page` (the handler behind
`GET /api/tables/{t}/rows`) for the first page, a page deep in the table (offset 900,000),
the last page, "next" from a deep key, a deep page sorted by another indexed column, and a
filtered deep page; then the same deep page through the HTTP server. Reports median and max
of several runs in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import threading
import time
import urllib.request
from datetime import datetime
from typing import Any

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src"))

import mizzle
from mizzle.sqlite import Column, Table, index, integer, real, text
from mizzle.studio.app import Studio
from mizzle.studio.grid import fetch_page, parse_query
from mizzle.studio.server import make_server


class Events(Table, name="events"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
    kind: Column[str] = text(enum=("click", "view", "buy")).not_null()
    payload: Column[Any] = text(mode="json")
    amount: Column[float | None] = real()
    done: Column[bool] = integer(mode="boolean").not_null().default(False)
    created_at: Column[datetime] = integer(mode="timestamp").not_null()
    __constraints__ = (index("events_created_idx").on(created_at),)


def build(path: str, rows: int) -> None:
    """Create and fill the table with plain sqlite3 (fast), unless it is already there."""
    if os.path.exists(path):
        con = sqlite3.connect(path)
        try:
            if con.execute("select count(*) from events").fetchone()[0] == rows:
                return
        except sqlite3.Error:
            pass
        con.close()
        os.remove(path)
    db = mizzle.connect(path)
    mizzle.create_all(db, [Events])
    db.close()
    con = sqlite3.connect(path)
    base = 1_700_000_000
    kinds = ("click", "view", "buy")
    with con:
        con.executemany(
            "insert into events (name, kind, payload, amount, done, created_at) values (?, ?, ?, ?, ?, ?)",
            ((f"event {i}", kinds[i % 3], json.dumps({"n": i}) if i % 10 == 0 else None, i * 0.5,
              i % 2, base + (i * 7919) % rows) for i in range(rows)),
        )
    con.close()


def timed(fn: Any, runs: int) -> tuple[float, float]:
    times: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    """Run the benchmark and print a table of timings."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--db", default="/tmp/studio_1m.db")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    t0 = time.perf_counter()
    build(args.db, args.rows)
    print(f"table ready ({args.rows:,} rows) in {time.perf_counter() - t0:.1f}s")
    db = mizzle.connect(args.db)
    studio = Studio(db, [Events])
    deep = args.rows * 9 // 10
    first = fetch_page(studio, parse_query(studio, Events, {"limit": "50", "offset": str(deep)}))
    deep_key = json.dumps([first["rows"][-1][0]])
    created_idx = list(Events.__table__.columns).index("created_at")
    sorted_first = fetch_page(studio, parse_query(
        studio, Events, {"limit": "50", "offset": str(deep), "sort": "created_at"}))
    sorted_key = json.dumps([sorted_first["rows"][-1][created_idx], sorted_first["rows"][-1][0]])
    cases: list[tuple[str, dict[str, str]]] = [
        ("first page + count", {"limit": "50", "count": "1"}),
        (f"page at offset {deep:,}", {"limit": "50", "offset": str(deep)}),
        ("last page", {"limit": "50", "last": "1"}),
        ("next page after a deep key", {"limit": "50", "after": deep_key}),
        ("prev page before a deep key", {"limit": "50", "before": deep_key}),
        (f"sorted by created_at, offset {deep:,}", {"limit": "50", "offset": str(deep), "sort": "created_at"}),
        ("sorted by created_at, next after deep key", {"limit": "50", "sort": "created_at", "after": sorted_key}),
        (f"filter kind = buy, offset {deep // 3:,}",
         {"limit": "50", "offset": str(deep // 3), "filters": json.dumps([{"column": "kind", "op": "eq", "value": "buy"}])}),
    ]
    print(f"{'case':48} {'median ms':>10} {'max ms':>8}")
    worst = 0.0
    for label, params in cases:
        med, mx = timed(lambda p=params: fetch_page(studio, parse_query(studio, Events, p)), args.runs)
        worst = max(worst, med)
        print(f"{label:48} {med:10.1f} {mx:8.1f}")
    server = make_server(studio, "127.0.0.1", 0)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}/api/tables/events/rows?limit=50&offset={deep}"

    def http_page() -> None:
        req = urllib.request.Request(url, headers={"X-Mizzle-Token": studio.token})
        with urllib.request.urlopen(req) as resp:
            resp.read()

    med, mx = timed(http_page, args.runs)
    print(f"{'HTTP GET page at offset ' + format(deep, ','):48} {med:10.1f} {mx:8.1f}")
    server.shutdown()
    server.server_close()
    db.close()
    print(f"slowest median (server side): {worst:.1f} ms — target < 200 ms")


if __name__ == "__main__":
    main()
