"""Backprop stepped through: each card shows its grad at the step shown, and the rule behind it."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def test_micrograd_grads_stay_pending_until_reached_and_end_at_their_values(page: Page) -> None:
    workspace = WorkspacePage.open_example(page, "micrograd expression")
    workspace.set_animation(skip=False, speed=1)

    workspace.backprop("g")

    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of \d+: add"))
    page.get_by_role("button", name="Pause").click()
    expect(workspace.grad_of("a")).to_have_text("pending")
    expect(workspace.grad_of("g")).to_have_text("1")
    expect(workspace.active_tape_entry).to_have_text(re.compile(r"^#\d+ g = add"))
    page.get_by_role("button", name="Step", exact=True).click()
    page.get_by_role("button", name="Step", exact=True).click()
    page.screenshot(path="test-results/stepper.png")
    page.get_by_label("Speed").select_option("16")
    page.get_by_role("button", name="Play").click()

    expect(workspace.player_status).to_have_count(0, timeout=15_000)
    expect(workspace.grad_of("a")).to_have_text("138.8")
    expect(workspace.inspect("a").get_by_label("a full grad")).to_have_text("138.8338")


def test_a_reused_variable_shows_its_grad_accumulating(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
    api.post("/variables", {"name": "b", "value": 3.0, "requires_grad": True})
    api.post("/eval", {"source": "c = a * b\nd = c + a"})
    workspace = WorkspacePage.open(page, api.id, api.token)
    workspace.set_animation(skip=False, speed=1)

    workspace.backprop("d")

    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 2: add"))
    page.get_by_role("button", name="Pause").click()
    expect(workspace.grad_of("a")).to_have_text("1")
    expect(workspace.grad_of("b")).to_have_text("pending")
    page.keyboard.press("ArrowRight")
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 2 of 2: mul"))
    expect(workspace.receives("a")).to_have_text("+= 3")
    expect(workspace.grad_of("a")).to_have_text("4")
    expect(workspace.grad_of("b")).to_have_text("2")
    expect(workspace.chain_rule).to_contain_text("∂c/∂a = b = 3, so a.grad += 1 × 3 = 3")
    page.screenshot(path="test-results/stepper-accumulate.png")


def test_keys_step_back_and_forth_and_step_back_reaches_the_grads_before(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "x", "value": 0.5, "requires_grad": True})
    api.post("/eval", {"source": "y = tanh(x)\nz = y * 2"})
    workspace = WorkspacePage.open(page, api.id, api.token)
    workspace.set_animation(skip=False, speed=1)

    workspace.backprop("z")

    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 2: mul"))
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    # At one step a second the pause may land on step 2: two steps back reach the start
    # from either, since stepping back stops there.
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("status").filter(has_text="Before step 1 of 2")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 2: mul"))
    page.keyboard.press("ArrowRight")
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 2 of 2: tanh"))
    expect(workspace.chain_rule).to_contain_text(
        "∂y/∂x = 1 - tanh(x)² = 0.7864, so x.grad += 2 × 0.7864 = 1.573"
    )
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("status").filter(has_text="Before step 1 of 2")).to_be_visible()
    expect(workspace.grad_of("z")).to_have_text("0")
    expect(page.get_by_text("Space play/pause")).to_be_visible()


def test_the_view_follows_the_active_gate_off_screen(page: Page) -> None:
    workspace = WorkspacePage.open_example(page, "micrograd expression")
    workspace.set_animation(skip=False, speed=1)
    workspace.backprop("g")
    page.get_by_role("button", name="Pause").click()
    workspace.fit_view_button.click()
    workspace.wait_until_graph_fits()
    for _ in range(6):
        page.get_by_role("button", name="Zoom In").click()
    # Zoomed in on the middle, the output's gates (the first steps) lie past the right edge.
    workspace.wait_until_inside_canvas(workspace.active_gate(), inside=False)

    page.keyboard.press("ArrowRight")
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 2 of"))
    workspace.wait_until_inside_canvas(workspace.active_gate())

    for _ in range(19):
        page.keyboard.press("ArrowRight")
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 21 of"))
    workspace.wait_until_inside_canvas(workspace.active_gate())
    page.screenshot(path="test-results/stepper-follow.png")


def test_relu_says_its_rule_and_a_variable_used_twice_gets_two_terms(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "x", "value": 2.0, "requires_grad": True})
    api.post("/eval", {"source": "y = relu(x)\nz = y + y"})
    workspace = WorkspacePage.open(page, api.id, api.token)
    workspace.set_animation(skip=False, speed=1)

    workspace.backprop("z")

    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 2: add"))
    page.get_by_role("button", name="Pause").click()
    expect(workspace.chain_rule).to_have_text(
        "∂z/∂y = 1 + 1 = 2 (y is used 2 times: one term per use), so y.grad += 1 × 2 = 2"
    )
    page.keyboard.press("ArrowRight")
    expect(workspace.chain_rule).to_have_text(
        "∂y/∂x = 1 if x > 0, else 0 = 1, so x.grad += 2 × 1 = 2"
    )
