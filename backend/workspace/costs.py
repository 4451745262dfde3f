"""What a gate application will cost, from the shapes of its inputs, before any work."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

import numpy as np

import engine
from engine.shapes import GateCost, TensorSpec

REMEMBERED_COSTS = 1024


def input_specs(inputs: list[engine.Variable | float]) -> list[TensorSpec]:
    """The specs of a gate's inputs; a literal number is a scalar of the variables' dtype,
    as the engine makes it."""
    dtype = next((v.dtype for v in inputs if isinstance(v, engine.Variable)), np.dtype(np.float64))
    return [
        TensorSpec.of(v) if isinstance(v, engine.Variable) else TensorSpec((), dtype)
        for v in inputs
    ]


def gate_cost(gate: engine.Gate, params: dict[str, Any], specs: Sequence[TensorSpec]) -> GateCost:
    """``gate.infer(*specs)`` for a gate made with ``params``, remembered for the shapes seen
    lately: a cost depends only on the gate's kind, its params and the input specs, and a
    gate application asks twice (the route's estimate, then the plan), a script many times.

    Raises what ``infer`` raises; params that are not JSON (a Python caller's arrays) are
    inferred afresh each time.
    """
    try:
        key = json.dumps(params, sort_keys=True)
    except (TypeError, ValueError):
        return gate.infer(*specs)
    return _remembered_cost(type(gate), key, tuple(specs))


@functools.lru_cache(maxsize=REMEMBERED_COSTS)
def _remembered_cost(
    gate_class: type[engine.Gate], params: str, specs: tuple[TensorSpec, ...]
) -> GateCost:
    return gate_class(**json.loads(params)).infer(*specs)
