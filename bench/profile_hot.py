"""Profile mizzle's hot paths on the Northwind benchmark queries.

    python bench/profile_hot.py                       # timing table: per-op µs, ratio to raw
    python bench/profile_hot.py --profile mizzle_builder:customer_by_id   # cProfile one cell
    python bench/profile_hot.py --libs mizzle,mizzle_values --queries customer_by_id,insert_single

Timing mode: for each query, every library runs `--reps` blocks interleaved with raw
sqlite3 (A B A B ...), each block `--n` operations; reported is the best block per op
(the least disturbed by other load on the machine) and its ratio to the best raw block.
Profile mode runs one (library, query) cell under cProfile and prints the top functions by
own time and by cumulative time.  Used to write bench/PROFILE.md.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(os.path.dirname(HERE), "src"))

import dataset  # noqa: E402
from impls import BASELINE, REGISTRY  # noqa: E402
from impls.base import QUERY_PARAMS, READ_QUERIES, WRITE_QUERIES  # noqa: E402
from run import load_libs, write_args  # noqa: E402

DEFAULT_LIBS = "mizzle,mizzle_builder,mizzle_values"


def _read_op(impl, q, params):
    fn = getattr(impl, q)
    pname = QUERY_PARAMS[q]
    if pname is None:
        return lambda n: [fn() for _ in range(n)]
    plist = params[pname]

    def run(n):
        for i in range(n):
            fn(plist[i % len(plist)])
    return run


def _per_op(run, n):
    gc.collect()
    t0 = time.perf_counter()
    run(n)
    return (time.perf_counter() - t0) / n


def time_reads(impls, q, params, n, reps):
    """Best time per op of each library on read query q, interleaved."""
    runs = {name: _read_op(impl, q, params) for name, impl in impls.items()}
    for r in runs.values():
        r(max(1, n // 10))  # warm up
    best = {name: float("inf") for name in impls}
    for _ in range(reps):
        for name, r in runs.items():
            best[name] = min(best[name], _per_op(r, n))
    return best


def time_write(cls, q, payload, db, tmp, reps):
    """Best wall time of one write operation on a fresh copy of the database."""
    best = float("inf")
    for _ in range(reps):
        path = os.path.join(tmp, "w.db")
        shutil.copyfile(db, path)
        inst = cls()
        inst.setup(path)
        args = write_args(q, payload)
        gc.collect()
        t0 = time.perf_counter()
        getattr(inst, q)(args)
        best = min(best, time.perf_counter() - t0)
        inst.teardown()
        os.remove(path)
    return best


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--libs", default=DEFAULT_LIBS)
    ap.add_argument("--queries", default="all")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--n", type=int, default=2000, help="operations per block (by-id queries)")
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--profile", default=None, help="lib:query to run under cProfile")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args(argv)

    db = dataset.ensure(a.scale, 42)
    params = dataset.params(a.scale, 42)
    payload = dataset.write_payload(a.scale, 42)
    tmp = tempfile.mkdtemp(prefix="mizzle-prof-")
    try:
        if a.profile:
            lib, q = a.profile.split(":")
            cls = load_libs([lib])[lib]
            prof = cProfile.Profile()
            if q in WRITE_QUERIES:
                path = os.path.join(tmp, "w.db")
                shutil.copyfile(db, path)
                inst = cls()
                inst.setup(path)
                args = write_args(q, payload)
                prof.enable()
                getattr(inst, q)(args)
                prof.disable()
                inst.teardown()
            else:
                inst = cls()
                inst.setup(db)
                run = _read_op(inst, q, params)
                n = a.n if QUERY_PARAMS[q] else max(3, a.n // 200)
                run(10)
                prof.enable()
                run(n)
                prof.disable()
                inst.teardown()
            for key in ("tottime", "cumulative"):
                s = io.StringIO()
                pstats.Stats(prof, stream=s).strip_dirs().sort_stats(key).print_stats(a.top)
                print(s.getvalue())
            return 0

        names = [BASELINE] + [n for n in a.libs.split(",") if n and n != BASELINE]
        libs = load_libs(names)
        queries = READ_QUERIES + WRITE_QUERIES if a.queries == "all" else a.queries.split(",")
        impls = {}
        for name, cls in libs.items():
            impls[name] = cls()
            impls[name].setup(db)
        print(f"{'query':34}" + "".join(f"{n:>24}" for n in libs))
        for q in queries:
            if q in WRITE_QUERIES:
                best = {name: time_write(cls, q, payload, db, tmp, max(3, a.reps // 2))
                        for name, cls in libs.items()}
            else:
                active = {n: i for n, i in impls.items() if callable(getattr(i, q, None))}
                n = a.n if QUERY_PARAMS[q] else max(3, a.n // 400)
                best = time_reads(active, q, params, n, a.reps)
            base = best[BASELINE]
            cells = []
            for name in libs:
                t = best.get(name)
                cells.append("—" if t is None else f"{t * 1e6:10.1f} µs {t / base:5.2f}x")
            print(f"{q:34}" + "".join(f"{c:>24}" for c in cells), flush=True)
        for impl in impls.values():
            impl.teardown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
