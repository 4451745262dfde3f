"""Pictures of a workspace's graph (SVG, PNG, DOT), drawn by the server without Graphviz.

``graph.py`` reads the workspace into plain data, ``selection.py`` keeps a neighbourhood
and folds groups, ``layout.py`` places the nodes, and one module per format draws them.
"""

from backend.export.graph_picture.picture import PictureOptions, draw

__all__ = ["PictureOptions", "draw"]
