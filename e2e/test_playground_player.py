"""The player explains every step: tensor rules in words, steps off the path passed over,
the last backprop replayed after a reload, and no "vanishing" for relu's own zero."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.geometry import horizontal_overflow
from e2e.pages.workspace import WorkspacePage


def _workspace(
    page: Page, live_server: str, variables: dict[str, object], source: str
) -> WorkspacePage:
    api = ApiClient.create(live_server)
    for name, value in variables.items():
        api.post(
            "/variables", {"name": name, "value": value, "requires_grad": True}
        ).raise_for_status()
    api.post("/eval", {"source": source}).raise_for_status()
    workspace = WorkspacePage.open(page, api.id, api.token)
    workspace.open_controls()  # on a phone the player sits in the controls sheet
    workspace.set_animation(skip=False, speed=1)
    return workspace


def _pause_at_the_start(workspace: WorkspacePage, count: int) -> None:
    """Pause the show and step back to the moment before its first step.

    At one step a second the pause may land on a later step; stepping back stops at the start
    from wherever it landed."""
    workspace.page.get_by_role("button", name="Pause").click()
    for _ in range(count):
        workspace.page.keyboard.press("ArrowLeft")
    expect(workspace.page.get_by_role("status").filter(has_text="Before step 1 of")).to_be_visible()


def test_a_tensor_step_says_its_rule_in_words(page: Page, live_server: str) -> None:
    workspace = _workspace(
        page, live_server, {"x": [[1.0, -2.0], [3.0, -4.0]]}, "y = relu(x)\ns = sum(y)"
    )

    workspace.backprop("s")
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 2: sum"))
    _pause_at_the_start(workspace, 2)
    workspace.step_button.click()
    workspace.step_button.click()

    expect(workspace.player_status).to_have_text(re.compile(r"^Step 2 of 2: relu"))
    expect(workspace.chain_rule.get_by_role("listitem")).to_have_text(
        [
            "g, the gradient flowing into y: [[1, 1], [1, 1]]",
            "x.grad += g where x > 0, 0 elsewhere: [[1, 0], [1, 0]]",
        ]
    )
    page.screenshot(path="test-results/player-tensor-rule.png")


def test_steps_off_the_path_are_passed_over_unless_shown(page: Page, live_server: str) -> None:
    workspace = _workspace(
        page, live_server, {"z": 4.0, "w": 2.0}, "r = sqrt(z)\nu = exp(w)\nq = r * 2"
    )

    workspace.backprop("q")
    passed = "(1 off the path passed over)"
    expect(workspace.player_status).to_have_text(
        re.compile(rf"^Step 1 of 2: mul #\d+ {re.escape(passed)}")
    )
    _pause_at_the_start(workspace, 2)
    workspace.step_button.click()
    workspace.step_button.click()
    expect(workspace.player_status).to_have_text(
        re.compile(rf"^Step 2 of 2: sqrt #\d+ {re.escape(passed)}")
    )
    expect(workspace.chain_rule).to_have_text("∂r/∂z = 1/(2√z) = 0.25, so z.grad += 2 × 0.25 = 0.5")

    workspace.show_off_path.check()
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 3 of 3: sqrt #\d+$"))
    page.get_by_role("button", name="Step back").click()
    expect(workspace.player_status).to_have_text(
        re.compile(r"^Step 2 of 3: exp #\d+, off the path$")
    )
    expect(workspace.chain_rule).to_have_text(
        re.compile(r"^Off the path to q: q does not depend on this node")
    )
    page.screenshot(path="test-results/player-off-path.png")

    workspace.show_off_path.uncheck()
    expect(workspace.player_status).to_have_text(
        re.compile(rf"^Step 1 of 2: mul #\d+ {re.escape(passed)}")
    )


def test_the_last_backprop_replays_after_a_reload(page: Page, live_server: str) -> None:
    workspace = _workspace(page, live_server, {"a": 2.0, "b": 3.0}, "c = a * b\nd = c + 1")
    expect(workspace.replay_button).to_be_disabled()
    workspace.set_animation(skip=False, speed=16)

    workspace.backprop("d")
    expect(workspace.grad_of("a")).to_have_text("3")
    expect(workspace.player_status).to_have_count(0)

    page.reload()
    expect(page.locator("[data-ready='true']")).to_be_visible()
    workspace.set_animation(skip=False, speed=1)
    workspace.replay_button.click()
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 2: add"))
    _pause_at_the_start(workspace, 2)
    expect(workspace.grad_of("a")).to_have_text("0")
    workspace.step_button.click()
    workspace.step_button.click()
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 2 of 2: mul"))
    expect(workspace.chain_rule).to_contain_text("∂c/∂a = b = 3, so a.grad += 1 × 3 = 3")
    expect(workspace.receives("a")).to_have_text("+= 3")


def test_relu_of_a_negative_sends_an_exact_zero_that_is_not_called_vanishing(
    page: Page, live_server: str
) -> None:
    workspace = _workspace(page, live_server, {"x": -1.0}, "y = relu(x)\nz = y * 2")
    workspace.set_animation(skip=True)

    workspace.backprop("z")

    expect(workspace.grad_of("x")).to_have_text("0")
    expect(workspace.health_of("x")).to_have_count(0)


def test_a_wide_tensor_rule_wraps_inside_a_phone(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    x = [[round(0.123456 * (column + 1), 6) for column in range(8)]]
    workspace = _workspace(page, live_server, {"x": x}, "s = sum(tanh(x))")

    workspace.backprop("s")
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of 2: sum"))
    _pause_at_the_start(workspace, 2)
    workspace.step_button.click()
    workspace.step_button.click()

    expect(workspace.player_status).to_have_text(re.compile(r"^Step 2 of 2: tanh"))
    expect(workspace.chain_rule).to_contain_text("x.grad += g × (1 - tanh(x)²): [[")
    box = workspace.chain_rule.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert horizontal_overflow(page) <= 0
    page.screenshot(path="test-results/player-phone-rule.png")
