"""A tiny scripted client of the REST API, as a user's script would write it with httpx."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx


class ApiClient:
    """One workspace on a server, driven over HTTP with its token."""

    def __init__(self, url: str, workspace: dict[str, str], client: httpx.Client) -> None:
        self.url = url
        self.id = workspace["id"]
        self.token = workspace["token"]
        self.viewer_token = workspace["viewer_token"]
        self.client = client

    @classmethod
    def create(cls, url: str) -> ApiClient:
        client = httpx.Client(base_url=url, timeout=10)
        response = client.post("/api/workspaces")
        response.raise_for_status()
        return cls(url, response.json(), client)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        """POST to the workspace; a 429 (the page watching it may hold the workspace's turns)
        is sent again after its Retry-After, as a careful script does, up to five times."""
        url = f"/api/workspaces/{self.id}{path}"
        for _ in range(5):
            response = self.client.post(url, json=body, headers=self.headers)
            if response.status_code != 429:
                return response
            time.sleep(float(response.headers.get("Retry-After", "1")))
        return response

    def build_chain(self, length: int, per_request: int = 100) -> str:
        """``length`` gates in a chain from x (y1 = x * 1.01, y2 = y1 + 0.5, …); the last name."""
        self.post(
            "/variables", {"name": "x", "value": 1.0, "requires_grad": True}
        ).raise_for_status()
        previous = "x"
        for start in range(1, length + 1, per_request):
            lines = []
            for i in range(start, min(start + per_request, length + 1)):
                lines.append(f"y{i} = {previous} {'* 1.01' if i % 2 else '+ 0.5'}")
                previous = f"y{i}"
            self.post("/eval", {"source": "\n".join(lines)}).raise_for_status()
        return previous

    def delete(self) -> None:
        """Delete the workspace, as its owner."""
        response = self.client.delete(f"/api/workspaces/{self.id}", headers=self.headers)
        response.raise_for_status()

    def state(self) -> dict[str, Any]:
        response = self.client.get(f"/api/workspaces/{self.id}", headers=self.headers)
        response.raise_for_status()
        return response.json()

    def training(self) -> dict[str, Any]:
        """The training run's status, config included."""
        response = self.client.get(f"/api/workspaces/{self.id}/training", headers=self.headers)
        response.raise_for_status()
        return response.json()

    def events(self, last_event_id: int | None = None) -> Iterator[dict[str, Any]]:
        """Parsed events from the SSE stream, forever; close the generator to disconnect."""
        headers = dict(self.headers)
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        path = f"/api/workspaces/{self.id}/events"
        with (
            httpx.Client(base_url=self.url, timeout=10) as stream_client,
            stream_client.stream("GET", path, headers=headers) as response,
        ):
            response.raise_for_status()
            for line in response.iter_lines():
                if line.startswith("data: "):
                    yield json.loads(line[len("data: ") :])
