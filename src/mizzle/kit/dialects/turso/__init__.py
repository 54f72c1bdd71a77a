"""drizzle-kit's `turso` dialect: SQLite snapshots and journal, libSQL `ALTER COLUMN` instead of some rebuilds."""
