"""The picture as PNG, drawn with Pillow directly from the same layout as the SVG.

Pillow's wheels carry their own FreeType and a default font, so nothing beyond what a
python:3.11-slim image has is needed (a SVG rasteriser such as cairosvg needs libcairo).
"""

from __future__ import annotations

import io
import itertools

from PIL import Image, ImageDraw, ImageFont

from backend.export.graph_picture.graph import PictureGraph, PictureNode
from backend.export.graph_picture.layout import LINE_HEIGHT, TITLE_HEIGHT, Layout
from backend.export.graph_picture.style import edge_colour, look_of
from backend.export.graph_picture.svg import edge_points, input_counts
from backend.export.graph_picture.theme import Theme

STEP = 2.0
"""Length of the straight pieces a curve is drawn with, in layout units."""


def render_png(graph: PictureGraph, layout: Layout, theme: Theme, scale: float) -> bytes:
    """PNG bytes of ``graph`` placed by ``layout``, ``scale`` pixels per layout unit."""
    image = Image.new("RGB", pixel_size(layout, scale), theme.bg)
    pen = _Pen(ImageDraw.Draw(image), scale)
    counts = input_counts(graph)
    for edge in graph.edges:
        points = _curve(edge_points(edge, layout, counts))
        pen.curve(points, edge_colour(edge.live, theme), dashed=not edge.live)
    for node in graph.nodes:
        _node(pen, node, layout, theme)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=3)  # optimize=True took 10 s on 40 million pixels
    return out.getvalue()


def pixel_size(layout: Layout, scale: float) -> tuple[int, int]:
    """Width and height of the PNG of ``layout`` at ``scale``."""
    return round(layout.width * scale), round(layout.height * scale)


class _Pen:
    """Draws in layout units on an image ``scale`` times larger."""

    def __init__(self, draw: ImageDraw.ImageDraw, scale: float) -> None:
        self.draw, self.scale = draw, scale
        self.font = ImageFont.load_default(size=12 * scale)
        self.bold = ImageFont.load_default(size=13 * scale)

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, y * self.scale

    def curve(self, points: list[tuple[float, float]], colour: str, dashed: bool) -> None:
        scaled = [self._xy(*p) for p in points]
        width = max(1, round(1.5 * self.scale))
        for run in _dashes(scaled, 5 * self.scale, 4 * self.scale) if dashed else [scaled]:
            self.draw.line(
                run, fill=colour, width=width
            )  # one call per dash: Pillow is slow per call
        (ax, ay), (bx, by) = scaled[-2], scaled[-1]
        self._arrowhead(ax, ay, bx, by, colour)

    def _arrowhead(self, ax: float, ay: float, bx: float, by: float, colour: str) -> None:
        length = max(1e-9, ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5)
        ux, uy = (bx - ax) / length, (by - ay) / length
        size = 7 * self.scale
        back = (bx - ux * size, by - uy * size)
        wing = (-uy * size / 2, ux * size / 2)
        corners = [
            (bx, by),
            (back[0] + wing[0], back[1] + wing[1]),
            (back[0] - wing[0], back[1] - wing[1]),
        ]
        self.draw.polygon(corners, fill=colour)

    def box(self, box: tuple[float, float, float, float], radius: float, **style: object) -> None:
        x, y, w, h = box
        self.draw.rounded_rectangle(
            (*self._xy(x, y), *self._xy(x + w, y + h)), radius=radius * self.scale, **style
        )

    def text(
        self, x: float, y: float, text: str, colour: str, anchor: str, bold: bool = False
    ) -> None:
        font = self.bold if bold else self.font
        self.draw.text(self._xy(x, y), text, fill=colour, font=font, anchor=anchor)


def _dashes(
    points: list[tuple[float, float]], on: float, off: float
) -> list[list[tuple[float, float]]]:
    """The pieces of a polyline drawn with the SVG's dash pattern, measured along it."""
    runs: list[list[tuple[float, float]]] = []
    travelled = 0.0
    for start, end in itertools.pairwise(points):
        if travelled % (on + off) < on:
            if runs and runs[-1][-1] == start:
                runs[-1].append(end)
            else:
                runs.append([start, end])
        travelled += ((end[0] - start[0]) ** 2 + (end[1] - start[1]) ** 2) ** 0.5
    return runs


def _curve(points: tuple[tuple[float, float], ...]) -> list[tuple[float, float]]:
    """Points along a cubic Bézier, for Pillow, which draws only straight lines."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    steps = max(8, round((abs(x3 - x0) + abs(y3 - y0)) / STEP))
    samples = []
    for step in range(steps + 1):
        t = step / steps
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
        samples.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
    return samples


def _node(pen: _Pen, node: PictureNode, layout: Layout, theme: Theme) -> None:
    box, look = layout.boxes[node.id], look_of(node, theme)
    x, y, w, h = box.x, box.y, box.width, box.height
    width = max(1, round(look.stroke_width * pen.scale))
    pen.box((x, y, w, h), look.radius, fill=look.fill, outline=look.stroke, width=width)
    if look.stripe is not None:
        pen.box((x, y, 4, h), 0, fill=look.stripe)
    if node.kind in ("gate", "constant"):
        pen.text(x + w / 2, y + h / 2, node.title, look.text, "mm")
        return
    pen.text(x + 12, y + 17, node.title, look.text, "ls", bold=True)
    for i, line in enumerate(node.lines):
        colour = theme.muted if i == 0 else look.text
        pen.text(x + 12, y + TITLE_HEIGHT + LINE_HEIGHT * i + 12, line, colour, "ls")
