"""Fixtures: the real app on a temporary data directory, driven with FastAPI's TestClient."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.main import create_app
from backend.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


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

    def _auth(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}


@pytest.fixture
def workspace(client: TestClient) -> WorkspaceHandle:
    created = client.post("/api/workspaces").json()
    return WorkspaceHandle(client, created["id"], created["token"], created["viewer_token"])
