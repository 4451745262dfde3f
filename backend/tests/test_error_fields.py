"""Errors caused by one field of a request name that field in their detail, for forms."""

from backend.errors import Part, Role, UnknownVariable
from backend.http.errors import FIELDS, error_body, field_path
from backend.tests.conftest import assert_error


def test_a_taken_variable_name_names_the_name_field(workspace):
    workspace.post("/variables", {"name": "x", "value": 1.0})
    response = workspace.post("/variables", {"name": "x", "value": 2.0})
    assert assert_error(response, 409, "name_taken")["detail"] == {"field": "name", "name": "x"}


def test_a_taken_output_name_names_the_output_field(workspace):
    workspace.post("/variables", {"name": "x", "value": 1.0})
    response = workspace.post("/gates", {"gate": "neg", "inputs": ["x"], "output": "x"})
    assert assert_error(response, 409, "name_taken")["detail"] == {"field": "output", "name": "x"}


def test_an_unknown_input_names_its_position(workspace):
    workspace.post("/variables", {"name": "x", "value": 1.0})
    response = workspace.post("/gates", {"gate": "add", "inputs": ["x", "nope"]})
    error = assert_error(response, 422, "unknown_variable")
    assert error["detail"] == {"field": "inputs.1", "name": "nope"}


def test_a_bad_parameter_names_that_parameter(workspace):
    workspace.post("/variables", {"name": "x", "value": [1.0, 2.0]})
    body = {"gate": "sum", "inputs": ["x"], "params": {"keepdims": True, "axis": "rows"}}
    error = assert_error(workspace.post("/gates", body), 422, "invalid_params")
    assert error["detail"]["field"] == "params.axis"
    assert error["detail"]["params"] == body["params"]


def test_a_missing_required_parameter_is_named(workspace):
    workspace.post("/variables", {"name": "x", "value": [1.0, 2.0]})
    body = {"gate": "reshape", "inputs": ["x"], "params": {}}
    error = assert_error(workspace.post("/gates", body), 422, "invalid_params")
    assert error["detail"]["field"] == "params.shape"


def test_backprop_from_an_unknown_variable_names_the_variable_field(workspace):
    response = workspace.post("/backprop", {"variable": "nope"})
    error = assert_error(response, 422, "unknown_variable")
    assert error["detail"] == {"field": "variable", "name": "nope"}


def test_an_optimizer_step_on_an_unknown_parameter_names_its_place(workspace):
    workspace.post("/variables", {"name": "w", "value": 1.0, "requires_grad": True})
    body = {"optimizer": "sgd", "lr": 0.1, "params": ["w", "ghost"]}
    error = assert_error(workspace.post("/optimizer/step", body), 422, "unknown_variable")
    assert error["detail"] == {"field": "params.1", "name": "ghost"}
    assert workspace.get("/variables/w").json()["value"] == 1.0


def test_every_part_of_an_operation_has_its_request_field():
    assert set(FIELDS) == set(Role)


def test_the_domain_names_the_part_and_the_edge_writes_its_field_path():
    refusal = UnknownVariable("w", Part(Role.GATE_INPUT, 1))
    assert refusal.detail["field"] == Part(Role.GATE_INPUT, 1)
    body = error_body(refusal.code, refusal.message, refusal.detail)
    assert body["error"]["detail"] == {"field": "inputs.1", "name": "w"}
    assert field_path(Part(Role.GATE_OUTPUT)) == "output"
    assert field_path(Part(Role.GATE_PARAM, "axis")) == "params.axis"
