"""``python -m backend --host H --port P --data-dir D``: serve Wengert with uvicorn."""

import argparse
import sys
from pathlib import Path

import uvicorn

from backend.http.app import create_app
from backend.http.header_timeout import header_timeout_protocol
from backend.settings import Settings
from backend.store.checks import open_checked
from backend.store.interface import StoreDamaged


def parse_settings(argv: list[str] | None = None) -> Settings:
    """Settings from the environment, overridden by any flag given."""
    parser = argparse.ArgumentParser(prog="python -m backend", description=__doc__)
    parser.add_argument("--host", help="interface to listen on (WENGERT_HOST)")
    parser.add_argument("--port", type=int, help="TCP port (WENGERT_PORT)")
    parser.add_argument("--data-dir", type=Path, help="data directory (WENGERT_DATA_DIR)")
    args = parser.parse_args(argv)
    flags = {k: v for k, v in vars(args).items() if v is not None}
    return Settings(**flags)


def main() -> None:
    settings = parse_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        open_checked(settings).close()
    except StoreDamaged as damage:
        sys.exit(str(damage))
    print(f"Wengert is serving on http://{settings.host}:{settings.port}", flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.access_log,
        # Event streams never end by themselves: give them a moment, then close them.
        timeout_graceful_shutdown=2,
        http=header_timeout_protocol(
            settings.header_timeout_seconds, settings.body_timeout_seconds
        ),
        # Forwarded addresses are trusted only when configured: otherwise uvicorn would take
        # the client's address from X-Forwarded-For whenever the peer is on loopback.
        proxy_headers=settings.trust_forwarded_for,
    )


if __name__ == "__main__":
    main()
