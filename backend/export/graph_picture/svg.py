"""The picture as standalone SVG: no scripts, no external files, generic font families."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from backend.export.graph_picture.graph import PictureEdge, PictureGraph, PictureNode
from backend.export.graph_picture.layout import LINE_HEIGHT, TITLE_HEIGHT, Layout
from backend.export.graph_picture.style import MONO, edge_colour, look_of
from backend.export.graph_picture.theme import Theme


def render_svg(graph: PictureGraph, layout: Layout, theme: Theme, title: str) -> str:
    """An SVG document of ``graph`` placed by ``layout``, titled ``title``."""
    counts = input_counts(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width:.0f}" '
        f'height="{layout.height:.0f}" viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" '
        f'font-family={quoteattr(MONO)} font-size="12">',
        f"<title>{escape(title)}</title>",
        _arrowheads(theme),
        f'<rect width="100%" height="100%" fill="{theme.bg}"/>',
    ]
    parts += [_edge(edge, layout, counts, theme) for edge in graph.edges]
    parts += [_node(node, layout, theme) for node in graph.nodes]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def input_counts(graph: PictureGraph) -> dict[str, int]:
    """How many input ports each node shows: one past the highest port an edge enters."""
    counts: dict[str, int] = {}
    for edge in graph.edges:
        counts[edge.target] = max(counts.get(edge.target, 0), edge.port + 1)
    return counts


def edge_points(
    edge: PictureEdge, layout: Layout, counts: dict[str, int]
) -> tuple[tuple[float, float], ...]:
    """The cubic Bézier of an edge: its start, two control points and its end."""
    (x0, y0), (x1, y1) = (
        layout.exit(edge.source),
        layout.port(edge.target, edge.port, counts[edge.target]),
    )
    bend = max(24.0, (x1 - x0) / 2)
    return (x0, y0), (x0 + bend, y0), (x1 - bend, y1), (x1, y1)


def _arrowheads(theme: Theme) -> str:
    markers = [
        f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{edge_colour(kind == "live", theme)}"/></marker>'
        for kind in ("live", "consumed")
    ]
    return "<defs>" + "".join(markers) + "</defs>"


def _edge(edge: PictureEdge, layout: Layout, counts: dict[str, int], theme: Theme) -> str:
    (x0, y0), (ax, ay), (bx, by), (x1, y1) = edge_points(edge, layout, counts)
    kind = "live" if edge.live else "consumed"
    dash = "" if edge.live else ' stroke-dasharray="5 4"'
    return (
        f'<path d="M{x0:.1f},{y0:.1f} C{ax:.1f},{ay:.1f} {bx:.1f},{by:.1f} {x1:.1f},{y1:.1f}" '
        f'fill="none" stroke="{edge_colour(edge.live, theme)}" stroke-width="1.5"{dash} '
        f'marker-end="url(#arrow-{kind})"/>'
    )


def _node(node: PictureNode, layout: Layout, theme: Theme) -> str:
    box, look = layout.boxes[node.id], look_of(node, theme)
    dash = ' stroke-dasharray="5 3"' if look.dashed else ""
    shapes = [
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{box.height:.1f}" '
        f'rx="{look.radius}" fill="{look.fill}" stroke="{look.stroke}" '
        f'stroke-width="{look.stroke_width}"{dash}/>'
    ]
    if look.stripe is not None:
        shapes.append(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="4" height="{box.height:.1f}" '
            f'fill="{look.stripe}"/>'
        )
    shapes += _texts(node, box.x, box.y, box.width, box.height, look.text, theme.muted)
    label = quoteattr(f"{node.kind} {node.title}")
    return f"<g id={quoteattr(node.id)} aria-label={label}>" + "".join(shapes) + "</g>"


def _texts(
    node: PictureNode, x: float, y: float, width: float, height: float, colour: str, muted: str
) -> list[str]:
    if node.kind in ("gate", "constant"):
        return [
            f'<text x="{x + width / 2:.1f}" y="{y + height / 2 + 4:.1f}" text-anchor="middle" '
            f'fill="{colour}">{escape(node.title)}</text>'
        ]
    texts = [
        f'<text x="{x + 12:.1f}" y="{y + 17:.1f}" font-weight="bold" fill="{colour}">'
        f"{escape(node.title)}</text>"
    ]
    for i, line in enumerate(node.lines):
        line_y = y + TITLE_HEIGHT + LINE_HEIGHT * i + 12
        texts.append(
            f'<text x="{x + 12:.1f}" y="{line_y:.1f}" fill="{muted if i == 0 else colour}">'
            f"{escape(line)}</text>"
        )
    return texts
