"""The book of training runs in snapshot format 2: each kept step's arrays written once in
the array table, layouts and settings in tables of their own, everything else plain JSON;
a snapshot written before runs had timelines loads with a book holding its current step."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.store import snapshots
from backend.tests.conftest import WorkspaceHandle
from backend.tests.test_fixture_stores import opened
from backend.tests.test_snapshot_format import read_as_documented
from backend.tests.test_training import MOONS, configure
from backend.tests.test_training_timeline import ENDLESS, fork, kept_steps, steps


def document_of(workspace: WorkspaceHandle) -> tuple[dict, list[np.ndarray]]:
    """The snapshot the server would write of ``workspace`` now, read as documented."""
    live, _ = workspace.client.app.state.registry.authorize(workspace.id, workspace.token)
    with live.lock:
        return read_as_documented(snapshots.capture(live, live.journal.seq).body)


SMALL = {**ENDLESS, "dataset": {**MOONS["dataset"], "n": 64}}
"""48 training points in batches of 32: an epoch, and an entry of history, every 2 steps."""


def forked_twice(workspace: WorkspaceHandle) -> None:
    """Run 1 to step 4, run 2 forked from its step 2 with another learning rate, one step on."""
    configure(workspace, SMALL)
    steps(workspace, 4)
    fork(workspace, {"step": 2, "optimizer": {"lr": 0.05}})
    steps(workspace, 1)


def test_each_kept_step_is_one_array_of_the_table_that_holds_its_weights(workspace):
    forked_twice(workspace)
    document, arrays = document_of(workspace)
    book = document["workspace"]["training"]["runs"]
    runs = [*book["earlier"], book["current"]]
    assert [(run["id"], run["parent"], run["fork_step"]) for run in runs] == [
        (1, None, None),
        (2, 1, 2),
    ]
    refs = [kept["values"] for run in runs for kept in run["kept"]]
    assert len(refs) == 5 + 2 and len(set(refs)) == len(refs)
    for run in runs:
        for kept in run["kept"]:
            layout, values = book["layouts"][kept["layout"]], arrays[kept["values"]]
            assert values.dtype == np.float64 and values.size == sum(
                int(np.prod(shape)) for _, _, shape in layout
            )
            answer = workspace.get(f"/training/at/{kept['step']}?run={run['id']}").json()
            start = 0
            for group, name, shape in layout:
                size = int(np.prod(shape))
                if group == "parameters":
                    expected = np.asarray(answer["parameters"][name]).ravel()
                    assert np.array_equal(values[start : start + size], expected)
                start += size


def test_layouts_and_settings_shared_by_kept_steps_are_written_once(workspace):
    forked_twice(workspace)
    document, _ = document_of(workspace)
    book = document["workspace"]["training"]["runs"]
    # Step 0 has no gradients yet; every later step has the same arrays.
    assert len(book["layouts"]) == 2
    # Run 1's settings (its kept steps' and its own) and the fork's, with its learning rate.
    assert [config["optimizer"]["lr"] for config in book["configs"]] == [0.01, 0.05]
    assert book["earlier"][0]["config"] == 0
    assert book["current"]["config"] is None  # the current run's settings are the run's own
    assert {kept["config"] for kept in book["current"]["kept"]} == {1}


def test_an_earlier_runs_history_is_plain_json(workspace):
    forked_twice(workspace)
    document, _ = document_of(workspace)
    runs = workspace.get("/training/runs").json()["runs"]
    written = document["workspace"]["training"]["runs"]["earlier"][0]["history"]
    assert written == runs[0]["history"] and written


def test_a_snapshot_written_before_timelines_loads_with_a_book_holding_its_step(tmp_path):
    settings, written = opened(tmp_path, 2)
    workspace_id, expected = next(
        (key, ws) for key, ws in written.items() if ws["training"]["state"] == "paused"
    )
    with TestClient(create_app(settings)) as client:
        workspace = WorkspaceHandle(client, workspace_id, expected["token"], "")
        assert kept_steps(workspace) == [3]
        runs = workspace.get("/training/runs").json()["runs"]
        assert [(run["id"], run["parent"], run["current"]) for run in runs] == [(1, None, True)]
        at_3 = workspace.get("/training/at/3").json()["parameters"]["W1"]
        assert at_3 == workspace.get("/variables/net_W1").json()["value"]
        steps(workspace, 1)
        assert kept_steps(workspace) == [3, 4]
    with TestClient(create_app(settings)) as client:  # now saved with its book
        workspace = WorkspaceHandle(client, workspace_id, expected["token"], "")
        assert kept_steps(workspace) == [3, 4]
