"""Deterministic Northwind-style dataset generator for the mizzle benchmarks.

Column names follow Drizzle's northwind benchmark schema.  Dates are stored as
integer unix seconds.  Everything is derived from ``random.Random(seed)`` so
the same (scale, seed) always produces byte-for-byte the same rows.

    python bench/dataset.py --scale 1 --seed 42 --out /tmp/northwind.db

Default scale 1: 10k customers, 200 employees, 1k suppliers, 5k products,
50k orders, ~200k order_details.
"""
from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from impls.base import COLUMNS, INSERT_COLUMNS  # noqa: E402

DATASET_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.join(HERE, "data")

SCHEMA = """
CREATE TABLE customers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_name TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_title TEXT NOT NULL,
  address TEXT NOT NULL,
  city TEXT NOT NULL,
  postal_code TEXT,
  region TEXT,
  country TEXT NOT NULL,
  phone TEXT NOT NULL,
  fax TEXT
);
CREATE TABLE employees (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  last_name TEXT NOT NULL,
  first_name TEXT,
  title TEXT NOT NULL,
  title_of_courtesy TEXT NOT NULL,
  birth_date INTEGER NOT NULL,
  hire_date INTEGER NOT NULL,
  address TEXT NOT NULL,
  city TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  country TEXT NOT NULL,
  home_phone TEXT NOT NULL,
  extension INTEGER NOT NULL,
  notes TEXT NOT NULL,
  recipient_id INTEGER REFERENCES employees(id)
);
CREATE TABLE suppliers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_name TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_title TEXT NOT NULL,
  address TEXT NOT NULL,
  city TEXT NOT NULL,
  region TEXT,
  postal_code TEXT NOT NULL,
  country TEXT NOT NULL,
  phone TEXT NOT NULL
);
CREATE TABLE products (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  qt_per_unit TEXT NOT NULL,
  unit_price REAL NOT NULL,
  units_in_stock INTEGER NOT NULL,
  units_on_order INTEGER NOT NULL,
  reorder_level INTEGER NOT NULL,
  discontinued INTEGER NOT NULL,
  supplier_id INTEGER NOT NULL REFERENCES suppliers(id) ON DELETE CASCADE
);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  order_date INTEGER NOT NULL,
  required_date INTEGER NOT NULL,
  shipped_date INTEGER,
  ship_via INTEGER NOT NULL,
  freight REAL NOT NULL,
  ship_name TEXT NOT NULL,
  ship_city TEXT NOT NULL,
  ship_region TEXT,
  ship_postal_code TEXT,
  ship_country TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE
);
CREATE TABLE order_details (
  unit_price REAL NOT NULL,
  quantity INTEGER NOT NULL,
  discount REAL NOT NULL,
  order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE
);
CREATE INDEX employees_recipient_id_idx ON employees(recipient_id);
CREATE INDEX products_supplier_id_idx ON products(supplier_id);
CREATE INDEX orders_customer_id_idx ON orders(customer_id);
CREATE INDEX orders_employee_id_idx ON orders(employee_id);
CREATE INDEX order_details_order_id_idx ON order_details(order_id);
CREATE INDEX order_details_product_id_idx ON order_details(product_id);
"""

# ------------------------------------------------------------------ word lists
SYLLABLES = ["al", "an", "ar", "bo", "ca", "da", "de", "el", "en", "er", "fa", "ge",
             "ha", "in", "ka", "la", "le", "li", "lo", "ma", "me", "mi", "na", "ne",
             "no", "or", "pa", "ra", "re", "ri", "ro", "sa", "se", "so", "ta", "te",
             "ti", "to", "tu", "va", "ve", "vi", "wa", "za", "ul", "us", "is", "os"]
COMPANY_SUFFIX = ["Trading", "Foods", "Market", "Imports", "Export", "Delikatessen",
                  "Supplies", "Grocers", "Kitchen", "Comidas", "Specialities",
                  "Handel", "Traders", "Provisions", "Epicerie", "Mercado"]
