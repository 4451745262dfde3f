"""The network drawn: each unit's activation over the input plane, its weights, and the
request that edits one weight."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from backend.schemas import Answer, Strict

Tile = list[list[float]]
"""A unit's value at each cell of the grid, rows going up in y as the boundary's."""


class NetworkLayer(Answer):
    """One layer of units: the input features, a hidden layer, or the outputs."""

    kind: Literal["input", "hidden", "output"]
    units: list[str] = Field(
        description='Unit names: the features ("x", "sin_y") for the input, "1", "2", … otherwise.',
        examples=[["x", "y"]],
    )
    tiles: list[Tile] = Field(
        description="Each unit's value over the input plane: the feature for the input, the "
        "activation for a hidden unit, the logit (or output) for an output unit."
    )
    weights: str | None = Field(
        description="The variable of the weights into this layer (rows: the previous layer's "
        "units, columns: this layer's); null for the input.",
        examples=["net_W1"],
    )
    biases: str | None = Field(
        description="The variable of this layer's biases, shape [1, units]; null for the input.",
        examples=["net_b1"],
    )


class NetworkDrawing(Answer):
    """The current model over a grid covering the data (the boundary's extent): every unit's
    tile, and the weights and biases that connect them."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    resolution: int = Field(description="Cells per side of every tile.")
    step: int = Field(description="The training step these values belong to.")
    activation: str = Field(description="The hidden layers' activation.", examples=["relu"])
    layers: list[NetworkLayer] = Field(description="The input, each hidden layer, the output.")
    parameters: dict[str, list[list[float]]] = Field(
        description='Each weight and bias variable\'s values by name ("net_W1": rows × columns).'
    )


class WeightEdit(Strict):
    """Set one element of a training run's weight or bias."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"parameter": "net_W1", "index": [0, 3], "value": 0.5}]}
    )

    parameter: str = Field(
        description="A variable of the run's weights: net_W1, net_b1, …", examples=["net_W1"]
    )
    index: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=2, max_length=2)] = Field(
        description="[row, column]: for W1, [input feature, layer 1 unit]; for a bias, [0, unit]."
    )
    value: float = Field(allow_inf_nan=False, description="The new value; finite.")


class WeightChange(Answer):
    """What a weight edit changed: the element, and its value before and after."""

    parameter: str
    index: list[int]
    value: float
    previous: float
    step: int = Field(description="The training step at which it was edited.")
