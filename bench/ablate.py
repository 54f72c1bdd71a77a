"""What each of mizzle's hot-path optimisations is worth: each measured with it switched off.

    python bench/ablate.py

Every line: the same operation on the Northwind dataset (scale 1) with the optimisation and
without it (monkeypatched off for the measurement, or replaced by the straightforward code it
replaced), best of several interleaved repeats, in µs per operation.  Used for bench/PROFILE.md.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(os.path.dirname(HERE), "src"))

import dataset  # noqa: E402
import mizzle  # noqa: E402
from mizzle import eq, placeholder, sql  # noqa: E402
from mizzle.query import rows as rows_mod  # noqa: E402
from mizzle.query.select import Select  # noqa: E402
from mizzle.sql import chunks as chunks_mod  # noqa: E402

from impls.base import COLUMNS  # noqa: E402
from impls.mizzle_schema import Customers as C  # noqa: E402
from impls.mizzle_schema import OrderDetails as D  # noqa: E402


def best(fn, number, repeat=7):
    """Best µs per call."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def pair(label, on, off, number, repeat=7):
    """Interleave on/off measurements; print both and the ratio."""
    a, b = [], []
    for _ in range(repeat):
        a.append(best(on, number, 1))
        b.append(best(off, number, 1))
    ta, tb = min(a), min(b)
    print(f"{label:62} {ta:9.2f} µs  without: {tb:9.2f} µs  ({tb / ta:4.2f}x)", flush=True)


def main():
    path = dataset.ensure(1.0, 42)
    db = mizzle.connect(path, journal_mode=None)
    raw = sqlite3.connect(path)

    # 1. structural SQL cache (builder path): key the query shape, reuse the SQL text
    def build_get():
        return db.select().from_(C).where(eq(C.id, 5)).get()
    orig_fp = Select._fingerprint

    def no_cache():
        Select._fingerprint = lambda self: None
        try:
            return build_get()
        finally:
            Select._fingerprint = orig_fp
    pair("builder customer_by_id: structural SQL cache", build_get, no_cache, 5000)

    # 2. compiled row decoder vs a generic per-row interpreter (customers_all, 10k rows)
    q = db.select().from_(C)
    c = q.compile()
    decode_all, _ = c.shape.decoders()
    part = c.shape.parts[0]
    fetched = raw.execute("SELECT * FROM customers").fetchall()
    cls, decs = part.cls, part.decoders

    def generic():
        new = tuple.__new__
        return [new(cls, [v if d is None or v is None else d(v) for v, d in zip(r, decs)]) for r in fetched]
    pair("row objects for 10k customers: compiled decoder", lambda: decode_all(fetched), generic, 20)

    # 3. decoder compiled once per shape (cache) vs compiled per query
    def recompile():
        c.shape._compiled = None
        rows_mod._cache.clear()
        return c.shape.decoders()
    pair("decoders for a select: cached per shape", lambda: c.shape.decoders(), recompile, 500)

    # 4. compiled parameter filler vs the generic fill loop (10-column insert)
    ins = db.insert(C).values(**{k: placeholder(k) for k in COLUMNS["customers"][1:]}).compile().query
    vals = {k: "x" for k in COLUMNS["customers"][1:]}
    fill = ins.filler()
    pair("parameters of a 10-column prepared insert: compiled filler", lambda: fill(vals),
         lambda: ins.fill(vals), 20000)

    # 5. sql() template parse cache
    def tmpl():
        return sql[float]("sum({} * {})", D.quantity, D.unit_price)

    def tmpl_nocache():
        chunks_mod._parsed.clear()
        return tmpl()
    pair("sql[float]('sum({} * {})', ...): parsed-template cache", tmpl, tmpl_nocache, 20000)

    db.close()
    raw.close()


if __name__ == "__main__":
    main()
