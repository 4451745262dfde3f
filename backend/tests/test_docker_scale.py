"""The scale-out deploy files, checked statically (no Docker engine runs here), and the nginx
configuration by nginx itself where it is installed."""

import re
import shutil
import subprocess
from urllib.parse import urlparse

import pytest
import yaml

from backend.settings import REPO_ROOT

NGINX_CONF = REPO_ROOT / "deploy" / "nginx.conf"


def services() -> tuple[dict, dict]:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.scale.yml").read_text())
    return compose, compose["services"]


def test_postgres_16_keeps_its_data_in_a_named_volume_and_checks_its_health():
    compose, found = services()
    postgres = found["postgres"]
    assert postgres["image"].startswith("postgres:16")
    volume, _, target = postgres["volumes"][0].partition(":")
    assert volume in compose["volumes"] and target == "/var/lib/postgresql/data"
    assert "pg_isready" in postgres["healthcheck"]["test"]


def test_several_replicas_share_the_postgres_service_once_it_is_healthy():
    _, found = services()
    app = found["app"]
    assert app["deploy"]["replicas"] >= 2
    url = urlparse(app["environment"]["WENGERT_DATABASE_URL"])
    assert url.scheme == "postgresql" and url.hostname == "postgres"
    assert url.username == found["postgres"]["environment"]["POSTGRES_USER"]
    assert url.path == "/" + found["postgres"]["environment"]["POSTGRES_DB"]
    assert app["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert app["environment"]["WENGERT_TRUST_FORWARDED_FOR"] == "true"  # behind nginx
    assert "ports" not in app  # reached through nginx only


def test_nginx_is_published_and_mounts_the_config_in_the_repository():
    _, found = services()
    nginx = found["nginx"]
    assert any(port.endswith(":80") for port in nginx["ports"])
    source, _, target = nginx["volumes"][0].partition(":")
    assert (REPO_ROOT / source).resolve() == NGINX_CONF
    assert target.startswith("/etc/nginx/conf.d/")


def test_nginx_routes_each_workspace_by_its_id_and_new_ones_anywhere():
    text = NGINX_CONF.read_text()
    assert "hash $workspace_id consistent;" in text
    assert re.search(r"~\^/api/workspaces/\(\?<id>\[\^/\]\+\)\s+\$id;", text)
    assert re.search(r"~\^/w/\(\?<id>\[\^/\]\+\)\s+\$id;", text)
    for creating in ("location = /api/workspaces {", "location = /api/workspaces/import {"):
        block = text.split(creating, 1)[1].split("}", 1)[0]
        assert "proxy_pass http://wengert_any;" in block


def test_nginx_passes_the_event_stream_unbuffered():
    events = NGINX_CONF.read_text().split("/events$ {", 1)[1].split("}", 1)[0]
    assert "proxy_buffering off;" in events and "wengert_by_workspace" in events


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_config(tmp_path):
    # Outside compose the replicas' name does not resolve: point it at this machine.
    site = NGINX_CONF.read_text().replace("server app:8000", "server 127.0.0.1:8000")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{ include {tmp_path}/site.conf; }}\n"
    )
    check = subprocess.run(
        ["nginx", "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr
