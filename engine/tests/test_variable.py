"""Variable: gradients, operators and methods, checked against hand-worked values."""

from typing import Any

import numpy as np
import pytest

import engine
from engine import Context


def test_grad_is_zeros_once_needed_and_none_otherwise(ctx: Context) -> None:
    needed = ctx.variable([[1.0, 2.0]], requires_grad=True)
    np.testing.assert_array_equal(needed.grad, [[0.0, 0.0]])
    assert ctx.variable(1.0).grad is None


def test_is_grad_needed_follows_requires_grad_and_no_grad(ctx: Context) -> None:
    x = ctx.variable(1.0, requires_grad=True)
    assert x.is_grad_needed()
    ctx.no_grad = True
    assert not x.is_grad_needed()
    assert not ctx.variable(1.0).is_grad_needed()


def test_micrograd_example_gives_its_published_values(ctx: Context) -> None:
    a = ctx.variable(-4.0, requires_grad=True)
    b = ctx.variable(2.0, requires_grad=True)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backprop()
    assert g.item() == pytest.approx(24.70408163265306, abs=1e-12)
    assert a.grad == pytest.approx(138.83381924198252, abs=1e-10)
    assert b.grad == pytest.approx(645.5772594752186, abs=1e-10)


def test_arithmetic_operators_and_their_gradients(ctx: Context) -> None:
    x = ctx.variable(3.0, requires_grad=True)
    y = ctx.variable(2.0, requires_grad=True)
    z = (x - y) * (x / y) + x**y - (-y)  # (1)(1.5) + 9 + 2 = 12.5
    assert z.item() == 12.5
    z.backprop()
    # dz/dx = x/y + (x-y)/y + y x^(y-1) = 1.5 + 0.5 + 6 = 8
    # dz/dy = -x/y - (x-y) x / y^2 + x^y ln x + 1 = -1.5 - 0.75 + 9 ln 3 + 1
    assert x.grad == pytest.approx(8.0)
    assert y.grad == pytest.approx(-1.25 + 9 * np.log(3.0))


def test_reflected_operators_take_scalars_on_the_left(ctx: Context) -> None:
    x = ctx.variable(2.0, requires_grad=True)
    z = 1 + (10 - x) * (3 * x) / (4 / x) + 2**x  # 1 + 8*6/2 + 4 = 29
    assert z.item() == 29.0


