"""What events and answers say of a tensor: its values when small, and its min, max and
mean as NumPy computes them, whatever the shape, kind or size."""

import numpy as np
import pytest

import engine
from backend.workspace.views import PREVIEW_ELEMENTS, tensor_preview, variable_summary

RNG = np.random.default_rng(7)
ARRAYS = [
    np.array(2.5),
    RNG.normal(size=4),
    RNG.normal(size=(3, 5)),
    RNG.normal(size=PREVIEW_ELEMENTS).astype(np.float32),
    RNG.integers(-9, 9, size=(2, 3)),
    np.array([True, False, True]),
    np.array([-0.0, 0.0]),
    RNG.normal(size=PREVIEW_ELEMENTS + 1),
]


@pytest.mark.parametrize("array", ARRAYS, ids=lambda a: f"{a.dtype}{list(a.shape)}")
def test_a_preview_gives_numpys_min_max_and_mean(array):
    preview = tensor_preview(array)
    assert preview.shape == list(array.shape)
    assert (preview.min, preview.max) == (float(array.min()), float(array.max()))
    assert preview.mean == float(array.mean())
    small = array.size <= PREVIEW_ELEMENTS
    assert preview.values == (array.tolist() if small else None)


def test_a_preview_spells_nan_and_infinity():
    preview = tensor_preview(np.array([1.0, np.inf, -np.inf]))
    assert preview.values == [1.0, "inf", "-inf"]
    assert (preview.min, preview.max, preview.mean) == ("-inf", "inf", "nan")


def test_an_empty_tensor_has_no_statistics():
    preview = tensor_preview(np.zeros((0, 3)))
    assert (preview.values, preview.min, preview.max, preview.mean) == ([], None, None, None)


@pytest.mark.parametrize("shape", [(), (3,), (2, 2), (0, 4), (9, 9)])
def test_a_gradient_not_yet_added_shows_as_zeros_of_the_variables_shape(shape):
    var = engine.Context().variable(np.ones(shape), requires_grad=True)
    grad = variable_summary(var, None).grad
    zeros = np.zeros(shape)
    assert grad.shape == list(shape)
    assert grad.values == (zeros.tolist() if zeros.size <= PREVIEW_ELEMENTS else None)
    expected = None if zeros.size == 0 else 0.0
    assert (grad.min, grad.max, grad.mean) == (expected, expected, expected)
