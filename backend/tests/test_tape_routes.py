"""Backprop, zero_grad and no-grad mode over REST."""

from backend.tests.conftest import WorkspaceHandle, assert_error


def scalar(workspace: WorkspaceHandle, name: str, value: float, requires_grad: bool = True):
    body = {"name": name, "value": value, "requires_grad": requires_grad}
    assert workspace.post("/variables", body).status_code == 201


def grads(workspace: WorkspaceHandle) -> dict[str, float]:
    return {v["name"]: v["grad"] for v in workspace.get().json()["variables"]}


def test_gradients_accumulate_across_backprops_until_zero_grad(workspace):
    scalar(workspace, "x", 3.0)
    for output in ("y1", "y2"):
        workspace.post("/gates", {"gate": "mul", "inputs": ["x", "x"], "output": output})
        workspace.post("/backprop", {"variable": output})
    assert grads(workspace)["x"] == 12.0  # 2x twice

    response = workspace.post("/zero_grad", {})
    assert response.status_code == 200
    assert grads(workspace)["x"] == 0.0


def test_zero_grad_of_listed_variables_leaves_the_rest(workspace):
    scalar(workspace, "a", 3.0)
    scalar(workspace, "b", 4.0)
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "b"], "output": "c"})
    workspace.post("/backprop", {"variable": "c"})
    workspace.post("/zero_grad", {"variables": ["a"]})
    assert grads(workspace)["a"] == 0.0 and grads(workspace)["b"] == 3.0


def test_zero_grad_of_unknown_variable_is_422_and_changes_nothing(workspace):
    scalar(workspace, "a", 3.0)
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "c"})
    workspace.post("/backprop", {"variable": "c"})
    response = workspace.post("/zero_grad", {"variables": ["a", "nope"]})
    error = assert_error(response, 422, "unknown_variable")
    assert error["detail"] == {"field": "variables.1", "name": "nope"}
    assert grads(workspace)["a"] == 6.0


def test_no_grad_mode_records_nothing(workspace):
    scalar(workspace, "a", 3.0)
    response = workspace.client.put(
        workspace.base + "/no_grad", json={"enabled": True}, headers=workspace._auth(None)
    )
    assert response.json()["no_grad"] is True
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "c"})
    state = workspace.get().json()
    assert state["tape"] == []
    assert [n["on_tape"] for n in state["history"]] == [False]
    c = next(v for v in state["variables"] if v["name"] == "c")
    assert c["value"] == 9.0 and c["requires_grad"] is False


def test_backprop_with_seed_scales_the_gradient(workspace):
    workspace.post("/variables", {"name": "x", "value": [1.0, 2.0], "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["x", 3.0], "output": "y"})
    response = workspace.post("/backprop", {"variable": "y", "seed": [10.0, 100.0]})
    assert response.json()["gradients"]["x"] == [30.0, 300.0]


def test_seed_of_the_wrong_shape_is_422_and_keeps_the_tape(workspace):
    workspace.post("/variables", {"name": "x", "value": [1.0, 2.0], "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["x", 3.0], "output": "y"})
    response = workspace.post("/backprop", {"variable": "y", "seed": [1.0, 2.0, 3.0]})
    assert_error(response, 422, "shape_mismatch")
    assert len(workspace.get().json()["tape"]) == 1


def test_backprop_of_a_constant_is_409_with_arraymancers_hint(workspace):
    scalar(workspace, "k", 2.0, requires_grad=False)
    response = workspace.post("/backprop", {"variable": "k"})
    assert_error(response, 409, "not_on_tape")
    assert "requires_grad" in response.json()["error"]["message"]


def test_steps_list_each_node_in_backward_order(workspace):
    scalar(workspace, "x", 2.0)
    workspace.post("/eval", {"source": "y = x * x\nz = y + x"})
    steps = workspace.post("/backprop", {"variable": "z"}).json()["steps"]
    assert [s["gate"] for s in steps] == ["add", "mul"]
    assert steps[0]["grads"] == {"y": 1.0, "x": 1.0}
    assert steps[1]["grads"] == {"x": 4.0}  # x * x sends x.grad twice: 2 + 2


def test_each_step_gives_the_gradient_flowing_in_and_every_running_sum(workspace):
    """d = a * b + a at a = 2, b = 3: a is reached twice, by 1 and then by b = 3."""
    for name, value in (("a", 2.0), ("b", 3.0)):
        workspace.post("/variables", {"name": name, "value": value, "requires_grad": True})
    workspace.post("/eval", {"source": "c = a * b\nd = c + a"})
    steps = workspace.post("/backprop", {"variable": "d"}).json()["steps"]
    shown = [(s["gate"], s["upstream"], s["grads"], s["accumulated"]) for s in steps]
    assert shown == [
        ("add", {"d": 1.0}, {"c": 1.0, "a": 1.0}, {"c": 1.0, "a": 1.0}),
        ("mul", {"c": 1.0}, {"a": 3.0, "b": 2.0}, {"a": 4.0, "b": 2.0}),
    ]
