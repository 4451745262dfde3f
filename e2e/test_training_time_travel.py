"""Time travel in the training view: scrub a run back, replay it, fork it with a new learning
rate and see both runs' curves overlaid."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.time_travel import TimeTravel
from e2e.pages.training import TrainingPage

SMALL = {
    "dataset": {"kind": "xor", "n": 80, "seed": 2},
    "model": {"hidden": [4], "activation": "tanh", "features": ["x", "y"]},
    "optimizer": {"kind": "sgd", "lr": 0.3},
    "epochs": None,
    "batch_size": 20,  # 60 training points: an epoch every 3 steps
}
STEPS = 30


def trained(live_server: str, steps: int = STEPS) -> ApiClient:
    """A workspace whose small run took ``steps`` steps, each kept."""
    api = ApiClient.create(live_server)
    answer = api.client.put(f"/api/workspaces/{api.id}/training", json=SMALL, headers=api.headers)
    answer.raise_for_status()
    for _ in range(steps):
        api.post("/training/step", {}).raise_for_status()
    return api


@pytest.fixture
def page_errors(page: Page) -> Iterator[list[str]]:
    """The page's uncaught errors (a chart that throws while drawing is blank): none at the end."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == []


def opened(page: Page, api: ApiClient) -> TimeTravel:
    page.set_viewport_size({"width": 1280, "height": 800})
    training = TrainingPage.open(page, api.id, api.token)
    travel = TimeTravel(training)
    expect(travel.slider).to_have_attribute("aria-valuetext", f"Live · Step {STEPS} · epoch 10")
    expect(training.boundary).to_have_accessible_name(re.compile(rf" at step {STEPS}:"))
    return travel


@pytest.mark.usefixtures("page_errors")
def test_dragging_the_timeline_back_draws_the_earlier_steps_boundary_and_tiles(
    page: Page, live_server: str
) -> None:
    travel = opened(page, trained(live_server))
    training = travel.training
    live_boundary = travel.boundary_pixels()
    live_tile = training.tile_pixels("layer 1 unit 1")

    travel.drag_to(0.2)
    expect(travel.slider).to_have_attribute("aria-valuetext", re.compile(r"^Step \d+ ·"))
    step = int(re.search(r"Step (\d+)", travel.slider.get_attribute("aria-valuetext")).group(1))
    assert 0 < step < STEPS
    travel.shows_step(step)
    assert travel.boundary_pixels() != live_boundary
    assert training.tile_pixels("layer 1 unit 1") != live_tile
    # The weights drawn are history: no edge can be edited.
    expect(training.edge("W1[0,0]")).to_have_count(0)
    training.boundary.scroll_into_view_if_needed()
    page.screenshot(path="test-results/time-travel-scrubbed.png")

    # The step's own rendering: a fresh identical run stopped at that step, drawn live.
    scrubbed_boundary, scrubbed_tile = (
        travel.boundary_pixels(),
        training.tile_pixels("layer 1 unit 1"),
    )
    other = page.context.new_page()
    same = opened_at(other, trained(live_server, step), step)
    assert same.boundary_pixels() == scrubbed_boundary
    assert same.training.tile_pixels("layer 1 unit 1") == scrubbed_tile
    other.close()

    travel.button("Live").click()
    expect(training.boundary).to_have_accessible_name(re.compile(rf" at step {STEPS}:"))
    expect(training.network).to_have_accessible_name(re.compile(rf" at step {STEPS}:"))
    assert travel.boundary_pixels() == live_boundary


def opened_at(page: Page, api: ApiClient, step: int) -> TimeTravel:
    page.set_viewport_size({"width": 1280, "height": 800})
    training = TrainingPage.open(page, api.id, api.token)
    expect(training.network).to_have_accessible_name(re.compile(rf" at step {step}:"))
    expect(training.boundary).to_have_accessible_name(re.compile(rf" at step {step}:"))
    return TimeTravel(training)


@pytest.mark.usefixtures("page_errors")
def test_the_keyboard_walks_the_kept_steps_and_shows_their_metrics_and_cursor(
    page: Page, live_server: str
) -> None:
    api = trained(live_server)
    travel = opened(page, api)
    travel.slider.focus()
    travel.slider.press("Home")
    travel.shows_step(0)
    expect(travel.training.latest_metrics).to_have_text("No epoch finished yet")
    for _ in range(7):
        travel.slider.press("ArrowRight")
    travel.shows_step(7)
    # At step 7 two epochs were done: the metrics are the second epoch's, the cursor stands there.
    kept = api.client.get(f"/api/workspaces/{api.id}/training/timeline", headers=api.headers)
    metrics = next(entry for entry in kept.json()["steps"] if entry["step"] == 7)["metrics"]
    accuracy = f"Test accuracy {metrics['test_accuracy'] * 100:.1f}%"
    expect(travel.training.latest_metrics).to_contain_text(accuracy)
    expect(travel.training.loss_chart.locator(".chart")).to_have_attribute("data-markers", "2")
    travel.slider.press("End")
    travel.shows_step(STEPS)


