"""peewee: Model classes, queries built per call, model instances as rows.

Each Impl instance builds its own model classes bound to its own
SqliteDatabase (peewee binds models to a database globally, and the harness
keeps a read instance alive while write instances run on fresh copies).
"""
from __future__ import annotations

import sqlite3

import peewee
from peewee import (JOIN, AutoField, CompositeKey, FloatField, ForeignKeyField,
                    IntegerField, Model, SqliteDatabase, TextField, fn)

from .base import BenchImpl, COLUMNS, INSERT_COLUMNS


def make_models(db):
    class BaseModel(Model):
        class Meta:
            database = db

    class Customer(BaseModel):
        id = AutoField()
        company_name = TextField()
        contact_name = TextField()
        contact_title = TextField()
        address = TextField()
        city = TextField()
        postal_code = TextField(null=True)
        region = TextField(null=True)
        country = TextField()
        phone = TextField()
        fax = TextField(null=True)

        class Meta:
            table_name = "customers"

    class Employee(BaseModel):
        id = AutoField()
        last_name = TextField()
        first_name = TextField(null=True)
        title = TextField()
        title_of_courtesy = TextField()
        birth_date = IntegerField()
        hire_date = IntegerField()
        address = TextField()
        city = TextField()
        postal_code = TextField()
        country = TextField()
        home_phone = TextField()
        extension = IntegerField()
        notes = TextField()
        recipient = ForeignKeyField("self", null=True, column_name="recipient_id",
                                    backref="reports")

        class Meta:
            table_name = "employees"

    class Supplier(BaseModel):
        id = AutoField()
        company_name = TextField()
        contact_name = TextField()
        contact_title = TextField()
        address = TextField()
        city = TextField()
        region = TextField(null=True)
        postal_code = TextField()
        country = TextField()
        phone = TextField()

        class Meta:
            table_name = "suppliers"

    class Product(BaseModel):
        id = AutoField()
        name = TextField()
        qt_per_unit = TextField()
        unit_price = FloatField()
        units_in_stock = IntegerField()
        units_on_order = IntegerField()
        reorder_level = IntegerField()
        discontinued = IntegerField()
        supplier = ForeignKeyField(Supplier, column_name="supplier_id", backref="products")

        class Meta:
            table_name = "products"

    class Order(BaseModel):
        id = AutoField()
        order_date = IntegerField()
        required_date = IntegerField()
        shipped_date = IntegerField(null=True)
        ship_via = IntegerField()
        freight = FloatField()
        ship_name = TextField()
        ship_city = TextField()
        ship_region = TextField(null=True)
        ship_postal_code = TextField(null=True)
        ship_country = TextField()
        customer = ForeignKeyField(Customer, column_name="customer_id", backref="orders")
        employee = ForeignKeyField(Employee, column_name="employee_id", backref="orders")

        class Meta:
            table_name = "orders"

    class OrderDetail(BaseModel):
        unit_price = FloatField()
        quantity = IntegerField()
        discount = FloatField()
        order = ForeignKeyField(Order, column_name="order_id", backref="details")
        product = ForeignKeyField(Product, column_name="product_id", backref="details")

        class Meta:
            table_name = "order_details"
            primary_key = CompositeKey("order", "product")

    models = dict(Customer=Customer, Employee=Employee, Supplier=Supplier,
                  Product=Product, Order=Order, OrderDetail=OrderDetail)
    for m in models.values():
        assert [f.column_name for f in m._meta.sorted_fields] == COLUMNS[m._meta.table_name]
    return models


# rows per INSERT for insert_many (SQLite's host-parameter limit)
_MAX_VARS = 32766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
_CHUNK = _MAX_VARS // len(INSERT_COLUMNS)


class Impl(BenchImpl):
    name = "peewee"
    CHECK_PATHS = {
        "employee_with_manager": ["id", "last_name", "recipient_id", "manager.id",
                                  "manager.last_name"],
        "order_with_details_and_products": [
            "order_id", "product_id", "unit_price", "quantity", "discount",
            "order.ship_name", "order.order_date", "product.name", "product.unit_price"],
    }

    def versions(self):
        return {"peewee": peewee.__version__}

    def setup(self, db_path):
        self.db = SqliteDatabase(db_path)
        self.m = make_models(self.db)
        for k, v in self.m.items():
            setattr(self, k, v)
        self.db.connect()

    def teardown(self):
        self.db.close()

    # ---- reads
    def customers_all(self):
        return list(self.Customer.select())

    def customer_by_id(self, id):
        C = self.Customer
        return C.get_or_none(C.id == id)

    def customers_search(self, term):
        C = self.Customer
        # ** is ILIKE, which peewee renders as LIKE on SQLite (case-insensitive)
        return list(C.select().where(C.company_name ** term))

    def employees_all(self):
        return list(self.Employee.select())

    def employee_with_manager(self, id):
        E = self.Employee
        M = E.alias()
        return (E.select(E, M)
                .join(M, JOIN.LEFT_OUTER, on=(E.recipient == M.id), attr="manager")
                .where(E.id == id)
                .get_or_none())

    def suppliers_all(self):
        return list(self.Supplier.select())

    def supplier_by_id(self, id):
        S = self.Supplier
        return S.get_or_none(S.id == id)

    def products_all(self):
        return list(self.Product.select())

    def product_with_supplier(self, id):
        P, S = self.Product, self.Supplier
        return P.select(P, S).join(S, JOIN.LEFT_OUTER).where(P.id == id).get_or_none()

    def products_search(self, term):
        P = self.Product
        return list(P.select().where(P.name ** term))

    def _agg(self):
        O, D = self.Order, self.OrderDetail
        return (O.select(O.id, O.shipped_date, O.ship_name, O.ship_city, O.ship_country,
                         fn.COUNT(D.product).alias("products_count"),
                         fn.SUM(D.quantity).alias("quantity_sum"),
                         fn.SUM(D.quantity * D.unit_price).alias("total_price"))
                .join(D, JOIN.LEFT_OUTER, on=(O.id == D.order))
                .group_by(O.id))

    def orders_with_details(self):
        return list(self._agg().order_by(self.Order.id))

    def order_with_details(self, id):
        return self._agg().where(self.Order.id == id).get_or_none()

    def order_with_details_and_products(self, id):
        D, O, P = self.OrderDetail, self.Order, self.Product
        return list(D.select(D, O, P)
                    .join(O, JOIN.LEFT_OUTER).switch(D)
                    .join(P, JOIN.LEFT_OUTER)
                    .where(D.order == id))

    # ---- writes
    def insert_single(self, rows):
        C = self.Customer
        with self.db.atomic():
            for r in rows:
                C.create(**r)

    def insert_batch(self, rows):
        C = self.Customer
        with self.db.atomic():
            for i in range(0, len(rows), _CHUNK):
                C.insert_many(rows[i:i + _CHUNK]).execute()

    def update_by_id(self, rows):
        C = self.Customer
        with self.db.atomic():
            for r in rows:
                C.update(contact_name=r["contact_name"], phone=r["phone"]) \
                    .where(C.id == r["id"]).execute()
