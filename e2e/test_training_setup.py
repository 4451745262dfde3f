"""The training setup applies as it changes and travels in links."""

import re
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage

SETUP_IN_LINK_IS = """({ kind, layer1 }) => {
    const text = new URLSearchParams(location.search).get("setup");
    if (text === null) return false;
    const setup = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
    return setup.dataset.kind === kind && setup.model.hidden[0] === layer1;
}"""


def test_choosing_custom_data_offers_the_point_editor_without_apply(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)

    page.get_by_label("Dataset", exact=True).select_option("custom")

    expect(training.your_points).to_have_text("No points yet")
    training.click_plot(0.3, 0.3)
    expect(training.your_points).to_contain_text("1 point")
    assert api.training()["config"]["dataset"]["kind"] == "custom"


def test_a_network_change_starts_the_run_over_at_once(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    page.get_by_label("Dataset", exact=True).select_option("xor")
    expect(training.progress).to_contain_text("State: idle")
    training.control("Step").click()
    training.control("Step").click()
    expect(training.progress).to_contain_text(re.compile(r"Step [12]\b"))

    page.get_by_label("Layer 1 neurons", exact=True).fill("3")

    expect(training.progress).to_contain_text("Step 0")
    expect(page.get_by_text("Data and network changes apply at once")).to_be_visible()
    assert api.training()["config"]["model"]["hidden"][0] == 3


def test_the_link_carries_the_setup_to_another_workspace(page: Page, live_server: str) -> None:
    first = ApiClient.create(live_server)
    training = TrainingPage.open(page, first.id, first.token)
    page.get_by_label("Dataset", exact=True).select_option("circles")
    page.get_by_label("Layer 1 neurons", exact=True).fill("5")
    # The address bar follows the run's setup once the server has taken it.
    page.wait_for_function(SETUP_IN_LINK_IS, arg={"kind": "circles", "layer1": 5})
    expect(training.progress).to_contain_text("State: idle")
    setup = parse_qs(urlparse(page.url).query)["setup"][0]
    assert first.training()["config"]["model"]["hidden"][0] == 5

    second = ApiClient.create(live_server)
    page.goto(f"/w/{second.id}?view=training&setup={setup}#{second.token}")
    expect(page.locator("[data-training-ready='true']")).to_be_visible()

    expect(page.get_by_label("Dataset", exact=True)).to_have_value("circles")
    expect(page.get_by_label("Layer 1 neurons", exact=True)).to_have_value("5")
    config = second.training()["config"]
    assert (config["dataset"]["kind"], config["model"]["hidden"][0]) == ("circles", 5)
