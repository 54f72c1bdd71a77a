"""The PostgreSQL part of the benchmark: the read queries on a throw-away PostgreSQL database.

Run by `python bench/run.py` after the SQLite suite (skipped with a message when the server
is unreachable; `--no-pg` skips it, `--pg-only` runs only this part):

1. creates a database `mizzle_bench_<pid>` on the server (`--pg-url`, default
   postgresql://postgres@127.0.0.1:5432/test, or $MIZZLE_BENCH_PG), copies the SQLite
   dataset of the same scale/seed into it (COPY), indexes the foreign keys, ANALYZE;
2. cross-checks every library against raw psycopg (same method as on SQLite);
3. runs interleaved rounds of the read queries (writes are SQLite only) and reports the median
   time per op and the median same-round ratio to raw psycopg returning tuples;
4. replaces the "PostgreSQL" section of RESULTS.md (between the pg markers), writes
   `ratios-pg.png` and `results-pg.json` next to it; drops the database.

The libraries are in `impls/pg_impls.py`.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import urllib.parse

import dataset
from impls.base import COLUMNS, QUERY_PARAMS, READ_QUERIES

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_BASELINE = "raw_psycopg"
PG_REGISTRY: dict[str, str] = {
    "raw_psycopg": "pg_impls:RawPsycopg",             # baseline: tuples
    "mizzle_pg": "pg_impls:MizzlePrepared",           # prepared, row objects
    "mizzle_pg_builder": "pg_impls:MizzleBuilder",    # builder on every call
    "mizzle_pg_values": "pg_impls:MizzleValues",      # prepared, tuples
    "sqlalchemy_core_pg": "pg_impls:SQLAlchemyCore",  # Core, statements built once
}
START, END = "<!-- pg-start -->", "<!-- pg-end -->"
LAST: dict[str, object] = {}  # the last run's summary, for the target table of bench/run.py


def _log(*a):
    import sys
    print(*a, file=sys.stderr, flush=True)


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` instead."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def pg_ddl() -> list[str]:
    """The dataset's CREATE statements in PostgreSQL types (INTEGER -> bigint, REAL -> double)."""
    ddl = dataset.SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT PRIMARY KEY")
    ddl = re.sub(r"\bINTEGER\b", "BIGINT", ddl).replace(" REAL ", " DOUBLE PRECISION ")
    return [s.strip() for s in ddl.split(";") if s.strip()]


def load(sqlite_path: str, url: str) -> dict[str, int]:
    """Copy every table of the SQLite dataset into the (empty) PostgreSQL database at `url`."""
    import psycopg
    counts = {}
    src = sqlite3.connect(sqlite_path)
    try:
        with psycopg.connect(url) as conn:
            for stmt in pg_ddl():
                conn.execute(stmt)
            for table, cols in COLUMNS.items():  # parents before children
                rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}")
                with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                    for r in rows:
                        cp.write_row(r)
                counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            conn.commit()
            conn.autocommit = True
            conn.execute("ANALYZE")
    finally:
        src.close()
    return counts


def create_database(admin_url: str) -> tuple[str, str]:
    """Create a throw-away database; returns (name, url)."""
    import psycopg
    name = f"mizzle_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, with_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    """Drop the throw-away database (closing any connection left to it)."""
    import psycopg
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def reachable(url: str) -> str | None:
    """None when the server answers, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -r bench/requirements.txt)"
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as e:
        return f"{type(e).__name__}: {str(e).strip()}"
    return None


def replace_section(path: str, lines: list[str]) -> None:
    """Put `lines` between the pg markers of the markdown file (appended when absent)."""
    block = "\n".join([START, *lines, END]) + "\n"
    text = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    else:
        text = "# mizzle benchmark results\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1].lstrip("\n")
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block
    with open(path, "w") as f:
        f.write(text)


