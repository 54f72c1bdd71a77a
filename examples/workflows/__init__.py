"""Seed 003 port: the Turso + Drizzle workflow database (schema, client, `WorkflowRepository`) on mizzle."""
