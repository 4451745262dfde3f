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

    @property
    def scroll_region(self) -> Locator:
        """The table's scroll area, named once the table overflows it ("W full value table, …")."""
        name = re.compile(rf"^{re.escape(self.label)} table, \d+ columns, scrolls$")
        return self.inspector.get_by_role("region", name=name)

    @property
    def scroll_cue(self) -> Locator:
        """The line under a table wider than the inspector: "8 columns: scroll sideways →…"."""
        return self.inspector.get_by_text(re.compile(r"^\d+ columns: scroll sideways"))

    def cell_is_shown(self, row: int, column: int) -> bool:
        """Whether the table's cell at ``row``, ``column`` lies wholly inside its scroll area."""
        cell = self.table.get_by_role("row").nth(row).get_by_role("cell").nth(column)
        return cell.evaluate(
            """(cell) => {
                const area = cell.closest(".tensor__scroll").getBoundingClientRect();
                const box = cell.getBoundingClientRect();
                return box.left >= area.left - 0.5 && box.right <= area.right + 0.5;
            }"""
        )

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
