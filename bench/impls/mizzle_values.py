"""mizzle prepared queries returning plain tuples (`.values()`)."""
from __future__ import annotations

from .mizzle_impl import Impl as _Prepared
from .raw_sqlite3 import Impl as _Raw


class Impl(_Prepared):
    name = "mizzle_values"
    CHECK_PATHS = _Raw.CHECK_PATHS

    def _one(self, name, **v):
        rows = self.p[name].values(**v)
        return rows[0] if rows else None

    def customers_all(self): return self.p["customers_all"].values()
    def customer_by_id(self, id): return self._one("customer_by_id", id=id)
    def customers_search(self, term): return self.p["customers_search"].values(term=term)
    def employees_all(self): return self.p["employees_all"].values()
    def employee_with_manager(self, id): return self._one("employee_with_manager", id=id)
    def suppliers_all(self): return self.p["suppliers_all"].values()
    def supplier_by_id(self, id): return self._one("supplier_by_id", id=id)
    def products_all(self): return self.p["products_all"].values()
    def product_with_supplier(self, id): return self._one("product_with_supplier", id=id)
    def products_search(self, term): return self.p["products_search"].values(term=term)
    def orders_with_details(self): return self.p["orders_with_details"].values()
    def order_with_details(self, id): return self._one("order_with_details", id=id)
    def order_with_details_and_products(self, id): return self.p["order_with_details_and_products"].values(id=id)
