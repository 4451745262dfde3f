"""Generated initial values for variables: zeros, ones, randn, uniform, arange."""

import math

import numpy as np

from backend.errors import TooLarge
from backend.schemas import VariableInit
from backend.workspace.tensors import extent
from engine.shapes import FLOAT64, TensorSpec, check_addressable


def checked_size(init: VariableInit, max_elements: int) -> int:
    """The number of elements ``init`` makes (a Python int, never overflowing); 413 over
    the limit, or for a shape NumPy cannot make though it has no elements."""
    size = extent(init.shape)
    if size > max_elements:
        raise TooLarge(
            "tensor_too_large",
            f"shape {init.shape} has {size} elements; the limit is {max_elements}",
            {"elements": size, "limit": max_elements},
        )
    try:
        # float64, the widest dtype a variable can have: what it can make, float32 can too.
        check_addressable(TensorSpec(tuple(init.shape), FLOAT64))
    except ValueError as exc:
        raise TooLarge("tensor_too_large", f"shape {init.shape}: {exc}") from exc
    return size


def initial_value(init: VariableInit, dtype: str, max_elements: int) -> np.ndarray:
    """The tensor ``init`` describes; random kinds are reproducible from ``init.seed``."""
    checked_size(init, max_elements)
    rng = np.random.default_rng(init.seed)
    shape = tuple(init.shape)
    if init.kind == "zeros":
        value = np.zeros(shape)
    elif init.kind == "ones":
        value = np.ones(shape)
    elif init.kind == "randn":
        value = rng.standard_normal(shape)
    elif init.kind == "uniform":
        value = rng.uniform(-1.0, 1.0, shape)
    else:
        value = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    return value.astype(dtype)
