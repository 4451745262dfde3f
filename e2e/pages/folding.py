"""The canvas's folded groups and its picture menu, as a user finds them: by role and name."""

from pathlib import Path

from playwright.sync_api import Locator, Page

# For every "Unfold …" button: its title's font size times the zoom it is drawn at (the text's
# height on screen, not its box's), and whether its card lies inside the canvas.
TITLE_SIZES = """() => {
    const graph = document.querySelector('[aria-label="Computation graph"]');
    const canvas = graph.getBoundingClientRect();
    return [...document.querySelectorAll('button[aria-label^="Unfold "]')].map((button) => {
        const title = button.firstElementChild;
        const zoom = title.getBoundingClientRect().height / title.offsetHeight;
        const box = button.getBoundingClientRect();
        const inside = box.left >= canvas.left && box.right <= canvas.right
            && box.top >= canvas.top && box.bottom <= canvas.bottom;
        return {
            name: button.getAttribute('aria-label'),
            px: parseFloat(getComputedStyle(title).fontSize) * zoom,
            inside,
            box: [box.left, box.top, box.right, box.bottom],
        };
    });
}"""


class GraphFolding:
    """Folded groups on the canvas and the "Picture of the graph" menu."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def card(self, title: str) -> Locator:
        """The card of a folded group: "features", or a run of the history "gates #1–#256"."""
        return self.page.get_by_role("group", name=f"folded {title}", exact=True)

    def unfold_button(self, title: str) -> Locator:
        return self.page.get_by_role("button", name=f"Unfold {title}", exact=True)

    def fold_button(self, title: str) -> Locator:
        """The button on an unfolded group's frame that folds it again."""
        return self.page.get_by_role("button", name=f"Fold {title}", exact=True)

    @property
    def cards(self) -> Locator:
        """Every folded group's card."""
        return self.page.get_by_role("button", name="Unfold ")

    @property
    def fold_all_button(self) -> Locator:
        return self.page.get_by_role("button", name="Fold all", exact=True)

    def title_sizes(self) -> list[dict]:
        """Each folded card's title height on screen in px, and whether it is inside the canvas."""
        return self.page.evaluate(TITLE_SIZES)

    @property
    def picture_button(self) -> Locator:
        return self.page.get_by_role("button", name="Picture of the graph", exact=True)

    @property
    def picture_menu(self) -> Locator:
        return self.page.get_by_role("group", name="Picture of the graph as drawn")

    def open_picture_menu(self) -> Locator:
        if self.picture_button.get_attribute("aria-expanded") != "true":
            self.picture_button.click()
        return self.picture_menu

    def download(self, label: str) -> tuple[str, bytes]:
        """Click "Download SVG" (PNG, DOT) in the picture menu; the file's name and bytes."""
        menu = self.open_picture_menu()
        with self.page.expect_download() as info:
            menu.get_by_role("button", name=label, exact=True).click()
        path = info.value.path()
        return info.value.suggested_filename, Path(path).read_bytes()

    @property
    def picture_status(self) -> Locator:
        """What the picture menu says happened (copied, downloaded) or why not."""
        return self.picture_menu.get_by_role("status")
