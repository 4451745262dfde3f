"""The walking skeleton as a person runs it in Chromium, shared by the tests that put it in
front of another deploy (nginx, Docker): c = a * b and its backprop, then a script's change
arriving live over the page's event stream."""

import re

import httpx
from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def walk_the_skeleton(page: Page, url: str) -> dict[str, str]:
    """Run the skeleton on the server at ``url``; the workspace's id and token."""
    workspace = WorkspacePage.create(page)
    expect(workspace.connection).to_have_text("Live updates: live")
    workspace.add_variable("a", "3")
    workspace.add_variable("b", "4")
    workspace.apply_gate("mul", ["a", "b"], "c")
    expect(workspace.value_of("c")).to_have_text(re.compile(r"^12(\.0+)?$"))
    workspace.backprop("c")
    expect(workspace.grad_of("a")).to_have_text(re.compile(r"^4(\.0+)?$"))
    expect(workspace.grad_of("b")).to_have_text(re.compile(r"^3(\.0+)?$"))

    workspace_id, token = page.url.split("/w/")[1].split("#")
    created = {"id": workspace_id, "token": token, "viewer_token": ""}
    api = ApiClient(url, created, httpx.Client(base_url=url, timeout=10))
    assert api.post("/variables", {"name": "d", "value": 5.0}).status_code == 201
    expect(workspace.variable_card("d")).to_be_visible()
    return created
