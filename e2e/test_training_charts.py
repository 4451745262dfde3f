"""The training charts' axes say what is true: decades on a log scale, 0 to 1 for a fraction."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage
from e2e.test_training_diagnostics import ONE_STEP_EPOCHS, configure


def y_ticks(figure) -> list[str]:
    """The labels of a chart's y axis, as the chart drew them."""
    chart = figure.locator("[data-y-ticks]")
    expect(chart).to_have_attribute("data-y-ticks", re.compile(r"\S"))
    return chart.get_attribute("data-y-ticks").split()


def test_log_axes_label_decades_and_a_fraction_runs_from_0_to_1(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    configure(api, {**ONE_STEP_EPOCHS, "model": {"hidden": [16, 8], "activation": "tanh"}})
    training = TrainingPage.open(page, api.id, api.token)
    for step in (1, 2, 3, 4):
        training.control("Step").click()
        expect(training.progress).to_contain_text(f"Step {step}")

    gradients = page.get_by_role("figure", name=re.compile(r"^Hidden layers' gradient norms per"))
    labels = y_ticks(gradients)
    assert "0" not in labels and len(set(labels)) == len(labels) >= 2, labels
    assert all(re.fullmatch(r"1e-?\d+|1|10*|0\.0*1", label) for label in labels), labels

    # tanh units never die: every value is 0, and the axis still runs over the whole fraction.
    assert y_ticks(training.dead_units_chart)[0] == "0"
    assert y_ticks(training.dead_units_chart)[-1] == "1"
    gradients.scroll_into_view_if_needed()
    page.screenshot(path="test-results/training-charts.png")
