"""The gate palette: parameters from the catalog's schema, numbers as inputs, any-arity gates."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def test_params_and_numeric_inputs_reach_the_gate(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "m", "value": [[1.0, 2.0], [3.0, 4.0]], "requires_grad": True})
    workspace = WorkspacePage.open(page, api.id, api.token)

    workspace.apply_gate("sum", ["m"], "cols", {"axis": "0", "keepdims": "true"})
    expect(workspace.value_of("cols")).to_have_text("[[4, 6]]")

    workspace.apply_gate("mul", ["m", "0.5"], "half")
    expect(workspace.value_of("half")).to_have_text("[[0.5, 1], [1.5, 2]]")


def test_any_arity_gate_takes_as_many_inputs_as_added(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    for name, value in [("a", [1.0]), ("b", [2.0]), ("c", [3.0])]:
        api.post("/variables", {"name": name, "value": value, "requires_grad": True})
    workspace = WorkspacePage.open(page, api.id, api.token)

    workspace.apply_gate("concat", ["a", "b", "c"], "abc")

    expect(workspace.value_of("abc")).to_have_text("[1, 2, 3]")


def test_a_required_param_left_empty_is_explained(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "v", "value": [1.0, 2.0, 3.0, 4.0]})
    WorkspacePage.open(page, api.id, api.token)
    page.get_by_label("Gate", exact=True).select_option("reshape")
    page.get_by_role("button", name="Apply gate").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("shape is required"))


def test_the_form_says_what_the_gate_would_produce_before_it_is_applied(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "W", "init": {"kind": "randn", "shape": [64, 32]}})
    api.post("/variables", {"name": "x", "init": {"kind": "randn", "shape": [32, 256]}})
    WorkspacePage.open(page, api.id, api.token)
    page.get_by_label("Gate", exact=True).select_option("matmul")
    page.get_by_label("Input 1").fill("W")
    page.get_by_label("Input 2").fill("x")
    preview = page.get_by_role("status", name="Result preview")
    expect(preview).to_have_text("→ 64×256 float64 · 131 kB")

    page.get_by_label("Input 2").fill("W")
    expect(preview).to_contain_text("matmul: W is 64×32 and W is 64×32; ")
    expect(preview).to_contain_text("32 ≠ 64")
    assert len(api.state()["history"]) == 0
