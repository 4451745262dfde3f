"""Docker for the deploy tests: the engine (started here when none answers), the images,
and compose projects that are always taken down with their volumes."""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
SINGLE = REPO_ROOT / "docker-compose.yml"
SCALE = REPO_ROOT / "docker-compose.scale.yml"
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")


def run(*command: str, timeout: float = 600, env: dict[str, str] | None = None) -> str:
    """Run ``command``; its output, or an AssertionError that shows it."""
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO_ROOT
    )
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def install_missing() -> None:
    """Install Debian's docker.io, docker-compose and debootstrap where one is missing."""
    if all(shutil.which(tool) for tool in ("dockerd", "docker-compose", "debootstrap")):
        return
    run("apt-get", "update", "-qq")
    packages = ("docker.io", "docker-compose", "debootstrap")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "install", "-y", "-qq", *packages, env=env)


def engine_answers() -> bool:
    """Whether a Docker engine answers on the default socket."""
    return subprocess.run(["docker", "info"], capture_output=True, timeout=60).returncode == 0


@contextmanager
def docker_engine(log: Path) -> Iterator[None]:
    """A Docker engine: the one running, or a ``dockerd`` started here (there is no
    systemd on these machines) and stopped on leaving, with its log in ``log``."""
    if engine_answers():
        yield
        return
    with log.open("w") as output:
        daemon = subprocess.Popen(["dockerd"], stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not engine_answers():
            assert daemon.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        yield
    finally:
        daemon.terminate()
        daemon.wait(60)


def build_arguments() -> list[str]:
    """``--build-arg`` for each proxy variable of the host (a build fetches packages)."""
    return [
        f"--build-arg={name}={os.environ[name]}" for name in PROXY_VARIABLES if os.environ.get(name)
    ]


@functools.cache
def compose_command() -> tuple[str, ...]:
    """$WENGERT_COMPOSE (e.g. ``docker-compose``), else ``docker compose`` (v2) when the
    plugin is installed, else Debian's ``docker-compose`` (v1)."""
    if chosen := os.environ.get("WENGERT_COMPOSE"):
        return tuple(chosen.split())
    plugin = subprocess.run(["docker", "compose", "version"], capture_output=True)
    if plugin.returncode == 0:
        return ("docker", "compose")
    assert shutil.which("docker-compose"), "neither docker compose nor docker-compose"
    return ("docker-compose",)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_served(url: str, seconds: float = 120) -> None:
    """Poll ``url``/healthz until it answers 200."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=3).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{url} never became healthy"
        time.sleep(0.5)


class ComposeProject:
    """One compose file run as a project of its own, published on a free loopback port."""

    def __init__(self, file: Path, name: str, image: str) -> None:
        self.file = file
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "WENGERT_PUBLISH": f"127.0.0.1:{self.port}"}
        self.use_image(image)

    def use_image(self, image: str) -> None:
        """Run Wengert from ``image`` on the next ``up``."""
        self.env["WENGERT_IMAGE"] = image

    def compose(self, *arguments: str, timeout: float = 600) -> str:
        """The compose command on this project; its output."""
        command = [*compose_command(), "-f", str(self.file), "-p", self.name, *arguments]
        return run(*command, timeout=timeout, env=self.env)

    def up(self, *arguments: str) -> None:
        """Start (or update) the project from its images and wait until it is served."""
        self.compose("up", "-d", "--no-build", *arguments)
        wait_until_served(self.url)

    def containers(self, service: str) -> list[str]:
        """The ids of ``service``'s running containers (compose v1's ``ps`` lists stopped
        ones too)."""
        labels = [
            f"com.docker.compose.project={self.name}",
            f"com.docker.compose.service={service}",
        ]
        filters = [argument for label in labels for argument in ("--filter", f"label={label}")]
        return run("docker", "ps", "-q", "--no-trunc", *filters).split()

    def wait_healthy(self, service: str, seconds: float = 120) -> None:
        """Wait until every container of ``service`` reports healthy."""
        deadline = time.monotonic() + seconds
        while True:
            states = [
                run("docker", "inspect", "-f", "{{.State.Health.Status}}", c).strip()
                for c in self.containers(service)
            ]
            if states and all(state == "healthy" for state in states):
                return
            assert time.monotonic() < deadline, f"{service}: {states}"
            time.sleep(1)

    def logs(self) -> str:
        """Every service's log (shown when a test fails)."""
        return self.compose("logs", "--no-color", "--tail", "200")

    def down(self) -> None:
        """Remove the project's containers, network and volumes."""
        self.compose("down", "-v", "--remove-orphans", "-t", "5")


@contextmanager
def compose_project(file: Path, name: str, image: str) -> Iterator[ComposeProject]:
    """A ComposeProject taken down with its volumes on leaving, whatever happened (and
    on entering, should a run that was killed have left it)."""
    project = ComposeProject(file, name, image)
    project.down()
    try:
        yield project
    except BaseException:
        print(project.logs())
        raise
    finally:
        project.down()


def build_image(tag: str, context: Path) -> str:
    """Build the Dockerfile in ``context`` as ``tag``; the tag."""
    run("docker", "build", "-q", *build_arguments(), "-t", tag, str(context), timeout=1200)
    return tag


def build_commit(tag: str, commit: str, folder: Path) -> str:
    """Build the image of an earlier ``commit`` of this repository as ``tag``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], capture_output=True, check=True, cwd=REPO_ROOT
    ).stdout
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return build_image(tag, folder)
