"""Seed 002 port: the ralph task store (tasks, stories, sessions, iterations, patterns, providers)."""
