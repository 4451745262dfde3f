"""Two real server processes on one PostgreSQL database: a workspace is served by the one
that holds its lease, the other answers 503, and takes it over when the owner dies."""

from __future__ import annotations

import threading
import time

import httpx


class Writer(threading.Thread):
    """Creates variables ``v0``, ``v1``, … one after another until its server stops answering;
    remembers those acknowledged."""

    def __init__(self, url: str, auth: dict[str, str]) -> None:
        super().__init__(daemon=True)
        self.url, self.auth = url, auth
        self.acknowledged: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.url, headers=self.auth, timeout=5) as client:
            for i in range(100_000):
                body = {"name": f"v{i}", "value": [float(i)]}
                try:
                    response = client.post("/variables", json=body)
                except httpx.TransportError:
                    return
                assert response.status_code == 201, response.text
                self.acknowledged.append(body["name"])


def test_a_workspace_is_served_by_its_owner_and_taken_over_when_it_dies(two_servers):
    first, second = (server.url for server in two_servers)
    created = httpx.post(f"{first}/api/workspaces").json()
    path = f"/api/workspaces/{created['id']}"
    auth = {"Authorization": f"Bearer {created['token']}"}
    assert httpx.get(first + path, headers=auth).status_code == 200  # the first serves it

    elsewhere = httpx.get(second + path, headers=auth)
    assert elsewhere.status_code == 503, elsewhere.text
    assert elsewhere.json()["error"]["code"] == "workspace_elsewhere"
    assert 1 <= int(elsewhere.headers["Retry-After"]) <= 2

    writer = Writer(first + path, auth)
    writer.start()
    while len(writer.acknowledged) < 20 and writer.is_alive():
        time.sleep(0.02)
    two_servers[0].kill()
    writer.join(10)
    assert not writer.is_alive() and len(writer.acknowledged) >= 20

    killed = time.monotonic()
    while (answer := httpx.get(second + path, headers=auth)).status_code == 503:
        assert time.monotonic() - killed < 10, "the second process never took over"
        time.sleep(float(answer.headers["Retry-After"]) / 4)
    assert answer.status_code == 200, answer.text
    names = [variable["name"] for variable in answer.json()["variables"]]
    assert set(writer.acknowledged) <= set(names)
    assert len(names) <= len(writer.acknowledged) + 1  # at most the one in flight

    later = {"name": "after", "value": [1.0]}
    assert httpx.post(f"{second}{path}/variables", headers=auth, json=later).status_code == 201


def test_an_import_is_served_from_its_snapshot_by_whichever_process_takes_it(two_servers):
    first, second = (server.url for server in two_servers)
    document = {
        "version": 1,
        "operations": [{"kind": "create_variable", "body": {"name": "a", "value": [1.0, 2.0]}}],
    }
    created = httpx.post(f"{first}/api/workspaces/import", json=document)
    assert created.status_code == 201, created.text
    path = f"/api/workspaces/{created.json()['id']}"
    auth = {"Authorization": f"Bearer {created.json()['token']}"}
    state = httpx.get(second + path, headers=auth)  # held by neither: the second takes it
    assert state.status_code == 200, state.text
    assert [v["value"] for v in state.json()["variables"]] == [[1.0, 2.0]]
    added = httpx.post(f"{second}{path}/variables", json={"name": "b", "value": 3.0}, headers=auth)
    assert added.status_code == 201, added.text
