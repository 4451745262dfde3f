"""axe-core finds nothing serious on the start page, a workspace inspecting a 2-D tensor and the
training view, in either theme."""

import pytest
from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.accessibility import serious_violations
from e2e.pages.training import TrainingPage
from e2e.pages.workspace import WorkspacePage

THEMES = ["light", "dark"]


@pytest.mark.parametrize("theme", THEMES)
def test_the_start_page(page: Page, theme: str) -> None:
    page.emulate_media(color_scheme=theme)
    page.goto("/")
    expect(page.get_by_role("button", name="Create workspace")).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.parametrize("theme", THEMES)
def test_a_workspace_inspecting_a_2d_tensor(page: Page, live_server: str, theme: str) -> None:
    page.emulate_media(color_scheme=theme)
    api = ApiClient.create(live_server)
    # Numbers long enough that the 8 columns overflow the inspector: its table scrolls.
    value = [[round(-1.23456 + 0.31 * (i + 8 * row), 5) for i in range(8)] for row in range(2)]
    assert api.post("/variables", {"name": "W", "value": value}).status_code == 201
    workspace = WorkspacePage.open(page, api.id, api.token)
    inspector = workspace.inspect("W")
    expect(inspector.get_by_text("8 columns: scroll sideways")).to_be_visible()
    assert serious_violations(page) == []
    page.screenshot(path=f"test-results/axe-inspector-{theme}.png")


@pytest.mark.parametrize("theme", THEMES)
def test_the_training_view(page: Page, live_server: str, theme: str) -> None:
    page.emulate_media(color_scheme=theme)
    api = ApiClient.create(live_server)
    training = TrainingPage.open(page, api.id, api.token)
    training.control("Step").click()
    expect(training.progress).to_contain_text("Step 1")
    assert serious_violations(page) == []
