"""Durability over a real server: restart, and SIGKILL mid-stream loses nothing acknowledged."""

import threading

import httpx

from e2e.api_client import ApiClient


def test_restart_keeps_the_workspace(fresh_server):
    fresh_server.start()
    api = ApiClient.create(fresh_server.url)
    api.post("/variables", {"name": "a", "value": 3.0, "requires_grad": True})
    api.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "sq"})
    before = api.state()
    fresh_server.stop()

    fresh_server.start()
    assert api.state() == before


def test_sigkill_mid_stream_loses_no_acknowledged_operation(fresh_server):
    fresh_server.start()
    api = ApiClient.create(fresh_server.url)
    api.post("/variables", {"name": "x", "value": [1.0, 2.0], "requires_grad": True})
    acknowledged: list[str] = []
    stop = threading.Event()

    def write_until_killed() -> None:
        for i in range(100_000):
            if stop.is_set():
                return
            try:
                response = api.post(
                    "/gates", {"gate": "add", "inputs": ["x", float(i)], "output": f"y{i}"}
                )
            except httpx.TransportError:
                return
            if response.status_code == 201:
                acknowledged.append(f"y{i}")

    writer = threading.Thread(target=write_until_killed)
    writer.start()
    while len(acknowledged) < 50:
        threading.Event().wait(0.01)
    fresh_server.kill()
    stop.set()
    writer.join(10)

    fresh_server.start()
    names = {v["name"] for v in api.state()["variables"]}
    assert len(acknowledged) >= 50
    assert set(acknowledged) <= names
    history_outputs = [n["outputs"][0] for n in api.state()["history"]]
    assert history_outputs[: len(acknowledged)] == acknowledged
