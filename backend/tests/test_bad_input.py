"""Bad input never gets a 500, always the JSON error contract, and never changes anything."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.tests.conftest import assert_error, error_of, snapshot

HUGE_INTEGERS = st.sampled_from([2**31, 2**63 - 1, 2**63, -(2**63) - 1, 2**64, 10**30])
WEIRD_NAMES = st.sampled_from(["é名", "x" * 99_000, "a\x00b", "", "1a", "a b"]) | st.text()
PROGRAMS = WEIRD_NAMES.map(lambda name: f"{name} = a * b")
SHAPES = st.lists(st.integers(min_value=0, max_value=4) | HUGE_INTEGERS, max_size=4)
INITS = st.fixed_dictionaries({"kind": st.sampled_from(["zeros", "arange"]), "shape": SHAPES})
DEEP = st.sampled_from([2, 66, 900, 5000]).map(lambda depth: f"<nested {depth}>")
"""Stands for a number inside that many arrays, which ``to_json`` writes out: a test's own
stack is too deep to hold the nested lists, or for ``json.dumps`` to write them."""


def to_json(body: object) -> str:
    """``body`` as JSON text, with each stand-in of DEEP written out as nested arrays."""
    return re.sub(r'"<nested (\d+)>"', lambda m: nested(int(m[1])), json.dumps(body))


def nested(depth: int) -> str:
    """A number inside ``depth`` arrays, as JSON text."""
    return "[" * depth + "1.0" + "]" * depth


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers()
    | st.text(max_size=8)
    | HUGE_INTEGERS
    | WEIRD_NAMES
    | PROGRAMS
    | SHAPES
    | INITS
    | DEEP,
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
    ("put", "/training"),
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
    response = workspace.send_json_text(method, path, to_json(body))
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "detail"}


def body_of(route: tuple[str, str], **fields: st.SearchStrategy) -> st.SearchStrategy:
    """(route, body) pairs whose body has the right fields, each drawn from its strategy."""
    return st.tuples(st.just(route), st.fixed_dictionaries(fields))


FRESH_NAMES = st.from_regex(r"v_[a-z0-9]{8}", fullmatch=True)
"""Valid names, hardly ever taken, so that what follows the name is checked too."""

WELL_FORMED = st.one_of(
    body_of(("post", "/variables"), name=WEIRD_NAMES | FRESH_NAMES, value=DEEP | JSON_VALUES),
    body_of(("post", "/variables"), name=FRESH_NAMES, init=INITS),
    body_of(("post", "/backprop"), variable=st.just("c"), seed=DEEP | JSON_VALUES),
    body_of(("post", "/eval"), source=PROGRAMS),
    body_of(("put", "/training"), model=st.fixed_dictionaries({"hidden": JSON_VALUES})),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(request=WELL_FORMED)
def test_well_formed_bodies_with_bad_values_fail_cleanly_or_succeed(workspace, request):
    if not workspace.get().json()["variables"]:
        prepared(workspace)
    (method, path), body = request
    before = snapshot(workspace)
    response = workspace.send_json_text(method, path, to_json(body))
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        error_of(response)
        assert snapshot(workspace) == before


def test_invalid_json_is_422(workspace):
    response = workspace.send_json_text("post", "/variables", b"{not json")
    error = assert_error(response, 422, "invalid_request")
    assert "JSON decode error" in error["message"]


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
    body = {"gate": gate, "inputs": inputs, "params": params}
    response = workspace.send_json_text("post", "/gates", to_json(body))
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


HUGE_INTEGER_PARAMS = {
    "axis 2**63": ("sum", ["a"], {"axis": 2**63}),
    "axis -2**63": ("sum", ["a"], {"axis": -(2**63)}),
    "axes [0, 2**64]": ("mean", ["a"], {"axis": [0, 2**64]}),
    "axis 2**31": ("softmax", ["a"], {"axis": 2**31}),
    "axes [2**63, 0]": ("transpose", ["b"], {"axes": [2**63, 0]}),
    "index [[0, 2**63]]": ("getitem", ["a"], {"index": [[0, 2**63]]}),
    "number 10**400": ("clamp", ["a"], {"min": 10**400}),
    "shape [2**64]": ("reshape", ["a"], {"shape": [2**64]}),
}


@pytest.mark.parametrize(
    ("gate", "inputs", "params"), HUGE_INTEGER_PARAMS.values(), ids=HUGE_INTEGER_PARAMS.keys()
)
def test_huge_integer_gate_params_are_422_invalid_params_and_change_nothing(
    workspace, gate, inputs, params
):
    prepared(workspace)
    before = snapshot(workspace)
    for dry_run in (True, False):
        response = workspace.post(
            "/gates", {"gate": gate, "inputs": inputs, "params": params, "dry_run": dry_run}
        )
        error = assert_error(response, 422, "invalid_params")
        assert f"{gate}: parameter " in error["message"]
    assert snapshot(workspace) == before


@pytest.mark.parametrize(
    "shape",
    [[2**62 + 1, 4], [2**32, 2**32], [2**64], [0, 2**63], [0, 2**62, 2**62]],
    ids=["2**62+1 by 4", "2**32 by 2**32", "2**64", "0 by 2**63", "0 by 2**62 by 2**62"],
)
def test_init_shapes_beyond_int64_are_413_and_create_nothing(workspace, shape):
    before = snapshot(workspace)
    for kind in ("zeros", "randn", "arange"):
        response = workspace.post(
            "/variables", {"name": "v", "init": {"kind": kind, "shape": shape}}
        )
        error = assert_error(response, 413, "tensor_too_large")
        assert str(shape) in error["message"]
    assert snapshot(workspace) == before


def test_a_gate_result_numpy_cannot_make_is_422_dry_run_or_not(workspace):
    workspace.post("/variables", {"name": "e", "value": []})
    before = snapshot(workspace)
    for dry_run in (True, False):
        body = {"gate": "reshape", "inputs": ["e"], "params": {"shape": [0, 2**62, 2**62]}}
        error = assert_error(
            workspace.post("/gates", {**body, "dry_run": dry_run}), 422, "gate_failed"
        )
        assert "too large for NumPy" in error["message"]
    assert snapshot(workspace) == before


@pytest.mark.parametrize(
    "shape", [[2**31, 0], [0, 4, 2**30]], ids=["2**31 by 0", "0 by 4 by 2**30"]
)
def test_an_empty_shape_whose_json_would_be_billions_of_lists_is_refused(workspace, shape):
    """No elements, but written out as JSON it would be 2**31 empty lists (24 GB in Python)."""
    created = workspace.post("/variables", {"name": "v", "init": {"kind": "zeros", "shape": shape}})
    assert_error(created, 413, "tensor_too_large")
    workspace.post("/variables", {"name": "e", "value": []})
    reshaped = workspace.post(
        "/gates", {"gate": "reshape", "inputs": ["e"], "params": {"shape": shape}}
    )
    assert_error(reshaped, 413, "tensor_too_large")
    assert [v["name"] for v in workspace.get().json()["variables"]] == ["e"]
