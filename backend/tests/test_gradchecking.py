"""POST /gradcheck compares with finite differences, reports one verdict per input, and
touches nothing."""

from backend.tests.conftest import WorkspaceHandle, assert_error


def build_tanh_model(workspace: WorkspaceHandle) -> None:
    for name, shape, seed in (("W", [3, 2], 4), ("x", [2, 1], 5)):
        body = {
            "name": name,
            "init": {"kind": "randn", "shape": shape, "seed": seed},
            "requires_grad": True,
        }
        assert workspace.post("/variables", body).status_code == 201
    program = workspace.post("/eval", {"source": "h = tanh(W @ x)\nloss = mean(h * h)"})
    assert program.status_code == 200, program.text


def test_gradcheck_matches_and_leaves_grads_and_tape_alone(workspace):
    build_tanh_model(workspace)
    before = workspace.get().json()

    response = workspace.post("/gradcheck", {"variable": "loss", "wrt": ["W", "x"]})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["variable"] == "loss"
    assert set(body["results"]) == {"W", "x"}
    for result in body["results"].values():
        assert result["ok"] is True
        assert result["max_abs_error"] < 1e-7 and result["max_rel_error"] < 1e-5
    assert workspace.get().json() == before


def test_a_coarse_step_on_a_curved_function_is_reported_as_a_mismatch(workspace):
    """Central differences of x³ are off by eps² (times the output's weight): with eps 0.5
    that is far outside the tolerance, while the default eps agrees."""
    body = {"name": "x", "value": [0.5, -1.0, 2.0], "requires_grad": True}
    assert workspace.post("/variables", body).status_code == 201
    assert workspace.post("/eval", {"source": "z = sum(x * x * x)"}).status_code == 200

    coarse = workspace.post("/gradcheck", {"variable": "z", "wrt": ["x"], "eps": 0.5})
    fine = workspace.post("/gradcheck", {"variable": "z", "wrt": ["x"]})

    assert coarse.status_code == fine.status_code == 200
    (coarse_x,), (fine_x,) = coarse.json()["results"].values(), fine.json()["results"].values()
    assert coarse_x["ok"] is False and coarse_x["max_abs_error"] > 0.01
    assert fine_x["ok"] is True and fine_x["max_abs_error"] < 1e-7


def test_gradcheck_with_respect_to_an_intermediate(workspace):
    workspace.post("/variables", {"name": "x", "value": [0.5, -1.0], "requires_grad": True})
    workspace.post("/eval", {"source": "y = x * x\nz = sum(y * y)"})
    response = workspace.post("/gradcheck", {"variable": "z", "wrt": ["y"]})
    assert response.status_code == 200, response.text
    assert list(response.json()["results"]) == ["y"]
    assert response.json()["results"]["y"]["ok"] is True


def test_viewer_may_gradcheck(workspace):
    workspace.post("/variables", {"name": "x", "value": 2.0, "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["x", "x"], "output": "y"})
    response = workspace.post(
        "/gradcheck", {"variable": "y", "wrt": ["x"]}, token=workspace.viewer_token
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"]["x"]["ok"] is True


def test_gradcheck_wrt_an_unknown_variable_is_422_naming_its_place(workspace):
    workspace.post("/variables", {"name": "x", "value": 2.0, "requires_grad": True})
    response = workspace.post("/gradcheck", {"variable": "x", "wrt": ["x", "nope"]})
    error = assert_error(response, 422, "unknown_variable")
    assert error["detail"] == {"field": "wrt.1", "name": "nope"}


def test_gradcheck_of_an_unknown_output_is_422_naming_the_variable_field(workspace):
    workspace.post("/variables", {"name": "x", "value": 2.0, "requires_grad": True})
    response = workspace.post("/gradcheck", {"variable": "nope", "wrt": ["x"]})
    error = assert_error(response, 422, "unknown_variable")
    assert error["detail"] == {"field": "variable", "name": "nope"}


def test_gradcheck_over_the_size_limit_is_413(workspace):
    workspace.post(
        "/variables",
        {"name": "x", "init": {"kind": "ones", "shape": [200, 200]}, "requires_grad": True},
    )
    workspace.post("/gates", {"gate": "mul", "inputs": ["x", "x"], "output": "y"})
    response = workspace.post("/gradcheck", {"variable": "y", "wrt": ["x"]})
    error = assert_error(response, 413, "gradcheck_too_large")
    assert "40000 elements exceed the limit 20000" in error["message"]


def build_square_and_cube(workspace: WorkspaceHandle) -> None:
    body = {"name": "a", "value": [1.0, 2.0], "requires_grad": True}
    assert workspace.post("/variables", body).status_code == 201
    program = workspace.post("/eval", {"source": "loss = sum(a * a)\ncube = sum(a * a * a)"})
    assert program.status_code == 200, program.text


def test_gradcheck_of_a_leaf_differentiates_the_chosen_output(workspace):
    """With eps 0.5, central differences are exact for sum(a²) (its gradient 2a) and off by
    eps² = 0.25 for sum(a³) (3a² + eps², times the output's weight): the error tells which
    output was differentiated."""
    build_square_and_cube(workspace)
    workspace.post("/backprop", {"variable": "cube"})

    response = workspace.post("/gradcheck", {"variable": "loss", "wrt": ["a"], "eps": 0.5})

    assert response.status_code == 200, response.text
    assert response.json()["variable"] == "loss"
    assert response.json()["results"]["a"]["max_abs_error"] < 1e-9


def test_gradcheck_without_an_output_differentiates_the_root_of_the_last_backprop(workspace):
    build_square_and_cube(workspace)
    workspace.post("/backprop", {"variable": "cube"})

    response = workspace.post("/gradcheck", {"wrt": ["a"], "eps": 0.5})

    assert response.status_code == 200, response.text
    assert response.json()["variable"] == "cube"
    assert response.json()["results"]["a"]["max_abs_error"] > 0.01


def test_gradcheck_of_a_leaf_against_itself_is_422(workspace):
    build_square_and_cube(workspace)
    response = workspace.post("/gradcheck", {"variable": "a", "wrt": ["a"]})
    error = assert_error(response, 422, "gradcheck_of_a_leaf_against_itself")
    assert "a is a leaf" in error["message"]


def test_gradcheck_without_an_output_before_any_backprop_is_422(workspace):
    build_square_and_cube(workspace)
    response = workspace.post("/gradcheck", {"wrt": ["a"]})
    assert_error(response, 422, "gradcheck_without_output")
