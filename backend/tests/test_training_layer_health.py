"""Each hidden layer's health at every epoch's end: dead ReLU units, gradient norms, and
the warning when a layer stops learning. Figures are checked against NumPy by hand."""

import numpy as np

from backend.tests.test_training import MOONS, configure, control
from backend.training.job import TrainingRun
from backend.training.layer_health import norm
from backend.training.schemas import STALL_EPOCHS, TrainingConfig

# 60 training points in batches of 16: four steps an epoch.
SMALL = {"dataset": {"kind": "moons", "n": 80}, "model": {"hidden": [4, 3]}, "batch_size": 16}
# One step an epoch; SGD at learning rate 10 throws every ReLU below zero for good.
DYING = {
    **MOONS,
    "dataset": {"kind": "moons", "n": 100},
    "model": {"hidden": [8, 8]},
    "optimizer": {"kind": "sgd", "lr": 10},
    "batch_size": 75,
}


def epoch(run: TrainingRun) -> None:
    while run.train_step() is None:
        pass


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
    for _ in range(2 * run.steps_per_epoch - 1):
        run.train_step()
    before, (points, labels) = weights_now(run), run._batch()
    assert run.train_step() is not None  # the step that ends epoch 2
    after = weights_now(run)

    hidden = hidden_by_hand(after, run.data.x_train)
    assert [health.layer for health in run.layers] == [1, 2]
    for health, activations in zip(run.layers, hidden, strict=True):
        dead = int(np.sum(np.all(activations == 0, axis=0)))
        assert (health.units, health.dead_units) == (activations.shape[1], dead)
        assert health.dead_fraction == dead / activations.shape[1] < 1
        for name, figure in (
            (f"W{health.layer}", health.weight_grad_norm),
            (f"b{health.layer}", health.bias_grad_norm),
        ):
            assert np.isclose(figure, grad_norm_by_hand(before, points, labels, name), rtol=1e-4)
        assert np.isclose(health.weight_norm, np.linalg.norm(after[f"W{health.layer}"]))
        assert health.epochs_without_learning == 0 and health.stopped_learning is None
    assert run.history[-1].layers == run.layers


def test_a_layer_killed_by_a_large_negative_bias_is_dead_and_stops_learning():
    run = TrainingRun(TrainingConfig(**SMALL))
    run.model.parameters["b2"].value[...] = -100.0
    assert not hidden_by_hand(weights_now(run), run.data.x_train)[1].any()  # dead, by hand

    epoch(run)
    first, second = run.layers
    assert (second.dead_units, second.units, second.dead_fraction) == (3, 3, 1.0)
    assert second.weight_grad_norm == second.bias_grad_norm == 0.0
    assert second.stopped_learning is None  # one epoch is not yet a stall

    for _ in range(STALL_EPOCHS - 1):
        epoch(run)
    first, second = run.layers
    assert second.epochs_without_learning == STALL_EPOCHS
    assert second.stopped_learning == "layer 2 stopped learning: 3 of 3 units are dead"
    # No gradient gets through the dead layer, so the layer before it stops too.
    assert first.dead_fraction is not None and first.dead_fraction < 1
    assert first.weight_grad_norm == 0.0
    assert first.stopped_learning is not None
    assert first.stopped_learning.startswith("layer 1 stopped learning:")
    assert first.stopped_learning.endswith(
        f"× its weights' norm ({first.weight_norm:.2g}) for 3 epochs"
    )


def test_a_layer_that_learns_again_loses_its_warning():
    run = TrainingRun(TrainingConfig(**SMALL))
    run.model.parameters["b2"].value[...] = -100.0
    for _ in range(STALL_EPOCHS):
        epoch(run)
    assert run.layers[1].stopped_learning is not None
    run.model.parameters["b2"].value[...] = 1.0
    epoch(run)
    assert run.layers[1].dead_units == 0
    assert (run.layers[1].epochs_without_learning, run.layers[1].stopped_learning) == (0, None)


def test_tanh_units_have_no_dead_count_but_their_gradients_are_measured():
    run = TrainingRun(TrainingConfig(**{**SMALL, "model": {"hidden": [4], "activation": "tanh"}}))
    epoch(run)
    [health] = run.layers
    assert (health.dead_units, health.dead_fraction) == (None, None)
    assert health.weight_grad_norm > 0 and health.stopped_learning is None


def test_a_run_whose_units_die_warns_over_rest_and_in_its_events(client, workspace):
    status = configure(workspace, DYING)
    assert status["layers"] == []  # nothing measured before an epoch ends
    for _ in range(20):
        status = control(workspace, "step").json()
    assert [layer["layer"] for layer in status["layers"]] == [1, 2]
    assert status["layers"][1]["dead_fraction"] == 1.0
    assert status["layers"][1]["stopped_learning"] == (
        "layer 2 stopped learning: 8 of 8 units are dead"
    )
    assert status["history"][-1]["layers"] == status["layers"]
    hub = client.app.state.registry.authorize(workspace.id, workspace.token)[0].events
    last = [e.data for e in hub.missed_since(0) if e.type == "training"][-1]
    assert last["layers"] == status["layers"]


def test_a_healthy_run_over_rest_has_no_warning(workspace):
    configure(workspace, {**MOONS, "dataset": {**MOONS["dataset"], "n": 100}, "batch_size": 75})
    for _ in range(2 * STALL_EPOCHS):
        status = control(workspace, "step").json()
    assert len(status["layers"]) == 2
    for layer in status["layers"]:
        assert layer["dead_fraction"] < 1 and layer["weight_grad_norm"] > 0
        assert layer["stopped_learning"] is None


def test_a_norm_is_numpys_bit_for_bit():
    rng = np.random.default_rng(4)
    shapes = [(16, 16), (1, 16), (300, 256)]
    for array in [*(rng.normal(size=shape) for shape in shapes), rng.normal(size=(5, 3)).T]:
        assert norm(array) == np.linalg.norm(array)
