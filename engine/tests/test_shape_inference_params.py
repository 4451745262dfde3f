"""Property test: infer agrees with forward for params and shapes drawn freely.

The gradcheck strategies draw only valid combinations; here the params a shape rule
reads (axes, shapes, sizes, index specs, kernels, strides, paddings) and the input shapes
(empty axes included) are drawn independently, so most combinations are ones forward
refuses. For each, infer must refuse exactly when forward does, with the same message
prefix, and otherwise give forward's output shapes and dtypes.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

import engine
from engine import REGISTRY, Context, GateInputError, TensorSpec
from engine.gates.indexing import indexed_shape, numpy_index

SHAPES = array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
AXIS = st.integers(-5, 4)
AXES = st.none() | AXIS | st.lists(AXIS, max_size=4)
PAIR = st.integers(0, 4) | st.lists(st.integers(0, 4), min_size=2, max_size=2)
STEP = st.integers(1, 3) | st.lists(st.integers(1, 3), min_size=2, max_size=2)


@st.composite
def index_specs(draw: Any, ndim: int, size: int) -> list[Any]:
    """Index specs for arrays of ``ndim`` axes of about ``size``: in bounds or not."""
    position = st.integers(-size - 1, size)
    bound = st.none() | st.integers(-size - 2, size + 2)
    entry = st.one_of(
        position,
        st.fixed_dictionaries({"start": bound, "stop": bound, "step": st.none() | STEPS}),
        st.just("..."),
        st.none(),
        st.lists(position, max_size=3),
    )
    return draw(st.lists(entry, max_size=ndim + 2))


STEPS = st.integers(-3, 3)

PARAMS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "sum": st.fixed_dictionaries({"axis": AXES, "keepdims": st.booleans()}),
    "mean": st.fixed_dictionaries({"axis": AXES, "keepdims": st.booleans()}),
    "max": st.fixed_dictionaries({"axis": st.none() | AXIS, "keepdims": st.booleans()}),
    "softmax": st.fixed_dictionaries({"axis": AXIS}),
    "log_softmax": st.fixed_dictionaries({"axis": AXIS}),
    "reshape": st.fixed_dictionaries({"shape": st.lists(st.integers(-2, 5), max_size=4)}),
    "flatten": st.fixed_dictionaries({"start_axis": AXIS, "end_axis": AXIS}),
    "squeeze": st.fixed_dictionaries({"axis": AXES}),
    "unsqueeze": st.fixed_dictionaries({"axis": AXIS}),
    "transpose": st.fixed_dictionaries({"axes": st.none() | st.lists(AXIS, max_size=4)}),
    "split": st.fixed_dictionaries(
        {"sizes": st.integers(1, 4) | st.lists(st.integers(1, 4), max_size=4), "axis": AXIS}
    ),
    "chunk": st.fixed_dictionaries({"chunks": st.integers(1, 5), "axis": AXIS}),
    "unstack": st.fixed_dictionaries({"axis": AXIS}),
    "maxpool2d": st.integers(1, 5).flatmap(
        # A padding over half the kernel is the constructor's to refuse, not infer's.
        lambda kernel: st.fixed_dictionaries(
            {
                "kernel_size": st.just(kernel) | st.just([kernel, max(1, kernel - 1)]),
                "stride": st.none() | STEP,
                "padding": st.integers(0, max(1, kernel - 1) // 2),
            }
        )
    ),
    "conv2d": st.fixed_dictionaries({"stride": STEP, "padding": PAIR}),
}
ONE_INPUT = sorted(PARAMS.keys() - {"conv2d"})
SHAPE_ONLY = ["add", "matmul", "linear", "embedding", "gru_cell", "mse_loss"]
SHAPE_ONLY += ["sparse_softmax_cross_entropy", "softmax_cross_entropy", "sigmoid_cross_entropy"]


def _agree(name: str, params: dict[str, Any], shapes: list[tuple[int, ...]]) -> None:
    try:
        gate = REGISTRY[name](**params)
    except (TypeError, ValueError):
        assume(False)  # params the constructor refuses never reach infer
    ctx = Context()
    values = [ctx.variable(np.zeros(shape)) for shape in shapes]
    specs = [TensorSpec.of(v) for v in values]
    try:
        cost = gate.infer(*specs)
    except GateInputError as error:
        with pytest.raises(GateInputError) as refused, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            engine.apply(gate, values)
        assert str(refused.value).partition(": ")[0] == str(error).partition(": ")[0]
        return
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = engine.apply(gate, values)
    outs = result if isinstance(result, list) else [result]
    assert list(cost.outputs) == [TensorSpec.of(out) for out in outs]


@pytest.mark.parametrize("name", ONE_INPUT)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_infer_agrees_with_forward_for_free_params(name: str, data: st.DataObject) -> None:
    _agree(name, data.draw(PARAMS[name]), [data.draw(SHAPES)])


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_getitem_infers_what_numpy_indexing_gives_for_any_spec(data: st.DataObject) -> None:
    shape = data.draw(SHAPES)
    spec = data.draw(index_specs(len(shape), max(shape, default=1)))
    _assert_indexes_as_numpy(shape, spec)
    _agree("getitem", {"index": spec}, [shape])


def _assert_indexes_as_numpy(shape: tuple[int, ...], spec: list[Any]) -> None:
    try:
        expected = np.zeros(shape)[numpy_index(spec)].shape
    except (IndexError, ValueError):
        with pytest.raises((IndexError, ValueError)):
            indexed_shape(shape, spec)
    else:
        assert indexed_shape(shape, spec) == expected


@pytest.mark.parametrize(
    ("shape", "spec"),
    [
        ((0, 0, 0), [{}, [], [0]]),
        ((3, 4), [[], [9]]),
        ((3, 4), [5, []]),
        ((3, 0), [[5], {}]),
        ((3, 4), [[5], {"start": 0, "stop": 0, "step": None}]),
        ((3,), ["..."]),
        ((2, 3), ["...", 0]),
        ((2, 3), [None, "...", None, [1, 0]]),
        ((4,), [{"start": 1, "stop": None, "step": None}]),
        ((4,), [{"start": None, "stop": 3, "step": None}]),
        ((4,), [{"start": None, "stop": None, "step": -3}]),
    ],
)
def test_getitem_infers_what_numpy_gives_in_these_corners(
    shape: tuple[int, ...], spec: list[Any]
) -> None:
    # Ints are always checked, listed positions only as NumPy picks them: [] picks none.
    _assert_indexes_as_numpy(shape, spec)


@st.composite
def _related_shapes(draw: Any, count: int) -> list[tuple[int, ...]]:
    """``count`` shapes that are often, but not always, the same one."""
    base = draw(SHAPES)
    return [draw(st.just(base) | SHAPES) for _ in range(count)]


@pytest.mark.parametrize("name", ["concat", "stack"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_joins_agree_with_forward_for_free_shapes(name: str, data: st.DataObject) -> None:
    shapes = data.draw(_related_shapes(data.draw(st.integers(1, 3))))
    _agree(name, {"axis": data.draw(AXIS)}, shapes)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_conv2d_agrees_with_forward_for_free_params_and_shapes(data: st.DataObject) -> None:
    x = data.draw(array_shapes(min_dims=3, max_dims=5, min_side=0, max_side=4))
    channels = st.just(x[1]) | st.integers(0, 3)
    weight = (data.draw(st.integers(0, 2)), data.draw(channels), *data.draw(PAIR_SHAPE))
    bias = data.draw(st.just(weight[:1]) | st.just((1,)))
    _agree("conv2d", data.draw(PARAMS["conv2d"]), [x, weight, bias])


PAIR_SHAPE = st.tuples(st.integers(1, 4), st.integers(1, 4))


@pytest.mark.parametrize("name", SHAPE_ONLY)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_shape_checks_agree_with_forward_for_free_shapes(name: str, data: st.DataObject) -> None:
    arity = REGISTRY[name].arity
    assert arity is not None
    _agree(name, {}, data.draw(_related_shapes(arity)))
