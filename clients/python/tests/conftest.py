"""Fixtures: a real Wengert server (``python -m backend``) on a free port, its log in a file."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO_ROOT))

from wengert_client import Workspace  # noqa: E402

from e2e.server import ServerProcess  # noqa: E402 - the repo root is on the path only now


def run_server(tmp: Path, env: dict[str, str] | None = None) -> Iterator[ServerProcess]:
    """A server on ``tmp`` with ``env`` added, stopped when the generator closes (its log
    is in ``tmp/server.log``; a server that does not start raises with it)."""
    server = ServerProcess(tmp / "data", tmp / "server.log", env).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from run_server(tmp_path_factory.mktemp("server"))


@pytest.fixture(scope="session")
def url(server: ServerProcess) -> str:
    return server.url


@pytest.fixture
def ws(url: str) -> Iterator[Workspace]:
    with Workspace.create(url) as workspace:
        yield workspace
