"""POST /eval: programs run as gates, rebinding keeps the old variable, errors change nothing."""

import math

import numpy as np
import pytest

from backend.names import NAME_RULE
from backend.tests.conftest import WorkspaceHandle, assert_error, snapshot


def variables(workspace: WorkspaceHandle) -> dict[str, dict]:
    return {v["name"]: v for v in workspace.get().json()["variables"]}


def add_scalars(workspace: WorkspaceHandle, **values: float) -> None:
    for name, value in values.items():
        body = {"name": name, "value": value, "requires_grad": True}
        assert workspace.post("/variables", body).status_code == 201


def test_program_applies_each_operation_as_a_gate(workspace):
    add_scalars(workspace, w=0.5, x=2.0, b=-0.25)
    response = workspace.post("/eval", {"source": "h = tanh(w * x + b)\nloss = mean(h * h)"})
    assert response.status_code == 200, response.text
    assert [n["gate"] for n in response.json()["nodes"]] == ["mul", "add", "tanh", "mul", "mean"]
    h = math.tanh(0.5 * 2.0 - 0.25)
    assert abs(variables(workspace)["loss"]["value"] - h * h) < 1e-12


def test_program_gradients_match_hand_derivation(workspace):
    add_scalars(workspace, w=0.5, x=2.0, b=-0.25)
    workspace.post("/eval", {"source": "h = tanh(w * x + b)\nloss = h * h"})
    grads = workspace.post("/backprop", {"variable": "loss"}).json()["gradients"]
    h = math.tanh(0.75)
    dloss_dz = 2 * h * (1 - h * h)
    assert abs(grads["w"] - dloss_dz * 2.0) < 1e-12
    assert abs(grads["x"] - dloss_dz * 0.5) < 1e-12
    assert abs(grads["b"] - dloss_dz) < 1e-12


def test_micrograd_example_through_eval(workspace):
    add_scalars(workspace, a=-4.0, b=2.0)
    source = "\n".join(
        [
            "c = a + b",
            "d = a * b + b**3",
            "c = c + c + 1",
            "c = c + 1 + c + (-a)",
            "d = d + d * 2 + (b + a).relu()",
            "d = d + 3 * d + (b - a).relu()",
            "e = c - d",
            "f = e**2",
            "g = f / 2.0",
            "g = g + 10.0 / f",
        ]
    )
    assert workspace.post("/eval", {"source": source}).status_code == 200
    result = workspace.post("/backprop", {"variable": "g"}).json()["gradients"]
    assert abs(variables(workspace)["g"]["value"] - 24.70408163265306) < 1e-9
    assert abs(result["a"] - 138.83381924198252) < 1e-9
    assert abs(result["b"] - 645.5772594752186) < 1e-9


def test_an_initializer_in_an_expression_makes_a_named_parameter(workspace):
    body = {"name": "x", "value": [[1.0, 2.0, 3.0]], "requires_grad": True}
    assert workspace.post("/variables", body).status_code == 201
    response = workspace.post("/eval", {"source": "y = x @ randn(3, 3, seed=1)"})
    assert response.status_code == 200, response.text
    [made] = response.json()["created"]
    assert made.startswith("randn")
    found = variables(workspace)
    assert found[made]["shape"] == [3, 3] and found[made]["requires_grad"]
    weights = np.random.default_rng(1).standard_normal((3, 3))
    assert np.allclose(found["y"]["value"], np.array([[1.0, 2.0, 3.0]]) @ weights)
    assert workspace.post("/backprop", {"variable": "y"}).status_code == 200


def test_rebinding_a_name_keeps_the_old_variable_under_a_versioned_label(workspace):
    add_scalars(workspace, x=3.0)
    workspace.post("/eval", {"source": "y = x * 2"})
    response = workspace.post("/eval", {"source": "y = y + 1"})
    assert response.json()["assigned"] == {"y": "y"}
    found = variables(workspace)
    assert found["y@1"]["value"] == 6.0 and found["y"]["value"] == 7.0
    last = workspace.get().json()["history"][-1]
    assert last["inputs"] == ["y@1", 1.0] and last["outputs"] == ["y"]


def test_error_reports_line_and_column_and_changes_nothing(workspace):
    add_scalars(workspace, x=3.0)
    before = workspace.get().json()
    response = workspace.post("/eval", {"source": "y = x * 2\nz = frobnicate(y)"})
    assert_error(response, 422, "expression_error")
    assert response.json()["error"]["detail"] == {"line": 2, "column": 5}
    assert workspace.get().json() == before


def test_failure_in_a_later_statement_undoes_the_earlier_ones(workspace):
    workspace.post("/variables", {"name": "u", "value": [1.0, 2.0, 3.0]})
    workspace.post("/variables", {"name": "v", "value": [1.0, 2.0]})
    before = workspace.get().json()
    response = workspace.post("/eval", {"source": "u = u * 2\nw = u + v"})
    body = assert_error(response, 422, "gate_failed")
    assert body["detail"]["line"] == 2 and "add" in body["message"]
    assert workspace.get().json() == before


def test_eval_refuses_python_it_does_not_know(workspace):
    add_scalars(workspace, x=1.0)
    response = workspace.post("/eval", {"source": "__import__('os').system('true')"})
    assert_error(response, 422, "expression_error")
    assert workspace.get().json()["history"] == []


def test_gate_output_with_a_taken_name_is_409_unlike_eval(workspace):
    add_scalars(workspace, x=1.0, y=2.0)
    response = workspace.post("/gates", {"gate": "add", "inputs": ["x", "y"], "output": "y"})
    assert_error(response, 409, "name_taken")
    assert workspace.get().json()["tape"] == []


