"""The Workspace's savepoints: a failure inside one leaves the workspace as it was."""

import pytest

import engine
from backend.settings import Settings
from backend.workspaces import Workspace


@pytest.fixture
def ws(tmp_path) -> Workspace:
    workspace = Workspace("w", Settings(data_dir=tmp_path), journal=None)
    workspace.bind("x", workspace.context.variable(2.0, requires_grad=True))
    return workspace


def test_a_failed_savepoint_undoes_bindings_renames_and_tape(ws):
    x = ws.variables["x"]
    with pytest.raises(RuntimeError), ws.savepoint():
        ws.rename_to_version("x")
        ws.bind("x", engine.mul(x, x))
        raise RuntimeError("boom")
    assert list(ws.variables) == ["x"] and ws.variables["x"] is x and x.name == "x"
    assert ws.context.nodes == []


def test_an_inner_failure_undoes_only_the_inner_block(ws):
    x = ws.variables["x"]
    with ws.savepoint():
        ws.bind("y", x * 3.0)
        with pytest.raises(RuntimeError), ws.savepoint():
            ws.bind("z", x * 4.0)
            raise RuntimeError("boom")
    assert list(ws.variables) == ["x", "y"]
    assert len(ws.context.nodes) == 1


def test_changes_outside_a_savepoint_keep_no_undo_steps(ws):
    for i in range(100):
        ws.bind(f"v{i}", ws.context.variable(float(i)))
    assert ws._undo is None
