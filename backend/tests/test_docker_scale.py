"""What the docker test (deploy/tests, `make docker-test`) cannot show quickly: the scale-out
compose file keeps the replicas behind nginx, and nginx accepts deploy/nginx/wengert.conf."""

import shutil
import subprocess

import pytest
import yaml

from backend.settings import REPO_ROOT

NGINX_FOLDER = REPO_ROOT / "deploy" / "nginx"


def test_the_replicas_are_reached_through_nginx_only():
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.scale.yml").read_text())
    assert "ports" not in compose["services"]["app"]
    assert compose["services"]["nginx"]["ports"]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_config(tmp_path):
    # run.sh writes replicas.conf from Docker's DNS; outside Docker, one address stands in.
    (tmp_path / "replicas.conf").write_text("server 127.0.0.1:8000 max_fails=1 fail_timeout=5s;\n")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{ include {NGINX_FOLDER / 'wengert.conf'}; }}\n"
    )
    check = subprocess.run(
        ["nginx", "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert check.returncode == 0, check.stderr
