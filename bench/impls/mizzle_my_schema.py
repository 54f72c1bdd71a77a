"""The Northwind schema for MySQL/MariaDB as mizzle table classes (the `mizzle_my*` variants).

The same tables as `mizzle_schema.py`; SQLite INTEGER is `bigint` here (the dates are unix
seconds) and REAL is `double`, as in the MariaDB copy of the dataset built by
`mysql_bench.py`.
"""
from __future__ import annotations

from mizzle.mysql import Column, Table, bigint, double, text


class Customers(Table, name="customers"):
    id: Column[int] = bigint().primary_key()
    company_name: Column[str] = text().not_null()
    contact_name: Column[str] = text().not_null()
    contact_title: Column[str] = text().not_null()
    address: Column[str] = text().not_null()
    city: Column[str] = text().not_null()
    postal_code: Column[str | None] = text()
    region: Column[str | None] = text()
    country: Column[str] = text().not_null()
    phone: Column[str] = text().not_null()
    fax: Column[str | None] = text()


class Employees(Table, name="employees"):
    id: Column[int] = bigint().primary_key()
    last_name: Column[str] = text().not_null()
    first_name: Column[str | None] = text()
    title: Column[str] = text().not_null()
    title_of_courtesy: Column[str] = text().not_null()
    birth_date: Column[int] = bigint().not_null()
    hire_date: Column[int] = bigint().not_null()
    address: Column[str] = text().not_null()
    city: Column[str] = text().not_null()
    postal_code: Column[str] = text().not_null()
    country: Column[str] = text().not_null()
    home_phone: Column[str] = text().not_null()
    extension: Column[int] = bigint().not_null()
    notes: Column[str] = text().not_null()
    recipient_id: Column[int | None] = bigint().references(lambda: Employees.id)


class Suppliers(Table, name="suppliers"):
    id: Column[int] = bigint().primary_key()
    company_name: Column[str] = text().not_null()
    contact_name: Column[str] = text().not_null()
    contact_title: Column[str] = text().not_null()
    address: Column[str] = text().not_null()
    city: Column[str] = text().not_null()
    region: Column[str | None] = text()
    postal_code: Column[str] = text().not_null()
    country: Column[str] = text().not_null()
    phone: Column[str] = text().not_null()


class Products(Table, name="products"):
    id: Column[int] = bigint().primary_key()
    name: Column[str] = text().not_null()
    qt_per_unit: Column[str] = text().not_null()
    unit_price: Column[float] = double().not_null()
    units_in_stock: Column[int] = bigint().not_null()
    units_on_order: Column[int] = bigint().not_null()
    reorder_level: Column[int] = bigint().not_null()
    discontinued: Column[int] = bigint().not_null()
    supplier_id: Column[int] = bigint().not_null().references(lambda: Suppliers.id, on_delete="cascade")


class Orders(Table, name="orders"):
    id: Column[int] = bigint().primary_key()
    order_date: Column[int] = bigint().not_null()
    required_date: Column[int] = bigint().not_null()
    shipped_date: Column[int | None] = bigint()
    ship_via: Column[int] = bigint().not_null()
    freight: Column[float] = double().not_null()
    ship_name: Column[str] = text().not_null()
    ship_city: Column[str] = text().not_null()
    ship_region: Column[str | None] = text()
    ship_postal_code: Column[str | None] = text()
    ship_country: Column[str] = text().not_null()
    customer_id: Column[int] = bigint().not_null().references(lambda: Customers.id, on_delete="cascade")
    employee_id: Column[int] = bigint().not_null().references(lambda: Employees.id, on_delete="cascade")


class OrderDetails(Table, name="order_details"):
    unit_price: Column[float] = double().not_null()
    quantity: Column[int] = bigint().not_null()
    discount: Column[float] = double().not_null()
    order_id: Column[int] = bigint().not_null().references(lambda: Orders.id, on_delete="cascade")
    product_id: Column[int] = bigint().not_null().references(lambda: Products.id, on_delete="cascade")
