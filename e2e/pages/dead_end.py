"""The page shown in place of a workspace that can never be shown."""

from urllib.parse import urlparse

from playwright.sync_api import Locator, Page, Request, expect


class DeadEndPage:
    """A workspace link that leads nowhere: deleted, never there, or with the wrong token."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def open(cls, page: Page, workspace_id: str, token: str) -> "DeadEndPage":
        """Open a workspace link that is expected to lead nowhere; waits for nothing."""
        page.goto(f"/w/{workspace_id}#{token}")
        return cls(page)

    def expect_reason(self, reason: str) -> None:
        """Wait until the page says ``reason`` as its headline."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text(reason)

    @property
    def home_link(self) -> Locator:
        return self.page.get_by_role("link", name="Go to the start page")

    def record_api_requests(self) -> list[str]:
        """From now on, the method and path of every request the page sends to the API."""
        seen: list[str] = []

        def on_request(request: Request) -> None:
            path = urlparse(request.url).path
            if path.startswith("/api/"):
                seen.append(f"{request.method} {path}")

        self.page.on("request", on_request)
        return seen
