"""A phone at 390 x 844: a full-width graph, controls in a sheet, no sideways scroll, touch."""

import itertools
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.api_client import ApiClient
from e2e.pages.geometry import horizontal_overflow
from e2e.pages.training import TrainingPage
from e2e.pages.workspace import WorkspacePage

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page in a touch-screen context the size of a phone."""
    context = browser.new_context(viewport=PHONE, has_touch=True, base_url=base_url)
    try:
        yield context.new_page()
    finally:
        context.close()


def pinch(page: Page, x: float, y: float, apart: float, to: float) -> None:
    """Two fingers ``apart`` px apart around (x, y) move to ``to`` px apart, as real touches."""
    cdp = page.context.new_cdp_session(page)

    def touches(distance: float) -> list[dict]:
        return [{"x": x - distance / 2, "y": y, "id": 0}, {"x": x + distance / 2, "y": y, "id": 1}]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": touches(apart)})
    for step in range(1, 11):
        distance = apart + (to - apart) * step / 10
        move = {"type": "touchMove", "touchPoints": touches(distance)}
        cdp.send("Input.dispatchTouchEvent", move)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_the_graph_takes_the_width_and_most_of_the_height(phone: Page) -> None:
    workspace = WorkspacePage.open_example(phone, "micrograd expression")
    canvas = phone.get_by_label("Computation graph").bounding_box()
    assert canvas is not None
    assert canvas["width"] >= PHONE["width"] - 1
    assert canvas["height"] >= 0.6 * PHONE["height"]
    assert horizontal_overflow(phone) == 0
    expect(phone.get_by_label("Backprop from")).to_be_hidden()

    workspace.open_controls()
    expect(phone.get_by_label("Backprop from")).to_be_in_viewport()
    assert horizontal_overflow(phone) == 0
    phone.screenshot(path="test-results/phone-controls.png")


def test_the_top_bar_fits_and_its_buttons_do_not_overlap(phone: Page) -> None:
    WorkspacePage.open_example(phone, "micrograd expression")
    bar = phone.get_by_role("banner")
    boxes = [
        control.bounding_box()
        for control in bar.get_by_role("button").all() + bar.get_by_role("link").all()
        if control.is_visible()
    ]
    assert len(boxes) >= 6
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart_x = a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
            apart_y = a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
            assert apart_x or apart_y, (a, b)


def test_tap_opens_the_inspector_and_pinch_zooms(phone: Page) -> None:
    workspace = WorkspacePage.open_example(phone, "micrograd expression")
    zoom = workspace.view()[2]
    box = phone.get_by_label("Computation graph").bounding_box()
    assert box is not None
    pinch(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, 160, 60)
    phone.wait_for_function(
        "(before) => parseFloat(document.querySelector('.react-flow__viewport')"
        ".style.transform.match(/scale\\((\\S+)\\)/)[1]) < before * 0.8",
        arg=zoom,
    )

    phone.get_by_role("group", name="variable g", exact=True).tap()
    expect(workspace.inspector("g")).to_be_in_viewport()
    assert horizontal_overflow(phone) == 0
    phone.screenshot(path="test-results/phone-inspector.png")


def test_the_training_view_stacks_its_cards_without_sideways_scroll(
    phone: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    training = TrainingPage.open(phone, api.id, api.token)
    training.control("Train").click()
    expect(training.loss_chart).to_be_visible()
    # The cards of the run: sections headed by a title in the view's main part.
    main = phone.get_by_role("main")
    cards = main.locator("section").filter(has=phone.get_by_role("heading", level=2)).all()
    boxes = [card.bounding_box() for card in cards if card.is_visible()]
    assert len(boxes) >= 6
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    tops = sorted((box["y"], box["y"] + box["height"]) for box in boxes)
    for (_, bottom), (top, _) in itertools.pairwise(tops):
        assert bottom <= top + 1
    assert horizontal_overflow(phone) == 0
    phone.screenshot(path="test-results/phone-training.png", full_page=True)
