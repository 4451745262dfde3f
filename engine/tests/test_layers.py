"""Layer gates: linear, embedding, layer_norm, gru_cell and dropout with hand-worked values."""

import math
import warnings

import numpy as np
import pytest

import engine
from engine import Context, GateInputError
from engine.tests.errors import raises_exactly


def test_linear_values_and_gradients(ctx: Context) -> None:
    x = ctx.variable([[1.0, 2.0]], requires_grad=True)
    w = ctx.variable([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], requires_grad=True)
    b = ctx.variable([0.5, 0.0, -1.0], requires_grad=True)
    y = engine.linear(x, w, b)
    assert y.value.tolist() == [[1.5, 2.0, 2.0]]
    y.backprop(np.array([[1.0, 2.0, 3.0]]))
    assert x.grad.tolist() == [[4.0, 5.0]]  # g @ W
    assert w.grad.tolist() == [[1, 2], [2, 4], [3, 6]]  # g^T @ x
    assert b.grad.tolist() == [1, 2, 3]


def test_linear_without_bias_and_with_leading_axes(ctx: Context) -> None:
    x = ctx.variable(np.ones((2, 3, 4)))
    w = ctx.variable(np.ones((5, 4)), requires_grad=True)
    y = engine.linear(x, w)
    assert y.shape == (2, 3, 5) and np.all(y.value == 4)
    y.backprop()
    np.testing.assert_array_equal(w.grad, np.full((5, 4), 6.0))


@pytest.mark.parametrize(
    ("x_shape", "weight_shape"),
    [((2, 3), (4, 2)), ((), (4, 1)), ((2, 3), (4, 3, 1))],
)
def test_linear_checks_shapes(ctx: Context, x_shape: tuple, weight_shape: tuple) -> None:
    x, w = ctx.variable(np.ones(x_shape)), ctx.variable(np.ones(weight_shape))
    with raises_exactly(
        GateInputError,
        f"linear on inputs of shape {x_shape}, {weight_shape}, (4,): "
        "x must be (..., in) and weight (out, in)",
    ):
        engine.linear(x, w)


def test_linear_checks_the_bias(ctx: Context) -> None:
    x, w, b = (ctx.variable(np.ones(s)) for s in [(2, 3), (4, 3), (3,)])
    with raises_exactly(
        GateInputError,
        "linear on inputs of shape (2, 3), (4, 3), (3,): "
        "bias must be (out,), one entry per row of weight",
    ):
        engine.linear(x, w, b)


def test_no_bias_is_a_zero_constant_of_the_weights_dtype(ctx: Context) -> None:
    x = ctx.variable(np.ones((2, 3)), dtype="float32")
    w = ctx.variable(np.ones((4, 3)), requires_grad=True, dtype="float32")
    bias = engine.linear(x, w).creator.parents[2]
    assert bias.dtype == np.float32 and not bias.requires_grad
    assert bias.value.tolist() == [0.0] * 4


def test_embedding_picks_rows_and_adds_repeated_gradients(ctx: Context) -> None:
    w = ctx.variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    ids = ctx.variable([[0.0, 2.0], [0.0, 1.0]])
    y = engine.embedding(ids, w)
    assert y.value.tolist() == [[[1, 2], [5, 6]], [[1, 2], [3, 4]]]
    y.backprop()
    assert w.grad.tolist() == [[2, 2], [1, 1], [1, 1]]


def test_embedding_rejects_bad_indices(ctx: Context) -> None:
    w = ctx.variable(np.ones((3, 2)))
    with raises_exactly(
        GateInputError, "embedding on inputs of shape (1,), (3, 2): indices must be whole numbers"
    ):
        engine.embedding(ctx.variable([0.5]), w)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # said in the error, not also warned about by NumPy
        with pytest.raises(GateInputError, match="whole numbers"):
            engine.embedding(ctx.variable([np.nan, np.inf]), w)
    with raises_exactly(
        GateInputError, "embedding on inputs of shape (1,), (3,): weight must be (vocabulary, dim)"
    ):
        engine.embedding(ctx.variable([0.0]), ctx.variable(np.ones(3)))
    with pytest.raises(GateInputError, match=r"lie in \[0, 3\)"):
        engine.embedding(ctx.variable([3.0]), w)


def _gru_reference(x, h, w_ih, w_hh, b_ih, b_hh):  # type: ignore[no-untyped-def]
    """PyTorch's GRUCell equations, written out gate by gate."""
    size = h.shape[1]
    gi, gh = x @ w_ih.T + b_ih, h @ w_hh.T + b_hh
    r = 1 / (1 + np.exp(-(gi[:, :size] + gh[:, :size])))
    z = 1 / (1 + np.exp(-(gi[:, size : 2 * size] + gh[:, size : 2 * size])))
    n = np.tanh(gi[:, 2 * size :] + r * gh[:, 2 * size :])
    return (1 - z) * n + z * h


def test_gru_cell_matches_the_pytorch_equations(ctx: Context) -> None:
    rng = np.random.default_rng(1)
    shapes = [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,)]
    values = [rng.normal(size=s) for s in shapes]
    out = engine.gru_cell(*[ctx.variable(v) for v in values])
    np.testing.assert_allclose(out.value, _gru_reference(*values))


