"""mizzle's relational API (`db.query(T).find_first/find_many(with_=...)`), prepared.

Only the queries where loading related rows is the natural formulation: an employee with
its manager, a product with its supplier, an order's detail rows each with its order and
product.  Each is one SQL statement (related rows aggregated as JSON by SQLite) run as a
prepared query with a placeholder, and returns table row objects with the related rows as
attributes (`emp.manager.last_name`).  The other queries are not implemented (shown "—").
"""
from __future__ import annotations

import mizzle
from mizzle import eq, placeholder

from .base import BenchImpl
from .mizzle_schema import Employees, OrderDetails, Products


class Impl(BenchImpl):
    """Relational queries (find_first / find_many with `with_`), prepared once."""

    name = "mizzle_relational"

    def versions(self) -> dict[str, str]:
        return {"mizzle": "0.1.0 (this repo)"}

    def setup(self, db_path: str) -> None:
        self.db = db = mizzle.connect(db_path, journal_mode=None)
        self.emp = db.query(Employees).find_first(
            where=eq(Employees.id, placeholder("id")), with_={"manager": True}).prepare()
        self.prod = db.query(Products).find_first(
            where=eq(Products.id, placeholder("id")), with_={"supplier": True}).prepare()
        self.details = db.query(OrderDetails).find_many(
            where=eq(OrderDetails.order_id, placeholder("id")),
            with_={"order": True, "product": True}).prepare()

    def teardown(self) -> None:
        self.db.close()

    def employee_with_manager(self, id): return self.emp.get(id=id)
    def product_with_supplier(self, id): return self.prod.get(id=id)
    def order_with_details_and_products(self, id): return self.details.all(id=id)
