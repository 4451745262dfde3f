"""How each kind of node looks in a theme: the colours the page's graph.css gives it."""

from __future__ import annotations

from dataclasses import dataclass

from backend.export.graph_picture.graph import PictureNode
from backend.export.graph_picture.theme import Theme

MONO = "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
SANS = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


@dataclass(frozen=True)
class Look:
    """A node's fill, outline (dashed for consumed gates), left stripe, text and corner radius."""

    fill: str
    stroke: str
    stripe: str | None
    text: str
    radius: float
    dashed: bool = False
    stroke_width: float = 1.0


def look_of(node: PictureNode, theme: Theme) -> Look:
    """The page's look for the node: an accent stripe on a variable's card, a muted card for
    a constant leaf, an accent pill for a gate (dashed once backprop consumed it), anomalies
    outlined in the danger colour."""
    look = _base_look(node, theme)
    if node.anomaly:
        return Look(theme.danger_soft, theme.danger, look.stripe, look.text, look.radius, False, 2)
    return look


def _base_look(node: PictureNode, theme: Theme) -> Look:
    if node.kind == "gate":
        if node.live:
            return Look(theme.accent_soft, theme.accent, None, theme.text, 18, False, 2)
        return Look(theme.surface_muted, theme.muted, None, theme.muted, 18, True, 2)
    if node.kind == "constant":
        return Look(theme.surface_muted, theme.border, None, theme.text, 12, not node.live)
    if node.kind == "group":
        return Look(theme.surface_muted, theme.accent, theme.accent, theme.text, 8, True)
    if node.role == "const":
        return Look(theme.surface_muted, theme.border, theme.border, theme.text, 8)
    return Look(theme.surface, theme.border, theme.accent, theme.text, 8)


def edge_colour(live: bool, theme: Theme) -> str:
    """Edges on the tape in the accent colour, consumed ones muted (as graph.css)."""
    return theme.accent if live else theme.muted