def test_ndarray_on_the_left_defers_to_the_variable(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    z = np.array([3.0, 4.0]) * x
    assert type(z).__name__ == "Variable"
    z.sum().backprop()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def test_matmul_operator(ctx: Context) -> None:
    a = ctx.variable([[1.0, 2.0]], requires_grad=True)
    b = ctx.variable([[3.0], [4.0]], requires_grad=True)
    c = a @ b
    assert c.value.tolist() == [[11.0]]
    c.backprop()
    assert a.grad.tolist() == [[3.0, 4.0]] and b.grad.tolist() == [[1.0], [2.0]]


def test_methods_reach_their_gates(ctx: Context) -> None:
    x = ctx.variable([[1.0, -2.0], [3.0, 4.0]], requires_grad=True)
    assert x.sum().item() == 6.0
    assert x.mean(axis=0).value.tolist() == [2.0, 1.0]
    assert x.max(axis=1).value.tolist() == [1.0, 4.0]
    assert x.relu().value.tolist() == [[1.0, 0.0], [3.0, 4.0]]
    assert x.T.value.tolist() == [[1.0, 3.0], [-2.0, 4.0]]
    assert x.reshape(4).shape == (4,) and x.reshape([1, 4]).shape == (1, 4)
    assert x.flatten().shape == (4,)
    assert x.transpose([1, 0]).value.tolist() == x.T.value.tolist()
    np.testing.assert_allclose(x.tanh().value, np.tanh(x.value))
    np.testing.assert_allclose(x.sigmoid().value, 1 / (1 + np.exp(-x.value)))
    np.testing.assert_allclose(x.exp().value, np.exp(x.value))
    np.testing.assert_allclose(x.exp().log().value, x.value)


def test_method_arguments_reach_their_gates(ctx: Context) -> None:
    x = ctx.variable(np.arange(24.0).reshape(2, 3, 4))
    assert x.sum().shape == () and x.mean().shape == () and x.max().shape == ()
    assert x.sum(axis=1).value.tolist() == x.value.sum(axis=1).tolist()
    assert x.sum(axis=[0, 2], keepdims=True).shape == (1, 3, 1)
    assert x.mean(axis=2, keepdims=True).value.tolist() == x.value.mean(2, keepdims=True).tolist()
    assert x.max(axis=0, keepdims=True).value.tolist() == [x.value[1].tolist()]
    assert x.transpose([1, 0, 2]).shape == (3, 2, 4)
    assert x.flatten(0, 1).shape == (6, 4)


def test_ndarray_matmul_on_the_left_defers_to_the_variable(ctx: Context) -> None:
    x = ctx.variable([[1.0], [2.0]], requires_grad=True)
    z = np.array([[3.0, 4.0]]) @ x
    assert z.value.tolist() == [[11.0]]
    z.backprop()
    assert x.grad.tolist() == [[3.0], [4.0]]


def test_indexing_with_brackets(ctx: Context) -> None:
    x = ctx.variable(np.arange(12.0).reshape(3, 4), requires_grad=True)
    y = x[0, 1:3]
    assert y.value.tolist() == [1.0, 2.0]
    y.sum().backprop()
    assert x.grad.tolist() == [[0, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0]]


def test_scalar_literals_take_the_variable_dtype(ctx: Context) -> None:
    x = ctx.variable([1.0], requires_grad=True, dtype="float32")
    y = x * 2.5 + 1
    assert y.value.dtype == np.float32
    y.backprop()
    assert x.grad.dtype == np.float32


def test_non_numeric_operands_raise_type_error(ctx: Context) -> None:
    with pytest.raises(TypeError, match="Variables or numbers"):
        ctx.variable(1.0) + "one"
    with pytest.raises(TypeError, match="Variables or numbers"):
        ctx.variable(1.0) * True


def test_repr_names_the_variable(ctx: Context) -> None:
    assert repr(ctx.variable([1.0], name="w")) == "Variable(w, shape=(1,), requires_grad=False)"
    assert repr(ctx.variable(2.0, requires_grad=True)) == "Variable(shape=(), requires_grad=True)"


def test_accumulate_grad_copies_what_it_is_not_told_to_adopt(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True)
    diff = np.array([3.0, 4.0])
    x.accumulate_grad(diff)
    diff[0] = 100.0
    assert x.grad.tolist() == [3.0, 4.0]


def test_accumulated_gradients_keep_the_variables_dtype(ctx: Context) -> None:
    x = ctx.variable([1.0, 2.0], requires_grad=True, dtype="float32")
    x.accumulate_grad(np.ones(2, dtype=np.float32), adopt=True)
    x.accumulate_grad(np.full(2, 0.5))  # a float64 gradient, e.g. from a custom gate
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [1.5, 1.5]


def test_fan_out_adds_into_one_gradient_array_once_the_variable_owns_it(ctx: Context) -> None:
    # After the first copy a variable adds in place, as += does: fan-out into a parameter
    # used n times allocates once, not n times.
    copied = ctx.variable([0.0], requires_grad=True)
    copied.accumulate_grad(np.array([1.0]))
    owned = copied.grad
    copied.accumulate_grad(np.array([2.0]))
    assert copied.grad is owned and owned.tolist() == [3.0]
    # An adopted array may still be reported elsewhere: the next addition makes a new one,
    # which the variable then owns.
    adopted = ctx.variable([0.0], requires_grad=True)
    reported = np.array([1.0])
    adopted.accumulate_grad(reported, adopt=True)
    adopted.accumulate_grad(np.array([2.0]))
    owned = adopted.grad
    adopted.accumulate_grad(np.array([4.0]))
    assert reported.tolist() == [1.0]
    assert adopted.grad is owned and owned.tolist() == [7.0]


@pytest.mark.parametrize(
    ("method", "function"),
    [
        ("sqrt", engine.sqrt),
        ("abs", engine.abs),
        ("exp", engine.exp),
        ("log", engine.log),
        ("gelu", engine.gelu),
        ("relu", engine.relu),
        ("tanh", engine.tanh),
        ("sigmoid", engine.sigmoid),
        ("leaky_relu", engine.leaky_relu),
        ("softmax", engine.softmax),
        ("log_softmax", engine.log_softmax),
    ],
)
def test_every_unary_gate_is_a_method(ctx: Context, method: str, function: Any) -> None:
    a = ctx.variable([[1.0, 4.0], [9.0, 16.0]], requires_grad=True)
    np.testing.assert_array_equal(getattr(a, method)().value, function(a).value)


def test_reductions_and_shape_methods_take_numpys_arguments(ctx: Context) -> None:
    a = ctx.variable([[1.0, -4.0], [9.0, 16.0]], requires_grad=True)
    np.testing.assert_array_equal(a.sum(axis=0).value, [10.0, 12.0])
    np.testing.assert_array_equal(a.mean(1).value, [-1.5, 12.5])
    np.testing.assert_array_equal(a.max(axis=1).value, [1.0, 16.0])
    np.testing.assert_array_equal(a.clamp(0, 10).value, [[1.0, 0.0], [9.0, 10.0]])
    np.testing.assert_array_equal(a.clip(max=2).value, [[1.0, -4.0], [2.0, 2.0]])
    assert a.unsqueeze(0).shape == (1, 2, 2) and a.unsqueeze(0).squeeze().shape == (2, 2)
    assert [p.shape for p in a.split(1, axis=1)] == [(2, 1), (2, 1)]
    assert [p.shape for p in a.chunk(2)] == [(1, 2), (1, 2)]
    assert [p.item() for p in a.unstack(1)[0].unstack()] == [1.0, 9.0]


def test_concat_and_stack_take_a_list_as_torch_and_numpy_do(ctx: Context) -> None:
    a = ctx.variable([1.0, 2.0], requires_grad=True)
    b = ctx.variable([3.0], requires_grad=True)
    np.testing.assert_array_equal(engine.concat([a, b]).value, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(engine.concat((a, b)).value, engine.concat(a, b).value)
    assert engine.stack([a, a], axis=1).shape == (2, 2)
    engine.concat([a, b, a]).sum().backprop()
    np.testing.assert_array_equal(a.grad, [2.0, 2.0])  # a is used twice
