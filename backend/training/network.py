"""The network drawn: every unit's value over the input plane, and a weight edited by hand.

The tiles are computed in no-grad mode on the model's private tape, so drawing records
nothing anywhere; a weight edit is an operation (``training_weight_edit``), journaled and
replayed like any other, that changes one element of a weight in place.
"""

from __future__ import annotations

import numpy as np

import engine
from backend.errors import Invalid
from backend.event_payloads import WeightEdited
from backend.training.drawing import plane_of
from backend.training.job import TrainingRun
from backend.training.network_schemas import (
    NetworkDrawing,
    NetworkLayer,
    Tile,
    WeightChange,
    WeightEdit,
)
from backend.training.trainer import PREFIX, trainer_of
from backend.workspace.workspace import Workspace

LIMIT = 1e30
"""Values past ±LIMIT (a diverged run, a huge weight) are sent as ±LIMIT, NaN as 0: JSON
carries no infinities."""


def draw_network(run: TrainingRun, resolution: int) -> NetworkDrawing:
    """Every feature's, hidden unit's and output's value over the plane, and the weights."""
    plane = plane_of(run, resolution)
    model = run.model
    with engine.no_grad_mode(model.context):
        outputs = [h.value for h in model.layer_outputs(plane.points)]
    layers = [
        NetworkLayer(
            kind="input",
            units=list(model.config.model.features),
            tiles=_tiles(model.features(plane.points), resolution),
            weights=None,
            biases=None,
        )
    ]
    for layer, values in enumerate(outputs, 1):
        layers.append(
            NetworkLayer(
                kind="output" if layer == model.depth else "hidden",
                units=[str(unit) for unit in range(1, values.shape[1] + 1)],
                tiles=_tiles(values, resolution),
                weights=f"{PREFIX}W{layer}",
                biases=f"{PREFIX}b{layer}",
            )
        )
    return NetworkDrawing(
        x_min=float(plane.low[0]),
        x_max=float(plane.high[0]),
        y_min=float(plane.low[1]),
        y_max=float(plane.high[1]),
        resolution=resolution,
        step=run.step,
        activation=model.config.model.activation,
        layers=layers,
        parameters={
            PREFIX + name: _sendable(p.value).tolist() for name, p in model.parameters.items()
        },
    )


def _tiles(values: np.ndarray, resolution: int) -> list[Tile]:
    """Columns of ``values`` (one per unit, a row per grid point) as square tiles."""
    units = values.shape[1]
    return _sendable(values.T.reshape(units, resolution, resolution)).round(4).tolist()


def _sendable(values: np.ndarray) -> np.ndarray:
    return np.nan_to_num(values, nan=0.0, posinf=LIMIT, neginf=-LIMIT).clip(-LIMIT, LIMIT)


def edit_weight(ws: Workspace, request: WeightEdit) -> WeightChange:
    """Set one element of a run's weight or bias in place, between training steps.

    Nodes of the workspace's history that read the weight become stale, as after a step.
    """
    trainer = trainer_of(ws)
    variable = _parameter(trainer.variables, request.parameter)
    index = _element(variable, request)
    previous = float(variable.value[index])
    variable.value[index] = request.value
    trainer.forward_weight_edit(request.parameter.removeprefix(PREFIX), index, request.value)
    ws.touch([variable], "a weight edit")
    change = WeightChange(
        parameter=request.parameter,
        index=list(index),
        value=float(variable.value[index]),
        previous=previous,
        step=trainer.run.step,
    )
    ws.announce(WeightEdited(**change.model_dump(), variable=ws.variable_summary(variable)))
    return change


def _parameter(variables: dict[str, engine.Variable], name: str) -> engine.Variable:
    """The run's weight named ``name`` ("net_W1"), or a 422 naming it and the field."""
    variable = variables.get(name.removeprefix(PREFIX)) if name.startswith(PREFIX) else None
    if variable is None:
        known = ", ".join(PREFIX + n for n in variables)
        raise Invalid(
            "unknown_parameter",
            f"the training run has no parameter {name!r}; it has {known}",
            {"field": "parameter", "name": name},
        )
    return variable


def _element(variable: engine.Variable, request: WeightEdit) -> tuple[int, int]:
    """The request's index, or a 422 naming it when it falls outside the weight's shape."""
    shape = variable.value.shape
    row, column = request.index
    if row >= shape[0] or column >= shape[1]:
        raise Invalid(
            "index_out_of_range",
            f"index {request.index} is outside {request.parameter}, whose shape is {list(shape)}",
            {"field": "index", "index": request.index, "shape": list(shape)},
        )
    return row, column
