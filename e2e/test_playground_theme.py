"""The theme switch: light, dark or the system's, remembered across reloads and pages."""

from playwright.sync_api import Page, expect

from e2e.api_client import ApiClient
from e2e.pages.theme import BACKGROUND, ThemeSwitch
from e2e.pages.workspace import WorkspacePage


def test_dark_is_remembered_after_a_reload_and_on_the_start_page(
    page: Page, live_server: str
) -> None:
    page.emulate_media(color_scheme="light")
    api = ApiClient.create(live_server)
    WorkspacePage.open(page, api.id, api.token)
    theme = ThemeSwitch(page)
    expect(theme.option("System")).to_be_checked()
    expect(theme.body).to_have_css("background-color", BACKGROUND["light"])

    theme.choose("Dark")
    expect(theme.body).to_have_css("background-color", BACKGROUND["dark"])
    page.screenshot(path="test-results/playground-theme-dark.png")

    page.reload()
    expect(theme.option("Dark")).to_be_checked()
    expect(theme.body).to_have_css("background-color", BACKGROUND["dark"])

    page.goto("/")
    expect(theme.option("Dark")).to_be_checked()
    expect(theme.body).to_have_css("background-color", BACKGROUND["dark"])
    page.screenshot(path="test-results/playground-theme-start-dark.png")


def test_system_follows_the_systems_colour_scheme(page: Page) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto("/")
    theme = ThemeSwitch(page)
    theme.choose("Light")
    expect(theme.body).to_have_css("background-color", BACKGROUND["light"])

    theme.choose("System")
    expect(theme.body).to_have_css("background-color", BACKGROUND["dark"])
    page.emulate_media(color_scheme="light")
    expect(theme.body).to_have_css("background-color", BACKGROUND["light"])
