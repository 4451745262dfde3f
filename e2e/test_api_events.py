"""The live event stream, over a real server: order, numbering, catch-up after reconnect."""

import threading

from e2e.api_client import ApiClient


def collect(api: ApiClient, count: int, last_event_id: int | None = None) -> list[dict]:
    events = []
    stream = api.events(last_event_id)
    for event in stream:
        events.append(event)
        if len(events) == count:
            break
    stream.close()
    return events


def test_every_change_is_streamed_in_order_with_increasing_numbers(live_server):
    api = ApiClient.create(live_server)
    received: list[dict] = []

    def watch() -> None:
        # Last-Event-ID 0: whatever happens before the subscription lands is replayed.
        stream = api.events(last_event_id=0)
        for event in stream:
            received.append(event)
            if event["type"] == "backprop_done":
                break
        stream.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    api.post("/variables", {"name": "a", "value": 3.0, "requires_grad": True})
    api.post("/variables", {"name": "b", "value": 4.0, "requires_grad": True})
    api.post("/gates", {"gate": "mul", "inputs": ["a", "b"], "output": "c"})
    api.post("/backprop", {"variable": "c"})
    watcher.join(10)

    types = [e["type"] for e in received]
    assert types == [
        "variable_created",
        "variable_created",
        "node_recorded",
        "backprop_step",
        "backprop_done",
    ]
    seqs = [e["seq"] for e in received]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # Events carry previews: small tensors' values, with their shape and statistics.
    gradients = received[-1]["gradients"]
    assert {name: preview["values"] for name, preview in gradients.items()} == {
        "a": 4.0,
        "b": 3.0,
        "c": 1.0,
    }


def test_reconnecting_with_last_event_id_gets_what_was_missed(live_server):
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 1.0})
    first = collect(api, 1, last_event_id=0)
    assert first[0]["type"] == "variable_created"

    api.post("/variables", {"name": "b", "value": 2.0})
    api.post("/variables", {"name": "c", "value": 3.0})
    missed = collect(api, 2, last_event_id=first[0]["seq"])

    assert [e["variable"]["name"] for e in missed] == ["b", "c"]
    assert [e["seq"] for e in missed] == [first[0]["seq"] + 1, first[0]["seq"] + 2]


def test_viewer_token_may_subscribe(live_server):
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 1.0})
    api.token = api.viewer_token
    assert collect(api, 1, last_event_id=0)[0]["variable"]["name"] == "a"


def test_deleting_the_workspace_ends_the_stream_with_a_deleted_event(live_server):
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "a", "value": 1.0})
    stream = api.events(last_event_id=0)
    first = next(stream)  # subscribed: the stream replayed what happened so far
    api.client.delete(f"/api/workspaces/{api.id}", headers=api.headers)
    rest = list(stream)  # the server ends the stream after the deleted event
    assert [e["type"] for e in [first, *rest]] == ["variable_created", "deleted"]


def test_a_restarted_server_tells_a_subscriber_behind_it_to_resync(fresh_server):
    fresh_server.start()
    api = ApiClient.create(fresh_server.url)
    api.post("/variables", {"name": "a", "value": 1.0})
    api.post("/variables", {"name": "b", "value": 2.0})
    seen_a = collect(api, 1, last_event_id=0)[0]["seq"]
    fresh_server.stop()
    fresh_server.start()

    # The event that created b was lost with the old process's buffer: only a resync is honest.
    caught_up = collect(api, 1, last_event_id=seen_a)
    assert caught_up == [{"seq": seen_a + 1, "type": "resync"}]


def test_a_subscriber_level_with_a_restarted_server_gets_new_events_without_resync(
    fresh_server,
):
    fresh_server.start()
    api = ApiClient.create(fresh_server.url)
    api.post("/variables", {"name": "a", "value": 1.0})
    seen = collect(api, 1, last_event_id=0)[0]["seq"]
    fresh_server.stop()
    fresh_server.start()
    api.post("/variables", {"name": "b", "value": 2.0})

    caught_up = collect(api, 1, last_event_id=seen)
    assert caught_up[0]["type"] == "variable_created"
    assert caught_up[0]["seq"] == seen + 1
    assert caught_up[0]["variable"]["name"] == "b"
