"""The page says where NaN was born and when a gradient is unhealthy, in words, in the inspector."""

import re

from playwright.sync_api import Page, expect

from e2e.pages.workspace import WorkspacePage


def test_the_inspector_says_where_infinity_was_born_in_backward(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.set_animation(skip=True)
    workspace.run_expression("a = [4, 0]\nr = sqrt(a)\ns = sum(r)")
    workspace.backprop("s")
    born = workspace.gate("sqrt #1").get_by_text("NaN in backward")
    expect(born).to_have_attribute("title", re.compile("^sqrt's backward gave ∞"))
    expect(workspace.health_of("a")).to_have_text("exploding")
    inspector = workspace.inspect("a")
    expect(inspector.get_by_role("note")).to_have_text(
        [
            "NaN or ∞ born in backward (node #1): sqrt's backward gave ∞ for its input #1 at [1] "
            "although the gradient flowing in is finite; that input is 0 there",
            "Exploding gradient: the gradient's norm is inf, above 10000",
        ]
    )
    page.screenshot(path="test-results/playground-diagnostics.png")


def test_the_inspector_calls_a_saturated_tanh_vanishing(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.set_animation(skip=True)
    workspace.run_expression("a = [9, 10]\nt = tanh(a)\ns = sum(t)")
    workspace.backprop("s")
    expect(workspace.health_of("a")).to_have_text("vanishing")
    inspector = workspace.inspect("a")
    expect(inspector.get_by_role("note")).to_have_text(
        "Vanishing gradient: the gradient's norm is 6.15e-08, below 1e-07, while the value's "
        "is 13.5: almost nothing reaches it"
    )
    expect(workspace.inspect("t").get_by_role("note")).to_have_count(0)  # 1 flows into t
