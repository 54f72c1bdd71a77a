"""The numbers of docs/scaling.md: point-read latency on a local file, an embedded replica and a
libSQL server; replica sync time for 10k rows; round trips and time of a batch vs a transaction.

    .venv/bin/python bench/libsql_scaling.py        # starts its own sqld (bash scripts/sqld.sh install)

Uses `MIZZLE_LIBSQL_URL` / `MIZZLE_LIBSQL_TOKEN` when set (the server is then emptied first!).
Round trips are counted by a proxy in front of the server (tests/libsql/_proxy.py), one line per
HTTP request.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "libsql")]

from _proxy import CountingProxy  # noqa: E402

import mizzle  # noqa: E402
from _sqld import Sqld, reset, sqld_binary  # noqa: E402
from mizzle.sqlite import Column, Table, integer, text  # noqa: E402


class Rows(Table, name="bench_rows"):
    id: Column[int] = integer().primary_key()
    name: Column[str] = text().not_null()
    n: Column[int] = integer().not_null()


def median_ms(fn: Callable[[], object], n: int) -> float:
    for _ in range(min(20, n)):
        fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def fill(db: mizzle.Database, count: int, start: int = 0) -> None:
    for lo in range(start, start + count, 500):
        chunk = [{"id": i + 1, "name": f"row {i}", "n": i} for i in range(lo, min(lo + 500, start + count))]
        db.batch([db.insert(Rows).values(chunk)])


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="mizzle-scaling-"))
    proc: Sqld | None = None
    url, token = os.environ.get("MIZZLE_LIBSQL_URL"), os.environ.get("MIZZLE_LIBSQL_TOKEN", "")
    if not url:
        binary = sqld_binary()
        if binary is None:
            sys.exit("no sqld: run `bash scripts/sqld.sh install` first (or set MIZZLE_LIBSQL_URL)")
        proc = Sqld(binary, tmp / "sqld").start()
        url, token = proc.url, proc.token
    try:
        primary = mizzle.connect(url, auth_token=token)
        reset(primary)
        mizzle.create_all(primary, [Rows])
        fill(primary, 1000)

        local = mizzle.connect(str(tmp / "local.db"))
        libsql_file = mizzle.connect(str(tmp / "libsql.db"), driver="libsql")
        for db in (local, libsql_file):
            mizzle.create_all(db, [Rows])
            fill(db, 1000)
        replica = mizzle.connect(f"file:{tmp / 'replica.db'}", driver="libsql", sync_url=url, auth_token=token,
                                 check=True)
        print("point read by primary key, median of 2000 (ms):")
        for label, db, n in (("sqlite3 file", local, 2000), ("libsql file", libsql_file, 2000),
                             ("embedded replica", replica, 2000), ("libSQL server (http, loopback)", primary, 500)):
            prepared = db.select().from_(Rows).where(mizzle.eq(Rows.id, mizzle.placeholder("id"))).prepare()
            print(f"  {label:32s} {median_ms(lambda p=prepared: p.get(id=500), n):8.3f}")

        fill(primary, 10_000, start=1000)
        t0 = time.perf_counter()
        replica.sync()
        inc = time.perf_counter() - t0
        t0 = time.perf_counter()
        replica.sync()
        noop = time.perf_counter() - t0
        assert replica.count(Rows) == 11_000
        t0 = time.perf_counter()
        fresh = mizzle.connect(f"file:{tmp / 'fresh.db'}", driver="libsql", sync_url=url, auth_token=token,
                               check=True)
        first = time.perf_counter() - t0
        assert fresh.count(Rows) == 11_000
        print(f"replica sync of 10,000 new rows: {inc * 1000:.1f} ms; no-op sync {noop * 1000:.1f} ms; "
              f"opening a new replica of 11,000 rows: {first * 1000:.1f} ms")

        stmts = [primary.update(Rows).set(n=i).where(mizzle.eq(Rows.id, i + 1)) for i in range(10)]

        def in_transaction(db: mizzle.Database) -> None:
            with db.transaction() as tx:
                for s in stmts:
                    tx.run(s)

        batch_ms = median_ms(lambda: primary.batch(stmts), 50)
        tx_ms = median_ms(lambda: in_transaction(primary), 50)
        with CountingProxy(url, tmp / "requests.log") as proxy:  # counts only: the proxy adds its own latency
            db = mizzle.connect(proxy.url, auth_token=token)
            db.execute("select 1")
            proxy.clear()
            db.batch(stmts)
            batch_requests = len(proxy.requests)
            proxy.clear()
            in_transaction(db)
            tx_requests = len(proxy.requests)
            db.close()
        print(f"10 updates: db.batch {batch_requests} HTTP request(s), median {batch_ms:.1f} ms; "
              f"db.transaction {tx_requests} requests, median {tx_ms:.1f} ms")
        for db in (local, libsql_file, replica, fresh, primary):
            db.close()
    finally:
        if proc is not None:
            proc.stop()


if __name__ == "__main__":
    main()
