"""Per-dialect parts of the migration kit (snapshot dataclasses, SQL convertors)."""
