"""Attack 5: answers outgrowing what the workspace holds. A viewer's GET of a workspace's
state costs about what the workspace holds, not thirty times more as JSON text."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from backend.tests.attacks.conftest import MEMORY_SLACK, Attacked

TENSORS = 5
ELEMENTS = 1_000_000  # the largest tensor allowed: 8 MB each, 40 MB in all


def test_viewers_reading_a_large_workspace_cost_about_what_it_holds(attacked: Attacked):
    http = httpx.Client(base_url=attacked.url, timeout=60)
    created = http.post("/api/workspaces", json={}).json()
    base = f"/api/workspaces/{created['id']}"
    writer = {"Authorization": f"Bearer {created['token']}"}
    for index in range(TENSORS):
        init = {"kind": "randn", "shape": [ELEMENTS], "seed": index}
        body = {"name": f"W{index}", "init": init, "requires_grad": True}
        assert http.post(f"{base}/variables", json=body, headers=writer).status_code == 201
    held = http.get(base, headers=writer).json()["held_bytes"]
    viewer = {"Authorization": f"Bearer {created['viewer_token']}"}
    with attacked.attack() as window, ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: http.get(base, headers=viewer), range(8)))
    assert all(answer.status_code == 200 for answer in answers)
    assert all(len(answer.content) < held / 100 for answer in answers)
    assert window.growth <= 2 * held + MEMORY_SLACK, f"grew {window.growth / 2**20:.0f} MB"
    full = http.get(f"{base}/variables/W0", headers=viewer).json()
    assert len(full["value"]) == ELEMENTS  # every element is still there, by name
