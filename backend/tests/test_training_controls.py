"""The training playground's controls over REST: something to draw before any setup,
settings changed mid-run without a reset (PATCH), the L1 penalty, and training until paused."""

import time

import numpy as np
import pytest
from fastapi.testclient import TestClient

from backend.http.app import create_app
from backend.tests.conftest import WorkspaceHandle, assert_error
from backend.tests.test_training import MOONS, configure, control, train_to_the_end, weights
from backend.tests.test_training_layer_health import loss_by_hand
from backend.training.job import TrainingRun
from backend.training.schemas import TrainingConfig, TrainingSettings

# 75 training points in one batch: every step ends an epoch.
ONE_STEP_EPOCHS = {**MOONS, "dataset": {"kind": "moons", "n": 100}, "batch_size": 75}


def adjust(workspace: WorkspaceHandle, settings: dict):
    return workspace.request("PATCH", "/training", settings)


def wait_for(workspace: WorkspaceHandle, done, what: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = workspace.get("/training").json()
        if done(status):
            return status
        time.sleep(0.02)
    raise AssertionError(f"training never reached {what}")


def test_an_unconfigured_workspace_answers_with_the_default_setup(workspace):
    response = workspace.get("/training")
    assert response.status_code == 200
    status = response.json()
    assert status["state"] == "unconfigured"
    assert status["config"] == TrainingConfig().model_dump(mode="json")
    assert (status["step"], status["parameters"], status["history"]) == (0, [], [])
    assert status["config"]["epochs"] is None


def test_an_unconfigured_workspace_draws_the_default_data_and_a_neutral_boundary(workspace):
    points = workspace.get("/training/points").json()
    assert len(points["train"]) == 300 and len(points["test"]) == 100
    boundary = workspace.get("/training/boundary?resolution=6").json()
    assert boundary["probabilities"] == [[0.5] * 6] * 6
    xs = [p[0] for p in points["train"] + points["test"]]
    assert boundary["x_min"] < min(xs) and boundary["x_max"] > max(xs)
    configure(workspace, {})
    assert workspace.get("/training/points").json() == points


def test_a_preview_draws_a_datasets_points_without_changing_anything(workspace):
    quiet = workspace.post("/training/points/preview", {"noise": 0.0}).json()
    noisy = workspace.post("/training/points/preview", {"noise": 0.5}).json()
    assert len(noisy["train"]) == 300 and noisy["train_labels"] == quiet["train_labels"]
    assert noisy["train"] != quiet["train"]
    assert workspace.get("/training").json()["state"] == "unconfigured"
    bad = workspace.post("/training/points/preview", {"noise": 2})
    assert assert_error(bad, 422, "invalid_request")["detail"][0]["field"] == "noise"


def test_adjusting_a_paused_run_keeps_its_step_weights_and_history(workspace):
    configure(workspace, {**ONE_STEP_EPOCHS, "optimizer": {"kind": "sgd", "lr": 0.1}})
    for _ in range(3):
        control(workspace, "step")
    before = weights(workspace)
    response = adjust(workspace, {"optimizer": {"lr": 0.5}, "l2": 0.001, "batch_size": 25})
    assert response.status_code == 200, response.text
    status = response.json()
    assert (status["step"], status["epoch"], status["state"]) == (3, 3, "paused")
    assert len(status["history"]) == 3 and weights(workspace) == before
    assert status["config"]["optimizer"] == {**status["config"]["optimizer"], "kind": "sgd"}
    assert status["config"]["optimizer"]["lr"] == 0.5 and status["config"]["l2"] == 0.001
    assert status["steps_per_epoch"] == 3
    assert control(workspace, "step").json()["step"] == 4


def test_a_new_learning_rate_takes_effect_on_the_next_step(workspace):
    # Plain SGD: the step is exactly lr × gradient, so doubling lr doubles the change.
    configure(workspace, {**ONE_STEP_EPOCHS, "optimizer": {"kind": "sgd", "lr": 0.01}})
    control(workspace, "step")
    adjust(workspace, {"optimizer": {"lr": 0.02}})
    grad = np.array(workspace.get("/variables/net_b3").json()["grad"])
    before = np.array(weights(workspace)["net_b3"])
    control(workspace, "step")
    moved = np.array(weights(workspace)["net_b3"]) - before
    fresh = workspace.get("/variables/net_b3").json()["grad"]
    np.testing.assert_allclose(moved, -0.02 * np.array(fresh))
    assert not np.allclose(grad, fresh)


def test_adjusting_a_running_run_does_not_reset_it(workspace):
    configure(workspace, {**ONE_STEP_EPOCHS, "max_steps_per_second": 200})
    control(workspace, "start")
    wait_for(workspace, lambda s: s["step"] >= 5, "step 5")
    status = adjust(workspace, {"optimizer": {"lr": 0.02}, "max_steps_per_second": 1000}).json()
    assert status["state"] == "running" and status["step"] >= 5
    assert len(status["history"]) >= 5
    later = wait_for(workspace, lambda s: s["step"] >= status["step"] + 5, "5 more steps")
    assert later["history"][:5] == status["history"][:5]
    control(workspace, "pause")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"model": {"hidden": [4]}}, "model"),
        ({"dataset": {"noise": 0.3}}, "dataset"),
        ({"loss": "mse"}, "loss"),
        ({"optimizer": {"lr": 0.1, "depth": 2}}, "optimizer.depth"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_an_adjustment_that_changes_the_model_or_data_is_422_naming_the_field(
    workspace, change, field
):
    configure(workspace, MOONS)
    control(workspace, "step")
    error = assert_error(adjust(workspace, change), 422, "invalid_request")
    assert error["detail"][0]["field"] == field
    assert workspace.get("/training").json()["step"] == 1


def test_adjusting_before_configuring_is_404(workspace):
    assert_error(adjust(workspace, {"l2": 0.1}), 404, "no_training")


def test_an_adjustment_is_journaled_and_replayed(settings, workspace):
    configure(workspace, {**MOONS, "optimizer": {"kind": "momentum", "lr": 0.05}})
    adjust(workspace, {"optimizer": {"lr": 0.2}, "l1": 0.01, "epochs": 7})
    adjust(workspace, {"epochs": None})
    with TestClient(create_app(settings)) as restarted:
        again = WorkspaceHandle(restarted, workspace.id, workspace.token, workspace.viewer_token)
        config = again.get("/training").json()["config"]
    assert config["optimizer"]["kind"] == "momentum" and config["optimizer"]["lr"] == 0.2
    assert (config["l1"], config["epochs"], config["batch_size"]) == (0.01, None, 32)


def test_an_adjustment_is_streamed_as_a_training_event(client, workspace):
    configure(workspace, MOONS)
    adjust(workspace, {"l2": 0.01})
    hub = client.app.state.registry.authorize(workspace.id, workspace.token)[0].events
    assert [e.type for e in hub.missed_since(0)][-1] == "training"


def test_the_l1_penalty_adds_l1_times_the_weights_absolute_sum():
    run = TrainingRun(TrainingConfig(**{**MOONS, "l1": 0.01}))
    points, labels = run.data.x_train[:32], run.data.y_train[:32]
    w = {name: p.value.copy() for name, p in run.model.parameters.items()}
    penalty = sum(np.abs(w[name]).sum() for name in ("W1", "W2", "W3"))
    expected = loss_by_hand(w, points, labels) + 0.01 * penalty
    assert run.model.loss(run.model.forward(points), labels).item() == pytest.approx(expected)


def test_the_l1_penalty_adds_l1_times_the_weights_signs_to_their_gradients():
    def gradients(l1: float) -> dict[str, np.ndarray]:
        run = TrainingRun(TrainingConfig(**{**MOONS, "l1": l1}))
        run.model.loss(run.model.forward(run.data.x_train), run.data.y_train).backprop()
        return {name: p.grad.copy() for name, p in run.model.parameters.items()}

    plain, with_l1 = gradients(0.0), gradients(0.05)
    signs = {
        name: np.sign(p.value)
        for name, p in TrainingRun(TrainingConfig(**MOONS)).model.parameters.items()
    }
    np.testing.assert_allclose(with_l1["W2"] - plain["W2"], 0.05 * signs["W2"], atol=1e-12)
    np.testing.assert_allclose(with_l1["b2"], plain["b2"])


def test_with_no_stop_a_run_trains_past_any_epoch_count():
    run = TrainingRun(TrainingConfig(**{**ONE_STEP_EPOCHS, "epochs": None}))
    for _ in range(10_001):
        assert not run.finished
        run.epoch += 1  # the stop is a matter of counting epochs
    assert not run.finished


def test_with_no_stop_the_background_run_goes_on_until_paused(workspace):
    configure(workspace, {**ONE_STEP_EPOCHS, "epochs": None})
    control(workspace, "start")
    wait_for(workspace, lambda s: s["epoch"] > 60, "epoch 60")
    assert workspace.get("/training").json()["state"] == "running"
    assert control(workspace, "pause").json()["state"] == "paused"


def test_train_on_a_finished_run_goes_on_from_where_it_is(workspace):
    configure(workspace, {**ONE_STEP_EPOCHS, "epochs": 2})
    done = train_to_the_end(workspace)
    started = control(workspace, "start").json()
    assert started["state"] == "running" and started["config"]["epochs"] is None
    later = wait_for(workspace, lambda s: s["epoch"] > 4, "epoch 4")
    assert later["history"][:2] == done["history"]
    control(workspace, "pause")


def test_raising_the_stop_of_a_finished_run_trains_on_to_the_new_stop(workspace):
    configure(workspace, {**ONE_STEP_EPOCHS, "epochs": 2})
    train_to_the_end(workspace)
    assert adjust(workspace, {"epochs": 4}).json()["state"] == "paused"
    status = train_to_the_end(workspace)
    assert (status["epoch"], status["config"]["epochs"]) == (4, 4)


def test_a_new_batch_size_mid_epoch_finishes_the_epoch_with_the_points_left():
    # 75 training points: a batch of 25, then batches of 50 finish the epoch in one more step.
    run = TrainingRun(TrainingConfig(**{**ONE_STEP_EPOCHS, "batch_size": 25}))
    assert run.train_step() is None
    run.adjust(TrainingSettings(batch_size=50))
    entry = run.train_step()
    assert entry is not None and (entry.epoch, entry.step) == (1, 2)
    assert run.train_step() is None and run.train_step() is not None


def test_a_speed_too_slow_to_sleep_for_is_422_not_a_dead_loop(workspace):
    # 1e-300 steps a second: the loop's sleep of 1e300 s overflowed and killed its thread,
    # leaving the run "running" with nothing running it.
    configure(workspace, ONE_STEP_EPOCHS)
    response = adjust(workspace, {"max_steps_per_second": 1e-300})
    error = assert_error(response, 422, "invalid_request")
    assert "max_steps_per_second" in error["message"]
    assert workspace.get("/training").json()["state"] == "idle"
