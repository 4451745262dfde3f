"""Honest labels: a card calls only a leaf that requires grad a param, and gradcheck of a
param names the output it differentiated."""

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def open_product_squared(page: Page, live_server: str) -> WorkspacePage:
    """Params a and b, a constant k, c = a * b and loss = c * c, backpropagated from loss."""
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": [1.0, 2.0], "requires_grad": True})
    api.post("/variables", {"name": "b", "value": [3.0, -1.0], "requires_grad": True})
    api.post("/variables", {"name": "k", "value": 0.5, "requires_grad": False})
    api.post("/eval", {"source": "c = a * b\nloss = c * c"})
    api.post("/backprop", {"variable": "loss"})
    return WorkspacePage.open(page, api.id, api.token)


def test_only_leaves_that_require_grad_are_tagged_param(page: Page, live_server: str) -> None:
    workspace = open_product_squared(page, live_server)

    for name, role in (("a", "param"), ("b", "param"), ("c", "computed"), ("loss", "computed")):
        expect(workspace.role_of(name)).to_have_text(role)
    expect(workspace.role_of("k")).to_have_text("const")
    workspace.wait_until_graph_fits()
    page.screenshot(path="test-results/labels.png")
    expect(workspace.inspect("c").get_by_label("role")).to_have_text("computed")


def test_gradcheck_of_a_param_checks_the_last_backprop_root(page: Page, live_server: str) -> None:
    workspace = open_product_squared(page, live_server)

    inspector = workspace.inspect("a")
    expect(inspector.get_by_label("Output")).to_have_value("")
    inspector.get_by_role("button", name="Gradcheck").click()

    results = inspector.get_by_role("list", name="Gradcheck results")
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results.get_by_role("listitem")).to_contain_text("d loss / d a: match")
    page.screenshot(path="test-results/gradcheck-of-a-param.png")
