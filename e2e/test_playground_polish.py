"""Polish: no console errors on the main paths, dark mode, and deleting only after confirming."""

from playwright.sync_api import ConsoleMessage, Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def test_main_paths_log_no_console_errors(page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda message: _collect(message, errors))
    page.on("pageerror", lambda error: errors.append(str(error)))

    workspace = WorkspacePage.create(page)
    workspace.add_variable("a", "2")
    workspace.run_expression("b = tanh(a * a)")
    workspace.set_animation(skip=False, speed=16)
    workspace.backprop("b")
    expect(workspace.tape_count).to_have_text("Tape: 0 nodes")
    # The player frames each step as it plays: inspect once the show is over, as a user
    # would, rather than click a card while the view pans.
    expect(workspace.player_status).to_be_hidden()
    inspector = workspace.inspect("b")
    inspector.get_by_role("button", name="Gradcheck").click()
    expect(inspector.get_by_role("list", name="Gradcheck results")).to_contain_text("match")
    workspace.open_share_dialog()
    page.keyboard.press("Escape")

    assert errors == []


def test_dark_mode_follows_the_system(page: Page, live_server: str) -> None:
    page.emulate_media(color_scheme="dark")
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "x", "init": {"kind": "randn", "shape": [4, 4], "seed": 0}})
    api.post(
        "/variables", {"name": "w", "value": [[0.5], [-1.0], [2.0], [1.0]], "requires_grad": True}
    )
    api.post("/eval", {"source": "y = tanh(x @ w)\nloss = mean(y * y)"})
    api.post("/backprop", {"variable": "loss"})
    workspace = WorkspacePage.open(page, api.id, api.token)
    workspace.inspect("w")
    # Beside the inspector the graph reads only in part; fit it whole for the screenshot.
    workspace.fit_view_button.click()
    workspace.wait_until_graph_fits()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(17, 19, 24)"
    page.screenshot(path="test-results/playground-dark.png")


def test_deleting_asks_first_and_escape_keeps_the_workspace(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    WorkspacePage.open(page, api.id, api.token)

    page.get_by_role("button", name="Delete…").click()
    dialog = page.get_by_role("dialog", name="Delete this workspace?")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert api.client.get(f"/api/workspaces/{api.id}", headers=api.headers).status_code == 200

    page.get_by_role("button", name="Delete…").click()
    dialog.get_by_role("button", name="Delete workspace").click()

    expect(page.get_by_role("button", name="Create workspace")).to_be_visible()
    assert api.client.get(f"/api/workspaces/{api.id}", headers=api.headers).status_code == 404


def _collect(message: ConsoleMessage, errors: list[str]) -> None:
    if message.type in ("error", "warning"):
        errors.append(f"{message.type}: {message.text}")
