"""The page follows changes made elsewhere (a REST script) as they happen."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def test_changes_from_a_script_appear_live(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    workspace = WorkspacePage.open(page, api.id, api.token)
    expect(workspace.connection).to_have_text("Live updates: live")

    api.post("/variables", {"name": "a", "value": 3.0, "requires_grad": True})
    api.post("/variables", {"name": "b", "value": 4.0, "requires_grad": True})
    api.post("/gates", {"gate": "mul", "inputs": ["a", "b"], "output": "c"})
    expect(workspace.value_of("c")).to_have_text(re.compile(r"^12(\.0+)?$"))

    api.post("/backprop", {"variable": "c"})
    expect(workspace.grad_of("a")).to_have_text(re.compile(r"^4(\.0+)?$"))


def test_the_page_reconnects_after_a_server_restart(fresh_server, page: Page) -> None:
    server = fresh_server.start()
    api = ApiClient.create(server.url)
    page.goto(f"{server.url}/w/{api.id}#{api.token}")
    workspace = WorkspacePage(page)
    expect(workspace.connection).to_have_text("Live updates: live")

    server.kill()  # a crash, the harshest way for the stream to drop
    expect(workspace.connection).to_have_text("Live updates: reconnecting…")
    server.start()
    expect(workspace.connection).to_have_text("Live updates: live", timeout=15_000)

    api.post("/variables", {"name": "after", "value": 1.0})
    expect(workspace.variable_card("after")).to_be_visible()
