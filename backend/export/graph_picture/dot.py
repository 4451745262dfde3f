"""The picture as Graphviz DOT: Graphviz lays it out itself, so no positions are written;
each module group is a cluster, and colours follow the theme as the SVG's do."""

from __future__ import annotations

from backend.export.graph_picture.graph import PictureGraph, PictureNode
from backend.export.graph_picture.style import MONO, edge_colour, look_of
from backend.export.graph_picture.theme import Theme


def render_dot(graph: PictureGraph, theme: Theme, title: str) -> str:
    """A ``digraph`` of ``graph``, left to right, titled ``title``."""
    lines = [
        "digraph wengert {",
        f"  graph [rankdir=LR, bgcolor={_quoted(theme.bg)}, label={_quoted(title)}, "
        f"fontcolor={_quoted(theme.text)}, fontname={_quoted(MONO)}];",
        f"  node [fontname={_quoted(MONO)}, fontsize=10];",
        "  edge [arrowsize=0.7];",
    ]
    grouped: dict[str | None, list[PictureNode]] = {}
    for node in graph.nodes:
        grouped.setdefault(node.group if node.kind != "group" else None, []).append(node)
    for group, nodes in grouped.items():
        lines += _cluster(group, nodes, theme, len(lines))
    for edge in graph.edges:
        style = "solid" if edge.live else "dashed"
        lines.append(
            f"  {_quoted(edge.source)} -> {_quoted(edge.target)} "
            f"[color={_quoted(edge_colour(edge.live, theme))}, style={style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cluster(group: str | None, nodes: list[PictureNode], theme: Theme, number: int) -> list[str]:
    statements = [_node(node, theme) for node in nodes]
    if group is None:
        return ["  " + s for s in statements]
    return [
        f"  subgraph cluster_{number} {{",
        f"    label={_quoted(group)}; color={_quoted(theme.border)}; "
        f"fontcolor={_quoted(theme.muted)};",
        *("    " + s for s in statements),
        "  }",
    ]


def _node(node: PictureNode, theme: Theme) -> str:
    look = look_of(node, theme)
    label = "\\n".join(_escaped(t) for t in [_heading(node), *_body(node)])
    shape = {"gate": "box", "constant": "ellipse"}.get(node.kind, "box")
    style = ",".join(["filled", "rounded", *(["dashed"] if look.dashed else [])])
    return (
        f'{_quoted(node.id)} [label="{label}", shape={shape}, style={_quoted(style)}, '
        f"fillcolor={_quoted(look.fill)}, color={_quoted(look.stroke)}, "
        f"fontcolor={_quoted(look.text)}, penwidth={look.stroke_width}];"
    )


def _heading(node: PictureNode) -> str:
    return f"{node.title} {node.lines[0]}" if node.kind == "gate" else node.title


def _body(node: PictureNode) -> list[str]:
    return [] if node.kind in ("gate", "constant") else node.lines


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _quoted(text: str) -> str:
    return f'"{_escaped(text)}"'
