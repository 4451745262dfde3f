"""A layered left-to-right layout, computed in the server with the page's rules.

Why our own rather than a library: Graphviz is a system binary (the server must not need
it), and the pure-Python graph libraries on PyPI either draw nothing layered (networkx's
layouts are force-directed or need pygraphviz) or are unmaintained (grandalf). The page
lays out with ELK's layered algorithm (frontend/src/graph/elkGraph.ts) and a quick layered
placement of its own (quickLayout.ts); this module follows the same recipe in ~100 lines:
layers by longest path (a leaf or constant just before its first reader, as ELK's
network-simplex layering puts it), order within a layer by the mean place of each node's
inputs (Sugiyama's barycenter heuristic, three sweeps), and each node pulled level with its
inputs where the layer has room. Spacing is ELK's:
28 between nodes of a layer, 56 between layers, 12 around the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.export.graph_picture.graph import PictureGraph, PictureNode

NODE_GAP, LAYER_GAP, PADDING = 28.0, 56.0, 12.0
CHAR_WIDTH = 7.3
"""Width of one character of the 12px monospace text, a little over most such fonts'."""
LINE_HEIGHT, TITLE_HEIGHT = 17.0, 24.0


@dataclass(frozen=True)
class Box:
    """Where a node is drawn: its top-left corner and size."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Layout:
    """Every node's box and the size of the whole drawing."""

    boxes: dict[str, Box]
    width: float
    height: float

    def port(self, node_id: str, index: int, count: int) -> tuple[float, float]:
        """Where input ``index`` of ``count`` enters the node, on its left side."""
        box = self.boxes[node_id]
        return box.x, box.y + box.height * (index + 1) / (count + 1)

    def exit(self, node_id: str) -> tuple[float, float]:
        """Where edges leave the node, in the middle of its right side."""
        box = self.boxes[node_id]
        return box.x + box.width, box.y + box.height / 2


def size_of(node: PictureNode) -> tuple[float, float]:
    """A node's width and height: cards fit their widest line, pills and chips their text."""
    if node.kind == "gate":
        return max(64.0, 8 * len(node.title) + 32), 36.0
    if node.kind == "constant":
        return max(32.0, 8 * len(node.title) + 20), 24.0
    widest = max(len(line) for line in [node.title + "     ", *node.lines])
    return max(184.0, CHAR_WIDTH * widest + 28), TITLE_HEIGHT + LINE_HEIGHT * len(node.lines) + 12


def lay_out(graph: PictureGraph) -> Layout:
    """Boxes for every node of ``graph``, left to right, inputs before the gates they feed."""
    sizes = {n.id: size_of(n) for n in graph.nodes}
    inputs = _inputs(graph)
    layers = _ordered(_layers(graph, inputs), inputs)
    boxes: dict[str, Box] = {}
    x = PADDING
    for layer in layers:
        width = max(sizes[i][0] for i in layer)
        for node_id, y in zip(layer, _rows(layer, sizes, inputs, boxes), strict=True):
            boxes[node_id] = Box(x, y, *sizes[node_id])
        x += width + LAYER_GAP
    return _framed(boxes)


def _inputs(graph: PictureGraph) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
    for edge in graph.edges:
        found[edge.target].append(edge.source)
    return found


def _layers(graph: PictureGraph, inputs: dict[str, list[str]]) -> list[list[str]]:
    """Each node in the layer after its deepest input; a node without inputs in the layer
    before its first reader."""
    depth: dict[str, int] = {}

    def depth_of(node_id: str) -> int:
        # Iterative: a traced model's chain is deeper than Python's recursion limit.
        stack = [node_id]
        while stack:
            top = stack[-1]
            pending = [i for i in inputs[top] if i not in depth]
            if pending:
                stack += pending
                continue
            stack.pop()
            depth[top] = 1 + max((depth[i] for i in inputs[top]), default=-1)
        return depth[node_id]

    for node in graph.nodes:
        depth_of(node.id)
    # A node without inputs (a leaf, a constant) moves to just before its first reader, as
    # ELK's network-simplex layering puts it: short edges, not one long column of leaves.
    readers_depth: dict[str, int] = {}
    for edge in graph.edges:
        if not inputs[edge.source]:
            known = readers_depth.get(edge.source, depth[edge.target])
            readers_depth[edge.source] = min(known, depth[edge.target])
    for node_id, reader in readers_depth.items():
        depth[node_id] = reader - 1
    layers: list[list[str]] = [[] for _ in range(1 + max(depth.values(), default=-1))]
    for node in graph.nodes:
        layers[depth[node.id]].append(node.id)
    return [layer for layer in layers if layer]


def _ordered(layers: list[list[str]], inputs: dict[str, list[str]]) -> list[list[str]]:
    """Layers sorted by the barycenter heuristic: forward by each node's inputs, back by its
    readers, forward again (stable sorts: ties keep the graph's order)."""
    readers: dict[str, list[str]] = {node_id: [] for node_id in inputs}
    for node_id, sources in inputs.items():
        for source in sources:
            readers[source].append(node_id)
    _sweep(layers, inputs)
    _sweep(layers[::-1], readers)
    _sweep(layers, inputs)
    return layers


def _sweep(layers: list[list[str]], neighbours: dict[str, list[str]]) -> None:
    rank: dict[str, float] = {}
    for layer in layers:
        own = {node_id: float(r) for r, node_id in enumerate(layer)}

        def mean_rank(node_id: str, own: dict[str, float] = own) -> float:
            known = [rank[i] for i in neighbours[node_id] if i in rank]
            return sum(known) / len(known) if known else own[node_id]

        layer.sort(key=mean_rank)
        rank.update({node_id: float(r) for r, node_id in enumerate(layer)})


def _rows(
    layer: list[str],
    sizes: dict[str, tuple[float, float]],
    inputs: dict[str, list[str]],
    boxes: dict[str, Box],
) -> list[float]:
    """Top of each node of the layer: level with the middle of its inputs where there is
    room, else just below the node above it."""
    tops = []
    floor = PADDING
    for node_id in layer:
        height = sizes[node_id][1]
        placed = [boxes[i] for i in inputs[node_id] if i in boxes]
        wanted = (
            sum(b.y + b.height / 2 for b in placed) / len(placed) - height / 2 if placed else floor
        )
        top = max(floor, wanted)
        tops.append(top)
        floor = top + height + NODE_GAP
    return tops


def _framed(boxes: dict[str, Box]) -> Layout:
    if not boxes:
        return Layout({}, 2 * PADDING, 2 * PADDING)
    width = max(b.x + b.width for b in boxes.values()) + PADDING
    height = max(b.y + b.height for b in boxes.values()) + PADDING
    return Layout(boxes, width, height)
