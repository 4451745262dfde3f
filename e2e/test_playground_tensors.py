"""Tensors of any rank in the inspector: a 2-D slice per slider, hover numbers, NaN marked."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.tensor_view import TensorView
from e2e.pages.theme import ThemeSwitch
from e2e.pages.workspace import WorkspacePage

# The warning colour NaN and infinities are written in (--warn in theme.css), light and dark.
WARN = {"light": "rgb(180, 83, 9)", "dark": "rgb(251, 191, 36)"}


def cube(planes: int, rows: int, columns: int, step: float = 100.0) -> list:
    """x[i, j, k] = step * i + 10 j + k: every element says which slice it is in."""
    return [
        [[step * i + 10.0 * j + k for k in range(columns)] for j in range(rows)]
        for i in range(planes)
    ]


def test_a_slider_per_leading_axis_picks_the_slice_shown(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    created = api.post("/variables", {"name": "x", "value": cube(3, 2, 4)})
    assert created.status_code == 201, created.text
    workspace = WorkspacePage.open(page, api.id, api.token)

    value = TensorView(workspace.inspect("x"), "x full value")
    expect(value.slider(0)).to_have_value("0")
    expect(value.slice_shown).to_have_text("[0, :, :]")
    rows = value.table.get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.first.get_by_role("cell")).to_have_text(["0", "1", "2", "3"])

    value.step_slider(0)
    expect(value.slider(0)).to_have_value("1")
    expect(value.slice_shown).to_have_text("[1, :, :]")
    expect(rows.first.get_by_role("cell")).to_have_text(["100", "101", "102", "103"])
    expect(rows.last.get_by_role("cell")).to_have_text(["110", "111", "112", "113"])
    page.screenshot(path="test-results/playground-tensors-slice.png")


def test_a_big_slice_is_a_heatmap_with_numbers_on_hover_and_a_colour_bar(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    created = api.post("/variables", {"name": "v", "value": cube(2, 40, 40, step=1000.0)})
    assert created.status_code == 201, created.text
    workspace = WorkspacePage.open(page, api.id, api.token)

    value = TensorView(workspace.inspect("v"), "v full value")
    # From the smallest element to the largest, 1000 + 390 + 39, over both slices.
    expect(value.colour_bar).to_have_text(re.compile(r"^0.*1429$"))
    expect(value.hover_cell(2, 3, rows=40, columns=40)).to_have_text("[0, 2, 3] = 23")

    value.step_slider(0)
    expect(value.slice_shown).to_have_text("[1, :, :]")
    expect(value.hover_cell(2, 3, rows=40, columns=40)).to_have_text("[1, 2, 3] = 1023")
    page.screenshot(path="test-results/playground-tensors-heatmap-light.png")

    ThemeSwitch(page).choose("Dark")
    expect(value.hover_cell(0, 0, rows=40, columns=40)).to_have_text("[1, 0, 0] = 1000")
    page.screenshot(path="test-results/playground-tensors-heatmap-dark.png")


def test_nan_and_infinities_are_written_in_the_warning_colour(page: Page, live_server: str) -> None:
    page.emulate_media(color_scheme="light")
    api = ApiClient.create(live_server)
    created = api.post(
        "/variables",
        {"name": "n", "value": [[1.0, "nan"], ["inf", "-inf"]], "allow_nonfinite": True},
    )
    assert created.status_code == 201, created.text
    workspace = WorkspacePage.open(page, api.id, api.token)

    value = TensorView(workspace.inspect("n"), "n full value")
    finite = value.cell("1")
    expect(finite).to_be_visible()
    normal = finite.evaluate("element => getComputedStyle(element).color")
    assert normal != WARN["light"]
    for text in ("NaN", "∞", "−∞"):
        expect(value.cell(text)).to_have_css("color", WARN["light"])

    ThemeSwitch(page).choose("Dark")
    expect(value.cell("NaN")).to_have_css("color", WARN["dark"])
    expect(finite).not_to_have_css("color", WARN["dark"])
    page.screenshot(path="test-results/playground-tensors-nonfinite-dark.png")