FIRST_NAMES = ["Maria", "Ana", "Antonio", "Thomas", "Christina", "Hanna", "Frederique",
               "Martin", "Laurence", "Elizabeth", "Victoria", "Patricio", "Francisco",
               "Yang", "Pedro", "Aria", "Diego", "Peter", "Carine", "Paolo", "Lino",
               "Eduardo", "Jose", "Andre", "Howard", "Manuel", "Mario", "Carlos",
               "Yoshi", "Helen", "Philip", "Daniel", "Annette", "Renate", "Guillermo",
               "Georg", "Isabel", "Bernardo", "Lucia", "Horst", "Sergio", "Paula",
               "Maurizio", "Janete", "Michael", "Alejandra", "Jonas", "Jose", "Rita",
               "Pirkko", "Karl", "Matti", "Zbyszek", "Liu", "Steven", "Nancy", "Janet",
               "Margaret", "Robert", "Laura", "Anne", "Andrew"]
LAST_NAMES = ["Anders", "Trujillo", "Moreno", "Hardy", "Berglund", "Moos", "Citeaux",
              "Sommer", "Lebihan", "Lincoln", "Ashworth", "Simpson", "Chang", "Afonso",
              "Cruz", "Roel", "Rance", "Pfalzheim", "Schmitt", "Accorti", "Rodriguez",
              "Saveley", "Fonseca", "Devon", "Franken", "Pereira", "Koskitalo", "Ottlieb",
              "Wong", "Kloss", "Piestrzeniewicz", "Nagy", "Latimer", "Larsson", "Karttunen",
              "Tonini", "Batista", "Holz", "Afonso", "Davolio", "Fuller", "Leverling",
              "Peacock", "Buchanan", "Suyama", "King", "Callahan", "Dodsworth"]
TITLES = ["Sales Representative", "Owner", "Order Administrator", "Marketing Manager",
          "Accounting Manager", "Sales Agent", "Sales Associate", "Sales Manager",
          "Marketing Assistant", "Assistant Sales Agent", "Export Administrator",
          "Purchasing Manager", "Regional Account Representative"]
COURTESY = ["Mr.", "Ms.", "Mrs.", "Dr."]
STREETS = ["Obere Str.", "Avda. de la Constitucion", "Mataderos", "Hanover Sq.",
           "Berguvsvagen", "Forsterstr.", "place Kleber", "Araquil", "rue des Bouchers",
           "Tsawassen Blvd.", "Fauntleroy Circus", "Cerrito", "Sierras de Granada",
           "Hauptstr.", "Av. dos Lusiadas", "Berkeley Gardens", "Walserweg",
           "Taucherstrasse", "Grenzacherweg", "Rua Oros", "Via Monte Bianco"]
CITIES = [("Berlin", "Germany", None), ("Mexico D.F.", "Mexico", None),
          ("London", "UK", None), ("Lulea", "Sweden", None),
          ("Mannheim", "Germany", None), ("Strasbourg", "France", None),
          ("Madrid", "Spain", None), ("Marseille", "France", None),
          ("Tsawassen", "Canada", "BC"), ("Buenos Aires", "Argentina", None),
          ("Bern", "Switzerland", None), ("Sao Paulo", "Brazil", "SP"),
          ("Aachen", "Germany", None), ("Nantes", "France", None),
          ("Graz", "Austria", None), ("Lille", "France", None),
          ("Eugene", "USA", "OR"), ("Seattle", "USA", "WA"), ("Tacoma", "USA", "WA"),
          ("Kirkland", "USA", "WA"), ("Lyon", "France", None),
          ("Reggio Emilia", "Italy", None), ("Rio de Janeiro", "Brazil", "RJ"),
          ("Sevilla", "Spain", None), ("Oulu", "Finland", None),
          ("Warszawa", "Poland", None), ("Tokyo", "Japan", None),
          ("Osaka", "Japan", None), ("Sydney", "Australia", "NSW"),
          ("Montreal", "Canada", "Quebec"), ("Helsinki", "Finland", None)]
PRODUCT_KINDS = ["Chai", "Chang", "Syrup", "Seasoning", "Gumbo", "Marmalade", "Pears",
                 "Sauce", "Beef", "Tofu", "Kombu", "Cheese", "Biscuits", "Chocolate",
                 "Coffee", "Lager", "Ale", "Sild", "Crab Meat", "Clam Chowder",
                 "Gnocchi", "Ravioli", "Escargots", "Tarte", "Pate", "Scones",
                 "Mozzarella", "Caviar", "Chips", "Salmon", "Spread", "Honey"]
