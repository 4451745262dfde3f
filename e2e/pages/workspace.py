"""The start page and the workspace page."""

from playwright.sync_api import Locator, Page, expect


class WorkspacePage:
    """A workspace opened in the browser."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def create(cls, page: Page) -> "WorkspacePage":
        """Open the start page and create a new workspace."""
        page.goto("/")
        page.get_by_role("button", name="Create workspace").click()
        expect(page.locator("[data-ready='true']")).to_be_visible()
        return cls(page)

    @classmethod
    def open(cls, page: Page, workspace_id: str, token: str) -> "WorkspacePage":
        """Open an existing workspace by its link and wait until its state has loaded."""
        page.goto(f"/w/{workspace_id}#{token}")
        expect(page.locator("[data-ready='true']")).to_be_visible()
        return cls(page)

    @property
    def connection(self) -> Locator:
        """The live-updates indicator in the top bar."""
        return self.page.get_by_role("status").filter(has_text="Live updates")

    def add_variable(self, name: str, value: str, requires_grad: bool = True) -> None:
        self.page.get_by_label("Name", exact=True).fill(name)
        self.page.get_by_label("Value", exact=True).fill(value)
        self.page.get_by_label("requires grad").set_checked(requires_grad)
        self.page.get_by_role("button", name="Add variable").click()
        expect(self.variable_card(name)).to_be_visible()

    def apply_gate(self, gate: str, inputs: list[str], output: str) -> None:
        self.page.get_by_label("Gate", exact=True).select_option(gate)
        for index, name in enumerate(inputs, start=1):
            self.page.get_by_label(f"Input {index}").select_option(name)
        self.page.get_by_label("Output name").fill(output)
        self.page.get_by_role("button", name="Apply gate").click()
        expect(self.variable_card(output)).to_be_visible()

    def backprop(self, name: str) -> None:
        self.page.get_by_label("Backprop from").select_option(name)
        self.page.get_by_role("button", name="Backprop", exact=True).click()

    def variable_card(self, name: str) -> Locator:
        return self.page.get_by_role("group", name=f"variable {name}")

    def grad_of(self, name: str) -> Locator:
        return self.page.get_by_label(f"{name} grad", exact=True)

    def value_of(self, name: str) -> Locator:
        return self.page.get_by_label(f"{name} value", exact=True)
