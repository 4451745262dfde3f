"""Property tests: every registered gate's backward matches central finite differences.

Each gate gets its own examples: in float64, in float32 (where every gradient on the way
must stay float32), and with each input in turn held constant (which must get no
gradient, not even from backward itself). Hypothesis draws shapes (with broadcasting where the gate
broadcasts), parameters and a seed for the values; values are kept away from kinks (relu
at 0, clamp bounds, ties of max and maxpool2d) where finite differences cannot check the
derivative. The gradient the engine picks at a kink is checked by hand in the gate's own
test module instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import engine
from engine import REGISTRY, Context, Gate, Payload, SmallDiffs, Variable, gradcheck

Draw = Callable[[st.SearchStrategy[Any]], Any]
Case = tuple[Callable[..., Variable], list[Any]]
Builder = Callable[[Draw, str], Case]
"""Draws a function of Variables and its inputs for the gate it is given by name."""
CASES: dict[str, Builder] = {}

SHAPES = array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
SHAPES_1D_UP = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
PAIRS = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)

# Per gate, not per builder, so a builder shared by five gates does not split its examples
# five ways. These counts keep the whole engine suite at about 10 s of CPU.
EXAMPLES = 50
FLOAT32_EXAMPLES = 10
CONSTANT_EXAMPLES = 10


def case(*names: str) -> Callable[[Builder], Builder]:
    """Register a case builder for the gates ``names``."""

    def register(builder: Builder) -> Builder:
        CASES.update(dict.fromkeys(names, builder))
        return builder

    return register


def rng_of(draw: Draw) -> np.random.Generator:
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values with 0.1 <= |v| <= 1.5, random signs: no kink of relu or abs within eps."""
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.1, 1.5, shape)


def distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values at least 0.05 apart, so a maximum is never a tie."""
    size = int(np.prod(shape))
    return (rng.permutation(size) * 0.05 - size * 0.025).reshape(shape)


def constant(value: np.ndarray) -> Variable:
    """An input gradcheck holds fixed (class indices and such)."""
    return Context().variable(value)


def axis_of(draw: Draw, ndim: int) -> int:
    return draw(st.integers(-ndim, ndim - 1))


@case("add", "sub", "mul")
def _binary(draw: Draw, name: str) -> Case:
    (a, b), _ = draw(PAIRS)
    rng = rng_of(draw)
    return getattr(engine, name), [rng.normal(size=a), rng.normal(size=b)]


@case("div")
def _div(draw: Draw, name: str) -> Case:
    (a, b), _ = draw(PAIRS)
    rng = rng_of(draw)
    return engine.div, [rng.normal(size=a), rng.choice([-1, 1], b) * rng.uniform(0.5, 2, b)]


@case("pow")
def _pow(draw: Draw, name: str) -> Case:
    (a, b), _ = draw(PAIRS)
    rng = rng_of(draw)
    return engine.pow, [rng.uniform(0.5, 2, a), rng.uniform(-2, 2, b)]


@case("neg", "exp", "tanh", "sigmoid")
def _smooth_unary(draw: Draw, name: str) -> Case:
    return getattr(engine, name), [rng_of(draw).normal(size=draw(SHAPES))]


@case("gelu")
def _gelu(draw: Draw, name: str) -> Case:
    approximate = draw(st.sampled_from(["tanh", "none"]))
    return (lambda a: engine.gelu(a, approximate)), [rng_of(draw).normal(size=draw(SHAPES))]


@case("log", "sqrt")
def _positive_unary(draw: Draw, name: str) -> Case:
    return getattr(engine, name), [rng_of(draw).uniform(0.5, 2, draw(SHAPES))]


@case("abs", "relu", "leaky_relu")
def _kinked_unary(draw: Draw, name: str) -> Case:
    if name == "leaky_relu":
        slope = draw(st.floats(0, 0.5))
        fn = lambda a: engine.leaky_relu(a, slope)  # noqa: E731
    else:
        fn = getattr(engine, name)
    return fn, [away_from_zero(rng_of(draw), draw(SHAPES))]


@case("clamp")
def _clamp(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES)
    rng = rng_of(draw)
    # Bins away from the bounds -0.5 and 0.5: below, between and above.
    values = rng.choice([-1.0, 0.0, 1.0], shape) + rng.uniform(-0.4, 0.4, shape)
    low, high = draw(st.sampled_from([(-0.5, 0.5), (None, 0.5), (-0.5, None)]))
    return (lambda a: engine.clamp(a, low, high)), [values]


@case("matmul")
def _matmul(draw: Draw, name: str) -> Case:
    n, k, m, batch = (draw(st.integers(1, 3)) for _ in range(4))
    a_shape, b_shape = draw(
        st.sampled_from(
            [
                ((n, k), (k, m)),
                ((batch, n, k), (k, m)),
                ((n, k), (batch, k, m)),
                ((batch, n, k), (1, k, m)),
                ((k,), (k, m)),
                ((n, k), (k,)),
                ((k,), (k,)),
            ]
        )
    )
    rng = rng_of(draw)
    return engine.matmul, [rng.normal(size=a_shape), rng.normal(size=b_shape)]


def _reduce_axis(draw: Draw, ndim: int) -> int | list[int] | None:
    if ndim == 0:
        return None
    return draw(
        st.one_of(
            st.none(),
            st.integers(-ndim, ndim - 1),
            st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True),
        )
    )


@case("sum", "mean")
def _sum_mean(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES)
    axis = _reduce_axis(draw, len(shape))
    keepdims = draw(st.booleans())
    reduce = getattr(engine, name)
    return (lambda a: reduce(a, axis, keepdims)), [rng_of(draw).normal(size=shape)]


@case("max")
def _max(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES)
    axis = (
        draw(st.none())
        if not shape
        else draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    )
    keepdims = draw(st.booleans())
    return (lambda a: engine.max(a, axis, keepdims)), [distinct(rng_of(draw), shape)]


@case("softmax", "log_softmax")
def _softmax(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    axis = axis_of(draw, len(shape))
    fn = getattr(engine, name)
    return (lambda a: fn(a, axis)), [rng_of(draw).normal(size=shape)]


@case("mse_loss", "sigmoid_cross_entropy")
def _elementwise_losses(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    rng = rng_of(draw)
    return getattr(engine, name), [rng.normal(size=shape), rng.uniform(0, 1, shape)]


@case("softmax_cross_entropy")
def _softmax_cross_entropy(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    rng = rng_of(draw)
    return engine.softmax_cross_entropy, [rng.normal(size=shape), rng.uniform(0, 1, shape)]


@case("sparse_softmax_cross_entropy")
def _sparse_softmax_cross_entropy(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    rng = rng_of(draw)
    classes = rng.integers(0, shape[-1], shape[:-1]).astype(float)
    return engine.sparse_softmax_cross_entropy, [rng.normal(size=shape), constant(classes)]


@case("reshape", "flatten")
def _reshape_flatten(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    rng = rng_of(draw)
    if name == "flatten":
        start, end = sorted(draw(st.lists(st.integers(0, len(shape) - 1), min_size=2, max_size=2)))
        return (lambda a: engine.flatten(a, start, end)), [rng.normal(size=shape)]
    new_shape = draw(st.sampled_from([(-1,), shape[::-1], (1, *shape, 1)]))
    return (lambda a: engine.reshape(a, list(new_shape))), [rng.normal(size=shape)]


@case("transpose")
def _transpose(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES)
    axes = draw(st.one_of(st.none(), st.permutations(range(len(shape)))))
    return (lambda a: engine.transpose(a, axes)), [rng_of(draw).normal(size=shape)]


@case("squeeze", "unsqueeze")
def _squeeze_unsqueeze(draw: Draw, name: str) -> Case:
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=2))
    rng = rng_of(draw)
    if name == "unsqueeze":
        axis = axis_of(draw, len(shape) + 1)
        return (lambda a: engine.unsqueeze(a, axis)), [rng.normal(size=shape)]
    ones = [i for i, n in enumerate(shape) if n == 1]
    axis = (
        draw(st.one_of(st.none(), st.lists(st.sampled_from(ones), unique=True))) if ones else None
    )
    return (lambda a: engine.squeeze(a, axis)), [rng.normal(size=shape)]


@case("concat", "stack")
def _concat_stack(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    count = draw(st.integers(1, 3))
    rng = rng_of(draw)
    if name == "stack":
        axis = axis_of(draw, len(shape) + 1)
        return (lambda *xs: engine.stack(*xs, axis=axis)), [
            rng.normal(size=shape) for _ in range(count)
        ]
    axis = axis_of(draw, len(shape))
    shapes = [
        (*shape[: axis % len(shape)], draw(st.integers(1, 3)), *shape[axis % len(shape) + 1 :])
        for _ in range(count)
    ]
    return (lambda *xs: engine.concat(*xs, axis=axis)), [rng.normal(size=s) for s in shapes]


def _weighted_sum_of(pieces: list[Variable], used: list[int]) -> Variable:
    """A scalar that depends on each used piece differently; unused pieces get zero grads."""
    total = None
    for i in used:
        term = engine.sum(pieces[i % len(pieces)] * float(i + 1))
        total = term if total is None else total + term
    assert total is not None
    return total


@case("split", "chunk", "unstack")
def _split_chunk_unstack(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    axis = axis_of(draw, len(shape))
    length = shape[axis]
    if name == "split":
        sizes = draw(st.one_of(st.integers(1, 4), st.just([1] * length)))
        cut = lambda a: engine.split(a, sizes, axis)  # noqa: E731
    elif name == "chunk":
        chunks = draw(st.integers(1, 4))
        cut = lambda a: engine.chunk(a, chunks, axis)  # noqa: E731
    else:
        cut = lambda a: engine.unstack(a, axis)  # noqa: E731
    used = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3, unique=True))
    return (lambda a: _weighted_sum_of(cut(a), used)), [rng_of(draw).normal(size=shape)]


@case("getitem")
def _getitem(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    key = []
    for n in shape[: draw(st.integers(1, len(shape)))]:
        key.append(
            draw(
                st.one_of(
                    st.integers(-n, n - 1),
                    st.builds(
                        slice,
                        st.none() | st.integers(-n, n),
                        st.none() | st.integers(-n, n),
                        st.sampled_from([None, 1, 2, -1]),
                    ),
                    st.lists(st.integers(-n, n - 1), min_size=1, max_size=3),
                )
            )
        )
    if sum(isinstance(k, list) for k in key) > 1:
        key = [k[0] if isinstance(k, list) else k for k in key]
    return (lambda a: a[tuple(key)]), [rng_of(draw).normal(size=shape)]


@case("linear")
def _linear(draw: Draw, name: str) -> Case:
    lead = draw(st.sampled_from([(), (2,), (3,), (2, 2)]))
    n_in, n_out = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    rng = rng_of(draw)
    return engine.linear, [
        rng.normal(size=(*lead, n_in)),
        rng.normal(size=(n_out, n_in)),
        rng.normal(size=n_out),
    ]


@case("conv2d")
def _conv2d(draw: Draw, name: str) -> Case:
    n, c, f = (draw(st.integers(1, 2)) for _ in range(3))
    h, w = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    padding = draw(st.integers(0, 1))
    kh, kw = draw(st.integers(1, h + 2 * padding)), draw(st.integers(1, w + 2 * padding))
    stride = draw(st.one_of(st.integers(1, 2), st.lists(st.integers(1, 2), min_size=2, max_size=2)))
    rng = rng_of(draw)
    inputs = [rng.normal(size=(n, c, h, w)), rng.normal(size=(f, c, kh, kw)), rng.normal(size=f)]
    return (lambda x, k, b: engine.conv2d(x, k, b, stride, padding)), inputs


@case("maxpool2d")
def _maxpool2d(draw: Draw, name: str) -> Case:
    kernel = draw(st.integers(1, 3))
    stride = draw(st.one_of(st.none(), st.integers(1, 3)))
    padding = draw(st.integers(0, kernel // 2))
    h, w = draw(st.integers(kernel, 5)), draw(st.integers(kernel, 5))
    values = distinct(rng_of(draw), (draw(st.integers(1, 2)), draw(st.integers(1, 2)), h, w))
    return (lambda x: engine.maxpool2d(x, kernel, stride, padding)), [values]


@case("embedding")
def _embedding(draw: Draw, name: str) -> Case:
    vocab, dim = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    rng = rng_of(draw)
    indices = rng.integers(0, vocab, draw(SHAPES)).astype(float)
    return engine.embedding, [constant(indices), rng.normal(size=(vocab, dim))]


@case("layer_norm")
def _layer_norm(draw: Draw, name: str) -> Case:
    shape = draw(SHAPES_1D_UP)
    normalized = shape[len(shape) - draw(st.integers(1, len(shape))) :]
    eps = draw(st.sampled_from([1e-5, 0.1]))
    rng = rng_of(draw)
    inputs = [rng.normal(size=shape), rng.normal(size=normalized), rng.normal(size=normalized)]
    return (lambda x, w, b: engine.layer_norm(x, w, b, eps)), inputs


@case("gru_cell")
def _gru_cell(draw: Draw, name: str) -> Case:
    batch, n_in, hidden = (draw(st.integers(1, 3)) for _ in range(3))
    rng = rng_of(draw)
    shapes = [
        (batch, n_in),
        (batch, hidden),
        (3 * hidden, n_in),
        (3 * hidden, hidden),
        (3 * hidden,),
        (3 * hidden,),
    ]
    return engine.gru_cell, [rng.normal(size=s) for s in shapes]


@case("dropout")
def _dropout(draw: Draw, name: str) -> Case:
    p = draw(st.floats(0, 0.9))
    training, seed = draw(st.booleans()), draw(st.integers(0, 1000))
    return (lambda a: engine.dropout(a, p, training, seed)), [
        rng_of(draw).normal(size=draw(SHAPES))
    ]


def test_every_registered_gate_has_a_gradient_case() -> None:
    assert set(CASES) == set(REGISTRY)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.data())
def test_backward_matches_finite_differences(name: str, data: st.DataObject) -> None:
    fn, inputs = CASES[name](data.draw, name)
    for index, result in enumerate(gradcheck(fn, inputs)):
        assert result is None or result.ok, f"input {index}: {result}"


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=FLOAT32_EXAMPLES, deadline=None)
@given(data=st.data())
def test_float32_inputs_give_float32_values_and_gradients(name: str, data: st.DataObject) -> None:
    fn, inputs = CASES[name](data.draw, name)
    ctx = Context()
    variables = [
        ctx.variable(
            x.value if isinstance(x, Variable) else x,
            requires_grad=not isinstance(x, Variable),
            dtype="float32",
        )
        for x in inputs
    ]
    out = fn(*variables)
    assert out.dtype == np.float32
    steps = list(out.backprop_steps())
    # Every gradient on the way is float32 too, not only what lands in the inputs.
    assert all(diff.dtype == np.float32 for s in steps for diff in s.diffs if diff is not None)
    assert all(v.grad.dtype == np.float32 for v in variables if v.requires_grad)


@contextmanager
def backward_results(gate: type[Gate]) -> Iterator[list[tuple[tuple[bool, ...], list[Any]]]]:
    """Record ``needs_grad`` and what backward returned, for every backward of ``gate``."""
    calls: list[tuple[tuple[bool, ...], list[Any]]] = []
    backward = gate.backward

    def recording(self: Gate, payload: Payload) -> SmallDiffs:
        diffs = backward(self, payload)
        calls.append((self.needs_grad, list(diffs)))
        return diffs

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gate, "backward", recording)
        yield calls


# Class indices are numbers, not differentiable: these gates always hold one input constant.
ONE_FREE_INPUT = {"embedding", "sparse_softmax_cross_entropy"}
HOLDABLE = [
    (name, position)
    for name in sorted(CASES)
    if REGISTRY[name].arity != 1 and name not in ONE_FREE_INPUT
    for position in range(REGISTRY[name].arity or 3)  # concat and stack draw up to 3
]


@pytest.mark.parametrize(("name", "position"), HOLDABLE)
@settings(max_examples=CONSTANT_EXAMPLES, deadline=None)
@given(data=st.data())
def test_an_input_held_constant_gets_no_gradient_and_the_others_the_right_one(
    name: str, position: int, data: st.DataObject
) -> None:
    fn, inputs = CASES[name](data.draw, name)
    assume(position < len(inputs) and len(inputs) > 1)  # concat and stack may draw fewer
    inputs[position] = constant(inputs[position])
    with backward_results(REGISTRY[name]) as calls:
        results = gradcheck(fn, inputs)
    assert results[position] is None
    for index, result in enumerate(results):
        assert result is None or result.ok, f"input {index}: {result}"
    # The Gate contract: backward skips the work for a parent that needs no gradient.
    assert calls
    for needs, diffs in calls:
        assert all(diff is None for need, diff in zip(needs, diffs, strict=True) if not need)
