"""Time travel in the training view: the timeline slider, the runs card and its fork form."""

import re

from playwright.sync_api import Locator, Page, expect

from e2e.pages.training import TrainingPage


class TimeTravel:
    """The timeline under the loss charts and the runs card of an open training view."""

    def __init__(self, training: TrainingPage) -> None:
        self.training = training
        self.page: Page = training.page

    @property
    def slider(self) -> Locator:
        """The timeline, one notch per kept step, reading "Step 5 · epoch 1" (or "Live · …")."""
        return self.page.get_by_role("slider", name="Timeline")

    def button(self, name: str) -> Locator:
        """A button by its name: "Replay", "Live", "Fork from step 5", and so on."""
        return self.page.get_by_role("button", name=name, exact=True)

    def shows_step(self, step: int) -> None:
        """Wait until the slider, the boundary and the network all stand at ``step``."""
        expect(self.slider).to_have_attribute("aria-valuetext", re.compile(rf"^Step {step} ·"))
        expect(self.training.boundary).to_have_accessible_name(re.compile(rf" at step {step}:"))
        expect(self.training.network).to_have_accessible_name(re.compile(rf" at step {step}:"))

    def drag_to(self, fraction: float) -> None:
        """Drag the slider's thumb with the mouse from its live end to ``fraction`` of its track."""
        box = self.slider.bounding_box()
        assert box is not None
        y = box["y"] + box["height"] / 2
        self.page.mouse.move(box["x"] + box["width"] - 4, y)
        self.page.mouse.down()
        self.page.mouse.move(box["x"] + box["width"] * fraction, y, steps=8)
        self.page.mouse.up()

    def boundary_pixels(self) -> str:
        """The boundary's canvas as a data URL."""
        return self.training.boundary.evaluate("canvas => canvas.toDataURL()")

    @property
    def runs(self) -> Locator:
        """The list of runs: "run 2 (current), from run 1 at step 5: lr 0.3, …"."""
        return self.page.get_by_role("list", name="Runs").get_by_role("listitem")

    def overlay(self, what: str) -> Locator:
        """An overlay chart of two runs: "Loss" or "Test accuracy"."""
        return self.page.get_by_role("figure", name=re.compile(rf"^{what} of run"))
