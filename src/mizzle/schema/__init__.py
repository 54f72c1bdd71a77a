"""Schema as code: tables, columns, constraints."""
