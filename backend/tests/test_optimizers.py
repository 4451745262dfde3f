"""POST /optimizer/step: SGD, momentum and Adam against hand-computed updates; state is kept."""

import math

from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error, snapshot


def square_and_backprop(workspace: WorkspaceHandle, output: str) -> None:
    """loss = w * w, so w.grad = 2w."""
    workspace.post("/gates", {"gate": "mul", "inputs": ["w", "w"], "output": output})
    workspace.post("/backprop", {"variable": output})


def w_value(workspace: WorkspaceHandle) -> float:
    return workspace.get("/variables/w").json()["value"]


def step(workspace: WorkspaceHandle, **body) -> None:
    response = workspace.post("/optimizer/step", {"params": ["w"], **body})
    assert response.status_code == 200, response.text


def test_sgd_moves_against_the_gradient(workspace):
    workspace.post("/variables", {"name": "w", "value": 3.0, "requires_grad": True})
    square_and_backprop(workspace, "l1")
    step(workspace, optimizer="sgd", lr=0.1)
    assert abs(w_value(workspace) - (3.0 - 0.1 * 6.0)) < 1e-12


def test_momentum_keeps_its_velocity_between_steps(workspace):
    workspace.post("/variables", {"name": "w", "value": 1.0, "requires_grad": True})
    square_and_backprop(workspace, "l1")  # grad 2
    step(workspace, optimizer="momentum", lr=0.1, momentum=0.5)  # v = 2, w = 0.8
    workspace.post("/zero_grad", {})
    square_and_backprop(workspace, "l2")  # grad 1.6
    step(workspace, optimizer="momentum", lr=0.1, momentum=0.5)  # v = 0.5*2 + 1.6 = 2.6
    assert abs(w_value(workspace) - (0.8 - 0.1 * 2.6)) < 1e-12


def adam_by_hand(w: float, grads: list[float], lr: float) -> float:
    m = v = 0.0
    for t, g in enumerate(grads, start=1):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def test_adam_state_survives_a_restart(settings, workspace):
    workspace.post("/variables", {"name": "w", "value": 2.0, "requires_grad": True})
    square_and_backprop(workspace, "l1")
    step(workspace, optimizer="adam", lr=0.1)
    first = w_value(workspace)

    with TestClient(create_app(settings)) as restarted:
        again = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        again.post("/zero_grad", {})
        square_and_backprop(again, "l2")
        step(again, optimizer="adam", lr=0.1)
        expected = adam_by_hand(2.0, [4.0, 2 * first], 0.1)
        assert abs(w_value(again) - expected) < 1e-12


def test_a_constant_cannot_be_optimized(workspace):
    workspace.post("/variables", {"name": "w", "value": 2.0})
    response = workspace.post("/optimizer/step", {"optimizer": "sgd", "lr": 0.1, "params": ["w"]})
    assert_error(response, 422, "not_a_parameter")
    assert w_value(workspace) == 2.0


def test_a_step_that_would_write_infinity_is_refused_and_changes_nothing(workspace):
    """The issue's case: z = 0, r = sqrt(z), backprop from r gives z.grad = inf."""
    workspace.post("/variables", {"name": "w", "value": 2.0, "requires_grad": True})
    workspace.post("/variables", {"name": "z", "value": 0.0, "requires_grad": True})
    assert workspace.post("/eval", {"source": "r = sqrt(z) + w"}).status_code == 200
    workspace.post("/backprop", {"variable": "r"})
    before = snapshot(workspace)

    response = workspace.post(
        "/optimizer/step", {"optimizer": "sgd", "lr": 2, "params": ["w", "z"]}
    )

    assert_error(response, 422, "non_finite_step")
    error = response.json()["error"]
    assert error["detail"] == {"optimizer": "sgd", "parameter": "z", "index": []}
    assert "z" in error["message"] and "-inf" in error["message"]
    assert "learning rate" in error["message"]
    assert snapshot(workspace) == before
    # Without z the step goes through.
    step(workspace, optimizer="sgd", lr=2)
    assert w_value(workspace) == 2.0 - 2 * 1.0
