"""Table classes for a database without a schema module: the module `mizzle pull` would write, executed."""

from __future__ import annotations

import types

from mizzle.kit.config import KitConfig
from mizzle.schema.table import Table
from mizzle.session.sync import Database


def pulled_tables(db: Database, config: KitConfig | None = None) -> list[type[Table]]:
    """The tables of `db` (honouring the config's `tables_filter`), as `pull` declares them."""
    from mizzle.kit.codegen import pull

    include = config.table_included if config is not None else None
    migrations_table = config.migrations_table if config is not None else "__drizzle_migrations"
    source, _ = pull(db, include=include, migrations_table=migrations_table, relations=False,
                     header="Schema pulled from the database by `mizzle studio`.")
    module = types.ModuleType("mizzle_studio_pulled_schema")
    exec(compile(source, "<mizzle studio: schema pulled from the database>", "exec"), module.__dict__)  # our codegen
    return [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Table) and "__table__" in vars(v)]


__all__ = ["pulled_tables"]
