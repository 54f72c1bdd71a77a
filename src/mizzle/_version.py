"""mizzle's version: the one place it is written (packaging reads it from here too)."""

__version__ = "0.2.0"
