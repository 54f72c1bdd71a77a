"""Instruction counts per write statement (callgrind), repeatable on a loaded machine.

    python bench/instr_writes.py [--libs raw_sqlite3,mizzle,mizzle_builder] [--queries insert_single,...]

For each (library, query) it runs this script's `--one` mode under `valgrind --tool=callgrind`,
counting only inside `sys.call_tracing` (the measured call: N rows, after one warm-up row), and
reports instructions per row. Used for the A/B figures in bench/PROFILE.md.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def one(lib: str, q: str, n: int) -> None:
    import mizzle  # noqa: F401  (first: bench/relational_bench.py puts this checkout's src first on sys.path)

    sys.path.insert(0, HERE)
    import dataset
    from run import load_libs, write_args

    db = dataset.ensure(1.0, 42)
    payload = dataset.write_payload(1.0, 42)
    tmp = tempfile.mkdtemp(prefix="mizzle-instr-")
    try:
        path = os.path.join(tmp, "w.db")
        shutil.copyfile(db, path)
        inst = load_libs([lib])[lib]()
        inst.setup(path)
        args = write_args(q, payload)
        if q == "insert_batch":
            args = (args * (n // len(args) + 1))[:n]
            for r in args:
                r.pop("id", None)
        else:
            args = args[:n]
        getattr(inst, q)(args[:1])  # warm: caches filled, code paths compiled
        sys.call_tracing(getattr(inst, q), (args[1:],))  # the only call counted
        inst.teardown()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def count(lib: str, q: str, n: int) -> int:
    out = os.path.join(tempfile.gettempdir(), f"instr-{os.getpid()}.cg")
    r = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--collect-atstart=no",
         "--toggle-collect=sys_call_tracing", sys.executable, __file__,
         "--one", lib, q, str(n)], capture_output=True, text=True)
    os.remove(out)
    m = re.search(r"Collected : (\d+)", r.stderr)
    if not m:
        raise SystemExit(r.stderr[-2000:])
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--libs", default="raw_sqlite3,mizzle,mizzle_builder")
    ap.add_argument("--queries", default="insert_single,update_by_id")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--one", nargs=3)
    a = ap.parse_args()
    if a.one:
        one(a.one[0], a.one[1], int(a.one[2]))
        return
    libs = a.libs.split(",")
    for q in a.queries.split(","):
        per = {lib: count(lib, q, a.n + 1) / a.n for lib in libs}
        base = per.get("raw_sqlite3")
        cells = [f"{lib} {v:8.0f}" + (f" ({v / base:.2f}x)" if base else "") for lib, v in per.items()]
        print(f"{q:16} " + "   ".join(cells), flush=True)


if __name__ == "__main__":
    main()
