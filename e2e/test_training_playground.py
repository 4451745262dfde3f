"""The training playground: set up a run, watch it learn, pause, step and reset it."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import CONTROLS, TrainingPage

EPOCHS_SEEN = re.compile(r"^Loss over (\d\d+|[5-9]) epochs")


def test_a_spiral_classifier_trains_live(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    expect(training.control("Train")).to_be_enabled()  # it sets up the default and starts

    training.set_up("spirals", ["16", "16"], speed="medium", epochs="500", learning_rate="0.03")
    training.apply_button.click()
    expect(training.progress).to_contain_text("State: idle")
    expect(page.get_by_label("Layer 2 neurons", exact=True)).to_have_value("16")

    training.control("Train").click()
    expect(training.progress).to_contain_text("State: running")
    expect(training.control("Train")).to_be_disabled()
    expect(training.loss_chart).to_have_accessible_name(re.compile(r"^Loss over \d+ epochs?"))
    before = training.boundary.get_attribute("aria-label")
    boundary_before = training.boundary.screenshot()
    expect(training.loss_chart).to_have_accessible_name(EPOCHS_SEEN)
    expect(training.boundary).not_to_have_attribute("aria-label", before or "")
    training.wait_for_boundary_change(boundary_before)
    first, latest = training.test_loss_trend()
    assert latest < first, f"test loss went from {first} to {latest}"
    page.screenshot(path="test-results/training-running.png")

    training.control("Pause").click()
    expect(training.progress).to_contain_text("State: paused")
    steps = training.step_count()
    training.control("Step").click()
    expect(training.progress).to_contain_text(f"Step {steps + 1}")
    tape = page.get_by_text(re.compile(r"^Tape: \d+ nodes recorded per step"))
    # 2 hidden layers of matmul, add and activation; the output's matmul and add; the loss
    expect(tape).to_have_text(re.compile(r"^Tape: 9 nodes"))
    tape.scroll_into_view_if_needed()
    page.screenshot(path="test-results/training-paused.png")

    training.control("Reset").click()
    expect(training.progress).to_contain_text("Epoch 0 of 500")
    expect(training.loss_chart).to_have_accessible_name("Loss: no epoch finished yet")


def test_a_refused_setup_is_shown_at_its_field_and_kept(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    points = page.get_by_label("Points", exact=True)
    points.fill("5")
    training.apply_button.click()

    expect(points).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").filter(has_text="greater than or equal to 20")).to_be_visible()
    expect(points).to_have_value("5")
    expect(training.progress).to_contain_text("No run yet")
    expect(training.boundary).to_have_accessible_name(re.compile("no model yet"))
    page.screenshot(path="test-results/training-refused.png")


def test_a_viewer_watches_training_with_every_control_disabled(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    api.client.put(
        f"/api/workspaces/{api.id}/training",
        json={"dataset": {"kind": "xor"}, "model": {"hidden": [4]}, "epochs": 3},
        headers=api.headers,
    ).raise_for_status()
    api.post("/training/start", {})
    page.emulate_media(color_scheme="dark")
    training = TrainingPage.open(page, api.id, api.viewer_token)

    expect(training.progress).to_contain_text("State: done")
    expect(training.loss_chart).to_have_accessible_name(re.compile(r"^Loss over 3 epochs"))
    for name in CONTROLS:
        expect(training.control(name)).to_be_disabled()
    expect(training.apply_button).to_be_disabled()
    expect(page.get_by_label("Dataset", exact=True)).to_have_value("xor")
    page.screenshot(path="test-results/training-viewer-dark.png")
