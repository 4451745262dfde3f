"""Backprop played back step by step: the tape empties as the steps run."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def test_animated_backprop_walks_the_tape_down_to_zero(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
    api.post("/variables", {"name": "b", "value": -3.0, "requires_grad": True})
    api.post("/eval", {"source": "c = a * b\nd = c + a\ne = tanh(d)"})
    workspace = WorkspacePage.open(page, api.id, api.token)
    expect(workspace.tape_count).to_have_text("Tape: 3 nodes")
    workspace.set_animation(skip=False, speed=1)

    workspace.backprop("e")

    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 3: tanh"))
    page.get_by_role("button", name="Pause").click()
    expect(workspace.tape_count).to_have_text("Tape: 2 nodes")
    expect(page.get_by_label("d receives")).to_be_visible()
    page.screenshot(path="test-results/playground-backprop-step.png")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 2 of 3: add"))
    expect(workspace.tape_count).to_have_text("Tape: 1 node")

    page.get_by_label("Speed").select_option("16")
    page.get_by_role("button", name="Play").click()

    expect(workspace.tape_count).to_have_text("Tape: 0 nodes")
    expect(workspace.player_status).to_have_count(0)
    expect(workspace.grad_of("b")).not_to_have_text("—")


def test_skip_animation_shows_the_result_at_once(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "3")
    workspace.run_expression("b = a * a")
    workspace.set_animation(skip=True)

    workspace.backprop("b")

    expect(workspace.grad_of("a")).to_have_text("6")
    expect(workspace.tape_count).to_have_text("Tape: 0 nodes")
    expect(page.get_by_role("button", name="Play")).to_be_disabled()
