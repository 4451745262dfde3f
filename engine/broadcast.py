"""Summing a gradient back to the shape of a parent that was broadcast in the forward pass."""

from typing import Any

import numpy as np

# Gates that keep only their inputs' shapes see the same few pairs over and over; keeping one
# copy of each spares the garbage collector (see ``engine.gate._FLAGS``). Bounded, as shapes
# come from users.
_PAIRS: dict[Any, tuple[tuple[int, ...], tuple[int, ...]]] = {}
_MOST_PAIRS = 1024


def shape_pair(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``(a, b)``, as one shared tuple for pairs seen before."""
    pair = (a, b)
    shared = _PAIRS.get(pair)
    if shared is None:
        if len(_PAIRS) >= _MOST_PAIRS:
            _PAIRS.clear()
        shared = _PAIRS[pair] = pair
    return shared


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the axes NumPy broadcasting added or stretched to reach it from ``shape``.

    Returns ``grad`` itself when the shapes already agree.
    """
    if grad.shape == shape:
        return grad
    # np.add.reduce is what ndarray.sum calls, without the Python wrapper in between.
    extra = grad.ndim - len(shape)
    if extra:
        grad = np.add.reduce(grad, axis=tuple(range(extra)))
    stretched = tuple([i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1])
    if stretched:
        grad = np.add.reduce(grad, axis=stretched, keepdims=True)
    return grad
