"""SQLAlchemy Core (2.x): Table metadata + select() constructs, Row results.

Statements are built once in setup() with bindparam() placeholders (the Core
analogue of Drizzle's prepared statements) and executed on one long-lived
Connection, like the raw sqlite3 baseline.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import (Column, Float, ForeignKey, Integer, MetaData, Table, Text,
                        bindparam, func, insert, select, update)

from .base import BenchImpl, COLUMNS
from .raw_sqlite3 import Impl as _Raw

metadata = MetaData()
customers = Table(
    "customers", metadata,
    Column("id", Integer, primary_key=True),
    Column("company_name", Text, nullable=False),
    Column("contact_name", Text, nullable=False),
    Column("contact_title", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("city", Text, nullable=False),
    Column("postal_code", Text),
    Column("region", Text),
    Column("country", Text, nullable=False),
    Column("phone", Text, nullable=False),
    Column("fax", Text),
)
employees = Table(
    "employees", metadata,
    Column("id", Integer, primary_key=True),
    Column("last_name", Text, nullable=False),
    Column("first_name", Text),
    Column("title", Text, nullable=False),
    Column("title_of_courtesy", Text, nullable=False),
    Column("birth_date", Integer, nullable=False),
    Column("hire_date", Integer, nullable=False),
    Column("address", Text, nullable=False),
    Column("city", Text, nullable=False),
    Column("postal_code", Text, nullable=False),
    Column("country", Text, nullable=False),
    Column("home_phone", Text, nullable=False),
    Column("extension", Integer, nullable=False),
    Column("notes", Text, nullable=False),
    Column("recipient_id", Integer, ForeignKey("employees.id")),
)
suppliers = Table(
    "suppliers", metadata,
    Column("id", Integer, primary_key=True),
    Column("company_name", Text, nullable=False),
    Column("contact_name", Text, nullable=False),
    Column("contact_title", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("city", Text, nullable=False),
    Column("region", Text),
    Column("postal_code", Text, nullable=False),
    Column("country", Text, nullable=False),
    Column("phone", Text, nullable=False),
)
products = Table(
    "products", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("qt_per_unit", Text, nullable=False),
    Column("unit_price", Float, nullable=False),
    Column("units_in_stock", Integer, nullable=False),
    Column("units_on_order", Integer, nullable=False),
    Column("reorder_level", Integer, nullable=False),
    Column("discontinued", Integer, nullable=False),
    Column("supplier_id", Integer, ForeignKey("suppliers.id"), nullable=False),
)
orders = Table(
    "orders", metadata,
    Column("id", Integer, primary_key=True),
    Column("order_date", Integer, nullable=False),
    Column("required_date", Integer, nullable=False),
    Column("shipped_date", Integer),
    Column("ship_via", Integer, nullable=False),
    Column("freight", Float, nullable=False),
    Column("ship_name", Text, nullable=False),
    Column("ship_city", Text, nullable=False),
    Column("ship_region", Text),
    Column("ship_postal_code", Text),
    Column("ship_country", Text, nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("employee_id", Integer, ForeignKey("employees.id"), nullable=False),
)
order_details = Table(
    "order_details", metadata,
    Column("unit_price", Float, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("discount", Float, nullable=False),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("product_id", Integer, ForeignKey("products.id"), nullable=False),
)
for _t in (customers, employees, suppliers, products, orders, order_details):
    assert [c.name for c in _t.c] == COLUMNS[_t.name], _t.name


def _agg_select():
    o, d = orders, order_details
    return (
        select(o.c.id, o.c.shipped_date, o.c.ship_name, o.c.ship_city, o.c.ship_country,
               func.count(d.c.product_id).label("products_count"),
               func.sum(d.c.quantity).label("quantity_sum"),
               func.sum(d.c.quantity * d.c.unit_price).label("total_price"))
        .select_from(o.outerjoin(d, o.c.id == d.c.order_id))
        .group_by(o.c.id)
    )


class Impl(BenchImpl):
    name = "sqlalchemy_core"
    # Rows of joined selects contain duplicate column names: use the same
    # positional paths as the raw tuple implementation.
    CHECK_PATHS = _Raw.CHECK_PATHS

    def versions(self):
        return {"SQLAlchemy": sa.__version__}

    ENGINE_URL = "sqlite:///{}"   # the PostgreSQL variant (pg_impls.py) overrides these two

    def _search(self, column):
        return column.like(bindparam("term"))  # SQLite's LIKE is case-insensitive

    def setup(self, db_path):
        self.engine = sa.create_engine(self.ENGINE_URL.format(db_path))
        self.conn = self.engine.connect()
        e1, e2 = employees.alias("e1"), employees.alias("e2")
        p, s = products, suppliers
        d, o = order_details, orders
        self.q = {
            "customers_all": select(customers),
            "customer_by_id": select(customers).where(customers.c.id == bindparam("id")),
            "customers_search": select(customers).where(self._search(customers.c.company_name)),
            "employees_all": select(employees),
            "employee_with_manager": select(e1, e2)
                .select_from(e1.outerjoin(e2, e1.c.recipient_id == e2.c.id))
                .where(e1.c.id == bindparam("id")),
            "suppliers_all": select(suppliers),
            "supplier_by_id": select(suppliers).where(suppliers.c.id == bindparam("id")),
            "products_all": select(products),
            "product_with_supplier": select(p, s)
                .select_from(p.outerjoin(s, p.c.supplier_id == s.c.id))
                .where(p.c.id == bindparam("id")),
            "products_search": select(products).where(self._search(products.c.name)),
            "orders_with_details": _agg_select().order_by(orders.c.id),
            "order_with_details": _agg_select().where(orders.c.id == bindparam("id")),
            "order_with_details_and_products": select(d, o, p)
                .select_from(d.outerjoin(o, d.c.order_id == o.c.id)
                             .outerjoin(p, d.c.product_id == p.c.id))
                .where(d.c.order_id == bindparam("id")),
        }
        self.ins = insert(customers)
        self.upd = (update(customers).where(customers.c.id == bindparam("cid"))
                    .values(contact_name=bindparam("contact_name"), phone=bindparam("phone")))

    def teardown(self):
        self.conn.close()
        self.engine.dispose()

    # ---- reads
    def customers_all(self):
        return self.conn.execute(self.q["customers_all"]).all()

    def customer_by_id(self, id):
        return self.conn.execute(self.q["customer_by_id"], {"id": id}).first()

    def customers_search(self, term):
        return self.conn.execute(self.q["customers_search"], {"term": term}).all()

    def employees_all(self):
        return self.conn.execute(self.q["employees_all"]).all()

    def employee_with_manager(self, id):
        return self.conn.execute(self.q["employee_with_manager"], {"id": id}).first()

    def suppliers_all(self):
        return self.conn.execute(self.q["suppliers_all"]).all()

    def supplier_by_id(self, id):
        return self.conn.execute(self.q["supplier_by_id"], {"id": id}).first()

    def products_all(self):
        return self.conn.execute(self.q["products_all"]).all()

    def product_with_supplier(self, id):
        return self.conn.execute(self.q["product_with_supplier"], {"id": id}).first()

    def products_search(self, term):
        return self.conn.execute(self.q["products_search"], {"term": term}).all()

    def orders_with_details(self):
        return self.conn.execute(self.q["orders_with_details"]).all()

    def order_with_details(self, id):
        return self.conn.execute(self.q["order_with_details"], {"id": id}).first()

    def order_with_details_and_products(self, id):
        return self.conn.execute(self.q["order_with_details_and_products"], {"id": id}).all()

    # ---- writes
    def insert_single(self, rows):
        conn, ins = self.conn, self.ins
        with conn.begin():
            for r in rows:
                conn.execute(ins, r)

    def insert_batch(self, rows):
        with self.conn.begin():
            self.conn.execute(self.ins, rows)

    def update_by_id(self, rows):
        conn, upd = self.conn, self.upd
        with conn.begin():
            for r in rows:
                conn.execute(upd, {"cid": r["id"], "contact_name": r["contact_name"],
                                   "phone": r["phone"]})