@pytest.mark.parametrize("name", ["é名", "n" * 99_000])
def test_eval_and_variables_refuse_the_same_names_and_change_nothing(workspace, name):
    add_scalars(workspace, x=3.0)
    before = snapshot(workspace)
    error = assert_error(
        workspace.post("/eval", {"source": f"{name} = x * 2"}), 422, "expression_error"
    )
    assert error["message"].endswith(NAME_RULE)
    assert error["detail"] == {"line": 1, "column": 1}
    refused = workspace.post("/variables", {"name": name, "value": 1.0})
    assert_error(refused, 422, "invalid_request")
    assert NAME_RULE in refused.json()["error"]["message"]
    assert snapshot(workspace) == before


def test_the_console_creates_leaves_and_constants(workspace):
    response = workspace.post(
        "/eval",
        {"source": "a = -4\nx = [[1, 2], [3, 4]]\nW = randn(2, 3, seed=0)\nc = const(2.5)"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == ["a", "x", "W", "c"]
    variables = {v["name"]: v for v in workspace.get().json()["variables"]}
    assert (variables["a"]["value"], variables["a"]["requires_grad"]) == (-4.0, True)
    assert variables["x"]["value"] == [[1.0, 2.0], [3.0, 4.0]]
    assert variables["W"]["value"] == np.random.default_rng(0).standard_normal((2, 3)).tolist()
    assert (variables["c"]["value"], variables["c"]["requires_grad"]) == (2.5, False)


def test_an_unseeded_initializer_is_seeded_by_the_request_so_a_replay_matches(workspace):
    response = workspace.post("/eval", {"source": "b = 1\nW = randn(3)", "seed": 41})
    assert response.status_code == 200, response.text
    w = next(v for v in workspace.get().json()["variables"] if v["name"] == "W")
    assert w["value"] == np.random.default_rng(42).standard_normal(3).tolist()


def test_run_again_keeps_the_leaves_an_optimizer_moved_and_recomputes_the_rest(workspace):
    program = "w = 2\nx = const(3)\ny = w * x"
    assert workspace.post("/eval", {"source": program}).status_code == 200
    assert workspace.post("/backprop", {"variable": "y"}).status_code == 200
    step = {"optimizer": "sgd", "lr": 0.5, "params": ["w"]}
    assert workspace.post("/optimizer/step", step).status_code == 200  # w = 2 - 0.5 * 3
    again = workspace.post("/eval", {"source": program, "again": True})
    assert again.status_code == 200, again.text
    assert (again.json()["kept"], again.json()["created"]) == (["w", "x"], [])
    variables = {v["name"]: v["value"] for v in workspace.get().json()["variables"]}
    assert (variables["w"], variables["y"]) == (0.5, 1.5)  # y = 0.5 * 3 from the moved w


def test_running_a_leaf_again_without_again_makes_it_anew(workspace):
    assert workspace.post("/eval", {"source": "w = 2"}).status_code == 200
    assert workspace.post("/eval", {"source": "w = 5"}).status_code == 200
    variables = {v["name"]: v["value"] for v in workspace.get().json()["variables"]}
    assert variables["w"] == 5.0
    assert 2.0 in variables.values()  # the old w keeps its value under a new name


def test_a_bad_leaf_is_refused_at_its_line_and_changes_nothing(workspace):
    before = snapshot(workspace)
    response = workspace.post("/eval", {"source": "a = 1\nx = [[1, 2], [3]]"})
    error = assert_error(response, 422, "invalid_tensor")
    assert error["message"] == "line 2, column 5: value is not a rectangular array of numbers"
    assert error["detail"] == {"line": 2, "column": 5}
    assert snapshot(workspace) == before


def test_an_initializer_the_variable_form_would_refuse_is_refused_alike(workspace):
    response = workspace.post("/eval", {"source": "W = zeros(1, 1, 1, 1, 1, 1, 1, 1, 1)"})
    error = assert_error(response, 422, "invalid_value")
    assert error["message"].startswith("line 1, column 5: W: List should have at most 8 items")


def test_an_unknown_name_is_pointed_at_not_the_expression_it_sits_in(workspace):
    workspace.post("/variables", {"name": "W", "value": [[1.0, 2.0], [3.0, 4.0]]})
    response = workspace.post("/eval", {"source": "z = W @ nope"})
    error = assert_error(response, 422, "unknown_variable")
    assert error["detail"] == {"line": 1, "column": 9}
    assert error["message"] == "line 1, column 9: no variable named 'nope'"


@pytest.mark.parametrize(
    ("source", "column", "status", "code"),
    [
        ("y = x.relu() + tanh(nope)", 21, 422, "unknown_variable"),
        ("y = sum(x, keepdims=True, bogus=1)", 27, 422, "invalid_params"),
        ("y = nope.T", 5, 422, "unknown_variable"),
    ],
)
def test_errors_point_at_the_input_or_parameter_at_fault(workspace, source, column, status, code):
    add_scalars(workspace, x=1.0)
    error = assert_error(workspace.post("/eval", {"source": source}), status, code)
    assert error["detail"] == {"line": 1, "column": column}


def test_a_program_keeps_nan_and_infinity_only_when_asked(workspace):
    workspace.post("/variables", {"name": "x", "value": 0.0, "requires_grad": True})
    before = snapshot(workspace)
    refused = workspace.post("/eval", {"source": "y = log(x)"})
    error = assert_error(refused, 422, "non_finite")
    assert "Keep NaN and ∞" in error["message"]
    assert snapshot(workspace) == before

    kept = workspace.post("/eval", {"source": "y = log(x)", "allow_nonfinite": True})
    assert kept.status_code == 200, kept.text
    assert workspace.get("/variables/y").json()["value"] == "-inf"
