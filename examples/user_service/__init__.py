"""Seed 001 port: the `@supercoin/database` schema, relations and `UserService` on mizzle."""
