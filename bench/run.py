"""Run the Northwind benchmark for every library, interleaved, and report.

    python bench/run.py                      # full run (~5 min on 2 cores)
    python bench/run.py --quick              # ~1 min smoke run at scale 0.1
    python bench/run.py --quick --libs raw_sqlite3,sqlalchemy_core

Every library's results are first cross-checked against raw sqlite3 (row
counts + checksum of a few fields per query, table contents after writes); a
library/query that disagrees or raises is reported as an ERROR and not timed.

Then, for each round, for each query, every library runs in turn (rotating
the starting library every round) for a fixed time budget; the time per
operation is total time / operations.  Reported: median over rounds of the
time per op, and median over rounds of the ratio to raw sqlite3 (tuples)
measured in the same round; geometric mean of those ratios per library over
read queries and over write queries.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import importlib
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
# let `import mizzle` find the in-repo package when it is not installed
if os.path.isdir(os.path.join(REPO, "src")):
    sys.path.append(os.path.join(REPO, "src"))

import dataset  # noqa: E402
import mysql_bench  # noqa: E402
import pg_bench  # noqa: E402
import targets  # noqa: E402
from impls import BASELINE, REGISTRY  # noqa: E402
from impls.base import (CHECK_FIELDS, QUERY_PARAMS, READ_QUERIES,  # noqa: E402
                        SINGLE_ROW_QUERIES, WRITE_QUERIES)

ORDERED_QUERIES = {"orders_with_details"}  # results must come back in this order
VERIFY_PARAMS = 8                          # parameters per query for the cross-check
MISSING_ID = 10 ** 9                       # by-id lookups must return None for it
BLOCK = {"customer_terms": 20, "product_terms": 20}  # params per timed block
DEFAULT_BLOCK = 50


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def implements(lib, q):
    """Whether a library (class or instance) implements query q; others show "—"."""
    return callable(getattr(lib, q, None))


# ------------------------------------------------------------------ libraries
def load_libs(names, registry=REGISTRY):
    """Import the requested impl modules; skip (with a message) those that fail."""
    libs = {}
    for name in names:
        mod = registry.get(name)
        if mod is None:
            log(f"unknown library {name!r} (known: {', '.join(registry)})")
            continue
        try:
            mod, _, attr = mod.partition(":")  # "module" (class Impl) or "module:Class"
            cls = getattr(importlib.import_module(f"impls.{mod}"), attr or "Impl")
        except Exception as e:  # ImportError or anything else at import time
            log(f"skipping {name}: {type(e).__name__}: {e}")
            continue
        libs[name] = cls
    return libs


# ------------------------------------------------------------------ helpers
def fresh_copy(src, tmpdir, tag):
    dst = os.path.join(tmpdir, f"{tag}.db")
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
    shutil.copyfile(src, dst)
    return dst


def remove_db(path):
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def digest_rows(rows, ordered):
    reps = [repr(r) for r in rows]
    if not ordered:
        reps.sort()
    return len(rows), hashlib.sha1("\n".join(reps).encode()).hexdigest()[:16], reps


def table_digest(db_path):
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT * FROM customers ORDER BY id").fetchall()
    finally:
        conn.close()
    return digest_rows(rows, True)


def fmt_time(s):
    if s is None:
        return "-"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} µs"


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def verify_params(query, params):
    pname = QUERY_PARAMS[query]
    if pname is None:
        return [()]
    plist = params[pname][:VERIFY_PARAMS]
    extra = []
    if pname.endswith("_ids"):
        extra = [1, MISSING_ID]   # employee 1 has no manager; missing id -> None/[]
    else:
        extra = ["%zzzq%"]        # a search with no match
    return [(p,) for p in plist + extra]


# ------------------------------------------------------------------ cross-check
def describe_diff(ref, got):
    (rn, rh, rreps), (gn, gh, greps) = ref, got
    if rn != gn:
        return f"row count {gn} != expected {rn}"
    for a, b in zip(rreps, greps):
        if a != b:
            return f"checksum {gh} != {rh}; first difference: got {b[:160]} expected {a[:160]}"
    return f"checksum {gh} != {rh}"


def run_verify(impls, libs, params, payload, base_db, tmpdir, queries, baseline=BASELINE):
    """Return {(lib, query): error message} for every failing cell."""
    errors = {}
    ref = {}
    base = impls[baseline]
    for q in queries["read"]:
        ref[q] = [digest_rows(base.check_rows(q, getattr(base, q)(*a)), q in ORDERED_QUERIES)
                  for a in verify_params(q, params)]
    for name, impl in impls.items():
        if name == baseline:
            continue
        for q in queries["read"]:
            if not implements(impl, q):
                continue
            try:
                for a, expected in zip(verify_params(q, params), ref[q]):
                    got = digest_rows(impl.check_rows(q, getattr(impl, q)(*a)),
                                      q in ORDERED_QUERIES)
                    if got[:2] != expected[:2]:
                        errors[(name, q)] = f"wrong result for args {a!r}: " + \
                            describe_diff(expected, got)
                        break
            except Exception as e:
                errors[(name, q)] = f"{type(e).__name__}: {e}"
                log(traceback.format_exc(limit=4))
    # writes: compare the customers table after the operation
    for q in queries["write"]:
        expected = None
        for name in [BASELINE] + [n for n in libs if n != BASELINE]:
            if not implements(libs[name], q):
                continue
            path = fresh_copy(base_db, tmpdir, f"verify-{name}")
            try:
                inst = libs[name]()
                inst.setup(path)
                try:
                    getattr(inst, q)(write_args(q, payload))
                finally:
                    inst.teardown()
                got = table_digest(path)
                if expected is None:
                    expected = got
                elif got[:2] != expected[:2]:
                    errors[(name, q)] = "table contents differ after write: " + \
                        describe_diff(expected, got)
            except Exception as e:
                errors[(name, q)] = f"{type(e).__name__}: {e}"
                log(traceback.format_exc(limit=4))
            finally:
                remove_db(path)
    return errors


def write_args(q, payload):
    rows = payload["updates"] if q == "update_by_id" else payload["inserts"]
    return [dict(r) for r in rows]  # fresh dicts: impls may not share state across reps


# ------------------------------------------------------------------ timing
def time_read(impl, q, plist, budget):
    fn = getattr(impl, q)
    gc.collect()
    n = 0
    perf = time.perf_counter
    if plist is None:
        t0 = perf()
        while True:
            fn()
            n += 1
            el = perf() - t0
            if el >= budget:
                break
    else:
        block = BLOCK.get(QUERY_PARAMS[q], DEFAULT_BLOCK)
        size = len(plist)
        i = 0
        t0 = perf()
        while True:
            for p in plist[i:i + block]:
                fn(p)
            n += len(plist[i:i + block])
            i = (i + block) % size
            el = perf() - t0
            if el >= budget:
                break
    return el / n, n


def time_write(cls, q, payload, base_db, tmpdir, budget, max_reps=10):
    times = []
    while True:
        path = fresh_copy(base_db, tmpdir, f"write-{cls.name}")
        args = write_args(q, payload)
        inst = cls()
        inst.setup(path)
        try:
            gc.collect()
            t0 = time.perf_counter()
            getattr(inst, q)(args)
            times.append(time.perf_counter() - t0)
        finally:
            inst.teardown()
            remove_db(path)
        if sum(times) >= budget or len(times) >= max_reps:
            break
    return statistics.mean(times), len(times)


# ------------------------------------------------------------------ reporting
def machine_info():
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    mem = None
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} logical ({usable} usable)",
        "memory": mem or "unknown",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
    }


def summarize(times, names, queries, baseline=BASELINE):
    """times[lib][q] -> list of per-round seconds/op (None when not measured)."""
    summary = {}
    for name in names:
        s = summary[name] = {}
        for q in queries:
            ts = times[name].get(q) or []
            base = times[baseline].get(q) or []
            pairs = [(t, b) for t, b in zip(ts, base) if t is not None and b]
            if not pairs:
                s[q] = None
                continue
            s[q] = {
                "median": statistics.median(t for t, _ in pairs),
                "ratio": statistics.median(t / b for t, b in pairs),
                "ratio_min": min(t / b for t, b in pairs),
                "ratio_max": max(t / b for t, b in pairs),
                "rounds": len(pairs),
            }
    return summary


def geo(summary, name, qs, skips=frozenset()):
    """(geomean of the ratios over qs, complete?); queries the library skips by design don't count."""
    qs = [q for q in qs if (name, q) not in skips]
    vals = [summary[name][q]["ratio"] for q in qs if summary[name].get(q)]
    if len(vals) < len(qs):  # incomplete: geomean over what was measured, flagged
        return geomean(vals), False
    return geomean(vals), True


