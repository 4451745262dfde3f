"""Many viewers follow a script's changes from its events, without reloading the workspace."""

import re

from playwright.sync_api import BrowserContext, expect

from e2e.api_client import ApiClient
from e2e.pages.workspace import WorkspacePage

VIEWERS = 3

ARANGE_10_BY_10 = {"kind": "arange", "shape": [10, 10]}

# Twenty changes a script makes, each one request. W and V have more elements than an event
# carries (64): viewers load W when they draw it, while V, all ones, is told by its min and max.
CHANGES: list[tuple[str, dict]] = [
    ("/variables", {"name": "x", "value": 2.0, "requires_grad": True}),
    ("/variables", {"name": "y", "value": -3.0, "requires_grad": True}),
    ("/variables", {"name": "W", "init": ARANGE_10_BY_10, "requires_grad": True}),
    ("/gates", {"gate": "mul", "inputs": ["x", "y"], "output": "p"}),
    ("/eval", {"source": "q = p + x"}),
    ("/backprop", {"variable": "q"}),
    ("/eval", {"source": "s = sum(W * W)"}),
    ("/backprop", {"variable": "s"}),
    ("/zero_grad", {"variables": ["x"]}),
    ("/no_grad", {"enabled": True}),
    ("/eval", {"source": "r = x * 10"}),
    ("/no_grad", {"enabled": False}),
    ("/eval", {"source": "x = x + 1"}),
    ("/gates", {"gate": "mul", "inputs": ["x", "y"], "output": "t"}),
    ("/variables", {"name": "V", "init": {"kind": "ones", "shape": [12, 12]}}),
    ("/eval", {"source": "u = t * t"}),
    ("/optimizer/step", {"optimizer": "sgd", "lr": 0.25, "params": ["W"]}),
    ("/zero_grad", {"variables": ["y"]}),
    ("/backprop", {"variable": "u"}),
    ("/variables", {"name": "z", "value": [1.0, "nan", "inf"], "allow_nonfinite": True}),
]

# Variables whose values the events carry in full ("x%401" is x@1 in a URL).
SMALL = {"x", "y", "p", "q", "s", "r", "t", "u", "z", "x%401"}


def send(api: ApiClient, path: str, body: dict) -> None:
    method = api.client.put if path == "/no_grad" else api.client.post
    response = method(f"/api/workspaces/{api.id}{path}", json=body, headers=api.headers)
    assert response.is_success, response.text


def test_every_viewer_follows_twenty_changes_with_at_most_two_state_loads(
    context: BrowserContext, live_server: str
) -> None:
    api = ApiClient.create(live_server)
    viewers = [
        WorkspacePage.open(context.new_page(), api.id, api.viewer_token) for _ in range(VIEWERS)
    ]
    for viewer in viewers:
        expect(viewer.connection).to_have_text("Live updates: live")
    state_loads = [viewer.record_state_loads() for viewer in viewers]
    variable_loads = [viewer.record_variable_loads() for viewer in viewers]

    # One change at a time, as a person or a slow script makes them: each viewer shows one
    # before the next is sent, so no two changes can share a state load.
    for path, body in CHANGES:
        send(api, path, body)
        seq = api.state()["seq"]
        for viewer in viewers:
            viewer.wait_for_event(seq)

    for viewer in viewers:
        expect(viewer.value_of("q")).to_have_text("-4")
        expect(viewer.value_of("x@1")).to_have_text("2")
        expect(viewer.value_of("x")).to_have_text("3")
        expect(viewer.value_of("r")).to_have_text("20")
        expect(viewer.value_of("u")).to_have_text("81")
        # u = t^2 with t = x * y, x = 3, y = -3 (its grad zeroed first) and x = x@1 + 1.
        expect(viewer.grad_of("x")).to_have_text("54")
        expect(viewer.grad_of("y")).to_have_text("-54")
        expect(viewer.grad_of("x@1")).to_have_text("54")
        expect(viewer.value_of("z")).to_have_text("[1, NaN, ∞]")
        # W = arange(100) had grad 2W; one SGD step of 0.25 leaves W / 2.
        expect(viewer.heatmap("W")).to_have_accessible_name("W value: heatmap from 0 to 49.5")
        expect(viewer.heatmap("W", "grad")).to_have_accessible_name("W grad: heatmap from 0 to 198")
        expect(viewer.heatmap("V")).to_have_accessible_name("V value: heatmap from 1 to 1")
        expect(viewer.tape_count).to_have_text(re.compile(r"^Tape: 0 nodes$"))

    loads = [len(seen) for seen in state_loads]
    assert all(count <= 2 for count in loads), f"state loads per viewer for 20 changes: {loads}"
    # Only tensors too large for an event are loaded one by one, and only when they changed.
    for seen in variable_loads:
        loaded = {path.rsplit("/", 1)[-1] for path in seen}
        assert "W" in loaded and not loaded & SMALL, seen
        assert len(seen) < len(CHANGES) / 2, seen
