"""Benchmark implementations, one module per library.

REGISTRY maps the library name used on the command line (``--libs``) to the
module in this package that defines ``Impl``.  To add a library, write the
module and add one line here.  A library may implement only some queries (the
harness shows the others as "—").  A module whose import fails (library not
installed, or an implementation that is still pending) is skipped by the
harness with a message.
"""

REGISTRY: dict[str, str] = {
    "raw_sqlite3": "raw_sqlite3",            # baseline: tuples (always run)
    "raw_sqlite3_dicts": "raw_sqlite3_dicts",
    "sqlalchemy_core": "sqlalchemy_core",
    "sqlalchemy_orm": "sqlalchemy_orm",
    "peewee": "peewee_impl",
    "mizzle": "mizzle_impl",                 # prepared queries, row objects
    "mizzle_builder": "mizzle_builder",       # builder on every call
    "mizzle_values": "mizzle_values",         # prepared queries, plain tuples
    "mizzle_relational": "mizzle_relational", # db.query(...).find_first(with_=...), 3 join queries
}

BASELINE = "raw_sqlite3"
