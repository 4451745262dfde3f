"""The built-in examples on the start page open ready-made workspaces."""

from playwright.sync_api import Page, expect

from e2e.pages.workspace import WorkspacePage


def test_micrograd_example_backprops_to_the_known_gradients(page: Page) -> None:
    workspace = WorkspacePage.open_example(page, "micrograd expression")
    expect(workspace.value_of("g")).to_have_text("24.7")
    workspace.set_animation(skip=True)

    workspace.backprop("g")

    a = workspace.inspect("a")
    expect(a.get_by_label("a full grad")).to_have_text("138.8338")
    b = workspace.inspect("b")
    expect(b.get_by_label("b full grad")).to_have_text("645.5773")


def test_mlp_and_conv_examples_build_their_loss(page: Page) -> None:
    workspace = WorkspacePage.open_example(page, "2-layer MLP")
    expect(workspace.variable_card("loss")).to_be_visible()
    expect(workspace.tape_count).not_to_have_text("Tape: 0 nodes")
    page.screenshot(path="test-results/playground-mlp.png")

    workspace = WorkspacePage.open_example(page, "conv layer")
    expect(workspace.variable_card("loss")).to_be_visible()
    page.screenshot(path="test-results/playground-conv.png")


def test_start_page_offers_examples_and_import(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("button", name="Create workspace")).to_be_visible()
    expect(page.get_by_label("Import export file")).to_be_visible()
    page.screenshot(path="test-results/playground-start.png")
