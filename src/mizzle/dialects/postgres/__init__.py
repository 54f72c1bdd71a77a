"""The PostgreSQL dialect."""

from mizzle.dialects.postgres.dialect import PostgresDialect

__all__ = ["PostgresDialect"]
