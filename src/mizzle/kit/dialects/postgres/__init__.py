"""The PostgreSQL half of the migration kit: snapshot v7, from_schema, convertor, migrator, introspection, pull."""
