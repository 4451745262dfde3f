"""The self-hosted deploy (docker-compose.yml) as a self-hoster runs it: the previous
release writes a workspace, the new image opens its volume, Chromium runs the walking
skeleton against the container, and `restart` and `down && up` keep everything."""

import httpx
from playwright.sync_api import Browser

from deploy.tests.docker import SINGLE, compose_project, run, wait_until_served
from e2e.api_client import ApiClient
from e2e.walking_skeleton import walk_the_skeleton


def variables_of(url: str, workspace: dict[str, str]) -> dict[str, dict]:
    """The workspace's variables by name, read over REST."""
    answer = httpx.get(
        f"{url}/api/workspaces/{workspace['id']}",
        headers={"Authorization": f"Bearer {workspace['token']}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {variable["name"]: variable for variable in answer.json()["variables"]}


def walking_skeleton(browser: Browser, url: str) -> dict[str, str]:
    """c = a * b and its backprop in Chromium, then a script's change arriving live; the
    workspace's id and token."""
    context = browser.new_context(base_url=url)
    page = context.new_page()
    try:
        return walk_the_skeleton(page, url)
    finally:
        context.close()


def assert_whole(url: str, workspace: dict[str, str]) -> None:
    """The walking skeleton's workspace, every value and gradient in place."""
    found = variables_of(url, workspace)
    assert sorted(found) == ["a", "b", "c", "d"]
    assert found["c"]["value"] == 12.0 and found["d"]["value"] == 5.0
    assert (found["a"]["grad"], found["b"]["grad"]) == (4.0, 3.0)


def test_the_self_hosted_deploy_upgrades_serves_the_page_and_keeps_the_workspace(
    image: str, previous_image: str, browser: Browser
) -> None:
    with compose_project(SINGLE, "wengert-docker-single", previous_image) as project:
        project.up()
        old = ApiClient.create(project.url)
        assert old.post("/variables", {"name": "kept", "value": [1.0, 2.0]}).status_code == 201
        written = {"id": old.id, "token": old.token}

        project.compose("down")  # the volume stays, as in an upgrade
        project.use_image(image)
        project.up()
        project.wait_healthy("app")
        assert variables_of(project.url, written)["kept"]["value"] == [1.0, 2.0]
        (app,) = project.containers("app")
        assert run("docker", "exec", app, "id", "-u").strip() == "10001"
        page = httpx.get(project.url, timeout=10)
        assert page.status_code == 200 and '<div id="root">' in page.text

        workspace = walking_skeleton(browser, project.url)

        project.compose("restart")
        wait_until_served(project.url)
        assert_whole(project.url, workspace)

        project.compose("down")
        project.up()
        assert_whole(project.url, workspace)
        assert "kept" in variables_of(project.url, written)
