"""No Docker engine runs here, so the deploy files are checked statically."""

import yaml

from backend.settings import REPO_ROOT


def compose_app() -> tuple[dict, dict]:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    return compose, compose["services"]["app"]


def dockerfile_lines() -> list[str]:
    return (REPO_ROOT / "Dockerfile").read_text().splitlines()


def test_compose_app_publishes_port_8000():
    _, app = compose_app()
    assert "8000:8000" in app["ports"]


def test_compose_keeps_data_in_a_named_volume():
    compose, app = compose_app()
    volume, _, target = app["volumes"][0].partition(":")
    assert volume in compose["volumes"]
    assert target == app["environment"]["WENGERT_DATA_DIR"]


def test_compose_checks_health_on_healthz_and_restarts():
    _, app = compose_app()
    assert any("/healthz" in part for part in app["healthcheck"]["test"])
    assert app["restart"] in {"always", "unless-stopped", "on-failure"}


def test_dockerfile_builds_frontend_in_node_and_runs_as_non_root():
    lines = dockerfile_lines()
    stages = [line for line in lines if line.startswith("FROM ")]
    assert stages[0].startswith("FROM node:") and "python:" in stages[-1]
    user = next(line for line in lines if line.startswith("USER "))
    assert user.split()[1] not in {"root", "0"}


def test_every_path_the_dockerfile_copies_exists():
    sources = []
    for line in dockerfile_lines():
        if line.startswith("COPY ") and "--from=" not in line:
            sources += line.split()[1:-1]
    assert sources
    for source in sources:
        assert (REPO_ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
