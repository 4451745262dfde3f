"""The scale-out setup for real: nginx with deploy/nginx.conf in front of two server
processes on one PostgreSQL. A workspace's requests reach one process, and after that
process is killed they reach the other, which serves the workspace whole."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from e2e.server import REPO_ROOT, ServerProcess, free_port

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")


def nginx_conf(folder: Path, port: int, replicas: list[ServerProcess]) -> Path:
    """deploy/nginx.conf with the replicas' real addresses, listening on ``port``."""
    upstreams = "".join(
        f"server 127.0.0.1:{r.port} max_fails=1 fail_timeout=5s;\n" for r in replicas
    )
    site = (REPO_ROOT / "deploy" / "nginx.conf").read_text()
    site = site.replace("server app:8000 max_fails=1 fail_timeout=5s;\n", upstreams)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (folder / "site.conf").write_text(site)
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{}}\nhttp {{ access_log off; include {folder}/site.conf; }}\n"
    )
    return main


@pytest.fixture
def proxy(two_servers, tmp_path) -> Iterator[str]:
    folder = tmp_path / "nginx"
    folder.mkdir()
    port = free_port()
    conf = nginx_conf(folder, port, two_servers)
    process = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(conf)])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, (folder / "error.log").read_text()
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_nginx_sends_a_workspace_to_one_process_and_to_the_other_when_it_dies(proxy, two_servers):
    created = httpx.post(f"{proxy}/api/workspaces")
    assert created.status_code == 201, created.text
    workspace = created.json()
    path = f"/api/workspaces/{workspace['id']}"
    auth = {"Authorization": f"Bearer {workspace['token']}"}
    for i in range(10):  # every request reaches the same process: none answers 503
        body = {"name": f"v{i}", "value": [float(i)]}
        answer = httpx.post(f"{proxy}{path}/variables", headers=auth, json=body)
        assert answer.status_code == 201, answer.text

    direct = [httpx.get(server.url + path, headers=auth).status_code for server in two_servers]
    assert sorted(direct) == [200, 503]
    owner = two_servers[direct.index(200)]
    owner.kill()

    killed = time.monotonic()
    while (answer := httpx.get(proxy + path, headers=auth)).status_code != 200:
        assert answer.status_code in {502, 503}, answer.text
        assert time.monotonic() - killed < 10, "no process took the workspace over"
        time.sleep(0.2)
    assert [v["name"] for v in answer.json()["variables"]] == [f"v{i}" for i in range(10)]
