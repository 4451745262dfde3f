"""Bodies nested deeper than any request needs are refused (422) before they are parsed."""

import json

import pytest

from backend.http.json_depth import MAX_JSON_DEPTH, json_depth
from backend.tests.conftest import assert_error, snapshot


def nested(depth: int, inner: str = "1") -> str:
    """``inner`` inside ``depth`` arrays, as JSON text."""
    return "[" * depth + inner + "]" * depth


def test_depth_counts_arrays_and_objects():
    assert json_depth(b"1") == 0
    assert json_depth(b'{"a": [1, [2]], "b": {}}') == 3
    assert json_depth(nested(900).encode()) == 900


def test_brackets_inside_strings_do_not_count():
    assert json_depth(b'{"a": "[[[{{", "b": "\\"[[[", "c": [["]]]"]]}') == 3


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (r'["\\", [[1]]]', 3),  # an escaped backslash ends the string at the next quote
        (r'["\\\"[[", [1]]', 2),  # an escaped backslash, then an escaped quote
        (r'["a\\\\"]', 1),
        (r'[{"k": "}}}\"]]]"}]', 2),
    ],
)
def test_escapes_are_read_as_json_reads_them(text, depth):
    assert json.loads(text) is not None  # each is a JSON document
    assert json_depth(text.encode()) == depth


def test_an_unclosed_string_of_escaped_quotes_counts_as_one_string():
    # A regular expression for strings backtracked on this: quadratic, 12.8 s for 64 KB.
    assert json_depth(b'[[1], "' + b'\\"' * 100_000) == 2


DEEP_BODIES = {
    "a variable's value": ("post", "/variables", {"name": "d", "value": "DEEP"}),
    "a backprop seed": ("post", "/backprop", {"variable": "c", "seed": "DEEP"}),
    "a gate's params": ("post", "/gates", {"gate": "sum", "inputs": ["a"], "params": "DEEP"}),
    "a gate's inputs": ("post", "/gates", {"gate": "mul", "inputs": ["a", "DEEP"]}),
    "a program": ("post", "/eval", {"source": "DEEP"}),
    "a training config": ("put", "/training", {"model": {"hidden": "DEEP"}}),
    "a whole body": ("post", "/variables", "DEEP"),
}


@pytest.mark.parametrize("route", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
def test_a_body_nested_900_deep_is_422_and_changes_nothing(workspace, route):
    workspace.post("/variables", {"name": "a", "value": [1.0, 2.0], "requires_grad": True})
    workspace.post("/gates", {"gate": "mul", "inputs": ["a", "a"], "output": "c"})
    before = snapshot(workspace)
    method, path, body = route
    deep = json.dumps(body).replace('"DEEP"', nested(900))
    response = workspace.send_json_text(method, path, deep)
    error = assert_error(response, 422, "too_deeply_nested")
    assert f"the limit is {MAX_JSON_DEPTH}" in error["message"]
    assert error["detail"]["limit"] == MAX_JSON_DEPTH
    assert snapshot(workspace) == before


def test_a_tensor_of_as_many_dimensions_as_numpy_allows_fits_the_limit(workspace):
    rank = MAX_JSON_DEPTH - 1  # the request object holds the tensor
    body = f'{{"name": "t", "value": {nested(rank)}}}'
    response = workspace.send_json_text("post", "/variables", body)
    assert response.status_code == 201, response.text
    assert response.json()["shape"] == [1] * rank
    too_deep = f'{{"name": "u", "value": {nested(rank + 1)}}}'
    response = workspace.send_json_text("post", "/variables", too_deep)
    assert_error(response, 422, "too_deeply_nested")


def test_an_import_nested_900_deep_is_422_and_keeps_no_workspace(client):
    registry = client.app.state.registry
    before = registry.store.count_workspaces()
    create = {"kind": "create_variable", "body": {"name": "a", "value": "DEEP"}}
    document = json.dumps({"operations": [create]}).replace('"DEEP"', nested(900))
    response = client.post(
        "/api/workspaces/import", content=document, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 422, "too_deeply_nested")
    assert registry.store.count_workspaces() == before


def test_a_shallow_body_with_more_brackets_than_the_limit_is_let_through(workspace):
    rows = [[float(i), 1.0] for i in range(3 * MAX_JSON_DEPTH)]
    response = workspace.post("/variables", {"name": "m", "value": rows})
    assert response.status_code == 201, response.text
    assert response.json()["shape"] == [3 * MAX_JSON_DEPTH, 2]
