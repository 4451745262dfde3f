"""A tensor drawn in full in the inspector: its slice sliders, table or heatmap, and colour bar."""

import re

from playwright.sync_api import Locator, expect


class TensorView:
    """The value or grad of one variable in its open inspector, e.g. ``label="x full value"``."""

    def __init__(self, inspector: Locator, label: str) -> None:
        self.inspector = inspector
        self.label = label

    def slider(self, axis: int) -> Locator:
        """The slider that picks the index along leading ``axis``."""
        return self.inspector.get_by_role("slider", name=f"axis {axis}", exact=True)

    def step_slider(self, axis: int, key: str = "ArrowRight") -> None:
        """Move a slider one step with the keyboard, as a user would."""
        self.slider(axis).focus()
        self.slider(axis).press(key)

    @property
    def slice_shown(self) -> Locator:
        """The index of the slice on screen, written like ``[1, :, :]``."""
        return self.inspector.get_by_label(f"{self.label} slice shown", exact=True)

    @property
    def table(self) -> Locator:
        return self.inspector.get_by_role("table", name=self.label, exact=True)

    def cell(self, text: str) -> Locator:
        """The text of the table cell reading ``text``."""
        return self.table.get_by_role("cell", name=text, exact=True).get_by_text(text, exact=True)

    @property
    def heatmap(self) -> Locator:
        name = re.compile(rf"^{re.escape(self.label)}: heatmap")
        return self.inspector.get_by_role("img", name=name)

    def hover_cell(self, row: int, column: int, rows: int, columns: int) -> Locator:
        """Hover the centre of a heatmap cell and return the tooltip that names it."""
        box = self.heatmap.bounding_box()
        assert box is not None
        x = box["width"] * (column + 0.5) / columns
        y = box["height"] * (row + 0.5) / rows
        self.heatmap.hover(position={"x": x, "y": y})
        tooltip = self.inspector.get_by_role("tooltip")
        expect(tooltip).to_be_visible()
        return tooltip

    @property
    def colour_bar(self) -> Locator:
        return self.inspector.get_by_role("group", name=f"{self.label} colour scale", exact=True)
