"""A picture of a workspace's graph: read, select, fold, lay out, draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from backend.errors import NotFound, TooLarge
from backend.export.graph_picture.dot import render_dot
from backend.export.graph_picture.graph import Include, PictureGraph, graph_of, variable_id
from backend.export.graph_picture.layout import lay_out
from backend.export.graph_picture.png import pixel_size, render_png
from backend.export.graph_picture.selection import around, fold, groups_of
from backend.export.graph_picture.svg import render_svg
from backend.export.graph_picture.theme import THEMES, ThemeName
from backend.workspace.workspace import Workspace

Format = Literal["svg", "png", "dot"]
MEDIA_TYPES: dict[Format, str] = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "dot": "text/vnd.graphviz",
}
MAX_NODES = 4000
"""More boxes than this make a picture nobody can read: fold groups or pick a neighbourhood."""
MAX_PIXELS = 50_000_000
"""A PNG larger than this (about 7000 × 7000) is refused: lower ``scale``."""


@dataclass(frozen=True)
class PictureOptions:
    """What to draw and how: the query parameters of ``GET …/graph``."""

    format: Format = "svg"
    theme: ThemeName = "light"
    include: Include = frozenset({"values", "grads"})
    around: str | None = None
    depth: int = 2
    fold: tuple[str, ...] = field(default_factory=tuple)
    scale: float = 1.0


def draw(ws: Workspace, options: PictureOptions) -> bytes:
    """The picture of ``ws`` in ``options.format``; 404 for an unknown ``around`` variable or
    ``fold`` group, 413 when it would be too large to draw."""
    graph = _selected(graph_of(ws, options.include), options)
    if len(graph.nodes) > MAX_NODES:
        raise TooLarge(
            "picture_too_large",
            f"the picture would hold {len(graph.nodes)} boxes, over {MAX_NODES}: fold groups "
            "(fold=…) or draw a neighbourhood (around=…&depth=…)",
            {"nodes": len(graph.nodes), "limit": MAX_NODES},
        )
    theme, title = THEMES[options.theme], f"Wengert workspace {ws.id}"
    if options.format == "dot":
        return render_dot(graph, theme, title).encode()
    layout = lay_out(graph)
    if options.format == "svg":
        return render_svg(graph, layout, theme, title).encode()
    _check_pixels(*pixel_size(layout, options.scale))
    return render_png(graph, layout, theme, options.scale)


def _selected(graph: PictureGraph, options: PictureOptions) -> PictureGraph:
    if options.around is not None:
        if not any(n.id == variable_id(options.around) for n in graph.nodes):
            message = f"no variable named {options.around!r}"
            raise NotFound("variable_not_found", message, {"field": "around"})
        graph = around(graph, options.around, options.depth)
    known = groups_of(graph)
    for group in options.fold:
        if group not in known:
            message = f"no group named {group!r} in the picture"
            raise NotFound("group_not_found", message, {"field": "fold", "known": sorted(known)})
        graph = fold(graph, group)
    return graph


def _check_pixels(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise TooLarge(
            "picture_too_large",
            f"the PNG would be {width} × {height} pixels, over {MAX_PIXELS:,}: lower scale",
            {"width": width, "height": height, "limit": MAX_PIXELS},
        )
