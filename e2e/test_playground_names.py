"""Card names up to 16 characters read whole; longer ones are cut, whole on hover and inspected."""

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage

NAMES = ["x", "loss_1", "loss_2", "mul9", "layer1_weights_x", "hidden_activation_2"]

# Whether the name's text is wider than its box (ellipsised).
CUT = "(name) => name.scrollWidth > name.clientWidth + 0.5"


def test_names_up_to_16_characters_show_whole_and_longer_ones_say_so(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    for name in NAMES:
        assert api.post("/variables", {"name": name, "value": 1.0}).status_code == 201
    workspace = WorkspacePage.open(page, api.id, api.token)
    page.keyboard.press("0")
    for name in NAMES:
        button = page.get_by_role("button", name=f"Inspect {name}", exact=True)
        button.scroll_into_view_if_needed()
        expect(button).to_have_text(name)
        assert button.evaluate(CUT) == (len(name) > 16), name
        expect(button).to_have_attribute("title", f"Inspect {name}")
    page.screenshot(path="test-results/names.png")

    inspector = workspace.inspect("hidden_activation_2")
    expect(inspector.get_by_role("heading", name="hidden_activation_2")).to_be_visible()