UNITS = ["10 boxes x 20 bags", "24 - 12 oz bottles", "12 - 550 ml bottles",
         "48 - 6 oz jars", "36 boxes", "12 - 8 oz jars", "18 - 500 g pkgs.",
         "12 - 200 ml jars", "1 kg pkg.", "40 - 100 g pkgs.", "24 - 250 g pkgs.",
         "32 - 500 g boxes", "20 - 1 kg tins", "16 kg pkg.", "10 - 500 g pkgs."]
DISCOUNTS = [0.0, 0.0, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25]

EPOCH_1995 = 788918400   # 1995-01-01
EPOCH_2015 = 1420070400  # 2015-01-01
DAY = 86400


def sizes(scale: float) -> dict[str, int]:
    return {
        "customers": max(50, int(10_000 * scale)),
        "employees": max(10, int(200 * scale)),
        "suppliers": max(10, int(1_000 * scale)),
        "products": max(20, int(5_000 * scale)),
        "orders": max(100, int(50_000 * scale)),
        "writes": max(100, min(10_000, int(10_000 * scale))),
    }


def _word(rng: random.Random, lo=2, hi=4) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi))).capitalize()


def _company(rng: random.Random) -> str:
    return f"{_word(rng)} {_word(rng)} {rng.choice(COMPANY_SUFFIX)}"


def _phone(rng: random.Random) -> str:
    return f"({rng.randint(10, 999)}) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _customer_row(rng: random.Random) -> tuple:
    city, country, region = rng.choice(CITIES)
    return (
        _company(rng),
        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        rng.choice(TITLES),
        f"{rng.choice(STREETS)} {rng.randint(1, 999)}",
        city,
        None if rng.random() < 0.05 else f"{rng.randint(1000, 99999):05d}",
        region,
        country,
        _phone(rng),
        None if rng.random() < 0.4 else _phone(rng),
    )


