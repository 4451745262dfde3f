"""conv2d and maxpool2d: hand-worked values, and a direct loop as the reference."""

import itertools

import numpy as np
import pytest

import engine
from engine import Context, GateInputError
from engine.tests.errors import raises_exactly


def _conv_loop(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, pad: int) -> np.ndarray:
    """Cross-correlation written as the definition: one window at a time."""
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, _, h, width = x.shape
    f, _, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (width - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i, j, k, m in itertools.product(range(n), range(f), range(oh), range(ow)):
        window = x[i, :, k * stride : k * stride + kh, m * stride : m * stride + kw]
        out[i, j, k, m] = np.sum(window * w[j]) + b[j]
    return out


def test_conv2d_values_and_gradients_by_hand(ctx: Context) -> None:
    x = ctx.variable(np.arange(9.0).reshape(1, 1, 3, 3), requires_grad=True)
    w = ctx.variable([[[[1.0, 0.0], [0.0, -1.0]]]], requires_grad=True)
    b = ctx.variable([0.5], requires_grad=True)
    y = engine.conv2d(x, w, b)
    assert y.value.tolist() == [[[[-3.5, -3.5], [-3.5, -3.5]]]]  # x[i,j] - x[i+1,j+1] + 0.5
    y.backprop()
    assert x.grad[0, 0].tolist() == [[1, 1, 0], [1, 0, -1], [0, -1, -1]]
    assert w.grad[0, 0].tolist() == [[8, 12], [20, 24]]  # sums of the four windows' entries
    assert b.grad.tolist() == [4.0]


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), (1, 2), (3, 1)])
def test_conv2d_matches_the_direct_loop(ctx: Context, stride: int, padding: int) -> None:
    rng = np.random.default_rng(stride * 10 + padding)
    x, w, b = rng.normal(size=(2, 3, 6, 5)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    y = engine.conv2d(ctx.variable(x), ctx.variable(w), ctx.variable(b), stride, padding)
    np.testing.assert_allclose(y.value, _conv_loop(x, w, b, stride, padding))


def test_conv2d_takes_separate_row_and_column_strides(ctx: Context) -> None:
    x = ctx.variable(np.zeros((1, 1, 5, 5)))
    w = ctx.variable(np.zeros((2, 1, 3, 3)))
    assert engine.conv2d(x, w, stride=[1, 2], padding=[0, 1]).shape == (1, 2, 3, 3)


WEIGHT_SHAPE_ERROR = "weight must be (filters, channels, kh, kw) with x's channel count"


@pytest.mark.parametrize(
    ("x_shape", "weight_shape", "problem"),
    [
        ((1, 2, 4, 4), (1, 3, 2, 2), WEIGHT_SHAPE_ERROR),
        ((2, 4, 4), (1, 4, 2, 2), WEIGHT_SHAPE_ERROR),
        ((1, 2, 4, 4), (2, 2, 2), WEIGHT_SHAPE_ERROR),
        ((1, 2, 4, 4), (1, 2, 5, 5), "the kernel (5, 5) is larger than the padded input"),
        ((1, 1, 2, 5), (1, 1, 3, 1), "the kernel (3, 1) is larger than the padded input"),
    ],
)
def test_conv2d_checks_shapes(
    ctx: Context, x_shape: tuple, weight_shape: tuple, problem: str
) -> None:
    x, w = ctx.variable(np.zeros(x_shape)), ctx.variable(np.zeros(weight_shape))
    shapes = f"{x_shape}, {weight_shape}, {weight_shape[:1]}"
    with raises_exactly(GateInputError, f"conv2d on inputs of shape {shapes}: {problem}"):
        engine.conv2d(x, w)


def test_conv2d_checks_the_bias(ctx: Context) -> None:
    x, w = ctx.variable(np.zeros((1, 2, 4, 4))), ctx.variable(np.zeros((3, 2, 2, 2)))
    with raises_exactly(
        GateInputError,
        "conv2d on inputs of shape (1, 2, 4, 4), (3, 2, 2, 2), (2,): bias must be (filters,)",
    ):
        engine.conv2d(x, w, ctx.variable(np.zeros(2)))


def test_maxpool2d_needs_an_image_batch(ctx: Context) -> None:
    with raises_exactly(
        GateInputError,
        "maxpool2d on inputs of shape (4, 4): the input must be (batch, channels, height, width)",
    ):
        engine.maxpool2d(ctx.variable(np.zeros((4, 4))), 2)


@pytest.mark.parametrize(
    ("gate", "parameter", "extra"),
    [
        ("conv2d", "stride", {}),
        ("conv2d", "padding", {}),
        ("maxpool2d", "kernel_size", {}),
        ("maxpool2d", "stride", {"kernel_size": 2}),
        ("maxpool2d", "padding", {"kernel_size": 2}),
    ],
)
def test_a_pair_parameter_takes_an_int_or_two_ints(gate: str, parameter: str, extra: dict) -> None:
    make = engine.REGISTRY[gate]
    with raises_exactly(
        ValueError, f"{gate} {parameter} must be an int or a list of two ints, got [1, 1, 1]"
    ):
        make(**extra, **{parameter: [1, 1, 1]})


@pytest.mark.parametrize(
    ("gate", "parameter", "minimum"),
    [
        ("conv2d", "stride", 1),
        ("conv2d", "padding", 0),
        ("maxpool2d", "kernel_size", 1),
        ("maxpool2d", "padding", 0),
    ],
)
def test_the_published_schema_of_a_pair_parameter(gate: str, parameter: str, minimum: int) -> None:
    schema = engine.REGISTRY[gate].params["properties"][parameter]
    assert schema["type"] == ["integer", "array"] and schema["description"]
    assert schema["minimum"] == minimum
    assert schema["items"] == {"type": "integer", "minimum": minimum}
    assert schema["minItems"] == schema["maxItems"] == 2


def test_maxpool2d_values_and_gradient(ctx: Context) -> None:
    x = ctx.variable(np.arange(1.0, 17.0).reshape(1, 1, 4, 4), requires_grad=True)
    y = engine.maxpool2d(x, 2)
    assert y.value.tolist() == [[[[6, 8], [14, 16]]]]
    y.backprop(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    expected = np.zeros((4, 4))
    expected[1, 1], expected[1, 3], expected[3, 1], expected[3, 3] = 1, 2, 3, 4
    np.testing.assert_array_equal(x.grad[0, 0], expected)


def test_overlapping_pools_add_gradients_and_padding_is_never_picked(ctx: Context) -> None:
    x = ctx.variable([[[[-1.0, -5.0], [-3.0, -2.0]]]], requires_grad=True)
    y = engine.maxpool2d(x, 2, stride=1, padding=1)
    # With stride 1 and padding 1 the windows overlap: -1 is the maximum of four of them.
    assert y.value.tolist() == [[[[-1, -1, -5], [-1, -1, -2], [-3, -2, -2]]]]
    y.backprop()
    assert x.grad[0, 0].tolist() == [[4, 1], [1, 3]]


# At a tie within a window the first maximum in row-major window order takes the gradient,
# as in PyTorch's max_pool2d, which only replaces its running maximum by a larger value.


def test_maxpool2d_gives_a_tie_to_the_first_maximum_of_the_window(ctx: Context) -> None:
    x = ctx.variable([[[[0.0, 5.0], [5.0, 5.0]], [[2.0, 2.0], [2.0, 2.0]]]], requires_grad=True)
    y = engine.maxpool2d(x, 2)
    assert y.value.tolist() == [[[[5.0]], [[2.0]]]]
    y.backprop(np.array([[[[3.0]], [[4.0]]]]))
    assert x.grad[0].tolist() == [[[0.0, 3.0], [0.0, 0.0]], [[4.0, 0.0], [0.0, 0.0]]]


def test_overlapping_pools_over_a_tie_each_pick_their_own_first_element(ctx: Context) -> None:
    x = ctx.variable(np.ones((1, 1, 3, 3)), requires_grad=True)
    y = engine.maxpool2d(x, 2, stride=1)
    y.backprop(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]))
    # Every window is a tie; each sends its gradient to its own top-left element.
    assert x.grad[0, 0].tolist() == [[1.0, 2.0, 0.0], [3.0, 4.0, 0.0], [0.0, 0.0, 0.0]]


def test_maxpool2d_rejects_padding_over_half_the_kernel() -> None:
    with raises_exactly(ValueError, "maxpool2d: padding must be at most half the kernel_size"):
        engine.REGISTRY["maxpool2d"](kernel_size=2, padding=2)