def main_pg(a, argv_list, paths, h) -> int:
    """Run the PostgreSQL part with the SQLite harness `h` (bench/run.py); 0 ok, 1 errors."""
    why = reachable(a.pg_url)
    if why is not None:
        _log(f"skipping the PostgreSQL part: {a.pg_url} is unreachable ({why}). Start a server "
             "(user postgres, trust auth) or point --pg-url / $MIZZLE_BENCH_PG at one; "
             "--no-pg silences this.")
        return 0
    t_start = time.perf_counter()
    load_start = h.load_average()
    scale = a.scale if a.scale is not None else (0.1 if a.quick else 1.0)
    rounds = a.pg_rounds or (2 if a.quick else 3)
    budget = a.budget if a.budget is not None else (0.1 if a.quick else 0.3)
    queries = {"read": list(READ_QUERIES), "write": []}
    if a.queries != "all":
        wanted = {s.strip() for s in a.queries.split(",")}
        queries["read"] = [q for q in READ_QUERIES if q in wanted]
        if not queries["read"]:
            return 0
    libs = h.load_libs(list(PG_REGISTRY), PG_REGISTRY)
    if PG_BASELINE not in libs:
        _log("skipping the PostgreSQL part: raw_psycopg failed to load")
        return 0
    names = list(libs)
    sqlite_db = dataset.ensure(scale, a.seed)
    params = dataset.params(scale, a.seed)

    name, url = create_database(a.pg_url)
    impls = {}
    versions = {}
    try:
        t0 = time.perf_counter()
        counts = load(sqlite_db, url)
        _log(f"PostgreSQL: loaded scale {scale:g} into database {name} in "
             f"{time.perf_counter() - t0:.1f}s; libraries: {', '.join(names)}; rounds {rounds}")
        for n, cls in libs.items():
            impls[n] = cls()
            impls[n].setup(url)
            versions.update(impls[n].versions())
        _log("PostgreSQL: cross-checking results against raw psycopg ...")
        errors = h.run_verify(impls, libs, params, None, None, None, queries, baseline=PG_BASELINE)
        for (n, q), msg in sorted(errors.items()):
            _log(f"  ERROR {n} / {q}: {msg}")
        if not errors:
            _log("  all libraries agree on every query")
        times = {n: {q: [] for q in queries["read"]} for n in names}
        for rnd in range(rounds):
            order = names[rnd % len(names):] + names[:rnd % len(names)]
            t_round = time.perf_counter()
            for q in queries["read"]:
                pname = QUERY_PARAMS[q]
                plist = None if pname is None else params[pname]
                for n in order:
                    if (n, q) in errors:
                        times[n][q].append(None)
                        continue
                    per_op, _ = h.time_read(impls[n], q, plist, budget)
                    times[n][q].append(per_op)
            _log(f"PostgreSQL round {rnd + 1}/{rounds} done in {time.perf_counter() - t_round:.1f}s")
    finally:
        for impl in impls.values():
            try:
                impl.teardown()
            except Exception:
                pass
        drop_database(a.pg_url, name)

    summary = h.summarize(times, names, queries["read"], baseline=PG_BASELINE)
    LAST.update(summary=summary, queries=queries, errors=errors)
    print("\nPostgreSQL (ratios to raw psycopg returning tuples, same round):")
    h.print_table(summary, names, queries, errors)
    wall = time.perf_counter() - t_start
    print(f"\nPostgreSQL part: wall time {wall:.0f} s")
    if a.no_report:
        return 1 if errors else 0

    out_md, out_png, out_json = paths
    png = os.path.splitext(out_png)[0] + "-pg.png"
    js = os.path.splitext(out_json)[0] + "-pg.json"
    have_png = h.write_chart(png, summary, names, queries, errors, baseline=PG_BASELINE,
                             title="Northwind on PostgreSQL: overhead vs raw psycopg")
    server = versions.get("PostgreSQL server", "?")
    L = ["## PostgreSQL (read queries)\n",
         f"Generated by `{' '.join(['python bench/run.py', *argv_list])}` on "
         f"{time.strftime('%Y-%m-%d %H:%M')} (wall time {wall:.0f} s). The same dataset (scale "
         f"{scale:g}, seed {a.seed}: " + ", ".join(f"{v} {k}" for k, v in counts.items())
         + f") copied into a throw-away database on PostgreSQL {server} on this machine "
         "(TCP to 127.0.0.1), searches as ILIKE. Each cell: median time per operation and the "
         "median ratio to **raw psycopg returning tuples** measured in the same round. "
         f"{rounds} rounds, {budget} s per library/query/round. psycopg prepares statements "
         "server-side after 5 executions, for every library alike.\n"]
    L += h.table_lines(summary, names, queries, errors)
    if errors:
        L.append("Errors (not timed): " + "; ".join(f"`{n}` / `{q}`: {m}"
                                                   for (n, q), m in sorted(errors.items())) + "\n")
    if have_png:
        L.append(f"![ratio to raw psycopg]({os.path.basename(png)})\n")
    L.append("Spread of the ratio over rounds (min – max):\n")
    L += h.spread_lines(summary, names, queries)
    L.append("")
    L.append("- Library versions: " + "; ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    L.append("- Load average (1 min) at start / end: "
             + " / ".join("?" if x is None else f"{x:.2f}" for x in (load_start, h.load_average())))
    L.append("")
    replace_section(out_md, L)
    with open(js, "w") as f:
        json.dump({"versions": versions, "times": times, "summary": summary, "counts": counts,
                   "errors": {f"{n}/{q}": m for (n, q), m in errors.items()}}, f, indent=1)
    print(f"wrote the PostgreSQL section of {os.path.relpath(out_md)}, {os.path.relpath(js)}"
          + (f", {os.path.relpath(png)}" if have_png else ""))
    return 1 if errors else 0
