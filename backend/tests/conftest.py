"""Fixtures: the real app on a temporary data directory, driven with FastAPI's TestClient."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from backend.http.app import create_app
from backend.settings import Settings
from backend.tests.postgres import (  # noqa: F401 (fixtures)
    database_url,
    postgres_cluster,
    two_servers,
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


INDEX_HTML = "<!doctype html><title>Wengert</title><div id=root></div>"
ASSET_JS = "console.log('wengert');"


@pytest.fixture
def built_client(tmp_path: Path) -> Iterator[TestClient]:
    """A client of an app that serves a small built frontend: index.html and assets/app.js."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / "assets" / "app.js").write_text(ASSET_JS)
    settings = Settings(data_dir=tmp_path / "data", frontend_dist=dist)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def send(
    client: TestClient,
    method: str,
    url: str,
    body: dict | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Any request; an event stream that opens is closed unread, so a test that wrongly
    gets one fails on its unread body instead of waiting forever for the stream's end."""
    with client.stream(method, url, json=body, headers=headers) as response:
        if not response.headers.get("content-type", "").startswith("text/event-stream"):
            response.read()
    return response


@dataclass
class WorkspaceHandle:
    """A created workspace and a client that sends its token."""

    client: TestClient
    id: str
    token: str
    viewer_token: str

    @property
    def base(self) -> str:
        return f"/api/workspaces/{self.id}"

    def post(self, path: str, body: dict, token: str | None = None):
        return self.client.post(self.base + path, json=body, headers=self._auth(token))

    def get(self, path: str = "", token: str | None = None):
        return self.client.get(self.base + path, headers=self._auth(token))

    def request(
        self, method: str, path: str, body: dict | None = None, token: str | None = None
    ) -> Response:
        return send(self.client, method, self.base + path, body, self._auth(token))

    def send_json_text(self, method: str, path: str, text: str | bytes) -> Response:
        """A request whose body is JSON text as written, for bodies ``json=`` cannot make."""
        headers = {**self._auth(None), "Content-Type": "application/json"}
        return self.client.request(method, self.base + path, content=text, headers=headers)

    def _auth(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


def error_of(response: Response) -> tuple[int, str]:
    """The status and code of an error response, once its body is checked against the
    contract: ``{"error": {"code", "message", "detail"}}`` and nothing else."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "detail"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    return response.status_code, body["error"]["code"]


def assert_error(response: Response, status: int, code: str) -> dict:
    """Check an error response's status, code and shape; returns the inner error."""
    assert error_of(response) == (status, code), response.text
    return response.json()["error"]


def snapshot(workspace: WorkspaceHandle) -> tuple[dict, int]:
    """The whole state and the length of the journal, to show a request changed nothing."""
    registry = workspace.client.app.state.registry
    return workspace.get().json(), len(registry.store.operations(workspace.id))


def create_workspace(client: TestClient) -> WorkspaceHandle:
    """A new workspace on the server ``client`` talks to."""
    response = client.post("/api/workspaces")
    assert response.status_code == 201, response.text
    created = response.json()
    return WorkspaceHandle(client, created["id"], created["token"], created["viewer_token"])


@contextmanager
def workspace_with(tmp_path: Path, **limits: int) -> Iterator[WorkspaceHandle]:
    """A new workspace on a server with the given limits."""
    with TestClient(create_app(Settings(data_dir=tmp_path / "data", **limits))) as client:
        yield create_workspace(client)


@pytest.fixture
def workspace(client: TestClient) -> WorkspaceHandle:
    return create_workspace(client)
