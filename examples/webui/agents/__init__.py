"""Command-line agents bundled with the example (a demo agent that needs no network)."""
