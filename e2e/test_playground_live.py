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
