"""The epoch's evaluation by NumPy alone: the same figures, bit for bit, as the model's gates
give on each split, and buffers kept only for networks small enough to hold them."""

import pickle

import numpy as np
import pytest

import engine
from backend.training.evaluation import KEPT_BUFFER_BYTES, Evaluator
from backend.training.job import TrainingRun
from backend.training.layer_health import dead_relu_units
from backend.training.schemas import TrainingConfig
from engine.health import dead_units

SMALL = {"dataset": {"kind": "moons", "n": 120}, "model": {"hidden": [5, 4]}, "batch_size": 16}


def trained(config: dict, steps: int = 9) -> TrainingRun:
    run = TrainingRun(TrainingConfig(**config))
    for _ in range(steps):
        run.train_step()
    return run


def figures_by_gates(run: TrainingRun) -> dict[str, float | None]:
    """An epoch's metrics as the model's gates give them, one split after the other."""
    model, data = run.model, run.data
    figures: dict[str, float | None] = {}
    for split, points, labels in (
        ("train", data.x_train, data.y_train),
        ("test", data.x_test, data.y_test),
    ):
        with engine.no_grad_mode(model.context):
            output = model.forward(points)
            figures[f"{split}_loss"] = model.loss(output, labels).item()
        if model.classes is None:
            figures[f"{split}_mse"] = float(((output.value[:, 0] - labels) ** 2).mean())
        else:
            predicted = model.probabilities_of(output.value).argmax(axis=1)
            figures[f"{split}_accuracy"] = float((predicted == labels.astype(int)).mean())
    return figures


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu"])
@pytest.mark.parametrize(
    "setup",
    [
        {"loss": "softmax_cross_entropy"},
        {"loss": "sigmoid_cross_entropy", "l2": 0.01},
        {"loss": "mse", "l1": 0.01},
        {"loss": "mse", "dataset": {"kind": "plane", "n": 120}},
        {"loss": "softmax_cross_entropy", "dataset": {"kind": "spirals", "n": 120, "classes": 3}},
    ],
)
def test_an_epochs_metrics_are_the_gates_figures_bit_for_bit(activation, setup):
    config = {**SMALL, **setup, "model": {**SMALL["model"], "activation": activation}}
    run = trained(config)
    metrics, _ = Evaluator(run.model, run.data).evaluate(run.model)
    assert metrics == figures_by_gates(run)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "gelu"])
def test_the_hidden_activations_are_the_layer_outputs_on_the_training_points(activation):
    run = trained({**SMALL, "model": {**SMALL["model"], "activation": activation}})
    evaluator = Evaluator(run.model, run.data)
    _, hidden = evaluator.evaluate(run.model)
    with engine.no_grad_mode(run.model.context):
        by_gates = [h.value for h in run.model.layer_outputs(run.data.x_train)]
    assert len(hidden) == 2
    for ours, theirs in zip(hidden, by_gates, strict=False):
        assert np.array_equal(ours, theirs)
    assert np.array_equal(evaluator.train.layer_values(run.model)[-1], by_gates[-1])


def test_evaluating_records_nothing_on_the_models_tape():
    run = trained({**SMALL, "l2": 0.01})  # the penalty's gates take the weights
    before = len(run.model.context.nodes)
    run.evaluate()
    assert len(run.model.context.nodes) == before == 0


def test_a_small_network_keeps_its_buffers_from_epoch_to_epoch():
    run = trained(SMALL)
    evaluator = Evaluator(run.model, run.data)
    evaluator.evaluate(run.model)
    kept = list(evaluator.train.buffers)
    run.train_step()
    evaluator.evaluate(run.model)
    assert len(kept) == 3 and all(
        a is b for a, b in zip(kept, evaluator.train.buffers, strict=True)
    )


def test_a_large_network_on_many_points_fills_fresh_arrays_each_epoch():
    big = {"dataset": {"kind": "moons", "n": 5000}, "model": {"hidden": [256, 256]}}
    run = TrainingRun(TrainingConfig(**big))
    evaluator = Evaluator(run.model, run.data)
    assert KEPT_BUFFER_BYTES < 3750 * (256 + 256 + 1) * 8
    metrics, _ = evaluator.evaluate(run.model)
    assert evaluator.train.buffers == []
    assert metrics == figures_by_gates(run)


def test_a_restored_runs_new_weights_are_the_ones_evaluated():
    run = trained(SMALL)
    run.evaluate()  # the evaluator is made, holding the model it first saw
    name = "W2"
    run.model.parameters[name] = run.model.context.variable(
        np.zeros_like(run.model.parameters[name].value), requires_grad=True, name=name
    )
    assert run.evaluate().train_loss == figures_by_gates(run)["train_loss"]


def test_a_pickled_run_leaves_its_caches_out_and_evaluates_the_same():
    run = trained(SMALL)
    first = run.evaluate()
    assert {"_epoch_data", "_epoch_key", "_evaluator"} <= set(vars(run))
    restored = pickle.loads(pickle.dumps(run))
    assert not {"_epoch_data", "_epoch_key", "_evaluator"} & set(vars(restored))
    assert restored.evaluate() == first


def test_dead_relu_units_are_the_engines_count():
    rng = np.random.default_rng(3)
    activations = np.maximum(rng.normal(-0.5, 1.0, (300, 8)), 0)
    activations[:, [1, 6]] = 0
    activations[0, 2], activations[:, 3] = np.nan, 0
    activations[5, 3] = 5e-324  # the smallest subnormal keeps its unit alive
    dead = dead_relu_units(activations)
    assert dead == dead_units(activations)[0] == 2


@pytest.mark.parametrize("loss", ["mse", "sigmoid_cross_entropy", "softmax_cross_entropy"])
def test_the_predicted_class_is_the_most_probable_and_the_first_of_equals(loss):
    model = TrainingRun(TrainingConfig(**{**SMALL, "loss": loss})).model
    width = model.output_width
    # Equal probabilities on the first row: a raw 0.5 (mse), a zero logit, equal logits.
    first = {"mse": [0.5], "sigmoid_cross_entropy": [0.0], "softmax_cross_entropy": [1.0, 1.0]}
    output = np.vstack([first[loss], np.random.default_rng(1).normal(0, 2, (50, width))])
    predicted = model.predicted_classes(output)
    assert predicted[0] == 0
    assert np.array_equal(predicted, model.probabilities_of(output).argmax(axis=1))
