"""Summing a gradient back to the shape of a parent that was broadcast in the forward pass."""

from typing import Any

import numpy as np

# Gates that keep only their inputs' shapes see the same few pairs over and over; keeping one
# copy of each spares the garbage collector (see ``engine.gate._FLAGS``). Bounded, as shapes
# come from users.
_PAIRS: dict[Any, tuple[tuple[int, ...], tuple[int, ...]]] = {}
_MOST_PAIRS = 1024

# The axes to sum for each (gradient shape, parent shape) met, worked out once: the Python
# that finds them costs more than summing a playground's arrays.
_AXES: dict[tuple[tuple[int, ...], tuple[int, ...]], tuple[tuple[int, ...], tuple[int, ...]]] = {}

# Rows of ones by (count, dtype): a matrix-vector product with one sums the rows of a 2-D
# gradient in half the time of np.add.reduce on small arrays (a bias's gradient). Up to this
# many rows, so that BLAS's running sums stay as accurate as NumPy's pairwise ones.
_ONES: dict[tuple[int, np.dtype], np.ndarray] = {}
_MOST_ROWS_BY_DOT = 1024


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
    axes = _AXES.get((grad.shape, shape))
    if axes is None:
        axes = _summed_axes(grad.shape, shape)
    extra, stretched = axes
    # Only the rows of a matrix summed: a bias's gradient.
    if grad.ndim == 2 and extra + stretched == (0,) and grad.dtype.kind == "f":
        rows = grad.shape[0]
        if rows <= _MOST_ROWS_BY_DOT:
            summed = _ones(rows, grad.dtype) @ grad
            return summed.reshape(shape) if stretched else summed
    # np.add.reduce is what ndarray.sum calls, without the Python wrapper in between.
    if extra:
        grad = np.add.reduce(grad, axis=extra)
    if stretched:
        grad = np.add.reduce(grad, axis=stretched, keepdims=True)
    return grad


def _summed_axes(
    grad: tuple[int, ...], shape: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The leading axes broadcasting added, then the axes of ``shape`` it stretched from 1."""
    extra = len(grad) - len(shape)
    kept = grad[extra:]
    axes = (
        tuple(range(extra)),
        tuple(i for i, n in enumerate(shape) if n == 1 and kept[i] != 1),
    )
    if len(_AXES) >= _MOST_PAIRS:
        _AXES.clear()
    _AXES[grad, shape] = axes
    return axes


def _ones(count: int, dtype: np.dtype) -> np.ndarray:
    ones = _ONES.get((count, dtype))
    if ones is None:
        if len(_ONES) >= _MOST_PAIRS:
            _ONES.clear()
        ones = _ONES[count, dtype] = np.ones(count, dtype)
        ones.flags.writeable = False
    return ones
