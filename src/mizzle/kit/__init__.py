"""The migration kit: snapshots, diff, statements, journal, generate and migrate."""
