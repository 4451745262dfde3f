"""The training playground's controls: data drawn before any setup, sliders that redraw it,
settings that change a run without a reset, and a finished run that trains on."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage


def test_the_default_data_is_drawn_at_once_and_the_noise_slider_redraws_it(
    page: Page, live_server: str
) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)

    expect(training.boundary).to_have_accessible_name(
        "Decision boundary: no model yet, 300 train and 100 test points of moons, noise 0.1"
    )
    expect(training.control("Train")).to_be_enabled()
    expect(training.feature("x")).to_have_attribute("aria-pressed", "true")
    expect(training.feature("x²")).to_have_attribute("aria-pressed", "false")
    page.screenshot(path="test-results/training-first-visit.png")

    training.slider("Noise").fill("0.3")
    expect(page.get_by_text("Noise 0.30")).to_be_visible()
    expect(training.boundary).to_have_accessible_name(re.compile(r"points of moons, noise 0\.3$"))
    training.slider("Test data").fill("0.5")
    expect(training.boundary).to_have_accessible_name(re.compile(r"200 train and 200 test points"))
    page.get_by_label("Show test data").uncheck()
    expect(training.boundary).to_have_accessible_name(re.compile(r"200 train points of"))
    assert errors == []


def test_train_sets_up_the_shown_data_and_trains_until_paused(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    training.slider("Noise").fill("0.2")
    expect(training.boundary).to_have_accessible_name(re.compile(r"noise 0\.2$"))

    training.control("Train").click()
    expect(training.progress).to_contain_text("State: running")
    expect(training.boundary).to_have_accessible_name(re.compile(r"^Decision boundary at step"))
    expect(training.boundary).to_have_accessible_name(re.compile(r"noise 0\.2$"))
    expect(training.progress).not_to_contain_text(" of ")  # no stop: until paused
    training.control("Pause").click()
    expect(training.progress).to_contain_text("State: paused")


def test_a_new_learning_rate_while_running_keeps_the_step_count(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    configure(api, {"max_steps_per_second": 20})
    training = TrainingPage.open(page, api.id, api.token)
    training.control("Train").click()
    expect(training.progress).to_contain_text(re.compile(r"Step [1-9]\d"))

    before = training.step_count()
    with page.expect_response(lambda r: r.request.method == "PATCH") as adjusted:
        page.get_by_label("Learning rate", exact=True).fill("0.05")
    status = adjusted.value.json()
    assert status["config"]["optimizer"]["lr"] == 0.05
    assert status["step"] >= before and status["state"] == "running"
    expect(training.progress).to_contain_text("State: running")
    assert training.step_count() >= before
    with page.expect_response(lambda r: r.request.method == "PATCH") as adjusted:
        training.slider("Batch size").fill("64")
    assert adjusted.value.json()["config"]["batch_size"] == 64
    assert adjusted.value.json()["step"] >= before
    page.screenshot(path="test-results/training-adjusted.png")
    training.control("Pause").click()


def test_a_finished_run_trains_on_when_train_is_pressed_again(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    configure(api, {"dataset": {"n": 100}, "batch_size": 75, "epochs": 3})
    training = TrainingPage.open(page, api.id, api.token)
    training.control("Train").click()
    expect(training.progress).to_contain_text("State: done")
    expect(training.progress).to_contain_text("Epoch 3 of 3")
    expect(training.control("Train")).to_be_enabled()

    training.control("Train").click()
    expect(training.progress).to_contain_text(re.compile(r"Epoch ([4-9]|\d\d+)"))
    expect(page.get_by_label("Epochs", exact=True)).to_have_value("")
    training.control("Pause").click()
    expect(training.progress).to_contain_text("State: paused")


def configure(api: ApiClient, config: dict) -> None:
    api.client.put(
        f"/api/workspaces/{api.id}/training", json=config, headers=api.headers
    ).raise_for_status()
