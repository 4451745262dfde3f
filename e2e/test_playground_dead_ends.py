"""No dead ends: a link that can never open its workspace says why, links home and stops asking."""

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.dead_end import DeadEndPage
from e2e.pages.workspace import WorkspacePage

# How long the page is watched for requests after it gave up: longer than its retry pause (2 s)
# and than the wait before its first load (1.5 s), so a retry would show.
QUIET_MS = 3000


def expect_no_more_requests(dead_end: DeadEndPage) -> None:
    """Watch the page for QUIET_MS: it must ask the API nothing (no stream, ticket or reload)."""
    requests = dead_end.record_api_requests()
    # A wait, not a retried expect(): the claim is that nothing happens during it.
    dead_end.page.wait_for_timeout(QUIET_MS)
    assert requests == []


def test_a_workspace_deleted_while_open_gives_way_to_the_gone_page(
    page: Page, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    workspace = WorkspacePage.open(page, api.id, api.token)
    expect(workspace.connection).to_have_text("Live updates: live")

    api.delete()

    dead_end = DeadEndPage(page)
    dead_end.expect_reason("This workspace was deleted")
    expect(page.get_by_role("button", name="Export JSON")).to_have_count(0)
    expect(page.get_by_role("button", name="Share")).to_have_count(0)
    page.screenshot(path="test-results/dead-end-deleted.png")
    dead_end.home_link.click()
    expect(page.get_by_role("button", name="Create workspace")).to_be_visible()


def test_a_wrong_token_says_so_and_stops_asking(page: Page, live_server: str) -> None:
    api = ApiClient.create(live_server)
    dead_end = DeadEndPage.open(page, api.id, "not-the-token")

    dead_end.expect_reason("This link's token does not open this workspace")
    expect(dead_end.home_link).to_have_attribute("href", "/")
    expect(page.get_by_role("button", name="Delete…")).to_have_count(0)
    expect_no_more_requests(dead_end)


def test_a_workspace_that_never_existed_says_the_link_is_wrong(
    page: Page, live_server: str
) -> None:
    dead_end = DeadEndPage.open(page, "no-such-workspace", "some-token")

    dead_end.expect_reason("This workspace was deleted, or the link is wrong")
    expect(dead_end.home_link).to_have_attribute("href", "/")
    page.screenshot(path="test-results/dead-end-not-found.png")
    expect_no_more_requests(dead_end)
