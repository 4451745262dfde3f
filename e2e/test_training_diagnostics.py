"""Layer health in the training view: dead units and gradient norms per hidden layer, and a
warning when a layer stops learning."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage

# 75 training points in one batch: every step ends an epoch.
ONE_STEP_EPOCHS = {"dataset": {"kind": "moons", "n": 100}, "batch_size": 75, "epochs": 40}


def configure(api: ApiClient, config: dict) -> None:
    api.client.put(
        f"/api/workspaces/{api.id}/training", json=config, headers=api.headers
    ).raise_for_status()


def test_each_hidden_layer_shows_its_dead_units_and_gradient_norms(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    configure(api, {**ONE_STEP_EPOCHS, "model": {"hidden": [16, 8]}})
    training = TrainingPage.open(page, api.id, api.token)
    expect(training.dead_units_chart).to_have_accessible_name("Dead units: no epoch finished yet")

    for step in (1, 2, 3):
        training.control("Step").click()
        expect(training.progress).to_contain_text(f"Step {step}")

    expect(training.layer_row(1)).to_have_accessible_name(re.compile(r"^layer 1 \d+ of 16 \("))
    expect(training.layer_row(2)).to_have_accessible_name(re.compile(r"^layer 2 \d+ of 8 \("))
    expect(training.dead_units_chart).to_have_accessible_name(
        re.compile(r"^Dead units per hidden layer per epoch")
    )
    expect(training.layer_warnings).to_have_count(0)
    training.dead_units_chart.scroll_into_view_if_needed()
    page.screenshot(path="test-results/training-diagnostics-healthy.png")


def test_a_run_whose_units_die_warns_that_the_layer_stopped_learning(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    # SGD at learning rate 10 throws every ReLU of both layers below zero within a few epochs.
    dying = {**ONE_STEP_EPOCHS, "model": {"hidden": [8, 8]}, "optimizer": {"kind": "sgd", "lr": 10}}
    configure(api, dying)
    training = TrainingPage.open(page, api.id, api.token)
    training.control("Train").click()

    expect(training.progress).to_contain_text("State: done")
    warning = training.layer_warnings.filter(has_text="layer 2")
    expect(warning).to_have_text("layer 2 stopped learning: 8 of 8 units are dead")
    expect(training.layer_row(2)).to_have_accessible_name(re.compile(r"^layer 2 8 of 8 \(100%\)"))
    warning.scroll_into_view_if_needed()
    page.screenshot(path="test-results/training-diagnostics-dead.png", full_page=True)
