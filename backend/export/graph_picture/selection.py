"""Parts of a picture: the neighbourhood of one variable, and module groups folded to a card."""

from __future__ import annotations

from backend.export.graph_picture.graph import PictureEdge, PictureGraph, PictureNode, variable_id


def around(graph: PictureGraph, name: str, depth: int) -> PictureGraph:
    """The variables at most ``depth`` gates away from ``name`` (upstream or downstream), the
    gates between them and their constants. ``name`` must be a variable of the graph."""
    reached = {variable_id(name)}
    frontier = set(reached)
    for _ in range(depth):
        gates = _neighbours(graph, frontier, "gate")
        frontier = _neighbours(graph, gates, "variable") - reached
        reached |= gates | frontier
    gates = {n.id for n in graph.nodes if n.kind == "gate" and n.id in reached}
    constants = {
        e.source for e in graph.edges if e.target in gates and e.source.startswith("const:")
    }
    return _keep(graph, reached | constants)


def _neighbours(graph: PictureGraph, ids: set[str], kind: str) -> set[str]:
    kinds = {n.id: n.kind for n in graph.nodes}
    found = {e.target for e in graph.edges if e.source in ids}
    found |= {e.source for e in graph.edges if e.target in ids}
    return {i for i in found if kinds[i] == kind}


def _keep(graph: PictureGraph, ids: set[str]) -> PictureGraph:
    nodes = [n for n in graph.nodes if n.id in ids]
    edges = [e for e in graph.edges if e.source in ids and e.target in ids]
    return PictureGraph(nodes, edges)


def in_group(node: PictureNode, group: str) -> bool:
    """True when the node belongs to ``group`` or to a module inside it (``enc`` holds
    ``enc.layer1``)."""
    return node.group is not None and (node.group == group or node.group.startswith(group + "."))


def fold(graph: PictureGraph, group: str) -> PictureGraph:
    """The graph with the nodes of ``group`` replaced by one card where the first of them
    was; edges into and out of the group go to the card, once per pair of ends."""
    members = [n for n in graph.nodes if in_group(n, group)]
    if not members:
        return graph
    card_id = f"group:{group}"
    gates = sum(1 for n in members if n.kind == "gate")
    card = PictureNode(card_id, "group", group, [f"{gates} gates · folded"])
    card.group = group.rpartition(".")[0] or None
    card.live = any(n.live for n in members if n.kind == "gate")
    card.anomaly = any(n.anomaly for n in members)
    inside = {n.id for n in members}
    nodes = [
        card if n is members[0] else n for n in graph.nodes if n is members[0] or n.id not in inside
    ]
    edges: dict[PictureEdge, None] = {}  # ordered and without repeats
    for edge in graph.edges:
        moved = PictureEdge(
            card_id if edge.source in inside else edge.source,
            card_id if edge.target in inside else edge.target,
            0 if edge.target in inside else edge.port,
            edge.live,
        )
        if moved.source != moved.target:
            edges[moved] = None
    return PictureGraph(nodes, list(edges))


def groups_of(graph: PictureGraph) -> set[str]:
    """Every group a node names, with the modules around it (``enc.layer1`` gives ``enc``)."""
    found: set[str] = set()
    for node in graph.nodes:
        parts = (node.group or "").split(".")
        found |= {".".join(parts[: i + 1]) for i in range(len(parts)) if node.group}
    return found
