"""A new user builds c = a * b in the browser, runs backprop and reads the gradients."""

import re

from playwright.sync_api import Page, expect

from e2e.pages.workspace import WorkspacePage


def test_product_gradients_appear_on_the_graph(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "3")
    workspace.add_variable("b", "4")
    workspace.apply_gate("mul", ["a", "b"], "c")
    expect(workspace.value_of("c")).to_have_text(re.compile(r"^12(\.0+)?$"))

    workspace.backprop("c")

    expect(workspace.grad_of("a")).to_have_text(re.compile(r"^4(\.0+)?$"))
    expect(workspace.grad_of("b")).to_have_text(re.compile(r"^3(\.0+)?$"))
    page.screenshot(path="test-results/walking-skeleton.png", full_page=True)
