"""A past step drawn over REST: the boundary and the network at a kept step of the run, as
they were drawn live at that step, without changing the run."""

import pytest

from backend.tests.conftest import WorkspaceHandle, assert_error
from backend.tests.test_training import configure, control
from backend.tests.test_training_network import SMALL

ENDLESS = {**SMALL, "epochs": None}


def drawn(workspace: WorkspaceHandle, path: str) -> dict:
    answer = workspace.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


def steps(workspace: WorkspaceHandle, count: int) -> None:
    for _ in range(count):
        assert control(workspace, "step").status_code == 200


DRAWINGS = ["/training/boundary?resolution=12", "/training/network?resolution=6"]


@pytest.mark.parametrize("path", DRAWINGS)
def test_a_past_step_is_drawn_as_it_was_drawn_live_then(workspace, path):
    configure(workspace, ENDLESS)
    steps(workspace, 3)
    live_then = drawn(workspace, path)
    steps(workspace, 4)
    live_now = drawn(workspace, path)
    assert live_now != live_then  # four more steps moved the weights
    assert drawn(workspace, f"{path}&step=3") == live_then


def test_step_0_draws_the_initial_weights(workspace):
    configure(workspace, ENDLESS)
    initial = drawn(workspace, "/training/network?resolution=4")
    steps(workspace, 2)
    past = drawn(workspace, "/training/network?resolution=4&step=0")
    assert past == initial and past["step"] == 0


def test_drawing_a_past_step_changes_nothing(workspace):
    configure(workspace, ENDLESS)
    steps(workspace, 3)
    status = drawn(workspace, "/training")
    live = drawn(workspace, "/training/network?resolution=4")
    drawn(workspace, "/training/network?resolution=4&step=1")
    drawn(workspace, "/training/boundary?resolution=8&step=1")
    assert drawn(workspace, "/training/network?resolution=4") == live
    after = drawn(workspace, "/training")
    assert after["step"] == status["step"] == 3 and after["parameters"] == status["parameters"]
    steps(workspace, 1)  # and the run still trains on from where it was
    assert drawn(workspace, "/training")["step"] == 4


@pytest.mark.parametrize("route", ["boundary", "network"])
def test_a_step_not_kept_is_404_naming_the_nearest(workspace, route):
    configure(workspace, ENDLESS)
    steps(workspace, 2)
    answer = workspace.get(f"/training/{route}?step=9")
    assert_error(answer, 404, "step_not_kept")
    assert answer.json()["error"]["detail"]["nearest"] == [2]


@pytest.mark.parametrize("route", ["boundary", "network"])
def test_a_past_step_before_a_run_is_configured_is_404(workspace, route):
    assert_error(workspace.get(f"/training/{route}?step=0"), 404, "no_training")


@pytest.mark.parametrize("step", ["-1", "two"])
def test_a_malformed_step_is_422(workspace, step):
    configure(workspace, ENDLESS)
    assert workspace.get(f"/training/boundary?step={step}").status_code == 422
