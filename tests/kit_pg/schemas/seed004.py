"""Seed 004's schema (the Python port lives in examples/better_gpt/schema.py; re-exported for the kit tests)."""

from better_gpt.schema import Chats, Files, Projects

TABLES = (Projects, Chats, Files)

__all__ = ["TABLES", "Chats", "Files", "Projects"]
