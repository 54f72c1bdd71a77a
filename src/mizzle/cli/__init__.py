"""The `mizzle` command line (generate, migrate, push, pull, check, drop, export, studio)."""
