"""The thin path: create a workspace, add variables, apply a gate, backprop, read the state."""

from backend.tests.conftest import WorkspaceHandle, assert_error


def build_product(workspace: WorkspaceHandle) -> None:
    for name, value in (("a", 3.0), ("b", 4.0)):
        response = workspace.post(
            "/variables", {"name": name, "value": value, "requires_grad": True}
        )
        assert response.status_code == 201, response.text
    response = workspace.post("/gates", {"gate": "mul", "inputs": ["a", "b"], "output": "c"})
    assert response.status_code == 201, response.text


def test_healthz_answers_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_create_workspace_returns_credentials_and_urls(client):
    response = client.post("/api/workspaces")
    assert response.status_code == 201
    body = response.json()
    assert body["url"] == f"/w/{body['id']}#{body['token']}"
    assert body["viewer_url"] == f"/w/{body['id']}#{body['viewer_token']}"
    assert len(body["token"]) >= 22 and body["token"] != body["viewer_token"]


def test_gate_records_a_node_on_the_tape(workspace):
    build_product(workspace)
    state = workspace.get().json()
    assert [n["gate"] for n in state["tape"]] == ["mul"]
    c = next(v for v in state["variables"] if v["name"] == "c")
    assert c["value"] == 12.0
    assert c["created_by"] == state["tape"][0]["id"]


def test_backprop_of_product_gives_each_factor_the_other(workspace):
    build_product(workspace)
    response = workspace.post("/backprop", {"variable": "c"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["gradients"]["a"] == 4.0
    assert body["gradients"]["b"] == 3.0
    assert body["steps"] == [
        {
            "node": 1,
            "gate": "mul",
            "grads": {"a": 4.0, "b": 3.0},
            "upstream": {"c": 1.0},
            "accumulated": {"a": 4.0, "b": 3.0},
        }
    ]


def test_backprop_empties_the_tape_but_keeps_history(workspace):
    build_product(workspace)
    workspace.post("/backprop", {"variable": "c"})
    state = workspace.get().json()
    assert state["tape"] == []
    assert [(n["gate"], n["on_tape"]) for n in state["history"]] == [("mul", False)]


def test_second_backprop_of_same_variable_is_a_conflict(workspace):
    build_product(workspace)
    workspace.post("/backprop", {"variable": "c"})
    response = workspace.post("/backprop", {"variable": "c"})
    assert_error(response, 409, "not_on_tape")
    assert "empties the tape" in response.json()["error"]["message"]


def test_missing_token_is_401_with_json_error(workspace):
    response = workspace.client.get(workspace.base)
    assert_error(response, 401, "unauthorized")


def test_viewer_token_reads_but_cannot_write(workspace):
    assert workspace.get(token=workspace.viewer_token).json()["access"] == "read"
    assert workspace.get().json()["access"] == "write"
    response = workspace.post(
        "/variables", {"name": "a", "value": 1.0}, token=workspace.viewer_token
    )
    assert_error(response, 403, "read_only")
    assert workspace.get().json()["variables"] == []


def test_unknown_workspace_is_404(client):
    response = client.get("/api/workspaces/nope", headers={"Authorization": "Bearer x"})
    assert_error(response, 404, "workspace_not_found")


def test_taken_variable_name_is_409_and_keeps_the_first(workspace):
    workspace.post("/variables", {"name": "a", "value": 1.0})
    response = workspace.post("/variables", {"name": "a", "value": 2.0})
    assert_error(response, 409, "name_taken")
    assert workspace.get().json()["variables"][0]["value"] == 1.0


def test_shape_mismatch_names_gate_and_shapes_and_changes_nothing(workspace):
    workspace.post("/variables", {"name": "x", "value": [1.0, 2.0, 3.0]})
    workspace.post("/variables", {"name": "y", "value": [1.0, 2.0]})
    before = workspace.get().json()
    response = workspace.post("/gates", {"gate": "mul", "inputs": ["x", "y"]})
    message = assert_error(response, 422, "gate_failed")["message"]
    assert message.startswith("mul: x is 3 and y is 2; ")
    assert "2 ≠ 3" in message
    assert workspace.get().json() == before


def test_malformed_body_is_422_naming_the_field(workspace):
    response = workspace.post("/variables", {"name": "1st", "value": 1.0})
    assert_error(response, 422, "invalid_request")
    assert response.json()["error"]["detail"][0]["field"] == "name"


def test_variable_without_value_or_init_is_422(workspace):
    response = workspace.post("/variables", {"name": "a"})
    assert_error(response, 422, "invalid_request")
    assert "value and init" in response.json()["error"]["message"]


def test_ragged_value_is_422(workspace):
    response = workspace.post("/variables", {"name": "a", "value": [[1.0], [2.0, 3.0]]})
    assert_error(response, 422, "invalid_tensor")


def test_unknown_gate_is_422_naming_the_gate_field(workspace):
    workspace.post("/variables", {"name": "a", "value": 1.0})
    response = workspace.post("/gates", {"gate": "frobnicate", "inputs": ["a"]})
    error = assert_error(response, 422, "unknown_gate")
    assert error["detail"] == {"field": "gate", "name": "frobnicate"}


def test_gate_catalog_lists_mul(client):
    names = {entry["name"] for entry in client.get("/api/gates").json()}
    assert {"add", "mul"} <= names


def test_oversized_body_is_413(client):
    response = client.post(
        "/api/workspaces/x/variables",
        content=b"[" + b"1," * (9 * 1024 * 1024) + b"1]",
        headers={"Content-Type": "application/json"},
    )
    assert_error(response, 413, "request_too_large")
