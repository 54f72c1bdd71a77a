"""Time pyright and mypy (cold caches) on the generated mizzle and SQLAlchemy apps; print wall/CPU and the ratio.

    python bench/typecheck/run.py --python /path/to/env/bin/python [--runs 3]

The env must have mizzle and sqlalchemy>=2 installed (sqlalchemy is not a mizzle dependency).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-2000:], file=sys.stderr)
    return wall, cpu, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="pyright,mypy")
    args = ap.parse_args()
    bindir = Path(sys.executable).parent
    work = Path(tempfile.mkdtemp(prefix="mizzle-typecheck-"))
    subprocess.run([sys.executable, str(HERE / "gen.py"), str(work)], check=True)
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for run in range(args.runs):
        for tool in args.tools.split(","):
            for app in ("mizzle_app", "sqla_app"):
                cache = work / f".mypy_cache_{run}_{app}"
                if tool == "mypy":
                    cmd = [str(bindir / "mypy"), "--strict", "--python-executable", args.python,
                           "--cache-dir", str(cache), app]
                else:
                    cmd = [str(bindir / "pyright"), "--pythonpath", args.python, app]
                    (work / "pyrightconfig.json").write_text('{"typeCheckingMode": "strict", "reportWildcardImportFromLibrary": false}')
                wall, cpu, rc = timed(cmd, work)
                shutil.rmtree(cache, ignore_errors=True)
                results.setdefault((tool, app), []).append((wall, cpu))
                print(f"run {run} {tool:7} {app:10} wall {wall:6.1f}s cpu {cpu:6.1f}s rc {rc}", flush=True)
    print()
    for tool in args.tools.split(","):
        m = results[(tool, "mizzle_app")]
        s = results[(tool, "sqla_app")]
        mw, sw = statistics.median(w for w, _ in m), statistics.median(w for w, _ in s)
        mc, sc = statistics.median(c for _, c in m), statistics.median(c for _, c in s)
        print(f"{tool}: mizzle wall {mw:.1f}s cpu {mc:.1f}s | sqlalchemy wall {sw:.1f}s cpu {sc:.1f}s | "
              f"ratio mizzle/sqlalchemy wall {mw / sw:.2f} cpu {mc / sc:.2f}")
    os.environ.get("KEEP") or shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
