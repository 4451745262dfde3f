"""The live event stream: events in order, and a dropped connection resumed with
Last-Event-ID so that no event is lost or repeated."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator

import pytest
from proxy import CuttableProxy
from wengert_client import Event, Unauthorized, Workspace

from e2e.server import ServerProcess


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[CuttableProxy]:
    cuttable = CuttableProxy(server.port)
    yield cuttable
    cuttable.close()


def _watch(watcher: Workspace, last_event_id: int | None = None) -> queue.Queue[Event]:
    received: queue.Queue[Event] = queue.Queue()

    def run() -> None:
        for event in watcher.events(last_event_id):
            received.put(event)

    threading.Thread(target=run, daemon=True).start()
    return received


def _take(received: queue.Queue[Event], count: int) -> list[Event]:
    return [received.get(timeout=10) for _ in range(count)]


def _wait_until_subscribed(proxy: CuttableProxy, connections: int) -> None:
    deadline = time.monotonic() + 10
    while sum(b"/events" in r for r in proxy.requests) < connections:
        assert time.monotonic() < deadline, "the event stream was not opened"
        time.sleep(0.02)
    time.sleep(0.2)  # the server subscribes it once the request is read


def test_a_dropped_stream_resumes_after_the_last_event_seen(
    ws: Workspace, proxy: CuttableProxy
) -> None:
    watcher = Workspace.open(ws.url.replace(ws.location.server, proxy.url))
    received = _watch(watcher)
    _wait_until_subscribed(proxy, 1)
    a = ws.variable("a", 2.0, requires_grad=True)
    before = _take(received, 1)
    assert before[0].type == "variable_created"

    proxy.cut()
    # Made while the client is disconnected (it waits the server's retry, 1 s, first).
    b = a * a
    b.backprop()

    after: list[Event] = []
    while not after or after[-1].type != "backprop_done":
        after += _take(received, 1)
    ws.delete()
    after += _take(received, 1)
    assert after[-1].type == "deleted"
    ids = [e.id for e in before + after]
    assert ids == list(range(ids[0], ids[0] + len(ids))), "an event was lost or repeated"
    types = [e.type for e in after]
    assert types[0] == "node_recorded"
    assert "backprop_done" in types
    reconnect = [r for r in proxy.requests if b"/events" in r][-1]
    assert f"last-event-id: {before[-1].id}".encode() in reconnect.lower()


def test_events_after_an_id_replays_what_came_since(ws: Workspace) -> None:
    ws.variable("a", 1.0)
    ws.variable("b", 2.0)
    received = _watch(Workspace.open(ws.url), last_event_id=0)
    events = _take(received, 2)
    assert [e.type for e in events] == ["variable_created", "variable_created"]
    assert [e.data["variable"]["name"] for e in events] == ["a", "b"]
    ws.delete()
    assert _take(received, 1)[0].type == "deleted"


def test_a_stream_the_server_refuses_raises_instead_of_retrying(ws: Workspace) -> None:
    ws.transport.token = "not-the-token"
    with pytest.raises(Unauthorized):
        next(ws.events())
