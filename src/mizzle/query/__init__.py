"""Query builders: select, insert, update, delete."""