def test_gru_cell_gradients_with_zero_weights(ctx: Context) -> None:
    # All weights and biases 0: r = z = 1/2, n = 0, so h' = h / 2.
    x = ctx.variable([[2.0]], requires_grad=True)
    h = ctx.variable([[4.0]], requires_grad=True)
    params = [ctx.variable(np.zeros(s), requires_grad=True) for s in [(3, 1), (3, 1), (3,), (3,)]]
    out = engine.gru_cell(x, h, *params)
    assert out.value.tolist() == [[2.0]]
    out.backprop()
    w_ih, w_hh, b_ih, b_hh = params
    assert x.grad.tolist() == [[0.0]] and h.grad.tolist() == [[0.5]]
    # update gate: (h - n) z (1 - z) = 1; new gate: (1 - z)(1 - n^2) = 1/2, through r h_n: 1/4
    assert w_ih.grad.ravel().tolist() == [0.0, 2.0, 1.0]
    assert w_hh.grad.ravel().tolist() == [0.0, 4.0, 1.0]
    assert b_ih.grad.tolist() == [0.0, 1.0, 0.5] and b_hh.grad.tolist() == [0.0, 1.0, 0.25]


GRU_SHAPES = [(2, 3), (2, 4), (12, 3), (12, 4), (12,), (12,)]


@pytest.mark.parametrize(
    ("position", "shape", "problem"),
    [
        (0, (2,), "x must be (batch, in) and h (batch, hidden) with the same batch"),
        (1, (2,), "x must be (batch, in) and h (batch, hidden) with the same batch"),
        (1, (3, 4), "x must be (batch, in) and h (batch, hidden) with the same batch"),
        (2, (12, 2), "w_ih must be (3 hidden, in) and w_hh (3 hidden, hidden)"),
        (3, (12, 3), "w_ih must be (3 hidden, in) and w_hh (3 hidden, hidden)"),
        (5, (11,), "b_ih and b_hh must be (3 hidden,)"),
    ],
)
def test_gru_cell_checks_shapes(ctx: Context, position: int, shape: tuple, problem: str) -> None:
    shapes = [*GRU_SHAPES[:position], shape, *GRU_SHAPES[position + 1 :]]
    with raises_exactly(
        GateInputError,
        f"gru_cell on inputs of shape {', '.join(map(str, shapes))}: {problem}",
    ):
        engine.gru_cell(*[ctx.variable(np.ones(s)) for s in shapes])


def test_dropout_is_seedable_and_scales_what_it_keeps(ctx: Context) -> None:
    x = ctx.variable(np.ones(1000), requires_grad=True)
    y = engine.dropout(x, p=0.25, seed=7)
    assert set(np.unique(y.value)) == {0.0, 4 / 3}
    assert 0.2 < np.mean(y.value == 0) < 0.3
    np.testing.assert_array_equal(engine.dropout(x, p=0.25, seed=7).value, y.value)
    y.backprop()
    np.testing.assert_array_equal(x.grad, y.value)  # the mask times the scale, as x is ones


def test_dropout_drops_an_element_only_when_its_draw_is_below_p(ctx: Context) -> None:
    # Dropping exactly when u < p (u uniform on [0, 1)) makes the rate exactly p; an
    # element whose draw equals p is kept.
    first_draw = float(np.random.default_rng(3).random(1)[0])
    y = engine.dropout(ctx.variable([1.0]), p=first_draw, seed=3)
    assert y.value.tolist() == [1 / (1 - first_draw)]


def test_dropout_passes_through_when_not_training(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    y = engine.dropout(x, p=0.9, training=False)
    assert y.value.tolist() == [1.0, 2.0]
    y.backprop()
    assert x.grad.tolist() == [1.0, 1.0]


def test_layer_norm_normalizes_the_last_axes_then_scales_and_shifts(ctx: Context) -> None:
    x = ctx.variable([[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    w = ctx.variable([1.0, 2.0, 3.0], requires_grad=True)
    b = ctx.variable([0.0, 0.5, 1.0], requires_grad=True)
    y = engine.layer_norm(x, w, b, eps=1e-12)
    # Row 1 has mean 2 and biased variance 2/3: (x - 2) / sqrt(2/3) = ±1.2247; row 2 is flat.
    root = math.sqrt(1.5)
    np.testing.assert_allclose(y.value, [[-root, 0.5, 1 + 3 * root], [0.0, 0.5, 1.0]], atol=1e-5)
    y.backprop(np.ones((2, 3)))
    assert b.grad.tolist() == [2.0, 2.0, 2.0]  # summed over the leading axis
    np.testing.assert_allclose(w.grad, [-root, 0.0, root], atol=1e-5)


def test_layer_norm_needs_weight_and_bias_of_the_last_axes(ctx: Context) -> None:
    x = ctx.variable(np.ones((2, 3)))
    with pytest.raises(ValueError, match="last axes"):
        engine.layer_norm(x, ctx.variable(np.ones(2)), ctx.variable(np.ones(2)))
    with pytest.raises(ValueError, match="last axes"):
        engine.layer_norm(x, ctx.variable(np.ones(3)), ctx.variable(np.ones(2)))
