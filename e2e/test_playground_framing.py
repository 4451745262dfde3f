"""Graphs open readable, fit on demand, keep the tape beside them, fill the minimap at any size."""

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.folding import GraphFolding
from e2e.pages.workspace import WorkspacePage


def wait_for_text_height(page: Page, name: str, at_least: float) -> None:
    """Wait until the name, value and grad on a card stand ``at_least`` px high on screen.

    The height is the text's font size times the zoom the card is drawn at, not its box's.
    """
    page.wait_for_function(
        """([name, least]) => {
            const labels = [`Inspect ${name}`, `${name} value`, `${name} grad`];
            const texts = labels.map((label) => document.querySelector(`[aria-label="${label}"]`));
            return texts.every((text) => {
                if (text === null || text.offsetHeight === 0) return false;
                const zoom = text.getBoundingClientRect().height / text.offsetHeight;
                return parseFloat(getComputedStyle(text).fontSize) * zoom >= least;
            });
        }""",
        arg=[name, at_least],
    )


def test_micrograd_opens_with_readable_cards(page: Page) -> None:
    WorkspacePage.open_example(page, "micrograd expression")
    wait_for_text_height(page, "g", 9)
    page.screenshot(path="test-results/framing-micrograd.png")


def test_fit_view_and_f_frame_the_whole_graph_after_zooming_in(page: Page) -> None:
    workspace = WorkspacePage.open_example(page, "micrograd expression")
    wait_for_text_height(page, "g", 9)
    page.keyboard.press("+")
    page.keyboard.press("+")
    zoomed = workspace.view()

    workspace.fit_view_button.click()
    workspace.wait_until_graph_fits()
    assert workspace.view()[2] < zoomed[2]

    page.keyboard.press("=")
    page.keyboard.press("=")
    expect(workspace.value_of("g")).to_be_visible()
    page.keyboard.press("f")
    workspace.wait_until_graph_fits()


def test_zoomed_out_cards_are_compact_and_zooming_in_restores_them(page: Page) -> None:
    workspace = WorkspacePage.open_example(page, "micrograd expression")
    role = page.get_by_role("group", name="variable g", exact=True).get_by_text("computed")
    expect(role).to_be_visible()
    page.keyboard.press("f")
    workspace.wait_until_graph_fits()
    expect(role).to_be_hidden()
    expect(workspace.grad_of("g")).to_be_visible()
    page.screenshot(path="test-results/framing-compact.png")

    page.keyboard.press("0")
    expect(role).to_be_visible()


def test_the_tape_panel_sits_above_the_canvas_and_folding_it_gives_the_graph_room(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    assert api.post("/variables", {"name": "a", "value": 1.0}).status_code == 201
    workspace = WorkspacePage.open(page, api.id, api.token)
    expect(workspace.variable_card("a")).to_be_visible()
    canvas = page.get_by_label("Computation graph")
    tape = page.get_by_role("heading", name="Tape").locator("xpath=../..")
    tape_box, canvas_box = tape.bounding_box(), canvas.bounding_box()
    assert tape_box["y"] + tape_box["height"] <= canvas_box["y"] + 1
    before = canvas.bounding_box()["height"]

    workspace.tape_toggle.click()
    expect(workspace.tape_toggle).to_have_attribute("aria-expanded", "false")
    expect(workspace.tape_count).to_be_hidden()
    page.wait_for_function(
        "(before) => document.querySelector('[aria-label=\"Computation graph\"]')"
        ".getBoundingClientRect().height > before",
        arg=before,
    )


def test_minimap_draws_a_900_gate_chain_partly_unfolded(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.build_chain(900)
    workspace = WorkspacePage.open(page, api.id, api.token)
    # It opens folded by runs of its history; unfolded, the minimap draws every node.
    GraphFolding(page).unfold_button("gates #769–#900").click()
    GraphFolding(page).unfold_button("gates #769–#832").click()
    GraphFolding(page).unfold_button("gates #769–#784").click()
    expect(workspace.variable_card("y784")).to_be_visible()
    expect(workspace.minimap_nodes.first).to_be_attached()
    assert workspace.minimap_nodes.count() > 0
    # A 900-node chain scales each node far below a pixel unless the minimap keeps it visible.
    assert workspace.minimap_node_size() >= 2
    page.screenshot(path="test-results/framing-large.png")
