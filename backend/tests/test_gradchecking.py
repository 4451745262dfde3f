"""POST /gradcheck compares with finite differences and touches nothing."""


def test_gradcheck_matches_and_leaves_grads_and_tape_alone(workspace):
    workspace.post(
        "/variables",
        {"name": "W", "init": {"kind": "randn", "shape": [3, 2], "seed": 4}, "requires_grad": True},
    )
    workspace.post(
        "/variables",
        {"name": "x", "init": {"kind": "randn", "shape": [2, 1], "seed": 5}, "requires_grad": True},
    )
    workspace.post("/eval", {"source": "h = tanh(W @ x)\nloss = mean(h * h)"})
    before = workspace.get().json()

    response = workspace.post("/gradcheck", {"variable": "loss", "wrt": ["W", "x"]})

    assert response.status_code == 200, response.text
    for result in response.json()["results"].values():
        assert result["ok"] and result["max_abs_error"] < 1e-7
    assert workspace.get().json() == before


def test_gradcheck_with_respect_to_an_intermediate(workspace):
    workspace.post("/variables", {"name": "x", "value": [0.5, -1.0], "requires_grad": True})
    workspace.post("/eval", {"source": "y = x * x\nz = sum(y * y)"})
    response = workspace.post("/gradcheck", {"variable": "z", "wrt": ["y"]})
    assert response.json()["results"]["y"]["ok"]


def test_viewer_may_gradcheck(workspace):
    workspace.post("/variables", {"name": "x", "value": 2.0, "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["x", "x"], "output": "y"})
    response = workspace.post(
        "/gradcheck", {"variable": "y", "wrt": ["x"]}, token=workspace.viewer_token
    )
    assert response.status_code == 200


def test_gradcheck_over_the_size_limit_is_413(workspace):
    workspace.post(
        "/variables",
        {"name": "x", "init": {"kind": "ones", "shape": [200, 200]}, "requires_grad": True},
    )
    workspace.post("/gates", {"gate": "mul", "inputs": ["x", "x"], "output": "y"})
    response = workspace.post("/gradcheck", {"variable": "y", "wrt": ["x"]})
    assert response.status_code == 413
