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
