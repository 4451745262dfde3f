"""An imported document is read as the contract says and nothing more: tensors of the
engine's dtypes only, and a training checkpoint that fits its model field by field."""

import copy

import pytest

from backend.tests.conftest import WorkspaceHandle, assert_error, workspace_with
from backend.tests.test_exporting import train_for

CONFIG = {"dataset": {"n": 40}, "model": {"hidden": [3]}, "epochs": 2, "batch_size": 20}


def import_document(workspace: WorkspaceHandle, document: dict):
    return workspace.client.post("/api/workspaces/import", json=document)


def count(workspace: WorkspaceHandle) -> int:
    return workspace.client.app.state.registry.store.count_workspaces()


@pytest.mark.parametrize("dtype", ["S1000000000", "U1000000", "object", "complex128", "<f8"])
def test_a_dtype_outside_the_allow_list_is_422_and_keeps_nothing(workspace, dtype):
    workspace.post("/variables", {"name": "a", "value": [1.0, 2.0]})
    document = workspace.get("/export").json()
    document["variables"][0]["dtype"] = dtype
    before = count(workspace)
    error = assert_error(import_document(workspace, document), 422, "invalid_document")
    assert repr(dtype) in error["message"]
    assert "float64, float32, int64, bool" in error["message"]
    assert count(workspace) == before


def test_a_tensor_over_the_element_limit_is_refused_from_its_outer_shape(tmp_path):
    with workspace_with(tmp_path, max_tensor_elements=10) as workspace:
        workspace.post("/variables", {"name": "a", "value": [1.0, 2.0]})
        document = workspace.get("/export").json()
        # 11 rows of one element each, the last ragged: the count is read before the array.
        document["variables"][0]["value"] = [[1.0]] * 10 + [[1.0, 2.0]]
        error = assert_error(import_document(workspace, document), 413, "tensor_too_large")
        assert error["detail"] == {"elements": 11, "limit": 10}


def trained_document(workspace: WorkspaceHandle) -> dict:
    train_for(workspace, 3, CONFIG)
    return workspace.get("/export").json()


def with_checkpoint(document: dict, **changes) -> dict:
    changed = copy.deepcopy(document)
    changed["training"]["checkpoint"].update(changes)
    return changed


def test_a_checkpoint_naming_an_unknown_parameter_is_422_naming_it(workspace):
    document = trained_document(workspace)
    parameters = {**document["training"]["checkpoint"]["parameters"], "W9": [[1.0]]}
    before = count(workspace)
    response = import_document(workspace, with_checkpoint(document, parameters=parameters))
    error = assert_error(response, 422, "invalid_document")
    assert error["detail"]["field"] == "parameters.W9"
    assert "parameters.W9" in error["message"]
    assert count(workspace) == before


def test_a_checkpoint_whose_shapes_do_not_fit_the_model_is_422_naming_the_field(workspace):
    document = trained_document(workspace)
    parameters = dict(document["training"]["checkpoint"]["parameters"])
    name = sorted(parameters)[0]
    parameters[name] = [[0.5]]
    response = import_document(workspace, with_checkpoint(document, parameters=parameters))
    error = assert_error(response, 422, "invalid_document")
    assert error["detail"]["field"] == f"parameters.{name}"


def test_strings_in_a_checkpoints_optimizer_state_are_422(workspace):
    document = trained_document(workspace)
    state = dict(document["training"]["checkpoint"]["optimizer_state"])
    name = sorted(key for key in state if key != "steps")[0]
    state[name] = ["x" * 100_000] * 8
    response = import_document(workspace, with_checkpoint(document, optimizer_state=state))
    error = assert_error(response, 422, "invalid_document")
    assert error["detail"]["field"] == f"optimizer_state.{name}"


@pytest.mark.parametrize("field", ["epoch", "step", "history_before"])
def test_a_negative_count_in_a_checkpoint_is_422_naming_it(workspace, field):
    document = trained_document(workspace)
    response = import_document(workspace, with_checkpoint(document, **{field: -5}))
    error = assert_error(response, 422, "invalid_request")
    assert f"training.checkpoint.{field}: " in error["message"]


def test_a_checkpoint_saved_while_running_comes_back_paused_and_can_start(workspace):
    document = with_checkpoint(trained_document(workspace), state="running")
    created = import_document(workspace, document)
    assert created.status_code == 201, created.text
    body = created.json()
    imported = WorkspaceHandle(workspace.client, body["id"], body["token"], body["viewer_token"])
    assert imported.get("/training").json()["state"] == "paused"
    assert imported.post("/training/start", {}).status_code == 200
    assert imported.post("/training/pause", {}).status_code in (200, 409)  # 409: done already


def test_a_version_1_checkpoint_naming_an_unknown_parameter_is_422(workspace):
    document = trained_document(workspace)
    checkpoint = with_checkpoint(document)["training"]["checkpoint"]
    checkpoint["parameters"] = {**checkpoint["parameters"], "W9": [[1.0]]}
    journal = {
        "version": 1,
        "operations": [
            {"kind": "training_configure", "body": document["training"]["config"]},
            {"kind": "training_checkpoint", "body": checkpoint},
        ],
    }
    before = count(workspace)
    error = assert_error(import_document(workspace, journal), 422, "invalid_document")
    assert error["detail"]["operation"] == 1
    assert "parameters.W9" in error["message"]
    assert count(workspace) == before
