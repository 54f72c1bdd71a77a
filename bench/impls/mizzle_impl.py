"""mizzle: three variants measured side by side.

* ``mizzle`` — prepared queries (``.prepare()`` + ``placeholder``) returning row objects;
* ``mizzle_builder`` — the query built with the builder on every call (no preparation);
* ``mizzle_values`` — prepared queries returning plain tuples (``.values()``).
"""
from __future__ import annotations

from typing import Any

import mizzle
from mizzle import and_, count, eq, like, placeholder, sum_
from mizzle.sqlite import alias
from mizzle import sql

from . import mizzle_schema
from .base import BenchImpl, COLUMNS
from .mizzle_schema import Customers, Employees, OrderDetails, Orders, Products, Suppliers

for _t in (Customers, Employees, Suppliers, Products, Orders, OrderDetails):
    assert [c.name for c in _t.__table__.columns.values()] == COLUMNS[_t.__table__.name], _t


def _agg(db: Any, s: Any) -> Any:
    o, d = s.Orders, s.OrderDetails
    return db.select(
        o.id, o.shipped_date, o.ship_name, o.ship_city, o.ship_country,
        count(d.product_id), sum_(d.quantity), sql[float]("sum({} * {})", d.quantity, d.unit_price),
    ).from_(o).left_join(d, eq(o.id, d.order_id))


def _queries(db: Any, p: Any, s: Any = mizzle_schema, like: Any = like) -> dict[str, Any]:
    """Every read query; `p(name)` is a placeholder (prepared) or a value (builder).

    `s` is the schema module (SQLite or PostgreSQL tables); `like` the search operator
    (PostgreSQL uses `ilike` to match SQLite's case-insensitive LIKE).
    """
    Customers, Employees, Suppliers, Products, Orders, OrderDetails = (
        s.Customers, s.Employees, s.Suppliers, s.Products, s.Orders, s.OrderDetails)
    Manager = alias(Employees, "e2")
    return {
        "customers_all": lambda: db.select().from_(Customers),
        "customer_by_id": lambda: db.select().from_(Customers).where(eq(Customers.id, p("id"))),
        "customers_search": lambda: db.select().from_(Customers).where(like(Customers.company_name, p("term"))),
        "employees_all": lambda: db.select().from_(Employees),
        "employee_with_manager": lambda: db.select().from_(Employees)
            .left_join(Manager, eq(Employees.recipient_id, Manager.id)).where(eq(Employees.id, p("id"))),
        "suppliers_all": lambda: db.select().from_(Suppliers),
        "supplier_by_id": lambda: db.select().from_(Suppliers).where(eq(Suppliers.id, p("id"))),
        "products_all": lambda: db.select().from_(Products),
        "product_with_supplier": lambda: db.select().from_(Products)
            .left_join(Suppliers, eq(Products.supplier_id, Suppliers.id)).where(eq(Products.id, p("id"))),
        "products_search": lambda: db.select().from_(Products).where(like(Products.name, p("term"))),
        "orders_with_details": lambda: _agg(db, s).group_by(Orders.id).order_by(Orders.id),
        "order_with_details": lambda: _agg(db, s).where(eq(Orders.id, p("id"))).group_by(Orders.id),
        "order_with_details_and_products": lambda: db.select().from_(OrderDetails)
            .left_join(Orders, eq(OrderDetails.order_id, Orders.id))
            .left_join(Products, eq(OrderDetails.product_id, Products.id))
            .where(eq(OrderDetails.order_id, p("id"))),
    }


_JOIN_PATHS = {
    "employee_with_manager": ["0.id", "0.last_name", "0.recipient_id", "1.id", "1.last_name"],
    "product_with_supplier": ["0.id", "0.name", "0.unit_price", "1.id", "1.company_name"],
    "orders_with_details": [str(i) for i in range(8)],
    "order_with_details": [str(i) for i in range(8)],
    "order_with_details_and_products": [
        "0.order_id", "0.product_id", "0.unit_price", "0.quantity", "0.discount",
        "1.ship_name", "1.order_date", "2.name", "2.unit_price"],
}


class Impl(BenchImpl):
    """Prepared queries returning row objects."""

    name = "mizzle"
    CHECK_PATHS = _JOIN_PATHS

    def versions(self) -> dict[str, str]:
        return {"mizzle": "0.1.0 (this repo)"}

    def setup(self, db_path: str) -> None:
        self.db = mizzle.connect(db_path, journal_mode=None)
        self.p = {k: q().prepare() for k, q in _queries(self.db, placeholder).items()}
        self.ins = self.db.insert(Customers).values(
            **{c: placeholder(c) for c in COLUMNS["customers"] if c != "id"}).prepare()
        self.upd = self.db.update(Customers).set(
            contact_name=placeholder("contact_name"), phone=placeholder("phone")
        ).where(eq(Customers.id, placeholder("id"))).prepare()

    def teardown(self) -> None:
        self.db.close()

    def customers_all(self): return self.p["customers_all"].all()
    def customer_by_id(self, id): return self.p["customer_by_id"].get(id=id)
    def customers_search(self, term): return self.p["customers_search"].all(term=term)
    def employees_all(self): return self.p["employees_all"].all()
    def employee_with_manager(self, id): return self.p["employee_with_manager"].get(id=id)
    def suppliers_all(self): return self.p["suppliers_all"].all()
    def supplier_by_id(self, id): return self.p["supplier_by_id"].get(id=id)
    def products_all(self): return self.p["products_all"].all()
    def product_with_supplier(self, id): return self.p["product_with_supplier"].get(id=id)
    def products_search(self, term): return self.p["products_search"].all(term=term)
    def orders_with_details(self): return self.p["orders_with_details"].all()
    def order_with_details(self, id): return self.p["order_with_details"].get(id=id)
    def order_with_details_and_products(self, id): return self.p["order_with_details_and_products"].all(id=id)

    def insert_single(self, rows):
        ins = self.ins
        with self.db.transaction():
            for r in rows:
                ins.run(**r)

    def insert_batch(self, rows):
        with self.db.transaction():
            self.db.insert(Customers).values(rows).run()

    def update_by_id(self, rows):
        upd = self.upd
        with self.db.transaction():
            for r in rows:
                upd.run(**r)
