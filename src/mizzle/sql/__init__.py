"""SQL fragments, rendering, operators and functions."""
