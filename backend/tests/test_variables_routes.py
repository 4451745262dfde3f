"""Creating variables (literal or generated) and reading them as JSON or .npy."""

import io

import numpy as np

from backend.tests.conftest import assert_error


def test_init_kinds_make_the_described_tensors(workspace):
    for name, kind in (("z", "zeros"), ("o", "ones"), ("r", "arange")):
        body = {"name": name, "init": {"kind": kind, "shape": [2, 3]}}
        assert workspace.post("/variables", body).status_code == 201
    found = {v["name"]: v["value"] for v in workspace.get().json()["variables"]}
    assert found["z"] == [[0.0] * 3] * 2
    assert found["o"] == [[1.0] * 3] * 2
    assert found["r"] == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_random_init_is_reproducible_from_its_seed(workspace):
    for name in ("r1", "r2"):
        workspace.post(
            "/variables", {"name": name, "init": {"kind": "randn", "shape": [4], "seed": 3}}
        )
    found = {v["name"]: v["value"] for v in workspace.get().json()["variables"]}
    assert found["r1"] == found["r2"] == np.random.default_rng(3).standard_normal(4).tolist()


def test_float32_is_kept(workspace):
    response = workspace.post("/variables", {"name": "h", "value": [0.5], "dtype": "float32"})
    assert response.json()["dtype"] == "float32"


def test_non_finite_values_are_refused_unless_allowed(workspace):
    response = workspace.post("/variables", {"name": "n", "value": [1.0, "nan"]})
    assert_error(response, 422, "non_finite")
    allowed = workspace.post(
        "/variables", {"name": "n", "value": [1.0, "inf"], "allow_nonfinite": True}
    )
    assert allowed.status_code == 201 and allowed.json()["value"] == [1.0, "inf"]


def test_non_finite_results_are_reported_not_hidden(workspace):
    workspace.post("/variables", {"name": "x", "value": [0.0, 1.0]})
    refused = workspace.post("/gates", {"gate": "log", "inputs": ["x"], "output": "y"})
    assert "NaN or infinity" in assert_error(refused, 422, "non_finite")["message"]
    kept = workspace.post(
        "/gates", {"gate": "log", "inputs": ["x"], "output": "y", "allow_nonfinite": True}
    )
    assert kept.status_code == 201
    assert workspace.get("/variables/y").json()["value"] == ["-inf", 0.0]


def test_tensor_over_the_element_limit_is_413(client, settings):
    settings.max_tensor_elements = 10
    created = client.post("/api/workspaces").json()
    response = client.post(
        f"/api/workspaces/{created['id']}/variables",
        json={"name": "big", "init": {"kind": "zeros", "shape": [4, 4]}},
        headers={"Authorization": f"Bearer {created['token']}"},
    )
    assert_error(response, 413, "tensor_too_large")


def test_read_variable_reports_creator_and_consumers(workspace):
    workspace.post("/variables", {"name": "a", "value": 2.0, "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "b"})
    workspace.post("/gates", {"gate": "add", "inputs": ["b", "a"], "output": "c"})
    a = workspace.get("/variables/a").json()
    assert a["created_by"] is None and a["consumed_by"] == [1, 2]
    assert workspace.get("/variables/b").json()["created_by"] == 1


def test_npy_download_round_trips(workspace):
    workspace.post(
        "/variables", {"name": "m", "value": [[1.0, 2.0], [3.0, 4.0]], "requires_grad": True}
    )
    workspace.post("/gates", {"gate": "mul", "inputs": ["m", "m"], "output": "sq"})
    workspace.post("/backprop", {"variable": "sq"})
    headers = {**workspace._auth(None), "Accept": "application/x-npy"}
    value = workspace.client.get(workspace.base + "/variables/m", headers=headers)
    grad = workspace.client.get(workspace.base + "/variables/m?field=grad", headers=headers)
    assert value.headers["content-type"] == "application/x-npy"
    assert np.load(io.BytesIO(value.content)).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert np.load(io.BytesIO(grad.content)).tolist() == [[2.0, 4.0], [6.0, 8.0]]


def test_unknown_variable_is_404(workspace):
    response = workspace.get("/variables/ghost")
    assert_error(response, 404, "variable_not_found")


def test_creating_a_large_variable_does_not_echo_its_tensor(workspace):
    body = {"name": "big", "init": {"kind": "ones", "shape": [4097]}, "requires_grad": True}
    created = workspace.post("/variables", body)
    assert created.status_code == 201
    assert created.json() | {"value": "?", "grad": "?"} == {
        "name": "big",
        "shape": [4097],
        "dtype": "float64",
        "requires_grad": True,
        "value": "?",
        "grad": "?",
        "created_by": None,
        "health": None,
    }
    assert (created.json()["value"], created.json()["grad"]) == (None, None)
    assert workspace.get("/variables/big").json()["value"] == [1.0] * 4097


def test_creating_a_variable_of_up_to_4096_elements_echoes_it(workspace):
    body = {"name": "edge", "init": {"kind": "ones", "shape": [4096]}}
    assert workspace.post("/variables", body).json()["value"] == [1.0] * 4096


def test_a_bad_name_is_refused_with_the_rule_in_words(workspace):
    for path, body, field in [
        ("/variables", {"name": "1bad", "value": 1.0}, "name"),
        (
            "/gates",
            {"gate": "mul", "inputs": [2.0, 3.0], "output": "é名"},
            "output.constrained-str",
        ),
    ]:
        error = assert_error(workspace.post(path, body), 422, "invalid_request")
        problem = next(p["problem"] for p in error["detail"] if p["field"] == field)
        assert problem.endswith(
            "is not a variable name: a name is a letter or _ followed by letters, digits or _, "
            "64 ASCII characters at most"
        ), problem
        assert "^[" not in error["message"]


def test_a_large_tensor_is_read_whole_with_its_non_finite_values_in_place(workspace):
    # 200,000 elements: written a slice of rows at a time, each slice's NaN where it was.
    value = np.arange(200_000, dtype=float).reshape(50, 40, 100)
    value[0, 0, 0], value[17, 3, 5], value[49, 39, 99] = -np.inf, np.nan, np.inf
    spelled = value.tolist()
    spelled[0][0][0], spelled[17][3][5], spelled[49][39][99] = "-inf", "nan", "inf"
    body = {"name": "big", "value": spelled, "allow_nonfinite": True}
    assert workspace.post("/variables", body).status_code == 201
    answer = workspace.get("/variables/big")
    assert answer.status_code == 200 and answer.headers["ETag"]
    read = answer.json()
    assert read["value"] == spelled and read["grad"] is None
    assert read["shape"] == [50, 40, 100] and read["consumed_by"] == []


def test_a_large_gradient_is_read_whole(workspace):
    init = {"kind": "ones", "shape": [100_000]}
    workspace.post("/variables", {"name": "w", "init": init, "requires_grad": True})
    workspace.post("/gates", {"gate": "sum", "inputs": ["w"], "output": "s"})
    workspace.post("/backprop", {"variable": "s"})
    read = workspace.get("/variables/w").json()
    assert read["grad"] == [1.0] * 100_000 and read["value"] == [1.0] * 100_000
