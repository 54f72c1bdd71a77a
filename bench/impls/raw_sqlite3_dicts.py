"""Raw stdlib sqlite3 returning a dict per row (column name -> value).

Joined queries alias the joined table's columns with a prefix
(``manager_*``, ``supplier_*``, ``order_*``, ``product_*``) so keys are unique.
"""
from __future__ import annotations

import sqlite3

from .base import BenchImpl, COLUMNS, SQL
from .raw_sqlite3 import Impl as _TupleImpl


def _aliased(alias, table, prefix):
    return ", ".join(f"{alias}.{c} AS {prefix}{c}" for c in COLUMNS[table])


_DSQL = dict(SQL)
_DSQL["employee_with_manager"] = (
    f"SELECT e1.*, {_aliased('e2', 'employees', 'manager_')} FROM employees AS e1 "
    "LEFT JOIN employees AS e2 ON e1.recipient_id = e2.id WHERE e1.id = ?")
_DSQL["product_with_supplier"] = (
    f"SELECT p.*, {_aliased('s', 'suppliers', 'supplier_')} FROM products AS p "
    "LEFT JOIN suppliers AS s ON p.supplier_id = s.id WHERE p.id = ?")
_DSQL["order_with_details_and_products"] = (
    f"SELECT d.*, {_aliased('o', 'orders', 'order_')}, {_aliased('p', 'products', 'product_')} "
    "FROM order_details AS d LEFT JOIN orders AS o ON d.order_id = o.id "
    "LEFT JOIN products AS p ON d.product_id = p.id WHERE d.order_id = ?")


class Impl(_TupleImpl):
    name = "raw_sqlite3_dicts"
    CHECK_PATHS = {
        "employee_with_manager": ["id", "last_name", "recipient_id", "manager_id",
                                  "manager_last_name"],
        "product_with_supplier": ["id", "name", "unit_price", "supplier_id",
                                  "supplier_company_name"],
        "order_with_details_and_products": [
            "order_id", "product_id", "unit_price", "quantity", "discount",
            "order_ship_name", "order_order_date", "product_name", "product_unit_price"],
    }

    def _all(self, q, args=()):
        cur = self.conn.execute(_DSQL[q], args)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, row)) for row in cur.fetchall()]

    def _one(self, q, args):
        cur = self.conn.execute(_DSQL[q], args)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row))

    def customers_all(self):
        return self._all("customers_all")

    def customer_by_id(self, id):
        return self._one("customer_by_id", (id,))

    def customers_search(self, term):
        return self._all("customers_search", (term,))

    def employees_all(self):
        return self._all("employees_all")

    def employee_with_manager(self, id):
        return self._one("employee_with_manager", (id,))

    def suppliers_all(self):
        return self._all("suppliers_all")

    def supplier_by_id(self, id):
        return self._one("supplier_by_id", (id,))

    def products_all(self):
        return self._all("products_all")

    def product_with_supplier(self, id):
        return self._one("product_with_supplier", (id,))

    def products_search(self, term):
        return self._all("products_search", (term,))

    def orders_with_details(self):
        return self._all("orders_with_details")

    def order_with_details(self, id):
        return self._one("order_with_details", (id,))

    def order_with_details_and_products(self, id):
        return self._all("order_with_details_and_products", (id,))

    # writes are identical to the tuple implementation (input is already dicts)
