"""The event hub and stream: numbered events, catching up after a reconnect, or a resync."""

import asyncio
import json
import re
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error, send
from backend.workspace import events
from backend.workspace.events import BUFFER_SIZE, EventHub

T = TypeVar("T")


def run(scenario: Coroutine[Any, Any, T]) -> T:
    """Run an async scenario; a stream that never ends fails it instead of hanging."""
    return asyncio.run(asyncio.wait_for(scenario, timeout=10))


def parsed(text: str) -> tuple[int, str, dict]:
    """An SSE event's id, type and data."""
    fields = dict(line.split(": ", 1) for line in text.strip("\n").split("\n"))
    return int(fields["id"]), fields["event"], json.loads(fields["data"])


async def reconnect(hub: EventHub, last_seen: int | None) -> list[str]:
    """Everything a subscriber reconnecting with ``last_seen`` receives before a last
    ``deleted`` event ends its stream, that event excluded."""
    stream = hub.stream(last_seen)
    assert await anext(stream) == "retry: 1000\n\n"  # subscribed from here on
    # The loop runs this at the stream's first real wait: once it has sent all it had to.
    asyncio.get_running_loop().call_soon(hub.publish, "deleted", {})
    received = [text async for text in stream]
    assert parsed(received[-1])[1] == "deleted"
    return received[:-1]


def kinds(texts: list[str]) -> list[tuple[int, str]]:
    return [parsed(text)[:2] for text in texts]


def hub_with(count: int) -> EventHub:
    hub = EventHub()
    for n in range(1, count + 1):
        hub.publish("node_recorded", {"n": n})
    return hub


def test_events_are_numbered_from_one_in_the_order_published():
    hub = hub_with(3)
    assert [(e.seq, e.data) for e in hub.missed_since(0)] == [
        (1, {"n": 1}),
        (2, {"n": 2}),
        (3, {"n": 3}),
    ]
    assert hub.last_seq == 3


def test_nothing_is_missed_since_the_last_event():
    assert hub_with(3).missed_since(3) == []
    assert EventHub(last_seq=7).missed_since(7) == []


def test_an_event_is_sent_as_sse_with_its_id_type_and_data():
    event = hub_with(1).missed_since(0)[0]
    assert event.sse == (
        'id: 1\nevent: node_recorded\ndata: {"seq": 1, "type": "node_recorded", "n": 1}\n\n'
    )


def test_a_new_subscriber_gets_only_what_happens_next():
    assert run(reconnect(hub_with(3), None)) == []


def test_a_subscriber_that_saw_everything_gets_nothing_again():
    assert run(reconnect(hub_with(3), 3)) == []


def test_a_reconnect_within_the_buffer_gets_exactly_the_missed_events_in_order():
    received = run(reconnect(hub_with(5), 2))
    assert [parsed(text) for text in received] == [
        (n, "node_recorded", {"seq": n, "type": "node_recorded", "n": n}) for n in (3, 4, 5)
    ]


def test_a_reconnect_at_the_oldest_buffered_event_replays_the_whole_buffer():
    hub = hub_with(BUFFER_SIZE + 5)
    received = run(reconnect(hub, 5))
    assert [seq for seq, _ in kinds(received)] == list(range(6, BUFFER_SIZE + 6))


def test_a_reconnect_after_a_buffer_overrun_gets_exactly_a_resync():
    hub = hub_with(BUFFER_SIZE + 5)
    assert kinds(run(reconnect(hub, 4))) == [(BUFFER_SIZE + 5, "resync")]


@pytest.mark.parametrize("last_seen", [0, 3, 6])
def test_a_reconnect_to_a_restarted_hub_gets_exactly_a_resync(last_seen):
    """After a restart the hub goes on from the journaled number with an empty buffer."""
    assert kinds(run(reconnect(EventHub(last_seq=7), last_seen))) == [(7, "resync")]


def test_a_reconnect_with_an_id_the_hub_never_gave_gets_exactly_a_resync():
    assert kinds(run(reconnect(hub_with(3), 10))) == [(3, "resync")]


def test_live_events_follow_a_resync():
    async def scenario() -> list[tuple[int, str]]:
        hub = EventHub(last_seq=7)
        stream = hub.stream(2)
        await anext(stream)
        hub.publish("zero_grad", {})
        hub.publish("deleted", {})
        return kinds([text async for text in stream])

    assert run(scenario()) == [(7, "resync"), (8, "zero_grad"), (9, "deleted")]


def test_an_event_published_while_catching_up_is_sent_once_in_order():
    async def scenario() -> list[tuple[int, str]]:
        hub = hub_with(3)
        stream = hub.stream(1)
        await anext(stream)
        hub.publish("zero_grad", {})  # after subscribing, before the missed ones are sent
        hub.publish("deleted", {})
        return kinds([text async for text in stream])

    assert run(scenario()) == [
        (2, "node_recorded"),
        (3, "node_recorded"),
        (4, "zero_grad"),
        (5, "deleted"),
    ]


def test_events_published_from_another_thread_reach_the_subscriber():
    async def scenario() -> list[tuple[int, str]]:
        hub = EventHub()
        stream = hub.stream(None)
        await anext(stream)
        await asyncio.to_thread(hub.publish, "zero_grad", {"variables": []})
        await asyncio.to_thread(hub.publish, "deleted", {})
        return kinds([text async for text in stream])

    assert run(scenario()) == [(1, "zero_grad"), (2, "deleted")]