@pytest.mark.usefixtures("page_errors")
def test_a_replay_walks_the_run_to_its_newest_step_and_goes_live(
    page: Page, live_server: str
) -> None:
    travel = opened(page, trained(live_server))
    page.get_by_label("Replay speed", exact=True).select_option("16×")
    travel.button("Replay").click()
    expect(travel.button("Pause replay")).to_be_visible()
    # From step 0, eight kept steps a tick: 0, 8, 16, 24, then past the newest, live.
    expect(travel.slider).to_have_attribute("aria-valuetext", f"Live · Step {STEPS} · epoch 10")
    expect(travel.button("Replay")).to_be_visible()
    expect(travel.button("Live")).to_be_disabled()


@pytest.mark.usefixtures("page_errors")
def test_a_fork_with_a_new_learning_rate_overlays_both_runs_curves(
    page: Page, live_server: str
) -> None:
    api = trained(live_server)
    travel = opened(page, api)
    travel.slider.focus()
    travel.slider.press("Home")
    for _ in range(9):
        travel.slider.press("ArrowRight")
    travel.shows_step(9)

    page.get_by_label("Fork learning rate", exact=True).fill("2")
    travel.button("Fork from step 9").click()
    expect(travel.runs).to_have_text(
        [
            re.compile(r"^run 1: lr 0\.3"),
            re.compile(r"^run 2 \(current\), from run 1 at step 9: lr 2,"),
        ]
    )
    # The page follows the new run live, from the fork's step.
    expect(travel.slider).to_have_attribute("aria-valuetext", "Live · Step 9 · epoch 3")
    for _ in range(10, 31):
        api.post("/training/step", {}).raise_for_status()
    expect(travel.training.progress).to_contain_text("Step 30")

    loss = travel.overlay("Loss")
    expect(loss).to_have_accessible_name("Loss of run 1 and run 2, forked at epoch 3 (dashed)")
    expect(loss.locator("[data-markers]")).to_have_attribute("data-markers", "3d")
    for name in ("run 1 train loss", "run 2 train loss", "run 1 test loss", "run 2 test loss"):
        expect(loss.get_by_text(name, exact=True)).to_be_visible()
    expect(travel.overlay("Test accuracy")).to_be_visible()
    # Both curves are there to overlay, and they part after the fork.
    runs = api.client.get(f"/api/workspaces/{api.id}/training/runs", headers=api.headers)
    first, fork = ([e["train_loss"] for e in run["history"]] for run in runs.json()["runs"])
    assert len(first) == len(fork) == 10
    assert first[:3] == fork[:3] and first[3:] != fork[3:]
    loss.scroll_into_view_if_needed()
    page.screenshot(path="test-results/time-travel-fork.png")

    # Reset to the same initial weights: step 0 of the first run, as a third run.
    travel.button("Reset to the same initial weights").click()
    reset = re.compile(r"^run 3 \(current\), from run 1 at step 0:")
    expect(travel.runs.nth(2)).to_have_text(reset)
    expect(travel.slider).to_have_attribute("aria-valuetext", "Live · Step 0 · epoch 0")
    first_weights = api.client.get(
        f"/api/workspaces/{api.id}/training/at/0?run=1", headers=api.headers
    ).json()["parameters"]
    now = api.client.get(f"/api/workspaces/{api.id}/training/at/0", headers=api.headers)
    assert now.json()["parameters"] == first_weights


@pytest.mark.usefixtures("page_errors")
def test_hovering_a_layer_shows_its_weights_and_gradients_over_the_kept_steps(
    page: Page, live_server: str
) -> None:
    travel = opened(page, trained(live_server))
    travel.training.scroll_to_layers_over_time()
    weights = page.get_by_role("img", name=re.compile(r"^Layer 1 weights at 31 kept steps 0 to 30"))
    expect(weights).to_be_visible()
    gradients = re.compile(r"^Layer 1 gradients at 30 kept steps 1 to 30")
    expect(page.get_by_role("img", name=gradients)).to_be_visible()

    travel.training.edge("W2[0,1]").focus()  # as hovering it does
    expect(page.get_by_role("region", name="Layer 2 over time")).to_be_visible()
    layer_2 = page.get_by_role("img", name=re.compile(r"^Layer 2 weights at 31 kept steps"))
    expect(layer_2).to_be_visible()
    unmarked = layer_2.evaluate("canvas => canvas.toDataURL()")
    # The timeline's step is marked across the heatmap.
    travel.slider.focus()
    travel.slider.press("Home")
    travel.shows_step(0)
    marked = layer_2.evaluate("canvas => canvas.toDataURL()")
    assert marked != unmarked
    layer_2.scroll_into_view_if_needed()
    page.screenshot(path="test-results/time-travel-layers.png")
