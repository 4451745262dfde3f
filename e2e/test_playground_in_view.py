"""What the player explains is in view: the step's gate and the cards it feeds, uncovered."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.geometry import wait_until_in_view
from e2e.pages.workspace import WorkspacePage

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# The gate a step runs, and every card that receives a gradient from it.
ACTIVE = (
    ".react-flow__node.is-active,"
    ' [role="group"][aria-label^="variable "]:has([aria-label$=" receives"])'
)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_step_of_micrograd_shows_its_cards_uncovered(page: Page, size: dict) -> None:
    page.set_viewport_size(size)
    workspace = WorkspacePage.open_example(page, "micrograd expression")
    workspace.open_controls()
    workspace.set_animation(skip=False, speed=1)
    workspace.backprop("g")
    page.get_by_role("button", name="Pause").click()
    count = int(re.search(r"of (\d+)", workspace.player_status.inner_text()).group(1))

    for step in range(1, count + 1):
        expect(workspace.player_status).to_have_text(re.compile(rf"^Step {step} of {count}"))
        wait_until_in_view(page, ACTIVE)
        if step == 2:
            page.screenshot(path=f"test-results/in-view-{size['width']}.png")
        if step < count:
            workspace.step_button.click()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_newest_card_is_uncovered_when_the_example_opens(page: Page, size: dict) -> None:
    page.set_viewport_size(size)
    WorkspacePage.open_example(page, "micrograd expression")
    wait_until_in_view(page, '[role="group"][aria-label="variable g"]')
    page.screenshot(path=f"test-results/in-view-open-{size['width']}.png")
