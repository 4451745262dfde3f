"""Big graphs fold: a traced model opens folded by module, a 1,000-node chain by runs of its
history; a card unfolds on click or Enter, and the player lights the card it is inside."""

import re

import pytest
import torch
from playwright.sync_api import Page, expect
from wengert_client import Workspace

from e2e.api_client import ApiClient
from e2e.models import SmallCNN, traced_cnn
from e2e.pages.folding import GraphFolding
from e2e.pages.geometry import wait_until_in_view
from e2e.pages.workspace import WorkspacePage

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Legible text on screen, in px: a fitted graph's cards read at about this size (framing.ts).
LEGIBLE_PX = 10


def test_a_traced_cnn_opens_folded_to_its_top_level_modules(page: Page, live_server: str) -> None:
    ws, _ = traced_cnn(live_server)
    workspace = WorkspacePage.open(page, ws.id, ws.location.token)
    folding = GraphFolding(page)

    for module in ("features", "flatten", "head"):
        expect(folding.card(module)).to_be_visible()
    expect(folding.cards).to_have_count(3)
    expect(page.get_by_role("group", name="variable features_0_weight")).to_have_count(0)
    expect(folding.card("features")).to_contain_text("gates")
    workspace.fit_view_button.click()
    wait_until_in_view(page, '[aria-label^="folded "]')
    sizes = folding.title_sizes()
    assert all(size["px"] >= LEGIBLE_PX for size in sizes), sizes
    page.screenshot(path="test-results/folding-cnn.png")


@pytest.mark.parametrize("hide_tape", [False, True], ids=["as-opened", "tape-hidden-at-once"])
def test_a_traced_cnn_opens_with_every_top_level_card_in_view_and_readable(
    page: Page, live_server: str, hide_tape: bool
) -> None:
    page.set_viewport_size(DESKTOP)
    ws, _ = traced_cnn(live_server)
    WorkspacePage.open(page, ws.id, ws.location.token)
    if hide_tape:  # the canvas grows while the layout is still settling
        page.get_by_role("button", name="Hide tape").click()
    folding = GraphFolding(page)
    expect(folding.cards).to_have_count(3)

    # No Fit View: the view it opens at frames every module card.
    wait_until_in_view(page, '[aria-label^="folded "]')
    sizes = folding.title_sizes()
    assert len(sizes) == 3, sizes
    assert all(size["inside"] and size["px"] >= LEGIBLE_PX for size in sizes), sizes
    page.screenshot(path=f"test-results/folding-cnn-opened-{hide_tape}.png")


def test_an_unfolded_module_folds_again_on_its_own(page: Page, live_server: str) -> None:
    ws, _ = traced_cnn(live_server)
    WorkspacePage.open(page, ws.id, ws.location.token)
    folding = GraphFolding(page)
    wait_until_in_view(page, '[aria-label^="folded "]')
    folding.unfold_button("features").click()
    folding.unfold_button("head").click()
    expect(folding.card("features.0")).to_be_visible()
    expect(folding.fold_button("features")).to_be_visible()
    expect(folding.fold_button("head")).to_be_visible()
    page.screenshot(path="test-results/folding-cnn-framed.png")

    # By keyboard: the frame's header is a button named for its group.
    folding.fold_button("features").focus()
    page.keyboard.press("Enter")
    expect(folding.card("features")).to_be_visible()
    expect(folding.card("features.0")).to_have_count(0)
    expect(folding.fold_button("features")).to_have_count(0)
    # The other unfolded module stays open.
    expect(folding.card("head")).to_have_count(0)
    expect(folding.fold_button("head")).to_be_visible()

    # Unfolded again, it opens afresh: its inner modules folded.
    folding.unfold_button("features").click()
    expect(folding.card("features.0")).to_be_visible()
    folding.fold_button("features").click()
    expect(folding.card("features")).to_be_visible()


