"""The network drawn: every unit's tile over the plane, and a weight edited at its edge."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage

SMALL = {
    "dataset": {"kind": "xor", "n": 80, "seed": 2},
    "model": {"hidden": [3], "activation": "tanh", "features": ["x", "y"]},
    "epochs": 200,
    "batch_size": 20,
}


def configured(live_server: str) -> ApiClient:
    api = ApiClient.create(live_server)
    response = api.client.put(f"/api/workspaces/{api.id}/training", json=SMALL, headers=api.headers)
    response.raise_for_status()
    return api


def test_the_network_shows_every_unit_and_weight_and_follows_training(
    page: Page, live_server: str
) -> None:
    api = configured(live_server)
    page.set_viewport_size({"width": 1280, "height": 720})
    training = TrainingPage.open(page, api.id, api.token)

    expect(training.network).to_have_accessible_name(re.compile(r"at step 0: 2-3-2 units, tanh"))
    for name in ("input x", "input y", "layer 1 unit 1", "layer 1 unit 3", "output 2"):
        expect(training.tile(name)).to_be_visible()
    # Two features to three units, three units to two outputs.
    expect(training.network.get_by_role("button", name=re.compile(r"^weight W"))).to_have_count(12)

    tile_before = training.tile_pixels("layer 1 unit 1")
    training.control("Step").click()
    expect(training.network).to_have_accessible_name(re.compile(r"at step 1:"))
    training.tile("layer 1 unit 1").hover()
    expect(training.network_readout).to_have_text(re.compile(r"^layer 1 unit 1, bias -?\d"))
    training.edge("W2[0,0]").hover()
    expect(training.network_readout).to_have_text(
        re.compile(r"^W2\[0,0\] = -?[\d.]+: from layer 1 unit 1 to output 1$")
    )
    training.wait_for_tile_change("layer 1 unit 1", tile_before)
    training.network.scroll_into_view_if_needed()
    page.screenshot(path="test-results/training-network.png")


def test_clicking_an_edge_edits_its_weight_and_the_tile_it_feeds(
    page: Page, live_server: str
) -> None:
    api = configured(live_server)
    page.set_viewport_size({"width": 1280, "height": 720})
    training = TrainingPage.open(page, api.id, api.token)
    expect(training.tile("layer 1 unit 3")).to_be_visible()
    tile_before = training.tile_pixels("layer 1 unit 3")
    output_before = training.tile_pixels("output 1")

    training.edge("W1[1,2]").click()
    field = training.weight_field("W1[1,2]")
    expect(field).to_be_focused()
    field.fill("abc")
    field.press("Enter")
    expect(training.network.get_by_role("alert")).to_have_text("Enter a finite number.")
    field.fill("2.5")
    training.network.scroll_into_view_if_needed()
    page.screenshot(path="test-results/training-network-editing.png")
    field.press("Enter")

    expect(field).to_be_hidden()
    expect(training.edge("W1[1,2]")).to_have_accessible_name("weight W1[1,2] = 2.5")
    # The caption of the hovered weight follows its value, not the value when it was hovered.
    expect(training.network_readout).to_have_text(re.compile(r"^W1\[1,2\] = 2\.5:"))
    variable = api.client.get(f"/api/workspaces/{api.id}/variables/net_W1", headers=api.headers)
    assert variable.json()["value"][1][2] == 2.5
    # The tile of the unit it feeds is drawn anew from the edited weight.
    training.wait_for_tile_change("layer 1 unit 3", tile_before)
    training.wait_for_tile_change("output 1", output_before)


def test_escape_cancels_an_edit(page: Page, live_server: str) -> None:
    api = configured(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    edge = training.edge("W2[2,1]")
    name = edge.get_attribute("aria-label")
    url = f"/api/workspaces/{api.id}/variables/net_W2"
    before = api.client.get(url, headers=api.headers).json()["value"]
    edge.click()
    field = training.weight_field("W2[2,1]")
    field.fill("9")
    field.press("Escape")
    expect(field).to_be_hidden()
    expect(training.edge("W2[2,1]")).to_have_accessible_name(name or "")
    assert api.client.get(url, headers=api.headers).json()["value"] == before
