"""Database dialects: one package per database."""
