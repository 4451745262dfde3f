"""The PyTorch export: which gates it maps, and what it refuses with a 422."""

import pytest

import engine
from backend.export.torch_script import TORCH, torch_expression
from backend.tests.conftest import WorkspaceHandle, assert_error


def _torch_script(workspace: WorkspaceHandle):
    return workspace.client.get(
        f"{workspace.base}/export.py",
        params={"target": "torch"},
        headers={"Authorization": f"Bearer {workspace.token}"},
    )


def test_every_mapped_gate_is_a_catalog_gate() -> None:
    assert set(TORCH) <= set(engine.REGISTRY)


def test_the_gates_the_issue_names_are_mapped() -> None:
    named = [
        "add",
        "sub",
        "mul",
        "div",
        "pow",
        "neg",
        "exp",
        "log",
        "sqrt",
        "abs",
        "clamp",
        "matmul",
        "sum",
        "mean",
        "max",
        "relu",
        "leaky_relu",
        "sigmoid",
        "tanh",
        "gelu",
        "softmax",
        "log_softmax",
        "reshape",
        "flatten",
        "transpose",
        "squeeze",
        "unsqueeze",
        "concat",
        "stack",
        "getitem",
        "mse_loss",
        "softmax_cross_entropy",
        "sigmoid_cross_entropy",
        "linear",
        "layer_norm",
        "conv2d",
        "maxpool2d",
    ]
    assert set(named) <= set(TORCH)


WITHOUT_TORCH = {"chunk", "dropout", "embedding", "gru_cell", "split", "unstack"}
"""The gates PyTorch has no one-expression counterpart of (or, for dropout, no same mask)."""


def test_every_gate_has_a_torch_counterpart_or_is_listed_without_one(client) -> None:
    catalog = {gate["name"]: gate["torch"] for gate in client.get("/api/gates").json()}
    assert set(catalog) == set(engine.REGISTRY)
    assert {name for name, template in catalog.items() if template is None} == WITHOUT_TORCH
    assert {name: template for name, template in catalog.items() if template} == TORCH


@pytest.mark.parametrize("gate", sorted(TORCH))
def test_each_torch_counterpart_is_python_with_its_defaults(gate: str) -> None:
    required = {"getitem": {"index": [0]}, "reshape": {"shape": [-1]}, "unsqueeze": {"axis": 0}}
    required["maxpool2d"] = {"kernel_size": 2}
    expression = torch_expression(gate, ["a", "b", "c"], required.get(gate, {}))
    compile(expression, gate, "eval")


def test_without_a_backprop_there_is_nothing_to_compare(workspace: WorkspaceHandle) -> None:
    workspace.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
    assert_error(_torch_script(workspace), 422, "nothing_to_compare")


def test_a_gate_without_a_torch_counterpart_is_named(workspace: WorkspaceHandle) -> None:
    workspace.post("/variables", {"name": "a", "value": [1.0, 2.0], "requires_grad": True})
    workspace.post("/eval", {"source": "d = dropout(a, p=0.5, seed=0)\ns = sum(d)"})
    workspace.post("/backprop", {"variable": "s"})
    error = assert_error(_torch_script(workspace), 422, "no_torch_mapping")
    assert "dropout" in error["message"]
    assert error["detail"]["gate"] == "dropout"


def test_the_script_holds_only_the_backprops_graph(workspace: WorkspaceHandle) -> None:
    workspace.post("/variables", {"name": "a", "value": 3.0, "requires_grad": True})
    workspace.post("/variables", {"name": "unused", "value": 1.0, "requires_grad": True})
    workspace.post("/eval", {"source": "c = a * a + 1\nother = unused * 2"})
    workspace.post("/backprop", {"variable": "c"})
    response = _torch_script(workspace)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-python")
    script = response.text
    assert "c.backward(torch.ones_like(c))" in script
    assert "unused" not in script
    compile(script, "torch_script.py", "exec")


def test_a_stale_graph_is_refused(workspace: WorkspaceHandle) -> None:
    workspace.post("/variables", {"name": "w", "value": 3.0, "requires_grad": True})
    workspace.post("/eval", {"source": "loss = w * w"})
    workspace.post("/backprop", {"variable": "loss"})
    workspace.post("/optimizer/step", {"optimizer": "sgd", "lr": 0.1, "params": ["w"]})
    assert_error(_torch_script(workspace), 422, "stale_node")


def test_a_variable_named_like_a_helper_keeps_its_own_identifier(
    workspace: WorkspaceHandle,
) -> None:
    workspace.post("/variables", {"name": "index", "value": 3.0, "requires_grad": True})
    workspace.post("/eval", {"source": "torch = index * 2"})
    workspace.post("/backprop", {"variable": "torch"})
    script = _torch_script(workspace).text
    assert "index_2 = leaf(" in script
    assert "torch_2 = (index_2 * const(2.0))" in script