def generate(path: str, scale: float = 1.0, seed: int = 42, verbose: bool = True) -> str:
    """Build the dataset into ``path`` (overwritten atomically). Returns path."""
    t0 = time.perf_counter()
    n = sizes(scale)
    rng = random.Random(seed)
    tmp = path + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.executescript(SCHEMA)

    def ins(table, rows, with_id=True):
        cols = COLUMNS[table] if with_id else COLUMNS[table][1:]
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        conn.executemany(sql, rows)

    # customers
    ins("customers", ((i,) + _customer_row(rng) for i in range(1, n["customers"] + 1)))

    # employees: the first ~5% are top managers (no manager), the rest report
    # to an employee with a smaller id.
    emp = []
    n_top = max(1, n["employees"] // 20)
    for i in range(1, n["employees"] + 1):
        city, country, _region = rng.choice(CITIES)
        birth = EPOCH_1995 - rng.randint(20 * 365, 60 * 365) * DAY
        emp.append((
            i, rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), rng.choice(TITLES),
            rng.choice(COURTESY), birth, EPOCH_1995 + rng.randint(0, 20 * 365) * DAY,
            f"{rng.choice(STREETS)} {rng.randint(1, 999)}", city,
            f"{rng.randint(1000, 99999):05d}", country, _phone(rng),
            rng.randint(100, 9999),
            f"Employee notes {_word(rng)} {_word(rng)} {_word(rng)}.",
            None if i <= n_top else rng.randint(1, i - 1),
        ))
    ins("employees", emp)

    # suppliers
    sup = []
    for i in range(1, n["suppliers"] + 1):
        city, country, region = rng.choice(CITIES)
        sup.append((
            i, _company(rng), f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            rng.choice(TITLES), f"{rng.choice(STREETS)} {rng.randint(1, 999)}", city,
            region, f"{rng.randint(1000, 99999):05d}", country, _phone(rng),
        ))
    ins("suppliers", sup)

    # products
    prices = [0.0]
    prod = []
    for i in range(1, n["products"] + 1):
        price = round(rng.uniform(2.5, 263.5), 2)
        prices.append(price)
        prod.append((
            i, f"{_word(rng)} {rng.choice(PRODUCT_KINDS)}", rng.choice(UNITS), price,
            rng.randint(0, 125), rng.choice([0, 0, 0, 10, 20, 40, 70, 100]),
            rng.choice([0, 5, 10, 15, 20, 25, 30]), 1 if rng.random() < 0.1 else 0,
            rng.randint(1, n["suppliers"]),
        ))
    ins("products", prod)

    # orders + details (1..7 distinct products per order, ~4 on average)
    orders, details = [], []
    n_prod = n["products"]
    for i in range(1, n["orders"] + 1):
        city, country, region = rng.choice(CITIES)
        od = EPOCH_2015 + rng.randint(0, 9 * 365) * DAY + rng.randint(0, DAY - 1)
        orders.append((
            i, od, od + rng.randint(7, 30) * DAY,
            None if rng.random() < 0.1 else od + rng.randint(1, 20) * DAY,
            rng.randint(1, 3), round(rng.uniform(0.02, 1000.0), 2),
            _company(rng), city, region,
            None if rng.random() < 0.05 else f"{rng.randint(1000, 99999):05d}",
            country, rng.randint(1, n["customers"]), rng.randint(1, n["employees"]),
        ))
        for pid in rng.sample(range(1, n_prod + 1), rng.randint(1, 7)):
            details.append((prices[pid], rng.randint(1, 120), rng.choice(DISCOUNTS), i, pid))
    ins("orders", orders)
    ins("order_details", details)
    conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    os.replace(tmp, path)
    if verbose:
        print(f"built {path}: {n['customers']} customers, {n['employees']} employees, "
              f"{n['suppliers']} suppliers, {n['products']} products, {n['orders']} orders, "
              f"{len(details)} details in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    return path


def default_path(scale: float, seed: int) -> str:
    return os.path.join(DATA_DIR, f"northwind-v{DATASET_VERSION}-s{scale:g}-seed{seed}.db")


def ensure(scale: float = 1.0, seed: int = 42, path: str | None = None) -> str:
    """Return the path of the dataset, building it if it does not exist yet."""
    path = path or default_path(scale, seed)
    if not os.path.exists(path):
        generate(path, scale, seed)
    return path


def params(scale: float = 1.0, seed: int = 42) -> dict[str, list]:
    """Deterministic parameter lists for the lookup / search queries."""
    n = sizes(scale)
    rng = random.Random(seed * 7919 + 1)

    def ids(k, count=1000):
        return [rng.randint(1, k) for _ in range(count)]

    def terms(count=20):
        # 3-letter fragments of generated words, mixed case (LIKE is case-insensitive)
        out = []
        for _ in range(count):
            s = "".join(rng.choice(SYLLABLES) for _ in range(2))[rng.randint(0, 1):][:3]
            out.append("%" + (s.upper() if rng.random() < 0.5 else s) + "%")
        return out

    return {
        "customer_ids": ids(n["customers"]),
        "employee_ids": ids(n["employees"]),
        "supplier_ids": ids(n["suppliers"]),
        "product_ids": ids(n["products"]),
        "order_ids": ids(n["orders"]),
        "customer_terms": terms(),
        "product_terms": terms(),
    }


def write_payload(scale: float = 1.0, seed: int = 42) -> dict[str, list[dict]]:
    """Rows for the write benchmarks: customers to insert, updates by id."""
    n = sizes(scale)
    rng = random.Random(seed * 104729 + 2)
    inserts = [dict(zip(INSERT_COLUMNS, _customer_row(rng))) for _ in range(n["writes"])]
    upd_ids = rng.sample(range(1, n["customers"] + 1), min(n["writes"], n["customers"]))
    updates = [{"id": i, "contact_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "phone": _phone(rng)} for i in upd_ids]
    return {"inserts": inserts, "updates": updates}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", default=None, help="output .db path (default bench/data/...)")
    a = ap.parse_args(argv)
    generate(a.out or default_path(a.scale, a.seed), a.scale, a.seed)


if __name__ == "__main__":
    main()
