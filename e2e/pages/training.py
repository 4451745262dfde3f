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

    def scroll_to_layers_over_time(self) -> Locator:
        """Scroll to just under the network, where the layers over time load once in view; the
        panel (a region "Layer N over time")."""
        self.network.scroll_into_view_if_needed()
        self.network.hover()
        self.page.mouse.wheel(0, 300)
        panel = self.page.get_by_role("region", name=re.compile(r"^Layer \d+ over time$"))
        panel.wait_for()
        panel.scroll_into_view_if_needed()
        return panel

    @property
    def network(self) -> Locator:
        """The network drawn: "The network at step 3: 2-3-2 units, tanh"."""
        return self.page.get_by_role("figure", name=re.compile(r"^The network"))

    def tile(self, name: str) -> Locator:
        """One unit's tile: "input x", "layer 1 unit 3", "output 2"."""
        return self.network.get_by_role("img", name=name, exact=True)

    def edge(self, weight: str) -> Locator:
        """The edge of one weight, "W1[0,2]", named "weight W1[0,2] = 0.52" (for the owner)."""
        name = re.compile(rf"^weight {re.escape(weight)} = ")
        return self.network.get_by_role("button", name=name)

    def weight_field(self, weight: str) -> Locator:
        """The inline editor's field, open after clicking the weight's edge."""
        return self.network.get_by_label(f"New value of {weight}", exact=True)

    @property
    def network_readout(self) -> Locator:
        """What the hovered tile or edge says."""
        return self.network.locator("figcaption")

    def tile_pixels(self, name: str) -> str:
        """A tile's pixels, as its canvas's data URL."""
        return self.tile(name).evaluate("canvas => canvas.toDataURL()")

    def wait_for_tile_change(self, name: str, before: str) -> None:
        """Wait, checking in the page each frame, until the tile's pixels differ from `before`."""
        canvas = self.tile(name).element_handle()
        self.page.wait_for_function(
            "([canvas, before]) => canvas.isConnected && canvas.toDataURL() !== before",
            arg=[canvas, before],
        )

    # The dataset's own points, the latest metrics.

    @property
    def latest_metrics(self) -> Locator:
        """ "Train accuracy 95.0% · Test accuracy 92.0%" or "Train MSE … · Test MSE …"."""
        return self.page.get_by_role("status", name="Latest metrics")

    def test_mse(self) -> float:
        """The test MSE the page shows."""
        text = self.latest_metrics.inner_text()
        match = re.search(r"Test MSE ([\d.e+-]+)", text)
        assert match is not None, text
        return float(match.group(1))

    @property
    def your_points(self) -> Locator:
        """ "12 points: 4 of class 0, …", with " (saving…)" while a change is on its way."""
        return self.page.get_by_role("status", name="Your points")

    def choose_class(self, label: int) -> None:
        """Pick the class that clicked points get."""
        self.page.get_by_role("group", name="Class of new points").get_by_label(
            f"class {label}", exact=True
        ).check()

    def click_plot(self, across: float, up: float, shift: bool = False) -> None:
        """Click the plot at a fraction of its width (from the left) and height (from the
        bottom); shift-clicking removes the nearest point."""
        box = self.boundary.bounding_box()
        assert box is not None
        position = {"x": across * box["width"], "y": (1 - up) * box["height"]}
        self.boundary.click(position=position, modifiers=["Shift"] if shift else None)

    def upload_csv(self, name: str, text: str) -> None:
        self.page.get_by_label("Upload CSV").set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
        )

    @property
    def csv_problems(self) -> Locator:
        return self.page.get_by_role("alert", name="CSV problems")
