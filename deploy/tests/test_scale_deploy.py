"""The scale-out deploy (docker-compose.scale.yml): PostgreSQL, three replicas and nginx.
A workspace's requests reach one replica; README's scripting flow runs through nginx; the
owner's process killed, or its container, the workspace comes back whole within 10 s; a
fourth replica serves its share after a reload; an edited wengert.conf reaches nginx."""

import json
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from deploy.tests.docker import REPO_ROOT, SCALE, ComposeProject, compose_project, run
from e2e.api_client import ApiClient

RECOVERY_SECONDS = 10


# Asked inside a replica's container: the status it answers for each (path, token) itself.
STATUSES = """
import json, sys, urllib.request as u
def status(path, token):
    request = u.Request("http://127.0.0.1:8000" + path, headers={"Authorization": token})
    try:
        return u.urlopen(request, timeout=5).status
    except u.HTTPError as error:
        return error.code
print(json.dumps([status(path, token) for path, token in json.loads(sys.argv[1])]))
"""


@pytest.fixture(scope="module")
def deploy_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale compose file and its nginx folder, copied so a test may edit the copy."""
    folder = tmp_path_factory.mktemp("scale")
    shutil.copy(SCALE, folder / SCALE.name)
    shutil.copytree(REPO_ROOT / "deploy" / "nginx", folder / "deploy" / "nginx")
    return folder


@pytest.fixture(scope="module")
def scaled(
    image: str, deploy_folder: Path, request: pytest.FixtureRequest
) -> Iterator[ComposeProject]:
    """The scale-out deploy, up and served through nginx; its logs shown if a test failed."""
    failed = request.session.testsfailed
    with compose_project(deploy_folder / SCALE.name, "wengert-docker-scale", image) as project:
        project.up()
        project.wait_healthy("app")
        yield project
        if request.session.testsfailed > failed:
            print(project.logs())


def owners(project: ComposeProject, workspaces: list[ApiClient]) -> list[str]:
    """For each workspace, the container of the one replica that serves it (asked directly,
    every other replica answers 503)."""
    asked = json.dumps([(f"/api/workspaces/{w.id}", f"Bearer {w.token}") for w in workspaces])
    answers = {
        container: json.loads(run("docker", "exec", container, "python", "-c", STATUSES, asked))
        for container in project.containers("app")
    }
    found = []
    for index, workspace in enumerate(workspaces):
        serving = [c for c, statuses in answers.items() if statuses[index] == 200]
        assert len(serving) == 1, f"{workspace.id}: {answers}"
        found.append(serving[0])
    return found


def workspace_with_variables(url: str, count: int = 5) -> ApiClient:
    """A new workspace, through nginx, with variables v0 … v{count-1}."""
    workspace = ApiClient.create(url)
    for i in range(count):
        answer = workspace.post("/variables", {"name": f"v{i}", "value": [float(i)]})
        assert answer.status_code == 201, answer.text
    return workspace


def read_back_whole(workspace: ApiClient, seconds: float, count: int = 5) -> float:
    """Poll the workspace through nginx until it answers 200 with all its variables; how
    long that took (at most ``seconds``)."""
    started = time.monotonic()
    path = f"/api/workspaces/{workspace.id}"
    while True:
        try:
            answer = workspace.client.get(path, headers=workspace.headers, timeout=5)
        except httpx.TransportError:
            answer = None
        if answer is not None and answer.status_code == 200:
            names = [variable["name"] for variable in answer.json()["variables"]]
            assert names == [f"v{i}" for i in range(count)]
            return time.monotonic() - started
        if answer is not None:
            assert answer.status_code in {502, 503, 504}, answer.text
        assert time.monotonic() - started < seconds, f"{workspace.id} not back in {seconds} s"
        time.sleep(0.2)


def test_readme_flow_runs_through_nginx_and_one_replica_serves_the_workspace(scaled):
    workspace = ApiClient.create(scaled.url)
    statuses = [
        workspace.post("/variables", {"name": "a", "value": 3, "requires_grad": True}).status_code,
        workspace.post("/eval", {"source": "c = a * a + 1"}).status_code,
        workspace.post("/backprop", {"variable": "c"}).status_code,
    ]
    assert statuses == [201, 200, 200]
    path = f"/api/workspaces/{workspace.id}"
    reads = [workspace.client.get(path, headers=workspace.headers) for _ in range(12)]
    assert [read.status_code for read in reads] == [200] * 12
    variables = {v["name"]: v for v in reads[-1].json()["variables"]}
    assert variables["a"]["grad"] == 6.0
    owners(scaled, [workspace])  # exactly one replica serves it


def test_kill_9_of_the_owners_process_brings_the_workspace_back_whole_in_10_s(scaled):
    workspace = workspace_with_variables(scaled.url)
    (owner,) = owners(scaled, [workspace])
    process = int(run("docker", "inspect", "-f", "{{.State.Pid}}", owner))
    os.kill(process, signal.SIGKILL)
    took = read_back_whole(workspace, RECOVERY_SECONDS)
    print(f"kill -9: back whole after {took:.1f} s")
    scaled.wait_healthy("app")  # Docker restarted the replica
    assert len(scaled.containers("app")) == 3


def test_docker_kill_of_the_owners_container_brings_the_workspace_back_whole_in_10_s(scaled):
    workspace = workspace_with_variables(scaled.url)
    (owner,) = owners(scaled, [workspace])
    run("docker", "kill", owner)
    took = read_back_whole(workspace, RECOVERY_SECONDS)
    print(f"docker kill: back whole after {took:.1f} s")
    assert len(scaled.containers("app")) == 2  # a killed container stays down
    scaled.compose("up", "-d", "--no-build")  # as README says: up starts it again
    scaled.wait_healthy("app")
    scaled.compose("exec", "-T", "nginx", "/etc/nginx/wengert/run.sh", "reload")
    read_back_whole(workspace, 60)


def test_a_fourth_replica_serves_its_share_after_a_reload_and_nothing_is_lost(scaled):
    workspaces = [workspace_with_variables(scaled.url, count=2) for _ in range(30)]
    before = owners(scaled, workspaces)
    scaled.compose("up", "-d", "--no-build", "--scale", "app=4")
    scaled.wait_healthy("app")
    scaled.compose("exec", "-T", "nginx", "/etc/nginx/wengert/run.sh", "reload")
    # A moved workspace answers 503 until its old replica lets it go (unused for
    # WENGERT_LEASE_IDLE_SECONDS), then the new one loads it.
    for workspace in workspaces:
        read_back_whole(workspace, 90, count=2)
    after = owners(scaled, workspaces)
    (new,) = set(scaled.containers("app")) - set(before)
    assert after.count(new) > 0, "the fourth replica serves no workspace"
    moved = sum(a != b for a, b in zip(before, after, strict=True))
    assert moved == after.count(new), "a workspace moved between the old replicas"


def test_an_edited_wengert_conf_reaches_nginx_on_reload(scaled, deploy_folder):
    conf = deploy_folder / "deploy" / "nginx" / "wengert.conf"
    edited = conf.read_text().replace(
        "    listen 80;\n", "    listen 80;\n    add_header X-Edited yes always;\n"
    )
    replacement = conf.with_suffix(".new")
    replacement.write_text(edited)
    replacement.replace(conf)  # as an editor saves: a new file under the old name
    scaled.compose("exec", "-T", "nginx", "/etc/nginx/wengert/run.sh", "reload")
    deadline = time.monotonic() + 10
    while httpx.get(f"{scaled.url}/healthz").headers.get("x-edited") != "yes":
        assert time.monotonic() < deadline, "nginx still runs the old wengert.conf"
        time.sleep(0.2)


def replica_addresses(project: ComposeProject) -> dict[str, str]:
    """Each running replica's container id by its address on the project's network."""
    found = {}
    for container in project.containers("app"):
        template = "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}"
        found[run("docker", "inspect", "-f", template, container).strip()] = container
    return found