def geo_label(summary, name, qs, skips, fmt):
    """The geomean cell: value, '*' when some queries errored, '(k of n)' for a subset library."""
    g, complete = geo(summary, name, qs, skips)
    if g is None:
        return "—" if all((name, q) in skips for q in qs) else "-"
    own = [q for q in qs if (name, q) not in skips]
    return fmt(g) + ("" if complete else "*") + ("" if len(own) == len(qs) else f" ({len(own)}/{len(qs)})")


SKIP = "—"  # a query the library does not implement (by design)


def print_table(summary, names, queries, errors, skips=frozenset()):
    w = max(len(q) for q in queries["read"] + queries["write"]) + 2
    colw = 22
    head = "query".ljust(w) + "".join(n[:colw - 1].rjust(colw) for n in names)
    print()
    print(head)
    print("-" * len(head))
    for kind in ("read", "write"):
        if not queries[kind]:
            continue
        for q in queries[kind]:
            line = q.ljust(w)
            for n in names:
                if (n, q) in errors:
                    cell = "ERROR"
                elif (n, q) in skips:
                    cell = SKIP
                elif summary[n].get(q):
                    r = summary[n][q]
                    cell = f"{fmt_time(r['median'])} {r['ratio']:5.2f}x"
                else:
                    cell = "-"
                line += cell.rjust(colw)
            print(line)
        line = f"geomean ({kind}s)".ljust(w)
        for n in names:
            line += geo_label(summary, n, queries[kind], skips, lambda g: f"{g:.2f}x").rjust(colw)
        print(line)
        print("-" * len(head))
    if any(not geo(summary, n, queries[k], skips)[1] for n in names for k in ("read", "write")):
        print("* geomean over the queries that were measured (others errored)")
    if skips:
        print(f"{SKIP} not implemented by that library (by design); (k/n): geomean over its k queries")
    if errors:
        print("\nERRORS (not timed):")
        for (n, q), msg in sorted(errors.items()):
            print(f"  {n} / {q}: {msg}")


