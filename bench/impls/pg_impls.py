"""PostgreSQL variants of the read queries (run by `pg_bench.py`, not by the SQLite suite).

* `raw_psycopg` — psycopg 3, `conn.execute(sql, params).fetchall()` returning tuples: the floor;
* `mizzle_pg` / `mizzle_pg_builder` / `mizzle_pg_values` — the same three mizzle variants as on
  SQLite (prepared + row objects, builder per call, prepared + tuples) on mizzle's psycopg driver;
* `sqlalchemy_core_pg` — SQLAlchemy Core with `postgresql+psycopg`, statements built once.

`setup()` takes a PostgreSQL URL instead of a file path.  Searches use ILIKE (SQLite's LIKE
is case-insensitive, PostgreSQL's is not), so every library returns the SQLite rows.
psycopg prepares a statement server-side after 5 executions (its default
`prepare_threshold`), for every library alike.
"""
from __future__ import annotations

import mizzle
import psycopg
from mizzle import eq, ilike, placeholder

from . import mizzle_pg_schema as S
from .base import SQL, BenchImpl
from .mizzle_builder import Impl as _Builder
from .mizzle_builder import _value
from .mizzle_impl import Impl as _Prepared
from .mizzle_impl import _queries
from .mizzle_values import Impl as _Values
from .raw_sqlite3 import Impl as _Raw
from .sqlalchemy_core import Impl as _Core

PG_SQL = {q: s.replace("?", "%s").replace(" LIKE ", " ILIKE ") for q, s in SQL.items()}


class RawPsycopg(BenchImpl):
    """psycopg 3 on one autocommit connection, tuples."""

    name = "raw_psycopg"
    CHECK_PATHS = _Raw.CHECK_PATHS

    def versions(self):
        info = psycopg.pq.version_pretty(psycopg.pq.version())
        return {"psycopg": psycopg.__version__, "libpq": info,
                "PostgreSQL server": self.conn.info.parameter_status("server_version") or "?"}

    def setup(self, url):
        self.conn = psycopg.connect(url, autocommit=True)

    def teardown(self):
        self.conn.close()

    def _all(self, q, *args): return self.conn.execute(PG_SQL[q], args).fetchall()
    def _one(self, q, *args): return self.conn.execute(PG_SQL[q], args).fetchone()

    def customers_all(self): return self._all("customers_all")
    def customer_by_id(self, id): return self._one("customer_by_id", id)
    def customers_search(self, term): return self._all("customers_search", term)
    def employees_all(self): return self._all("employees_all")
    def employee_with_manager(self, id): return self._one("employee_with_manager", id)
    def suppliers_all(self): return self._all("suppliers_all")
    def supplier_by_id(self, id): return self._one("supplier_by_id", id)
    def products_all(self): return self._all("products_all")
    def product_with_supplier(self, id): return self._one("product_with_supplier", id)
    def products_search(self, term): return self._all("products_search", term)
    def orders_with_details(self): return self._all("orders_with_details")
    def order_with_details(self, id): return self._one("order_with_details", id)
    def order_with_details_and_products(self, id): return self._all("order_with_details_and_products", id)


def _connect(url):
    return mizzle.connect(url)


class MizzlePrepared(_Prepared):
    """mizzle prepared queries returning row objects, on PostgreSQL."""

    name = "mizzle_pg"

    def setup(self, url):
        self.db = _connect(url)
        self.p = {k: q().prepare() for k, q in _queries(self.db, placeholder, S, ilike).items()}


class MizzleBuilder(_Builder):
    """mizzle with the builder run on every call, on PostgreSQL."""

    name = "mizzle_pg_builder"

    def setup(self, url):
        self.db = _connect(url)
        self.q = _queries(self.db, _value, S, ilike)

    def customer_by_id(self, id):
        return self.db.select().from_(S.Customers).where(eq(S.Customers.id, id)).get()


class MizzleValues(_Values):
    """mizzle prepared queries returning tuples, on PostgreSQL."""

    name = "mizzle_pg_values"

    def setup(self, url):
        MizzlePrepared.setup(self, url)


class SQLAlchemyCore(_Core):
    """SQLAlchemy Core on psycopg 3, statements built once with bindparam()."""

    name = "sqlalchemy_core_pg"
    ENGINE_URL = "{}"

    def setup(self, url):
        super().setup(url.replace("postgresql://", "postgresql+psycopg://", 1))

    def _search(self, column):
        from sqlalchemy import bindparam
        return column.ilike(bindparam("term"))
