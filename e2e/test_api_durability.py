"""Durability over a real server: restart, and SIGKILL mid-stream loses nothing acknowledged."""

import threading
import time

import httpx
import numpy as np

from e2e.api_client import ApiClient

ADAM = {"optimizer": "adam", "lr": 0.1, "params": ["W"]}


def adam_steps(start: np.ndarray, grads: list[np.ndarray], lr: float = 0.1) -> np.ndarray:
    """Adam by the paper's formulas (β1 0.9, β2 0.999, ε 1e-8), one step per gradient."""
    m = v = np.zeros_like(start)
    value = start.copy()
    for t, grad in enumerate(grads, start=1):
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        value = value - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
    return value


def variables(api: ApiClient) -> dict[str, dict]:
    return {v["name"]: v for v in api.state()["variables"]}


def test_restart_keeps_the_workspace(fresh_server):
    fresh_server.start()
    api = ApiClient.create(fresh_server.url)
    api.post("/variables", {"name": "a", "value": 3.0, "requires_grad": True})
    api.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "sq"})
    before = api.state()
    fresh_server.stop()

    fresh_server.start()
    assert api.state() == before


def write_until_killed(api: ApiClient, acknowledged: list[int], stop: threading.Event) -> None:
    """Apply `y{i} = x + i` as fast as the server answers, noting each acknowledged i."""
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
            acknowledged.append(i)


def make_trained_parameter(api: ApiClient) -> None:
    """W = [1, -2] after one Adam step on the gradient [3, 4] of sum(W * [3, 4])."""
    requests = [
        ("/variables", {"name": "W", "value": [1.0, -2.0], "requires_grad": True}),
        ("/variables", {"name": "k", "value": [3.0, 4.0]}),
        ("/eval", {"source": "loss = (W * k).sum()"}),
        ("/backprop", {"variable": "loss"}),
        ("/optimizer/step", ADAM),
    ]
    for path, body in requests:
        response = api.post(path, body)
        assert response.status_code < 300, response.text


def test_sigkill_mid_stream_loses_no_acknowledged_operation(fresh_server):
    fresh_server.start()
    api = ApiClient.create(fresh_server.url)
    make_trained_parameter(api)
    api.post("/variables", {"name": "x", "value": [1.0, 2.0], "requires_grad": True})
    acknowledged: list[int] = []
    stop = threading.Event()
    writer = threading.Thread(target=write_until_killed, args=(api, acknowledged, stop))
    writer.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 50:
        assert time.monotonic() < deadline, f"only {len(acknowledged)} writes in 30 s"
        time.sleep(0.01)
    fresh_server.kill()
    stop.set()
    writer.join(10)

    fresh_server.start()
    restored = variables(api)
    for i in acknowledged:
        assert restored[f"y{i}"]["value"] == [1.0 + i, 2.0 + i]
    assert acknowledged == list(range(len(acknowledged)))
    recorded = [n["outputs"][0] for n in api.state()["history"] if n["outputs"][0][0] == "y"]
    # The last write may have been committed with its answer lost in the kill.
    assert recorded[: len(acknowledged)] == [f"y{i}" for i in acknowledged]
    assert len(recorded) <= len(acknowledged) + 1
    expected_w = adam_steps(np.array([1.0, -2.0]), [np.array([3.0, 4.0])])
    np.testing.assert_allclose(restored["W"]["value"], expected_w, rtol=1e-12)
    assert restored["W"]["grad"] == [3.0, 4.0]

    # The optimizer's moments survived too: a second step from a new gradient moves W as
    # Adam's second step does, not as a fresh optimizer's first.
    for path, body in [
        ("/zero_grad", {}),
        ("/eval", {"source": "loss2 = (W * -1).sum()"}),
        ("/backprop", {"variable": "loss2"}),
        ("/optimizer/step", ADAM),
    ]:
        response = api.post(path, body)
        assert response.status_code < 300, response.text
    grads = [np.array([3.0, 4.0]), np.array([-1.0, -1.0])]
    np.testing.assert_allclose(
        variables(api)["W"]["value"], adam_steps(np.array([1.0, -2.0]), grads), rtol=1e-12
    )
