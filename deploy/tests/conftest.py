"""Fixtures of the docker test: the engine, the base images (local stand-ins when no
registry answers), this commit's image and the previous release's, and Chromium as the
e2e suite launches it."""

import signal
from collections.abc import Iterator

import pytest

from deploy.tests.docker import (
    REPO_ROOT,
    SINGLE,
    build_arguments,
    build_commit,
    compose_project,
    docker_engine,
    install_missing,
    run,
)
from e2e.conftest import browser_type_launch_args  # noqa: F401 (fixture)

# The commit before the docker test existed: its image wrote the volumes an upgrade opens.
PREVIOUS_RELEASE = "9873bec"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A Docker engine with the base images the files name, for the whole session."""
    # Stopped from outside (a CI timeout), still take down what was started.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    install_missing()
    with docker_engine(tmp_path_factory.mktemp("dockerd") / "dockerd.log"):
        run(str(REPO_ROOT / "deploy" / "standins" / "build.sh"), timeout=1200)
        yield


@pytest.fixture(scope="session")
def image(engine: None) -> str:
    """This commit's image, built by the compose file as a self-hoster builds it."""
    tag = "wengert-docker-test:current"
    with compose_project(SINGLE, "wengert-docker-build", tag) as project:
        project.compose("build", *build_arguments(), timeout=1200)
    return tag


@pytest.fixture(scope="session")
def previous_image(engine: None, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The image of PREVIOUS_RELEASE."""
    folder = tmp_path_factory.mktemp("previous")
    return build_commit("wengert-docker-test:previous", PREVIOUS_RELEASE, folder)
