"""One module per `mizzle` sub-command; each exposes `register(subparsers)`."""
