"""Events say what changed without carrying large tensors; clients fetch those by name,
and ask again for free until they change (ETag)."""

import json

from backend.workspace.views import PREVIEW_ELEMENTS


def events_of(client, workspace) -> list[dict]:
    hub = client.app.state.registry.authorize(workspace.id, workspace.token)[0].events
    return [json.loads(e.sse.split("data: ", 1)[1]) | {"bytes": len(e.sse)} for e in hub._buffer]


def test_a_large_variable_is_announced_by_its_shape_and_statistics(client, workspace):
    created = workspace.post(
        "/variables", {"name": "big", "init": {"kind": "ones", "shape": [1000, 200]}}
    )
    assert created.status_code == 201
    [event] = events_of(client, workspace)
    assert event["bytes"] < 1000  # the tensor itself would take about 800 kB
    assert event["variable"]["value"] == {
        "shape": [1000, 200],
        "values": None,
        "min": 1.0,
        "max": 1.0,
        "mean": 1.0,
    }


def test_small_tensors_travel_in_full(client, workspace):
    workspace.post("/variables", {"name": "a", "value": [1.0, -2.0], "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "sq"})
    workspace.post("/backprop", {"variable": "sq", "seed": [1.0, 1.0]})
    created, recorded, step, done = events_of(client, workspace)
    assert created["variable"]["value"]["values"] == [1.0, -2.0]
    assert recorded["outputs"][0]["value"]["values"] == [1.0, 4.0]
    assert step["grads"]["a"]["values"] == [2.0, -4.0]  # d(a*a)/da = 2a, both edges summed
    assert step["upstream"]["sq"]["values"] == [1.0, 1.0]  # the seed flows in
    assert step["accumulated"]["a"]["values"] == [2.0, -4.0]
    assert done["gradients"]["a"] == {
        "shape": [2],
        "values": [2.0, -4.0],
        "min": -4.0,
        "max": 2.0,
        "mean": -1.0,
    }


def test_previews_stop_at_the_limit(client, workspace):
    for name, size in (("edge", PREVIEW_ELEMENTS), ("over", PREVIEW_ELEMENTS + 1)):
        workspace.post("/variables", {"name": name, "init": {"kind": "zeros", "shape": [size]}})
    edge, over = events_of(client, workspace)
    assert edge["variable"]["value"]["values"] == [0.0] * PREVIEW_ELEMENTS
    assert over["variable"]["value"]["values"] is None


def test_a_tensor_fetched_again_unchanged_costs_a_304(workspace):
    workspace.post("/variables", {"name": "w", "value": [1.0, 2.0], "requires_grad": True})
    first = workspace.get("/variables/w")
    etag = first.headers["ETag"]
    again = workspace.client.get(
        f"{workspace.base}/variables/w",
        headers={"Authorization": f"Bearer {workspace.token}", "If-None-Match": etag},
    )
    assert (again.status_code, again.content) == (304, b"")

    workspace.post("/eval", {"source": "loss = sum(w * w)"})
    workspace.post("/backprop", {"variable": "loss"})
    changed = workspace.client.get(
        f"{workspace.base}/variables/w",
        headers={"Authorization": f"Bearer {workspace.token}", "If-None-Match": etag},
    )
    assert changed.status_code == 200
    assert changed.json()["grad"] == [2.0, 4.0]
    assert changed.headers["ETag"] != etag


def test_the_npy_form_has_its_own_etag(workspace):
    workspace.post("/variables", {"name": "w", "value": [1.0, 2.0]})
    as_json = workspace.get("/variables/w").headers["ETag"]
    as_npy = workspace.client.get(
        f"{workspace.base}/variables/w",
        headers={"Authorization": f"Bearer {workspace.token}", "Accept": "application/x-npy"},
    )
    assert as_npy.status_code == 200
    assert as_npy.headers["ETag"] != as_json
