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


def test_an_optimizer_step_that_would_write_infinity_is_refused_and_says_what_to_change(
    page: Page,
) -> None:
    workspace = WorkspacePage.create(page)
    workspace.run_expression("w = 2\nz = 0.0\nr = sqrt(z) + w")
    expect(workspace.variable_card("r")).to_be_visible()
    workspace.backprop("r")
    expect(workspace.grad_of("z")).to_have_text("∞")

    workspace.optimizer_step("SGD", "2")
    refusal = page.get_by_role("alert").filter(has_text="would write -inf into z")
    expect(refusal).to_contain_text("leave z out of the parameters")
    expect(workspace.value_of("z")).to_have_text("0")

    page.get_by_role("group", name="Parameters to update").get_by_label("z").uncheck()
    page.get_by_role("button", name="Optimizer step").click()
    expect(workspace.value_of("w")).to_have_text("0")
    expect(workspace.value_of("z")).to_have_text("0")


def test_the_console_advice_for_nan_is_a_box_on_the_page(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace.run_expression("x = 0.0\ny = log(x)")
    expect(workspace.console_error).to_contain_text('"Keep NaN and ∞"')
    keep = page.get_by_label("Keep NaN and ∞", exact=True)
    expect(keep).to_be_visible()

    keep.check()
    workspace.run_expression("x = 0.0\ny = log(x)")
    expect(workspace.value_of("y")).to_have_text("−∞")


def test_the_gate_form_advice_for_infinity_is_a_box_in_the_gate_form(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "z", "value": 0.0, "requires_grad": True}).raise_for_status()
    workspace = WorkspacePage.open(page, api.id, api.token)

    workspace.submit_gate("log", ["z"], "y")
    refusal = page.get_by_role("alert").filter(has_text="gives NaN or infinity")
    expect(refusal).to_contain_text('tick "Keep NaN and ∞" in the console or the gate form')
    expect(workspace.variable_card("y")).to_have_count(0)

    page.get_by_label("Keep NaN and ∞ from this gate").check()
    page.get_by_role("button", name="Apply gate").click()
    expect(workspace.value_of("y")).to_have_text("−∞")