def test_a_module_unfolds_on_click_and_on_enter_and_folds_again(
    page: Page, live_server: str
) -> None:
    ws, _ = traced_cnn(live_server)
    WorkspacePage.open(page, ws.id, ws.location.token)
    folding = GraphFolding(page)
    wait_until_in_view(page, '[aria-label^="folded "]')

    folding.unfold_button("features").click()
    # Its modules show, still folded; the card for the whole is gone.
    expect(folding.card("features.0")).to_be_visible()
    expect(folding.card("features.3")).to_be_visible()
    expect(folding.card("features")).to_have_count(0)

    folding.unfold_button("features.0").focus()
    page.keyboard.press("Enter")
    weight = page.get_by_role("group", name="variable features_0_weight")
    expect(weight).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(r"^conv2d #\d+$")).first).to_be_visible()
    page.screenshot(path="test-results/folding-cnn-unfolded.png")

    folding.fold_all_button.click()
    expect(folding.card("features")).to_be_visible()
    expect(weight).to_have_count(0)
    expect(folding.fold_all_button).to_have_count(0)


def test_the_player_steps_through_a_folded_model_lighting_the_card_it_is_in(
    page: Page, live_server: str
) -> None:
    ws, loss = traced_cnn(live_server)
    workspace = WorkspacePage.open(page, ws.id, ws.location.token)
    folding = GraphFolding(page)
    expect(folding.card("head")).to_be_visible()
    workspace.set_animation(skip=False, speed=1)

    workspace.backprop(loss)
    expect(workspace.player_status).to_have_text(re.compile(r"^Step 1 of \d+"))
    page.get_by_role("button", name="Pause").click()
    # sum, mul (the loss, in no module), then the head's gates.
    while "backprop is here" not in folding.card("head").inner_text():
        page.keyboard.press("ArrowRight")
        expect(workspace.player_status).to_be_visible()
    expect(folding.card("head")).to_contain_text("backprop is here")
    expect(folding.card("features")).not_to_contain_text("backprop is here")
    wait_until_in_view(page, '[aria-label="folded head"]')
    page.screenshot(path="test-results/folding-player.png")

    page.get_by_label("Speed").select_option("16")
    page.get_by_role("button", name="Play").click()
    expect(workspace.player_status).to_have_count(0, timeout=30_000)
    expect(folding.card("head")).not_to_contain_text("backprop is here")
    folding.unfold_button("head").click()
    expect(workspace.grad_of("head_bias")).not_to_have_text(re.compile("pending|none|—"))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_1000_node_chain_opens_folded_and_reads_after_fit_view(
    page: Page, live_server: str, size: dict
) -> None:
    page.set_viewport_size(size)
    api = ApiClient.create(live_server)
    api.build_chain(333)  # x, then 333 gates each with its number and output: 1,000 nodes
    assert len(api.state()["variables"]) + 2 * len(api.state()["history"]) == 1000
    workspace = WorkspacePage.open(page, api.id, api.token)
    folding = GraphFolding(page)

    expect(folding.card("gates #1–#256")).to_be_visible()
    expect(folding.card("gates #257–#333")).to_be_visible()
    expect(folding.cards).to_have_count(2)
    workspace.fit_view_button.click()
    wait_until_in_view(page, '[aria-label^="folded "]')
    sizes = folding.title_sizes()
    assert all(size["px"] >= LEGIBLE_PX and size["inside"] for size in sizes), sizes
    page.screenshot(path=f"test-results/folding-chain-{size['width']}.png")
    # The server folds modules, not runs of the history: the picture menu says so.
    expect(folding.open_picture_menu()).to_contain_text("runs of gates folded here unfolded")
    page.keyboard.press("Escape")
    expect(folding.picture_menu).to_have_count(0)

    folding.unfold_button("gates #1–#256").click()
    expect(folding.cards).to_have_count(5)
    expect(folding.card("gates #65–#128")).to_be_visible()
    workspace.fit_view_button.click()
    wait_until_in_view(page, '[aria-label^="folded "]')
    boxes = [size["box"] for size in folding.title_sizes()]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_a_model_traced_while_the_page_watches_arrives_folded(page: Page, live_server: str) -> None:
    ws = Workspace.create(live_server)
    WorkspacePage.open(page, ws.id, ws.viewer_url.rpartition("#")[2])
    expect(page.get_by_label("Computation graph")).to_be_visible()
    folding = GraphFolding(page)

    ws.trace_torch(SmallCNN(), torch.randn(1, 1, 8, 8))

    expect(folding.card("features")).to_be_visible()
    expect(folding.card("head")).to_be_attached()
    expect(page.get_by_role("group", name="variable features_0_weight")).to_have_count(0)