def write_markdown(path, png_name, summary, names, queries, errors, versions, info, meta,
                   skips=frozenset()):
    L = []
    L.append("# mizzle benchmark results: Northwind on SQLite\n")
    L.append(f"Generated by `{meta['command']}` on {meta['date']} "
             f"(total wall time {meta['wall']:.0f} s).\n")
    L.append("Each cell: median time per operation over rounds, and in parentheses the median "
             "ratio to **raw sqlite3 (tuples)** measured in the same round (lower is better; "
             "1.00x = the raw floor).\n")
    L += table_lines(summary, names, queries, errors, skips)
    L.append("")
    L += target_lines(summary, names, queries, skips)
    if errors:
        L.append("## Errors (library/query not timed)\n")
        for (n, q), msg in sorted(errors.items()):
            L.append(f"- `{n}` / `{q}`: {msg}")
        L.append("")
    L.append(f"![ratio to raw sqlite3]({png_name})\n")
    L.append("## Spread of the ratio over rounds (min – max)\n")
    L += spread_lines(summary, names, queries, skips)
    L.append("")
    L.append("## Setup\n")
    L.append(f"- Dataset: scale {meta['scale']:g}, seed {meta['seed']}: "
             + ", ".join(f"{v} {k}" for k, v in meta["sizes"].items()))
    L.append(f"- Writes: {meta['n_writes']} rows per write operation, each run on a fresh copy "
             "of the database, in one transaction.")
    L.append(f"- Rounds: {meta['rounds']}; time budget per library/query/round: "
             f"{meta['budget']} s (reads), {meta['write_budget']} s (writes, at least one run).")
    L.append("- Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()))
    if meta.get("load"):
        L.append(f"- Load average (1 min) at start / end: {meta['load']}. The machine is shared with "
                 "other work (other engineers' test runs), which adds noise: the ratios are measured "
                 "in the same round, so they are affected less than absolute times; see the spread.")
    L.append("- Library versions: " + "; ".join(f"{k} {v}" for k, v in sorted(versions.items())))
    if meta.get("skipped"):
        L.append("- Skipped (import failed): " + "; ".join(meta["skipped"]))
    L.append("")
    L.append("See `bench/README.md` for what exactly is measured and `bench/PROFILE.md` for the "
             "profile of mizzle's hot paths.\n")
    with open(path, "w") as f:
        f.write("\n".join(L))


def table_lines(summary, names, queries, errors, skips=frozenset()):
    """The markdown results table (median time per op and median same-round ratio)."""
    L = []
    hdr = "| query | " + " | ".join(names) + " |"
    L.append(hdr)
    L.append("|" + "---|" * (len(names) + 1))
    for kind in ("read", "write"):
        if not queries[kind]:
            continue
        for q in queries[kind]:
            cells = []
            for n in names:
                if (n, q) in errors:
                    cells.append("**ERROR**")
                elif (n, q) in skips:
                    cells.append(SKIP)
                elif summary[n].get(q):
                    r = summary[n][q]
                    cells.append(f"{fmt_time(r['median'])} ({r['ratio']:.2f}x)")
                else:
                    cells.append("-")
            L.append(f"| {q} | " + " | ".join(cells) + " |")
        cells = [geo_label(summary, n, queries[kind], skips, lambda g: f"**{g:.2f}x**") for n in names]
        L.append(f"| **geomean, {kind}s** | " + " | ".join(cells) + " |")
    L.append("")
    L.append("`*`: geomean over the queries that were measured (others errored). "
             f"`{SKIP}`: the library does not implement that query (by design); `(k/n)`: its geomean "
             "is over those k queries only, so compare it per query, not by geomean.\n")
    return L


def spread_lines(summary, names, queries, skips=frozenset()):
    """The markdown table of the min – max ratio over rounds."""
    L = ["| query | " + " | ".join(names) + " |", "|" + "---|" * (len(names) + 1)]
    for q in queries["read"] + queries["write"]:
        cells = []
        for n in names:
            r = summary[n].get(q)
            cells.append(f"{r['ratio_min']:.2f} – {r['ratio_max']:.2f}" if r
                         else SKIP if (n, q) in skips else "-")
        L.append(f"| {q} | " + " | ".join(cells) + " |")
    return L


# (library, kind or query, limit, what) -- issue 7's acceptance targets
TARGETS = [
    ("mizzle", "read", 1.3, "prepared queries returning row objects, geomean over reads"),
    ("mizzle_builder", "read", 2.0, "builder run on every call, geomean over reads"),
    ("mizzle_values", "read", 1.1, "prepared queries returning tuples, geomean over reads"),
    ("mizzle", "insert_single", 1.5, "prepared single-row inserts in a loop"),
    ("mizzle", "update_by_id", 1.5, "prepared updates by id in a loop"),
    ("mizzle", "insert_batch", 1.5, "10k-row batch insert vs executemany"),
]


def target_lines(summary, names, queries, skips=frozenset()):
    """A markdown list checking issue 7's targets against this run (only for libraries run)."""
    L = []
    for lib, what, limit, desc in TARGETS:
        if lib not in names:
            continue
        if what in ("read", "write"):
            g, _ = geo(summary, lib, queries[what], skips)
        else:
            r = summary[lib].get(what)
            g = r["ratio"] if r else None
        if g is None:
            continue
        ok = "met" if g <= limit else "**not met**"
        L.append(f"- `{lib}`: {desc}: **{g:.2f}x** (target ≤ {limit}x): {ok}")
    if "mizzle_values" in names and "sqlalchemy_core" in names:
        slower = [q for q in queries["read"]
                  if summary["mizzle_values"].get(q) and summary["sqlalchemy_core"].get(q)
                  and summary["mizzle_values"][q]["ratio"] > summary["sqlalchemy_core"][q]["ratio"]]
        L.append("- `mizzle_values` at least as fast as `sqlalchemy_core` on every read query: "
                 + ("met" if not slower else "**not met** on " + ", ".join(slower)))
    if L:
        L = ["## Issue 7 targets in this run\n"] + L + [""]
    return L


def write_chart(path, summary, names, queries, errors, skips=frozenset(), baseline=BASELINE,
                title="Northwind on SQLite: overhead vs raw sqlite3"):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except Exception as e:
        log(f"no chart: matplotlib unavailable ({e})")
        return False
    libs = [n for n in names if n != baseline]
    if not libs:
        return False
    rows = queries["read"] + ["geomean reads"]
    if queries["write"]:
        rows += queries["write"] + ["geomean writes"]

    def val(n, row):
        if row.startswith("geomean"):
            kind = "read" if row.endswith("reads") else "write"
            return geo(summary, n, queries[kind], skips)[0]
        r = summary[n].get(row)
        return r["ratio"] if r else None

    h = 0.8 / len(libs)
    fig, ax = plt.subplots(figsize=(11, 0.42 * len(rows) * max(1.0, len(libs) / 3) + 1.5))
    cmap = plt.get_cmap("tab10")
    for j, n in enumerate(libs):
        ys, xs = [], []
        for i, row in enumerate(rows):
            v = val(n, row)
            if v:
                ys.append(i + (j - (len(libs) - 1) / 2) * h)
                xs.append(v)
        ax.barh(ys, xs, height=h, label=n, color=cmap(j))
        for y, x in zip(ys, xs):
            ax.text(x * 1.02, y, f"{x:.2f}", va="center", fontsize=6)
    ax.axvline(1.0, color="black", lw=1, ls="--")
    all_vals = [v for n in libs for row in rows if (v := val(n, row))]
    if all_vals:
        ax.set_xlim(left=min(0.8, min(all_vals) * 0.9), right=max(all_vals) * 1.6)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=8)
    for lbl in ax.get_yticklabels():
        if lbl.get_text().startswith("geomean"):
            lbl.set_fontweight("bold")
    ax.invert_yaxis()
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}x"))
    ax.set_xlabel(f"time relative to {baseline.replace('_', ' ')} (tuples), median over rounds; "
                  "log scale; lower is better")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


