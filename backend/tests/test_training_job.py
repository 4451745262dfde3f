"""The training run's records that a step no longer makes every time: the step's graph,
the epoch's order of points and the weight-gradient norms, each checked against the work
done afresh."""

import pickle

import numpy as np

from backend.training.job import TrainingRun, describe_tape
from backend.training.schemas import TrainingConfig, TrainingSettings

# 60 training points in batches of 16: four steps an epoch.
SMALL = {"dataset": {"kind": "moons", "n": 80}, "model": {"hidden": [4, 3]}, "batch_size": 16}


def small_run() -> TrainingRun:
    return TrainingRun(TrainingConfig(**SMALL))


def graph_of_a_step(run: TrainingRun) -> list[dict]:
    points, labels = run.data.x_train[:4], run.data.y_train[:4]
    run.model.loss(run.model.forward(points), labels)
    graph = describe_tape(run.model.context)
    run.model.context.nodes.clear()
    return graph


def test_a_penalty_set_between_steps_shows_in_the_next_steps_graph() -> None:
    run = small_run()
    run.train_step()
    before = run.last_graph
    run.adjust(TrainingSettings(l2=0.01))
    run.train_step()
    assert len(run.last_graph) > len(before)
    assert run.last_graph == graph_of_a_step(run)


def test_each_epoch_visits_every_training_point_once_in_a_new_order() -> None:
    run = small_run()
    orders = []
    for _ in range(2):
        seen = []
        while True:
            points, _ = run._batch()
            seen += [tuple(p) for p in points]
            if run.train_step() is not None:
                break
        orders.append(seen)
    every = sorted(tuple(p) for p in run.data.x_train)
    assert sorted(orders[0]) == every and sorted(orders[1]) == every
    assert orders[0] != orders[1]


def test_an_epoch_order_is_the_one_a_fresh_run_draws_there() -> None:
    run, fresh = small_run(), small_run()
    for _ in range(6):  # into the second epoch
        run.train_step()
    fresh.epoch, fresh.offset = run.epoch, run.offset
    assert np.array_equal(run._batch()[0], fresh._batch()[0])


def test_the_epochs_gradient_norms_are_the_last_steps() -> None:
    run = small_run()
    for _ in range(3):
        run.train_step()
    weights = {name: p.value.copy() for name, p in run.model.parameters.items()}
    points, labels = run._batch()
    entry = run.train_step()
    assert entry is not None
    # The last step's gradients, recomputed from the weights it started from.
    for name, p in run.model.parameters.items():
        p.value[...] = weights[name]
        p.zero_grad()
    run.model.loss(run.model.forward(points), labels).backprop()
    for name, norm in entry.grad_norms.items():
        assert norm == np.linalg.norm(run.model.parameters[name].grad)


def test_a_pickled_run_leaves_the_epoch_order_out_and_draws_the_same_again() -> None:
    run = small_run()
    for _ in range(5):
        run.train_step()
    assert {"_epoch_data", "_epoch_key"} <= set(vars(run))
    state = run.__getstate__()
    assert "_epoch_data" not in state and "_epoch_key" not in state
    restored = pickle.loads(pickle.dumps(run))
    assert np.array_equal(restored._batch()[0], run._batch()[0])


def test_custom_points_get_a_logit_per_class_present_and_a_stored_run_keeps_its_own() -> None:
    config = TrainingConfig.model_validate({"dataset": {"kind": "custom"}})
    points = np.array([[0.0, 0.0, 0], [1.0, 0.0, 1], [0.0, 1.0, 2], [1.0, 1.0, 2]])
    run = TrainingRun(config, points)
    assert run.model.classes == 3 and run.model.predict(points).shape == (4, 3)
    # A run stored before outputs followed the classes present had six; restored, its
    # weights say so.
    last = f"W{run.model.depth}"
    run.model.parameters[last] = run.model.context.variable(
        np.zeros((run.model.parameters[last].value.shape[0], 6)), requires_grad=True
    )
    assert run.model.classes == 6


def test_each_epochs_order_is_drawn_from_the_seed_and_that_epoch_alone() -> None:
    run = small_run()
    count = len(run.data.x_train)
    for epoch in (0, 1, 2, 9, 10, 3):  # past the orders drawn ahead, and back
        expected = np.random.default_rng([run.config.dataset.seed, epoch]).permutation(count)
        assert np.array_equal(run._order_of(epoch), expected)
