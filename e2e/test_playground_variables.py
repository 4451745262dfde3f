"""New variables, literal or generated, and numbers typed as gate inputs drawn as constants."""

import re

from playwright.sync_api import Page, expect

from e2e.pages.workspace import WorkspacePage


def test_generated_variable_shows_its_shape_and_dtype(page: Page) -> None:
    workspace = WorkspacePage.create(page)

    workspace.submit_generated_variable("W", "randn", "2, 3", seed="7", dtype="float32")

    card = workspace.variable_card("W")
    expect(card).to_be_visible()
    expect(card.get_by_title("float32")).to_have_text("2×3 f32")
    expect(workspace.value_of("W")).to_have_text(re.compile(r"^\[\[.+\], \[.+\]\]$"))
    expect(page.get_by_label("Name", exact=True)).to_have_value("")
    expect(page.get_by_label("Shape", exact=True)).to_have_value("2, 3")
    page.screenshot(path="test-results/playground-variables-generated.png")


def test_same_seed_generates_the_same_values(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.submit_generated_variable("a", "uniform", "[4]", seed="3")
    expect(workspace.value_of("a")).to_have_text(re.compile(r"^\[.+\]$"))

    workspace.submit_generated_variable("b", "uniform", "[4]", seed="3")

    expect(workspace.value_of("b")).to_have_text(workspace.value_of("a").inner_text())


def test_bad_shape_is_explained_and_the_typed_text_kept(page: Page) -> None:
    workspace = WorkspacePage.create(page)

    workspace.submit_generated_variable("W", "zeros", "2 by 3")

    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r'Shape "2 by 3" is not a list of whole numbers')
    )
    expect(page.get_by_label("Shape", exact=True)).to_have_value("2 by 3")
    expect(page.get_by_label("Name", exact=True)).to_have_value("W")
    expect(workspace.variable_card("W")).to_have_count(0)
    page.get_by_role("heading", name="New variable").scroll_into_view_if_needed()
    page.screenshot(path="test-results/playground-variables-bad-shape.png")


def test_too_large_a_shape_is_refused_with_the_limit(page: Page) -> None:
    workspace = WorkspacePage.create(page)

    workspace.submit_generated_variable("big", "zeros", "2000, 2000")

    expect(page.get_by_role("alert")).to_contain_text("the limit is")
    expect(page.get_by_label("Shape", exact=True)).to_have_value("2000, 2000")
    expect(workspace.variable_card("big")).to_have_count(0)


def test_number_typed_as_an_input_is_drawn_as_a_constant_feeding_the_gate(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("x", "2")

    workspace.run_expression("y = x * 3")

    expect(workspace.value_of("y")).to_have_text("6")
    expect(workspace.constant("3")).to_be_visible()
    expect(workspace.constant("3")).to_have_text("3")
    expect(page.get_by_role("group", name=re.compile(r"^mul #\d+$"))).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(r"^3 into mul #\d+$"))).to_have_count(1)
    workspace.wait_until_graph_fits()
    page.screenshot(path="test-results/playground-variables-constant.png")


def test_number_typed_in_the_gate_palette_is_drawn_as_a_constant(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("x", "2")

    workspace.apply_gate("add", ["x", "1.5"], "z")

    expect(workspace.value_of("z")).to_have_text("3.5")
    expect(workspace.constant("1.5")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(r"^1\.5 into add #\d+$"))).to_have_count(1)
