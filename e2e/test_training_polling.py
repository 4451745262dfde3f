"""What a training page asks the server while a run trains: the timeline, the runs without
their histories (one run: nothing to compare), and the layers' histograms only while that
panel is in view, on a slow cadence. Counted over 5 s of a run training at 20 steps/s."""

import re
from collections import Counter
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.training import TrainingPage

TRAINING = {
    "dataset": {"kind": "xor", "n": 80, "seed": 2},
    "model": {"hidden": [4], "activation": "tanh", "features": ["x", "y"]},
    "optimizer": {"kind": "sgd", "lr": 0.3},
    "epochs": None,
    "batch_size": 20,
    "max_steps_per_second": 20,
}
WINDOW_MS = 5_000


def training_page(page: Page, live_server: str) -> tuple[TrainingPage, ApiClient]:
    """A training page open at 1280×800 on a run that trains on, with the page following it."""
    api = ApiClient.create(live_server)
    api.client.put(
        f"/api/workspaces/{api.id}/training", json=TRAINING, headers=api.headers
    ).raise_for_status()
    api.post("/training/start", {}).raise_for_status()
    page.set_viewport_size({"width": 1280, "height": 800})
    training = TrainingPage.open(page, api.id, api.token)
    expect(training.progress).to_contain_text("State: running")
    return training, api


def requests_over_window(page: Page) -> Counter[str]:
    """The page's GET requests under …/training/ during WINDOW_MS, by route (and the runs'
    `history` query), e.g. {"timeline": 9, "runs?history=false": 2}."""
    seen: Counter[str] = Counter()

    def count(request) -> None:
        url = urlparse(request.url)
        match = re.search(r"/training/(\w+)$", url.path)
        if request.method != "GET" or match is None:
            return
        history = parse_qs(url.query).get("history")
        seen[match[1] + (f"?history={history[0]}" if history else "")] += 1

    page.on("request", count)
    page.wait_for_timeout(WINDOW_MS)
    page.remove_listener("request", count)
    return seen


def test_a_training_page_polls_little_while_the_layers_panel_is_out_of_view(
    page: Page, live_server: str
) -> None:
    training_page(page, live_server)
    layers = page.get_by_role("region", name=re.compile(r"^Layer \d+ over time$"))
    page.evaluate("window.scrollTo(0, 0)")
    expect(layers).not_to_be_in_viewport()

    seen = requests_over_window(page)
    print("requests over 5 s, layers panel out of view:", dict(seen))
    assert seen["histograms"] == 0, seen
    assert seen["runs"] == 0, seen  # never with every run's history while one run trains
    assert seen["runs?history=false"] <= 4, seen
    assert seen["timeline"] <= 12, seen
    # Before: timeline 4/s, runs with histories 2/s, histograms 1/s: 35 in 5 s.
    polled = ("timeline", "runs", "runs?history=false", "histograms")
    assert sum(seen[route] for route in polled) <= 16, seen


def test_the_layers_panel_in_view_loads_histograms_on_a_slow_cadence(
    page: Page, live_server: str
) -> None:
    training, _ = training_page(page, live_server)
    # Drawn only once loaded, and loaded only once its place under the network is in view.
    layers = training.scroll_to_layers_over_time()
    expect(layers).to_be_in_viewport()

    seen = requests_over_window(page)
    print("requests over 5 s, layers panel in view:", dict(seen))
    assert 1 <= seen["histograms"] <= 3, seen
    page.screenshot(path="test-results/training-polling-layers.png")
