"""A picture of the graph the server drew: shown inline in a notebook, saved, or read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict

PictureFormat = Literal["svg", "png", "dot"]


@dataclass(frozen=True)
class GraphPicture:
    """The graph as SVG, PNG or DOT. In Jupyter an SVG or PNG shows itself inline (the
    server drew it: nothing is installed here); ``text`` is an SVG's or DOT's source,
    ``data`` the bytes, ``save(path)`` writes them."""

    format: PictureFormat
    data: bytes

    @property
    def text(self) -> str:
        """The SVG or DOT source; a PNG has none (use ``data``)."""
        if self.format == "png":
            raise ValueError("a PNG is bytes: read .data")
        return self.data.decode()

    def save(self, path: str | Path) -> Path:
        """Write the picture to ``path``; returns it."""
        target = Path(path)
        target.write_bytes(self.data)
        return target

    def _repr_svg_(self) -> str | None:
        return self.text if self.format == "svg" else None

    def _repr_png_(self) -> bytes | None:
        return self.data if self.format == "png" else None

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        # IPython's plain-text view: the DOT source, else a summary (a notebook shows the image).
        text = self.text if self.format == "dot" else repr(self)
        printer.text(text)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"GraphPicture(format={self.format!r}, {len(self.data):,} bytes)"


class PictureOptions(TypedDict, total=False):
    """What ``ws.graph`` may be asked besides the format (the route's query, see /docs)."""

    theme: Literal["light", "dark"]
    """The playground's light (default) or dark colours."""
    include: Iterable[Literal["values", "grads"]]
    """What the cards show besides name, role and shape; both by default."""
    around: str
    """Draw only the variables near this one…"""
    depth: int
    """…at most this many gates away (2 by default)."""
    fold: Iterable[str]
    """Module groups to draw as one card each."""
    scale: float
    """Pixels of a PNG per unit of the SVG (1 by default)."""


def picture_params(format: PictureFormat, options: PictureOptions) -> dict[str, str | list[str]]:
    """The query of ``GET …/graph`` for ``format`` and ``options``."""
    params: dict[str, str | list[str]] = {"format": format}
    for key, value in options.items():
        if key == "include":
            params[key] = ",".join(value)  # type: ignore[arg-type]
        elif key == "fold":
            params[key] = list(value)  # type: ignore[call-overload]
        else:
            params[key] = str(value)
    return params
