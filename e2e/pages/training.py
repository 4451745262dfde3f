"""The training view of a workspace."""

import re
import time

from playwright.sync_api import Locator, Page, expect

CONTROLS = ("Train", "Pause", "Step", "Reset")


class TrainingPage:
    """A workspace's training playground opened in the browser."""

    def __init__(self, page: Page) -> None:
        self.page = page

    @classmethod
    def open(cls, page: Page, workspace_id: str, token: str) -> "TrainingPage":
        """Open the training view by its link; wait until it knows whether a run exists."""
        page.goto(f"/w/{workspace_id}?view=training#{token}")
        expect(page.locator("[data-training-ready='true']")).to_be_visible()
        return cls(page)

    def control(self, name: str) -> Locator:
        """One of the buttons Train, Pause, Step and Reset."""
        return self.page.get_by_role("button", name=name, exact=True)

    @property
    def apply_button(self) -> Locator:
        return self.page.get_by_role("button", name="Apply", exact=True)

    @property
    def progress(self) -> Locator:
        """ "State: running  Epoch 3 of 50  Step 30"."""
        return self.page.get_by_role("status", name="Training progress")

    @property
    def loss_chart(self) -> Locator:
        """The loss chart, named by its caption ("Loss over 12 epochs: train a → b, test c → d")."""
        return self.page.get_by_role("figure", name=re.compile(r"^Loss"))

    @property
    def boundary(self) -> Locator:
        return self.page.get_by_role("img", name=re.compile(r"^Decision boundary"))

    def slider(self, name: str) -> Locator:
        """A slider by its label: "Noise", "Test data", "Batch size"."""
        return self.page.get_by_role("slider", name=name)

    def feature(self, name: str) -> Locator:
        """A feature tile ("x", "x²", "sin y"), pressed when the network sees it."""
        return self.page.get_by_role("button", name=name, exact=True)

    def set_up(
        self, dataset: str, hidden: list[str], speed: str, epochs: str, learning_rate: str
    ) -> None:
        """Fill in the setup form (without applying it)."""
        self.page.get_by_label("Dataset", exact=True).select_option(dataset)
        layers = self.page.get_by_label(re.compile(r"^Layer \d+ neurons$"))
        while layers.count() > len(hidden):
            self.page.get_by_role("button", name=f"Remove layer {layers.count()}").click()
        while layers.count() < len(hidden):
            self.page.get_by_role("button", name="Add layer").click()
        for index, size in enumerate(hidden, start=1):
            self.page.get_by_label(f"Layer {index} neurons", exact=True).fill(size)
        self.page.get_by_label("Speed", exact=True).select_option(speed)
        self.page.get_by_label("Epochs", exact=True).fill(epochs)
        self.page.get_by_label("Learning rate", exact=True).fill(learning_rate)

    def wait_for_boundary_change(self, before: bytes, timeout_s: float = 20.0) -> None:
        """Wait until the boundary's pixels differ from `before`.

        Its name changes with every step, but a new picture only arrives with a new boundary,
        so the name alone can't tell that the drawing moved.
        """
        deadline = time.monotonic() + timeout_s
        while self.boundary.screenshot() == before:
            assert time.monotonic() < deadline, f"the boundary did not change in {timeout_s} s"
            self.page.wait_for_timeout(250)

    def step_count(self) -> int:
        match = re.search(r"Step (\d+)", self.progress.inner_text())
        assert match is not None, self.progress.inner_text()
        return int(match.group(1))

    def test_loss_trend(self) -> tuple[float, float]:
        """The test loss after the first epoch and after the latest, from the chart's caption."""
        caption = self.loss_chart.locator("figcaption").inner_text()
        match = re.search(r"test ([\d.e+-]+) → ([\d.e+-]+)", caption)
        assert match is not None, caption
        return float(match.group(1)), float(match.group(2))

    @property
    def layer_table(self) -> Locator:
        """The hidden layers' dead units and gradient norms at the latest epoch."""
        return self.page.get_by_role("table", name="Hidden layers at the latest epoch")

    def layer_row(self, layer: int) -> Locator:
        """One hidden layer's row of the table: "layer 2  3 of 8 (38%)  0.12  0.03"."""
        return self.layer_table.get_by_role("row", name=re.compile(rf"^layer {layer}\b"))

    @property
    def dead_units_chart(self) -> Locator:
        """The dead units chart, named by its caption."""
        return self.page.get_by_role("figure", name=re.compile(r"^Dead units"))

    @property
    def layer_warnings(self) -> Locator:
        """The warning lines of layers that stopped learning."""
        return self.page.get_by_role("alert").filter(has_text="stopped learning")