# ------------------------------------------------------------------ main
def main(argv=None):
    ap = argparse.ArgumentParser(description="Northwind benchmark: libraries vs raw sqlite3")
    ap.add_argument("--libs", default="all",
                    help=f"comma-separated subset of: {', '.join(REGISTRY)} "
                         f"({BASELINE} is always included as the baseline)")
    ap.add_argument("--queries", default="all", help="comma-separated subset of queries")
    ap.add_argument("--rounds", type=int, default=None, help="rounds (default 5; quick: 3)")
    ap.add_argument("--scale", type=float, default=None, help="dataset scale (default 1; quick: 0.1)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--budget", type=float, default=None,
                    help="seconds per library/read query/round (default 0.3; quick: 0.1)")
    ap.add_argument("--write-budget", type=float, default=None,
                    help="seconds per library/write op/round (default 0.5; quick: 0.1)")
    ap.add_argument("--quick", action="store_true", help="~1 minute smoke run at scale 0.1")
    ap.add_argument("--out", default=None,
                    help="results markdown (default bench/RESULTS.md; quick: bench/RESULTS-quick.md)")
    ap.add_argument("--no-report", action="store_true", help="print only, write no files")
    ap.add_argument("--no-pg", action="store_true",
                    help="skip the PostgreSQL part (run by default when the server is reachable)")
    ap.add_argument("--pg-only", action="store_true",
                    help="run only the PostgreSQL part; its section in the results file is replaced")
    ap.add_argument("--pg-url", default=os.environ.get("MIZZLE_BENCH_PG", pg_bench.DEFAULT_URL),
                    help="PostgreSQL server to use (a throw-away database is created and dropped; "
                         "default $MIZZLE_BENCH_PG or %(default)s)")
    ap.add_argument("--pg-rounds", type=int, default=None,
                    help="PostgreSQL / MariaDB rounds (default 3; quick: 2)")
    ap.add_argument("--no-mysql", action="store_true", help="skip the MariaDB part")
    ap.add_argument("--mysql-url", default=os.environ.get("MIZZLE_BENCH_MYSQL", mysql_bench.DEFAULT_URL),
                    help="MariaDB/MySQL server (a throw-away database is created and dropped)")
    ap.add_argument("--no-targets", action="store_true",
                    help="skip issue 21's target table (scaling, streaming, bulk insert, relational)")
    a = ap.parse_args(argv)
    argv_list = list(sys.argv[1:] if argv is None else argv)
    rc = 0
    if not a.pg_only:
        rc = run_sqlite(a, argv_list)
        if rc == 2:
            return rc
    if not a.no_pg:
        rc = max(rc, pg_bench.main_pg(a, argv_list, results_paths(a), sys.modules[__name__]))
    if not a.no_mysql and not a.pg_only:
        rc = max(rc, mysql_bench.main_mysql(a, argv_list, results_paths(a), sys.modules[__name__]))
    if not a.no_targets and not a.pg_only:
        extra = targets.measure_extra(a.quick, None if a.no_pg else a.pg_url)
        rows = targets.rows_for(LAST or None, pg_bench.LAST or None, mysql_bench.LAST or None, extra)
        out = None if a.no_report else os.path.join(HERE, "TARGETS-quick.md" if a.quick else "TARGETS.md")
        targets.report(rows, extra, out, " ".join(["python bench/run.py", *argv_list]))
    return rc


