"""The scale-out setup without Docker: nginx with deploy/nginx/wengert.conf in front of two
server processes on one PostgreSQL (deploy/tests runs it in Docker). A workspace's requests
reach one process, and after that process is killed they reach the other, which serves the
workspace whole; in the browser, the walking skeleton runs through it with its live event
stream."""

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser

from e2e.nginx import NginxProcess
from e2e.server import ServerProcess
from e2e.walking_skeleton import walk_the_skeleton

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")


@pytest.fixture
def proxy(two_servers: list[ServerProcess], tmp_path: Path) -> Iterator[str]:
    """nginx with deploy/nginx/wengert.conf in front of ``two_servers``: its base URL."""
    nginx = NginxProcess(tmp_path / "nginx", two_servers)
    try:
        yield nginx.start().url
    finally:
        nginx.stop()


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


def test_the_walking_skeleton_runs_through_nginx_with_live_updates(
    proxy: str, two_servers: list[ServerProcess], browser: Browser
) -> None:
    context = browser.new_context(base_url=proxy)
    page = context.new_page()
    try:
        created = walk_the_skeleton(page, proxy)

        # One process served all of it; the other would not.
        path = f"/api/workspaces/{created['id']}"
        auth = {"Authorization": f"Bearer {created['token']}"}
        direct = [httpx.get(server.url + path, headers=auth).status_code for server in two_servers]
        assert sorted(direct) == [200, 503]
    finally:
        context.close()
