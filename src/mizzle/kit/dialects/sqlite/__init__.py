"""The SQLite migration kit: snapshot version 6 and drizzle-kit's SQLite DDL text."""
