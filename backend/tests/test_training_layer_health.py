"""Each hidden layer's health during training: dead ReLU units, gradient norms, and the
warning when a layer stops learning. Figures are checked against NumPy by hand."""

import numpy as np

from backend.tests.test_training import MOONS, configure, control
from backend.training.job import TrainingRun
from backend.training.schemas import STALL_STEPS, TrainingConfig

SMALL = {"dataset": {"kind": "moons", "n": 80}, "model": {"hidden": [4, 3]}, "batch_size": 16}


def weights_now(run: TrainingRun) -> dict[str, np.ndarray]:
    return {name: p.value.copy() for name, p in run.model.parameters.items()}


def hidden_by_hand(w: dict[str, np.ndarray], points: np.ndarray) -> list[np.ndarray]:
    """The ReLU layers' activations of a 2-hidden-layer MLP on features x, y."""
    h1 = np.maximum(points @ w["W1"] + w["b1"], 0)
    return [h1, np.maximum(h1 @ w["W2"] + w["b2"], 0)]


def loss_by_hand(w: dict[str, np.ndarray], points: np.ndarray, labels: np.ndarray) -> float:
    """Softmax cross-entropy, averaged over the batch."""
    logits = hidden_by_hand(w, points)[-1] @ w["W3"] + w["b3"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels.astype(int)].mean())


def grad_norm_by_hand(w, points, labels, name: str, h: float = 1e-6) -> float:
    """‖∂loss/∂w[name]‖ by central differences."""
    grad = np.zeros_like(w[name])
    for index in np.ndindex(grad.shape):
        up, down = {k: v.copy() for k, v in w.items()}, {k: v.copy() for k, v in w.items()}
        up[name][index] += h
        down[name][index] -= h
        grad[index] = (loss_by_hand(up, points, labels) - loss_by_hand(down, points, labels)) / (
            2 * h
        )
    return float(np.linalg.norm(grad))


def test_a_healthy_layer_reports_its_dead_units_and_gradient_norms_as_computed_by_hand():
    run = TrainingRun(TrainingConfig(**SMALL))
    for _ in range(3):
        run.train_step()
    before, (points, labels) = weights_now(run), run._batch()
    run.train_step()

    for layer, activations in enumerate(hidden_by_hand(before, points), 1):
        health = run.layers[layer - 1]
        dead = int(np.sum(np.all(activations == 0, axis=0)))
        assert (health.layer, health.units, health.dead_units) == (
            layer,
            activations.shape[1],
            dead,
        )
        assert health.dead_fraction == dead / activations.shape[1] < 1
        for name, figure in (
            (f"W{layer}", health.weight_grad_norm),
            (f"b{layer}", health.bias_grad_norm),
        ):
            assert np.isclose(figure, grad_norm_by_hand(before, points, labels, name), rtol=1e-4)
        assert np.isclose(health.weight_norm, np.linalg.norm(before[f"W{layer}"]))
        assert health.steps_without_learning == 0 and health.stopped_learning is None


def test_a_layer_killed_by_a_large_negative_bias_is_dead_and_stops_learning():
    run = TrainingRun(TrainingConfig(**SMALL))
    run.model.parameters["b2"].value[...] = -100.0
    points = run._batch()[0]
    assert not hidden_by_hand(weights_now(run), points)[1].any()  # dead on this batch, by hand

    run.train_step()
    second = run.layers[1]
    assert (second.dead_units, second.units, second.dead_fraction) == (3, 3, 1.0)
    assert second.weight_grad_norm == second.bias_grad_norm == 0.0
    assert second.stopped_learning is None  # one step is not yet a stall

    for _ in range(STALL_STEPS - 1):
        run.train_step()
    first, second = run.layers
    assert second.steps_without_learning == STALL_STEPS
    assert second.stopped_learning == "layer 2 stopped learning: 3 of 3 units are dead"
    # No gradient gets through the dead layer, so the layer before it stops too.
    assert first.dead_fraction is not None and first.dead_fraction < 1
    assert first.weight_grad_norm == 0.0
    assert first.stopped_learning is not None
    assert first.stopped_learning.startswith("layer 1 stopped learning: its weight gradient's")


def test_a_layer_that_learns_again_loses_its_warning():
    run = TrainingRun(TrainingConfig(**SMALL))
    run.model.parameters["b2"].value[...] = -100.0
    for _ in range(STALL_STEPS):
        run.train_step()
    assert run.layers[1].stopped_learning is not None
    run.model.parameters["b2"].value[...] = 1.0
    run.train_step()
    assert run.layers[1].dead_units == 0
    assert (run.layers[1].steps_without_learning, run.layers[1].stopped_learning) == (0, None)


def test_tanh_units_have_no_dead_count_but_their_gradients_are_measured():
    run = TrainingRun(TrainingConfig(**{**SMALL, "model": {"hidden": [4], "activation": "tanh"}}))
    run.train_step()
    [health] = run.layers
    assert (health.dead_units, health.dead_fraction) == (None, None)
    assert health.weight_grad_norm > 0 and health.stopped_learning is None


def test_a_run_whose_units_die_warns_over_rest_and_in_its_events(client, workspace):
    # SGD at learning rate 10 throws the second layer's ReLUs below zero for good.
    dying = {**MOONS, "model": {**MOONS["model"], "hidden": [8, 8]}}
    configure(workspace, {**dying, "optimizer": {"kind": "sgd", "lr": 10}})
    # From step 11 it learns nothing (its last units die at step 13): warned at step 15.
    for _ in range(15):
        status = control(workspace, "step").json()
    assert [layer["layer"] for layer in status["layers"]] == [1, 2]
    assert status["layers"][1]["dead_fraction"] == 1.0
    assert status["layers"][1]["stopped_learning"] == (
        "layer 2 stopped learning: 8 of 8 units are dead"
    )
    hub = client.app.state.registry.authorize(workspace.id, workspace.token)[0].events
    last = [e.data for e in hub.missed_since(0) if e.type == "training"][-1]
    assert last["layers"] == status["layers"]


def test_a_healthy_run_over_rest_has_no_warning(workspace):
    configure(workspace, MOONS)
    assert configure(workspace, MOONS)["layers"] == []  # nothing measured before a step
    for _ in range(2 * STALL_STEPS):
        status = control(workspace, "step").json()
    assert len(status["layers"]) == 2
    for layer in status["layers"]:
        assert layer["dead_fraction"] < 1 and layer["weight_grad_norm"] > 0
        assert layer["stopped_learning"] is None
