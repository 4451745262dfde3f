"""An import that fails, however it fails, answers 4xx and leaves no workspace behind."""

import pytest

VALUE_A = {"kind": "create_variable", "body": {"name": "a", "value": [1.0, 2.0]}}


@pytest.mark.parametrize(
    ("operations", "failing"),
    [
        (
            [
                {
                    "kind": "create_variable",
                    "body": {"name": "a", "init": {"kind": "zeros", "shape": [2**62 + 1, 4]}},
                }
            ],
            0,
        ),
        (
            [
                VALUE_A,
                {
                    "kind": "apply_gate",
                    "body": {"gate": "sum", "inputs": ["a"], "params": {"axis": 2**63 - 1}},
                },
            ],
            1,
        ),
        ([VALUE_A, {"kind": "apply_gate", "body": {"gate": "nope", "inputs": ["a"]}}], 1),
    ],
    ids=["shape-overflows-int64", "axis-overflows-int", "unknown-gate"],
)
def test_a_failed_import_is_422_naming_the_operation_and_keeps_nothing(client, operations, failing):
    registry = client.app.state.registry
    before = registry.store.count_workspaces()
    response = client.post("/api/workspaces/import", json={"operations": operations})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_document"
    assert error["detail"]["operation"] == failing
    assert registry.store.count_workspaces() == before
