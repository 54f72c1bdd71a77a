"""The Northwind schema as mizzle table classes (shared by the mizzle variants)."""
from __future__ import annotations

from mizzle import relations
from mizzle.sqlite import Column, Table, integer, real, text


class Customers(Table, name="customers"):
    id: Column[int] = integer().primary_key(autoincrement=True)
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
    id: Column[int] = integer().primary_key(autoincrement=True)
    last_name: Column[str] = text().not_null()
    first_name: Column[str | None] = text()
    title: Column[str] = text().not_null()
    title_of_courtesy: Column[str] = text().not_null()
    birth_date: Column[int] = integer().not_null()
    hire_date: Column[int] = integer().not_null()
    address: Column[str] = text().not_null()
    city: Column[str] = text().not_null()
    postal_code: Column[str] = text().not_null()
    country: Column[str] = text().not_null()
    home_phone: Column[str] = text().not_null()
    extension: Column[int] = integer().not_null()
    notes: Column[str] = text().not_null()
    recipient_id: Column[int | None] = integer().references(lambda: Employees.id)


class Suppliers(Table, name="suppliers"):
    id: Column[int] = integer().primary_key(autoincrement=True)
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
    id: Column[int] = integer().primary_key(autoincrement=True)
    name: Column[str] = text().not_null()
    qt_per_unit: Column[str] = text().not_null()
    unit_price: Column[float] = real().not_null()
    units_in_stock: Column[int] = integer().not_null()
    units_on_order: Column[int] = integer().not_null()
    reorder_level: Column[int] = integer().not_null()
    discontinued: Column[int] = integer().not_null()
    supplier_id: Column[int] = integer().not_null().references(lambda: Suppliers.id, on_delete="cascade")


class Orders(Table, name="orders"):
    id: Column[int] = integer().primary_key(autoincrement=True)
    order_date: Column[int] = integer().not_null()
    required_date: Column[int] = integer().not_null()
    shipped_date: Column[int | None] = integer()
    ship_via: Column[int] = integer().not_null()
    freight: Column[float] = real().not_null()
    ship_name: Column[str] = text().not_null()
    ship_city: Column[str] = text().not_null()
    ship_region: Column[str | None] = text()
    ship_postal_code: Column[str | None] = text()
    ship_country: Column[str] = text().not_null()
    customer_id: Column[int] = integer().not_null().references(lambda: Customers.id, on_delete="cascade")
    employee_id: Column[int] = integer().not_null().references(lambda: Employees.id, on_delete="cascade")


class OrderDetails(Table, name="order_details"):
    unit_price: Column[float] = real().not_null()
    quantity: Column[int] = integer().not_null()
    discount: Column[float] = real().not_null()
    order_id: Column[int] = integer().not_null().references(lambda: Orders.id, on_delete="cascade")
    product_id: Column[int] = integer().not_null().references(lambda: Products.id, on_delete="cascade")


# Relations for the relational API (`db.query(...).find_first(with_=...)`, bench variant
# `mizzle_relational`); declaring them changes nothing for the other variants.
relations(Employees, lambda r: {
    "manager": r.one(Employees, fields=[Employees.recipient_id], references=[Employees.id],
                     relation_name="manager"),
    "reports": r.many(Employees, relation_name="manager"),
})
relations(Suppliers, lambda r: {"products": r.many(Products)})
relations(Products, lambda r: {
    "supplier": r.one(Suppliers, fields=[Products.supplier_id], references=[Suppliers.id]),
    "details": r.many(OrderDetails),
})
relations(Orders, lambda r: {"details": r.many(OrderDetails)})
relations(OrderDetails, lambda r: {
    "order": r.one(Orders, fields=[OrderDetails.order_id], references=[Orders.id]),
    "product": r.one(Products, fields=[OrderDetails.product_id], references=[Products.id]),
})
