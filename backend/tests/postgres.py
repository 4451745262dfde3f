"""A throwaway PostgreSQL cluster for the tests: made with ``initdb`` in a temporary folder,
run by the ``postgres`` user on a free port, removed at the end of the session.

Each test that asks for ``database_url`` gets a fresh, empty database in it, and one that
asks for ``two_servers`` two real server processes sharing that database.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg
import pytest

from e2e.server import ServerProcess

# Short leases, so a test sees a dead process's workspaces taken over within seconds.
LEASE = {"WENGERT_LEASE_SECONDS": "2", "WENGERT_LEASE_RENEW_SECONDS": "0.5"}

BIN_DIRS = ("/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin", "/usr/local/bin")


def _tool(name: str) -> str:
    for directory in BIN_DIRS:
        candidate = Path(directory) / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: PostgreSQL's server binaries are needed")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(*command: str) -> None:
    """Run ``command`` as the postgres user (PostgreSQL refuses to run as root)."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)


class Cluster:
    """A running cluster: where it listens, and a way to make databases in it."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.port = port
        self._names = itertools.count(1)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"wengert_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@contextmanager
def running_cluster() -> Iterator[Cluster]:
    """A new cluster in a temporary folder, stopped and removed when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="wengert-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    _as_postgres(_tool("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = str(folder / "log")
    _as_postgres(_tool("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", log, "start")
    try:
        yield Cluster(folder, port)
    finally:
        _as_postgres(_tool("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def start_servers(
    stack: ExitStack, database_url: str, folder: Path, count: int, env: dict[str, str]
) -> list[ServerProcess]:
    """``count`` running ``python -m backend`` processes on one database, each stopped when
    ``stack`` closes; ``env`` adds to their environment."""
    env = {**env, "WENGERT_DATABASE_URL": database_url, "WENGERT_ACCESS_LOG": "false"}
    servers = []
    for n in range(1, count + 1):
        server = ServerProcess(folder / f"server{n}", folder / f"server{n}.log", env)
        stack.callback(server.stop)
        servers.append(server.start())
    return servers


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def database_url(postgres_cluster: Cluster) -> str:
    """The URL of a new, empty database in the session's cluster."""
    return postgres_cluster.new_database()


@pytest.fixture
def two_servers(database_url: str, tmp_path: Path) -> Iterator[list[ServerProcess]]:
    """Two running ``python -m backend`` processes sharing one PostgreSQL database."""
    with ExitStack() as stack:
        yield start_servers(stack, database_url, tmp_path, 2, LEASE)
