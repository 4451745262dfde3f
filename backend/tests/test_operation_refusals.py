"""The refusals an operation declares are the ones its routes document, and what its routes
answer stays within them."""

import pytest

from backend.http.errors import status_of_kind
from backend.tests.conftest import WorkspaceHandle, assert_error
from backend.workspace.operations import OPERATIONS

ROUTES = {"backprop": ("post", "/backprop"), "zero_grad": ("post", "/zero_grad")}
ROUTES["set_no_grad"] = ("put", "/no_grad")
ROUTES |= {"create_variable": ("post", "/variables"), "apply_gate": ("post", "/gates")}
ROUTES |= {"eval": ("post", "/eval"), "optimizer_step": ("post", "/optimizer/step")}
"""The routes that document their errors from their operation's declaration."""


def _documented(client, kind: str) -> set[int]:
    method, path = ROUTES[kind]
    operation = client.app.openapi()["paths"]["/api/workspaces/{workspace_id}" + path][method]
    return {int(status) for status in operation["responses"] if status != "200"}


def _declared(kind: str) -> set[int]:
    return {status_of_kind(refusal) for refusal in OPERATIONS[kind].refuses}


@pytest.mark.parametrize("kind", sorted(ROUTES))
def test_a_route_documents_every_refusal_its_operation_declares(client, kind: str) -> None:
    assert _declared(kind) <= _documented(client, kind)


def test_backprop_documents_the_413_of_a_seed_too_large() -> None:
    assert 413 in _declared("backprop")


def _refused(workspace: WorkspaceHandle, kind: str, body: dict, status: int, code: str) -> None:
    method, path = ROUTES[kind]
    assert_error(workspace.request(method.upper(), path, body), status, code)
    assert status in _declared(kind), f"{kind} answers {status} {code} it does not declare"


def test_what_backprop_and_zero_grad_refuse_is_within_their_declarations(
    workspace: WorkspaceHandle,
) -> None:
    workspace.post("/variables", {"name": "w", "value": [1.0, 2.0], "requires_grad": True})
    workspace.post("/eval", {"source": "loss = sum(w * w)"})
    _refused(workspace, "backprop", {"variable": "nope"}, 422, "unknown_variable")
    _refused(workspace, "backprop", {"variable": "loss", "seed": [1.0, 2.0]}, 422, "shape_mismatch")
    workspace.post("/backprop", {"variable": "loss"})
    _refused(workspace, "backprop", {"variable": "loss"}, 409, "not_on_tape")
    _refused(workspace, "zero_grad", {"variables": ["nope"]}, 422, "unknown_variable")


def test_what_making_variables_and_applying_gates_refuse_is_within_their_declarations(
    workspace: WorkspaceHandle,
) -> None:
    workspace.post("/variables", {"name": "x", "value": [1.0, 2.0], "requires_grad": True})
    workspace.post("/variables", {"name": "frozen", "value": 1.0})
    _refused(workspace, "create_variable", {"name": "x", "value": 1.0}, 409, "name_taken")
    gate = {"gate": "mul", "inputs": ["x", "nope"]}
    _refused(workspace, "apply_gate", gate, 422, "unknown_variable")
    _refused(workspace, "apply_gate", {"gate": "nope", "inputs": ["x"]}, 422, "unknown_gate")
    gate = {"gate": "mul", "inputs": ["x", "x"], "output": "x"}
    _refused(workspace, "apply_gate", gate, 409, "name_taken")
    _refused(workspace, "eval", {"source": "y = nope * 2"}, 422, "unknown_variable")
    step = {"optimizer": "sgd", "lr": 0.1, "params": ["nope"]}
    _refused(workspace, "optimizer_step", step, 422, "unknown_variable")
    step = {"optimizer": "sgd", "lr": 0.1, "params": ["frozen"]}
    _refused(workspace, "optimizer_step", step, 422, "not_a_parameter")
