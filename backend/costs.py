"""What a gate application will cost, from the shapes of its inputs, before any work."""

from __future__ import annotations

import numpy as np

import engine
from engine.shapes import TensorSpec


def input_specs(inputs: list[engine.Variable | float]) -> list[TensorSpec]:
    """The specs of a gate's inputs; a literal number is a scalar of the variables' dtype,
    as the engine makes it."""
    dtype = next((v.dtype for v in inputs if isinstance(v, engine.Variable)), np.dtype(np.float64))
    return [
        TensorSpec.of(v) if isinstance(v, engine.Variable) else TensorSpec((), dtype)
        for v in inputs
    ]
