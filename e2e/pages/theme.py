"""The light, dark and system theme switch, on the start page and in a workspace's top bar."""

from playwright.sync_api import Locator, Page

# The body's background in each theme (--bg in theme.css).
BACKGROUND = {"light": "rgb(246, 247, 249)", "dark": "rgb(17, 19, 24)"}


class ThemeSwitch:
    """The "Theme" radio group of the page on screen."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def option(self, name: str) -> Locator:
        """The radio named ``name``: "Light", "Dark" or "System"."""
        group = self.page.get_by_role("radiogroup", name="Theme")
        return group.get_by_role("radio", name=name, exact=True)

    def choose(self, name: str) -> None:
        self.option(name).check()

    @property
    def body(self) -> Locator:
        """The page's body, whose background shows the theme drawn."""
        return self.page.locator("body")
