"""MySQL/MariaDB variants of the read queries (run by `mysql_bench.py`, not by the SQLite suite).

* `raw_pymysql` — PyMySQL, `cursor.execute(sql, params); fetchall()` returning tuples: the floor;
* `mizzle_my` / `mizzle_my_builder` — mizzle prepared + row objects, and the builder per call, on
  mizzle's PyMySQL driver.

Searches use LIKE: MariaDB's default collation compares case-insensitively, as SQLite's LIKE does.
"""
from __future__ import annotations

import mizzle
import pymysql
from mizzle import eq, like, placeholder

from . import mizzle_my_schema as S
from .base import SQL, BenchImpl
from .mizzle_builder import Impl as _Builder
from .mizzle_builder import _value
from .mizzle_impl import Impl as _Prepared
from .mizzle_impl import _queries
from .raw_sqlite3 import Impl as _Raw

MY_SQL = {q: s.replace("?", "%s") for q, s in SQL.items()}


def connect_raw(url):
    """A PyMySQL connection (autocommit) for a mysql:// URL."""
    from urllib.parse import urlsplit
    u = urlsplit(url)
    return pymysql.connect(host=u.hostname or "127.0.0.1", port=u.port or 3306, user=u.username or "root",
                           password=u.password or "", database=u.path.lstrip("/"), autocommit=True,
                           charset="utf8mb4")


class RawPyMySQL(BenchImpl):
    """PyMySQL on one autocommit connection, tuples."""

    name = "raw_pymysql"
    CHECK_PATHS = _Raw.CHECK_PATHS

    def versions(self):
        cur = self.conn.cursor()
        cur.execute("select version()")
        return {"PyMySQL": pymysql.__version__, "MariaDB server": cur.fetchone()[0]}

    def setup(self, url):
        self.conn = connect_raw(url)

    def teardown(self):
        self.conn.close()

    def _all(self, q, *args):
        cur = self.conn.cursor()
        cur.execute(MY_SQL[q], args)
        return cur.fetchall()

    def _one(self, q, *args):
        cur = self.conn.cursor()
        cur.execute(MY_SQL[q], args)
        return cur.fetchone()

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


class MizzlePrepared(_Prepared):
    """mizzle prepared queries returning row objects, on MariaDB."""

    name = "mizzle_my"

    def setup(self, url):
        self.db = mizzle.connect(url)
        self.p = {k: q().prepare() for k, q in _queries(self.db, placeholder, S, like).items()}


class MizzleBuilder(_Builder):
    """mizzle with the builder run on every call, on MariaDB."""

    name = "mizzle_my_builder"

    def setup(self, url):
        self.db = mizzle.connect(url)
        self.q = _queries(self.db, _value, S, like)

    def customer_by_id(self, id):
        return self.db.select().from_(S.Customers).where(eq(S.Customers.id, id)).get()
