"""SQLAlchemy ORM (2.x): declarative models, a fresh Session per operation.

Idiomatic 2.0-style usage: ``session.scalars(select(Model))``, ``session.get``
with ``joinedload`` for the joined lookups, ``session.execute(select(...))``
for the aggregate.  Statements are built per call (SQLAlchemy caches their
compilation).  Each Session is bound to one long-lived Connection so pool
checkout is not part of the measurement; a new Session per operation means
the identity map never serves cached objects.
"""
from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from sqlalchemy import ForeignKey, func, select, update
from sqlalchemy.orm import (DeclarativeBase, Mapped, Session, joinedload,
                            mapped_column, relationship)

from .base import BenchImpl, COLUMNS


class Base(DeclarativeBase):
    pass


class Customer(Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str]
    contact_name: Mapped[str]
    contact_title: Mapped[str]
    address: Mapped[str]
    city: Mapped[str]
    postal_code: Mapped[Optional[str]]
    region: Mapped[Optional[str]]
    country: Mapped[str]
    phone: Mapped[str]
    fax: Mapped[Optional[str]]


class Employee(Base):
    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(primary_key=True)
    last_name: Mapped[str]
    first_name: Mapped[Optional[str]]
    title: Mapped[str]
    title_of_courtesy: Mapped[str]
    birth_date: Mapped[int]
    hire_date: Mapped[int]
    address: Mapped[str]
    city: Mapped[str]
    postal_code: Mapped[str]
    country: Mapped[str]
    home_phone: Mapped[str]
    extension: Mapped[int]
    notes: Mapped[str]
    recipient_id: Mapped[Optional[int]] = mapped_column(ForeignKey("employees.id"))
    recipient: Mapped[Optional["Employee"]] = relationship(remote_side=[id])


class Supplier(Base):
    __tablename__ = "suppliers"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_name: Mapped[str]
    contact_name: Mapped[str]
    contact_title: Mapped[str]
    address: Mapped[str]
    city: Mapped[str]
    region: Mapped[Optional[str]]
    postal_code: Mapped[str]
    country: Mapped[str]
    phone: Mapped[str]


class Product(Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    qt_per_unit: Mapped[str]
    unit_price: Mapped[float]
    units_in_stock: Mapped[int]
    units_on_order: Mapped[int]
    reorder_level: Mapped[int]
    discontinued: Mapped[int]
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"))
    supplier: Mapped[Supplier] = relationship()


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_date: Mapped[int]
    required_date: Mapped[int]
    shipped_date: Mapped[Optional[int]]
    ship_via: Mapped[int]
    freight: Mapped[float]
    ship_name: Mapped[str]
    ship_city: Mapped[str]
    ship_region: Mapped[Optional[str]]
    ship_postal_code: Mapped[Optional[str]]
    ship_country: Mapped[str]
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))


class OrderDetail(Base):
    __tablename__ = "order_details"
    # The table has no primary key; (order_id, product_id) is unique, which is
    # what the ORM needs for identity.
    unit_price: Mapped[float]
    quantity: Mapped[int]
    discount: Mapped[float]
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    order: Mapped[Order] = relationship()
    product: Mapped[Product] = relationship()


for _m in (Customer, Employee, Supplier, Product, Order, OrderDetail):
    assert [c.name for c in _m.__table__.c] == COLUMNS[_m.__tablename__], _m


def _agg_select():
    return (
        select(Order.id, Order.shipped_date, Order.ship_name, Order.ship_city,
               Order.ship_country,
               func.count(OrderDetail.product_id).label("products_count"),
               func.sum(OrderDetail.quantity).label("quantity_sum"),
               func.sum(OrderDetail.quantity * OrderDetail.unit_price).label("total_price"))
        .outerjoin(OrderDetail, Order.id == OrderDetail.order_id)
        .group_by(Order.id)
    )


class Impl(BenchImpl):
    name = "sqlalchemy_orm"
    CHECK_PATHS = {
        "employee_with_manager": ["id", "last_name", "recipient_id", "recipient.id",
                                  "recipient.last_name"],
        "order_with_details_and_products": [
            "order_id", "product_id", "unit_price", "quantity", "discount",
            "order.ship_name", "order.order_date", "product.name", "product.unit_price"],
    }

    def versions(self):
        return {"SQLAlchemy": sa.__version__}

    def setup(self, db_path):
        self.engine = sa.create_engine(f"sqlite:///{db_path}")
        self.conn = self.engine.connect()

    def teardown(self):
        self.conn.close()
        self.engine.dispose()

    def _session(self):
        return Session(self.conn)

    # ---- reads
    def customers_all(self):
        with self._session() as s:
            return s.scalars(select(Customer)).all()

    def customer_by_id(self, id):
        with self._session() as s:
            return s.get(Customer, id)

    def customers_search(self, term):
        with self._session() as s:
            # SQLite's LIKE is already case-insensitive (ilike() would add lower()).
            return s.scalars(select(Customer).where(Customer.company_name.like(term))).all()

    def employees_all(self):
        with self._session() as s:
            return s.scalars(select(Employee)).all()

    def employee_with_manager(self, id):
        with self._session() as s:
            return s.get(Employee, id, options=[joinedload(Employee.recipient)])

    def suppliers_all(self):
        with self._session() as s:
            return s.scalars(select(Supplier)).all()

    def supplier_by_id(self, id):
        with self._session() as s:
            return s.get(Supplier, id)

    def products_all(self):
        with self._session() as s:
            return s.scalars(select(Product)).all()

    def product_with_supplier(self, id):
        with self._session() as s:
            return s.get(Product, id, options=[joinedload(Product.supplier)])

    def products_search(self, term):
        with self._session() as s:
            return s.scalars(select(Product).where(Product.name.like(term))).all()

    def orders_with_details(self):
        with self._session() as s:
            return s.execute(_agg_select().order_by(Order.id)).all()

    def order_with_details(self, id):
        with self._session() as s:
            return s.execute(_agg_select().where(Order.id == id)).first()

    def order_with_details_and_products(self, id):
        with self._session() as s:
            return s.scalars(
                select(OrderDetail)
                .options(joinedload(OrderDetail.order), joinedload(OrderDetail.product))
                .where(OrderDetail.order_id == id)).all()

    # ---- writes
    def insert_single(self, rows):
        with self._session() as s, s.begin():
            for r in rows:
                s.add(Customer(**r))
                s.flush()

    def insert_batch(self, rows):
        with self._session() as s, s.begin():
            s.add_all([Customer(**r) for r in rows])

    def update_by_id(self, rows):
        with self._session() as s, s.begin():
            for r in rows:
                s.execute(update(Customer).where(Customer.id == r["id"])
                          .values(contact_name=r["contact_name"], phone=r["phone"]))
