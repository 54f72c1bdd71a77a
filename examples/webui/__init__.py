"""Seed 000's agent console backend as an ASGI service on mizzle (Starlette + aiosqlite)."""
