"""Streaming and scaling: iterate / read N rows through mizzle vs the raw driver, time and peak RSS.

    python bench/streaming.py                    # 1M rows, 3 interleaved rounds
    python bench/streaming.py --rows 10000 --rounds 1     # smoke run

Each measurement runs in a fresh subprocess (so peak RSS, `ru_maxrss`, belongs to that mode
alone) over the same SQLite file (a 4-column `items` table). Modes:

- `raw_iter`       raw sqlite3 cursor, `fetchmany(1000)` loop (tuples)
- `iter`           mizzle `select().from_(Items).iter(batch_size=1000)` (row objects)
- `async_iter`     mizzle.aio (aiosqlite) `async for ... in ....iter(batch_size=1000)`
- `raw_async_iter` raw aiosqlite cursor, `async for row in cursor` (arraysize 1000): the async floor
                   (one worker-thread hop per batch, an async-generator step per row); reported for
                   context, the ratios stay against the raw sync cursor
- `raw_all`        raw `fetchall()` (tuples)
- `all`            mizzle `.all()` (row objects)

Reported: median seconds over rounds, rows/s, peak RSS (MB), and ratios to the raw driver.
`run(...)` is importable (bench/run.py uses it for the target table).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "src"))

MODES = ("raw_iter", "iter", "async_iter", "raw_async_iter", "raw_all", "all")


def make_db(path: str, rows: int) -> None:
    if os.path.exists(path):
        os.remove(path)
    conn = sqlite3.connect(path)
    conn.execute("create table items (id integer primary key, name text not null, qty integer not null, "
                 "price real not null)")
    conn.executemany("insert into items values (?, ?, ?, ?)",
                     ((i, f"item {i}", i % 97, i * 0.25) for i in range(1, rows + 1)))
    conn.commit()
    conn.close()


def _child(mode: str, path: str) -> dict[str, float]:
    import mizzle
    import mizzle.aio
    from mizzle.sqlite import Column, Table, integer, real, text

    class Items(Table, name="items"):
        id: Column[int] = integer().primary_key()
        name: Column[str] = text().not_null()
        qty: Column[int] = integer().not_null()
        price: Column[float] = real().not_null()

    n = 0
    checksum = 0
    t0 = time.perf_counter()
    if mode == "raw_iter":
        conn = sqlite3.connect(path)
        t0 = time.perf_counter()
        cur = conn.execute("select id, name, qty, price from items")
        while batch := cur.fetchmany(1000):
            for r in batch:
                n += 1
                checksum += r[2]
    elif mode == "raw_all":
        conn = sqlite3.connect(path)
        t0 = time.perf_counter()
        rows = conn.execute("select id, name, qty, price from items").fetchall()
        for r in rows:
            n += 1
            checksum += r[2]
    elif mode == "iter":
        db = mizzle.connect(path)
        t0 = time.perf_counter()
        for item in db.select().from_(Items).iter(batch_size=1000):
            n += 1
            checksum += item.qty
    elif mode == "all":
        db = mizzle.connect(path)
        t0 = time.perf_counter()
        for item in db.select().from_(Items).all():
            n += 1
            checksum += item.qty
    elif mode == "async_iter":
        import asyncio

        async def main() -> tuple[int, int, float]:
            adb = await mizzle.aio.connect(path)
            k = c = 0
            start = time.perf_counter()
            async for item in adb.select().from_(Items).iter(batch_size=1000):
                k += 1
                c += item.qty
            await adb.close()
            return k, c, start

        n, checksum, t0 = asyncio.run(main())
    elif mode == "raw_async_iter":
        import asyncio

        import aiosqlite

        async def raw_main() -> tuple[int, int, float]:
            k = c = 0
            async with aiosqlite.connect(path) as conn:
                start = time.perf_counter()
                async with conn.execute("select id, name, qty, price from items") as cur:
                    cur.arraysize = 1000
                    async for r in cur:
                        k += 1
                        c += r[2]
            return k, c, start

        n, checksum, t0 = asyncio.run(raw_main())
    else:
        raise SystemExit(f"unknown mode {mode}")
    elapsed = time.perf_counter() - t0
    return {"seconds": elapsed, "rows": n, "checksum": checksum,
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM: unlike ru_maxrss it does not inherit the parent's peak)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode: str, path: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", mode, "--db", path],
                         check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(out.stdout)
    return result


def run(rows: int, rounds: int, modes: tuple[str, ...] = MODES, path: str | None = None) -> dict[str, dict[str, float]]:
    """Median seconds and peak RSS per mode (interleaved rounds, rotating the first mode)."""
    tmp = None
    if path is None:
        tmp = tempfile.mkdtemp(prefix="mizzle-stream-")
        path = os.path.join(tmp, f"items-{rows}.db")
    make_db(path, rows)
    samples: dict[str, list[dict[str, float]]] = {m: [] for m in modes}
    for r in range(rounds):
        order = modes[r % len(modes):] + modes[:r % len(modes)]
        for m in order:
            res = measure(m, path)
            assert res["rows"] == rows, (m, res)
            samples[m].append(res)
    out: dict[str, dict[str, float]] = {}
    for m, ss in samples.items():
        secs = statistics.median(s["seconds"] for s in ss)
        out[m] = {"seconds": secs, "rows_per_s": rows / secs if secs else 0.0,
                  "peak_rss_mb": statistics.median(s["peak_rss_mb"] for s in ss)}
    if tmp is not None:
        os.remove(path)
        os.rmdir(tmp)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--db", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.db)))
        return
    res = run(args.rows, args.rounds)
    raw_iter = res["raw_iter"]
    raw_all = res["raw_all"]
    print(f"{args.rows:,} rows, median of {args.rounds} interleaved rounds (fresh process per run)")
    print(f"{'mode':<15} {'seconds':>8} {'rows/s':>12} {'peak RSS MB':>12} {'throughput vs raw':>18}")
    for m, r in res.items():
        base = raw_iter if m.endswith("iter") else raw_all
        print(f"{m:<15} {r['seconds']:>8.3f} {r['rows_per_s']:>12,.0f} {r['peak_rss_mb']:>12.1f} "
              f"{r['rows_per_s'] / base['rows_per_s']:>17.2f}x")


if __name__ == "__main__":
    main()
