"""The MariaDB/MySQL part of the benchmark: the read queries on a throw-away database.

Run by `python bench/run.py` after the PostgreSQL part (skipped with a message when the server is
unreachable; `--no-mysql` skips it). Creates `mizzle_bench_<pid>` on the server (`--mysql-url`,
default mysql://root@127.0.0.1:3306/test or $MIZZLE_BENCH_MYSQL), copies the SQLite dataset of
the same scale/seed into it, indexes the foreign keys, cross-checks every library against raw
PyMySQL, runs interleaved rounds of the read queries and replaces the "MariaDB" section of
RESULTS.md (between the mysql markers); drops the database. Libraries: `impls/my_impls.py`.
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
import urllib.parse

import dataset
from impls.base import COLUMNS, QUERY_PARAMS, READ_QUERIES

DEFAULT_URL = "mysql://root@127.0.0.1:3306/test"
MY_BASELINE = "raw_pymysql"
MY_REGISTRY: dict[str, str] = {
    "raw_pymysql": "my_impls:RawPyMySQL",           # baseline: tuples
    "mizzle_my": "my_impls:MizzlePrepared",         # prepared, row objects
    "mizzle_my_builder": "my_impls:MizzleBuilder",  # builder on every call
}
START, END = "<!-- mysql-start -->", "<!-- mysql-end -->"
LAST: dict[str, object] = {}  # the last run's summary, for the target table of bench/run.py


def _log(*a):
    import sys
    print(*a, file=sys.stderr, flush=True)


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def my_ddl() -> list[str]:
    ddl = dataset.SCHEMA.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT PRIMARY KEY")
    ddl = re.sub(r"\bINTEGER\b", "BIGINT", ddl).replace(" REAL ", " DOUBLE ")
    ddl = re.sub(r"\bTEXT\b", "VARCHAR(255)", ddl)
    stmts = [s.strip() for s in ddl.split(";") if s.strip()]
    out = []
    for s in stmts:
        out.append(s)
    # MariaDB ignores inline REFERENCES: index every foreign key column explicitly
    out += ["CREATE INDEX order_details_order_id_idx ON order_details(order_id)",
            "CREATE INDEX order_details_product_id_idx ON order_details(product_id)"]
    return out


def _admin(url: str, database: str | None = None):
    from impls.my_impls import connect_raw
    return connect_raw(with_database(url, database or ""))


def load(sqlite_path: str, url: str) -> dict[str, int]:
    counts = {}
    src = sqlite3.connect(sqlite_path)
    conn = _admin(url, urllib.parse.urlsplit(url).path.lstrip("/"))
    try:
        cur = conn.cursor()
        for stmt in my_ddl():
            try:
                cur.execute(stmt)
            except Exception as e:  # an index the schema already declares
                if "Duplicate key name" not in str(e):
                    raise
        conn.autocommit(False)
        for table, cols in COLUMNS.items():
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
            for i in range(0, len(rows), 5000):
                cur.executemany(sql, rows[i:i + 5000])
            conn.commit()
            cur.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
        conn.autocommit(True)
        for table in COLUMNS:
            cur.execute(f"ANALYZE TABLE {table}")
            cur.fetchall()
    finally:
        conn.close()
        src.close()
    return counts


def reachable(url: str) -> str | None:
    try:
        import pymysql  # noqa: F401
    except ImportError:
        return "PyMySQL is not installed"
    try:
        _admin(url).close()
    except Exception as e:
        return f"{type(e).__name__}: {e}"
    return None


def main_mysql(a, argv_list, paths, h) -> int:
    """Run the MariaDB part with the SQLite harness `h` (bench/run.py); 0 ok, 1 errors."""
    why = reachable(a.mysql_url)
    if why is not None:
        _log(f"skipping the MariaDB part: {a.mysql_url} is unreachable ({why}). Start a server or point "
             "--mysql-url / $MIZZLE_BENCH_MYSQL at one; --no-mysql silences this.")
        return 0
    t_start = time.perf_counter()
    scale = a.scale if a.scale is not None else (0.1 if a.quick else 1.0)
    rounds = a.pg_rounds or (2 if a.quick else 3)
    budget = a.budget if a.budget is not None else (0.1 if a.quick else 0.3)
    queries = {"read": list(READ_QUERIES), "write": []}
    if a.queries != "all":
        wanted = {s.strip() for s in a.queries.split(",")}
        queries["read"] = [q for q in READ_QUERIES if q in wanted]
        if not queries["read"]:
            return 0
    libs = h.load_libs(list(MY_REGISTRY), MY_REGISTRY)
    if MY_BASELINE not in libs:
        _log("skipping the MariaDB part: raw_pymysql failed to load")
        return 0
    names = list(libs)
    sqlite_db = dataset.ensure(scale, a.seed)
    params = dataset.params(scale, a.seed)
    name = f"mizzle_bench_{os.getpid()}"
    admin = _admin(a.mysql_url)
    admin.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
    admin.cursor().execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    url = with_database(a.mysql_url, name)
    impls = {}
    versions = {}
    try:
        t0 = time.perf_counter()
        counts = load(sqlite_db, url)
        _log(f"MariaDB: loaded scale {scale:g} into {name} in {time.perf_counter() - t0:.1f}s; rounds {rounds}")
        for n, cls in libs.items():
            impls[n] = cls()
            impls[n].setup(url)
            versions.update(impls[n].versions())
        errors = h.run_verify(impls, libs, params, None, None, None, queries, baseline=MY_BASELINE)
        for (n, q), msg in sorted(errors.items()):
            _log(f"  ERROR {n} / {q}: {msg}")
        times = {n: {q: [] for q in queries["read"]} for n in names}
        for rnd in range(rounds):
            order = names[rnd % len(names):] + names[:rnd % len(names)]
            for q in queries["read"]:
                pname = QUERY_PARAMS[q]
                plist = None if pname is None else params[pname]
                for n in order:
                    if (n, q) in errors:
                        times[n][q].append(None)
                        continue
                    per_op, _ = h.time_read(impls[n], q, plist, budget)
                    times[n][q].append(per_op)
            _log(f"MariaDB round {rnd + 1}/{rounds} done")
    finally:
        for impl in impls.values():
            try:
                impl.teardown()
            except Exception:
                pass
        admin.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()

    summary = h.summarize(times, names, queries["read"], baseline=MY_BASELINE)
    LAST.update(summary=summary, queries=queries, errors=errors)
    print("\nMariaDB (ratios to raw PyMySQL returning tuples, same round):")
    h.print_table(summary, names, queries, errors)
    wall = time.perf_counter() - t_start
    if a.no_report:
        return 1 if errors else 0
    server = versions.get("MariaDB server", "?")
    L = ["## MariaDB (read queries)\n",
         f"Generated by `{' '.join(['python bench/run.py', *argv_list])}` on {time.strftime('%Y-%m-%d %H:%M')} "
         f"(wall time {wall:.0f} s). The same dataset copied into a throw-away database on {server} on this "
         "machine (TCP to 127.0.0.1), foreign keys indexed. Each cell: median time per operation and the median "
         f"ratio to **raw PyMySQL returning tuples** in the same round; {rounds} rounds, {budget} s per "
         "library/query/round.\n"]
    L += h.table_lines(summary, names, queries, errors)
    L.append("- Library versions: " + "; ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    L.append("")
    replace_section_markers(paths[0], L)
    return 1 if errors else 0


def replace_section_markers(path: str, lines: list[str]) -> None:
    block = "\n".join([START, *lines, END]) + "\n"
    text = open(path).read() if os.path.exists(path) else "# mizzle benchmark results\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    with open(path, "w") as f:
        f.write(text)
