"""Seed 004 ("better-gpt") on PostgreSQL: projects, chats with jsonb messages, files."""
