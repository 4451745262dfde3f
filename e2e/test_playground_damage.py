"""A workspace whose stored journal is damaged: the page says what was lost, shows what
loaded, and its owner repairs it in one click; a viewer only reads."""

import re
import sqlite3

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def damaged_workspace(server) -> ApiClient:
    """A workspace of two variables whose second change was damaged while the server was down."""
    server.start()
    api = ApiClient.create(server.url)
    assert (
        api.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True}).status_code
        == 201
    )
    assert api.post("/variables", {"name": "b", "value": 3.0}).status_code == 201
    server.stop()
    with sqlite3.connect(server.data_dir / "wengert.sqlite3") as db:
        db.execute(
            "UPDATE operations SET body = '{broken' WHERE workspace_id = ? AND seq = 2", (api.id,)
        )
    server.start()
    return api


def test_a_damaged_workspace_says_what_was_lost_and_its_owner_repairs_it(
    page: Page, fresh_server
) -> None:
    api = damaged_workspace(fresh_server)
    page.goto(f"{fresh_server.url}/w/{api.id}#{api.token}")
    workspace = WorkspacePage(page)
    banner = page.get_by_role("alert").filter(has_text="could not be loaded whole")
    expect(banner).to_contain_text("change 2 (create_variable) is unreadable")
    expect(banner).to_contain_text("1 change from there on are missing")
    expect(workspace.value_of("a")).to_have_text("2")
    expect(workspace.value_of("b")).to_have_count(0)
    add = page.get_by_role("button", name="Add variable", exact=True)
    expect(add).to_be_disabled()
    page.screenshot(path="test-results/damaged-workspace.png")

    page.get_by_role("button", name=re.compile(r"^Repair")).click()
    expect(banner).to_be_hidden()
    expect(add).to_be_enabled()
    assert api.state()["damage"] is None
    assert api.post("/variables", {"name": "b", "value": 4.0}).status_code == 201
    expect(workspace.value_of("b")).to_have_text("4")


def test_a_viewer_of_a_damaged_workspace_is_told_but_cannot_repair(
    page: Page, fresh_server
) -> None:
    api = damaged_workspace(fresh_server)
    page.goto(f"{fresh_server.url}/w/{api.id}#{api.viewer_token}")
    expect(page.get_by_role("alert").filter(has_text="could not be loaded whole")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Repair"))).to_have_count(0)
