"""mizzle with the builder run on every call (nothing prepared)."""
from __future__ import annotations

from typing import Any

from mizzle import eq

from .mizzle_impl import Impl as _Prepared
from .mizzle_impl import _queries
from .mizzle_schema import Customers


def _value(name: str) -> Any:
    return _Current.values[name]


class _Current:
    values: dict[str, Any] = {}


class Impl(_Prepared):
    name = "mizzle_builder"

    def setup(self, db_path: str) -> None:
        super().setup(db_path)
        self.q = _queries(self.db, _value)

    def _all(self, name, **values):
        _Current.values = values
        return self.q[name]().all()

    def _get(self, name, **values):
        _Current.values = values
        return self.q[name]().get()

    def customers_all(self): return self._all("customers_all")
    def customer_by_id(self, id): return self.db.select().from_(Customers).where(eq(Customers.id, id)).get()
    def customers_search(self, term): return self._all("customers_search", term=term)
    def employees_all(self): return self._all("employees_all")
    def employee_with_manager(self, id): return self._get("employee_with_manager", id=id)
    def suppliers_all(self): return self._all("suppliers_all")
    def supplier_by_id(self, id): return self._get("supplier_by_id", id=id)
    def products_all(self): return self._all("products_all")
    def product_with_supplier(self, id): return self._get("product_with_supplier", id=id)
    def products_search(self, term): return self._all("products_search", term=term)
    def orders_with_details(self): return self._all("orders_with_details")
    def order_with_details(self, id): return self._get("order_with_details", id=id)
    def order_with_details_and_products(self, id): return self._all("order_with_details_and_products", id=id)

    def insert_single(self, rows):
        db = self.db
        with db.transaction():
            for r in rows:
                db.insert(Customers).values(**r).run()

    def update_by_id(self, rows):
        db = self.db
        with db.transaction():
            for r in rows:
                db.update(Customers).set(contact_name=r["contact_name"], phone=r["phone"]).where(
                    eq(Customers.id, r["id"])).run()
