"""Drivers: thin adapters over DB-API modules; they know nothing of queries."""
