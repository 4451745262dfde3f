"""Many scripts at once: requests to one workspace are serialized, with no torn state."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from e2e.api_client import ApiClient

CLIENTS = 8
REQUESTS_EACH = 25


def test_concurrent_gate_applications_are_all_recorded_in_one_order(live_server):
    api = ApiClient.create(live_server)
    api.post("/variables", {"name": "x", "value": [1.0, 2.0, 3.0], "requires_grad": True})

    def apply_many(client_index: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=live_server, timeout=30) as client:
            for i in range(REQUESTS_EACH):
                body = {"gate": "mul", "inputs": ["x", float(i)], "output": f"c{client_index}_{i}"}
                response = client.post(
                    f"/api/workspaces/{api.id}/gates", json=body, headers=api.headers
                )
                statuses.append(response.status_code)
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [s for result in pool.map(apply_many, range(CLIENTS)) for s in result]

    assert statuses == [201] * CLIENTS * REQUESTS_EACH
    state = api.state()
    assert [n["id"] for n in state["history"]] == list(range(1, CLIENTS * REQUESTS_EACH + 1))
    assert len(state["tape"]) == CLIENTS * REQUESTS_EACH
    for node in state["history"]:
        factor = node["inputs"][1]
        output = next(v for v in state["variables"] if v["name"] == node["outputs"][0])
        assert output["value"] == [factor, 2 * factor, 3 * factor]
