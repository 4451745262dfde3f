"""The replay buffer is bounded in bytes as well as in count, and events are encoded once."""

import asyncio

from backend.workspace.events import BUFFER_BYTES, EventHub

BIG = {"values": "x" * (BUFFER_BYTES // 4)}


def buffered_bytes(hub: EventHub) -> int:
    return sum(len(event.sse) for event in hub._buffer)


def test_large_events_are_dropped_from_the_buffer_oldest_first():
    hub = EventHub()
    for _ in range(10):
        hub.publish("variable_created", BIG)
    assert buffered_bytes(hub) <= BUFFER_BYTES
    assert hub.missed_since(9) is not None
    assert hub.missed_since(0) is None  # the first events are gone: a resync is due


def test_a_single_event_larger_than_the_buffer_is_still_replayable():
    hub = EventHub()
    hub.publish("variable_created", {"values": "x" * (BUFFER_BYTES + 1)})
    assert [event.seq for event in hub.missed_since(0)] == [1]


def test_every_subscriber_is_sent_the_same_encoded_text():
    hub = EventHub()

    async def two_subscribers() -> list[str]:
        streams = [hub.stream(None), hub.stream(None)]
        for stream in streams:
            assert await anext(stream) == "retry: 1000\n\n"
        hub.publish("zero_grad", {"variables": ["a"]})
        return [await anext(stream) for stream in streams]

    first, second = asyncio.run(two_subscribers())
    assert first is second
    assert first.startswith("id: 1\nevent: zero_grad\n")


def test_a_buffer_exactly_at_its_byte_limit_keeps_every_event():
    hub = EventHub()
    hub.publish("variable_created", {"v": ""})
    empty = len(hub._buffer[0].sse)
    hub.publish("variable_created", {"v": "x" * (BUFFER_BYTES - 2 * empty)})
    assert buffered_bytes(hub) == BUFFER_BYTES
    assert [event.seq for event in hub._buffer] == [1, 2]


def test_the_byte_count_stays_exact_as_events_are_dropped():
    hub = EventHub()
    for _ in range(50):
        hub.publish("variable_created", BIG)
    assert hub._buffered_bytes == buffered_bytes(hub) <= BUFFER_BYTES
    assert len(hub._buffer) == 3  # a quarter of the limit each: three fit with their headers


def test_two_events_over_the_limit_keep_only_the_newer():
    hub = EventHub()
    half_and_more = {"values": "x" * (BUFFER_BYTES // 2 + 1)}
    hub.publish("variable_created", half_and_more)
    hub.publish("variable_created", half_and_more)
    assert [event.seq for event in hub._buffer] == [2]