LAST: dict = {}  # the SQLite part's summary (for the target table)


def results_paths(a):
    """(markdown, chart, json) output paths for these options."""
    suffix = "-quick" if a.quick else ""
    out_md = a.out or os.path.join(HERE, f"RESULTS{suffix}.md")
    out_png = os.path.splitext(out_md)[0].replace("RESULTS", "ratios") + ".png"
    if os.path.basename(out_png) == os.path.basename(out_md):
        out_png = os.path.splitext(out_md)[0] + "-ratios.png"
    out_json = os.path.splitext(out_md)[0].replace("RESULTS", "results") + ".json"
    return out_md, out_png, out_json


def load_average():
    """The 1-minute load average, or None where unavailable."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def run_sqlite(a, argv_list):
    """The SQLite suite: cross-check, interleaved rounds, table, RESULTS.md, chart, JSON."""
    t_start = time.perf_counter()
    load_start = load_average()
    rounds = a.rounds or (3 if a.quick else 5)
    scale = a.scale if a.scale is not None else (0.1 if a.quick else 1.0)
    budget = a.budget if a.budget is not None else (0.1 if a.quick else 0.3)
    wbudget = a.write_budget if a.write_budget is not None else (0.1 if a.quick else 0.5)
    out_md, out_png, out_json = results_paths(a)

    names = list(REGISTRY) if a.libs == "all" else [s.strip() for s in a.libs.split(",") if s.strip()]
    if BASELINE not in names:
        names.insert(0, BASELINE)
    else:
        names.remove(BASELINE)
        names.insert(0, BASELINE)
    libs = load_libs(names)
    skipped = [n for n in names if n not in libs]
    if BASELINE not in libs:
        log("baseline raw_sqlite3 failed to load; cannot continue")
        return 2
    names = list(libs)

    if a.queries == "all":
        queries = {"read": list(READ_QUERIES), "write": list(WRITE_QUERIES)}
    else:
        wanted = [s.strip() for s in a.queries.split(",")]
        bad = [q for q in wanted if q not in READ_QUERIES + WRITE_QUERIES]
        if bad:
            log(f"unknown queries: {bad}")
            return 2
        queries = {"read": [q for q in READ_QUERIES if q in wanted],
                   "write": [q for q in WRITE_QUERIES if q in wanted]}

    skips = {(n, q) for n, cls in libs.items() for q in queries["read"] + queries["write"]
             if not implements(cls, q)}
    db = dataset.ensure(scale, a.seed)
    params = dataset.params(scale, a.seed)
    payload = dataset.write_payload(scale, a.seed)
    sizes = dataset.sizes(scale)
    with sqlite3.connect(db) as c:
        sizes["order_details"] = c.execute("SELECT count(*) FROM order_details").fetchone()[0]
    n_writes = sizes.pop("writes")
    log(f"dataset {db}; libraries: {', '.join(names)}; rounds {rounds}; "
        f"budget {budget}s read / {wbudget}s write")

    tmpdir = tempfile.mkdtemp(prefix="mizzle-bench-")
    impls = {}
    versions = {"Python": platform.python_version()}
    try:
        for n, cls in libs.items():
            impls[n] = cls()
            impls[n].setup(db)
            versions.update(impls[n].versions())

        log("cross-checking results against raw sqlite3 ...")
        errors = run_verify(impls, libs, params, payload, db, tmpdir, queries)
        for (n, q), msg in sorted(errors.items()):
            log(f"  ERROR {n} / {q}: {msg}")
        if not errors:
            log("  all libraries agree on every query")

        times = {n: {q: [] for q in queries["read"] + queries["write"]} for n in names}
        for rnd in range(rounds):
            order = names[rnd % len(names):] + names[:rnd % len(names)]
            t_round = time.perf_counter()
            for q in queries["read"]:
                pname = QUERY_PARAMS[q]
                plist = None if pname is None else params[pname]
                for n in order:
                    if (n, q) in errors or (n, q) in skips:
                        times[n][q].append(None)
                        continue
                    per_op, _ = time_read(impls[n], q, plist, budget)
                    times[n][q].append(per_op)
            for q in queries["write"]:
                for n in order:
                    if (n, q) in errors or (n, q) in skips:
                        times[n][q].append(None)
                        continue
                    per_op, _ = time_write(libs[n], q, payload, db, tmpdir, wbudget)
                    times[n][q].append(per_op)
            log(f"round {rnd + 1}/{rounds} done in {time.perf_counter() - t_round:.1f}s")
    finally:
        for impl in impls.values():
            try:
                impl.teardown()
            except Exception:
                pass
        shutil.rmtree(tmpdir, ignore_errors=True)

    # times[n][q] lists are aligned by round; the baseline never has None
    summary = summarize(times, names, queries["read"] + queries["write"])
    LAST.update(summary=summary, queries=queries, errors=errors)
    print_table(summary, names, queries, errors, skips)
    wall = time.perf_counter() - t_start
    print(f"\ntotal wall time {wall:.0f} s")

    if not a.no_report:
        info = machine_info()
        meta = {
            "command": " ".join(["python bench/run.py"] + argv_list),
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "wall": wall, "scale": scale, "seed": a.seed, "sizes": sizes, "n_writes": n_writes,
            "rounds": rounds, "budget": budget, "write_budget": wbudget,
            "skipped": skipped,
            "load": " / ".join("?" if x is None else f"{x:.2f}" for x in (load_start, load_average())),
        }
        have_png = write_chart(out_png, summary, names, queries, errors, skips)
        write_markdown(out_md, os.path.basename(out_png) if have_png else "(no chart)",
                       summary, names, queries, errors, versions, info, meta, skips)
        with open(out_json, "w") as f:
            json.dump({"meta": meta, "machine": info, "versions": versions,
                       "times": times, "summary": summary,
                       "errors": {f"{n}/{q}": m for (n, q), m in errors.items()},
                       "not_implemented": sorted(f"{n}/{q}" for n, q in skips)},
                      f, indent=1)
        print(f"wrote {os.path.relpath(out_md)}, {os.path.relpath(out_json)}"
              + (f", {os.path.relpath(out_png)}" if have_png else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
