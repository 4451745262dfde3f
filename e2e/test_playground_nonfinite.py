"""Infinities and NaN are drawn, not fatal: sqrt at 0 then backprop shows ∞, the page works on."""

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def test_an_infinite_gradient_is_drawn_and_the_page_keeps_working(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    assert (
        api.post("/variables", {"name": "x", "value": 0.0, "requires_grad": True}).status_code
        == 201
    )
    assert api.post("/eval", {"source": "y = sqrt(x)"}).status_code == 200
    workspace = WorkspacePage.open(page, api.id, api.token)
    backprop = api.post("/backprop", {"variable": "y"})
    assert backprop.status_code == 200, backprop.text
    assert backprop.json()["gradients"]["x"] == "inf"  # d/dx sqrt(x) = 1 / (2 sqrt(x)) at 0

    expect(page.get_by_label("x grad", exact=True)).to_have_text("∞")
    page.reload()  # reopening the workspace draws it again
    expect(page.get_by_label("x grad", exact=True)).to_have_text("∞")
    assert api.post("/variables", {"name": "z", "value": 5.0}).status_code == 201
    expect(workspace.value_of("z")).to_have_text("5")
