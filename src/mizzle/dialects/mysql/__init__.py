"""The MySQL/MariaDB dialect."""

from mizzle.dialects.mysql.dialect import MySQLDialect

__all__ = ["MySQLDialect"]
