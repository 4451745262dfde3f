"""Sharing: the editor and viewer links, and what a viewer may do."""

import re

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage


def test_share_dialog_shows_both_links_and_closes_on_escape(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    dialog = workspace.open_share_dialog()
    expect(dialog.get_by_role("textbox", name="Editor link")).to_have_value(page.url)
    viewer_link = dialog.get_by_role("textbox", name="Viewer link")
    expect(viewer_link).to_have_value(re.compile(r"/w/[^#]+#.+"))
    assert viewer_link.input_value() != page.url
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_viewer_link_offers_no_write_at_all(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
    workspace = WorkspacePage.open(page, api.id, api.viewer_token)

    expect(workspace.read_only_badge).to_be_visible()
    expect(workspace.value_of("a")).to_have_text("2")
    for name in ["Add variable", "Apply gate", "Backprop", "Zero grads", "Delete…"]:
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)
    for label in ["Name", "Expression", "Backprop from", "No-grad mode"]:
        expect(page.get_by_label(label, exact=True)).to_have_count(0)
    inspector = workspace.inspect("a")
    expect(inspector.get_by_role("button", name="Backprop from here")).to_have_count(0)
    expect(inspector.get_by_role("button", name="Zero grad")).to_have_count(0)
    dialog = workspace.open_share_dialog()
    expect(dialog.get_by_role("textbox", name="Editor link")).to_have_count(0)
    expect(dialog.get_by_role("textbox", name="Viewer link")).to_have_value(page.url)


def test_viewer_link_shows_the_tape_the_inspector_and_the_exports(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
    api.post("/eval", {"source": "b = a * a"})
    workspace = WorkspacePage.open(page, api.id, api.viewer_token)

    expect(workspace.tape_count).to_have_text("Tape: 1 node")
    expect(page.get_by_role("list", name="Wengert list")).to_contain_text("b = mul(a, a)")
    inspector = workspace.inspect("b")
    expect(inspector.get_by_label("created by")).to_contain_text("mul")
    expect(inspector.get_by_role("button", name="Gradcheck")).to_be_enabled()
    for name in ["Export JSON", "Export Python", "Share"]:
        expect(page.get_by_role("button", name=name)).to_be_enabled()
    page.get_by_role("complementary", name="Controls").screenshot(
        path="test-results/playground-viewer-sidebar.png"
    )
    page.screenshot(path="test-results/playground-viewer.png")


def test_recent_workspaces_are_listed_on_the_start_page(page: Page) -> None:
    workspace = WorkspacePage.create(page)
    workspace_id = page.url.split("/w/")[1].split("#")[0]
    page.goto("/")
    page.get_by_role("link", name=f"Open workspace {workspace_id}").click()
    expect(page.locator("[data-ready='true']")).to_be_visible()
    expect(page).to_have_url(workspace.page.url)