def test_a_quiet_stream_sends_a_keep_alive_every_15_seconds(monkeypatch):
    """Waiting 15 s is too slow for a test: the wait is spied on and cut short."""
    waits: list[float] = []

    async def no_event_in_time(awaitable, timeout: float):
        waits.append(timeout)
        awaitable.close()
        raise TimeoutError

    async def scenario() -> list[str]:
        stream = EventHub().stream(None)
        await anext(stream)
        monkeypatch.setattr(events.asyncio, "wait_for", no_event_in_time)
        return [await anext(stream), await anext(stream)]

    assert run(scenario()) == [": keep-alive\n\n"] * 2
    assert waits == [15.0, 15.0]


def test_a_closed_stream_stops_receiving_events():
    async def scenario() -> EventHub:
        hub = EventHub()
        stream = hub.stream(None)
        await anext(stream)
        await stream.aclose()
        return hub

    hub = run(scenario())
    hub.publish("zero_grad", {})  # with a subscriber left behind, this would need its loop
    assert hub.last_seq == 1


def test_a_subscriber_that_falls_a_queue_cap_behind_is_dropped_and_its_queue_freed():
    async def scenario() -> tuple[list[tuple[int, str]], int]:
        hub = EventHub(queue_bytes=2_000)
        stream = hub.stream(None)
        await anext(stream)
        for n in range(50):  # about 4 KB: twice the cap, and none of it read yet
            await asyncio.to_thread(hub.publish, "node_recorded", {"n": n})
        received = kinds([text async for text in stream])  # ends: no "deleted" needed
        return received, len(hub._subscribers)

    received, subscribers = run(scenario())
    assert received == []  # dropped: it catches up by reconnecting with Last-Event-ID
    assert subscribers == 0


def test_a_subscriber_that_keeps_up_gets_an_event_larger_than_the_queue_cap():
    async def scenario() -> list[tuple[int, str]]:
        hub = EventHub(queue_bytes=1_000)
        stream = hub.stream(None)
        await anext(stream)
        hub.publish("backprop_done", {"gradients": "x" * 5_000})
        received = [await anext(stream)]
        hub.publish("deleted", {})
        return kinds(received + [text async for text in stream])

    assert run(scenario()) == [(1, "backprop_done"), (2, "deleted")]


def test_a_write_hands_over_once_per_event_loop_however_many_subscribers(monkeypatch):
    async def scenario() -> int:
        hub = EventHub()
        streams = [hub.stream(None) for _ in range(100)]
        for stream in streams:
            await anext(stream)
        loop = asyncio.get_running_loop()
        handed_over = []
        original = loop.call_soon_threadsafe
        monkeypatch.setattr(
            loop, "call_soon_threadsafe", lambda *a: handed_over.append(a) or original(*a)
        )
        await asyncio.to_thread(hub.publish, "zero_grad", {})
        return sum(callback is events._deliver for callback, *_ in handed_over)

    assert run(scenario()) == 1


def test_the_stream_route_asks_proxies_and_caches_not_to_hold_events_back(workspace):
    with workspace.client.stream(
        "GET", workspace.base + "/events", headers=workspace._auth(None)
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"


def test_a_browser_reconnecting_after_a_restart_is_told_to_resync(settings, workspace):
    assert workspace.post("/variables", {"name": "a", "value": 1.0}).status_code == 201
    headers = {"Authorization": f"Bearer {workspace.token}", "Last-Event-ID": "0"}
    with (
        TestClient(create_app(settings)) as restarted,
        restarted.stream("GET", workspace.base + "/events", headers=headers) as response,
    ):
        lines = response.iter_lines()
        assert next(lines) == "retry: 1000"
        assert next(lines) == ""
        assert [next(lines) for _ in range(2)] == ["id: 1", "event: resync"]


def test_a_last_event_id_that_is_not_a_number_is_422_naming_the_header(
    workspace: WorkspaceHandle,
):
    headers = {**workspace._auth(None), "Last-Event-ID": "abc"}
    response = workspace.client.get(workspace.base + "/events", headers=headers)
    error = assert_error(response, 422, "invalid_request")
    assert error["detail"][0]["field"] == "Last-Event-ID"


def test_the_stream_takes_exactly_the_last_event_ids_its_document_allows(
    workspace: WorkspaceHandle,
):
    # The document is the contract clients are generated from: a value it allows must open
    # the stream, and one it refuses must be a 422 (it once allowed null, which the server
    # refused).
    spec = workspace.client.get("/openapi.json").json()
    operation = spec["paths"]["/api/workspaces/{workspace_id}/events"]["get"]
    (header,) = [p for p in operation["parameters"] if p["name"] == "Last-Event-ID"]
    for value in ["", "0", "17", "null", "abc", "-1", "1.5", " 2"]:
        allowed = re.fullmatch(header["schema"]["pattern"], value) is not None
        headers = {**workspace._auth(None), "Last-Event-ID": value}
        response = send(workspace.client, "GET", workspace.base + "/events", headers=headers)
        assert response.status_code == (200 if allowed else 422), value
    assert header["schema"]["type"] == "string"
