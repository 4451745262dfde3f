"""Bad input never gets a 500, always the JSON error contract, and never changes anything."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.tests.conftest import assert_error

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers()
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "name",
    "value",
    "init",
    "gate",
    "inputs",
    "params",
    "output",
    "variable",
    "seed",
    "variables",
    "enabled",
    "source",
    "wrt",
    "optimizer",
    "lr",
    "kind",
    "shape",
    "requires_grad",
    "dtype",
]
BODIES = st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=5) | JSON_VALUES
ROUTES = [
    ("post", "/variables"),
    ("post", "/gates"),
    ("post", "/backprop"),
    ("post", "/zero_grad"),
    ("put", "/no_grad"),
    ("post", "/eval"),
    ("post", "/gradcheck"),
    ("post", "/optimizer/step"),
]


def prepared(workspace) -> None:
    workspace.post("/variables", {"name": "a", "value": [1.0, 2.0], "requires_grad": True})
    workspace.post("/variables", {"name": "b", "value": [[3.0], [4.0]], "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "b"], "output": "c"})


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(route=st.sampled_from(ROUTES), body=BODIES)
def test_random_bodies_get_json_answers_below_500(workspace, route, body):
    if not workspace.get().json()["variables"]:
        prepared(workspace)
    method, path = route
    response = workspace.client.request(
        method, workspace.base + path, content=json.dumps(body), headers=workspace._auth(None)
    )
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "detail"}


def test_invalid_json_is_422(workspace):
    response = workspace.client.post(
        workspace.base + "/variables", content=b"{not json", headers=workspace._auth(None)
    )
    assert_error(response, 422, "invalid_request")


GATE_INPUTS = st.lists(st.sampled_from(["a", "b", "c", 0.0, -1.5, 2.0]), min_size=0, max_size=3)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    gate=st.sampled_from(
        [
            "add",
            "mul",
            "matmul",
            "sum",
            "reshape",
            "softmax",
            "conv2d",
            "getitem",
            "split",
            "concat",
            "linear",
            "mse_loss",
        ]
    ),
    inputs=GATE_INPUTS,
    params=st.dictionaries(
        st.sampled_from(["axis", "shape", "index", "sections", "padding", "stride", "keepdims"]),
        JSON_VALUES,
        max_size=2,
    ),
)
def test_random_gate_applications_fail_cleanly_or_succeed(workspace, gate, inputs, params):
    if not workspace.get().json()["variables"]:
        prepared(workspace)
    before = workspace.get().json()
    response = workspace.post("/gates", {"gate": gate, "inputs": inputs, "params": params})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert workspace.get().json() == before


def test_non_standard_json_numbers_are_refused_cleanly(workspace):
    for raw in (
        b'{"name": "a", "value": Infinity}',
        b'{"name": "a", "value": [NaN]}',
        b'{"gate": "sum", "inputs": [], "params": {"axis": -Infinity}}',
    ):
        response = workspace.client.post(
            workspace.base + "/variables", content=raw, headers=workspace._auth(None)
        )
        assert_error(response, 422, "invalid_request")
    assert workspace.get().json()["variables"] == []


def test_non_finite_gate_params_are_refused_and_the_state_stays_readable(workspace):
    prepared(workspace)
    for raw in (
        b'{"gate": "sum", "inputs": ["a"], "params": {"axis": Infinity}}',
        b'{"gate": "clamp", "inputs": ["a"], "params": {"min": -Infinity}}',
        b'{"gate": "mul", "inputs": ["a", NaN]}',
    ):
        response = workspace.client.post(
            workspace.base + "/gates", content=raw, headers=workspace._auth(None)
        )
        assert_error(response, 422, "invalid_request")
    assert workspace.get().status_code == 200


def test_a_body_that_is_not_even_text_is_422_like_any_malformed_json(workspace):
    headers = {**workspace._auth(None), "Content-Type": "application/json"}
    for raw in (b"\xc3\x28", b"\x01\xe9\x80E\xff"):
        url = workspace.base + "/zero_grad"
        response = workspace.client.post(url, content=raw, headers=headers)
        error = assert_error(response, 422, "invalid_request")
        assert error["detail"] == [{"field": "body", "problem": "not valid JSON text"}]


BOOLEANS_FOR_NUMBERS = [
    ("/variables", {"name": "t", "value": True}),
    ("/variables", {"name": "t", "init": {"kind": "randn", "shape": [2], "seed": True}}),
    ("/variables", {"name": "t", "init": {"kind": "zeros", "shape": [True]}}),
    ("/gates", {"gate": "mul", "inputs": ["a", True]}),
    ("/optimizer/step", {"optimizer": "sgd", "lr": True, "params": ["a"]}),
    ("/gradcheck", {"variable": "c", "wrt": ["a"], "eps": True}),
    ("/backprop", {"variable": "c", "seed": True}),
]


def test_booleans_are_not_numbers_anywhere_a_number_is_taken(workspace):
    prepared(workspace)
    before = workspace.get().json()
    for path, body in BOOLEANS_FOR_NUMBERS:
        assert_error(workspace.post(path, body), 422, "invalid_request")
    assert workspace.get().json() == before


def test_numbers_are_not_booleans_and_floats_are_not_integers(workspace):
    for body in (
        {"name": "t", "value": 1.0, "requires_grad": 1},
        {"name": "t", "init": {"kind": "zeros", "shape": [2.0]}},
    ):
        assert_error(workspace.post("/variables", body), 422, "invalid_request")
