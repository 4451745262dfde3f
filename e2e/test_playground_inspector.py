"""The inspector: a variable in full, where it comes from and goes, gradcheck and actions."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.tensor_view import TensorView
from e2e.pages.workspace import WorkspacePage


def test_inspector_shows_full_values_and_provenance(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": -4.0, "requires_grad": True})
    api.post("/variables", {"name": "W", "init": {"kind": "randn", "shape": [40, 40], "seed": 1}})
    api.post("/eval", {"source": "b = a * 3.14159265\nc = b + 1"})
    workspace = WorkspacePage.open(page, api.id, api.token)

    inspector = workspace.inspect("b")

    expect(inspector.get_by_label("b full value")).to_have_text("-12.56637")
    expect(inspector.get_by_label("created by")).to_have_text("#1 mul")
    expect(inspector.get_by_label("consumed by")).to_have_text("#2 add")
    page.keyboard.press("Escape")
    expect(inspector).to_be_hidden()

    big = workspace.inspect("W")
    expect(big.get_by_role("img", name=re.compile(r"^W full value: heatmap"))).to_be_visible()
    expect(big.get_by_label("W full value statistics")).to_contain_text("norm")
    page.screenshot(path="test-results/playground-inspector.png")


def test_gradcheck_reports_a_match_for_each_leaf(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "x", "value": [[1.0, 2.0], [3.0, 4.0]], "requires_grad": True})
    api.post("/variables", {"name": "w", "value": [0.5, -1.0], "requires_grad": True})
    api.post("/eval", {"source": "loss = mean(tanh(x * w) ** 2)"})
    workspace = WorkspacePage.open(page, api.id, api.token)

    inspector = workspace.inspect("loss")
    inspector.get_by_role("button", name="Gradcheck").click()

    results = inspector.get_by_role("list", name="Gradcheck results")
    expect(results.get_by_role("listitem")).to_have_count(2)
    expect(results.get_by_role("listitem").filter(has_text="x")).to_contain_text("match")
    expect(results.get_by_role("listitem").filter(has_text="w")).to_contain_text("match")
    expect(results).not_to_contain_text("mismatch")


def test_backprop_from_the_inspector_with_a_seed_and_zero_grad(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 3.0, "requires_grad": True})
    api.post("/eval", {"source": "b = a * a"})
    workspace = WorkspacePage.open(page, api.id, api.token)
    workspace.set_animation(skip=True)

    inspector = workspace.inspect("b")
    inspector.get_by_label("Seed").fill("2")
    inspector.get_by_role("button", name="Backprop from here").click()
    expect(workspace.grad_of("a")).to_have_text("12")

    a = workspace.inspect("a")
    expect(a.get_by_label("a full grad")).to_have_text("12")
    a.get_by_role("button", name="Zero grad").click()
    expect(workspace.grad_of("a")).to_have_text("0")


def test_a_2_by_8_table_scrolls_to_its_last_column_by_keyboard(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    value = [
        [round(-1.23456 + 0.31 * (column + 8 * row), 5) for column in range(8)] for row in range(2)
    ]
    assert api.post("/variables", {"name": "W", "value": value}).status_code == 201
    workspace = WorkspacePage.open(page, api.id, api.token)
    view = TensorView(workspace.inspect("W"), "W full value")

    expect(view.scroll_cue).to_have_text(re.compile(r"^8 columns: scroll sideways →"))
    assert view.cell_is_shown(0, 0) and not view.cell_is_shown(0, 7)

    view.scroll_region.focus()
    expect(view.scroll_region).to_be_focused()
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(region) => region.scrollLeft + region.clientWidth >= region.scrollWidth - 1",
        arg=view.scroll_region.element_handle(),
    )
    assert view.cell_is_shown(0, 7)
    expect(view.scroll_cue).to_have_text(re.compile(r"^8 columns: scroll sideways ←"))
    page.screenshot(path="test-results/inspector-wide-table.png")
