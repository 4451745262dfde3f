"""E2E fixtures: the real server on a free loopback port, and system Chromium."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.tests.postgres import (  # noqa: F401 (fixtures)
    database_url,
    postgres_cluster,
    two_servers,
)
from e2e.server import ServerProcess

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def system_chromium() -> str | None:
    """$WENGERT_CHROMIUM, else /usr/bin/chromium, else None (Playwright's own browser)."""
    candidates = [os.environ.get("WENGERT_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    executable = system_chromium()
    extra = {"executable_path": executable} if executable else {}
    return {**browser_type_launch_args, **extra, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a real uvicorn server shared by the session's browser tests."""
    workdir = tmp_path_factory.mktemp("server")
    server = ServerProcess(workdir / "data", workdir / "server.log").start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of the test's own, which the test may stop, kill and restart."""
    server = ServerProcess(tmp_path / "data", tmp_path / "server.log")
    try:
        yield server
    finally:
        server.stop()
