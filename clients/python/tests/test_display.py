"""In Jupyter a workspace shows its live page, embedded, and a link to open it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import run_server
from wengert_client import Workspace

from e2e.server import ServerProcess

NOTEBOOK = "http://localhost:8888"


def test_the_notebook_view_embeds_the_viewer_page(ws: Workspace) -> None:
    html = ws._repr_html_()
    assert ws.viewer_url is not None
    assert f'<iframe src="{ws.viewer_url}"' in html
    assert f'<a href="{ws.viewer_url}"' in html
    assert ws.url.startswith(ws.location.server + "/w/" + ws.id + "#")


def test_an_opened_workspace_embeds_its_own_url(ws: Workspace) -> None:
    opened = Workspace.open(ws.url)
    assert f'<iframe src="{ws.url}"' in opened._repr_html_()


@pytest.fixture(scope="module")
def framing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"WENGERT_FRAME_ANCESTORS": NOTEBOOK}
    yield from run_server(Path(tmp_path_factory.mktemp("framing")), env)


def _frame_ancestors(page: str) -> str:
    policy = httpx.get(page.split("#")[0]).headers["content-security-policy"]
    return next(d for d in policy.split(";") if "frame-ancestors" in d).strip()


def test_the_page_can_be_framed_only_where_the_server_allows(
    ws: Workspace, framing_server: ServerProcess
) -> None:
    assert ws.viewer_url is not None
    assert _frame_ancestors(ws.viewer_url) == "frame-ancestors 'none'"
    framed = Workspace.create(framing_server.url)
    assert framed.viewer_url is not None
    assert _frame_ancestors(framed.viewer_url) == f"frame-ancestors {NOTEBOOK}"
