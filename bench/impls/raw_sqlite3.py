"""Raw stdlib sqlite3 returning plain tuples: the floor every library is compared to."""
from __future__ import annotations

import sqlite3

from .base import BenchImpl, COLUMNS, INSERT_COLUMNS, SQL

_C = {t: {c: i for i, c in enumerate(cols)} for t, cols in COLUMNS.items()}
_NE = len(COLUMNS["employees"])
_NP = len(COLUMNS["products"])
_ND = len(COLUMNS["order_details"])
_NO = len(COLUMNS["orders"])


def _paths(table, fields, offset=0):
    return [str(offset + _C[table][f]) for f in fields]


_INSERT_SQL = (f"INSERT INTO customers ({', '.join(INSERT_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))})")
_UPDATE_SQL = "UPDATE customers SET contact_name = ?, phone = ? WHERE id = ?"


class Impl(BenchImpl):
    name = "raw_sqlite3"

    _cust = _paths("customers", ["id", "company_name", "contact_name", "city",
                                 "postal_code", "fax"])
    _prod = _paths("products", ["id", "name", "unit_price", "supplier_id", "discontinued"])
    _sup = _paths("suppliers", ["id", "company_name", "region"])
    CHECK_PATHS = {
        "customers_all": _cust, "customer_by_id": _cust, "customers_search": _cust,
        "employees_all": _paths("employees", ["id", "last_name", "birth_date", "recipient_id"]),
        "employee_with_manager": (
            _paths("employees", ["id", "last_name", "recipient_id"])
            + _paths("employees", ["id", "last_name"], _NE)),
        "suppliers_all": _sup, "supplier_by_id": _sup,
        "products_all": _prod, "products_search": _prod,
        "product_with_supplier": (
            _paths("products", ["id", "name", "unit_price"])
            + _paths("suppliers", ["id", "company_name"], _NP)),
        "orders_with_details": [str(i) for i in range(8)],
        "order_with_details": [str(i) for i in range(8)],
        "order_with_details_and_products": (
            _paths("order_details", ["order_id", "product_id", "unit_price", "quantity",
                                     "discount"])
            + _paths("orders", ["ship_name", "order_date"], _ND)
            + _paths("products", ["name", "unit_price"], _ND + _NO)),
    }

    def versions(self):
        return {"sqlite3 (SQLite)": sqlite3.sqlite_version}

    def setup(self, db_path):
        self.conn = sqlite3.connect(db_path)

    def teardown(self):
        self.conn.close()

    # ---- reads
    def customers_all(self):
        return self.conn.execute(SQL["customers_all"]).fetchall()

    def customer_by_id(self, id):
        return self.conn.execute(SQL["customer_by_id"], (id,)).fetchone()

    def customers_search(self, term):
        return self.conn.execute(SQL["customers_search"], (term,)).fetchall()

    def employees_all(self):
        return self.conn.execute(SQL["employees_all"]).fetchall()

    def employee_with_manager(self, id):
        return self.conn.execute(SQL["employee_with_manager"], (id,)).fetchone()

    def suppliers_all(self):
        return self.conn.execute(SQL["suppliers_all"]).fetchall()

    def supplier_by_id(self, id):
        return self.conn.execute(SQL["supplier_by_id"], (id,)).fetchone()

    def products_all(self):
        return self.conn.execute(SQL["products_all"]).fetchall()

    def product_with_supplier(self, id):
        return self.conn.execute(SQL["product_with_supplier"], (id,)).fetchone()

    def products_search(self, term):
        return self.conn.execute(SQL["products_search"], (term,)).fetchall()

    def orders_with_details(self):
        return self.conn.execute(SQL["orders_with_details"]).fetchall()

    def order_with_details(self, id):
        return self.conn.execute(SQL["order_with_details"], (id,)).fetchone()

    def order_with_details_and_products(self, id):
        return self.conn.execute(SQL["order_with_details_and_products"], (id,)).fetchall()

    # ---- writes
    def insert_single(self, rows):
        conn = self.conn
        cols = INSERT_COLUMNS
        with conn:
            for r in rows:
                conn.execute(_INSERT_SQL, tuple([r[c] for c in cols]))

    def insert_batch(self, rows):
        cols = INSERT_COLUMNS
        with self.conn:
            self.conn.executemany(_INSERT_SQL, [tuple([r[c] for c in cols]) for r in rows])

    def update_by_id(self, rows):
        conn = self.conn
        with conn:
            for r in rows:
                conn.execute(_UPDATE_SQL, (r["contact_name"], r["phone"], r["id"]))
