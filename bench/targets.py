"""Issue 21's target table: every row measured in this run against the raw driver, met / missed.

Called by `bench/run.py` at the end (the Northwind summaries of the SQLite, PostgreSQL and MariaDB
parts, plus the measurements below), printed and written to `bench/TARGETS.md`:

- scaling: a full-row read of a 4-column table at 10k / 100k / 1M rows, mizzle `.all()` vs raw
  `fetchall()`, time and peak RSS (`streaming.py`, a fresh process per run);
- streaming: 1M rows through `.iter(batch_size=1000)` (sync and async) vs a raw `fetchmany(1000)`
  loop: throughput and peak RSS;
- bulk insert: 1M rows, `db.insert(T).values([...]).run()` vs raw `executemany` (reported);
- PostgreSQL relational without an index on the foreign key: `find_many(with_=children)` vs the
  raw join + grouping in Python.

    python bench/targets.py --quick      # only the extra measurements, tiny sizes
"""
from __future__ import annotations

import argparse
import math
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))

import streaming  # noqa: E402


def _geo(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def _ratios(summary, lib, qs):
    out = {}
    for q in qs:
        r = (summary.get(lib) or {}).get(q)
        if r and r.get("ratio"):
            out[q] = r["ratio"]
    return out


# ---- extra measurements ---------------------------------------------------------------------

def scaling(sizes, rounds):
    out = {}
    for n in sizes:
        out[n] = streaming.run(n, rounds, modes=("raw_all", "all"))
    return out


def stream_1m(rows, rounds):
    return streaming.run(rows, rounds, modes=("raw_iter", "iter", "async_iter", "raw_async_iter"))


def bulk_insert(rows, rounds):
    """Seconds for raw executemany vs mizzle insert(...).values(list).run(), median, interleaved."""
    import mizzle
    from mizzle.sqlite import Column, Table, integer, real, text

    class Items(Table, name="items"):
        id: Column[int] = integer().primary_key()
        name: Column[str] = text().not_null()
        qty: Column[int] = integer().not_null()
        price: Column[float] = real().not_null()

    ddl = "create table items (id integer primary key, name text not null, qty integer not null, price real not null)"
    data = [(i, f"item {i}", i % 97, i * 0.25) for i in range(1, rows + 1)]
    dicts = [{"id": i, "name": n, "qty": q, "price": p} for i, n, q, p in data]
    res = {"raw": [], "mizzle": []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for mode in (("raw", "mizzle") if r % 2 == 0 else ("mizzle", "raw")):
                path = os.path.join(tmp, f"{mode}{r}.db")
                if mode == "raw":
                    conn = sqlite3.connect(path, isolation_level=None)
                    conn.execute(ddl)
                    t = time.perf_counter()
                    conn.execute("begin")
                    conn.executemany("insert into items values (?, ?, ?, ?)", data)
                    conn.execute("commit")
                    res[mode].append(time.perf_counter() - t)
                    conn.close()
                else:
                    db = mizzle.connect(path)
                    db.execute(ddl)
                    t = time.perf_counter()
                    with db.transaction():
                        db.insert(Items).values(dicts).run()
                    res[mode].append(time.perf_counter() - t)
                    db.close()
    return {k: statistics.median(v) for k, v in res.items()}


def pg_relational_no_fk_index(url, parents, children, rounds, index=False):
    """(raw join + grouping seconds, mizzle find_many seconds) on PostgreSQL, FK column not indexed
    (`index=True`: the same with an index on children.parent_id, the case that must not regress)."""
    import psycopg

    import mizzle
    from mizzle import relations
    from mizzle.postgres import Column, Table, bigint, boolean, text, timestamp

    class PParents(Table, name="parents"):
        id: Column[int] = bigint().primary_key()
        name: Column[str] = text().not_null()
        created_at: Column[datetime] = timestamp(with_timezone=True).not_null()

    class PChildren(Table, name="children"):
        id: Column[int] = bigint().primary_key()
        parent_id: Column[int] = bigint().not_null().references(lambda: PParents.id)
        label: Column[str] = text().not_null()
        done: Column[bool] = boolean().not_null()

    relations(PParents, lambda r: {"children": r.many(PChildren)})
    import pg_bench
    name, dburl = pg_bench.create_database(url)
    try:
        with psycopg.connect(dburl, autocommit=True) as conn:
            conn.execute("create table parents (id bigint primary key, name text not null, "
                         "created_at timestamptz not null)")
            conn.execute("create table children (id bigint primary key, parent_id bigint not null "
                         "references parents(id), label text not null, done boolean not null)")
            t0 = datetime(2024, 1, 1, tzinfo=UTC)
            with conn.cursor().copy("COPY parents FROM STDIN") as cp:
                for i in range(1, parents + 1):
                    cp.write_row((i, f"parent {i}", t0 + timedelta(seconds=i)))
            with conn.cursor().copy("COPY children FROM STDIN") as cp:
                for i in range(1, parents + 1):
                    for j in range(children):
                        cp.write_row(((i - 1) * children + j + 1, i, f"child {i}.{j}", j % 2 == 0))
            if index:
                conn.execute("create index children_parent_id on children (parent_id)")
            conn.execute("analyze")
            db = mizzle.connect(dburl)
            q = db.query(PParents).find_many(with_={"children": {"order_by": PChildren.id}}, order_by=PParents.id)
            prepared = q.prepare()

            def raw():
                rows = conn.execute(
                    "select p.id, p.name, p.created_at, c.id, c.parent_id, c.label, c.done from parents p "
                    "left join children c on c.parent_id = p.id order by p.id, c.id").fetchall()
                out, cur = [], None
                for pid, pname, created, cid, cpid, label, done in rows:
                    if cur is None or cur[0] != pid:
                        cur = (pid, pname, created, [])
                        out.append(cur)
                    if cid is not None:
                        cur[3].append((cid, cpid, label, done))
                return out

            mine, theirs = prepared.all(), raw()
            assert len(mine) == len(theirs) == parents
            assert [tuple(c) for c in mine[0].children] == theirs[0][3]
            ts = {"raw": [], "mizzle": []}
            for _ in range(rounds):
                for k, fn in (("raw", raw), ("mizzle", prepared.all)):
                    t = time.perf_counter()
                    fn()
                    ts[k].append(time.perf_counter() - t)
            db.close()
        return {k: statistics.median(v) for k, v in ts.items()}
    finally:
        pg_bench.drop_database(url, name)


# ---- the table ---------------------------------------------------------------------------------

def rows_for(sqlite=None, pg=None, my=None, extra=None):
    """[(path, figure, target, met)] — met is True / False, or None when not measured in this run."""
    R = []

    def add(path, figure, target, met):
        R.append((path, figure, target, met))

    if sqlite:
        s, qs = sqlite["summary"], sqlite["queries"]
        for lib, label, g_lim, m_lim in (("mizzle", "SQLite reads, prepared row objects", 1.10, 1.2),
                                         ("mizzle_builder", "SQLite reads, builder (no prepare)", 1.25, 1.5)):
            rs = _ratios(s, lib, qs["read"])
            if rs:
                g, worst = _geo(rs.values()), max(rs, key=lambda k: rs[k])
                add(label, f"{g:.2f}x geomean, worst {worst} {rs[worst]:.2f}x",
                    f"<= {g_lim}x, none above {m_lim}x", g <= g_lim and rs[worst] <= m_lim)
        rs = _ratios(s, "mizzle_relational", qs["read"])
        if rs:
            g = _geo(rs.values())
            owdp = rs.get("order_with_details_and_products")
            add("SQLite relational", f"{g:.2f}x geomean, order_with_details_and_products "
                + (f"{owdp:.2f}x" if owdp else "?"), "<= 1.15x, owdp <= 1.3x",
                g <= 1.15 and owdp is not None and owdp <= 1.3)
        ins, upd = _ratios(s, "mizzle", ["insert_single"]), _ratios(s, "mizzle", ["update_by_id"])
        if ins and upd:
            a, b = ins["insert_single"], upd["update_by_id"]
            add("SQLite writes, prepared single rows", f"insert {a:.2f}x, update {b:.2f}x", "<= 1.3x",
                a <= 1.3 and b <= 1.3)
        rs = _ratios(s, "mizzle_builder", qs["write"])
        if rs:
            g = _geo(rs.values())
            add("SQLite writes, builder", f"{g:.2f}x geomean (" + ", ".join(f"{k} {v:.2f}x" for k, v in rs.items())
                + ")", "<= 1.5x", g <= 1.5)
    rel = (extra or {}).get("pg_relational")
    if rel:
        r = rel["mizzle"] / rel["raw"]
        add("PostgreSQL relational, FK columns not indexed", f"{r:.2f}x ({rel['mizzle'] * 1e3:.0f} ms vs "
            f"{rel['raw'] * 1e3:.0f} ms raw join + grouping, {rel['shape']})", "<= 1.5x", r <= 1.5)
    for label, part, pre, bld in (("PostgreSQL", pg, "mizzle_pg", "mizzle_pg_builder"),
                                  ("MariaDB", my, "mizzle_my", "mizzle_my_builder")):
        if not part:
            add(f"{label} reads (prepared / builder)", "not measured (server unreachable or its benchmark libraries missing: see the run's log)", "<= 1.10x / <= 1.25x", None)
            continue
        gp = _geo(_ratios(part["summary"], pre, part["queries"]["read"]).values())
        gb = _geo(_ratios(part["summary"], bld, part["queries"]["read"]).values())
        if gp and gb:
            add(f"{label} reads (prepared / builder)", f"{gp:.2f}x / {gb:.2f}x", "<= 1.10x / <= 1.25x",
                gp <= 1.10 and gb <= 1.25)
    sc = (extra or {}).get("scaling")
    if sc:
        figs = {n: r["all"]["seconds"] / r["raw_all"]["seconds"] for n, r in sc.items()}
        add("read N rows into row objects (" + " / ".join(f"{n:,}" for n in figs) + ")",
            " / ".join(f"{v:.2f}x" for v in figs.values()), "<= 1.2x at every size",
            all(v <= 1.2 for v in figs.values()))
    st = (extra or {}).get("streaming")
    if st:
        raw = st["raw_iter"]
        tp = {m: st[m]["rows_per_s"] / raw["rows_per_s"] for m in ("iter", "async_iter")}
        add(f"iterate {extra['streaming_rows']:,} rows (.iter(), sync / async)",
            f"throughput {tp['iter']:.2f}x / {tp['async_iter']:.2f}x raw cursor; peak RSS "
            f"{st['iter']['peak_rss_mb']:.0f} / {st['async_iter']['peak_rss_mb']:.0f} MB (raw {raw['peak_rss_mb']:.0f} MB)"
            + (f"; raw aiosqlite `async for` {st['raw_async_iter']['rows_per_s'] / raw['rows_per_s']:.2f}x"
               if "raw_async_iter" in st else ""),
            "constant memory, >= 0.9x throughput", tp["iter"] >= 0.9 and tp["async_iter"] >= 0.9)
    return R


def extra_lines(extra):
    L = []
    sc = extra.get("scaling")
    if sc:
        L += ["## Scaling: full-row read of a 4-column table (fresh process per run)\n",
              "| rows | raw fetchall() | mizzle .all() | ratio | peak RSS raw / mizzle |", "|---|---|---|---|---|"]
        for n, r in sc.items():
            L.append(f"| {n:,} | {r['raw_all']['seconds']:.3f} s | {r['all']['seconds']:.3f} s | "
                     f"{r['all']['seconds'] / r['raw_all']['seconds']:.2f}x | "
                     f"{r['raw_all']['peak_rss_mb']:.0f} / {r['all']['peak_rss_mb']:.0f} MB |")
        L.append("")
    st = extra.get("streaming")
    if st:
        L += [f"## Streaming {extra['streaming_rows']:,} rows\n", "| mode | seconds | rows/s | peak RSS |", "|---|---|---|---|"]
        for m, r in st.items():
            L.append(f"| {m} | {r['seconds']:.3f} | {r['rows_per_s']:,.0f} | {r['peak_rss_mb']:.0f} MB |")
        L.append("")
    for key, what in (("pg_relational", "without"), ("pg_relational_indexed", "with")):
        rel = extra.get(key)
        if rel:
            L.append(f"PostgreSQL relational {what} an index on the foreign key ({rel['shape']}): raw join + grouping "
                     f"{rel['raw'] * 1e3:.0f} ms, mizzle `find_many(with_=...)` {rel['mizzle'] * 1e3:.0f} ms: "
                     f"**{rel['mizzle'] / rel['raw']:.2f}x**\n")
    bi = extra.get("bulk_insert")
    if bi:
        L += [f"## Bulk insert of {extra['bulk_rows']:,} rows (one transaction)\n",
              f"raw `executemany` {bi['raw']:.2f} s, mizzle `insert(T).values([...]).run()` {bi['mizzle']:.2f} s: "
              f"**{bi['mizzle'] / bi['raw']:.2f}x**\n"]
    return L


def measure_extra(quick, pg_url=None, rounds=None):
    extra = {}
    r = rounds or (1 if quick else 3)
    sizes = (1_000, 10_000) if quick else (10_000, 100_000, 1_000_000)
    print("measuring scaling ...", file=sys.stderr, flush=True)
    extra["scaling"] = scaling(sizes, r)
    extra["streaming_rows"] = 10_000 if quick else 1_000_000
    print("measuring streaming ...", file=sys.stderr, flush=True)
    extra["streaming"] = stream_1m(extra["streaming_rows"], r)
    extra["bulk_rows"] = 10_000 if quick else 1_000_000
    print("measuring bulk insert ...", file=sys.stderr, flush=True)
    extra["bulk_insert"] = bulk_insert(extra["bulk_rows"], r)
    if pg_url:
        import pg_bench
        if pg_bench.reachable(pg_url) is None:
            parents, children = (200, 5) if quick else (2000, 10)
            print("measuring PostgreSQL relational without FK index ...", file=sys.stderr, flush=True)
            rel = pg_relational_no_fk_index(pg_url, parents, children, 3 if quick else 5)
            rel["shape"] = f"{parents:,} parents x {children} children"
            extra["pg_relational"] = rel
            print("measuring PostgreSQL relational with the FK index ...", file=sys.stderr, flush=True)
            rel = pg_relational_no_fk_index(pg_url, parents, children, 3 if quick else 5, index=True)
            rel["shape"] = f"{parents:,} parents x {children} children"
            extra["pg_relational_indexed"] = rel
    return extra


def report(rows, extra, path=None, command="python bench/run.py"):
    L = ["# Issue 21 targets\n",
         f"Generated by `{command}` on {time.strftime('%Y-%m-%d %H:%M')}; every figure is a median over "
         "interleaved rounds against the raw driver in the same run.\n",
         "| path | this run | target | |", "|---|---|---|---|"]
    for path_, fig, target, met in rows:
        L.append(f"| {path_} | {fig} | {target} | {'met' if met else 'not measured' if met is None else '**missed**'} |")
    L.append("")
    L += extra_lines(extra)
    text = "\n".join(L) + "\n"
    print("\n" + text)
    if path:
        with open(path, "w") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser(description="the extra measurements of issue 21's target table")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--pg-url", default=os.environ.get("MIZZLE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    extra = measure_extra(a.quick, a.pg_url)
    report(rows_for(extra=extra), extra, a.out)


if __name__ == "__main__":
    main()
