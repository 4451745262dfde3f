"""Workspace URLs: the page's ``/w/{id}#{token}`` parsed and written, and its notebook view."""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Location:
    """Where a workspace lives: the server, its id and the token the URL carries."""

    server: str
    workspace_id: str
    token: str

    def page(self, token: str | None = None) -> str:
        """The page URL, with ``token`` (this location's own by default) after the ``#``."""
        return f"{self.server}/w/{self.workspace_id}#{token or self.token}"


def parse(url: str) -> Location:
    """A workspace or viewer URL, ``http://host/w/{id}#{token}``, as a Location."""
    parts = urlsplit(url)
    segments = parts.path.rstrip("/").split("/")
    if len(segments) < 2 or segments[-2] != "w" or not parts.fragment:
        raise ValueError(f"{url!r} is not a workspace URL like http://host/w/ID#TOKEN")
    prefix = "/".join(segments[:-2])
    return Location(f"{parts.scheme}://{parts.netloc}{prefix}", segments[-1], parts.fragment)


def embedded(url: str, height: int = 600) -> str:
    """HTML that shows the page at ``url`` in a notebook: an iframe, and a link to open it."""
    src = html.escape(url, quote=True)
    return (
        f'<iframe src="{src}" width="100%" height="{height}" '
        'style="border: 1px solid #ccc; border-radius: 4px;" '
        'title="Wengert workspace"></iframe>'
        f'<p><a href="{src}" target="_blank" rel="noopener">Open the workspace in a new tab</a></p>'
    )
