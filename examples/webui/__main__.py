"""`python -m examples.webui`: validate the environment, then serve (migrations run at start-up)."""

from __future__ import annotations

import logging
import sys

from .config import ConfigError, load_env


def main() -> int:
    """Start the service; exits 1 with a clear message on a bad environment."""
    try:
        env = load_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    import uvicorn

    from .app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(env)
    uvicorn.run(
        app,
        host=env.HOST,
        port=env.PORT,
        log_level="warning" if env.NODE_ENV == "test" else "info",
        timeout_graceful_shutdown=max(env.SHUTDOWN_GRACE_MS / 1000, 1),
        ws="websockets-sansio",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
