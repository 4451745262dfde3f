"""Attack 5, the answers built in full: an export, `export.py` and backprop's steps write
every element as JSON text, at about 150 bytes each while built. Their cost is counted
toward the memory budgets from element counts before anything is built, so a viewer's
export of a workspace holding 40 MB is a quick 413 naming the budget, not gigabytes."""

from __future__ import annotations

import time

import httpx

from backend.tests.attacks.conftest import ANSWER_WITHIN_MS, MEMORY_SLACK, Attacked

TENSORS = 5
ELEMENTS = 1_000_000  # the largest tensor allowed: 8 MB each, 40 MB in all


def _timed(call) -> tuple[httpx.Response, float]:
    start = time.monotonic()
    answer = call()
    return answer, (time.monotonic() - start) * 1000


def _refused_for_memory(answer: httpx.Response, took_ms: float) -> float:
    assert answer.status_code == 413, answer.text[:300]
    error = answer.json()["error"]
    assert error["code"] == "workspace_memory"
    assert "GET …/variables/{name}" in error["message"]  # how to get the data otherwise
    assert error["detail"]["needed"] > error["detail"]["limit"] - error["detail"]["held"]
    assert took_ms <= ANSWER_WITHIN_MS, f"the refusal took {took_ms:.0f} ms"
    return took_ms


def test_a_viewers_export_of_a_large_workspace_is_refused_before_it_is_built(
    attacked: Attacked,
):
    http = httpx.Client(base_url=attacked.url, timeout=60)
    created = http.post("/api/workspaces", json={}).json()
    base = f"/api/workspaces/{created['id']}"
    writer = {"Authorization": f"Bearer {created['token']}"}
    for index in range(TENSORS):
        init = {"kind": "randn", "shape": [ELEMENTS], "seed": index}
        body = {"name": f"W{index}", "init": init}
        assert http.post(f"{base}/variables", json=body, headers=writer).status_code == 201
    held = http.get(base, headers=writer).json()["held_bytes"]
    viewer = {"Authorization": f"Bearer {created['viewer_token']}"}
    # Every element can be had by name. Read before the attack: a full 8 MB variable is a
    # legitimate heavy answer that would be counted in the attack's aftermath.
    full = http.get(f"{base}/variables/W0", headers=viewer).json()
    assert len(full["value"]) == ELEMENTS
    with attacked.attack() as window:
        took = [
            _refused_for_memory(
                *_timed(lambda path=path: http.get(f"{base}{path}", headers=viewer))
            )
            for path in ("/export", "/export.py", "/export.py?target=torch")
        ]
    attacked.figures["attacker_ms"] = max(took)
    assert window.growth <= 2 * held + MEMORY_SLACK, f"grew {window.growth / 2**20:.0f} MB"


def test_a_backprop_whose_answer_would_outgrow_the_budget_is_refused_and_changes_nothing(
    attacked: Attacked,
):
    http = httpx.Client(base_url=attacked.url, timeout=60)
    created = http.post("/api/workspaces", json={}).json()
    base = f"/api/workspaces/{created['id']}"
    writer = {"Authorization": f"Bearer {created['token']}"}
    program = f"W = randn({ELEMENTS}, seed=0)\nh = tanh(W)\nloss = sum(h * h)"
    answer = http.post(f"{base}/eval", json={"source": program}, headers=writer)
    assert answer.status_code == 200, answer.text
    before = http.get(base, headers=writer).json()
    with attacked.attack() as window:
        body = {"variable": "loss"}
        took = _refused_for_memory(
            *_timed(lambda: http.post(f"{base}/backprop", json=body, headers=writer))
        )
    attacked.figures["attacker_ms"] = took
    assert window.growth <= 2 * before["held_bytes"] + MEMORY_SLACK
    after = http.get(base, headers=writer).json()
    assert [node["id"] for node in after["tape"]] == [node["id"] for node in before["tape"]]
    assert len(after["tape"]) == 3  # nothing was popped: the backprop can still run elsewhere
